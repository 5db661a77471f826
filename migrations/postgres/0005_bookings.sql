-- The practice's consult rules: one row. Absent means the documented defaults
-- (50-minute consults, 10-minute buffer, 24 hours' notice, 28 days ahead).
create table consult_settings (
    id                   integer     primary key check (id = 1),
    length_minutes       integer     not null check (length_minutes between 1 and 720),
    buffer_after_minutes integer     not null check (buffer_after_minutes between 0 and 720),
    min_notice_minutes   integer     not null check (min_notice_minutes between 0 and 129600),
    horizon_days         integer     not null check (horizon_days between 1 and 366),
    created_at           timestamptz not null,
    updated_at           timestamptz not null
);

-- A clinician who offers consults: weekly hours and days off, in the practice's zone,
-- as the JSON that `domain::booking` validates on every read.
-- `calendar_version` is bumped by every booking transaction for this clinician: the update
-- is the lock that serialises bookings of one calendar on both databases.
create table availability (
    clinician_id     bigint      primary key references clinicians (id) on delete cascade,
    weekly_hours     text        not null,
    days_off         text        not null default '[]',
    calendar_version bigint      not null default 0,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- A booked consult. Instants are UTC; `practice_zone` and `client_zone` are the IANA zones
-- they were shown in. Contact details are the client's own, for the practice to reach them.
create table bookings (
    id                bigint      generated always as identity primary key,
    submission_id     bigint      not null references submissions (id) on delete cascade,
    clinician_id      bigint      not null references clinicians (id),
    starts_at         timestamptz not null,
    ends_at           timestamptz not null,
    practice_zone     text        not null,
    client_zone       text        not null,
    client_name       text        not null check (length(client_name) between 1 and 100),
    client_email      text        not null check (length(client_email) between 3 and 254),
    client_phone      text        not null check (length(client_phone) between 1 and 30),
    -- SHA-256 of the private manage link's secret (derived from the resume link's secret,
    -- so rebooking after a cancellation keeps the same link).
    manage_token_hash text        not null,
    -- The booking form's one-time key: a double click or a retry finds the first booking.
    request_key       text        not null unique,
    status            text        not null default 'booked' check (status in ('booked', 'cancelled')),
    -- Calendar SEQUENCE: bumped at every reschedule and at cancellation.
    sequence          integer     not null default 0,
    cancelled_at      timestamptz,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    check (ends_at > starts_at),
    check ((status = 'cancelled') = (cancelled_at is not null))
);
-- Double booking is impossible by construction: one live booking per clinician and start.
-- Cancelled rows are ignored, so a cancellation frees the slot at once.
create unique index bookings_one_per_slot on bookings (clinician_id, starts_at)
    where status = 'booked';
-- One live consult per questionnaire.
create unique index bookings_one_per_submission on bookings (submission_id)
    where status = 'booked';
create index bookings_manage_token on bookings (manage_token_hash);
create index bookings_clinician_time on bookings (clinician_id, ends_at);

-- A client's confirmation carries a calendar file (text/calendar, no health details).
alter table outbox add column calendar text;

-- Sensitive fields are stored sealed (src/server/db/seal.rs). A sealed value is longer than the
-- text it holds, so the length checks on those columns stay in the app, which checks every
-- value before sealing it. SQLite cannot alter a CHECK, so those tables are rebuilt.

-- Which data key the database is sealed under: its id only, never the key.
create table data_key (
    id         integer primary key check (id = 1),
    key_id     text    not null,
    created_at text    not null
);

-- The client's note moves out of `submissions` (its check would refuse a sealed note, and a
-- table so many others refer to is not rebuilt).
create table client_notes (
    submission_id integer primary key references submissions (id) on delete cascade,
    body          text    not null
);
insert into client_notes (submission_id, body)
    select id, note from submissions where note is not null;
update submissions set note = null where note is not null;

-- Bookings: the outbox refers to them, and dropping the old table would delete (cascade) those
-- messages, so their links are set aside and put back.
create table bookings_new (
    id                integer primary key,
    submission_id     integer not null references submissions (id) on delete cascade,
    clinician_id      integer not null references clinicians (id),
    starts_at         text    not null,
    ends_at           text    not null,
    practice_zone     text    not null,
    client_zone       text    not null,
    client_name       text    not null,
    client_email      text    not null,
    client_phone      text    not null,
    manage_token_hash text    not null,
    request_key       text    not null unique,
    status            text    not null default 'booked' check (status in ('booked', 'cancelled')),
    sequence          integer not null default 0,
    cancelled_at      text,
    created_at        text    not null,
    updated_at        text    not null,
    for_couple        integer not null default 0 check (for_couple in (0, 1)),
    routing           text    check (routing in ('matched', 'no_fit', 'override')),
    check (ends_at > starts_at),
    check ((status = 'cancelled') = (cancelled_at is not null))
);
insert into bookings_new (id, submission_id, clinician_id, starts_at, ends_at, practice_zone,
        client_zone, client_name, client_email, client_phone, manage_token_hash, request_key,
        status, sequence, cancelled_at, created_at, updated_at, for_couple, routing)
    select id, submission_id, clinician_id, starts_at, ends_at, practice_zone, client_zone,
        client_name, client_email, client_phone, manage_token_hash, request_key, status,
        sequence, cancelled_at, created_at, updated_at, for_couple, routing
    from bookings;
create temp table outbox_bookings as
    select id, booking_id from outbox where booking_id is not null;
update outbox set booking_id = null where booking_id is not null;
drop table bookings;
alter table bookings_new rename to bookings;
update outbox set booking_id = (select k.booking_id from outbox_bookings k where k.id = outbox.id)
    where id in (select id from outbox_bookings);
drop table outbox_bookings;
create unique index bookings_one_per_slot on bookings (clinician_id, starts_at)
    where status = 'booked';
create unique index bookings_one_per_submission on bookings (submission_id)
    where status = 'booked';
create index bookings_manage_token on bookings (manage_token_hash);
create index bookings_clinician_time on bookings (clinician_id, ends_at);

-- The name index: keyed terms of each booking's client name (seal.rs), never the name.
create table booking_name_terms (
    term       text    not null,
    booking_id integer not null references bookings (id) on delete cascade,
    primary key (term, booking_id)
);
create index booking_name_terms_booking on booking_name_terms (booking_id);

create table clinician_notes_new (
    id            integer primary key,
    submission_id integer not null references submissions (id) on delete cascade,
    clinician_id  integer not null references clinicians (id),
    body          text    not null,
    created_at    text    not null
);
insert into clinician_notes_new (id, submission_id, clinician_id, body, created_at)
    select id, submission_id, clinician_id, body, created_at from clinician_notes;
drop table clinician_notes;
alter table clinician_notes_new rename to clinician_notes;
create index clinician_notes_submission on clinician_notes (submission_id, id);

create table safe_contacts_new (
    submission_id integer primary key references submissions (id) on delete cascade,
    phone         text,
    email         text,
    voicemail_ok  text check (voicemail_ok in ('yes', 'no')),
    texts_ok      text check (texts_ok in ('yes', 'no')),
    safe_times    text,
    ask_for       text,
    calendar_ok   text check (calendar_ok in ('yes', 'no')),
    created_at    text not null
);
insert into safe_contacts_new (submission_id, phone, email, voicemail_ok, texts_ok, safe_times,
        ask_for, calendar_ok, created_at)
    select submission_id, phone, email, voicemail_ok, texts_ok, safe_times, ask_for,
        calendar_ok, created_at
    from safe_contacts;
drop table safe_contacts;
alter table safe_contacts_new rename to safe_contacts;

-- The safety pathway (docs/safety.md): what each client agreed to before the first question,
-- how the practice may reach them safely, the clinicians' first contact after a check-in that
-- asks for review, and every joint consult booked despite a safety hold.

-- One row per policy version a client agreed to: a changed policy is asked about again.
create table consents (
    submission_id  bigint      not null references submissions (id) on delete cascade,
    policy_version text    not null check (length(policy_version) between 1 and 64),
    accepted_at    timestamptz not null,
    primary key (submission_id, policy_version)
);

-- Asked of everyone at the private check-in, every field optional. Only clinicians see it;
-- it decides how the practice's messages reach this person, and never reaches the partner.
-- `voicemail_ok`, `texts_ok`, `calendar_ok`: 'yes', 'no', or null when not answered.
create table safe_contacts (
    submission_id bigint primary key references submissions (id) on delete cascade,
    phone         text check (phone is null or length(phone) <= 40),
    email         text check (email is null or length(email) <= 254),
    voicemail_ok  text check (voicemail_ok in ('yes', 'no')),
    texts_ok      text check (texts_ok in ('yes', 'no')),
    safe_times    text check (safe_times is null or length(safe_times) <= 200),
    ask_for       text check (ask_for is null or length(ask_for) <= 80),
    calendar_ok   text check (calendar_ok in ('yes', 'no')),
    created_at    timestamptz not null
);

-- Each try a clinician made to reach a client after a check-in that asks for review. Only an
-- outcome of 'spoke' takes the intake off the needs-review queue.
create table first_contacts (
    id            bigint generated always as identity primary key,
    submission_id bigint      not null references submissions (id) on delete cascade,
    clinician_id  bigint  not null references clinicians (id),
    contacted_at  timestamptz not null,
    channel       text    not null check (channel in ('safe_phone', 'safe_email', 'booking_phone', 'booking_email', 'in_person', 'other')),
    outcome       text    not null check (outcome in ('spoke', 'not_a_good_time', 'no_answer', 'message_left', 'unreachable')),
    created_at    timestamptz not null
);
create index first_contacts_submission on first_contacts (submission_id, outcome);

-- A joint consult booked while a partner's check-in holds joint sessions: who, and why.
create table hold_overrides (
    id            bigint generated always as identity primary key,
    submission_id bigint      not null references submissions (id) on delete cascade,
    clinician_id  bigint  not null references clinicians (id),
    reason        text    not null check (length(reason) between 1 and 500),
    created_at    timestamptz not null
);
create index hold_overrides_submission on hold_overrides (submission_id);

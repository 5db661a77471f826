-- Referring clients out (docs/referral.md): the practice's directory, and each referral of one
-- person to entries of it, with how its loop closed. The directory holds no client data.

create table directory_entries (
    id            bigint generated always as identity primary key,
    name          text    not null check (length(name) between 1 and 200),
    kind          text    not null check (kind in ('organisation', 'clinician')),
    -- `;`-wrapped category keys, e.g. ';domestic_violence;shelter;'.
    categories    text    not null,
    languages     text    not null default '',
    modalities    text    not null default '',
    delivery      text    not null check (delivery in ('in_person', 'telehealth', 'both')),
    location      text    not null default '',
    fees          text    not null default '',
    sliding_scale smallint not null check (sliding_scale in (0, 1)),
    accepting     smallint not null check (accepting in (0, 1)),
    phone         text    not null default '',
    email         text    not null default '',
    website       text    not null default '',
    how_to_refer  text    not null default '',
    last_checked  date    not null,
    -- Set instead of deleting: a referral may point to it.
    retired_at    timestamptz,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create index directory_entries_name on directory_entries (name);

-- One person referred out: never "the couple". `token_hash` is the SHA-256 of the client's
-- private link to their list (the secret is only in their message).
create table referrals (
    id             bigint generated always as identity primary key,
    submission_id  bigint  not null references submissions (id) on delete cascade,
    clinician_id   bigint  not null references clinicians (id),
    reason         text    not null,
    message        text    check (message is null or length(message) <= 1000),
    token_hash     text    not null unique,
    -- Where it went: 'email' (the address is in the outbox only) or 'print' (no email).
    channel        text    not null check (channel in ('email', 'print')),
    outcome        text    check (outcome in ('connected', 'not_connected', 'declined')),
    outcome_note   text    check (outcome_note is null or length(outcome_note) <= 500),
    followed_up_at timestamptz,
    closed_at      timestamptz,
    sent_at        timestamptz not null,
    updated_at     timestamptz not null
);
create index referrals_submission on referrals (submission_id);
create index referrals_open on referrals (closed_at, sent_at);

create table referral_entries (
    referral_id bigint  not null references referrals (id) on delete cascade,
    entry_id    bigint  not null references directory_entries (id),
    position    integer not null,
    primary key (referral_id, entry_id)
);

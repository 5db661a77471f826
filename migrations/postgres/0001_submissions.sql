-- A submission is one person's pass through the trust questionnaire.
-- The resume token is a secret held by the client; only its SHA-256 is stored,
-- so a copy of the database cannot be used to reopen anyone's answers.
create table submissions (
    id                 bigint generated always as identity primary key,
    reference          text        not null unique,
    resume_token_hash  text        not null unique,
    instrument_version integer     not null check (instrument_version > 0),
    status             text        not null default 'in_progress'
                                   check (status in ('in_progress', 'submitted')),
    note               text        check (note is null or length(note) <= 2000),
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    submitted_at       timestamptz,
    check ((status = 'submitted') = (submitted_at is not null))
);

create table answers (
    submission_id bigint      not null references submissions (id) on delete cascade,
    item_id       text        not null,
    value         smallint    not null check (value between 1 and 5),
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    primary key (submission_id, item_id)
);

-- The scored result is stored, never recomputed: a later instrument version
-- must not reinterpret what a client was shown.
create table results (
    submission_id      bigint      primary key references submissions (id) on delete cascade,
    instrument_version integer     not null,
    overall            smallint    not null check (overall between 0 and 100),
    band               text        not null,
    created_at         timestamptz not null
);

create table result_dimensions (
    submission_id bigint      not null references results (submission_id) on delete cascade,
    dimension     text        not null,
    score         smallint    not null check (score between 0 and 100),
    created_at    timestamptz not null,
    primary key (submission_id, dimension)
);

create index submissions_created_at on submissions (created_at desc, id desc);

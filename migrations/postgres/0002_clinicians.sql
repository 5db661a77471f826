-- Clinicians and admins who log in to the workspace.
create table clinicians (
    id             bigint generated always as identity primary key,
    email          text        not null unique,
    display_name   text        not null,
    password_hash  text        not null,
    role           text        not null check (role in ('admin', 'clinician')),
    active         smallint    not null default 1 check (active in (0, 1)),
    failed_logins  integer     not null default 0,
    locked_until   timestamptz,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

-- Server-side sessions: the cookie holds only a random id.
create table sessions (
    id           text        primary key,
    data         text        not null,
    expires_at   bigint      not null,
    clinician_id bigint      references clinicians (id) on delete cascade,
    created_at   timestamptz not null
);
create index sessions_expires_at on sessions (expires_at);
create index sessions_clinician on sessions (clinician_id);

-- Every view of a submission, and every change, by whom and when.
create table audit_events (
    id            bigint generated always as identity primary key,
    clinician_id  bigint      not null references clinicians (id),
    action        text        not null,
    submission_id bigint      references submissions (id) on delete set null,
    created_at    timestamptz not null
);
create index audit_events_created_at on audit_events (created_at desc, id desc);

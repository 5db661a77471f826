-- The practice's own workflow for a submission, separate from the client's progress.
alter table submissions add column workflow text not null default 'new'
    check (workflow in ('new', 'contacted', 'consult_booked', 'in_therapy', 'referred_out', 'closed'));

-- Every status change, by whom and when.
create table workflow_events (
    id            integer primary key,
    submission_id integer not null references submissions (id) on delete cascade,
    clinician_id  integer not null references clinicians (id),
    from_status   text not null,
    to_status     text not null,
    created_at    text not null
);
create index workflow_events_submission on workflow_events (submission_id, id);

-- Clinicians' private notes on a submission. Never shown to clients.
create table clinician_notes (
    id            integer primary key,
    submission_id integer not null references submissions (id) on delete cascade,
    clinician_id  integer not null references clinicians (id),
    body          text not null check (length(body) between 1 and 5000),
    created_at    text not null
);
create index clinician_notes_submission on clinician_notes (submission_id, id);

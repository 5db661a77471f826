-- A client's own online booking or cancellation moves their submission too: such a status change
-- has no clinician (clinician_id is null). SQLite cannot drop a NOT NULL, so the table is rebuilt;
-- nothing references it.
create table workflow_events_new (
    id            integer primary key,
    submission_id integer not null references submissions (id) on delete cascade,
    clinician_id  integer references clinicians (id),
    from_status   text not null,
    to_status     text not null,
    created_at    text not null
);
insert into workflow_events_new (id, submission_id, clinician_id, from_status, to_status, created_at)
    select id, submission_id, clinician_id, from_status, to_status, created_at from workflow_events;
drop table workflow_events;
alter table workflow_events_new rename to workflow_events;
create index workflow_events_submission on workflow_events (submission_id, id);

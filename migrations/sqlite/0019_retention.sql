-- Retention: the daily purge records what it removed (counts only) in the audit log, as the
-- app itself rather than a clinician, so an audit row may name no clinician. SQLite cannot drop
-- a NOT NULL, so the table is rebuilt with its rows.
create table audit_events_new (
    id            integer primary key,
    clinician_id  integer references clinicians (id),
    action        text    not null,
    submission_id integer references submissions (id) on delete set null,
    created_at    text    not null
);
insert into audit_events_new (id, clinician_id, action, submission_id, created_at)
    select id, clinician_id, action, submission_id, created_at from audit_events;
drop table audit_events;
alter table audit_events_new rename to audit_events;
create index audit_events_created_at on audit_events (created_at desc, id desc);

-- Delivered messages lose their contents: the purge finds them by when they were sent.
create index outbox_sent on outbox (sent_at) where status = 'sent';

-- Check-in version 3 (docs/safety.md): seventeen questions, with the lethality markers version 2
-- lacked. Rows keep the version they were answered under. SQLite cannot alter a CHECK, so the
-- table is rebuilt (nothing refers to it).
create table safety_screens_new (
    submission_id integer primary key references submissions (id) on delete cascade,
    answers       text    not null,
    positive      integer not null check (positive in (0, 1)),
    created_at    text    not null,
    version       integer not null default 1 check (version in (1, 2, 3)),
    urgent        integer not null default 0 check (urgent in (0, 1)),
    spoke         integer not null default 0 check (spoke in (0, 1)),
    escalated_at  text
);
insert into safety_screens_new (submission_id, answers, positive, created_at, version, urgent,
        spoke, escalated_at)
    select submission_id, answers, positive, created_at, version, urgent, spoke, escalated_at
    from safety_screens;
drop table safety_screens;
alter table safety_screens_new rename to safety_screens;
create index safety_screens_review on safety_screens (positive, urgent, created_at);
create index safety_screens_waiting on safety_screens (urgent desc, created_at, submission_id)
    where positive = 1 and spoke = 0;

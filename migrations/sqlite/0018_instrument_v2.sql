-- Instrument version 2: an answer may be 0, "Doesn't apply to me" (offered by a few version 2
-- statements), and a result records where the person is about the relationship (leaning in,
-- unsure, out or decided), which the couples rules and the workspace list read.
--
-- SQLite cannot alter a CHECK, so the answers table is rebuilt with its rows.
create table answers_v2 (
    submission_id integer not null references submissions (id) on delete cascade,
    item_id       text    not null,
    value         integer not null check (value between 0 and 5),
    created_at    text    not null,
    updated_at    text    not null,
    primary key (submission_id, item_id)
);
insert into answers_v2 (submission_id, item_id, value, created_at, updated_at)
    select submission_id, item_id, value, created_at, updated_at from answers;
drop table answers;
alter table answers_v2 rename to answers;

alter table results add column leaning text
    check (leaning is null or leaning in ('in', 'unsure', 'out', 'decided'));

-- Version 1 had no direct question: only the clear ends of its Willingness score count
-- (70 and over leans in, under 40 leans out), which is the mixed-agenda rule it was read by.
update results set leaning = (
    select case when d.score >= 70 then 'in' when d.score < 40 then 'out' end
    from result_dimensions d
    where d.submission_id = results.submission_id and d.dimension = 'willingness'
) where instrument_version = 1;

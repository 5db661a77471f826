-- A positive check-in leaves the needs-review queue once a clinician has recorded speaking with
-- the person (a first contact whose outcome is `spoke`). Kept on the check-in, so the queue
-- reads only those still waiting through a small index, not every positive check-in there
-- ever was, each with a look-up in first_contacts.
alter table safety_screens add column spoke integer not null default 0 check (spoke in (0, 1));
update safety_screens set spoke = 1
    where exists (select 1 from first_contacts f
                  where f.submission_id = safety_screens.submission_id and f.outcome = 'spoke');
create index safety_screens_waiting on safety_screens (urgent desc, created_at, submission_id)
    where positive = 1 and spoke = 0;

-- Ownership inside the practice (docs/referral.md): who looks after each submission (a
-- couple's two submissions share an owner), and the intake-coordinator role, kept beside
-- `role` so existing accounts and their checks are untouched: a coordinator is a non-admin
-- account ('clinician' role) whose title is 'intake_coordinator'.
alter table submissions add column owner_id integer references clinicians (id);
create index submissions_owner on submissions (owner_id, id);
alter table clinicians add column title text not null default 'clinician'
    check (title in ('clinician', 'intake_coordinator'));

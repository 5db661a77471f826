-- Intake answers, the reason for booking through a safety hold and a referral's reason are
-- sealed at rest (security review 3, N1): the next start seals the values stored in clear.
-- A sealed value is longer than the text it holds, so the length checks allow for it. The
-- closed answers the workspace filters on keep a keyed tag (`tag`, an HMAC under the data
-- key) to filter by instead of the answer. SQLite cannot alter a CHECK, so both tables are
-- rebuilt (nothing refers to either).
create table intake_answers_new (
    submission_id integer not null references submissions (id) on delete cascade,
    question_key  text    not null check (length(question_key) between 1 and 40),
    form_version  integer not null references intake_forms (version),
    value         text    not null check (length(value) between 1 and 16000),
    tag           text,
    updated_at    text    not null,
    primary key (submission_id, question_key)
);
insert into intake_answers_new (submission_id, question_key, form_version, value, updated_at)
    select submission_id, question_key, form_version, value, updated_at from intake_answers;
drop table intake_answers;
alter table intake_answers_new rename to intake_answers;
create index intake_answers_by_tag on intake_answers (question_key, tag, submission_id)
    where tag is not null;

create table hold_overrides_new (
    id            integer primary key,
    submission_id integer not null references submissions (id) on delete cascade,
    clinician_id  integer not null references clinicians (id),
    reason        text    not null check (length(reason) between 1 and 4000),
    created_at    text    not null
);
insert into hold_overrides_new (id, submission_id, clinician_id, reason, created_at)
    select id, submission_id, clinician_id, reason, created_at from hold_overrides;
drop table hold_overrides;
alter table hold_overrides_new rename to hold_overrides;
create index hold_overrides_submission on hold_overrides (submission_id);

-- The intake form (docs/intake.md): each published version of the practice's form, each
-- client's answers (every one keeps the version it was answered under, so it reads with the
-- wording it was given), and when a client finished the intake pages.

-- One row per published version; `definition` is the form as JSON (questions in order).
create table intake_forms (
    version      integer primary key check (version > 0),
    definition   text    not null,
    published_by integer references clinicians (id) on delete set null,
    published_at text    not null
);

create table intake_answers (
    submission_id integer not null references submissions (id) on delete cascade,
    question_key  text    not null check (length(question_key) between 1 and 40),
    form_version  integer not null references intake_forms (version),
    value         text    not null check (length(value) between 1 and 4000),
    updated_at    text    not null,
    primary key (submission_id, question_key)
);
-- The workspace filters on a few built-in answers (how to meet, children at home).
create index intake_answers_by_value on intake_answers (question_key, value, submission_id);

create table intakes (
    submission_id integer primary key references submissions (id) on delete cascade,
    finished_at   text    not null
);

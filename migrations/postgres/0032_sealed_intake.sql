-- Intake answers, the reason for booking through a safety hold and a referral's reason are
-- sealed at rest (security review 3, N1): the next start seals the values stored in clear.
-- A sealed value is longer than the text it holds, so the length checks allow for it. The
-- closed answers the workspace filters on keep a keyed tag (`tag`, an HMAC under the data
-- key) to filter by instead of the answer.
alter table intake_answers drop constraint intake_answers_value_check;
alter table intake_answers add constraint intake_answers_value_check
    check (length(value) between 1 and 16000);
alter table intake_answers add column tag text;
drop index intake_answers_by_value;
create index intake_answers_by_tag on intake_answers (question_key, tag, submission_id)
    where tag is not null;

alter table hold_overrides drop constraint hold_overrides_reason_check;
alter table hold_overrides add constraint hold_overrides_reason_check
    check (length(reason) between 1 and 4000);

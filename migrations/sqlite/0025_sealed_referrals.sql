-- A referral's message to the client and the note on how it went are sealed too
-- (src/server/db/seal.rs): either may say something about the person's health. A sealed value
-- is longer than its text and SQLite cannot alter the old columns' length checks, so both move
-- to a table of their own; the app checks each length before sealing.
create table referral_texts (
    referral_id  integer primary key references referrals (id) on delete cascade,
    message      text,
    outcome_note text
);
insert into referral_texts (referral_id, message, outcome_note)
    select id, message, outcome_note from referrals
    where message is not null or outcome_note is not null;
update referrals set message = null, outcome_note = null
    where message is not null or outcome_note is not null;

-- Which list of sealed fields the stored values follow: a database sealed by an earlier
-- version has values of the fields added since still in clear, and the next start seals them.
alter table data_key add column sealed_fields integer not null default 1;

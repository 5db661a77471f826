-- A message sent on a client's behalf names the submission it is about, so that erasing the
-- submission removes it with everything else (an unsent cancellation is let go first: it still
-- goes out, then loses its contents with the other delivered messages).
alter table outbox add column submission_id bigint references submissions (id) on delete cascade;
update outbox set submission_id = (select b.submission_id from bookings b where b.id = outbox.booking_id)
    where booking_id is not null;
create index outbox_submission on outbox (submission_id) where submission_id is not null;

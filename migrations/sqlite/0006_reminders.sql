-- Messages about a booking name it, so a cancellation or a move can withdraw the reminder
-- that has not gone out yet (a reminder waits in the outbox until its next_attempt_at).
alter table outbox add column booking_id integer references bookings (id) on delete cascade;
create index outbox_booking on outbox (booking_id) where booking_id is not null;

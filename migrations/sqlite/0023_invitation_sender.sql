-- Which device asked for a partner invitation to be emailed: a keyed hash of its address
-- (never the address), so one device cannot use up the practice's daily invitations. Emptied
-- with the message's other contents after delivery.
alter table outbox add column sender text;

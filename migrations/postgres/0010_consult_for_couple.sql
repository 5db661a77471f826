-- Whether a consult is the couple's, together, or for one partner only (an individual consult
-- the practice books, after a private check-in for instance). Only a couple's consult shows on
-- the other partner's pages, counts as their consult and moves their workflow.
alter table bookings add column for_couple boolean not null default false;
-- Until now every consult booked by a partner was the couple's.
update bookings set for_couple = true
    where submission_id in (select id from submissions where couple_id is not null);

-- The name index also names each term's submission, so the workspace's name search reads the
-- newest matching submissions straight from one index, in order, and stops at a page: through
-- the booking it had to fetch and sort every match first (thousands for two typed letters).
alter table booking_name_terms add column submission_id bigint
    references submissions (id) on delete cascade;
update booking_name_terms set submission_id =
    (select b.submission_id from bookings b where b.id = booking_name_terms.booking_id);
alter table booking_name_terms alter column submission_id set not null;
create index booking_name_terms_by_submission on booking_name_terms (term, submission_id);

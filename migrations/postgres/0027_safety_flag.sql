-- Whether a submission's own private check-in or its partner's is positive, kept on the
-- submission so the workspace's safety filter walks a small index of flagged submissions
-- newest first. Working it out per row meant two look-ups for every submission passed over on
-- the way to a page (about 10 ms at 1M rows on PostgreSQL). The app sets it afresh in the
-- transaction of everything that changes it: a check-in, partner B joining, a partner erased.
alter table submissions add column safety_flag smallint not null default 0
    check (safety_flag in (0, 1));
update submissions set safety_flag = 1
    where id in (select f.submission_id from safety_screens f where f.positive = 1)
       or couple_id in (select p.couple_id from safety_screens f
                        join submissions p on p.id = f.submission_id
                        where f.positive = 1 and p.couple_id is not null);
create index submissions_safety on submissions (id) where safety_flag = 1;

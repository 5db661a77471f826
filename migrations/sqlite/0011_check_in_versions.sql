-- The private check-in is versioned: version 1 asked five questions, version 2 asks fourteen
-- (docs/safety.md). Each row keeps the version it was answered under, so it is read against
-- the questions it answered. `urgent` marks a check-in for same-day review.
alter table safety_screens add column version integer not null default 1 check (version in (1, 2));
alter table safety_screens add column urgent integer not null default 0 check (urgent in (0, 1));

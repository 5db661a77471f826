-- The workspace's "check-in not answered" list reads finished intakes by when they finished
-- (clinical review 3, N9): the recent ones, oldest first.
create index submissions_submitted on submissions (submitted_at) where status = 'submitted';

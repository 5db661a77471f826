-- Instrument version 2: an answer may be 0, "Doesn't apply to me" (offered by a few version 2
-- statements), and a result records where the person is about the relationship (leaning in,
-- unsure, out or decided), which the couples rules and the workspace list read.
alter table answers drop constraint answers_value_check;
alter table answers add constraint answers_value_check check (value between 0 and 5);

alter table results add column leaning text
    check (leaning is null or leaning in ('in', 'unsure', 'out', 'decided'));

-- Version 1 had no direct question: only the clear ends of its Willingness score count
-- (70 and over leans in, under 40 leans out), which is the mixed-agenda rule it was read by.
update results r set leaning = case when d.score >= 70 then 'in' when d.score < 40 then 'out' end
from result_dimensions d
where d.submission_id = r.submission_id and d.dimension = 'willingness'
  and r.instrument_version = 1;

-- When an urgent check-in passed its review target with nobody having spoken with the client,
-- one message goes to the practice's on-call address (REVIEW_ESCALATION_EMAIL). This is when it
-- was queued: set once, by whichever instance gets there first, so it is never sent twice.
alter table safety_screens add column escalated_at timestamptz;

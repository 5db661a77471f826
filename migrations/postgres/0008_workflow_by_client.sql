-- A client's own online booking or cancellation moves their submission too: such a status change
-- has no clinician (clinician_id is null).
alter table workflow_events alter column clinician_id drop not null;

-- Retention: the daily purge records what it removed (counts only) in the audit log, as the
-- app itself rather than a clinician, so an audit row may name no clinician.
alter table audit_events alter column clinician_id drop not null;

-- Delivered messages lose their contents: the purge finds them by when they were sent.
create index outbox_sent on outbox (sent_at) where status = 'sent';

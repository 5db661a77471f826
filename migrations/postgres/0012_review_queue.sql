-- The workspace's needs-review queue reads positive check-ins, urgent first, oldest first.
create index safety_screens_review on safety_screens (positive, urgent, created_at);

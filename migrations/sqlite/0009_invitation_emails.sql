-- Partner A may have the practice email the invitation to partner B: a few times at most, so
-- nobody can use the practice's mail server to write to strangers.
alter table invitations add column emails_sent integer not null default 0;

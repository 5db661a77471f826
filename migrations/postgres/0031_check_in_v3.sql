-- Check-in version 3 (docs/safety.md): seventeen questions, with the lethality markers version 2
-- lacked. Rows keep the version they were answered under.
alter table safety_screens drop constraint safety_screens_version_check;
alter table safety_screens add constraint safety_screens_version_check check (version in (1, 2, 3));

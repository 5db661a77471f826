-- Browsers a staff account has finished a login on (password, and the code where two-step is
-- on). A lock after wrong passwords stops every other browser, so someone who knows only the
-- email address cannot keep the owner out by guessing after each unlock (security F2).
-- Only the SHA-256 of the browser's random cookie is kept. One browser can be known to several
-- accounts (a shared desk), so the pair is the key.
create table known_devices (
    token_hash   text    not null,
    clinician_id integer not null references clinicians (id) on delete cascade,
    created_at   text    not null,
    last_seen_at text    not null,
    primary key (token_hash, clinician_id)
);
create index known_devices_by_clinician on known_devices (clinician_id, last_seen_at);

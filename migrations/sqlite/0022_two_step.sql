-- Two-step sign-in for staff (src/server/auth/totp.rs). The secret is sealed like other
-- sensitive fields; `enabled_at` is null while the account is still setting it up.
-- `last_step` is the last 30-second step a code was accepted for: no code works twice.
create table clinician_mfa (
    clinician_id integer primary key references clinicians (id) on delete cascade,
    secret       text    not null,
    last_step    integer not null default 0,
    enabled_at   text
);

-- One-time recovery codes: SHA-256 of each, never the code.
create table recovery_codes (
    clinician_id integer not null references clinicians (id) on delete cascade,
    code_hash    text    not null,
    used_at      text,
    primary key (clinician_id, code_hash)
);

-- Sensitive fields are stored sealed (src/server/db/seal.rs). A sealed value is longer than the
-- text it holds, so the length checks on those columns stay in the app, which checks every
-- value before sealing it.

-- Which data key the database is sealed under: its id only, never the key.
create table data_key (
    id         integer     primary key check (id = 1),
    key_id     text        not null,
    created_at timestamptz not null
);

-- The client's note moves out of `submissions`, as on SQLite (which cannot drop its check).
create table client_notes (
    submission_id bigint primary key references submissions (id) on delete cascade,
    body          text   not null
);
insert into client_notes (submission_id, body)
    select id, note from submissions where note is not null;
update submissions set note = null where note is not null;

alter table bookings drop constraint if exists bookings_client_name_check;
alter table bookings drop constraint if exists bookings_client_email_check;
alter table bookings drop constraint if exists bookings_client_phone_check;
alter table clinician_notes drop constraint if exists clinician_notes_body_check;
alter table safe_contacts drop constraint if exists safe_contacts_phone_check;
alter table safe_contacts drop constraint if exists safe_contacts_email_check;
alter table safe_contacts drop constraint if exists safe_contacts_safe_times_check;
alter table safe_contacts drop constraint if exists safe_contacts_ask_for_check;

-- The name index: keyed terms of each booking's client name (seal.rs), never the name.
create table booking_name_terms (
    term       text   not null,
    booking_id bigint not null references bookings (id) on delete cascade,
    primary key (term, booking_id)
);
create index booking_name_terms_booking on booking_name_terms (booking_id);

-- Each clinician's private calendar feed (issue 26, consults out): only the SHA-256 of the
-- address's secret is kept, one per account; making a new one replaces it.
create table calendar_feeds (
    clinician_id bigint primary key references clinicians (id) on delete cascade,
    token_hash   text not null unique,
    created_at   timestamptz not null
);

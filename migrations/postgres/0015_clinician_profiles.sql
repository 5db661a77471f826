-- Matching inside the practice (docs/referral.md): each clinician's profile, and why a consult
-- went to the clinician it went to.
create table clinician_profiles (
    clinician_id      bigint  primary key references clinicians (id) on delete cascade,
    -- `;`-wrapped specialty keys, e.g. ';discernment;ipv_informed;'.
    specialties       text    not null,
    languages         text    not null default '',
    accepting_couples smallint not null check (accepting_couples in (0, 1)),
    consult_format    text    not null check (consult_format in ('in_person', 'video')),
    consult_place     text    not null default '' check (length(consult_place) <= 300),
    updated_at        timestamptz not null
);

-- 'matched': a clinician who fits the recommendation; 'no_fit': nobody fitted, the first free
-- calendar took it; 'override': the practice chose any free clinician. Null before routing.
alter table bookings add column routing text check (routing in ('matched', 'no_fit', 'override'));

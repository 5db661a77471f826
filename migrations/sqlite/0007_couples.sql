-- Two partners doing the intake together. A couple exists once partner A invites B.
create table couples (
    id         integer primary key,
    created_at text    not null
);

-- Each partner's questionnaire belongs to the couple under their role. Partner B's only way in
-- is the invitation; neither partner's token opens the other's submission.
alter table submissions add column couple_id integer references couples (id);
alter table submissions add column partner text check (partner in ('a', 'b'));
create unique index submissions_couple_partner on submissions (couple_id, partner)
    where couple_id is not null;

-- The invitation A sends B: single-purpose, single-use, and it expires.
-- Only the SHA-256 of its secret is stored.
create table invitations (
    id            integer primary key,
    couple_id     integer not null unique references couples (id) on delete cascade,
    token_hash    text    not null unique,
    expires_at    text    not null,
    used_at       text,
    created_at    text    not null
);

-- Each partner's private safety screen. Never shown to the other partner by any path;
-- clinicians see it on the submission.
create table safety_screens (
    submission_id integer primary key references submissions (id) on delete cascade,
    answers       text    not null,
    positive      integer not null check (positive in (0, 1)),
    created_at    text    not null
);

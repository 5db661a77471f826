-- Email is data first: a message is written here in the same transaction as the event that
-- causes it, and a worker delivers it. Nothing is lost when the mail server is down.
create table outbox (
    id              integer primary key,
    -- Stable across retries, so a redelivery after a crash is recognisable.
    message_id      text    not null unique,
    kind            text    not null,
    recipient       text    not null,
    subject         text    not null,
    body_text       text    not null,
    body_html       text    not null,
    status          text    not null default 'pending'
                            check (status in ('pending', 'sending', 'sent', 'dead')),
    attempts        integer not null default 0,
    next_attempt_at text     not null,
    claimed_at      text,
    last_error      text,
    created_at      text     not null,
    sent_at         text
);
create index outbox_due on outbox (status, next_attempt_at);

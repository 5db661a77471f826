//! The email outbox: messages written with the event that causes them, delivered by a worker.

use chrono::{DateTime, Duration, Utc};

use sqlx::{Database, Encode, Executor, IntoArguments, Type};

use super::seal::{Field, Sealer};
use super::{with_pool, Db};

/// A message to be sent. Rendered before it is stored, so a template change never alters a
/// message already queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub message_id: String,
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// An iCalendar attachment (`text/calendar`), for a client's booking confirmation.
    pub calendar: Option<String>,
    /// Not to be sent before this instant (a reminder); `None`: as soon as possible.
    pub send_after: Option<DateTime<Utc>>,
}

/// A message claimed for delivery.
#[derive(Debug, Clone)]
pub struct QueuedEmail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub calendar: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i32,
}

// Parameters appear in the order they are bound, so the SQL reads like the bind list below.
const INSERT_OUTBOX: &str = "insert into outbox \
    (message_id, kind, recipient, subject, body_text, body_html, created_at, calendar, \
     next_attempt_at, booking_id, submission_id, status, attempts) \
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', 0)";

/// Queues `email` on the transaction of the event that causes it, so the message exists if and
/// only if the event is committed. With `booking`, the message is about that booking (so a
/// cancellation can withdraw its reminder). Generic over the backend.
pub(crate) async fn queue<'e, E, DB>(
    executor: E,
    sealer: &Sealer,
    email: &NewEmail,
    now: DateTime<Utc>,
    (booking, submission): (Option<i64>, Option<i64>),
) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    // A message names its recipient and holds their links until it is delivered: sealed.
    sqlx::query::<DB>(INSERT_OUTBOX)
        .bind(email.message_id.clone())
        .bind(email.kind.to_owned())
        .bind(sealer.seal(Field::MailRecipient, &email.recipient)?)
        .bind(sealer.seal(Field::MailSubject, &email.subject)?)
        .bind(sealer.seal(Field::MailText, &email.body_text)?)
        .bind(sealer.seal(Field::MailHtml, &email.body_html)?)
        .bind(now)
        .bind(sealer.seal_opt(Field::MailCalendar, email.calendar.as_deref())?)
        .bind(email.send_after.unwrap_or(now))
        .bind(booking)
        .bind(submission)
        .execute(executor)
        .await?;
    Ok(())
}

/// Counts of messages by state, for admins and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sending: i64,
    pub sent: i64,
    pub dead: i64,
}

impl Db {
    /// Claims the oldest message that is due, or one whose sender vanished mid-send (claimed
    /// longer than `stale_after` ago). One conditional `update … returning` does the claim, so
    /// two app instances never send the same message at the same time: on PostgreSQL the loser
    /// of a race re-checks the `where` after the winner commits and updates nothing.
    pub async fn claim_email(
        &self,
        now: DateTime<Utc>,
        stale_after: Duration,
    ) -> Result<Option<QueuedEmail>, sqlx::Error> {
        let stale = now - stale_after;
        let sql = "update outbox set status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                   where id = (select id from outbox \
                               where (status = 'pending' and next_attempt_at <= $1) \
                                  or (status = 'sending' and claimed_at < $2) \
                               order by id limit 1) \
                     and ((status = 'pending' and next_attempt_at <= $1) \
                          or (status = 'sending' and claimed_at < $2)) \
                   returning id, message_id, recipient, subject, body_text, body_html, calendar, attempts";
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            i32,
        );
        let row: Option<Row> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(now).bind(stale).fetch_optional(pool).await?
        });
        let open = |field, value| self.sealer.open(field, value);
        row.map(
            |(id, message_id, recipient, subject, body_text, body_html, calendar, attempts)| {
                Ok(QueuedEmail {
                    id,
                    message_id,
                    recipient: open(Field::MailRecipient, recipient)?,
                    subject: open(Field::MailSubject, subject)?,
                    body_text: open(Field::MailText, body_text)?,
                    body_html: open(Field::MailHtml, body_html)?,
                    calendar: self.sealer.open_opt(Field::MailCalendar, calendar)?,
                    attempts,
                })
            },
        )
        .transpose()
    }

    pub async fn mark_email_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        let sql =
            "update outbox set status = 'sent', sent_at = $2, last_error = null where id = $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(id).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// Records a failed attempt: try again at `retry_at`, or give up (`None`: dead letter).
    pub async fn mark_email_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), sqlx::Error> {
        let sql = match retry_at {
            Some(_) => {
                "update outbox set status = 'pending', next_attempt_at = $3, last_error = $2 \
                        where id = $1"
            }
            None => "update outbox set status = 'dead', last_error = $2 where id = $1",
        };
        // A mail server's answer may quote the recipient's address.
        let error = self.sealer.seal(Field::MailError, error)?;
        with_pool!(self, pool => {
            let mut q = sqlx::query(sql).bind(id).bind(&error);
            if let Some(at) = retry_at {
                q = q.bind(at);
            }
            q.execute(pool).await?;
        });
        Ok(())
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, sqlx::Error> {
        let sql = "select status, count(*) from outbox group by status";
        let rows: Vec<(String, i64)> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match status.as_str() {
                "pending" => counts.pending = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "dead" => counts.dead = n,
                _ => {}
            }
        }
        Ok(counts)
    }
}

/// A message that has not gone out yet after trying, for the admins' email page.
#[derive(Debug, Clone)]
pub struct OutboxProblem {
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

impl Db {
    /// Dead letters and messages that failed at least once, newest first.
    pub async fn outbox_problems(&self, limit: u32) -> Result<Vec<OutboxProblem>, sqlx::Error> {
        let sql = "select kind, status, attempts, created_at, last_error from outbox \
                   where status = 'dead' or (status <> 'sent' and attempts > 0) \
                   order by id desc limit $1";
        type Row = (String, String, i32, DateTime<Utc>, Option<String>);
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(i64::from(limit)).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(kind, status, attempts, created_at, last_error)| {
                Ok(OutboxProblem {
                    kind,
                    status,
                    attempts,
                    created_at,
                    last_error: self.sealer.open_opt(Field::MailError, last_error)?,
                })
            })
            .collect()
    }
}

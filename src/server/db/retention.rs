//! Retention: what the practice keeps, and for how long. The purge removes unfinished
//! questionnaires once their private link has expired, closed submissions after the practice's
//! retention period (off unless set), and the contents of delivered messages, and records what
//! it did as counts only.

use chrono::{DateTime, Duration, Utc};

use super::audit::{write_by_app, AuditAction};
use super::{with_pool, Db, DeleteOutcome, SubmissionId};

/// How long things are kept (from the settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// An unfinished questionnaire goes once its private link has expired (`RESUME_LINK_DAYS`).
    pub unfinished_days: i64,
    /// A closed submission goes this long after it was closed (`RETENTION_DAYS`); `None`
    /// keeps them.
    pub closed_days: Option<i64>,
    /// A delivered message keeps its recipient, subject and body this long (`MAIL_KEEP_HOURS`),
    /// for a practice to see what went out; then only its kind, status and times remain.
    pub mail_keep_hours: i64,
}

/// Submissions one batch of the purge erases at most, of each kind: a backlog (a database
/// upgraded from before the purge existed) is worked through batch by batch, so requests keep
/// their turn between them.
pub const PURGE_BATCH: i64 = 200;

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub unfinished: u64,
    pub closed: u64,
    /// Delivered messages whose contents were emptied.
    pub messages: u64,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Purged::default()
    }

    fn add(&mut self, other: Purged) {
        self.unfinished += other.unfinished;
        self.closed += other.closed;
        self.messages += other.messages;
    }
}

impl Db {
    /// Runs the whole purge as of `now`, batch after batch ([`Db::purge_batch`]) with `pause`
    /// between them, then records it: when anything was removed, one audit row says how much,
    /// naming no one.
    pub async fn purge(
        &self,
        retention: Retention,
        now: DateTime<Utc>,
        pause: std::time::Duration,
    ) -> Result<Purged, sqlx::Error> {
        let mut total = Purged::default();
        loop {
            let (batch, more) = self.purge_batch(retention, now).await?;
            total.add(batch);
            if !more {
                break;
            }
            tokio::time::sleep(pause).await;
        }
        if !total.is_empty() {
            let action = AuditAction::Purge(total);
            with_pool!(self, pool => write_by_app(pool, &action, None, now).await?);
        }
        Ok(total)
    }

    /// One batch of the purge as of `now`, and whether more is left. Each submission goes in
    /// its own transaction (with its answers, result, check-in, notes and past consults, and its
    /// couple's invitation, as a deletion by an admin would); one closed with a consult still
    /// booked stays.
    async fn purge_batch(
        &self,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<(Purged, bool), sqlx::Error> {
        let unfinished = "select id from submissions where status = 'in_progress' \
                          and created_at < $1 order by id limit $2";
        // When it was closed: the latest move into `closed`.
        let closed = "select s.id from submissions s where s.workflow = 'closed' \
                      and (select max(w.created_at) from workflow_events w \
                           where w.submission_id = s.id and w.to_status = 'closed') < $1 \
                      and not exists (select 1 from bookings b where b.submission_id = s.id \
                                      and b.status = 'booked') \
                      order by s.id limit $2";
        let empty_messages = "update outbox set recipient = '', subject = '', body_text = '', \
                              body_html = '', calendar = null, sender = null \
                              where status = 'sent' and sent_at < $1 \
                              and (recipient <> '' or body_text <> '')";
        let ids = |sql: &'static str, before: DateTime<Utc>| async move {
            let ids: Vec<i64> = with_pool!(self, pool => {
                sqlx::query_scalar(sql).bind(before).bind(PURGE_BATCH).fetch_all(pool).await?
            });
            Ok::<_, sqlx::Error>(ids)
        };
        let erase = |ids: Vec<i64>| async move {
            let mut erased = 0;
            for id in ids {
                if self.erase_submission(SubmissionId(id), None).await? == DeleteOutcome::Deleted {
                    erased += 1;
                }
            }
            Ok::<_, sqlx::Error>(erased)
        };
        let mut purged = Purged::default();
        let found = ids(unfinished, now - Duration::days(retention.unfinished_days)).await?;
        let mut more = found.len() as i64 == PURGE_BATCH;
        purged.unfinished = erase(found).await?;
        if let Some(days) = retention.closed_days {
            let found = ids(closed, now - Duration::days(days)).await?;
            more |= found.len() as i64 == PURGE_BATCH;
            purged.closed = erase(found).await?;
        }
        let sent_before = now - Duration::hours(retention.mail_keep_hours);
        purged.messages = with_pool!(self, pool => {
            sqlx::query(empty_messages).bind(sent_before).execute(pool).await?.rows_affected()
        });
        Ok((purged, more))
    }
}

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

/// What one purge removed.
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
}

impl Db {
    /// Runs the purge as of `now`. Each submission goes in its own transaction (with its
    /// answers, result, check-in, notes and past consults, and its couple's invitation, as a
    /// deletion by an admin would); one closed with a consult still booked stays. When anything
    /// was removed, one audit row says how much, naming no one.
    pub async fn purge(
        &self,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<Purged, sqlx::Error> {
        let unfinished_before = now - Duration::days(retention.unfinished_days);
        let unfinished = "select id from submissions where status = 'in_progress' \
                          and created_at < $1 order by id";
        // When it was closed: the latest move into `closed`.
        let closed = "select s.id from submissions s where s.workflow = 'closed' \
                      and (select max(w.created_at) from workflow_events w \
                           where w.submission_id = s.id and w.to_status = 'closed') < $1 \
                      order by s.id";
        let empty_messages = "update outbox set recipient = '', subject = '', body_text = '', \
                              body_html = '', calendar = null \
                              where status = 'sent' and sent_at < $1 \
                              and (recipient <> '' or body_text <> '')";
        let mut purged = Purged::default();
        let ids = |sql: &'static str, before: DateTime<Utc>| async move {
            let ids: Vec<i64> = with_pool!(self, pool => {
                sqlx::query_scalar(sql).bind(before).fetch_all(pool).await?
            });
            Ok::<_, sqlx::Error>(ids)
        };
        for id in ids(unfinished, unfinished_before).await? {
            if self.erase_submission(SubmissionId(id), None).await? == DeleteOutcome::Deleted {
                purged.unfinished += 1;
            }
        }
        if let Some(days) = retention.closed_days {
            for id in ids(closed, now - Duration::days(days)).await? {
                if self.erase_submission(SubmissionId(id), None).await? == DeleteOutcome::Deleted {
                    purged.closed += 1;
                }
            }
        }
        let sent_before = now - Duration::hours(retention.mail_keep_hours);
        purged.messages = with_pool!(self, pool => {
            sqlx::query(empty_messages).bind(sent_before).execute(pool).await?.rows_affected()
        });
        if !purged.is_empty() {
            let action = AuditAction::Purge(purged);
            with_pool!(self, pool => write_by_app(pool, &action, now).await?);
        }
        Ok(purged)
    }
}

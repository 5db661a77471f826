//! The practice's workflow on a submission: status changes and clinicians' private notes.

use chrono::{DateTime, Utc};

use super::{with_pool, ClinicianId, Db, SubmissionId};
use crate::domain::workflow::WorkflowStatus;

/// Who the history names for a change the client made by booking or cancelling online.
pub const BY_CLIENT: &str = "Client, online";

/// A questionnaire and, for a couple, the partner's: the submissions one consult is for.
pub(crate) const CONSULT_SUBMISSIONS: &str = "select id, workflow from submissions \
    where id = $1 or couple_id = (select couple_id from submissions where id = $1) order by id";

/// The status the newest move to "consult booked" came from.
pub(crate) const BEFORE_BOOKED: &str = "select from_status from workflow_events \
    where submission_id = $1 and to_status = 'consult_booked' order by id desc limit 1";

pub(crate) const MOVE: &str = "update submissions set workflow = $3, updated_at = $4 \
    where id = $1 and workflow = $2";

pub(crate) const EVENT: &str = "insert into workflow_events \
    (submission_id, clinician_id, from_status, to_status, created_at) values ($1, $2, $3, $4, $5)";

/// Moves the submissions a consult is for (both partners' for a couple's consult, else the one)
/// along with its booking or cancellation (see [`WorkflowStatus::after_booking`]), inside the
/// caller's transaction. `$by` is the clinician who booked it for the client, or `None` when
/// the client did it online.
macro_rules! follow_booking {
    ($tx:expr, $submission:expr, $change:expr, $for_couple:expr, $by:expr, $now:expr) => {{
        use $crate::domain::workflow::{BookingChange as Change, WorkflowStatus};
        use $crate::server::db::workflow::{BEFORE_BOOKED, CONSULT_SUBMISSIONS, EVENT, MOVE};
        let submission: i64 = $submission;
        let change: Change = $change;
        let for_couple: bool = $for_couple;
        let by: Option<i64> = $by;
        let now: chrono::DateTime<chrono::Utc> = $now;
        let rows: Vec<(i64, String)> = sqlx::query_as(CONSULT_SUBMISSIONS)
            .bind(submission)
            .fetch_all(&mut *$tx)
            .await?;
        for (id, status) in rows {
            if id != submission && !for_couple {
                continue;
            }
            let Some(from) = WorkflowStatus::parse(&status) else {
                continue;
            };
            let before: Option<String> =
                if change == Change::Cancelled && from == WorkflowStatus::ConsultBooked {
                    sqlx::query_scalar(BEFORE_BOOKED)
                        .bind(id)
                        .fetch_optional(&mut *$tx)
                        .await?
                } else {
                    None
                };
            let before = before.as_deref().and_then(WorkflowStatus::parse);
            let Some(to) = from.after_booking(change, before) else {
                continue;
            };
            let moved = sqlx::query(MOVE)
                .bind(id)
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(now)
                .execute(&mut *$tx)
                .await?;
            if moved.rows_affected() == 1 {
                sqlx::query(EVENT)
                    .bind(id)
                    .bind(by)
                    .bind(from.as_str())
                    .bind(to.as_str())
                    .bind(now)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}
pub(crate) use follow_booking;

/// One entry of a submission's history, as the workspace shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub by: String,
    pub what: HistoryItem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HistoryItem {
    Moved { from: String, to: String },
    Note(String),
}

impl Db {
    /// Moves a submission from `from` to `to` and records who did it. Returns `false`, writing
    /// nothing, when the submission is no longer at `from` (someone else moved it meanwhile).
    pub async fn move_workflow(
        &self,
        submission: SubmissionId,
        from: WorkflowStatus,
        to: WorkflowStatus,
        by: ClinicianId,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let moved = sqlx::query(MOVE)
                .bind(submission.0)
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if moved.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(EVENT)
                .bind(submission.0)
                .bind(Some(by.0))
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Adds a clinician's private note to a submission.
    pub async fn add_clinician_note(
        &self,
        submission: SubmissionId,
        by: ClinicianId,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into clinician_notes (submission_id, clinician_id, body, created_at) \
                   values ($1, $2, $3, $4)";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(submission.0)
                .bind(by.0)
                .bind(body)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Status changes and notes, oldest first.
    pub async fn history(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<HistoryEntry>, sqlx::Error> {
        let moves = "select e.created_at, c.display_name, e.from_status, e.to_status \
                     from workflow_events e left join clinicians c on c.id = e.clinician_id \
                     where e.submission_id = $1 order by e.id";
        let notes = "select n.created_at, c.display_name, n.body \
                     from clinician_notes n join clinicians c on c.id = n.clinician_id \
                     where n.submission_id = $1 order by n.id";
        type Move = (DateTime<Utc>, Option<String>, String, String);
        type Note = (DateTime<Utc>, String, String);
        let (moves, notes): (Vec<Move>, Vec<Note>) = with_pool!(self, pool => {
            let moves = sqlx::query_as(moves).bind(submission.0).fetch_all(pool).await?;
            let notes = sqlx::query_as(notes).bind(submission.0).fetch_all(pool).await?;
            (moves, notes)
        });
        let mut entries: Vec<HistoryEntry> = moves
            .into_iter()
            .map(|(at, by, from, to)| HistoryEntry {
                at,
                by: by.unwrap_or_else(|| BY_CLIENT.to_owned()),
                what: HistoryItem::Moved { from, to },
            })
            .chain(notes.into_iter().map(|(at, by, body)| HistoryEntry {
                at,
                by,
                what: HistoryItem::Note(body),
            }))
            .collect();
        entries.sort_by_key(|e| e.at);
        Ok(entries)
    }
}

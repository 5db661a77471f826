//! The practice's workflow on a submission: status changes and clinicians' private notes.

use chrono::{DateTime, Utc};

use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use super::seal::Field;
use super::{with_pool, Audit, Db, SubmissionId};
use crate::domain::workflow::{BookingChange, WorkflowStatus};

/// Who the history names for a change the client made by booking or cancelling online.
pub const BY_CLIENT: &str = "Client, online";

/// A questionnaire and, for a couple, the partner's: the submissions one consult is for.
const CONSULT_SUBMISSIONS: &str = "select id, workflow from submissions \
    where id = $1 or couple_id = (select couple_id from submissions where id = $1) order by id";

/// The status the newest move to "consult booked" came from.
const BEFORE_BOOKED: &str = "select from_status from workflow_events \
    where submission_id = $1 and to_status = 'consult_booked' order by id desc limit 1";

pub(super) const MOVE: &str = "update submissions set workflow = $3, updated_at = $4 \
    where id = $1 and workflow = $2";

/// [`MOVE`], answering the id when it moved.
const MOVE_RETURNING: &str = "update submissions set workflow = $3, updated_at = $4 \
    where id = $1 and workflow = $2 returning id";

pub(super) const EVENT: &str = "insert into workflow_events \
    (submission_id, clinician_id, from_status, to_status, created_at) values ($1, $2, $3, $4, $5)";

/// Moves the submissions a consult is for (both partners' for a couple's consult, else the one)
/// along with its booking or cancellation (see [`WorkflowStatus::after_booking`]), on the
/// caller's transaction. `by` is the clinician who booked it for the client, or `None` when the
/// client did it online. Generic over the backend, so either database's transaction can call it.
pub(crate) async fn follow_booking<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    submission: i64,
    change: BookingChange,
    for_couple: bool,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    let rows: Vec<(i64, String)> = sqlx::query_as(CONSULT_SUBMISSIONS)
        .bind(submission)
        .fetch_all(&mut **tx)
        .await?;
    for (id, status) in rows {
        if id != submission && !for_couple {
            continue;
        }
        let Some(from) = WorkflowStatus::parse(&status) else {
            continue;
        };
        let before: Option<String> =
            if change == BookingChange::Cancelled && from == WorkflowStatus::ConsultBooked {
                sqlx::query_scalar(BEFORE_BOOKED)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?
            } else {
                None
            };
        let before = before.as_deref().and_then(WorkflowStatus::parse);
        let Some(to) = from.after_booking(change, before) else {
            continue;
        };
        let moved: Option<i64> = sqlx::query_scalar(MOVE_RETURNING)
            .bind(id)
            .bind(from.as_str().to_owned())
            .bind(to.as_str().to_owned())
            .bind(now)
            .fetch_optional(&mut **tx)
            .await?;
        if moved.is_some() {
            sqlx::query(EVENT)
                .bind(id)
                .bind(by)
                .bind(from.as_str().to_owned())
                .bind(to.as_str().to_owned())
                .bind(now)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

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
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        let (by, now) = (audit.by, audit.at);
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
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Adds a clinician's private note to a submission, with its audit row (whose clinician and
    /// time the note takes).
    pub async fn add_clinician_note(
        &self,
        submission: SubmissionId,
        body: &str,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into clinician_notes (submission_id, clinician_id, body, created_at) \
                   values ($1, $2, $3, $4)";
        let sealed = self.sealer.seal(Field::ClinicianNote, body)?;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(submission.0)
                .bind(audit.by.0)
                .bind(&sealed)
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
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
        let notes = notes
            .into_iter()
            .map(|(at, by, body)| Ok((at, by, self.sealer.open(Field::ClinicianNote, body)?)))
            .collect::<Result<Vec<Note>, sqlx::Error>>()?;
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

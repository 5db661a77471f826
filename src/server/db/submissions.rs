//! Submissions, their answers and their stored results.

use chrono::{DateTime, Utc};

use super::outbox;
use super::seal::{Field, Sealer};
use super::{with_pool, Audit, Db};

/// How deleting a submission ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    /// A consult is booked on it: cancel it first, so the client is told.
    ConsultBooked,
    NotFound,
}
use crate::domain::questionnaire::{Answers, Dimension, Instrument, Leaning};
use crate::domain::scoring::{DimensionScore, ReadinessBand, ReadinessResult};
use crate::domain::workflow::WorkflowStatus;

/// Primary key of a submission. Never shown to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionId(pub i64);

/// Where a submission is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionStatus {
    InProgress,
    Submitted,
}

impl SubmissionStatus {
    pub(super) fn parse(s: &str) -> Result<Self, sqlx::Error> {
        match s {
            "in_progress" => Ok(Self::InProgress),
            "submitted" => Ok(Self::Submitted),
            other => Err(corrupt(format!("unknown submission status {other:?}"))),
        }
    }
}

/// A submission as the questionnaire pages need it.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: SubmissionId,
    pub reference: String,
    /// The version it is answered under, for good.
    pub instrument: Instrument,
    pub status: SubmissionStatus,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Where the practice is with it (clinicians only).
    pub workflow: WorkflowStatus,
}

/// Saving answers found the submission already submitted; it is read-only from then on.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the questionnaire was already submitted")]
    AlreadySubmitted,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A submission as stored, before its statuses are checked; [`SUBMISSION_COLUMNS`] reads it.
#[derive(sqlx::FromRow)]
struct SubmissionRow {
    id: i64,
    reference: String,
    instrument_version: i32,
    status: String,
    note: Option<String>,
    created_at: DateTime<Utc>,
    workflow: String,
}
/// The note lives, sealed, in `client_notes` (migration 0020).
const SUBMISSION_COLUMNS: &str = "id, reference, instrument_version, status, \
    (select n.body from client_notes n where n.submission_id = submissions.id) as note, \
    created_at, workflow";

pub(super) fn workflow(s: &str) -> Result<WorkflowStatus, sqlx::Error> {
    WorkflowStatus::parse(s).ok_or_else(|| corrupt(format!("unknown workflow status {s:?}")))
}

fn submission_from_row(sealer: &Sealer, row: SubmissionRow) -> Result<Submission, sqlx::Error> {
    Ok(Submission {
        id: SubmissionId(row.id),
        reference: row.reference,
        instrument: Instrument::from_number(i64::from(row.instrument_version)).ok_or_else(
            || {
                corrupt(format!(
                    "unknown instrument version {}",
                    row.instrument_version
                ))
            },
        )?,
        status: SubmissionStatus::parse(&row.status)?,
        note: sealer.open_opt(Field::ClientNote, row.note)?,
        created_at: row.created_at,
        workflow: workflow(&row.workflow)?,
    })
}

pub(super) fn corrupt(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

impl Db {
    /// Starts a new submission. The caller keeps the token; only its hash is stored.
    pub async fn create_submission(
        &self,
        reference: &str,
        resume_token_hash: &str,
        instrument_version: u32,
        now: DateTime<Utc>,
    ) -> Result<SubmissionId, sqlx::Error> {
        let version = i32::try_from(instrument_version)
            .map_err(|_| corrupt("instrument version out of range".into()))?;
        let sql = "insert into submissions \
                   (reference, resume_token_hash, instrument_version, status, created_at, updated_at) \
                   values ($1, $2, $3, 'in_progress', $4, $4) returning id";
        let id: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(sql)
                .bind(reference)
                .bind(resume_token_hash)
                .bind(version)
                .bind(now)
                .fetch_one(pool)
                .await?
        });
        Ok(SubmissionId(id))
    }

    /// Finds the submission a resume token opens, if any.
    pub async fn submission_by_token_hash(
        &self,
        resume_token_hash: &str,
    ) -> Result<Option<Submission>, sqlx::Error> {
        let sql =
            format!("select {SUBMISSION_COLUMNS} from submissions where resume_token_hash = $1");
        let row: Option<SubmissionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(resume_token_hash).fetch_optional(pool).await?
        });
        row.map(|row| submission_from_row(&self.sealer, row))
            .transpose()
    }

    /// Makes the resume link whose token hashes to `resume_token_hash` open nothing any more,
    /// by giving the submission `replacement` (the hash of a token nobody holds), and ends
    /// everything derived from that link in the same transaction: each booking whose manage
    /// link `derived(request_key)` names gets `void` (another hash nobody holds), and an
    /// invitation nobody has used is withdrawn, leaving partner A on their own again. `false`
    /// when that link opened nothing already.
    pub async fn end_resume_link(
        &self,
        resume_token_hash: &str,
        replacement: &str,
        derived: &(dyn Fn(&str) -> Vec<String> + Sync),
        void: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let end = "update submissions set resume_token_hash = $2, updated_at = $3 \
                   where resume_token_hash = $1 returning id, couple_id, partner";
        let bookings = "select id, request_key, manage_token_hash from bookings \
                        where submission_id = $1";
        let void_manage = "update bookings set manage_token_hash = $2 where id = $1";
        let unused = "delete from invitations where couple_id = $1 and used_at is null";
        let alone = "update submissions set couple_id = null, partner = null where id = $1";
        let gone = "delete from couples where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let ended: Option<(i64, Option<i64>, Option<String>)> = sqlx::query_as(end)
                .bind(resume_token_hash)
                .bind(replacement)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((id, couple, partner)) = ended else {
                return Ok(false);
            };
            let rows: Vec<(i64, String, String)> =
                sqlx::query_as(bookings).bind(id).fetch_all(&mut *tx).await?;
            for (booking, key, hash) in rows {
                if derived(&key).contains(&hash) {
                    sqlx::query(void_manage).bind(booking).bind(void).execute(&mut *tx).await?;
                }
            }
            if let (Some(couple), Some("a")) = (couple, partner.as_deref()) {
                let withdrawn = sqlx::query(unused).bind(couple).execute(&mut *tx).await?;
                if withdrawn.rows_affected() > 0 {
                    sqlx::query(alone).bind(id).execute(&mut *tx).await?;
                    sqlx::query(gone).bind(couple).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// A submission's reference (for the clinician's links between partners).
    pub async fn submission_reference(
        &self,
        id: SubmissionId,
    ) -> Result<Option<String>, sqlx::Error> {
        let sql = "select reference from submissions where id = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(id.0).fetch_optional(pool).await?
        }))
    }

    /// Every answer saved so far for a submission, read under its own instrument version.
    pub async fn answers(
        &self,
        id: SubmissionId,
        version: Instrument,
    ) -> Result<Answers, sqlx::Error> {
        let sql = "select item_id, value from answers where submission_id = $1";
        let rows: Vec<(String, i16)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(id.0).fetch_all(pool).await?
        });
        let rows = rows.into_iter().map(|(id, v)| (id, i64::from(v)));
        Ok(Answers::from_stored(version, rows))
    }

    /// Saves one section's answers (and, when given, the note) in one transaction: either all
    /// of them are stored or none. Refuses once the submission is submitted.
    pub async fn save_answers(
        &self,
        id: SubmissionId,
        answers: &[(&str, u8)],
        note: Option<Option<&str>>,
        now: DateTime<Utc>,
    ) -> Result<(), SaveError> {
        let touch = "update submissions set updated_at = $2 \
                     where id = $1 and status = 'in_progress'";
        let set_note = "insert into client_notes (submission_id, body) values ($1, $2) \
                        on conflict (submission_id) do update set body = excluded.body";
        let clear_note = "delete from client_notes where submission_id = $1";
        let note = match note {
            Some(Some(text)) => Some(Some(self.sealer.seal(Field::ClientNote, text)?)),
            Some(None) => Some(None),
            None => None,
        };
        let upsert = "insert into answers (submission_id, item_id, value, created_at, updated_at) \
                      values ($1, $2, $3, $4, $4) \
                      on conflict (submission_id, item_id) \
                      do update set value = excluded.value, updated_at = excluded.updated_at";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(touch).bind(id.0).bind(now).execute(&mut *tx).await?;
            if touched.rows_affected() == 0 {
                return Err(SaveError::AlreadySubmitted);
            }
            match &note {
                Some(Some(sealed)) => {
                    sqlx::query(set_note).bind(id.0).bind(sealed).execute(&mut *tx).await?;
                }
                Some(None) => {
                    sqlx::query(clear_note).bind(id.0).execute(&mut *tx).await?;
                }
                None => {}
            }
            for (item, value) in answers {
                sqlx::query(upsert)
                    .bind(id.0)
                    .bind(*item)
                    .bind(i16::from(*value))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Marks a submission submitted, stores its result and queues `notify`, atomically. Returns `false` when it
    /// was already submitted (a duplicate submit), in which case nothing is written.
    pub async fn finalize_submission(
        &self,
        id: SubmissionId,
        result: &ReadinessResult,
        notify: Option<&super::NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let mark =
            "update submissions set status = 'submitted', submitted_at = $2, updated_at = $2 \
                    where id = $1 and status = 'in_progress'";
        let insert_result = "insert into results \
                             (submission_id, instrument_version, overall, band, leaning, \
                             created_at) values ($1, $2, $3, $4, $5, $6)";
        let insert_dimension = "insert into result_dimensions \
                                (submission_id, dimension, score, created_at) \
                                values ($1, $2, $3, $4)";
        let version = i32::try_from(result.instrument_version)
            .map_err(|_| corrupt("instrument version out of range".into()))?;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let marked = sqlx::query(mark).bind(id.0).bind(now).execute(&mut *tx).await?;
            if marked.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(insert_result)
                .bind(id.0)
                .bind(version)
                .bind(i16::from(result.overall))
                .bind(result.band.as_str())
                .bind(result.leaning.map(Leaning::as_str))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            for d in &result.dimensions {
                sqlx::query(insert_dimension)
                    .bind(id.0)
                    .bind(d.dimension.as_str())
                    .bind(i16::from(d.score))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            // The practice's notification is queued in the same transaction: it exists if and
            // only if the submission does.
            if let Some(email) = notify {
                outbox::queue(&mut *tx, &self.sealer, email, now, (None, Some(id.0))).await?;
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// The result stored when the submission was submitted, exactly as it was scored then.
    pub async fn result(&self, id: SubmissionId) -> Result<Option<ReadinessResult>, sqlx::Error> {
        let head = "select instrument_version, overall, band, leaning from results \
                    where submission_id = $1";
        let dims = "select dimension, score from result_dimensions where submission_id = $1";
        type Head = Option<(i32, i16, String, Option<String>)>;
        type Dimensions = Vec<(String, i16)>;
        let (head, dims): (Head, Dimensions) = with_pool!(self, pool => {
            let head = sqlx::query_as(head).bind(id.0).fetch_optional(pool).await?;
            let dims = sqlx::query_as(dims).bind(id.0).fetch_all(pool).await?;
            (head, dims)
        });
        let Some((version, overall, band, leaning)) = head else {
            return Ok(None);
        };
        let mut dimensions = dims
            .into_iter()
            .map(|(name, score)| {
                let dimension = Dimension::parse(&name)
                    .ok_or_else(|| corrupt(format!("unknown dimension {name:?}")))?;
                let score = u8::try_from(score)
                    .map_err(|_| corrupt("dimension score out of range".into()))?;
                Ok(DimensionScore { dimension, score })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        dimensions.sort_by_key(|d| d.dimension);
        Ok(Some(ReadinessResult {
            instrument_version: u32::try_from(version)
                .map_err(|_| corrupt("negative instrument version".into()))?,
            overall: u8::try_from(overall).map_err(|_| corrupt("overall out of range".into()))?,
            band: ReadinessBand::parse(&band)
                .ok_or_else(|| corrupt(format!("unknown band {band:?}")))?,
            dimensions,
            leaning: match leaning {
                None => None,
                Some(l) => Some(
                    Leaning::parse(&l).ok_or_else(|| corrupt(format!("unknown leaning {l:?}")))?,
                ),
            },
        }))
    }
}

impl Db {
    /// Deletes a questionnaire for good, with everything hanging off it (answers, result,
    /// check-in, notes, history, past consults), and writes `audit` (who, what) in the same
    /// transaction. A cancellation not sent yet is kept, unlinked: the client must still get it. A partner left on their own leaves the couple, which goes with its invitation,
    /// so they can go on alone. Refused while a consult is booked on it.
    pub async fn delete_submission(
        &self,
        id: SubmissionId,
        audit: &Audit,
    ) -> Result<DeleteOutcome, sqlx::Error> {
        self.erase_submission(id, Some(audit)).await
    }

    /// [`Db::delete_submission`], with `audit` written in the same transaction when given (the
    /// purge writes one row of counts for all it removed instead).
    pub(super) async fn erase_submission(
        &self,
        id: SubmissionId,
        audit: Option<&Audit>,
    ) -> Result<DeleteOutcome, sqlx::Error> {
        let couple = "select couple_id from submissions where id = $1";
        let live = "select count(*) from bookings where submission_id = $1 and status = 'booked'";
        // A cancellation not sent yet still goes out (it says all the client needs); other
        // unsent messages about the consult (a confirmation, a move) go with it.
        // Everything else sent on the client's behalf goes with the submission (cascade).
        let keep_unsent = "update outbox set booking_id = null, submission_id = null \
                           where status in ('pending', 'sending') and kind in \
                           ('consult_cancellation', 'consult_cancelled_by_practice', \
                           'consult_cancelled') and (submission_id = $1 \
                           or booking_id in (select id from bookings where submission_id = $1))";
        // The invitation partner A had emailed to partner B goes when either is erased.
        let invitations = "delete from outbox where kind = 'partner_invitation' \
                           and submission_id in (select id from submissions where couple_id = $1)";
        let delete = "delete from submissions where id = $1";
        let leave_couple = "update submissions set couple_id = null, partner = null \
                            where couple_id = $1";
        let drop_couple = "delete from couples where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Writing first takes SQLite's write lock (and PostgreSQL's row lock) before
            // anything is read: a booking cannot slip in between the check and the delete.
            let locked = sqlx::query("update submissions set updated_at = updated_at where id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            if locked.rows_affected() == 0 {
                return Ok(DeleteOutcome::NotFound);
            }
            let booked: i64 = sqlx::query_scalar(live).bind(id.0).fetch_one(&mut *tx).await?;
            if booked > 0 {
                return Ok(DeleteOutcome::ConsultBooked);
            }
            let couple: Option<i64> =
                sqlx::query_scalar(couple).bind(id.0).fetch_one(&mut *tx).await?;
            sqlx::query(keep_unsent).bind(id.0).execute(&mut *tx).await?;
            sqlx::query(delete).bind(id.0).execute(&mut *tx).await?;
            if let Some(couple) = couple {
                sqlx::query(invitations).bind(couple).execute(&mut *tx).await?;
                // The one left keeps a flag only for their own check-in.
                sqlx::query(&super::safety::refresh_safety_flags(super::safety::COUPLE))
                    .bind(couple)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(leave_couple).bind(couple).execute(&mut *tx).await?;
                sqlx::query(drop_couple).bind(couple).execute(&mut *tx).await?;
            }
            if let Some(audit) = audit {
                super::audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(DeleteOutcome::Deleted)
    }

    /// Finds a submission by the reference clinicians see.
    pub async fn submission_by_reference(
        &self,
        reference: &str,
    ) -> Result<Option<Submission>, sqlx::Error> {
        let sql = format!("select {SUBMISSION_COLUMNS} from submissions where reference = $1");
        let row: Option<SubmissionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(reference).fetch_optional(pool).await?
        });
        row.map(|row| submission_from_row(&self.sealer, row))
            .transpose()
    }
}

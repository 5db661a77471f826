//! The intake form's published versions and each client's answers to it.

use chrono::{DateTime, Utc};

use super::audit;
use super::seal::{Field, Sealer};
use super::{with_pool, Audit, Db, SaveError, SubmissionId};

/// One published version of the intake form, as stored (its definition is JSON).
#[derive(Debug, Clone)]
pub struct StoredForm {
    pub version: i32,
    pub definition: String,
}

/// One stored answer: the question's key, the form version it was answered under, the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeAnswer {
    pub key: String,
    pub version: i32,
    pub value: String,
}

/// The keyed tag stored beside an answer the workspace filters on (`None` for the others).
pub(super) fn filter_tag(sealer: &Sealer, question: &str, value: &str) -> Option<String> {
    crate::domain::intake::FILTERED
        .contains(&question)
        .then(|| sealer.intake_tag(question, value))
}

impl Db {
    /// Stores `definition` as version 1 unless some version exists (safe to race: a second
    /// instance starting at the same moment changes nothing).
    pub async fn ensure_intake_form(
        &self,
        definition: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into intake_forms (version, definition, published_at) \
                   select 1, $1, $2 where not exists (select 1 from intake_forms) \
                   on conflict (version) do nothing";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(definition).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// Publishes `definition` after version `after` on the product's behalf (no audit row: no
    /// clinician changed anything). `false` when that version exists already.
    pub async fn publish_intake_form_upgrade(
        &self,
        after: i32,
        definition: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        self.publish_form(after, definition, None, now).await
    }

    /// The newest published version.
    pub async fn current_intake_form(&self) -> Result<Option<StoredForm>, sqlx::Error> {
        let sql = "select version, definition from intake_forms order by version desc limit 1";
        let row: Option<(i32, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_optional(pool).await?
        });
        Ok(row.map(|(version, definition)| StoredForm {
            version,
            definition,
        }))
    }

    /// The given published versions (those that exist).
    pub async fn intake_forms(&self, versions: &[i32]) -> Result<Vec<StoredForm>, sqlx::Error> {
        let mut forms = Vec::with_capacity(versions.len());
        let sql = "select definition from intake_forms where version = $1";
        for &version in versions {
            let definition: Option<String> = with_pool!(self, pool => {
                sqlx::query_scalar(sql).bind(version).fetch_optional(pool).await?
            });
            if let Some(definition) = definition {
                forms.push(StoredForm {
                    version,
                    definition,
                });
            }
        }
        Ok(forms)
    }

    /// Publishes `definition` as the version after `after`, with its audit row, in one
    /// transaction. `false` when someone published that version first (nothing is stored).
    pub async fn publish_intake_form(
        &self,
        after: i32,
        definition: &str,
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        self.publish_form(after, definition, Some(audit), audit.at)
            .await
    }

    /// As [`Db::publish_intake_form`]; `None` is the product itself (an upgrade adding a
    /// built-in question), which no clinician did.
    async fn publish_form(
        &self,
        after: i32,
        definition: &str,
        audit: Option<&Audit>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "insert into intake_forms (version, definition, published_by, published_at) \
                   values ($1, $2, $3, $4) on conflict (version) do nothing";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let stored = sqlx::query(sql)
                .bind(after + 1)
                .bind(definition)
                .bind(audit.map(|a| a.by.0))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if stored.rows_affected() == 0 {
                return Ok(false);
            }
            if let Some(audit) = audit {
                audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Every intake answer a submission holds.
    pub async fn intake_answers(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<IntakeAnswer>, sqlx::Error> {
        let sql = "select question_key, form_version, value from intake_answers \
                   where submission_id = $1";
        let rows: Vec<(String, i32, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(key, version, value)| {
                Ok(IntakeAnswer {
                    key,
                    version,
                    value: self.sealer.open(Field::IntakeAnswer, value)?,
                })
            })
            .collect()
    }

    /// The intake answers of every submission with an id in `low..=high` (a page of the CSV
    /// export: one query for a thousand submissions).
    pub async fn intake_answers_between(
        &self,
        low: SubmissionId,
        high: SubmissionId,
    ) -> Result<Vec<(SubmissionId, IntakeAnswer)>, sqlx::Error> {
        let sql = "select submission_id, question_key, form_version, value from intake_answers \
                   where submission_id between $1 and $2";
        let rows: Vec<(i64, String, i32, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(low.0).bind(high.0).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, key, version, value)| {
                let value = self.sealer.open(Field::IntakeAnswer, value)?;
                Ok((
                    SubmissionId(id),
                    IntakeAnswer {
                        key,
                        version,
                        value,
                    },
                ))
            })
            .collect()
    }

    /// Saves one intake page in one transaction: each `(key, Some(value))` is stored sealed
    /// under `version` (with its keyed tag when the workspace filters on it), each
    /// `(key, None)` removed; `finish` records that the client is through the
    /// intake. Refuses once the questionnaire is submitted.
    pub async fn save_intake_answers(
        &self,
        submission: SubmissionId,
        version: i32,
        values: &[(String, Option<String>)],
        finish: bool,
        now: DateTime<Utc>,
    ) -> Result<(), SaveError> {
        let touch = "update submissions set updated_at = $2 \
                     where id = $1 and status = 'in_progress'";
        let upsert = "insert into intake_answers \
                      (submission_id, question_key, form_version, value, tag, updated_at) \
                      values ($1, $2, $3, $4, $5, $6) \
                      on conflict (submission_id, question_key) do update set \
                      form_version = excluded.form_version, value = excluded.value, \
                      tag = excluded.tag, updated_at = excluded.updated_at";
        let remove = "delete from intake_answers where submission_id = $1 and question_key = $2";
        let finished = "insert into intakes (submission_id, finished_at) values ($1, $2) \
                        on conflict (submission_id) do nothing";
        let mut stored = Vec::with_capacity(values.len());
        for (key, value) in values {
            let sealed = match value {
                Some(value) => Some((
                    self.sealer.seal(Field::IntakeAnswer, value)?,
                    filter_tag(&self.sealer, key, value),
                )),
                None => None,
            };
            stored.push((key, sealed));
        }
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let touched = sqlx::query(touch).bind(submission.0).bind(now).execute(&mut *tx).await?;
            if touched.rows_affected() == 0 {
                return Err(SaveError::AlreadySubmitted);
            }
            for (key, sealed) in &stored {
                match sealed {
                    Some((value, tag)) => sqlx::query(upsert)
                        .bind(submission.0)
                        .bind(key)
                        .bind(version)
                        .bind(value)
                        .bind(tag)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?,
                    None => sqlx::query(remove)
                        .bind(submission.0)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?,
                };
            }
            if finish {
                sqlx::query(finished).bind(submission.0).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Whether the client is through the intake pages.
    pub async fn intake_finished(&self, submission: SubmissionId) -> Result<bool, sqlx::Error> {
        let sql = "select count(*) from intakes where submission_id = $1";
        let n: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(submission.0).fetch_one(pool).await?
        });
        Ok(n > 0)
    }
}

//! The safety pathway's records: consent to the practice's policy, the safe way to reach a
//! client, clinicians' first contact after a check-in, and joint consults booked despite a
//! safety hold. See `docs/safety.md`.

use chrono::{DateTime, Utc};

use super::audit::{self, Audit};
use super::seal::{Field, Sealer};
use super::workspace_list::SAFETY_EXPR;
use super::{with_pool, ClinicianId, Db, SubmissionId};
use crate::domain::safe_contact::{ContactChannel, ContactOutcome, Permission, SafeContact};

/// Sets `submissions.safety_flag` afresh on the rows `rows` picks (a condition on `s`), by the
/// rule the list shows ([`super::workspace_list::SAFETY_EXPR`]): 1 when the submission's own
/// private check-in or its partner's is positive. Stored so the workspace's safety filter reads
/// a small index; the list still works each row's flag out afresh for display, so a flag it
/// shows can never be missing through a stale column (`tests/it/safety_filter.rs` checks the
/// two agree). Run in the transaction of every change that moves it.
pub(super) fn refresh_safety_flags(rows: &str) -> String {
    format!(
        "update submissions as s set safety_flag = case when {SAFETY_EXPR} > 0 then 1 else 0 end \
         where {rows}"
    )
}

/// Submission `$1` and its partner's: a check-in is stored, or partner B joins.
pub(super) const SUBMISSION_AND_PARTNER: &str =
    "s.id = $1 or s.couple_id = (select c.couple_id from submissions c where c.id = $1)";

/// Everyone in couple `$1`: once a partner is erased.
pub(super) const COUPLE: &str = "s.couple_id = $1";

/// One try to reach a client, as the submission page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstContact {
    pub contacted_at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub by: String,
}

/// A joint consult booked during a safety hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldOverride {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

type SafeContactRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn permission(stored: Option<String>) -> Option<Permission> {
    stored.as_deref().and_then(Permission::parse)
}

impl Db {
    /// Records that a client agreed to the policy `version` (once per version).
    pub async fn record_consent(
        &self,
        submission: SubmissionId,
        version: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into consents (submission_id, policy_version, accepted_at) \
                   values ($1, $2, $3) on conflict (submission_id, policy_version) do nothing";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(submission.0).bind(version).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// For the submission a resume-token hash opens: whether it agreed to `version`, and
    /// whether it agreed to any version before. `None` when no submission has that hash.
    pub async fn consent_by_token_hash(
        &self,
        token_hash: &str,
        version: &str,
    ) -> Result<Option<(bool, bool)>, sqlx::Error> {
        let sql = "select \
                     (select count(*) from consents c where c.submission_id = s.id \
                      and c.policy_version = $2), \
                     (select count(*) from consents c where c.submission_id = s.id) \
                   from submissions s where s.resume_token_hash = $1";
        let row: Option<(i64, i64)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(token_hash).bind(version).fetch_optional(pool).await?
        });
        Ok(row.map(|(this, any)| (this > 0, any > 0)))
    }

    /// The newest agreement: the policy version and when.
    pub async fn latest_consent(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<(String, DateTime<Utc>)>, sqlx::Error> {
        let sql = "select policy_version, accepted_at from consents where submission_id = $1 \
                   order by accepted_at desc limit 1";
        let row = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_optional(pool).await?
        });
        Ok(row)
    }

    /// The safe way to reach a client, if they gave any part of it.
    pub async fn safe_contact(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<SafeContact>, sqlx::Error> {
        let sql = "select phone, email, voicemail_ok, texts_ok, safe_times, ask_for, calendar_ok \
                   from safe_contacts where submission_id = $1";
        let row: Option<SafeContactRow> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_optional(pool).await?
        });
        let open = |field, value| self.sealer.open_opt(field, value);
        row.map(
            |(phone, email, voicemail, texts, times, ask_for, calendar)| {
                Ok(SafeContact {
                    phone: open(Field::SafePhone, phone)?,
                    email: open(Field::SafeEmail, email)?,
                    voicemail: permission(voicemail),
                    texts: permission(texts),
                    times: open(Field::SafeTimes, times)?,
                    ask_for: open(Field::SafeAskFor, ask_for)?,
                    calendar: permission(calendar),
                })
            },
        )
        .transpose()
    }

    /// Replaces how the practice can reach a client (an empty `contact` clears it), audited as
    /// the app's, in one transaction that also honours it in every message not yet sent: a
    /// pending message to the safe email they gave before goes to the new one, or is not sent
    /// when they removed it, and loses its calendar file unless they now said yes to one. The
    /// messages looked at are those of their own questionnaire and bookings, and of a couple's
    /// consult booked on either partner's questionnaire (their copy of it). The number of
    /// messages changed.
    pub async fn replace_safe_contact(
        &self,
        submission: SubmissionId,
        contact: &SafeContact,
        now: DateTime<Utc>,
    ) -> Result<u64, sqlx::Error> {
        let old_email = self
            .safe_contact(submission)
            .await?
            .and_then(|c| c.email)
            .map(|e| e.to_lowercase());
        let pending = "select id, recipient from outbox where status = 'pending' and \
             (submission_id = $1 or booking_id in (select b.id from bookings b \
              join submissions s on s.id = b.submission_id where b.submission_id = $1 \
              or (b.for_couple and s.couple_id is not null and s.couple_id = \
                  (select couple_id from submissions where id = $1))))";
        let new_email = contact.email.as_deref();
        let calendar_ok = contact.calendar_allowed();
        let changed = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("delete from safe_contacts where submission_id = $1")
                .bind(submission.0)
                .execute(&mut *tx)
                .await?;
            if !contact.is_empty() {
                write_safe_contact(&mut *tx, &self.sealer, submission, contact, now).await?;
            }
            let rows: Vec<(i64, String)> = sqlx::query_as(pending)
                .bind(submission.0)
                .fetch_all(&mut *tx)
                .await?;
            let mut changed = 0;
            for (id, recipient) in rows {
                let recipient = self.sealer.open(Field::MailRecipient, recipient)?;
                if old_email.as_deref() != Some(recipient.to_lowercase().as_str()) {
                    continue;
                }
                changed += 1;
                match new_email {
                    None => {
                        sqlx::query("delete from outbox where id = $1 and status = 'pending'")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Some(to) => {
                        let sealed = self.sealer.seal(Field::MailRecipient, to)?;
                        sqlx::query("update outbox set recipient = $1 where id = $2")
                            .bind(sealed)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        if !calendar_ok {
                            sqlx::query("update outbox set calendar = null where id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
            }
            // Their own consult's later messages (a move, a cancellation) go where the
            // booking says: the new safe address, if the booking had the old one.
            if let (Some(old), Some(to)) = (old_email.as_deref(), new_email) {
                let booked: Vec<(i64, String)> =
                    sqlx::query_as("select id, client_email from bookings where submission_id = $1")
                        .bind(submission.0)
                        .fetch_all(&mut *tx)
                        .await?;
                for (id, email) in booked {
                    if self.sealer.open(Field::ClientEmail, email)?.to_lowercase() == old {
                        sqlx::query("update bookings set client_email = $1 where id = $2")
                            .bind(self.sealer.seal(Field::ClientEmail, to)?)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            audit::write_by_app(&mut *tx, &audit::AuditAction::SafeContactChanged, Some(submission), now)
                .await?;
            tx.commit().await?;
            changed
        });
        Ok(changed)
    }

    /// Records a try to reach a client, with its audit row, in one transaction. Having spoken
    /// with them takes their check-in out of the review queue.
    pub async fn record_first_contact(
        &self,
        submission: SubmissionId,
        channel: ContactChannel,
        outcome: ContactOutcome,
        contacted_at: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into first_contacts \
                   (submission_id, clinician_id, contacted_at, channel, outcome, created_at) \
                   values ($1, $2, $3, $4, $5, $6)";
        let spoke = "update safety_screens set spoke = 1 where submission_id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(submission.0)
                .bind(audit.by.0)
                .bind(contacted_at)
                .bind(channel.as_str())
                .bind(outcome.as_str())
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
            if outcome == ContactOutcome::Spoke {
                sqlx::query(spoke).bind(submission.0).execute(&mut *tx).await?;
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every try to reach a client, oldest first.
    pub async fn first_contacts(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<FirstContact>, sqlx::Error> {
        let sql = "select f.contacted_at, f.channel, f.outcome, c.display_name \
                   from first_contacts f join clinicians c on c.id = f.clinician_id \
                   where f.submission_id = $1 order by f.contacted_at, f.id";
        let rows: Vec<(DateTime<Utc>, String, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(contacted_at, channel, outcome, by)| {
                Ok(FirstContact {
                    contacted_at,
                    channel: ContactChannel::parse(&channel)
                        .ok_or_else(|| sqlx::Error::Decode("unknown contact channel".into()))?,
                    outcome: ContactOutcome::parse(&outcome)
                        .ok_or_else(|| sqlx::Error::Decode("unknown contact outcome".into()))?,
                    by,
                })
            })
            .collect()
    }

    /// The joint consults booked despite a safety hold on this submission, oldest first.
    pub async fn hold_overrides(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<HoldOverride>, sqlx::Error> {
        let sql = "select h.created_at, c.display_name, h.reason \
                   from hold_overrides h join clinicians c on c.id = h.clinician_id \
                   where h.submission_id = $1 order by h.created_at, h.id";
        let rows: Vec<(DateTime<Utc>, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(at, by, reason)| {
                let reason = self.sealer.open(Field::HoldReason, reason)?;
                Ok(HoldOverride { at, by, reason })
            })
            .collect()
    }
}

/// Writes a hold override through `executor` (the booking's own transaction), its reason
/// sealed.
pub(crate) async fn write_override<'e, E, DB>(
    executor: E,
    sealer: &Sealer,
    submission: SubmissionId,
    by: ClinicianId,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = DB>,
    DB: sqlx::Database,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query::<DB>(
        "insert into hold_overrides (submission_id, clinician_id, reason, created_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(submission.0)
    .bind(by.0)
    .bind(sealer.seal(Field::HoldReason, reason)?)
    .bind(at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Writes a client's safe contact through `executor` (the check-in's own transaction).
pub(crate) async fn write_safe_contact<'e, E, DB>(
    executor: E,
    sealer: &Sealer,
    submission: SubmissionId,
    contact: &SafeContact,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = DB>,
    DB: sqlx::Database,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let flag = |p: Option<Permission>| p.map(|p| p.as_str().to_owned());
    let seal = |field, value: &Option<String>| sealer.seal_opt(field, value.as_deref());
    sqlx::query::<DB>(
        "insert into safe_contacts (submission_id, phone, email, voicemail_ok, texts_ok, \
         safe_times, ask_for, calendar_ok, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(submission.0)
    .bind(seal(Field::SafePhone, &contact.phone)?)
    .bind(seal(Field::SafeEmail, &contact.email)?)
    .bind(flag(contact.voicemail))
    .bind(flag(contact.texts))
    .bind(seal(Field::SafeTimes, &contact.times)?)
    .bind(seal(Field::SafeAskFor, &contact.ask_for)?)
    .bind(flag(contact.calendar))
    .bind(at)
    .execute(executor)
    .await?;
    Ok(())
}

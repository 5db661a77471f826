//! Sealing what was stored before encryption, and changing the data key (`rotate-key`).

use super::seal::{Field, Sealer};
use super::{with_pool, ConnectError, Db};

/// Every sealed column: its table, the table's key and the column.
#[rustfmt::skip]
const SEALED: &[(&str, &str, &str, Field)] = &[
    ("bookings", "id", "client_name", Field::ClientName),
    ("bookings", "id", "client_email", Field::ClientEmail),
    ("bookings", "id", "client_phone", Field::ClientPhone),
    ("client_notes", "submission_id", "body", Field::ClientNote),
    ("safety_screens", "submission_id", "answers", Field::CheckIn),
    ("clinician_notes", "id", "body", Field::ClinicianNote),
    ("safe_contacts", "submission_id", "phone", Field::SafePhone),
    ("safe_contacts", "submission_id", "email", Field::SafeEmail),
    ("safe_contacts", "submission_id", "safe_times", Field::SafeTimes),
    ("safe_contacts", "submission_id", "ask_for", Field::SafeAskFor),
    ("outbox", "id", "recipient", Field::MailRecipient),
    ("outbox", "id", "subject", Field::MailSubject),
    ("outbox", "id", "body_text", Field::MailText),
    ("outbox", "id", "body_html", Field::MailHtml),
    ("outbox", "id", "calendar", Field::MailCalendar),
    ("clinician_mfa", "clinician_id", "secret", Field::TotpSecret),
    ("referral_texts", "referral_id", "message", Field::ReferralMessage),
    ("referral_texts", "referral_id", "outcome_note", Field::ReferralNote),
    // A mail server's refusal may quote the address it refused.
    ("outbox", "id", "last_error", Field::MailError),
    ("hold_overrides", "id", "reason", Field::HoldReason),
    ("referrals", "id", "reason", Field::ReferralReason),
    // Intake answers (keyed by submission and question) are sealed by `reseal_intake!`.
];

/// The version of [`SEALED`]: raised whenever fields are added to it, so that a database whose
/// key was recorded before seals the new fields' clear values at its next start.
pub(super) const SEALED_FIELDS: i64 = 4;

/// Rows are read this many at a time, in key order.
const BATCH: i64 = 500;

/// `insert into booking_name_terms` for `terms` terms of one booking (stored already): `$1` is
/// the booking, the terms follow; each row also names the booking's submission.
pub(super) fn name_terms_insert(terms: usize) -> String {
    let submission = "(select b.submission_id from bookings b where b.id = $1)";
    let rows: Vec<String> = (0..terms)
        .map(|i| format!("(${}, $1, {submission})", i + 2))
        .collect();
    format!(
        "insert into booking_name_terms (term, booking_id, submission_id) values {} \
         on conflict do nothing",
        rows.join(", ")
    )
}

/// Opens each sealed value with `$from` (a value stored in clear reads as it is) and seals it
/// with `$to`, unless `$to` sealed it already; a client name's index terms are made again.
/// Evaluates to how many values changed. A macro, so that it runs in either backend's
/// transaction.
macro_rules! reseal {
    ($tx:expr, $from:expr, $to:expr) => {{
        let (from, to): (&Sealer, &Sealer) = ($from, $to);
        let mut changed: u64 = 0;
        for (table, key, column, field) in SEALED {
            let select = format!(
                "select {key}, {column} from {table} where {key} > $1 and {column} is not null \
                 order by {key} limit $2"
            );
            let update = format!("update {table} set {column} = $2 where {key} = $1");
            let mut after = 0_i64;
            loop {
                let rows: Vec<(i64, String)> = sqlx::query_as(&select)
                    .bind(after)
                    .bind(BATCH)
                    .fetch_all(&mut **$tx)
                    .await?;
                let Some(&(last, _)) = rows.last() else {
                    break;
                };
                after = last;
                for (id, stored) in rows {
                    // Emptied (a delivered message's contents, after the purge) stays empty.
                    if stored.is_empty() || to.sealed_here(&stored) {
                        continue;
                    }
                    let plain = from.open(*field, stored)?;
                    let sealed = to.seal(*field, &plain)?;
                    sqlx::query(&update)
                        .bind(id)
                        .bind(sealed)
                        .execute(&mut **$tx)
                        .await?;
                    if *field == Field::ClientName {
                        sqlx::query("delete from booking_name_terms where booking_id = $1")
                            .bind(id)
                            .execute(&mut **$tx)
                            .await?;
                        let terms = to.name_terms(&plain);
                        if !terms.is_empty() {
                            let insert = name_terms_insert(terms.len());
                            let mut query = sqlx::query(&insert).bind(id);
                            for term in &terms {
                                query = query.bind(term);
                            }
                            query.execute(&mut **$tx).await?;
                        }
                    }
                    changed += 1;
                }
            }
        }
        changed + reseal_intake!($tx, from, to)
    }};
}

/// As [`reseal!`] for the intake's answers, whose rows are keyed by submission and question;
/// an answer the workspace filters on gets its keyed tag under `$to` (a value from before the
/// tags had none).
macro_rules! reseal_intake {
    ($tx:expr, $from:expr, $to:expr) => {{
        let (from, to): (&Sealer, &Sealer) = ($from, $to);
        let select = "select submission_id, question_key, value from intake_answers \
                      where (submission_id, question_key) > ($1, $2) \
                      order by submission_id, question_key limit $3";
        let update = "update intake_answers set value = $3, tag = $4 \
                      where submission_id = $1 and question_key = $2";
        let mut changed: u64 = 0;
        let mut after = (0_i64, String::new());
        loop {
            let rows: Vec<(i64, String, String)> = sqlx::query_as(select)
                .bind(after.0)
                .bind(&after.1)
                .bind(BATCH)
                .fetch_all(&mut **$tx)
                .await?;
            let Some((last, last_key, _)) = rows.last() else {
                break;
            };
            after = (*last, last_key.clone());
            for (id, key, stored) in rows {
                if to.sealed_here(&stored) {
                    continue;
                }
                let plain = from.open(Field::IntakeAnswer, stored)?;
                let tag = super::intake::filter_tag(to, &key, &plain);
                sqlx::query(update)
                    .bind(id)
                    .bind(&key)
                    .bind(to.seal(Field::IntakeAnswer, &plain)?)
                    .bind(tag)
                    .execute(&mut **$tx)
                    .await?;
                changed += 1;
            }
        }
        changed
    }};
}

impl Db {
    /// The database's key must be this one. On first run it is recorded and every value
    /// stored in clear is sealed; on the first run of a version that seals more fields, their
    /// clear values are. Each in one transaction, so a crash part way leaves nothing half done.
    pub(super) async fn record_key(
        &self,
        stored: Option<(String, i64)>,
    ) -> Result<(), ConnectError> {
        let mine = self.sealer.key_id().to_owned();
        if let Some((stored, fields)) = stored {
            if stored != mine {
                return Err(ConnectError::WrongKey { stored });
            }
            if fields >= SEALED_FIELDS {
                return Ok(());
            }
        }
        let insert = "insert into data_key (id, key_id, created_at, sealed_fields) \
                      values (1, $1, $2, $3) on conflict (id) do nothing";
        let read = "select key_id from data_key where id = 1";
        let mark = "update data_key set sealed_fields = $1 where id = 1";
        let sealer = self.sealer.clone();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Another instance starting at the same moment may have recorded its key first.
            sqlx::query(insert)
                .bind(&mine)
                .bind(chrono::Utc::now())
                .bind(SEALED_FIELDS)
                .execute(&mut *tx)
                .await?;
            let stored: String = sqlx::query_scalar(read).fetch_one(&mut *tx).await?;
            if stored != mine {
                return Err(ConnectError::WrongKey { stored });
            }
            let _sealed = reseal!(&mut tx, &sealer, &sealer);
            sqlx::query(mark).bind(SEALED_FIELDS).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        self.flush_log().await?;
        Ok(())
    }

    /// Seals every sealed field again under `to`, rebuilds the name index with it and records
    /// it as the database's key, in one transaction. Every instance must be stopped first: one
    /// still running has the old key. Returns how many values were sealed again.
    pub async fn rotate_key(&self, to: &Sealer) -> Result<u64, sqlx::Error> {
        let from = self.sealer.clone();
        let update = "update data_key set key_id = $1, sealed_fields = $2 where id = 1";
        let changed = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = reseal!(&mut tx, &from, to);
            sqlx::query(update)
                .bind(to.key_id())
                .bind(SEALED_FIELDS)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            changed
        });
        self.flush_log().await?;
        Ok(changed)
    }

    /// SQLite: writes the log back into the database file and empties it, so the values just
    /// replaced have no copy left in either file.
    async fn flush_log(&self) -> Result<(), sqlx::Error> {
        if let super::Pool::Sqlite(pool) = self.pool() {
            sqlx::query("pragma wal_checkpoint(truncate)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }
}

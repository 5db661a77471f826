//! The directory of services and clinicians, and the referrals of clients to its entries.

use chrono::{DateTime, NaiveDate, Utc};

use super::audit::{self, Audit, AuditAction};
use super::seal::Field;
use super::{outbox, with_pool, Db, NewEmail, SubmissionId};
use crate::domain::referral::{
    Category, ClientAnswer, Delivery, EntryDraft, EntryKind, Outcome, Reason,
};
use crate::domain::workflow::WorkflowStatus;

/// Primary key of a directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId(pub i64);

/// Primary key of a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReferralId(pub i64);

/// A stored directory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub id: EntryId,
    pub draft: EntryDraft,
    pub retired: bool,
}

/// What the directory list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DirectoryFilter {
    pub category: Option<Category>,
    /// Matched against the languages as written, ignoring case.
    pub language: Option<String>,
    pub accepting_only: bool,
    /// Only entries last checked before this date.
    pub checked_before: Option<NaiveDate>,
    pub include_retired: bool,
}

const ENTRY_COLUMNS: &str = "id, name, kind, categories, languages, modalities, delivery, \
    location, fees, sliding_scale = 1 as sliding_scale, accepting = 1 as accepting, phone, email, \
    website, how_to_refer, last_checked, retired_at is not null as retired";

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    name: String,
    kind: String,
    categories: String,
    languages: String,
    modalities: String,
    delivery: String,
    location: String,
    fees: String,
    sliding_scale: bool,
    accepting: bool,
    phone: String,
    email: String,
    website: String,
    how_to_refer: String,
    last_checked: NaiveDate,
    retired: bool,
}

/// An entry of a referral's list, with the referral it belongs to.
#[derive(sqlx::FromRow)]
struct ListedEntry {
    referral_id: i64,
    #[sqlx(flatten)]
    entry: EntryRow,
}

fn entry(row: EntryRow) -> Result<DirectoryEntry, sqlx::Error> {
    let decode = |what: &str| sqlx::Error::Decode(format!("a directory entry's {what}").into());
    Ok(DirectoryEntry {
        id: EntryId(row.id),
        draft: EntryDraft {
            name: row.name,
            kind: EntryKind::parse(&row.kind).ok_or_else(|| decode("kind"))?,
            categories: Category::split(&row.categories),
            languages: row.languages,
            modalities: row.modalities,
            delivery: Delivery::parse(&row.delivery).ok_or_else(|| decode("delivery"))?,
            location: row.location,
            fees: row.fees,
            sliding_scale: row.sliding_scale,
            accepting: row.accepting,
            phone: row.phone,
            email: row.email,
            website: row.website,
            how_to_refer: row.how_to_refer,
            last_checked: row.last_checked,
        },
        retired: row.retired,
    })
}

const INSERT_ENTRY: &str = "insert into directory_entries (name, kind, categories, languages, \
    modalities, delivery, location, fees, sliding_scale, accepting, phone, email, website, \
    how_to_refer, last_checked, created_at, updated_at) \
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
    returning id";

const UPDATE_ENTRY: &str = "update directory_entries set name = $2, kind = $3, categories = $4, \
    languages = $5, modalities = $6, delivery = $7, location = $8, fees = $9, \
    sliding_scale = $10, accepting = $11, phone = $12, email = $13, website = $14, \
    how_to_refer = $15, last_checked = $16, updated_at = $17 where id = $1";

/// Binds a draft's columns, in [`INSERT_ENTRY`]'s order after `$0` (`$1` to `$15`).
macro_rules! bind_draft {
    ($query:expr, $d:expr) => {
        $query
            .bind($d.name.clone())
            .bind($d.kind.as_str())
            .bind(Category::join(&$d.categories))
            .bind($d.languages.clone())
            .bind($d.modalities.clone())
            .bind($d.delivery.as_str())
            .bind($d.location.clone())
            .bind($d.fees.clone())
            .bind(i16::from($d.sliding_scale))
            .bind(i16::from($d.accepting))
            .bind($d.phone.clone())
            .bind($d.email.clone())
            .bind($d.website.clone())
            .bind($d.how_to_refer.clone())
            .bind($d.last_checked)
    };
}

/// A referral to be sent.
pub struct NewReferral<'a> {
    pub submission: SubmissionId,
    pub reason: Reason,
    pub message: Option<&'a str>,
    pub token_hash: &'a str,
    /// `None`: nothing to email (the clinician prints it).
    pub email: Option<&'a NewEmail>,
    pub entries: &'a [EntryId],
    /// Move the workflow to "Referred out" (unless the practice keeps the client too).
    pub refer_out: bool,
}

/// A referral as the submission page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: ReferralId,
    pub submission: SubmissionId,
    pub by: String,
    pub reason: Reason,
    pub message: Option<String>,
    pub emailed: bool,
    pub outcome: Option<Outcome>,
    pub outcome_note: Option<String>,
    pub followed_up_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub sent_at: DateTime<Utc>,
    /// The entries sent, in the order chosen.
    pub entries: Vec<DirectoryEntry>,
    /// What the client last said from their link, and when: beside the outcome, never over it.
    pub client_answer: Option<(ClientAnswer, DateTime<Utc>)>,
}

/// An open referral the practice follows up, with its submission's reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReferral {
    pub reference: String,
    pub sent_at: DateTime<Utc>,
    pub followed_up_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
}

type ReferralRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
    Option<String>,
    Option<DateTime<Utc>>,
);

const REFERRAL_COLUMNS: &str = "r.id, r.submission_id, c.display_name, r.reason, t.message, \
    r.channel, r.outcome, t.outcome_note, r.followed_up_at, r.closed_at, r.sent_at, \
    r.client_answer, r.client_answered_at";

impl Db {
    /// Directory entries by name, narrowed by `filter`.
    pub async fn directory(
        &self,
        filter: &DirectoryFilter,
    ) -> Result<Vec<DirectoryEntry>, sqlx::Error> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from directory_entries \
             where ($1 or retired_at is null) \
             and ($2 = '' or categories like $2) \
             and ($3 = '' or lower(';' || replace(languages, ' ', '') || ';') like $3) \
             and ($4 = 0 or accepting = 1) \
             and ($5 = '' or last_checked < $6) \
             order by lower(name), id"
        );
        let category = filter
            .category
            .map(|c| format!("%;{};%", c.as_str()))
            .unwrap_or_default();
        let language = filter
            .language
            .as_deref()
            .map(|l| l.trim().replace(' ', "").to_lowercase())
            .filter(|l| !l.is_empty())
            .map(|l| format!("%;{l};%"))
            .unwrap_or_default();
        let stale = filter.checked_before.map(|_| "stale").unwrap_or_default();
        let before = filter
            .checked_before
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date"));
        let rows: Vec<EntryRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(filter.include_retired)
                .bind(category)
                .bind(language)
                .bind(i32::from(filter.accepting_only))
                .bind(stale)
                .bind(before)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(entry).collect()
    }

    pub async fn directory_entry(
        &self,
        id: EntryId,
    ) -> Result<Option<DirectoryEntry>, sqlx::Error> {
        let sql = format!("select {ENTRY_COLUMNS} from directory_entries where id = $1");
        let row: Option<EntryRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        });
        row.map(entry).transpose()
    }

    /// Adds entries (one, or a whole import) with their audit row, all or none.
    pub async fn add_directory_entries(
        &self,
        drafts: &[EntryDraft],
        audit: &Audit,
    ) -> Result<Vec<EntryId>, sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(drafts.len());
            for d in drafts {
                let id: i64 = bind_draft!(sqlx::query_scalar(INSERT_ENTRY), d)
                    .bind(audit.at)
                    .fetch_one(&mut *tx)
                    .await?;
                ids.push(EntryId(id));
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Rewrites an entry; `false` when there is none.
    pub async fn update_directory_entry(
        &self,
        id: EntryId,
        draft: &EntryDraft,
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let query = sqlx::query(UPDATE_ENTRY).bind(id.0);
            let done = bind_draft!(query, draft)
                .bind(audit.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
            Ok(done == 1)
        })
    }

    /// Retires an entry (or brings it back): it leaves the lists, and referrals keep naming it.
    pub async fn retire_directory_entry(
        &self,
        id: EntryId,
        retire: bool,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = if retire {
            "update directory_entries set retired_at = $2, updated_at = $2 \
             where id = $1 and retired_at is null"
        } else {
            "update directory_entries set retired_at = null, updated_at = $2 \
             where id = $1 and retired_at is not null"
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql).bind(id.0).bind(audit.at).execute(&mut *tx).await?;
            if done.rows_affected() == 1 {
                audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sends a referral: the referral and its entries, the client's message (if there is an
    /// address), the move to "Referred out" and the audit row, in one transaction.
    pub async fn create_referral(
        &self,
        new: &NewReferral<'_>,
        audit: &Audit,
    ) -> Result<ReferralId, sqlx::Error> {
        let insert = "insert into referrals (submission_id, clinician_id, reason, \
                      token_hash, channel, sent_at, updated_at) \
                      values ($1, $2, $3, $4, $5, $6, $6) returning id";
        let text = "insert into referral_texts (referral_id, message) values ($1, $2)";
        let message = self.sealer.seal_opt(Field::ReferralMessage, new.message)?;
        let reason = self
            .sealer
            .seal(Field::ReferralReason, new.reason.as_str())?;
        let link = "insert into referral_entries (referral_id, entry_id, position) \
                    values ($1, $2, $3)";
        let current = "select workflow from submissions where id = $1";
        let channel = if new.email.is_some() {
            "email"
        } else {
            "print"
        };
        let to = WorkflowStatus::ReferredOut.as_str();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(insert)
                .bind(new.submission.0)
                .bind(audit.by.0)
                .bind(&reason)
                .bind(new.token_hash)
                .bind(channel)
                .bind(audit.at)
                .fetch_one(&mut *tx)
                .await?;
            if let Some(message) = &message {
                sqlx::query(text).bind(id).bind(message).execute(&mut *tx).await?;
            }
            for (n, entry) in new.entries.iter().enumerate() {
                sqlx::query(link)
                    .bind(id)
                    .bind(entry.0)
                    .bind(n as i32)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(email) = new.email {
                let about = (None, Some(new.submission.0));
                outbox::queue(&mut *tx, &self.sealer, email, audit.at, about).await?;
            }
            if new.refer_out {
                let from: String =
                    sqlx::query_scalar(current).bind(new.submission.0).fetch_one(&mut *tx).await?;
                if from != to {
                    sqlx::query(super::workflow::MOVE)
                        .bind(new.submission.0)
                        .bind(&from)
                        .bind(to)
                        .bind(audit.at)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(super::workflow::EVENT)
                        .bind(new.submission.0)
                        .bind(Some(audit.by.0))
                        .bind(from)
                        .bind(to.to_owned())
                        .bind(audit.at)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
            Ok(ReferralId(id))
        })
    }

    async fn referral_rows(
        &self,
        where_clause: &str,
        key: ReferralKey<'_>,
    ) -> Result<Vec<Referral>, sqlx::Error> {
        let sql = format!(
            "select {REFERRAL_COLUMNS} from referrals r join clinicians c on c.id = r.clinician_id \
             left join referral_texts t on t.referral_id = r.id \
             where {where_clause} order by r.sent_at, r.id"
        );
        let rows: Vec<ReferralRow> = with_pool!(self, pool => {
            let query = sqlx::query_as(&sql);
            let query = match key {
                ReferralKey::Submission(s) => query.bind(s.0),
                ReferralKey::TokenHash(h) => query.bind(h.to_owned()),
            };
            query.fetch_all(pool).await?
        });
        // Every entry of those referrals in one query, in each referral's chosen order.
        let entries_sql = format!(
            "select re.referral_id, {} from referral_entries re \
             join directory_entries d on d.id = re.entry_id \
             join referrals r on r.id = re.referral_id \
             where {where_clause} order by re.referral_id, re.position",
            ENTRY_COLUMNS
                .split(", ")
                .map(|c| format!("d.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let listed: Vec<ListedEntry> = with_pool!(self, pool => {
            let query = sqlx::query_as(&entries_sql);
            let query = match key {
                ReferralKey::Submission(s) => query.bind(s.0),
                ReferralKey::TokenHash(h) => query.bind(h.to_owned()),
            };
            query.fetch_all(pool).await?
        });
        let mut entries: std::collections::HashMap<i64, Vec<DirectoryEntry>> = Default::default();
        for row in listed {
            entries
                .entry(row.referral_id)
                .or_default()
                .push(entry(row.entry)?);
        }
        rows.into_iter()
            .map(|row| {
                Ok(Referral {
                    id: ReferralId(row.0),
                    submission: SubmissionId(row.1),
                    by: row.2,
                    reason: Reason::parse(&self.sealer.open(Field::ReferralReason, row.3)?)
                        .ok_or_else(|| sqlx::Error::Decode("a referral's reason".into()))?,
                    message: self.sealer.open_opt(Field::ReferralMessage, row.4)?,
                    emailed: row.5 == "email",
                    outcome: row.6.as_deref().and_then(Outcome::parse),
                    outcome_note: self.sealer.open_opt(Field::ReferralNote, row.7)?,
                    followed_up_at: row.8,
                    closed_at: row.9,
                    sent_at: row.10,
                    entries: entries.remove(&row.0).unwrap_or_default(),
                    client_answer: row.11.as_deref().and_then(ClientAnswer::parse).zip(row.12),
                })
            })
            .collect()
    }

    /// A submission's referrals, oldest first.
    pub async fn referrals_of(
        &self,
        submission: SubmissionId,
    ) -> Result<Vec<Referral>, sqlx::Error> {
        self.referral_rows("r.submission_id = $1", ReferralKey::Submission(submission))
            .await
    }

    /// The referral a client's private link opens.
    pub async fn referral_by_token_hash(
        &self,
        hash: &str,
    ) -> Result<Option<Referral>, sqlx::Error> {
        Ok(self
            .referral_rows("r.token_hash = $1", ReferralKey::TokenHash(hash))
            .await?
            .into_iter()
            .next())
    }

    /// Records how the loop stands, as a clinician says (audited in the same transaction).
    pub async fn set_referral_outcome(
        &self,
        id: ReferralId,
        outcome: Outcome,
        note: Option<&str>,
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update referrals set outcome = $2, updated_at = $3 where id = $1";
        let text = "insert into referral_texts (referral_id, outcome_note) values ($1, $2) \
                    on conflict (referral_id) do update set outcome_note = excluded.outcome_note";
        let note = self.sealer.seal_opt(Field::ReferralNote, note)?;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql)
                .bind(id.0)
                .bind(outcome.as_str())
                .bind(audit.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                sqlx::query(text).bind(id.0).bind(&note).execute(&mut *tx).await?;
                audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
            Ok(done == 1)
        })
    }

    /// Records what the client said from their link, beside the clinician's outcome and note
    /// (never over them), audited as the app's. An ended referral takes nothing.
    pub async fn record_client_answer(
        &self,
        id: ReferralId,
        submission: SubmissionId,
        answer: ClientAnswer,
        at: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update referrals set client_answer = $2, client_answered_at = $3, \
                   updated_at = $3 where id = $1 and closed_at is null";
        let action = AuditAction::ReferralClientAnswer;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql)
                .bind(id.0)
                .bind(answer.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                audit::write_by_app(&mut *tx, &action, Some(submission), at).await?;
            }
            tx.commit().await?;
            Ok(done == 1)
        })
    }

    /// A clinician followed the referral up (whatever came of it), or closed it.
    pub async fn mark_referral(
        &self,
        id: ReferralId,
        close: bool,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = if close {
            "update referrals set closed_at = $2, updated_at = $2 where id = $1 and closed_at is null"
        } else {
            "update referrals set followed_up_at = $2, updated_at = $2 where id = $1"
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql).bind(id.0).bind(audit.at).execute(&mut *tx).await?;
            if done.rows_affected() == 1 {
                audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Open referrals whose client has not connected or declined: the candidates for a
    /// follow-up, oldest first.
    pub async fn open_referrals(&self) -> Result<Vec<OpenReferral>, sqlx::Error> {
        let sql = "select s.reference, r.sent_at, r.followed_up_at, r.outcome \
                   from referrals r join submissions s on s.id = r.submission_id \
                   where r.closed_at is null \
                   and (r.outcome is null or r.outcome = 'not_connected') \
                   order by r.sent_at, r.id";
        type Row = (String, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(reference, sent_at, followed_up_at, outcome)| OpenReferral {
                    reference,
                    sent_at,
                    followed_up_at,
                    outcome: outcome.as_deref().and_then(Outcome::parse),
                },
            )
            .collect())
    }
}

#[derive(Clone, Copy)]
enum ReferralKey<'a> {
    Submission(SubmissionId),
    TokenHash(&'a str),
}

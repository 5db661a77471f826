//! What the practice's monthly report counts, read since a given time.

use chrono::{DateTime, Utc};

use super::seal::Field;
use super::{with_pool, Db};

/// The raw rows of the report, each with the instant it is dated by.
#[derive(Debug, Clone, Default)]
pub struct ReportRows {
    /// Intakes started, and the "how did you hear of us" answer.
    pub intakes: Vec<(DateTime<Utc>, Option<String>)>,
    /// Referrals sent: when, why, and whether the client connected.
    pub referrals: Vec<(DateTime<Utc>, String, bool)>,
    /// Check-ins a clinician reached: the check-in, and the first try that spoke with them.
    pub first_contacts: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Intakes with a consult: the intake's start, and its first consult's start.
    pub consults: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Db {
    /// Everything the report counts since `since`.
    pub async fn report_rows(
        &self,
        since: DateTime<Utc>,
        source_key: &str,
    ) -> Result<ReportRows, sqlx::Error> {
        let intakes = "select s.created_at, a.value from submissions s \
                       left join intake_answers a on a.submission_id = s.id \
                       and a.question_key = $2 where s.created_at >= $1";
        let referrals = "select sent_at, reason, coalesce(outcome = 'connected', false) \
                         from referrals where sent_at >= $1";
        let contacts = "select ss.created_at, min(f.contacted_at) from safety_screens ss \
                        join first_contacts f on f.submission_id = ss.submission_id \
                        where ss.created_at >= $1 and f.outcome = 'spoke' \
                        group by ss.submission_id, ss.created_at";
        let consults = "select s.created_at, min(b.starts_at) from submissions s \
                        join bookings b on b.submission_id = s.id \
                        where s.created_at >= $1 group by s.id, s.created_at";
        let rows: ReportRows = with_pool!(self, pool => {
            ReportRows {
                intakes: sqlx::query_as(intakes)
                    .bind(since)
                    .bind(source_key)
                    .fetch_all(pool)
                    .await?,
                referrals: sqlx::query_as(referrals).bind(since).fetch_all(pool).await?,
                first_contacts: sqlx::query_as(contacts).bind(since).fetch_all(pool).await?,
                consults: sqlx::query_as(consults).bind(since).fetch_all(pool).await?,
            }
        });
        // The answers and the reasons are sealed: opened here, counted by the caller.
        let open = |field, value| self.sealer.open(field, value);
        Ok(ReportRows {
            intakes: rows
                .intakes
                .into_iter()
                .map(|(at, source)| {
                    Ok((
                        at,
                        source.map(|s| open(Field::IntakeAnswer, s)).transpose()?,
                    ))
                })
                .collect::<Result<_, sqlx::Error>>()?,
            referrals: rows
                .referrals
                .into_iter()
                .map(|(at, reason, connected)| {
                    Ok((at, open(Field::ReferralReason, reason)?, connected))
                })
                .collect::<Result<_, sqlx::Error>>()?,
            ..rows
        })
    }
}

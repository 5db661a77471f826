//! What the booking limits count (`BOOKINGS_PER_DAY`; `service::booking`).

use chrono::{DateTime, Utc};

use super::super::submissions::SubmissionId;
use super::super::{with_pool, Db};

impl Db {
    /// How many bookings (live or cancelled) were made on a questionnaire since `since`,
    /// not counting the one with `request_key` (a retry of a booking is not a new one).
    pub async fn bookings_made_since(
        &self,
        submission: SubmissionId,
        since: DateTime<Utc>,
        request_key: &str,
    ) -> Result<i64, sqlx::Error> {
        let sql = "select count(*) from bookings \
                   where submission_id = $1 and created_at > $2 and request_key <> $3";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(sql)
                .bind(submission.0)
                .bind(since)
                .bind(request_key)
                .fetch_one(pool)
                .await?
        }))
    }
}

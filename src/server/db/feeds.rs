//! Each clinician's private calendar feed: the hash of its secret, one per account. Making a
//! new one replaces the old, so an address that leaked stops working at once.

use chrono::{DateTime, Utc};

use super::{with_pool, ClinicianId, Db};

impl Db {
    /// Replaces `clinician`'s feed secret with `token_hash` (a new feed), audited.
    pub async fn set_calendar_feed(
        &self,
        clinician: ClinicianId,
        token_hash: &str,
        audit: &super::Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into calendar_feeds (clinician_id, token_hash, created_at) \
                   values ($1, $2, $3) on conflict (clinician_id) \
                   do update set token_hash = excluded.token_hash, created_at = excluded.created_at";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(clinician.0)
                .bind(token_hash)
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends `clinician`'s feed, audited; `false` when there was none.
    pub async fn end_calendar_feed(
        &self,
        clinician: ClinicianId,
        audit: &super::Audit,
    ) -> Result<bool, sqlx::Error> {
        let sql = "delete from calendar_feeds where clinician_id = $1";
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql).bind(clinician.0).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
            true
        }))
    }

    /// When `clinician`'s current feed was made, if they have one.
    pub async fn calendar_feed_since(
        &self,
        clinician: ClinicianId,
    ) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        let sql = "select created_at from calendar_feeds where clinician_id = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(clinician.0).fetch_optional(pool).await?
        }))
    }

    /// Whose feed the secret hashing to `token_hash` is, if it is a live one of an active
    /// account.
    pub async fn calendar_feed_owner(
        &self,
        token_hash: &str,
    ) -> Result<Option<ClinicianId>, sqlx::Error> {
        let sql = "select f.clinician_id from calendar_feeds f \
                   join clinicians c on c.id = f.clinician_id \
                   where f.token_hash = $1 and c.active = 1";
        let id: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(token_hash).fetch_optional(pool).await?
        });
        Ok(id.map(ClinicianId))
    }

    /// `clinician`'s consults that end after `from`, booked or cancelled (a cancelled one stays
    /// in the feed, marked so, until it would have ended), earliest first, at most `limit`.
    /// Nothing sealed is read: the feed never holds a name or an address.
    pub async fn feed_consults(
        &self,
        clinician: ClinicianId,
        from: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<FeedConsult>, sqlx::Error> {
        let sql = "select b.id, s.reference, b.starts_at, b.ends_at, \
                   b.status = 'cancelled' as cancelled, b.sequence, b.for_couple \
                   from bookings b join submissions s on s.id = b.submission_id \
                   where b.clinician_id = $1 and b.ends_at > $2 \
                   order by b.starts_at, b.id limit $3";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(clinician.0)
                .bind(from)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }
}

/// One consult as a clinician's calendar feed shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedConsult {
    pub id: i64,
    pub reference: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    pub sequence: i32,
    pub for_couple: bool,
}

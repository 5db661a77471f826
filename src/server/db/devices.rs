//! Browsers each staff account has finished a login on (security F2): a lock after wrong
//! passwords stops every other browser, and these pass it.

use chrono::{DateTime, Duration, Utc};

use super::{with_pool, ClinicianId, Db};

/// Forgets every browser of an account, in the transaction that changes its password or resets
/// its two-step sign-in: whoever had it before must pass the lock like anyone else.
pub(super) const FORGET_DEVICES: &str = "delete from known_devices where clinician_id = $1";

/// A browser not seen at a login for this long is a new browser again.
pub const DEVICE_DAYS: i64 = 180;
/// Browsers remembered per account; the oldest goes when a new one comes.
const DEVICES_PER_ACCOUNT: i64 = 10;

impl Db {
    /// Whether the browser whose cookie hashes to `token_hash` finished a login on `clinician`
    /// within [`DEVICE_DAYS`]. Asked on every login, with an empty hash when there is no cookie,
    /// so a login costs the same whatever the browser sent.
    pub async fn known_device(
        &self,
        clinician: ClinicianId,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "select count(*) from known_devices \
                   where clinician_id = $1 and token_hash = $2 and last_seen_at > $3";
        let since = now - Duration::days(DEVICE_DAYS);
        let n: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(sql)
                .bind(clinician.0)
                .bind(token_hash)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(n > 0)
    }

    /// Remembers (or refreshes) a browser after a finished login, keeping the account's
    /// [`DEVICES_PER_ACCOUNT`] most recent.
    pub async fn remember_device(
        &self,
        clinician: ClinicianId,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let upsert =
            "insert into known_devices (token_hash, clinician_id, created_at, last_seen_at) \
                      values ($1, $2, $3, $3) on conflict (token_hash, clinician_id) \
                      do update set last_seen_at = excluded.last_seen_at";
        let trim = "delete from known_devices where clinician_id = $1 and token_hash not in \
                    (select token_hash from known_devices where clinician_id = $1 \
                     order by last_seen_at desc limit $2)";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(upsert).bind(token_hash).bind(clinician.0).bind(now).execute(&mut *tx).await?;
            sqlx::query(trim).bind(clinician.0).bind(DEVICES_PER_ACCOUNT).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

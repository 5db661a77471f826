//! Workspace sessions: one row per login, holding the session's data as JSON, when it expires
//! (Unix seconds) and the clinician it belongs to, so every session of an account ends with one
//! `delete`. `auth::session_store` adapts these to tower-sessions.

use chrono::Utc;

use super::{with_pool, ClinicianId, Db};

/// A session as stored.
#[derive(Debug, Clone)]
pub struct StoredSession<'a> {
    pub id: &'a str,
    pub data: &'a str,
    pub expires_at: i64,
    pub clinician: Option<i64>,
}

const INSERT: &str = "insert into sessions (id, data, expires_at, clinician_id, created_at) \
                      values ($1, $2, $3, $4, $5)";
// Only ever updates: a session that a logout or password change removed while one of its
// requests was still being answered stays removed when that request saves on its way out.
// Every request saves its session (the idle timeout counts from the last one), but the row is
// written only when its data changed or its expiry moved by a minute or more: a clinician
// paging through the list costs no write (on PostgreSQL, no commit to flush) per page.
const UPDATE: &str = "update sessions set data = $2, expires_at = $3, clinician_id = $4 \
                      where id = $1 and (data <> $2 or expires_at < $3 - 60)";

impl Db {
    /// A new session; fails with a unique violation if the id is taken.
    pub async fn insert_session(&self, s: &StoredSession<'_>) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        with_pool!(self, pool => {
            sqlx::query(INSERT)
                .bind(s.id)
                .bind(s.data)
                .bind(s.expires_at)
                .bind(s.clinician)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Saves a session that still exists; one that has ended is not brought back.
    pub async fn save_session(&self, s: &StoredSession<'_>) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => {
            sqlx::query(UPDATE)
                .bind(s.id)
                .bind(s.data)
                .bind(s.expires_at)
                .bind(s.clinician)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// A session's data and expiry, unless it has expired by `now` (Unix seconds).
    pub async fn session(&self, id: &str, now: i64) -> Result<Option<(String, i64)>, sqlx::Error> {
        let sql = "select data, expires_at from sessions where id = $1 and expires_at > $2";
        let row = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(id).bind(now).fetch_optional(pool).await?
        });
        Ok(row)
    }

    pub async fn delete_session(&self, id: &str) -> Result<(), sqlx::Error> {
        let sql = "delete from sessions where id = $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// Removes sessions expired by `now` (Unix seconds); how many went.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, sqlx::Error> {
        let sql = "delete from sessions where expires_at <= $1";
        let done = with_pool!(self, pool => {
            sqlx::query(sql).bind(now).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }

    /// Ends every session of a clinician but the one stored as `keep` (a two-step change).
    pub async fn delete_other_sessions(
        &self,
        clinician: ClinicianId,
        keep: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = "delete from sessions where clinician_id = $1 and id <> $2";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(clinician.0).bind(keep).execute(pool).await?;
        });
        Ok(())
    }

    /// Ends every session of a clinician (password change, deactivation).
    pub async fn delete_sessions_of(&self, clinician: ClinicianId) -> Result<(), sqlx::Error> {
        let sql = "delete from sessions where clinician_id = $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(clinician.0).execute(pool).await?;
        });
        Ok(())
    }
}

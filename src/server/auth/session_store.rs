//! Server-side sessions in the app's own database (SQLite or PostgreSQL), for tower-sessions.
//!
//! The cookie carries only a random 128-bit id; everything else stays here. Rows record the
//! clinician they belong to, so logging out everywhere (password change, deactivation) is one
//! `delete`.

use async_trait::async_trait;
use chrono::Utc;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

use crate::server::db::{with_pool, ClinicianId, Db};

/// The session key holding the logged-in clinician's id.
pub const CLINICIAN_KEY: &str = "clinician_id";

#[derive(Clone, Debug)]
pub struct DbSessionStore(pub Db);

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

const INSERT: &str = "insert into sessions (id, data, expires_at, clinician_id, created_at) \
                      values ($1, $2, $3, $4, $5)";
const UPSERT: &str = "insert into sessions (id, data, expires_at, clinician_id, created_at) \
                      values ($1, $2, $3, $4, $5) \
                      on conflict (id) do update set data = excluded.data, \
                      expires_at = excluded.expires_at, clinician_id = excluded.clinician_id";

impl DbSessionStore {
    async fn write(&self, sql: &str, record: &Record) -> std::result::Result<(), sqlx::Error> {
        let id = record.id.to_string();
        let data =
            serde_json::to_string(&record.data).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let expires = record.expiry_date.unix_timestamp();
        let clinician = record.data.get(CLINICIAN_KEY).and_then(|v| v.as_i64());
        let now = Utc::now();
        with_pool!(&self.0, pool => {
            sqlx::query(sql)
                .bind(id)
                .bind(data)
                .bind(expires)
                .bind(clinician)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Removes expired rows; run periodically.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let sql = "delete from sessions where expires_at <= $1";
        let done = with_pool!(&self.0, pool => {
            sqlx::query(sql).bind(now).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }

    /// Ends every session of a clinician (logout everywhere, password change, deactivation).
    pub async fn delete_for(&self, clinician: ClinicianId) -> std::result::Result<(), sqlx::Error> {
        let sql = "delete from sessions where clinician_id = $1";
        with_pool!(&self.0, pool => {
            sqlx::query(sql).bind(clinician.0).execute(pool).await?;
        });
        Ok(())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A new id that collides with a live one gets another id, never the other's data.
        loop {
            match self.write(INSERT, record).await {
                Ok(()) => return Ok(()),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    record.id = Id::default()
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.write(UPSERT, record).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        // The library does not check expiry itself: an expired row must read as no session.
        let sql = "select data, expires_at from sessions where id = $1 and expires_at > $2";
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row: Option<(String, i64)> = with_pool!(&self.0, pool => {
            sqlx::query_as(sql)
                .bind(id.to_string())
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(backend)?
        });
        let Some((data, expires)) = row else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(expires).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let sql = "delete from sessions where id = $1";
        with_pool!(&self.0, pool => {
            sqlx::query(sql).bind(id.to_string()).execute(pool).await.map_err(backend)?;
        });
        Ok(())
    }
}

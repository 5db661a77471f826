//! Server-side sessions in the app's own database (SQLite or PostgreSQL), for tower-sessions:
//! the glue only; the SQL is `db::sessions`.
//!
//! The cookie carries only a random 128-bit id; everything else stays here. The table keeps
//! only the id's SHA-256, so a copy of the database (a backup, a dump) holds no id that would
//! let anyone into a clinician's live session. Rows record the clinician they belong to, so
//! logging out everywhere (password change, deactivation) is one `delete`.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

use crate::server::db::{ClinicianId, Db, StoredSession};

/// The session key holding the logged-in clinician's id.
pub const CLINICIAN_KEY: &str = "clinician_id";

#[derive(Clone, Debug)]
pub struct DbSessionStore(pub Db);

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

/// What the table stores for a session id: its SHA-256, hex.
pub fn stored_id(id: &Id) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

impl DbSessionStore {
    async fn write(&self, record: &Record, create: bool) -> std::result::Result<(), sqlx::Error> {
        let id = stored_id(&record.id);
        // In key order, so the same data is the same text and an unchanged session is not
        // written again (`db::sessions`).
        let sorted: std::collections::BTreeMap<_, _> = record.data.iter().collect();
        let data = serde_json::to_string(&sorted).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let session = StoredSession {
            id: &id,
            data: &data,
            expires_at: record.expiry_date.unix_timestamp(),
            clinician: record.data.get(CLINICIAN_KEY).and_then(|v| v.as_i64()),
        };
        if create {
            self.0.insert_session(&session).await
        } else {
            self.0.save_session(&session).await
        }
    }

    /// Removes expired rows; run periodically.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.0.delete_expired_sessions(now).await
    }

    /// Ends every session of a clinician but `keep` (the one making a two-step change): a
    /// session someone else holds does not outlive it.
    pub async fn delete_others(
        &self,
        clinician: ClinicianId,
        keep: Option<Id>,
    ) -> std::result::Result<(), sqlx::Error> {
        match keep {
            Some(id) => {
                self.0
                    .delete_other_sessions(clinician, &stored_id(&id))
                    .await
            }
            None => self.0.delete_sessions_of(clinician).await,
        }
    }

    /// Ends every session of a clinician (logout everywhere, password change, deactivation).
    pub async fn delete_for(&self, clinician: ClinicianId) -> std::result::Result<(), sqlx::Error> {
        self.0.delete_sessions_of(clinician).await
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A new id that collides with a live one gets another id, never the other's data.
        loop {
            match self.write(record, true).await {
                Ok(()) => return Ok(()),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    record.id = Id::default()
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.write(record, false).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        // The library does not check expiry itself: an expired row must read as no session.
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row = self.0.session(&stored_id(id), now).await.map_err(backend)?;
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
        self.0.delete_session(&stored_id(id)).await.map_err(backend)
    }
}

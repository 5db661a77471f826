//! The only place SQL lives.
//!
//! One binary serves SQLite (the embedded default) and PostgreSQL (for deployments with several
//! instances). `sqlx::Any` cannot carry chrono timestamps, so [`Db`] is an enum of the two
//! concrete pools and every query is written once, in portable SQL with `$n` placeholders, and
//! type-checked against each backend by [`with_pool!`]. Each backend has its own migrations
//! folder because column types (identity, timestamptz) differ.

mod audit;
pub mod backup;
mod bookings;
mod clinicians;
mod constraint;
mod couples;
mod devices;
mod feeds;
mod intake;
mod mfa;
pub(crate) mod outbox;
mod owners;
mod referrals;
mod rekey;
mod report;
mod retention;
mod safety;
pub mod seal;
mod sessions;
mod submissions;
pub(crate) mod workflow;
mod workspace_list;

pub use audit::{Audit, AuditAction, AuditEntry};
pub use bookings::*;
pub use clinicians::*;
pub use constraint::Unique;
pub use couples::*;
pub use devices::DEVICE_DAYS;
pub use feeds::FeedConsult;
pub use intake::*;
pub use mfa::StoredMfa;
pub use outbox::*;
pub use referrals::*;
pub use report::ReportRows;
pub use retention::{Purged, Retention};
pub use safety::{FirstContact, HoldOverride};
pub use seal::{DataKey, KeySource};
pub use sessions::StoredSession;
pub use submissions::*;
pub use workflow::*;
pub use workspace_list::*;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// A connection pool to whichever database `DATABASE_URL` names, and the data key its sealed
/// fields are read and written with ([`seal`]).
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    sealer: seal::Sealer,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// For [`with_pool!`], which takes a [`Db`] or a [`Pool`].
    pub(crate) fn pool(&self) -> &Pool {
        self
    }
}

/// Runs the same query code against whichever pool `$db` holds.
///
/// The body is expanded once per backend, so each expansion is type-checked with that
/// backend's native types.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match ($db).pool() {
            $crate::server::db::Pool::Sqlite($pool) => $body,
            $crate::server::db::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnknownScheme,
    #[error("could not open the database")]
    Open(#[from] sqlx::Error),
    #[error("could not create the database's folder")]
    Folder(#[source] std::io::Error),
    #[error("could not apply migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Key(String),
    #[error(
        "the data key (DATA_KEY or DATA_KEY_FILE) is not the one this database was sealed with \
         (key {stored}); set it to that key, or use `trustbridge rotate-key` to change keys"
    )]
    WrongKey { stored: String },
}

/// Why a PostgreSQL `url` would carry clients' data over the network unencrypted, if it would.
///
/// A server on this machine (loopback or a Unix socket) may be reached in clear text; any other
/// must be asked for TLS with `sslmode=require`, `verify-ca` or `verify-full`. sqlx's default
/// (`prefer`) falls back to clear text without a word, so it is refused too. A URL that does not
/// parse is left for [`Db::connect`] to report.
pub fn clear_text_to_remote(url: &str) -> Option<String> {
    use sqlx::postgres::PgSslMode;
    if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
        return None;
    }
    let options = PgConnectOptions::from_str(url).ok()?;
    if options.get_socket().is_some() {
        return None;
    }
    let host = options.get_host();
    let local = host == "localhost"
        || host.starts_with('/')
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let encrypted = matches!(
        options.get_ssl_mode(),
        PgSslMode::Require | PgSslMode::VerifyCa | PgSslMode::VerifyFull
    );
    (!local && !encrypted).then(|| {
        format!(
            "PostgreSQL at {host:?} is not on this machine, so the connection must be encrypted: \
             add sslmode=verify-full to the URL (with sslrootcert=/path/to/ca.crt for a private \
             certificate authority), or at least sslmode=require"
        )
    })
}

impl Db {
    /// Opens the database named by `url`, applies pending migrations, checks that `key` is the
    /// data key it is sealed with (on first run: records it) and seals any value stored before
    /// encryption.
    pub async fn connect(url: &str, key: &KeySource) -> Result<Self, ConnectError> {
        let pool = Self::open(url).await?;
        let read = "select key_id, sealed_fields from data_key where id = 1";
        let stored = with_pool!(pool, pool => {
            sqlx::query_as::<_, (String, i64)>(read).fetch_optional(pool).await?
        });
        let sealer = key
            .load(url, stored.as_ref().map(|(id, _)| id.as_str()))
            .await?;
        let db = Db { pool, sealer };
        db.record_key(stored).await?;
        // Every sealed field is sealed now: a value in clear is refused from here on.
        db.sealer.require_sealed();
        db.upgrade_intake_form().await?;
        Ok(db)
    }

    async fn open(url: &str) -> Result<Pool, ConnectError> {
        let db = if url.starts_with("sqlite:") {
            // WAL lets readers proceed while one writer commits; the busy timeout makes a
            // second writer wait its turn instead of failing with SQLITE_BUSY.
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // What is deleted or overwritten is zeroed in the file, so a value sealed in
                // place (or purged) leaves no clear copy in a free page.
                .pragma("secure_delete", "on")
                .busy_timeout(Duration::from_secs(10));
            // First run: create the folder the database file lives in (`data/` by default).
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    tokio::fs::create_dir_all(parent)
                        .await
                        .map_err(ConnectError::Folder)?;
                }
            }
            // A new database file only its owner can read (SQLite gives its -wal and -shm
            // files the same permissions). An existing file keeps its own.
            let file = options.get_filename();
            if file != std::path::Path::new(":memory:") {
                let created = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(file)
                    .await;
                match created {
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(ConnectError::Folder(e)),
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Pool::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // No JIT: it pays off for long analytical queries, not for these. The planner
            // turns it on for any plan it guesses to be costly, and a filtered workspace list
            // (a correlated subquery it cannot estimate) then spent 30 ms to 1 s compiling a
            // query that runs in 2 ms (seen at 1M rows).
            let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Pool::Postgres(pool)
        } else {
            return Err(ConnectError::UnknownScheme);
        };
        Ok(db)
    }

    /// A new database starts with the product's intake form as version 1; a form stored by an
    /// older version of the product gains the built-in questions it lacks, as a new version.
    async fn upgrade_intake_form(&self) -> Result<(), sqlx::Error> {
        use crate::domain::intake::Form;
        let now = chrono::Utc::now();
        let first = serde_json::to_string(&Form::default()).unwrap_or_default();
        self.ensure_intake_form(&first, now).await?;
        let Some(stored) = self.current_intake_form().await? else {
            return Ok(());
        };
        // A form this version cannot read is left alone; the pages say so when they load it.
        let Ok(form) = serde_json::from_str::<Form>(&stored.definition) else {
            return Ok(());
        };
        if let Some(upgraded) = form.with_product_builtins() {
            let definition = serde_json::to_string(&upgraded).unwrap_or_default();
            // Another instance may have done it a moment earlier: that is the same change.
            self.publish_intake_form_upgrade(stored.version, &definition, now)
                .await?;
        }
        Ok(())
    }

    /// The id of the data key the database is sealed with (never the key).
    pub fn key_id(&self) -> &str {
        self.sealer.key_id()
    }

    /// For [`with_pool!`].
    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Which backend this is, for start-up logs (never the URL: it may hold a password).
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Answers whether the database is reachable, for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query("select 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

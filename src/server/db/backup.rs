//! Backups of the embedded SQLite database: a consistent copy while the app runs (SQLite's
//! `VACUUM INTO`, which reads one snapshot), and restoring one into an empty database (then
//! migrated to this version, so an older backup comes back upgraded). PostgreSQL deployments
//! use `pg_dump` (see `docs/deploy.md`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};

use super::{ConnectError, Db, KeySource};

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "DATABASE_URL is PostgreSQL: back it up with pg_dump and restore with pg_restore \
         (docs/deploy.md, \"Backups\")"
    )]
    Postgres,
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnknownScheme,
    #[error("{} already exists; a backup never overwrites a file, so name a new one", .0.display())]
    Exists(PathBuf),
    #[error("{} is not a TrustBridge backup", .0.display())]
    NotABackup(PathBuf),
    #[error("{} is damaged (SQLite's integrity check failed); restore another backup", .0.display())]
    Damaged(PathBuf),
    #[error(
        "{} holds triggers or views, which TrustBridge never makes: it may have been altered, so \
         it is not restored",
        .0.display()
    )]
    Altered(PathBuf),
    #[error(
        "the database at DATABASE_URL already holds submissions or accounts; restore into a new, \
         empty one"
    )]
    NotEmpty,
    #[error("could not read or write the database")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("could not write or remove a database file")]
    Files(#[from] std::io::Error),
}

fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, BackupError> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        return Err(BackupError::Postgres);
    }
    if !url.starts_with("sqlite:") {
        return Err(BackupError::UnknownScheme);
    }
    Ok(SqliteConnectOptions::from_str(url)?)
}

async fn vacuum_into(from: &mut SqliteConnection, to: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("vacuum into $1")
        .bind(to.to_string_lossy().into_owned())
        .execute(from)
        .await?;
    Ok(())
}

/// Copies the database at `url` to the new file `to`, consistently, while the app may be
/// writing to it.
pub async fn backup(url: &str, to: &Path) -> Result<(), BackupError> {
    let options = sqlite_options(url)?;
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    // The copy holds what the live database holds: only its owner may read it, whatever the
    // umask (SQLite would create it 0644). `VACUUM INTO` fills an empty file.
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(to)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_owned()),
                _ => BackupError::Files(e),
            })?;
    }
    let copied = match options.connect().await {
        Ok(mut live) => match vacuum_into(&mut live, to).await {
            Ok(()) => live.close().await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = copied {
        // No half-made backup is left to be mistaken for one.
        let _ = std::fs::remove_file(to);
        return Err(e.into());
    }
    Ok(())
}

/// Puts the backup `from` into the database at `url`, which must be missing or hold no
/// submissions and no accounts, then migrates it to this version.
pub async fn restore(url: &str, key: &KeySource, from: &Path) -> Result<(), BackupError> {
    let target = sqlite_options(url)?;
    let not_a_backup = || BackupError::NotABackup(from.to_owned());
    if !from.is_file() {
        return Err(not_a_backup());
    }
    let mut backup = SqliteConnectOptions::new()
        .filename(from)
        .connect()
        .await
        .map_err(|_| not_a_backup())?;
    let ours = "select count(*) from sqlite_master where type = 'table' \
                and name in ('_sqlx_migrations', 'submissions', 'clinicians')";
    let tables: i64 = sqlx::query_scalar(ours)
        .fetch_one(&mut backup)
        .await
        .map_err(|_| not_a_backup())?;
    if tables != 3 {
        return Err(not_a_backup());
    }
    // A copy that was damaged, or changed where the app would run what it holds (a trigger
    // could redirect every email it sends, security N10), is refused before anything is
    // written. No migration makes a trigger or a view.
    let checked: Vec<String> = sqlx::query_scalar("pragma integrity_check")
        .fetch_all(&mut backup)
        .await
        .map_err(|_| BackupError::Damaged(from.to_owned()))?;
    if checked != ["ok"] {
        return Err(BackupError::Damaged(from.to_owned()));
    }
    let code = "select count(*) from sqlite_master where type in ('trigger', 'view')";
    let code: i64 = sqlx::query_scalar(code).fetch_one(&mut backup).await?;
    if code > 0 {
        return Err(BackupError::Altered(from.to_owned()));
    }
    // A backup of this version holds sealed fields: without their key it is of no use, so
    // that is said before anything is written. (An older backup has no key yet.)
    let sealed_with: Option<String> =
        sqlx::query_scalar("select key_id from data_key where id = 1")
            .fetch_optional(&mut backup)
            .await
            .ok()
            .flatten();
    if let Some(stored) = sealed_with {
        if key.load(url, Some(&stored)).await?.key_id() != stored {
            return Err(ConnectError::WrongKey { stored }.into());
        }
    }
    let path = target.get_filename().to_owned();
    if path.exists() {
        let mut existing = target.clone().connect().await?;
        let tables: i64 = sqlx::query_scalar(ours).fetch_one(&mut existing).await?;
        if tables == 3 {
            let rows = "select (select count(*) from submissions) \
                        + (select count(*) from clinicians)";
            let rows: i64 = sqlx::query_scalar(rows).fetch_one(&mut existing).await?;
            if rows > 0 {
                return Err(BackupError::NotEmpty);
            }
        } else if tables > 0 {
            return Err(BackupError::NotEmpty);
        }
        existing.close().await?;
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                std::fs::remove_file(file)?;
            }
        }
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    vacuum_into(&mut backup, &path).await?;
    backup.close().await?;
    // Brings an older backup up to this version's schema, and checks it opens with the key.
    Db::connect(url, key).await?.close().await;
    Ok(())
}

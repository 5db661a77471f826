//! Administrative subcommands of the server binary.
//!
//! `trustbridge create-admin --email EMAIL [--name NAME] [--password-stdin]` creates the first
//! admin. The password is read from the terminal without echo, or, with `--password-stdin`
//! (or when stdin is not a terminal), as one line from standard input.
//!
//! `trustbridge unlock --email EMAIL` lifts a lock after wrong passwords (one also ends by
//! itself, and an admin can lift it in the workspace).
//!
//! `trustbridge reset-two-step --email EMAIL` turns two-step sign-in off for an account whose
//! phone and recovery codes are both lost (an admin can do the same in the workspace; this is
//! for the only admin). Its owner sets it up again after logging in (the login asks for it
//! when `REQUIRE_MFA` is on).
//!
//! `trustbridge backup FILE` copies the SQLite database to a new file, consistently, while the
//! server runs; `trustbridge restore FILE` puts one back into an empty database (PostgreSQL:
//! `pg_dump`, see `docs/deploy.md`).
//!
//! `trustbridge purge` runs the retention purge now (the server also runs it hourly) and says
//! what it removed, as counts.
//!
//! `trustbridge rotate-key --new-key-file PATH` seals every sensitive field again with the key
//! in PATH (made there if the file does not exist), with every server stopped; then each
//! instance is started with `DATA_KEY_FILE=PATH`.
//!
//! `trustbridge set-hours --email EMAIL --hours "09:00-12:00, 13:00-17:00" [--days mon,tue]`
//! sets the weekly hours a clinician offers consults in (weekdays by default), so a practice
//! can take bookings before anyone opens the workspace's availability page.

use std::io::{BufRead as _, IsTerminal as _};

use chrono::Utc;
use secrecy::{ExposeSecret as _, SecretString};

use super::auth::{check_password_strength, hash_password};
use super::config::Config;
use super::db::{Db, Role};

/// A subcommand, parsed from the command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    CreateAdmin {
        email: String,
        name: String,
        password_stdin: bool,
    },
    SetHours {
        email: String,
        hours: String,
        days: Vec<chrono::Weekday>,
    },
    /// Lifts a lock after wrong passwords, for an admin who is locked out themselves.
    Unlock {
        email: String,
    },
    /// Turns two-step sign-in off, for an admin who has lost both phone and recovery codes.
    ResetTwoStep {
        email: String,
    },
    /// Reads the settings, says what they amount to and what looks wrong, and exits.
    CheckConfig,
    /// Runs the retention purge once.
    Purge,
    /// Copies the SQLite database to a new file.
    Backup {
        to: std::path::PathBuf,
    },
    /// Puts a backup into an empty database.
    Restore {
        from: std::path::PathBuf,
    },
    /// Seals everything again with a new data key.
    RotateKey {
        new_key_file: std::path::PathBuf,
    },
}

/// Parses `args` (without the program name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some(first) = args.first() else {
        return Ok(Command::Serve);
    };
    match first.as_str() {
        "serve" => Ok(Command::Serve),
        "create-admin" => {
            let mut email = None;
            let mut name = None;
            let mut password_stdin = false;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--email" => email = rest.next().cloned(),
                    "--name" => name = rest.next().cloned(),
                    "--password-stdin" => password_stdin = true,
                    other => return Err(format!("unknown option {other:?}")),
                }
            }
            let email = email
                .map(|e| e.trim().to_lowercase())
                .filter(|e| e.contains('@'))
                .ok_or("create-admin needs --email with an email address")?;
            let name = name.unwrap_or_else(|| email.clone());
            Ok(Command::CreateAdmin {
                email,
                name,
                password_stdin,
            })
        }
        "set-hours" => {
            let mut email = None;
            let mut hours = None;
            let mut days = "mon,tue,wed,thu,fri".to_owned();
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--email" => email = rest.next().cloned(),
                    "--hours" => hours = rest.next().cloned(),
                    "--days" => days = rest.next().cloned().unwrap_or_default(),
                    other => return Err(format!("unknown option {other:?}")),
                }
            }
            let email = email
                .map(|e| e.trim().to_lowercase())
                .ok_or("set-hours needs --email")?;
            let hours =
                hours.ok_or("set-hours needs --hours, e.g. \"09:00-12:00, 13:00-17:00\"")?;
            let days = days
                .split(',')
                .map(|d| d.trim().parse::<chrono::Weekday>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| "--days takes weekdays like mon,tue,wed")?;
            Ok(Command::SetHours { email, hours, days })
        }
        "check-config" if args.len() == 1 => Ok(Command::CheckConfig),
        "purge" if args.len() == 1 => Ok(Command::Purge),
        "backup" => match args.get(1) {
            Some(file) if args.len() == 2 && !file.starts_with('-') => {
                Ok(Command::Backup { to: file.into() })
            }
            _ => Err(
                "backup needs the file to write, e.g. `backup /var/backups/tb-2026-12-02.db`"
                    .into(),
            ),
        },
        "restore" => match args.get(1) {
            Some(file) if args.len() == 2 && !file.starts_with('-') => {
                Ok(Command::Restore { from: file.into() })
            }
            _ => Err("restore needs the backup file to read".into()),
        },
        "rotate-key" => match (args.get(1).map(String::as_str), args.get(2)) {
            (Some("--new-key-file"), Some(path)) if args.len() == 3 => Ok(Command::RotateKey {
                new_key_file: path.into(),
            }),
            _ => Err("rotate-key needs --new-key-file PATH (made there if missing)".into()),
        },
        "unlock" => match (args.get(1).map(String::as_str), args.get(2)) {
            (Some("--email"), Some(email)) if args.len() == 3 => Ok(Command::Unlock {
                email: email.trim().to_lowercase(),
            }),
            _ => Err("unlock needs --email EMAIL".into()),
        },
        "reset-two-step" => match (args.get(1).map(String::as_str), args.get(2)) {
            (Some("--email"), Some(email)) if args.len() == 3 => Ok(Command::ResetTwoStep {
                email: email.trim().to_lowercase(),
            }),
            _ => Err("reset-two-step needs --email EMAIL".into()),
        },
        other => Err(format!(
            "unknown command {other:?}; use `serve` (default), `create-admin --email …`, \
             `set-hours --email … --hours …`, `unlock --email …`, `reset-two-step --email …`, \
             `backup FILE`, `restore FILE`, \
             `rotate-key --new-key-file …`, `purge` or `check-config`"
        )),
    }
}

fn read_password(from_stdin: bool) -> std::io::Result<SecretString> {
    let raw = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        rpassword::prompt_password("Password for the new admin: ")?
    };
    Ok(SecretString::from(raw))
}

/// Why `create-admin` did not create an account.
#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("an account with that email already exists")]
    Exists,
    #[error("{0}")]
    WeakPassword(String),
    #[error("could not read the password")]
    Read(#[source] std::io::Error),
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("could not save the account")]
    Save(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub async fn create_admin(
    config: &Config,
    email: &str,
    name: &str,
    password_stdin: bool,
) -> Result<(), CreateAdminError> {
    let password = read_password(password_stdin).map_err(CreateAdminError::Read)?;
    check_password_strength(password.expose_secret(), &[email, name])
        .map_err(CreateAdminError::WeakPassword)?;
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let hash = hash_password(password)
        .await
        .map_err(|e| CreateAdminError::Save(Box::new(e)))?;
    let created = db
        .create_clinician(email, name, &hash, Role::Admin, Utc::now(), None)
        .await;
    db.close().await;
    match created {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CreateAdminError::Exists),
        Err(e) => Err(CreateAdminError::Save(Box::new(e))),
    }
}

/// What `check-config` prints: each setting that matters in a sentence, and warnings (lines
/// starting with "warning:") for what a practice should fix before going live. Never the
/// database URL (it may hold a password) or any secret.
pub fn describe(config: &Config) -> Vec<String> {
    let mut lines = Vec::new();
    let backend = if config.database_url.starts_with("sqlite:") {
        "SQLite (one file; one server)"
    } else {
        "PostgreSQL"
    };
    lines.push(format!("Database: {backend}"));
    let https = config.secure_cookies();
    lines.push(format!("Data key: {:?}", config.data_key));
    let sqlite = config.database_url.starts_with("sqlite:");
    let beside = matches!(config.data_key, super::db::KeySource::BesideDatabase);
    if beside && !sqlite {
        lines.push(
            "warning: PostgreSQL needs DATA_KEY or DATA_KEY_FILE (the same for every instance); \
             the server will not start without it"
                .into(),
        );
    } else if beside && https {
        lines.push(
            "warning: the data key is a file beside the database, so a copy of that folder \
             holds both; set DATA_KEY or DATA_KEY_FILE to a key kept elsewhere"
                .into(),
        );
    }
    lines.push(format!(
        "Public address: {} ({})",
        config.public_base_url,
        if https {
            "https: secure cookies and HSTS"
        } else {
            "http"
        }
    ));
    if !https
        && !config.public_base_url.contains("127.0.0.1")
        && !config.public_base_url.contains("localhost")
    {
        lines.push(
            "warning: PUBLIC_BASE_URL is not https; clients' links would travel unencrypted".into(),
        );
    }
    match &config.mail.smtp {
        Some(smtp) => lines.push(format!(
            "Mail: SMTP to {}:{} ({:?})",
            smtp.host, smtp.port, smtp.tls
        )),
        None => {
            lines.push(format!(
                "Mail: written as files to {} (no email leaves this server)",
                config.mail.dir
            ));
            if https {
                lines.push("warning: SMTP_HOST is not set, so no confirmation, reminder, referral or alert is sent".into());
            }
        }
    }
    match config.practice_country {
        Some(country) => lines.push(format!("Support lines: the {country:?} preset")),
        None if !config.support.lines().is_empty() => {
            lines.push("Support lines: the practice's own file".into())
        }
        None if config.support_chosen => lines.push(
            "warning: PRACTICE_COUNTRY=none: clients see only \"call your local emergency number\""
                .into(),
        ),
        None => lines.push(
            "warning: PRACTICE_COUNTRY is not set: the server will not start until it is (a \
             country, SUPPORT_RESOURCES_FILE, or none)"
                .into(),
        ),
    }
    lines.push(format!(
        "Privacy policy: version {} ({} sections)",
        config.consent.version,
        config.consent.sections.len()
    ));
    lines.push(format!(
        "Practice time zone: {}",
        config.practice_zone.name()
    ));
    lines.push(format!(
        "Review targets: urgent {} h, others {} h, {}; overdue urgent reviews: {}",
        config.review_hours_urgent,
        config.review_hours,
        config.practice_hours.as_ref().map_or_else(
            || "on the clock (PRACTICE_HOURS not set)".to_owned(),
            |week| format!(
                "in working hours ({})",
                crate::domain::booking::describe_week(week)
            ),
        ),
        if config.review_escalation_email.is_some() {
            "one message to REVIEW_ESCALATION_EMAIL"
        } else {
            "no message (REVIEW_ESCALATION_EMAIL not set)"
        }
    ));
    lines.push(format!(
        "Retention: unfinished questionnaires go after {} days (when their link expires); {}; \
         delivered messages keep their contents {} h",
        config.resume_link_days,
        match config.retention_days {
            Some(days) => format!("closed submissions go {days} days after closing"),
            None => "closed submissions are kept (RETENTION_DAYS is not set)".to_owned(),
        },
        config.mail_keep_hours
    ));
    lines.push(if config.trusted_proxies.is_empty() {
        "Trusted proxies: none (X-Forwarded-For is ignored; behind a proxy, set TRUSTED_PROXIES)"
            .to_owned()
    } else {
        let proxies: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(|p| p.to_string())
            .collect();
        format!(
            "Trusted proxies: {} (their X-Forwarded-For names the client)",
            proxies.join(", ")
        )
    });
    lines
}

/// Why `unlock` did not unlock an account.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("no account has that email")]
    NoAccount,
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("could not unlock the account")]
    Save(#[from] sqlx::Error),
}

/// `trustbridge unlock --email EMAIL`: lifts a lock after wrong passwords.
pub async fn unlock(config: &Config, email: &str) -> Result<(), UnlockError> {
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let result = async {
        let record = db
            .login_record(email)
            .await?
            .ok_or(UnlockError::NoAccount)?;
        db.unlock_clinician(record.clinician.id, Utc::now(), None)
            .await?;
        Ok(())
    }
    .await;
    db.close().await;
    result
}

/// Why `reset-two-step` did not turn two-step sign-in off.
#[derive(Debug, thiserror::Error)]
pub enum ResetTwoStepError {
    #[error("no account has that email")]
    NoAccount,
    #[error("that account does not use two-step sign-in")]
    NotOn,
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("could not change the account")]
    Save(#[from] sqlx::Error),
}

/// `trustbridge reset-two-step --email EMAIL`: turns two-step sign-in off (audited as the
/// account's own change, made at the server).
pub async fn reset_two_step(config: &Config, email: &str) -> Result<(), ResetTwoStepError> {
    use super::db::{Audit, AuditAction};
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let result = async {
        let record = db
            .login_record(email)
            .await?
            .ok_or(ResetTwoStepError::NoAccount)?;
        let id = record.clinician.id;
        let action = AuditAction::DisableMfa { clinician: id.0 };
        if db
            .remove_mfa(id, &Audit::new(id, action, None, Utc::now()))
            .await?
        {
            Ok(())
        } else {
            Err(ResetTwoStepError::NotOn)
        }
    }
    .await;
    db.close().await;
    result
}

/// Why `rotate-key` did not change the key.
#[derive(Debug, thiserror::Error)]
pub enum RotateKeyError {
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("the new key is the one already in use")]
    SameKey,
    #[error("nothing was changed: the database still uses the old key")]
    Rotate(#[from] sqlx::Error),
}

/// Seals every sensitive field again with the key in `new_key_file` (made there when the
/// file does not exist); returns how many values were sealed again and the new key's id.
pub async fn rotate_key(
    config: &Config,
    new_key_file: &std::path::Path,
) -> Result<(u64, String), RotateKeyError> {
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let result = async {
        let to = super::db::seal::key_file(new_key_file).await?;
        if to.key_id() == db.key_id() {
            return Err(RotateKeyError::SameKey);
        }
        let changed = db.rotate_key(&to).await?;
        Ok((changed, to.key_id().to_owned()))
    }
    .await;
    db.close().await;
    result
}

/// Why `purge` did not finish.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("the purge stopped part way (what it removed is gone; run it again)")]
    Purge(#[from] sqlx::Error),
}

/// Runs the retention purge once, as the server does hourly.
pub async fn purge(config: &Config) -> Result<super::db::Purged, PurgeError> {
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let purged = db
        .purge(config.retention(), Utc::now(), std::time::Duration::ZERO)
        .await;
    db.close().await;
    Ok(purged?)
}

/// Why `set-hours` did not set the hours.
#[derive(Debug, thiserror::Error)]
pub enum SetHoursError {
    #[error("no account has that email")]
    NoAccount,
    #[error("{0}")]
    Hours(String),
    #[error(transparent)]
    Database(#[from] super::db::ConnectError),
    #[error("could not save the hours")]
    Save(#[from] sqlx::Error),
}

/// Sets `hours` on each of `days` (other days keep theirs) for the clinician with `email`.
pub async fn set_hours(
    config: &Config,
    email: &str,
    hours: &str,
    days: &[chrono::Weekday],
) -> Result<(), SetHoursError> {
    let windows = crate::domain::booking::parse_day_windows(hours).map_err(SetHoursError::Hours)?;
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    let result = async {
        let clinician = db
            .login_record(email)
            .await?
            .ok_or(SetHoursError::NoAccount)?
            .clinician;
        let calendar = db.calendar(clinician.id).await?;
        let (weekly, days_off) = calendar.map(|c| (c.weekly, c.days_off)).unwrap_or_default();
        let weekly = weekly
            .with_days(days, &windows)
            .map_err(|e| SetHoursError::Hours(e.to_string()))?;
        db.set_calendar(clinician.id, Some((&weekly, &days_off)), Utc::now(), None)
            .await?;
        Ok(())
    }
    .await;
    db.close().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn no_arguments_serves() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
    }

    #[test]
    fn backup_and_restore_take_one_file() {
        assert_eq!(
            parse(&args("backup /tmp/b.db")),
            Ok(Command::Backup {
                to: "/tmp/b.db".into()
            })
        );
        assert_eq!(
            parse(&args("restore b.db")),
            Ok(Command::Restore {
                from: "b.db".into()
            })
        );
        assert!(parse(&args("backup")).is_err());
        assert!(parse(&args("restore a.db b.db")).is_err());
        assert!(parse(&args("backup --to")).is_err());
    }

    #[test]
    fn purge_takes_no_options() {
        assert_eq!(parse(&args("purge")), Ok(Command::Purge));
        assert!(parse(&args("purge --now")).is_err());
    }

    #[test]
    fn create_admin_takes_an_email_and_an_optional_name() {
        assert_eq!(
            parse(&args(
                "create-admin --email Ana@Practice.example --password-stdin"
            )),
            Ok(Command::CreateAdmin {
                email: "ana@practice.example".into(),
                name: "ana@practice.example".into(),
                password_stdin: true,
            })
        );
        assert!(parse(&args("create-admin")).is_err());
        assert!(parse(&args("create-admin --email nope")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
    }

    #[test]
    fn set_hours_defaults_to_weekdays() {
        let parsed = parse(&[
            "set-hours".into(),
            "--email".into(),
            "Demo@H.example".into(),
            "--hours".into(),
            "09:00-17:00".into(),
        ]);
        let Ok(Command::SetHours { email, days, .. }) = parsed else {
            panic!("parsed as {parsed:?}");
        };
        assert_eq!(email, "demo@h.example");
        assert_eq!(days.len(), 5);
        assert!(parse(&args("set-hours --email a@b.example")).is_err());
    }
}

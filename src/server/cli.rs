//! Administrative subcommands of the server binary.
//!
//! `trustbridge create-admin --email EMAIL [--name NAME] [--password-stdin]` creates the first
//! admin. The password is read from the terminal without echo, or, with `--password-stdin`
//! (or when stdin is not a terminal), as one line from standard input.

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
        other => Err(format!(
            "unknown command {other:?}; use `serve` (default) or `create-admin --email …`"
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
    let db = Db::connect(&config.database_url).await?;
    let hash = hash_password(password)
        .await
        .map_err(|e| CreateAdminError::Save(Box::new(e)))?;
    let created = db
        .create_clinician(email, name, &hash, Role::Admin, Utc::now())
        .await;
    db.close().await;
    match created {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(CreateAdminError::Exists),
        Err(e) => Err(CreateAdminError::Save(Box::new(e))),
    }
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
}

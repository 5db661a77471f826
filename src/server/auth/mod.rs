//! Clinician authentication: password hashing, the login check with lockout, and the
//! extractor that guards every workspace page.

pub mod session_store;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};
use tower_sessions::Session;

use crate::server::db::{Clinician, ClinicianId};
use crate::server::http::error::AppError;
use crate::server::state::AppState;
use session_store::CLINICIAN_KEY;

/// Session key: when the clinician logged in (Unix seconds), for the absolute lifetime.
pub const LOGIN_AT_KEY: &str = "login_at";
/// Failed logins allowed before an account is locked for a while.
pub const FAILURES_BEFORE_LOCK: i32 = 5;
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes a password with Argon2id (default parameters) into a PHC string, off the async
/// runtime: hashing takes tens of milliseconds of CPU on purpose.
pub async fn hash_password(password: SecretString) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordHasher as _;
        argon2::Argon2::default()
            .hash_password(password.expose_secret().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(e.to_string().into()))
    })
    .await
    .map_err(|e| AppError::Internal(Box::new(e)))?
}

/// Checks a password against a stored hash, off the async runtime. With no hash (an email
/// with no account) it verifies against a throwaway hash instead, so a wrong email costs the
/// same time as a wrong password and accounts cannot be discovered by timing.
pub async fn verify_password(password: SecretString, hash: Option<String>) -> bool {
    static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    tokio::task::spawn_blocking(move || {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};
        let stored = hash.unwrap_or_else(|| {
            DUMMY_HASH
                .get_or_init(|| {
                    argon2::Argon2::default()
                        .hash_password(b"no account has this password")
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        let verified = argon2::PasswordHash::new(&stored).is_ok_and(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.expose_secret().as_bytes(), &parsed)
                .is_ok()
        });
        verified
    })
    .await
    .unwrap_or(false)
}

/// Refuses short and common passwords (zxcvbn's list of the most common passwords, words and
/// names, plus the account's own email and name).
pub fn check_password_strength(password: &str, context: &[&str]) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Use at least {MIN_PASSWORD_CHARS} characters; a few unrelated words work well."
        ));
    }
    if zxcvbn::zxcvbn(password, context).score() < zxcvbn::Score::Three {
        return Err(
            "That password is too common or too easy to guess. Try a few unrelated words.".into(),
        );
    }
    Ok(())
}

/// How long an account stays locked after `failures` failed logins (none below the threshold).
/// Doubles with each further failure, capped at a day, so nobody is locked out for good.
pub fn lockout(failures: i32) -> Option<Duration> {
    if failures < FAILURES_BEFORE_LOCK {
        return None;
    }
    let doublings = (failures - FAILURES_BEFORE_LOCK).min(7) as u32;
    Some(Duration::minutes(15 * 2i64.pow(doublings)).min(Duration::hours(24)))
}

/// The result of a login attempt. One refusal for every reason: the page never says whether
/// the email exists, the account is locked or the password was wrong.
pub enum LoginOutcome {
    LoggedIn(Clinician),
    Refused,
}

pub async fn login(
    state: &AppState,
    email: &str,
    password: SecretString,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, AppError> {
    let email = email.trim().to_lowercase();
    let record = state.db.login_record(&email).await?;
    let locked = record
        .as_ref()
        .and_then(|r| r.locked_until)
        .is_some_and(|until| until > now);
    let hash = record.as_ref().map(|r| r.password_hash.clone());
    let matches = verify_password(password, hash).await;
    let Some(record) = record else {
        return Ok(LoginOutcome::Refused);
    };
    if matches && !locked && record.clinician.active {
        state
            .db
            .reset_failed_logins(record.clinician.id, now)
            .await?;
        tracing::info!(clinician.id = record.clinician.id.0, "clinician logged in");
        return Ok(LoginOutcome::LoggedIn(record.clinician));
    }
    if !matches {
        let failures = record.failed_logins.saturating_add(1);
        let until = lockout(failures).map(|d| now + d);
        state
            .db
            .record_failed_login(record.clinician.id, failures, until, now)
            .await?;
        tracing::warn!(
            clinician.id = record.clinician.id.0,
            failures,
            "failed login"
        );
    }
    Ok(LoginOutcome::Refused)
}

/// Starts a session for a clinician: a fresh session id (no fixation), their id and the time.
pub async fn start_session(session: &Session, clinician: ClinicianId) -> Result<(), AppError> {
    let internal = |e: tower_sessions::session::Error| AppError::Internal(Box::new(e));
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(CLINICIAN_KEY, clinician.0)
        .await
        .map_err(internal)?;
    session
        .insert(LOGIN_AT_KEY, Utc::now().timestamp())
        .await
        .map_err(internal)?;
    Ok(())
}

/// The logged-in clinician. Extracting it from a request without a valid session redirects
/// to the login page, so no workspace handler runs for a stranger.
#[derive(Debug, Clone)]
pub struct CurrentClinician(pub Clinician);

/// Why a request has no clinician: the browser is sent to log in.
pub struct LoginRequired;

impl IntoResponse for LoginRequired {
    fn into_response(self) -> Response {
        Redirect::to("/staff/login").into_response()
    }
}

impl<S> FromRequestParts<S> for CurrentClinician
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let session = Session::from_request_parts(parts, &state)
            .await
            .map_err(|_| LoginRequired.into_response())?;
        let id = session.get::<i64>(CLINICIAN_KEY).await.ok().flatten();
        let login_at = session.get::<i64>(LOGIN_AT_KEY).await.ok().flatten();
        let (Some(id), Some(login_at)) = (id, login_at) else {
            return Err(LoginRequired.into_response());
        };
        // The absolute lifetime: however active, a session ends this long after login.
        let max = state.config.session_max_hours * 3600;
        if Utc::now().timestamp() - login_at > max {
            let _ = session.flush().await;
            return Err(LoginRequired.into_response());
        }
        match state.db.clinician(ClinicianId(id)).await {
            Ok(Some(clinician)) if clinician.active => Ok(CurrentClinician(clinician)),
            Ok(_) => {
                let _ = session.flush().await;
                Err(LoginRequired.into_response())
            }
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_starts_at_the_threshold_and_is_capped() {
        assert_eq!(lockout(FAILURES_BEFORE_LOCK - 1), None);
        assert_eq!(lockout(FAILURES_BEFORE_LOCK), Some(Duration::minutes(15)));
        assert_eq!(
            lockout(FAILURES_BEFORE_LOCK + 1),
            Some(Duration::minutes(30))
        );
        assert_eq!(lockout(1000), Some(Duration::hours(24)));
    }

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert!(check_password_strength("short", &[]).is_err());
        assert!(check_password_strength("password1234", &[]).is_err());
        assert!(check_password_strength("harbourharbour", &["harbour"]).is_err());
        assert!(check_password_strength("violet lantern gravel orbit", &[]).is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password(SecretString::from("violet lantern gravel orbit"))
            .await
            .expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password(
                SecretString::from("violet lantern gravel orbit"),
                Some(hash.clone())
            )
            .await
        );
        assert!(
            !verify_password(
                SecretString::from("violet lantern gravel orbiT"),
                Some(hash)
            )
            .await
        );
        assert!(!verify_password(SecretString::from("anything"), None).await);
    }
}

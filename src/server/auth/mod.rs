//! Clinician authentication: password hashing and strength, and the login check with lockout.
//! The session itself and the extractor that guards every workspace page are HTTP's
//! (`http::guard`).

pub mod session_store;
pub mod totp;

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::server::db::{Audit, AuditAction, Clinician, ClinicianId};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::tokens::DeviceToken;

/// Failed logins allowed before an account is locked for a while.
pub const FAILURES_BEFORE_LOCK: i32 = 5;
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Argon2id with 7 MiB, 5 passes, 1 lane: one of OWASP's equivalent settings (with 19 MiB and
/// 2 passes, the crate's default), chosen because each hash holds its memory while it runs and
/// the server's budget is 64 MB. Hashes made with other parameters still verify: the PHC
/// string carries its own.
fn hasher() -> argon2::Argon2<'static> {
    let params = argon2::Params::new(7 * 1024, 5, 1, None).unwrap_or_default();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// At most two password hashes at once, whatever arrives: more than the machine's cores gains
/// nothing, and each holds its working memory until it ends.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Hashes a password with Argon2id ([`hasher`]) into a PHC string, off the async runtime:
/// hashing takes tens of milliseconds of CPU on purpose.
pub async fn hash_password(password: SecretString) -> Result<String, AppError> {
    let _turn = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordHasher as _;
        hasher()
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
    let Ok(_turn) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};
        let stored = hash.unwrap_or_else(|| {
            DUMMY_HASH
                .get_or_init(|| {
                    hasher()
                        .hash_password(b"no account has this password")
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        let verified = argon2::PasswordHash::new(&stored).is_ok_and(|parsed| {
            hasher()
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

/// Counts a wrong password for `clinician` (at login, or the current-password check on the
/// password page). A lock that starts tells the account's owner by email, with no details.
/// Returns whether this failure locked the account.
pub async fn count_failure(
    state: &AppState,
    clinician: &Clinician,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let config = &state.config;
    let notice = |until: DateTime<Utc>| {
        let local = until.with_timezone(&config.practice_zone);
        Some(crate::server::email::templates::account_locked(
            &config.mail.from,
            &clinician.email,
            &config.practice_name,
            &local.format("%Y-%m-%d %H:%M %Z").to_string(),
        ))
    };
    let failures = state
        .db
        .record_failed_login(clinician.id, lockout, notice, now)
        .await?;
    tracing::warn!(clinician.id = clinician.id.0, ?failures, "failed login");
    Ok(failures.is_some_and(|f| lockout(f).is_some()))
}

/// When the running lock on `clinician` ends, unless `device` is a browser the account knows
/// (which a lock does not stop, as at the login). `None`: nothing stops this browser.
pub async fn lock_against(
    state: &AppState,
    clinician: ClinicianId,
    device: Option<&DeviceToken>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let Some(until) = state
        .db
        .locks(now)
        .await?
        .into_iter()
        .find_map(|(id, until)| (id == clinician).then_some(until))
    else {
        return Ok(None);
    };
    let device_hash = device.map(DeviceToken::hash).unwrap_or_default();
    let known = state.db.known_device(clinician, &device_hash, now).await?;
    Ok((!known).then_some(until))
}

/// The result of a login attempt. One refusal for every reason: the page never says whether
/// the email exists, the account is locked or the password was wrong.
pub enum LoginOutcome {
    LoggedIn(Clinician),
    /// The password was right and the account has two-step sign-in: a code comes next.
    NeedsCode(Clinician),
    Refused,
}

/// Checks an email and password. `device` is the browser's `tb_device` cookie: a browser that
/// finished a login on this account before is not stopped by a lock, so five paced guesses
/// from elsewhere cannot keep the owner out (security F2); its login leaves the lock running
/// for everyone else.
pub async fn login(
    state: &AppState,
    email: &str,
    password: SecretString,
    device: Option<&DeviceToken>,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, AppError> {
    let email = email.trim().to_lowercase();
    let record = state.db.login_record(&email).await?;
    // Asked whatever the email named and the browser sent, so every login does the same
    // work and a wrong email cannot be told from a wrong password by timing (security N15).
    let id = record.as_ref().map_or(ClinicianId(0), |r| r.clinician.id);
    let device_hash = device.map(DeviceToken::hash).unwrap_or_default();
    let known = state.db.known_device(id, &device_hash, now).await?;
    let lock_running = record
        .as_ref()
        .and_then(|r| r.locked_until)
        .is_some_and(|until| until > now);
    let hash = record.as_ref().map(|r| r.password_hash.clone());
    let matches = verify_password(password, hash).await;
    let Some(record) = record else {
        // The same counting statement as a real account's, matching no row.
        state
            .db
            .record_failed_login(id, lockout, |_| None, now)
            .await?;
        let action = AuditAction::FailedLogIn {
            clinician: None,
            locked: false,
        };
        state.db.audit_by_app(&action, now).await?;
        return Ok(LoginOutcome::Refused);
    };
    if matches && (!lock_running || known) && record.clinician.active {
        if state.db.mfa_enabled(id).await? {
            return Ok(LoginOutcome::NeedsCode(record.clinician));
        }
        logged_in(state, id, lock_running, now).await?;
        tracing::info!(clinician.id = id.0, "clinician logged in");
        return Ok(LoginOutcome::LoggedIn(record.clinician));
    }
    let now_locked = if matches {
        false
    } else {
        count_failure(state, &record.clinician, now).await?
    };
    let action = AuditAction::FailedLogIn {
        clinician: Some(id.0),
        locked: now_locked,
    };
    state.db.audit_by_app(&action, now).await?;
    Ok(LoginOutcome::Refused)
}

/// A finished login: the failure count starts again, unless a lock is running (only a known
/// browser gets through one, and the lock goes on holding for every other), and the audit row.
async fn logged_in(
    state: &AppState,
    id: ClinicianId,
    lock_running: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !lock_running {
        state.db.reset_failed_logins(id, now).await?;
    }
    state
        .db
        .audit(&Audit::new(id, AuditAction::LogIn, None, now))
        .await?;
    Ok(())
}

/// The second step of a login: `code` from the account's authenticator app, or one of its
/// recovery codes. A wrong code counts like a wrong password (towards the lock); a locked
/// account is refused whatever the code unless `device` is a browser it knows (as at the
/// password), and a deactivated account always.
pub async fn second_step(
    state: &AppState,
    clinician: ClinicianId,
    code: &str,
    device: Option<&DeviceToken>,
    now: DateTime<Utc>,
) -> Result<Option<Clinician>, AppError> {
    let Some(account) = state.db.clinician(clinician).await? else {
        return Ok(None);
    };
    let Some(record) = state.db.login_record(&account.email).await? else {
        return Ok(None);
    };
    let device_hash = device.map(DeviceToken::hash).unwrap_or_default();
    let known = state.db.known_device(clinician, &device_hash, now).await?;
    let lock_running = record.locked_until.is_some_and(|until| until > now);
    if (lock_running && !known) || !account.active {
        return Ok(None);
    }
    let Some(mfa) = state
        .db
        .mfa(clinician)
        .await?
        .filter(|m| m.enabled_at.is_some())
    else {
        return Ok(None);
    };
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let accepted = match totp::matching_step(&mfa.secret, code, unix) {
        Some(step) => state.db.take_mfa_step(clinician, step).await?,
        None => {
            let hash = totp::recovery_hash(code);
            state.db.take_recovery_code(clinician, &hash, now).await?
        }
    };
    if accepted {
        logged_in(state, clinician, lock_running, now).await?;
        tracing::info!(clinician.id = clinician.0, "clinician logged in (two-step)");
        return Ok(Some(account));
    }
    let now_locked = count_failure(state, &account, now).await?;
    let action = AuditAction::FailedLogIn {
        clinician: Some(clinician.0),
        locked: now_locked,
    };
    state.db.audit_by_app(&action, now).await?;
    Ok(None)
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

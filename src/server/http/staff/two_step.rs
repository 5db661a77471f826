//! Two-step sign-in: the code after the password (`/staff/login/code`), an account turning it
//! on or off (`/staff/two-step`), and an admin turning it off for an account whose phone is lost.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;
use tower_sessions::Session;

use super::staff_user;
use crate::server::auth::{self, totp};
use crate::server::db::{Audit, AuditAction, Clinician, ClinicianId};
use crate::server::http::error::AppError;
use crate::server::http::extract::AppForm;
use crate::server::http::guard::{self, CurrentClinician};
use crate::server::http::render;
use crate::server::state::AppState;
use crate::ui::pages::staff::two_step::{CodePage, TwoStepPage, TwoStepState};

/// Session keys between the password and the code: whose password it was, and when.
const PENDING_KEY: &str = "two_step_clinician";
const PENDING_AT_KEY: &str = "two_step_at";
/// The code must follow the password within this many seconds.
const PENDING_SECONDS: i64 = 300;

const WRONG_CODE: &str = "That code didn't work. Codes change every 30 seconds, and each works \
                          once; a recovery code works once too.";

fn internal(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(Box::new(e))
}

/// The password was right: a fresh session that only remembers whose it was, until the code.
pub(super) async fn ask_for_code(
    session: &Session,
    clinician: ClinicianId,
) -> Result<Response, AppError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(PENDING_KEY, clinician.0)
        .await
        .map_err(internal)?;
    session
        .insert(PENDING_AT_KEY, Utc::now().timestamp())
        .await
        .map_err(internal)?;
    Ok(Redirect::to("/staff/login/code").into_response())
}

async fn pending(session: &Session) -> Option<ClinicianId> {
    let id = session.get::<i64>(PENDING_KEY).await.ok().flatten()?;
    let at = session.get::<i64>(PENDING_AT_KEY).await.ok().flatten()?;
    (Utc::now().timestamp() - at <= PENDING_SECONDS).then_some(ClinicianId(id))
}

fn code_page(state: &AppState, status: StatusCode, error: Option<String>) -> Response {
    render::staff_page(state, status, "Enter your code", move || {
        view! { <CodePage error /> }
    })
}

/// `GET /staff/login/code`.
pub async fn code_form(State(state): State<AppState>, session: Session) -> Response {
    match pending(&session).await {
        Some(_) => code_page(&state, StatusCode::OK, None),
        None => Redirect::to("/staff/login").into_response(),
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// `POST /staff/login/code`: the right code finishes the login; a wrong one counts like a
/// wrong password.
pub async fn check_code(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    AppForm(form): AppForm<CodeForm>,
) -> Result<Response, AppError> {
    let Some(clinician) = pending(&session).await else {
        return Ok(Redirect::to("/staff/login").into_response());
    };
    let device = guard::presented_device(&headers);
    match auth::second_step(&state, clinician, &form.code, device.as_ref(), Utc::now()).await? {
        Some(account) => {
            let _ = session.remove::<i64>(PENDING_KEY).await;
            let _ = session.remove::<i64>(PENDING_AT_KEY).await;
            guard::start_session(&session, account.id).await?;
            let to_workspace = Redirect::to("/staff").into_response();
            guard::remember_device(&state, device, account.id, to_workspace).await
        }
        None => Ok(code_page(
            &state,
            StatusCode::UNAUTHORIZED,
            Some(WRONG_CODE.into()),
        )),
    }
}

fn page(
    state: &AppState,
    viewer: &Clinician,
    status: StatusCode,
    view_state: TwoStepState,
) -> Response {
    let user = staff_user(viewer);
    render::staff_page(state, status, "Two-step sign-in", move || {
        view! { <TwoStepPage user state=view_state /> }
    })
}

/// The page as it stands for `viewer`, with `error` at the code field.
async fn current(
    state: &AppState,
    viewer: &Clinician,
    error: Option<String>,
) -> Result<TwoStepState, AppError> {
    let required = state.config.require_mfa;
    let stored = state.db.mfa(viewer.id).await?;
    if let Some(since) = stored.as_ref().and_then(|m| m.enabled_at) {
        return Ok(TwoStepState::On {
            since: super::local(since, state.config.practice_zone),
            left: state.db.recovery_codes_left(viewer.id).await?,
            error,
            required,
        });
    }
    // Reloading the page keeps the secret being set up, so a scanned code stays right.
    let secret = match stored {
        Some(m) => m.secret,
        None => {
            let secret = totp::new_secret();
            state.db.begin_mfa(viewer.id, &secret).await?;
            secret
        }
    };
    let link = totp::setup_link(&secret, &viewer.email, &state.config.practice_name)
        .ok_or_else(|| AppError::Internal("the setup link could not be made".into()))?;
    let qr_svg = totp::qr_svg(&link)
        .ok_or_else(|| AppError::Internal("the QR code could not be made".into()))?;
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(TwoStepState::Setup {
        qr_svg,
        secret: grouped,
        error,
        required,
    })
}

/// `GET /staff/two-step`.
pub async fn settings(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let view_state = current(&state, &viewer, None).await?;
    Ok(page(&state, &viewer, StatusCode::OK, view_state))
}

fn step_now(secret: &str, code: &str) -> Option<i64> {
    let unix = u64::try_from(Utc::now().timestamp()).ok()?;
    totp::matching_step(secret, code, unix)
}

/// New recovery codes: shown once, stored as hashes.
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes = totp::new_recovery_codes();
    let hashes = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    (codes, hashes)
}

/// A code check outside the login is refused while the account is locked, and a wrong code
/// counts toward the lock like a wrong password: a stolen session must not be a way to try
/// every code (security review 3, N9). `Some(page)` is the refusal to show.
async fn refuse_code(
    state: &AppState,
    viewer: &Clinician,
    right: bool,
) -> Result<Option<Response>, AppError> {
    let now = Utc::now();
    let locked = state
        .db
        .locks(now)
        .await?
        .into_iter()
        .find(|(id, _)| *id == viewer.id)
        .map(|(_, until)| until);
    let message = match (locked, right) {
        (Some(until), _) => {
            let until = until.with_timezone(&state.config.practice_zone);
            format!(
                "Too many wrong codes or passwords: try again after {}.",
                until.format("%H:%M %Z")
            )
        }
        (None, true) => return Ok(None),
        (None, false) => {
            auth::count_failure(state, viewer, now).await?;
            WRONG_CODE.to_owned()
        }
    };
    let view_state = current(state, viewer, Some(message)).await?;
    Ok(Some(page(
        state,
        viewer,
        StatusCode::UNPROCESSABLE_ENTITY,
        view_state,
    )))
}

/// Ends the viewer's other sessions after a two-step change.
async fn end_other_sessions(
    state: &AppState,
    viewer: &Clinician,
    session: &Session,
) -> Result<(), AppError> {
    crate::server::auth::session_store::DbSessionStore(state.db.clone())
        .delete_others(viewer.id, session.id())
        .await?;
    Ok(())
}

/// `POST /staff/two-step`: the first code from the app turns it on.
pub async fn enable(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    session: Session,
    AppForm(form): AppForm<CodeForm>,
) -> Result<Response, AppError> {
    let setting_up = state
        .db
        .mfa(viewer.id)
        .await?
        .filter(|m| m.enabled_at.is_none());
    let Some(setup) = setting_up else {
        return Ok(Redirect::to("/staff/two-step").into_response());
    };
    let step = step_now(&setup.secret, &form.code);
    if let Some(refusal) = refuse_code(&state, &viewer, step.is_some()).await? {
        return Ok(refusal);
    }
    let Some(step) = step else {
        return Ok(Redirect::to("/staff/two-step").into_response());
    };
    let (codes, hashes) = recovery_codes();
    let audit = Audit::new(viewer.id, AuditAction::EnableMfa, None, Utc::now());
    if !state
        .db
        .enable_mfa(viewer.id, step, &hashes, &audit)
        .await?
    {
        return Ok(Redirect::to("/staff/two-step").into_response());
    }
    end_other_sessions(&state, &viewer, &session).await?;
    Ok(page(
        &state,
        &viewer,
        StatusCode::OK,
        TwoStepState::Codes(codes),
    ))
}

#[derive(Deserialize)]
pub struct ChangeForm {
    code: String,
    action: String,
}

/// `POST /staff/two-step/change`: with a current code, new recovery codes or (unless the
/// practice requires it) turning it off.
pub async fn change(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    session: Session,
    AppForm(form): AppForm<ChangeForm>,
) -> Result<Response, AppError> {
    let Some(mfa) = state
        .db
        .mfa(viewer.id)
        .await?
        .filter(|m| m.enabled_at.is_some())
    else {
        return Ok(Redirect::to("/staff/two-step").into_response());
    };
    let step = step_now(&mfa.secret, &form.code);
    if let Some(refusal) = refuse_code(&state, &viewer, step.is_some()).await? {
        return Ok(refusal);
    }
    // A code already used (replayed) is refused without counting: it was right once.
    let proved = match step {
        Some(step) => state.db.take_mfa_step(viewer.id, step).await?,
        None => false,
    };
    if !proved {
        let view_state = current(&state, &viewer, Some(WRONG_CODE.into())).await?;
        return Ok(page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            view_state,
        ));
    }
    let now = Utc::now();
    match form.action.as_str() {
        "off" if !state.config.require_mfa => {
            let action = AuditAction::DisableMfa {
                clinician: viewer.id.0,
            };
            state
                .db
                .remove_mfa(viewer.id, &Audit::new(viewer.id, action, None, now))
                .await?;
            end_other_sessions(&state, &viewer, &session).await?;
            Ok(Redirect::to("/staff/two-step").into_response())
        }
        "codes" => {
            let (codes, hashes) = recovery_codes();
            let audit = Audit::new(viewer.id, AuditAction::NewRecoveryCodes, None, now);
            state
                .db
                .replace_recovery_codes(viewer.id, &hashes, &audit)
                .await?;
            end_other_sessions(&state, &viewer, &session).await?;
            Ok(page(
                &state,
                &viewer,
                StatusCode::OK,
                TwoStepState::Codes(codes),
            ))
        }
        _ => Ok(Redirect::to("/staff/two-step").into_response()),
    }
}

/// `POST /staff/clinicians/<id>/two-step/off`: an admin turns it off for an account whose
/// phone and recovery codes are lost; its owner sets it up again at the next login.
pub async fn admin_off(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    super::admin::require_admin(&viewer)?;
    // One's own is turned off with a code, on one's own two-step page: a session alone
    // (perhaps someone else's) must not be enough.
    if id == viewer.id.0 {
        return Ok(Redirect::to("/staff/two-step").into_response());
    }
    let action = AuditAction::DisableMfa { clinician: id };
    let audit = Audit::new(viewer.id, action, None, Utc::now());
    state.db.remove_mfa(ClinicianId(id), &audit).await?;
    Ok(Redirect::to("/staff/clinicians").into_response())
}

//! Logging in and out of the workspace.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use crate::server::auth::{self, LoginOutcome};
use crate::server::db::{Audit, AuditAction, ClinicianId};
use crate::server::http::error::AppError;
use crate::server::http::extract::AppForm;
use crate::server::http::guard::{self};
use crate::server::http::render;
use crate::server::state::AppState;
use crate::ui::pages::staff::LoginPage;

pub(super) const LOGIN_REFUSED: &str = "That email and password don't match an active account. \
                             After several failed attempts an account is locked for a while.";

pub async fn login_page(State(state): State<AppState>, session: Session) -> Response {
    if matches!(
        session.get::<i64>(auth::session_store::CLINICIAN_KEY).await,
        Ok(Some(_))
    ) {
        return Redirect::to("/staff").into_response();
    }
    login_form(&state, StatusCode::OK, String::new(), None)
}

pub(super) fn login_form(
    state: &AppState,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    render::staff_page(state, status, "Clinician login", move || {
        view! { <LoginPage email error /> }
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    AppForm(form): AppForm<LoginForm>,
) -> Result<Response, AppError> {
    let LoginForm { email, password } = form;
    let password = SecretString::from(password);
    let device = guard::presented_device(&headers);
    Ok(
        match auth::login(&state, &email, password, device.as_ref(), Utc::now()).await? {
            LoginOutcome::LoggedIn(clinician) => {
                guard::start_session(&session, clinician.id).await?;
                let to_workspace = Redirect::to("/staff").into_response();
                guard::remember_device(&state, device, clinician.id, to_workspace).await?
            }
            LoginOutcome::NeedsCode(clinician) => {
                super::two_step::ask_for_code(&session, clinician.id).await?
            }
            LoginOutcome::Refused => login_form(
                &state,
                StatusCode::UNAUTHORIZED,
                email,
                Some(LOGIN_REFUSED.into()),
            ),
        },
    )
}

pub async fn logout(State(state): State<AppState>, session: Session) -> Response {
    let key = crate::server::auth::session_store::CLINICIAN_KEY;
    if let Ok(Some(id)) = session.get::<i64>(key).await {
        let audit = Audit::new(ClinicianId(id), AuditAction::LogOut, None, Utc::now());
        if let Err(e) = state.db.audit(&audit).await {
            // Logging out must work even when the audit row cannot be written.
            tracing::warn!(error = %e, "could not record a logout");
        }
    }
    // Deletes the session row and tells the browser to drop the cookie.
    let _ = session.flush().await;
    Redirect::to("/staff/login").into_response()
}

//! The workspace's door: starting a clinician's session at login, and the extractor that lets
//! no workspace handler run for a stranger.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use tower_sessions::cookie::{Cookie, SameSite};
use tower_sessions::Session;

use crate::server::auth::session_store::CLINICIAN_KEY;
use crate::server::db::{Clinician, ClinicianId};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::tokens::DeviceToken;

/// Session key: when the clinician logged in (Unix seconds), for the absolute lifetime.
pub const LOGIN_AT_KEY: &str = "login_at";

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

/// The staff browser's own cookie (see [`DeviceToken`]).
const DEVICE_COOKIE: &str = "tb_device";

/// The browser's device token, if its `tb_device` cookie holds one.
pub fn presented_device(headers: &HeaderMap) -> Option<DeviceToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == DEVICE_COOKIE)
        .and_then(|cookie| DeviceToken::parse(cookie.value()))
}

/// After a finished login: remembers the browser for `clinician` (the token it presented, or a
/// new one) and sets its cookie on `response`, for [`crate::server::db::DEVICE_DAYS`].
pub async fn remember_device(
    state: &AppState,
    presented: Option<DeviceToken>,
    clinician: ClinicianId,
    mut response: Response,
) -> Result<Response, AppError> {
    let token = presented.unwrap_or_else(DeviceToken::generate);
    state
        .db
        .remember_device(clinician, &token.hash(), Utc::now())
        .await?;
    let cookie = Cookie::build((DEVICE_COOKIE, token.as_str().to_owned()))
        .path("/staff")
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(time::Duration::days(crate::server::db::DEVICE_DAYS))
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
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
            Ok(Some(clinician)) if clinician.active => {
                // REQUIRE_MFA: nothing but setting it up until the account has it.
                if state.config.require_mfa && !parts.uri.path().starts_with("/staff/two-step") {
                    match state.db.mfa_enabled(clinician.id).await {
                        Ok(true) => {}
                        Ok(false) => {
                            return Err(
                                axum::response::Redirect::to("/staff/two-step").into_response()
                            )
                        }
                        Err(e) => return Err(AppError::from(e).into_response()),
                    }
                }
                Ok(CurrentClinician(clinician))
            }
            Ok(_) => {
                let _ = session.flush().await;
                Err(LoginRequired.into_response())
            }
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

//! Consent first: the practice's policy before the first question, and again whenever its
//! words change. "Start the questionnaire" opens the policy (`/start`), and a questionnaire is
//! made only once it is agreed to; every page of a private link (`/q/<token>/…`) leads to the
//! link's consent page until its client has agreed to the policy as it reads today.

use std::collections::HashMap;

use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use super::error::AppError;
use super::extract::AppForm;
use super::render;
use crate::domain::form;
use crate::server::service::questionnaire::{self as service, Consent};
use crate::server::state::AppState;
use crate::ui::pages::consent::{ConsentPage, ConsentView};

/// Where the page's form goes: `/start` for someone new, the link's own consent address when
/// the policy changed since they agreed.
fn consent_page(
    state: &AppState,
    status: StatusCode,
    action: String,
    changed: bool,
    error: Option<String>,
) -> Response {
    let consent = ConsentView {
        action,
        policy: state.config.consent.clone(),
        changed,
        error,
        practice_email: state.config.practice_email.clone(),
    };
    render::page(state, status, "Your privacy", false, move || {
        view! { <ConsentPage consent /> }
    })
}

const NOT_TICKED: &str =
    "Please tick the box to agree, or close this page if you would rather not go on.";

/// `GET /start`: the practice's policy, before anything is asked or kept.
pub async fn before_start(State(state): State<AppState>) -> Response {
    consent_page(&state, StatusCode::OK, "/start".into(), false, None)
}

/// `POST /start`: agreed → a new questionnaire, its agreement recorded, at the intake's first
/// page ("about you"); not ticked → the policy again, with the reason next to the box, and
/// nothing kept.
pub async fn start(
    State(state): State<AppState>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if form::value(&fields, "agree") != "yes" {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let error = Some(NOT_TICKED.to_owned());
        return Ok(consent_page(&state, status, "/start".into(), false, error));
    }
    let token = service::start(&state).await?;
    service::agree(&state, token.as_str()).await?;
    Ok(Redirect::to(&format!("/q/{}/about", token.as_str())).into_response())
}

/// `GET /q/<token>/consent`: the policy, with the tick box, for a client with a link (partner
/// B, who starts from an invitation, or anyone after the policy changed).
pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    // A link that opens nothing gets its own page (expired, or not found).
    service::open(&state, &token).await?;
    let changed = matches!(
        service::consent(&state, &token).await?,
        Some(Consent::Needed { changed: true })
    );
    let action = format!("/q/{token}/consent");
    Ok(consent_page(&state, StatusCode::OK, action, changed, None))
}

/// `POST /q/<token>/consent`: agreed → where the client left off (the first section for
/// someone new); not ticked → the page again, with the reason next to the box.
pub async fn agree(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if form::value(&fields, "agree") != "yes" {
        service::open(&state, &token).await?;
        let changed = matches!(
            service::consent(&state, &token).await?,
            Some(Consent::Needed { changed: true })
        );
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let action = format!("/q/{token}/consent");
        let error = Some(NOT_TICKED.to_owned());
        return Ok(consent_page(&state, status, action, changed, error));
    }
    service::agree(&state, &token).await?;
    Ok(Redirect::to(&format!("/q/{token}")).into_response())
}

/// Sends every page of a private link to the consent page until the client agreed to the
/// policy as it reads today. Only pages: a form posted with answers is saved as usual (a policy
/// changed mid-answer must never lose what was typed), and the next page asks.
pub async fn required(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Ok(next.run(request).await);
    }
    let Some(token) = params.get("token") else {
        return Ok(next.run(request).await);
    };
    match service::consent(&state, token).await? {
        Some(Consent::Needed { .. }) => {
            Ok(Redirect::to(&format!("/q/{token}/consent")).into_response())
        }
        // Agreed, or a link that opens nothing: the page itself answers.
        Some(Consent::Given) | None => Ok(next.run(request).await),
    }
}

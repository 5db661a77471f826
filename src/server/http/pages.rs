//! The pages that belong to no flow: the start page, the practice's contact page, the
//! fallback for an unknown address, and the health check.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::prelude::*;

use super::error::AppError;
use super::render;
use crate::domain::questionnaire::{self as q, SECTION_COUNT};
use crate::server::state::AppState;
use crate::ui::pages::contact::ContactPage;
use crate::ui::pages::landing::LandingPage;

pub async fn landing(State(state): State<AppState>) -> Response {
    let practice_name = state.config.practice_name.clone();
    let item_count = q::Instrument::CURRENT.questions().len();
    render::page(&state, StatusCode::OK, "Welcome", false, move || {
        view! { <LandingPage practice_name section_count=SECTION_COUNT item_count /> }
    })
}

pub async fn contact(State(state): State<AppState>) -> Response {
    let practice_name = state.config.practice_name.clone();
    let practice_email = state.config.practice_email.clone();
    render::page(&state, StatusCode::OK, "Contact", false, move || {
        view! { <ContactPage practice_name practice_email /> }
    })
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `GET /healthz`: "ok" while the database answers (for a load balancer or a service manager).
pub async fn health(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.db.ping().await?;
    Ok("ok")
}

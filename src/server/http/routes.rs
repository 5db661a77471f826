//! The route table and the form handlers.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Serialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::error::{AppError, Wants};
use super::pages;
use crate::server::questionnaire::{self as service, Outcome};
use crate::server::state::AppState;
use crate::server::telemetry;

/// Largest form body accepted: a full section plus a 2,000-character note fits many times over.
const MAX_FORM_BYTES: usize = 32 * 1024;

pub fn router(state: AppState) -> Router {
    let pkg_dir = format!("{}/{}", state.leptos.site_root, state.leptos.site_pkg_dir);
    let pkg_route = format!("/{}", state.leptos.site_pkg_dir);
    let assets = Router::new()
        .nest_service(
            &pkg_route,
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));
    Router::new()
        .route("/", get(pages::landing))
        .route("/contact", get(pages::contact))
        .route("/start", post(start))
        .route("/q/{token}", get(pages::resume))
        .route(
            "/q/{token}/s/{section}",
            get(pages::section).post(save_section),
        )
        .route("/q/{token}/result", get(pages::result))
        .route("/healthz", get(health))
        .merge(assets)
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        // brotli or gzip for pages and the browser bundle, as the client accepts.
        .layer(CompressionLayer::new())
        .layer(telemetry::trace_layer())
        // A bug must cost one request a plain 500, never the connection or the process.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side.",
                )
                    .into_response()
            },
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /start`: begin a questionnaire and go to its first section.
async fn start(State(state): State<AppState>) -> Response {
    match service::start(&state).await {
        Ok(token) => Redirect::to(&format!("/q/{}/s/1", token.as_str())).into_response(),
        Err(e) => e.into_response_for(Wants::Html, &state),
    }
}

/// The island's view of a saved section (see `ui::components::browser::SaveReply`).
#[derive(Serialize)]
struct SaveReply {
    saved: bool,
    next: Option<String>,
    missing: Vec<String>,
    message: Option<&'static str>,
}

/// `POST /q/<token>/s/<n>`: save a section. A plain form gets a redirect (303, so a reload
/// never re-posts); the island, asking for JSON, gets where to go next.
async fn save_section(
    State(state): State<AppState>,
    Path((token, section)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let wants = Wants::from_headers(&headers);
    let outcome = async {
        let section = service::section_number(&section)?;
        let Form(form) = form.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::Invalid(vec![super::error::FieldError {
                    field: "form".into(),
                    message: "The form could not be read. Please reload the page and try again."
                        .into(),
                }])
            }
        })?;
        service::save_section(&state, &token, section, form).await
    }
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return e.into_response_for(wants, &state),
    };
    let base = format!("/q/{token}");
    let (next, missing, message) = match outcome {
        Outcome::Saved => (None, Vec::new(), None),
        Outcome::Section(n) => (Some(format!("{base}/s/{n}")), Vec::new(), None),
        Outcome::Submitted => (Some(format!("{base}/result")), Vec::new(), None),
        Outcome::Incomplete { section, missing } => (
            Some(format!("{base}/s/{section}")),
            missing,
            Some("A few statements still need an answer. They are marked below; everything else is saved."),
        ),
    };
    match wants {
        Wants::Json => (
            StatusCode::OK,
            Json(SaveReply {
                saved: true,
                next,
                missing,
                message,
            }),
        )
            .into_response(),
        Wants::Html => {
            let target = match (next, missing.is_empty()) {
                (Some(url), true) => url,
                (Some(url), false) => format!("{url}?check=1"),
                (None, _) => format!("{base}/s/{section}"),
            };
            Redirect::to(&target).into_response()
        }
    }
}

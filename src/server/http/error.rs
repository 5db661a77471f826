//! How an [`AppError`] becomes a response, in two steps so that handlers only `?`:
//!
//! 1. `IntoResponse` logs an internal error's cause once, sets the status and a plain-text
//!    message, and leaves an [`ErrorPage`] on the response;
//! 2. [`render_error_pages`], a middleware around every route, turns a response carrying an
//!    `ErrorPage` into the page (or, for the questionnaire island, the JSON) the client wants.
//!
//! Internals are never shown: the person sees the error's message, never SQL or paths.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Json, Response};
use leptos::prelude::*;
use serde::Serialize;

use super::render;

pub use crate::server::error::{AppError, FieldError};
use crate::server::state::AppState;
use crate::ui::pages::errors::{
    AdminsOnlyPage, CliniciansOnlyPage, InvalidPage, LinkExpiredPage, LinkNotFoundPage,
    NotFoundPage, ServerErrorPage, TooLargePage,
};

/// How the client asked to be answered: a page, or JSON for the questionnaire island.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    Html,
    Json,
}

impl Wants {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
        if json {
            Wants::Json
        } else {
            Wants::Html
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Wants {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Wants::from_headers(&parts.headers))
    }
}

/// The status each error answers with.
pub fn status(error: &AppError) -> StatusCode {
    match error {
        AppError::LinkNotFound | AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::LinkExpired => StatusCode::GONE,
        AppError::Forbidden | AppError::CliniciansOnly => StatusCode::FORBIDDEN,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error an error response still has to be rendered for, left on it by `into_response`.
/// Its cause was logged there; pages show only the error's message.
#[derive(Debug, Clone)]
pub struct ErrorPage(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some(chain) = self.cause_chain() {
            tracing::error!(error = %chain, "request failed");
        }
        let mut response = (status(&self), self.message()).into_response();
        response.extensions_mut().insert(ErrorPage(Arc::new(self)));
        response
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    saved: bool,
    message: &'a str,
    errors: &'a [FieldError],
}

/// Renders the page (or JSON) for every response that carries an [`ErrorPage`], keeping the
/// status and any header the inner layers set (a session cookie, `Retry-After`).
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let wants = Wants::from_headers(request.headers());
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let (parts, _plain_text) = response.into_parts();
    let error = page.0.as_ref();
    let mut rendered = match wants {
        Wants::Json => {
            let errors = match error {
                AppError::Invalid(errors) => errors.as_slice(),
                _ => &[],
            };
            let body = ErrorBody {
                saved: false,
                message: error.message(),
                errors,
            };
            (parts.status, Json(body)).into_response()
        }
        Wants::Html => error_page(&state, error),
    };
    let headers = rendered.headers_mut();
    for name in parts.headers.keys() {
        if headers.contains_key(name) {
            continue;
        }
        for value in parts.headers.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    rendered
}

/// The page for an error, with its status. Internals are never shown.
pub fn error_page(state: &AppState, error: &AppError) -> Response {
    let status = status(error);
    match error {
        AppError::LinkNotFound => render::page(state, status, "Link not found", false, || {
            view! { <LinkNotFoundPage /> }
        }),
        AppError::LinkExpired => render::page(state, status, "Link ended", false, || {
            view! { <LinkExpiredPage /> }
        }),
        AppError::NotFound => render::page(state, status, "Not found", false, || {
            view! { <NotFoundPage /> }
        }),
        AppError::Forbidden => render::page(state, status, "Admins only", false, || {
            view! { <AdminsOnlyPage /> }
        }),
        AppError::CliniciansOnly => render::page(state, status, "Clinicians only", false, || {
            view! { <CliniciansOnlyPage /> }
        }),
        AppError::Invalid(errors) => {
            let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            render::page(
                state,
                status,
                "Please check your answers",
                false,
                move || {
                    view! { <InvalidPage messages /> }
                },
            )
        }
        AppError::TooLarge => render::page(state, status, "Too long", false, || {
            view! { <TooLargePage /> }
        }),
        AppError::Internal(_) => render::page(state, status, "Something went wrong", false, || {
            view! { <ServerErrorPage /> }
        }),
    }
}

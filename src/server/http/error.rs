//! One error type for every handler, and the one place it becomes a response.
//!
//! Expected problems (a bad link, an invalid field) get a clear message and a 4xx. Anything
//! unexpected becomes an opaque 500: its cause chain is logged once, server-side, and the
//! person sees only "something went wrong" — never SQL, paths or stack traces.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;

/// A message about one form field, shown next to it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A resume link that is malformed or opens nothing.
    #[error("link not found")]
    LinkNotFound,
    /// A private link past its lifetime (`RESUME_LINK_DAYS`).
    #[error("link expired")]
    LinkExpired,
    #[error("not found")]
    NotFound,
    /// Logged in, but this is for practice admins.
    #[error("forbidden")]
    Forbidden,
    /// Input that no form of ours would send (unknown items, out-of-range values).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("request too large")]
    TooLarge,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(Box::new(e))
    }
}

/// How the client asked to be answered: a page, or JSON for the questionnaire island.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wants {
    Html,
    Json,
}

impl Wants {
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Self {
        let json = headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
        if json {
            Wants::Json
        } else {
            Wants::Html
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    saved: bool,
    message: &'a str,
    errors: &'a [FieldError],
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::LinkNotFound | AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::LinkExpired => StatusCode::GONE,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &'static str {
        match self {
            AppError::LinkNotFound => "This private link is not valid.",
            AppError::LinkExpired => "This private link has ended.",
            AppError::NotFound => "Not found.",
            AppError::Forbidden => "Only the practice's admins can do this.",
            AppError::Invalid(_) => "Some answers could not be accepted.",
            AppError::TooLarge => "That was more than this form accepts. Please shorten your note.",
            AppError::Internal(_) => {
                "Something went wrong on our side. Your saved answers are safe; please try again."
            }
        }
    }

    fn log(&self) {
        if let AppError::Internal(cause) = self {
            let mut chain = cause.to_string();
            let mut source = cause.source();
            while let Some(s) = source {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                source = s.source();
            }
            tracing::error!(error = %chain, "request failed");
        }
    }

    /// The response for a client that wants `wants`; pages are rendered by `render`.
    pub fn into_response_for(
        self,
        wants: Wants,
        state: &super::super::state::AppState,
    ) -> Response {
        self.log();
        match wants {
            Wants::Json => {
                let errors = match &self {
                    AppError::Invalid(errors) => errors.as_slice(),
                    _ => &[],
                };
                let body = ErrorBody {
                    saved: false,
                    message: self.message(),
                    errors,
                };
                (self.status(), Json(body)).into_response()
            }
            Wants::Html => super::pages::error_page(state, &self),
        }
    }
}

/// For handlers that have no state to render a page with: plain text, still without internals.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        (self.status(), self.message()).into_response()
    }
}

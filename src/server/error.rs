//! The one error type of the use cases and the database layer. It sits below HTTP: nothing here
//! knows of axum or Leptos, and `http::error` alone decides the status and the page.
//!
//! Expected problems (a bad link, an invalid field) carry what the person should be told.
//! Anything unexpected is `Internal`: its cause chain is logged once, server-side, and the person
//! sees only "something went wrong" — never SQL, paths or stack traces.

use serde::Serialize;

/// A message about one form field, shown next to it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
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
    /// A clinical decision an intake coordinator's account may not take.
    #[error("clinicians only")]
    CliniciansOnly,
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

impl AppError {
    /// One field's message, as the only problem.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// What the person is told, in one sentence. Never internals.
    pub fn message(&self) -> &'static str {
        match self {
            AppError::LinkNotFound => "This private link is not valid.",
            AppError::LinkExpired => "This private link has ended.",
            AppError::NotFound => "Not found.",
            AppError::Forbidden => "Only the practice's admins can do this.",
            AppError::CliniciansOnly => "Only a clinician can do this.",
            AppError::Invalid(_) => "Some answers could not be accepted.",
            AppError::TooLarge => "That was more than this form accepts. Please shorten your note.",
            AppError::Internal(_) => {
                "Something went wrong on our side. Your saved answers are safe; please try again."
            }
        }
    }

    /// The cause chain of an internal error, for the log; `None` for expected problems.
    pub fn cause_chain(&self) -> Option<String> {
        let AppError::Internal(cause) = self else {
            return None;
        };
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        Some(chain)
    }
}

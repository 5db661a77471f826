//! Reading posted forms: one mapping of unreadable bodies to clear errors, and one way to take
//! a field's value.

use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::Form;

use super::error::{AppError, FieldError};

/// A posted form as `(name, value)` pairs; too large → 413, unreadable → a calm message.
pub fn read(
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Vec<(String, String)>, AppError> {
    form.map(|Form(pairs)| pairs).map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Invalid(vec![FieldError {
                field: "form".into(),
                message: "The form could not be read. Please reload the page and try again.".into(),
            }])
        }
    })
}

/// The last value sent for `name` (a browser sends one; a crafted post may repeat it), or "".
pub fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

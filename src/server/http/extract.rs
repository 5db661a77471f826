//! The one way handlers read a posted form, so an unreadable body is answered the same
//! everywhere: too large → the 413 page, anything else a calm message (422), nothing typed
//! elsewhere lost.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Form;
use serde::de::DeserializeOwned;

use super::error::AppError;

/// A posted form, parsed into `T` (a struct, or `Vec<(String, String)>` to read by name with
/// `domain::form::value`).
pub struct AppForm<T>(pub T);

impl<T, S> FromRequest<S> for AppForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Form::<T>::from_request(request, state).await {
            Ok(Form(value)) => Ok(AppForm(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge)
            }
            Err(_) => Err(AppError::invalid(
                "form",
                "The form could not be read. Please reload the page and try again.",
            )),
        }
    }
}

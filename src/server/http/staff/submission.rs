//! One submission's page and what a clinician does there: move it along the workflow, add a
//! note, book or cancel a consult, delete it (admins).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::present::*;
use super::{back_to_submission, field_error, find_submission, invalid, staff_user};
use crate::domain::form;
use crate::domain::workflow::WorkflowStatus;
use crate::server::db::{BookingId, Clinician, DeleteOutcome, Role};
use crate::server::http::error::{AppError, FieldError};
use crate::server::http::extract::AppForm;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::booking::{self, BookOutcome, PracticeCancel};
use crate::server::state::AppState;
use crate::ui::pages::staff::SubmissionPage;

#[derive(Deserialize)]
pub struct MoveForm {
    from: String,
    to: String,
}

/// `POST /staff/submissions/<ref>/status`: move it along the workflow.
pub async fn move_status(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(form): AppForm<MoveForm>,
) -> Result<Redirect, AppError> {
    let result = async {
        let submission = find_submission(&state, &reference).await?;
        let (Some(from), Some(to)) = (
            WorkflowStatus::parse(&form.from),
            WorkflowStatus::parse(&form.to),
        ) else {
            return Err(invalid("to", "Choose one of the listed statuses."));
        };
        if from != submission.workflow || !from.can_move_to(to) {
            return Err(invalid(
                "to",
                "That move is not possible from the current status. Reload the page and try again.",
            ));
        }
        let now = Utc::now();
        if !state
            .db
            .move_workflow(submission.id, from, to, clinician.id, now)
            .await?
        {
            return Err(invalid(
                "to",
                "Someone else changed the status just now. Reload the page.",
            ));
        }
        state
            .db
            .audit(clinician.id, "move_workflow", Some(submission.id), now)
            .await?;
        Ok(())
    }
    .await;
    back_to_submission(&reference, result)
}

#[derive(Deserialize)]
pub struct NoteForm {
    body: String,
}

/// `POST /staff/submissions/<ref>/notes`: add a private note.
pub async fn add_note(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(form): AppForm<NoteForm>,
) -> Result<Redirect, AppError> {
    let result = async {
        let submission = find_submission(&state, &reference).await?;
        let body = form.body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(invalid(
                "body",
                "A note needs between 1 and 5,000 characters.",
            ));
        }
        let now = Utc::now();
        state
            .db
            .add_clinician_note(submission.id, clinician.id, body, now)
            .await?;
        state
            .db
            .audit(clinician.id, "add_note", Some(submission.id), now)
            .await?;
        Ok(())
    }
    .await;
    back_to_submission(&reference, result)
}

pub async fn submission(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    submission_page(
        &state,
        &clinician,
        &reference,
        StatusCode::OK,
        &[],
        Vec::new(),
    )
    .await
}

/// The submission page; `sent` and `errors` are a refused "book a consult" form's.
pub(super) async fn submission_page(
    state: &AppState,
    clinician: &Clinician,
    reference: &str,
    status: StatusCode,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (detail, workflow_key) =
        submission_detail(state, clinician.id, reference, sent, errors).await?;
    let user = staff_user(clinician);
    let title = format!("Submission {}", detail.reference);
    Ok(render::staff_page(state, status, &title, move || {
        view! { <SubmissionPage user detail workflow_key /> }
    }))
}

/// `POST /staff/submissions/<ref>/delete`: an admin deletes a questionnaire for good (a client
/// asked, say), after typing its reference. A live consult must be cancelled first, so the
/// client hears about it.
pub async fn delete_submission(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if clinician.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    // Gone already (a double click): back to the list.
    let Some(submission) = state.db.submission_by_reference(&reference).await? else {
        return Ok(Redirect::to("/staff").into_response());
    };
    let typed = form::value(&fields, "confirm_reference").trim();
    const BOOKED: &str =
        "It has a consult booked: cancel the consult first, so the client is told.";
    let refuse = |status: StatusCode, message: &str| {
        let errors = field_error("confirm_reference", message);
        submission_page(&state, &clinician, &reference, status, &[], errors)
    };
    if booking::live_booking(&state, &submission).await?.is_some() {
        return refuse(StatusCode::CONFLICT, BOOKED).await;
    }
    if !typed.eq_ignore_ascii_case(&submission.reference) {
        let message = "Type this submission's reference exactly to confirm.";
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    // The audit row outlives the submission: it keeps the reference, nothing else.
    let action = format!("delete_submission {}", submission.reference);
    let audit = (clinician.id, action.as_str());
    match state
        .db
        .delete_submission(submission.id, audit, Utc::now())
        .await?
    {
        DeleteOutcome::Deleted => {
            tracing::info!("submission deleted");
            Ok(Redirect::to("/staff").into_response())
        }
        // Booked a moment ago, between the check above and the delete.
        DeleteOutcome::ConsultBooked => refuse(StatusCode::CONFLICT, BOOKED).await,
        DeleteOutcome::NotFound => Ok(Redirect::to("/staff").into_response()),
    }
}

/// `POST /staff/submissions/<ref>/consult/cancel`: the practice cancels the live consult.
pub async fn cancel_consult(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let back = Redirect::to(&format!("/staff/submissions/{reference}")).into_response();
    // Nothing live (a double click, or the client just cancelled), or it has started: the
    // page shows what there is.
    match booking::live_booking(&state, &submission).await? {
        Some(live) if live.starts_at > Utc::now() => {}
        _ => return Ok(back),
    }
    let refuse = |status: StatusCode, message: &str| {
        let errors = field_error("confirm", message);
        submission_page(&state, &clinician, &reference, status, &[], errors)
    };
    if form::value(&fields, "confirm") != "yes" {
        let message = "Tick the box to confirm the cancellation.";
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    // The consult the page showed: a form left open must not cancel a newer one.
    let number = |name: &str| form::value(&fields, name).parse().ok();
    let seen = match (number("booking"), number("sequence")) {
        (Some(id), Some(sequence)) => (BookingId(id), i32::try_from(sequence).unwrap_or(-1)),
        _ => (BookingId(0), -1),
    };
    let now = Utc::now();
    match booking::cancel_by_practice(&state, &submission, seen, clinician.id, now).await? {
        PracticeCancel::Cancelled => {
            state
                .db
                .audit(clinician.id, "cancel_consult", Some(submission.id), now)
                .await?;
            Ok(back)
        }
        PracticeCancel::NothingLive | PracticeCancel::Started => Ok(back),
        PracticeCancel::Changed => {
            let message = "This consult changed after the page was loaded (moved, or \
                           cancelled and booked again). Check it below, then cancel again \
                           if you still mean to.";
            refuse(StatusCode::CONFLICT, message).await
        }
    }
}

/// `POST /staff/submissions/<ref>/book`: book a consult the practice arranged with the client.
pub async fn book_consult(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let now = Utc::now();
    let outcome = booking::book_for_client(&state, &submission, clinician.id, &fields, now).await?;
    let back = Redirect::to(&format!("/staff/submissions/{reference}")).into_response();
    let (status, errors) = match outcome {
        BookOutcome::Booked(_) => {
            state
                .db
                .audit(clinician.id, "book_consult", Some(submission.id), now)
                .await?;
            return Ok(back);
        }
        // Booked meanwhile (here or on the partner's submission): the page shows it.
        BookOutcome::AlreadyBooked(_) | BookOutcome::PartnerBooked => return Ok(back),
        BookOutcome::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        BookOutcome::SlotTaken => (
            StatusCode::CONFLICT,
            field_error(
                "slot",
                "That time was just booked. Please pick another one.",
            ),
        ),
    };
    submission_page(&state, &clinician, &reference, status, &fields, errors).await
}

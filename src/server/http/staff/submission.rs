//! One submission's page and what a clinician does there: move it along the workflow, add a
//! note, book or cancel a consult, delete it (admins).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::present::*;
use super::{back_to_submission, field_error, find_submission, staff_user};
use crate::domain::form;
use crate::domain::workflow::{ClinicianNote, WorkflowMove};
use crate::server::db::ReferralId;
use crate::server::db::{BookingId, Clinician, Role};
use crate::server::http::error::{AppError, FieldError};
use crate::server::http::extract::AppForm;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::booking::{self, BookOutcome, BookRequest, PracticeCancel};
use crate::server::service::referral;
use crate::server::service::workspace::{self, Deletion};
use crate::server::state::AppState;
use crate::ui::pages::referral::{PrintedReferral, ServiceLine};
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
    let submission = find_submission(&state, &reference).await?;
    let step = WorkflowMove::parse(&form.from, &form.to);
    workspace::move_status(&state, &clinician, &submission, step, Utc::now()).await?;
    Ok(back_to_submission(&reference))
}

#[derive(Deserialize)]
pub struct OwnerForm {
    /// An account's id, or empty for nobody.
    #[serde(default)]
    owner: String,
}

/// `POST /staff/submissions/<ref>/owner`: who looks after it (and its partner's), or nobody.
pub async fn assign_owner(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(form): AppForm<OwnerForm>,
) -> Result<Redirect, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let owner = match form.owner.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().map_err(|_| AppError::NotFound)?;
            let account = state
                .db
                .clinicians()
                .await?
                .into_iter()
                .find(|c| c.id.0 == id && c.active)
                .ok_or_else(|| AppError::invalid("owner", "Please choose an active account."))?;
            Some(account.id)
        }
    };
    workspace::assign_owner(&state, &clinician, &submission, owner, Utc::now()).await?;
    Ok(back_to_submission(&reference))
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
    let submission = find_submission(&state, &reference).await?;
    let note = ClinicianNote::parse(&form.body);
    workspace::add_note(&state, &clinician, &submission, note, Utc::now()).await?;
    Ok(back_to_submission(&reference))
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
        submission_detail(state, clinician, reference, sent, errors).await?;
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
    let typed = form::value(&fields, "confirm_reference");
    let refuse = |status: StatusCode, message: &str| {
        let errors = field_error("confirm_reference", message);
        submission_page(&state, &clinician, &reference, status, &[], errors)
    };
    match workspace::delete_submission(&state, &clinician, &submission, typed, Utc::now()).await? {
        Deletion::Deleted | Deletion::Gone => Ok(Redirect::to("/staff").into_response()),
        Deletion::ConsultBooked => {
            let message =
                "It has a consult booked: cancel the consult first, so the client is told.";
            refuse(StatusCode::CONFLICT, message).await
        }
        Deletion::NotConfirmed => {
            let message = "Type this submission's reference exactly to confirm.";
            refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await
        }
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
        PracticeCancel::Cancelled | PracticeCancel::NothingLive | PracticeCancel::Started => {
            Ok(back)
        }
        PracticeCancel::Changed => {
            let message = "This consult changed after the page was loaded (moved, or \
                           cancelled and booked again). Check it below, then cancel again \
                           if you still mean to.";
            refuse(StatusCode::CONFLICT, message).await
        }
    }
}

/// `POST /staff/submissions/<ref>/first-contact`: record a try to reach the client after a
/// check-in that asks for review.
pub async fn record_first_contact(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let request = workspace::FirstContactRequest {
        channel: form::value(&fields, "contact_channel").to_owned(),
        outcome: form::value(&fields, "contact_outcome").to_owned(),
        contacted_at: form::value(&fields, "contacted_at").to_owned(),
    };
    let now = Utc::now();
    match workspace::record_first_contact(&state, &clinician, &submission, &request, now).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/submissions/{reference}#safety")).into_response())
        }
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            submission_page(&state, &clinician, &reference, status, &[], errors).await
        }
    }
}

/// `POST /staff/submissions/<ref>/referrals`: refer this client out.
pub async fn refer(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    match referral::refer(&state, &clinician, &submission, &fields, Utc::now()).await? {
        Ok(_) => {
            Ok(Redirect::to(&format!("/staff/submissions/{reference}#referrals")).into_response())
        }
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            submission_page(&state, &clinician, &reference, status, &fields, errors).await
        }
    }
}

fn referral_id(raw: &str) -> Result<ReferralId, AppError> {
    raw.parse().map(ReferralId).map_err(|_| AppError::NotFound)
}

/// `POST /staff/submissions/<ref>/referrals/<id>`: an outcome, a follow-up, or closing it.
pub async fn update_referral(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path((reference, id)): Path<(String, String)>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let id = referral_id(&id)?;
    let now = Utc::now();
    match referral::staff_update(&state, &clinician, &submission, id, &fields, now).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/staff/submissions/{reference}#referrals")).into_response())
        }
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            submission_page(&state, &clinician, &reference, status, &[], errors).await
        }
    }
}

/// `GET /staff/submissions/<ref>/referrals/<id>/print`: the list to hand a client without
/// email: the services only, no reason and nothing of the intake.
pub async fn print_referral(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path((reference, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let submission = find_submission(&state, &reference).await?;
    let id = referral_id(&id)?;
    let found = state
        .db
        .referrals_of(submission.id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    let services = referral::lines(&found.entries)
        .into_iter()
        .map(|l| ServiceLine {
            name: l.name,
            ways: l.ways,
            how_to_refer: l.how_to_refer,
        })
        .collect();
    let practice_name = state.config.practice_name.clone();
    let message = found.message;
    let _ = clinician;
    Ok(render::staff_page(
        &state,
        StatusCode::OK,
        "Contacts for you",
        move || {
            view! { <PrintedReferral practice_name message services /> }
        },
    ))
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
    let request = BookRequest::from_form(&fields);
    let outcome = booking::book_for_client(&state, &submission, &clinician, &request, now).await?;
    let back = Redirect::to(&format!("/staff/submissions/{reference}")).into_response();
    let (status, errors) = match outcome {
        // Booked (the audit row with it), or booked meanwhile (here or on the partner's
        // submission): the page shows it.
        BookOutcome::Booked(_) | BookOutcome::AlreadyBooked(_) | BookOutcome::PartnerBooked => {
            return Ok(back)
        }
        BookOutcome::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        // The daily cap is for a client's own link; the practice's bookings are not counted.
        BookOutcome::TooManyToday => (
            StatusCode::TOO_MANY_REQUESTS,
            field_error(
                "form",
                "Too many consults were booked for this client today.",
            ),
        ),
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

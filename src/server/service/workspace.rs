//! What a clinician does to a submission in the workspace: move it along the workflow, add a
//! note, delete it (admins), and the views that are recorded. Booking and cancelling a consult
//! for a client are `booking::book_for_client` and `booking::cancel_by_practice`.
//!
//! Every change writes its audit row in its own transaction (`db::audit`), so the log never
//! misses a change and never records one that did not happen.

use chrono::{DateTime, Utc};

use crate::domain::workflow::{ClinicianNote, WorkflowMove};
use crate::server::db::{
    Audit, AuditAction, Clinician, ClinicianId, DeleteOutcome, Role, Submission,
};
use crate::server::error::{AppError, FieldError};
use crate::server::service::booking;
use crate::server::state::AppState;

/// Moves a submission along the workflow, as the clinician's form asked.
pub async fn move_status(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    step: Option<WorkflowMove>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(step) = step else {
        return Err(AppError::invalid(
            "to",
            "Choose one of the listed statuses.",
        ));
    };
    if !step.applies_to(submission.workflow) {
        return Err(AppError::invalid(
            "to",
            "That move is not possible from the current status. Reload the page and try again.",
        ));
    }
    let audit = Audit::new(
        clinician.id,
        AuditAction::MoveWorkflow,
        Some(submission.id),
        now,
    );
    let moved = state
        .db
        .move_workflow(submission.id, step.from, step.to, &audit)
        .await?;
    if !moved {
        return Err(AppError::invalid(
            "to",
            "Someone else changed the status just now. Reload the page.",
        ));
    }
    Ok(())
}

/// Adds a clinician's private note; `None` is a note that was empty or too long.
pub async fn add_note(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    note: Option<ClinicianNote>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(note) = note else {
        return Err(AppError::invalid(
            "body",
            "A note needs between 1 and 5,000 characters.",
        ));
    };
    let audit = Audit::new(clinician.id, AuditAction::AddNote, Some(submission.id), now);
    state
        .db
        .add_clinician_note(submission.id, note.as_str(), &audit)
        .await?;
    Ok(())
}

/// Gives a submission (and its partner's, for a couple) to `owner`, or to nobody. Audited.
pub async fn assign_owner(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    owner: Option<crate::server::db::ClinicianId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let action = AuditAction::AssignOwner {
        owner: owner.map(|o| o.0),
    };
    let audit = Audit::new(clinician.id, action, Some(submission.id), now);
    if !state.db.assign_owner(submission.id, owner, &audit).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A try to reach a client, as the clinician's form gave it.
#[derive(Debug, Clone, Default)]
pub struct FirstContactRequest {
    pub channel: String,
    pub outcome: String,
    /// `YYYY-MM-DDTHH:MM` in the practice's zone (a `datetime-local` field); empty for now.
    pub contacted_at: String,
}

/// Records a try to reach the client after a check-in that asks for review, audited. Refusals
/// name the field to fix.
pub async fn record_first_contact(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    request: &FirstContactRequest,
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<FieldError>>, AppError> {
    use crate::domain::safe_contact::{ContactChannel, ContactOutcome};
    let mut errors = Vec::new();
    let mut refuse = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    let channel = ContactChannel::parse(&request.channel);
    if channel.is_none() {
        refuse("contact_channel", "Choose how you tried to reach them.");
    }
    let outcome = ContactOutcome::parse(&request.outcome);
    if outcome.is_none() {
        refuse("contact_outcome", "Choose what happened.");
    }
    // "Spoke with them privately" takes an intake off the needs-review queue: a clinical
    // judgement, so a clinician's to record.
    if outcome == Some(ContactOutcome::Spoke) && !clinician.role.is_clinical() {
        return Err(AppError::CliniciansOnly);
    }
    let raw = request.contacted_at.trim();
    let at = if raw.is_empty() {
        Some(now)
    } else {
        chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|local| {
                local
                    .and_local_timezone(state.config.practice_zone)
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
    };
    match at {
        None => refuse(
            "contacted_at",
            "Give a date and time, for example 2026-12-01 14:30, or leave it empty for now.",
        ),
        Some(t) if t > now + chrono::Duration::minutes(5) => refuse(
            "contacted_at",
            "That time is in the future: record a try once it has happened.",
        ),
        Some(_) => {}
    }
    let (Some(channel), Some(outcome), Some(at), true) = (channel, outcome, at, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let audit = Audit::new(
        clinician.id,
        AuditAction::RecordFirstContact,
        Some(submission.id),
        now,
    );
    state
        .db
        .record_first_contact(submission.id, channel, outcome, at, &audit)
        .await?;
    Ok(Ok(()))
}

/// How an admin's deletion ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    /// The reference typed was not this submission's.
    NotConfirmed,
    /// A consult is booked on it: it must be cancelled first, so the client is told.
    ConsultBooked,
    /// Deleted already (a double click).
    Gone,
}

/// Deletes a submission for good, once the admin has typed its reference.
pub async fn delete_submission(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    typed_reference: &str,
    now: DateTime<Utc>,
) -> Result<Deletion, AppError> {
    if clinician.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    if booking::live_booking(state, submission).await?.is_some() {
        return Ok(Deletion::ConsultBooked);
    }
    if !typed_reference
        .trim()
        .eq_ignore_ascii_case(&submission.reference)
    {
        return Ok(Deletion::NotConfirmed);
    }
    // The audit row outlives the submission: it keeps the reference, nothing else.
    let action = AuditAction::DeleteSubmission {
        reference: submission.reference.clone(),
    };
    let audit = Audit::new(clinician.id, action, None, now);
    Ok(
        match state.db.delete_submission(submission.id, &audit).await? {
            DeleteOutcome::Deleted => {
                tracing::info!("submission deleted");
                Deletion::Deleted
            }
            // Booked a moment ago, between the check above and the delete.
            DeleteOutcome::ConsultBooked => Deletion::ConsultBooked,
            DeleteOutcome::NotFound => Deletion::Gone,
        },
    )
}

/// Records that a clinician looked at something (a submission, the consults, an export).
pub async fn record_view(
    state: &AppState,
    by: ClinicianId,
    action: AuditAction,
    submission: Option<&Submission>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let audit = Audit::new(by, action, submission.map(|s| s.id), now);
    state.db.audit(&audit).await?;
    Ok(())
}

//! The clinician workspace's handlers. Every page but the login page takes a
//! [`CurrentClinician`], so it cannot run without a valid session.

pub mod admin;
pub mod availability;
pub mod calendar_feed;
mod consults;
pub mod directory;
pub mod intake_form;
mod list;
mod login;
mod present;
mod present_referrals;
mod reading;
pub mod report;
mod submission;
pub mod two_step;

use axum::response::Redirect;
use chrono::{DateTime, Utc};

use super::error::{AppError, FieldError};
use crate::server::db::{Clinician, Role, Submission, SubmissionStatus};
use crate::server::state::AppState;
use crate::ui::pages::staff::StaffUser;

pub use consults::consults;
pub use list::{csv_safe, export_csv, submissions};
pub use login::{login, login_page, logout};
pub use submission::{
    add_note, assign_owner, book_consult, cancel_consult, delete_submission, move_status,
    print_referral, record_first_contact, refer, submission, update_referral,
};

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A time as the workspace shows it: in the practice's zone, with the zone's abbreviation.
fn local(t: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    t.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

pub(super) fn staff_user(clinician: &Clinician) -> StaffUser {
    StaffUser {
        name: clinician.display_name.clone(),
        is_admin: clinician.role == Role::Admin,
    }
}

fn status_label(status: SubmissionStatus) -> &'static str {
    match status {
        SubmissionStatus::InProgress => "In progress",
        SubmissionStatus::Submitted => "Submitted",
    }
}

async fn find_submission(state: &AppState, reference: &str) -> Result<Submission, AppError> {
    state
        .db
        .submission_by_reference(reference)
        .await?
        .ok_or(AppError::NotFound)
}

/// After a change to a submission: back to its page (303).
fn back_to_submission(reference: &str) -> Redirect {
    Redirect::to(&format!("/staff/submissions/{reference}"))
}

fn field_error(field: &str, message: &str) -> Vec<FieldError> {
    vec![FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }]
}

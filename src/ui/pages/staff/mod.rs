//! The clinician workspace: login, the list of submissions, one submission.
//!
//! Everything a client typed (the note) is rendered as text: Leptos escapes it, so markup in it
//! stays inert.

pub mod admin;
pub mod availability;
pub mod calendar_feed;
mod cards;
mod consults;
pub mod directory;
pub mod intake_form;
mod login;
mod referrals_card;
pub mod report;
mod safety_card;
mod submission;
mod submissions;
pub mod two_step;

use leptos::prelude::*;

pub use consults::{ConsultDay, ConsultRow, ConsultsPage};
pub use login::LoginPage;
pub use submission::{
    AnswerRow, ArrangeConsult, BookingSummary, CancelConsult, CoupleReportView, CoupleSummary,
    DeleteSubmission, FirstContactForm, IntakeCard, OwnerCard, ReferForm, ReferralItem,
    ReferralsCard, SafetyPathway, SubmissionDetail, SubmissionPage,
};
pub use submissions::{
    FilterForm, FollowUpRow, MissingCheckInRow, ReviewRow, SubmissionRow, SubmissionsPage,
};

/// Who is looking at a workspace page.
#[derive(Clone, Debug)]
pub struct StaffUser {
    pub name: String,
    pub is_admin: bool,
}

/// The bar at the top of every workspace page.
#[component]
pub fn StaffBar(user: StaffUser) -> impl IntoView {
    let admin_links = user.is_admin.then(|| {
        view! {
            <a href="/staff/clinicians">"Clinicians"</a>
            <a href="/staff/intake-form">"Intake form"</a>
            <a href="/staff/audit">"Audit log"</a>
            <a href="/staff/email">"Email"</a>
        }
    });
    view! {
        <nav class="staff-bar" aria-label="Workspace">
            <a href="/staff">"Submissions"</a>
            <a href="/staff/consults">"Consults"</a>
            <a href="/staff/availability">"Availability"</a>
            <a href="/staff/directory">"Directory"</a>
            <a href="/staff/report">"Report"</a>
            {admin_links}
            <a href="/staff/password">"Password"</a>
            <a href="/staff/two-step">"Two-step sign-in"</a>
            <span class="who">{user.name}</span>
            <form method="post" action="/staff/logout">
                <button type="submit" class="button secondary small">"Log out"</button>
            </form>
        </nav>
    }
}

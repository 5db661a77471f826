//! The clinician workspace's handlers. Every page but the login page takes a
//! [`CurrentClinician`], so it cannot run without a valid session.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use super::error::{AppError, FieldError, Wants};
use super::render;
use crate::domain::questionnaire::{self as q, Likert};
use crate::domain::scoring::ReadinessBand;
use crate::domain::workflow::WorkflowStatus;
use crate::server::auth::{self, CurrentClinician, LoginOutcome};
use crate::server::booking::{self, BookOutcome, PracticeCancel};
use crate::server::db::{
    BookingId, BookingStatus, Clinician, DeleteOutcome, HistoryItem, Role, Submission,
    SubmissionFilter, SubmissionId, SubmissionStatus,
};
use crate::server::state::AppState;
use crate::server::tokens::request_key_or_new;
use crate::ui::pages::staff::{
    AnswerRow, ArrangeConsult, BookingSummary, CancelConsult, ConsultDay, ConsultRow, ConsultsPage,
    CoupleReportView, CoupleSummary, DeleteSubmission, FilterForm, LoginPage, StaffUser,
    SubmissionDetail, SubmissionPage, SubmissionRow, SubmissionsPage,
};

const PAGE_SIZE: u32 = 50;
const LOGIN_REFUSED: &str = "That email and password don't match an active account. \
                             After several failed attempts an account is locked for a while.";

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
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

pub async fn login_page(State(state): State<AppState>, session: Session) -> Response {
    if matches!(
        session.get::<i64>(auth::session_store::CLINICIAN_KEY).await,
        Ok(Some(_))
    ) {
        return Redirect::to("/staff").into_response();
    }
    login_form(&state, StatusCode::OK, String::new(), None)
}

fn login_form(
    state: &AppState,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> Response {
    render::staff_page(state, status, "Clinician login", move || {
        view! { <LoginPage email error /> }
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Response {
    let LoginForm { email, password } = form;
    let password = SecretString::from(password);
    match auth::login(&state, &email, password, Utc::now()).await {
        Ok(LoginOutcome::LoggedIn(clinician)) => {
            match auth::start_session(&session, clinician.id).await {
                Ok(()) => Redirect::to("/staff").into_response(),
                Err(e) => e.into_response_for(Wants::Html, &state),
            }
        }
        Ok(LoginOutcome::Refused) => login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            email,
            Some(LOGIN_REFUSED.into()),
        ),
        Err(e) => e.into_response_for(Wants::Html, &state),
    }
}

pub async fn logout(session: Session) -> Response {
    // Deletes the session row and tells the browser to drop the cookie.
    let _ = session.flush().await;
    Redirect::to("/staff/login").into_response()
}

/// The list's query string: filters and the keyset cursor.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    before: Option<i64>,
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    band: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    name: String,
}

impl ListQuery {
    /// The filter, and the form as typed with a message for each value that was not usable.
    fn filter(&self) -> (SubmissionFilter, FilterForm) {
        let mut errors = Vec::new();
        let mut date = |field: &'static str, raw: &str| -> Option<DateTime<Utc>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                Err(_) => {
                    errors.push((field, "Use a date like 2026-11-25.".to_owned()));
                    None
                }
            }
        };
        let from = date("from", &self.from);
        // "until" is inclusive for people: until the end of that day.
        let until = date("to", &self.to).map(|d| d + chrono::Duration::days(1));
        let reference = Some(self.q.trim().to_owned()).filter(|r| !r.is_empty());
        let filter = SubmissionFilter {
            workflow: WorkflowStatus::parse(&self.workflow),
            band: ReadinessBand::parse(&self.band),
            from,
            until,
            reference,
            safety_only: self.flag == "safety",
            mixed_agenda_only: self.flag == "mixed_agenda",
            client_name: Some(self.name.trim().to_owned()).filter(|n| !n.is_empty()),
        };
        let form = FilterForm {
            flag: self.flag.clone(),
            name: self.name.clone(),
            workflow: self.workflow.clone(),
            band: self.band.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            reference: self.q.clone(),
            errors,
            query: self.query_string(None),
        };
        (filter, form)
    }

    /// `?workflow=…&…` for links that keep the current filter (and move the cursor).
    fn query_string(&self, before: Option<i64>) -> String {
        let mut pairs: Vec<(&str, String)> = [
            ("workflow", &self.workflow),
            ("band", &self.band),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
            ("flag", &self.flag),
            ("name", &self.name),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        if let Some(b) = before {
            pairs.push(("before", b.to_string()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("?{encoded}")
    }
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn workflow_choices() -> Vec<(&'static str, &'static str)> {
    WorkflowStatus::ALL
        .iter()
        .map(|w| (w.as_str(), w.label()))
        .collect()
}

fn band_choices() -> Vec<(&'static str, &'static str)> {
    ReadinessBand::ALL
        .iter()
        .map(|b| (b.as_str(), b.label()))
        .collect()
}

pub async fn submissions(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ListQuery>,
) -> Response {
    let (filter, form) = query.filter();
    let page = match state
        .db
        .submissions_page(&filter, query.before.map(SubmissionId), PAGE_SIZE)
        .await
    {
        Ok(page) => page,
        Err(e) => return AppError::from(e).into_response_for(Wants::Html, &state),
    };
    let next_page = (page.len() == PAGE_SIZE as usize)
        .then(|| {
            page.last()
                .map(|s| format!("/staff{}", query.query_string(Some(s.id.0))))
        })
        .flatten();
    let rows = page
        .into_iter()
        .map(|s| SubmissionRow {
            reference: s.reference,
            started: when(s.created_at),
            status: status_label(s.status),
            workflow: s.workflow.label(),
            overall: s.overall,
            band: s.band.map(|b| b.label()),
            consult: s.consult.map(|t| {
                format!(
                    "{} ({})",
                    crate::domain::booking::render_in(t, state.config.practice_zone),
                    state.config.practice_zone.name()
                )
            }),
            partner: s.partner.as_deref().and_then(|p| match p {
                "a" => Some("A"),
                "b" => Some("B"),
                _ => None,
            }),
            safety: s.safety,
            mixed_agenda: s.mixed_agenda,
        })
        .collect();
    let user = staff_user(&clinician);
    render::staff_page(&state, StatusCode::OK, "Submissions", move || {
        view! {
            <SubmissionsPage
                user
                rows
                next_page
                filters=form
                workflows=workflow_choices()
                bands=band_choices()
            />
        }
    })
}

/// Neutralises a spreadsheet formula: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe, so Excel or LibreOffice show it as text instead of running it.
pub fn csv_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `GET /staff/export.csv`: the filtered list, every page of it, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ListQuery>,
) -> Response {
    let (filter, _) = query.filter();
    match export(&state, &filter).await {
        Ok(body) => {
            if let Err(e) = state
                .db
                .audit(clinician.id, "export_csv", None, Utc::now())
                .await
            {
                return AppError::from(e).into_response_for(Wants::Html, &state);
            }
            (
                [
                    (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        "attachment; filename=\"submissions.csv\"",
                    ),
                    (axum::http::header::CACHE_CONTROL, "no-store"),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => e.into_response_for(Wants::Html, &state),
    }
}

async fn export(state: &AppState, filter: &SubmissionFilter) -> Result<Vec<u8>, AppError> {
    let internal = |e: csv::Error| AppError::Internal(Box::new(e));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "reference",
        "started_utc",
        "submitted_utc",
        "questionnaire",
        "workflow",
        "readiness",
        "band",
    ])
    .map_err(internal)?;
    let mut before = None;
    loop {
        let page = state.db.submissions_page(filter, before, 1000).await?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        let full = page.len() == 1000;
        for s in page {
            let row = [
                s.reference,
                when(s.created_at),
                s.submitted_at.map(when).unwrap_or_default(),
                status_label(s.status).to_owned(),
                s.workflow.label().to_owned(),
                s.overall.map(|o| o.to_string()).unwrap_or_default(),
                s.band.map(|b| b.label().to_owned()).unwrap_or_default(),
            ];
            out.write_record(row.iter().map(|c| csv_safe(c)))
                .map_err(internal)?;
        }
        if !full {
            break;
        }
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.to_string().into()))
}

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
    Form(form): Form<MoveForm>,
) -> Response {
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
    back_to_submission(&state, &reference, result)
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
    Form(form): Form<NoteForm>,
) -> Response {
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
    back_to_submission(&state, &reference, result)
}

async fn find_submission(state: &AppState, reference: &str) -> Result<Submission, AppError> {
    state
        .db
        .submission_by_reference(reference)
        .await?
        .ok_or(AppError::NotFound)
}

/// After a change to a submission: back to its page (303), or the error's page.
fn back_to_submission(state: &AppState, reference: &str, result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/staff/submissions/{reference}")).into_response(),
        Err(e) => e.into_response_for(Wants::Html, state),
    }
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![super::error::FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

pub async fn submission(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
) -> Response {
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
async fn submission_page(
    state: &AppState,
    clinician: &Clinician,
    reference: &str,
    status: StatusCode,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Response {
    match submission_detail(state, clinician.id, reference, sent, errors).await {
        Ok((detail, workflow_key)) => {
            let user = staff_user(clinician);
            let title = format!("Submission {}", detail.reference);
            render::staff_page(state, status, &title, move || {
                view! { <SubmissionPage user detail workflow_key /> }
            })
        }
        Err(e) => e.into_response_for(Wants::Html, state),
    }
}

#[derive(Deserialize)]
pub struct ConsultsQuery {
    mine: Option<String>,
}

/// Consults shown on one page at most.
const CONSULTS_SHOWN: i64 = 200;

/// `GET /staff/consults`: live consults from now on, by day, practice time.
pub async fn consults(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ConsultsQuery>,
) -> Response {
    let outcome = async {
        let mine = query.mine.as_deref() == Some("1");
        let now = Utc::now();
        let only = mine.then_some(clinician.id);
        let mut found = state
            .db
            .upcoming_consults(now, only, CONSULTS_SHOWN + 1)
            .await?;
        // It lists clients' names: recorded like any view of their submissions.
        state
            .db
            .audit(clinician.id, "view_consults", None, now)
            .await?;
        let more = found.len() > CONSULTS_SHOWN as usize;
        found.truncate(CONSULTS_SHOWN as usize);
        let zone = state.config.practice_zone;
        let mut days: Vec<ConsultDay> = Vec::new();
        for (b, in_couple) in found {
            let local = b.starts_at.with_timezone(&zone);
            let label = local.format("%A %-d %B").to_string();
            let row = ConsultRow {
                time: local.format("%H:%M").to_string(),
                minutes: (b.ends_at - b.starts_at).num_minutes(),
                clinician: b.clinician_name,
                client: b.client_name,
                scope: match (in_couple, b.for_couple) {
                    (false, _) => "",
                    (true, true) => "Couple",
                    (true, false) => "Individual",
                },
                reference: b.reference,
            };
            match days.last_mut() {
                Some(day) if day.label == label => day.rows.push(row),
                _ => days.push(ConsultDay {
                    label,
                    rows: vec![row],
                }),
            }
        }
        let user = staff_user(&clinician);
        let zone = zone.name().replace('_', " ");
        Ok::<_, AppError>(render::staff_page(
            &state,
            StatusCode::OK,
            "Consults",
            move || view! { <ConsultsPage user days zone mine more=more.then_some(CONSULTS_SHOWN) /> },
        ))
    };
    outcome
        .await
        .unwrap_or_else(|e| e.into_response_for(Wants::Html, &state))
}

/// `POST /staff/submissions/<ref>/delete`: an admin deletes a questionnaire for good (a client
/// asked, say), after typing its reference. A live consult must be cancelled first, so the
/// client hears about it.
pub async fn delete_submission(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let outcome = async {
        if clinician.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let fields = super::form::read(form)?;
        // Gone already (a double click): back to the list.
        let Some(submission) = state.db.submission_by_reference(&reference).await? else {
            return Ok(Redirect::to("/staff").into_response());
        };
        let typed = super::form::value(&fields, "confirm_reference").trim();
        const BOOKED: &str =
            "It has a consult booked: cancel the consult first, so the client is told.";
        let refuse = |status: StatusCode, message: &str| {
            let errors = field_error("confirm_reference", message);
            submission_page(&state, &clinician, &reference, status, &[], errors)
        };
        if booking::live_booking(&state, &submission).await?.is_some() {
            return Ok(refuse(StatusCode::CONFLICT, BOOKED).await);
        }
        if !typed.eq_ignore_ascii_case(&submission.reference) {
            let message = "Type this submission's reference exactly to confirm.";
            return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await);
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
            DeleteOutcome::ConsultBooked => Ok(refuse(StatusCode::CONFLICT, BOOKED).await),
            DeleteOutcome::NotFound => Ok(Redirect::to("/staff").into_response()),
        }
    };
    outcome
        .await
        .unwrap_or_else(|e: AppError| e.into_response_for(Wants::Html, &state))
}

/// `POST /staff/submissions/<ref>/consult/cancel`: the practice cancels the live consult.
pub async fn cancel_consult(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let outcome = async {
        let fields = super::form::read(form)?;
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
        if super::form::value(&fields, "confirm") != "yes" {
            let message = "Tick the box to confirm the cancellation.";
            return Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await);
        }
        // The consult the page showed: a form left open must not cancel a newer one.
        let number = |name: &str| super::form::value(&fields, name).parse().ok();
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
                Ok(refuse(StatusCode::CONFLICT, message).await)
            }
        }
    };
    outcome
        .await
        .unwrap_or_else(|e: AppError| e.into_response_for(Wants::Html, &state))
}

/// `POST /staff/submissions/<ref>/book`: book a consult the practice arranged with the client.
pub async fn book_consult(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let outcome = async {
        let fields = super::form::read(form)?;
        let submission = find_submission(&state, &reference).await?;
        let now = Utc::now();
        let outcome =
            booking::book_for_client(&state, &submission, clinician.id, &fields, now).await?;
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
        Ok(submission_page(&state, &clinician, &reference, status, &fields, errors).await)
    };
    outcome
        .await
        .unwrap_or_else(|e: AppError| e.into_response_for(Wants::Html, &state))
}

fn field_error(field: &str, message: &str) -> Vec<FieldError> {
    vec![FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }]
}

/// The "book a consult" form, for a finished questionnaire without a live consult.
async fn arrange_form(
    state: &AppState,
    submission: &Submission,
    couple: &CoupleSummary,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<Option<ArrangeConsult>, AppError> {
    if submission.status != SubmissionStatus::Submitted {
        return Ok(None);
    }
    let zone = state.config.practice_zone;
    let open = booking::open_slots(state, Utc::now()).await?;
    let value = |name: &str| super::form::value(sent, name).to_owned();
    let request_key = request_key_or_new(super::form::value(sent, "request_key"));
    Ok(Some(ArrangeConsult {
        action: format!("/staff/submissions/{}/book", submission.reference),
        zone: zone.name().replace('_', " "),
        days: super::booking::slot_days(&open.slots, zone),
        slot: value("slot"),
        request_key,
        name: value("name"),
        email: value("email"),
        phone: value("phone"),
        consent: value("consent") == "yes",
        // A positive check-in in the couple: this client's own consult comes first.
        for_couple: couple.role.map(|_| match value("for").as_str() {
            "couple" => true,
            "client" => false,
            _ => couple.safety.is_empty(),
        }),
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }))
}

async fn submission_detail(
    state: &AppState,
    viewer: crate::server::db::ClinicianId,
    reference: &str,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<(SubmissionDetail, String), AppError> {
    let submission = find_submission(state, reference).await?;
    // Every view is recorded before anything is shown.
    state
        .db
        .audit(viewer, "view_submission", Some(submission.id), Utc::now())
        .await?;
    let result = state.db.result(submission.id).await?;
    let saved = state.db.answers(submission.id).await?;
    let history = state
        .db
        .history(submission.id)
        .await?
        .into_iter()
        .map(|h| {
            let what = match h.what {
                HistoryItem::Moved { from, to } => format!(
                    "Moved from {} to {}",
                    WorkflowStatus::parse(&from).map_or(from.as_str(), |w| w.label()),
                    WorkflowStatus::parse(&to).map_or(to.as_str(), |w| w.label()),
                ),
                HistoryItem::Note(body) => format!("Note: {body}"),
            };
            (when(h.at), h.by, what)
        })
        .collect();
    let answers = q::items()
        .iter()
        .filter_map(|item| {
            let value = saved
                .iter()
                .find(|(id, _)| id == item.id)
                .map(|(_, v)| *v)?;
            Some(AnswerRow {
                section: q::section(item.section)
                    .map(|s| s.title.to_owned())
                    .unwrap_or_default(),
                text: item.text.to_owned(),
                answer: format!("{} ({})", Likert::label(value), value.value()),
                reverse: item.reverse,
            })
        })
        .collect();
    let workflow_key = submission.workflow.as_str().to_owned();
    let zone = state.config.practice_zone;
    // A couple has one consult: the partner's live booking is this submission's too.
    let own = state.db.booking_for_submission(submission.id).await?;
    let (booking, on_partner) = match own {
        Some(b) if b.status == BookingStatus::Booked => (Some(b), false),
        own => match crate::server::couples::partner_booking(state, submission.id).await? {
            Some(partner) => (Some(partner), true),
            None => (own, false),
        },
    };
    let live = booking
        .as_ref()
        .is_some_and(|b| b.status == BookingStatus::Booked);
    // A refused "cancel" or "delete" is said at its own field; the rest belong to the booking
    // form.
    let (mut own, errors): (Vec<FieldError>, Vec<FieldError>) = errors
        .into_iter()
        .partition(|e| e.field == "confirm" || e.field == "confirm_reference");
    let mut take = |field: &str| {
        own.iter()
            .position(|e| e.field == field)
            .map(|i| own.remove(i).message)
    };
    let cancel_error = take("confirm");
    let delete_error = take("confirm_reference");
    let couple = couple_summary(state, submission.id).await?;
    let arrange = if live {
        None
    } else {
        arrange_form(state, &submission, &couple, sent, errors).await?
    };
    let booking = booking.map(|b| BookingSummary {
        when: format!(
            "{} ({})",
            crate::domain::booking::render_in(b.starts_at, zone),
            zone.name()
        ),
        minutes: (b.ends_at - b.starts_at).num_minutes(),
        clinician: b.clinician_name,
        cancelled: b.status == BookingStatus::Cancelled,
        individual: couple.role.is_some() && !b.for_couple,
        // Until it starts; afterwards what happened is the practice's record, not a cancel.
        cancel: (live && !on_partner && b.starts_at > Utc::now()).then(|| CancelConsult {
            action: format!("/staff/submissions/{}/consult/cancel", submission.reference),
            booking: b.id.0,
            sequence: b.sequence,
            error: cancel_error.clone(),
        }),
        on_partner: on_partner.then_some(b.reference),
        client_name: b.client_name,
        client_email: b.client_email,
        client_phone: b.client_phone,
    });
    let detail = SubmissionDetail {
        couple,
        booking,
        arrange,
        delete: DeleteSubmission {
            action: format!("/staff/submissions/{}/delete", submission.reference),
            error: delete_error,
        },
        reference: submission.reference,
        workflow: submission.workflow.label(),
        moves: submission
            .workflow
            .next()
            .iter()
            .map(|w| (w.as_str(), w.label()))
            .collect(),
        history,
        started: when(submission.created_at),
        status: status_label(submission.status),
        result,
        answers,
        note: submission.note,
    };
    Ok((detail, workflow_key))
}

fn safety_line(role: &str, flag: &crate::domain::couple::SafetyFlag) -> String {
    let list = |items: &[crate::domain::couple::SafetyItem]| {
        items
            .iter()
            .map(|i| i.question())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut line = format!("{role}: positive.");
    if !flag.disclosed.is_empty() {
        line.push_str(&format!(" Yes to: {}", list(&flag.disclosed)));
    }
    if !flag.declined.is_empty() {
        line.push_str(&format!(" Rather not say: {}", list(&flag.declined)));
    }
    line
}

/// The clinician's view of a submission's couple and private check-ins.
async fn couple_summary(state: &AppState, id: SubmissionId) -> Result<CoupleSummary, AppError> {
    use crate::domain::couple::{PartnerRole, WhoDescribes};
    let own = state.db.safety_screen(id).await?;
    let own_check_in = match &own {
        None => "not answered yet".to_owned(),
        Some(screen) if screen.is_positive() => "POSITIVE (see above)".to_owned(),
        Some(_) => "answered, no concerns".to_owned(),
    };
    let Some((couple_id, role)) = state.db.couple_of(id).await? else {
        return Ok(CoupleSummary {
            safety: own
                .and_then(|s| s.flag())
                .map(|f| vec![safety_line("This client", &f)])
                .unwrap_or_default(),
            own_check_in,
            ..CoupleSummary::default()
        });
    };
    let (couple, ids) = crate::server::couples::load_couple(state, couple_id).await?;
    let partner = match ids.get(role.other()) {
        Some(other) => state
            .db
            .submission_reference(*other)
            .await?
            .map(|r| (role.other().label(), r)),
        None => None,
    };
    let flags = couple.flags();
    let safety = flags
        .safety
        .as_ref()
        .map(|hold| {
            hold.flags
                .iter()
                .filter_map(|(r, f)| f.as_ref().map(|f| safety_line(r.label(), f)))
                .collect()
        })
        .unwrap_or_default();
    let mixed_agenda = flags.mixed_agenda.as_ref().map(|m| {
        format!(
            "{} is willing to rebuild (willingness {}); {} is unsure or unwilling ({}).",
            m.willing.label(),
            m.willingness.get(m.willing),
            m.unsure().label(),
            m.willingness.get(m.unsure()),
        )
    });
    let report = couple.report().map(|r| CoupleReportView {
        overall: (r.overall.a, r.overall.b),
        dimensions: r
            .dimensions
            .iter()
            .map(|d| (d.dimension.label(), d.scores.a, d.scores.b))
            .collect(),
        topics: r
            .topics
            .iter()
            .map(|t| match t.concern {
                WhoDescribes::One(who) => format!("{} ({})", t.sentence(), who.label()),
                _ => t.sentence(),
            })
            .collect(),
        disagreements: r
            .disagreements
            .iter()
            .map(|d| {
                (
                    d.item.text.to_owned(),
                    d.answers.a.label(),
                    d.answers.b.label(),
                )
            })
            .collect(),
    });
    let recommendation = flags.recommendation();
    Ok(CoupleSummary {
        role: Some(match role {
            PartnerRole::A => "Partner A (invited the other)",
            PartnerRole::B => "Partner B (invited)",
        }),
        partner,
        safety,
        own_check_in,
        mixed_agenda,
        recommendation: Some((recommendation.label(), recommendation.description())),
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(csv_safe(cell).starts_with('\''), "{cell:?}");
        }
        for cell in ["TB-ABC", "2026-11-25 10:00", "Ready to rebuild", ""] {
            assert_eq!(csv_safe(cell), cell);
        }
    }

    #[test]
    fn filters_keep_their_query_and_report_bad_dates() {
        let query = ListQuery {
            workflow: "contacted".into(),
            from: "25/11/2026".into(),
            to: "2026-11-30".into(),
            q: "tb-7k".into(),
            ..Default::default()
        };
        let (filter, form) = query.filter();
        assert_eq!(filter.workflow, Some(WorkflowStatus::Contacted));
        assert_eq!(filter.from, None);
        assert_eq!(form.errors.len(), 1);
        assert_eq!(form.errors[0].0, "from");
        assert_eq!(
            filter.until.map(|d| d.date_naive().to_string()),
            Some("2026-12-01".to_owned())
        );
        assert_eq!(
            query.query_string(Some(42)),
            "?workflow=contacted&from=25%2F11%2F2026&to=2026-11-30&q=tb-7k&before=42"
        );
    }
}

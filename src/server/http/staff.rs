//! The clinician workspace's handlers. Every page but the login page takes a
//! [`CurrentClinician`], so it cannot run without a valid session.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use super::error::{AppError, Wants};
use super::render;
use crate::domain::questionnaire::{self as q, Likert};
use crate::server::auth::{self, CurrentClinician, LoginOutcome};
use crate::server::db::{SubmissionId, SubmissionStatus};
use crate::server::state::AppState;
use crate::ui::pages::staff::{
    AnswerRow, LoginPage, SubmissionDetail, SubmissionPage, SubmissionRow, SubmissionsPage,
};

const PAGE_SIZE: u32 = 50;
const LOGIN_REFUSED: &str = "That email and password don't match an active account. \
                             After several failed attempts an account is locked for a while.";

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
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
    render::page(state, status, "Clinician login", false, move || {
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

#[derive(Deserialize)]
pub struct ListQuery {
    before: Option<i64>,
}

pub async fn submissions(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ListQuery>,
) -> Response {
    let page = match state
        .db
        .submissions_page(query.before.map(SubmissionId), PAGE_SIZE)
        .await
    {
        Ok(page) => page,
        Err(e) => return AppError::from(e).into_response_for(Wants::Html, &state),
    };
    let next_page = (page.len() == PAGE_SIZE as usize)
        .then(|| page.last().map(|s| format!("/staff?before={}", s.id.0)))
        .flatten();
    let rows = page
        .into_iter()
        .map(|s| SubmissionRow {
            reference: s.reference,
            started: when(s.created_at),
            status: status_label(s.status),
            overall: s.overall,
            band: s.band.map(|b| b.label()),
        })
        .collect();
    let name = clinician.display_name;
    render::page(&state, StatusCode::OK, "Submissions", false, move || {
        view! { <SubmissionsPage clinician_name=name rows next_page /> }
    })
}

pub async fn submission(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Path(reference): Path<String>,
) -> Response {
    match submission_detail(&state, clinician.id, &reference).await {
        Ok(detail) => {
            let name = clinician.display_name;
            let title = format!("Submission {}", detail.reference);
            render::page(&state, StatusCode::OK, &title, false, move || {
                view! { <SubmissionPage clinician_name=name detail /> }
            })
        }
        Err(e) => e.into_response_for(Wants::Html, &state),
    }
}

async fn submission_detail(
    state: &AppState,
    viewer: crate::server::db::ClinicianId,
    reference: &str,
) -> Result<SubmissionDetail, AppError> {
    let submission = state
        .db
        .submission_by_reference(reference)
        .await?
        .ok_or(AppError::NotFound)?;
    // Every view is recorded before anything is shown.
    state
        .db
        .audit(viewer, "view_submission", Some(submission.id), Utc::now())
        .await?;
    let result = state.db.result(submission.id).await?;
    let saved = state.db.answers(submission.id).await?;
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
    Ok(SubmissionDetail {
        reference: submission.reference,
        started: when(submission.created_at),
        status: status_label(submission.status),
        result,
        answers,
        note: submission.note,
    })
}

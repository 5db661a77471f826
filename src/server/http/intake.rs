//! The intake pages of a private link, after consent and before the trust questionnaire:
//! `/q/<token>/about` (the basics) and `/q/<token>/about/more` (the practice's own questions,
//! when any applies).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use super::error::AppError;
use super::extract::AppForm;
use super::render;
use crate::domain::form;
use crate::domain::intake::{chosen, Answers, FieldError, Form, Kind, Page, Question};
use crate::server::db::SubmissionStatus;
use crate::server::service::intake::{self as service, Saved};
use crate::server::service::questionnaire::{self as questionnaire, Opened};
use crate::server::state::AppState;
use crate::ui::pages::intake::{FieldKind, IntakeField, IntakePage, IntakeView};

fn field_kind(kind: Kind) -> FieldKind {
    match kind {
        Kind::ShortText => FieldKind::ShortText,
        Kind::LongText => FieldKind::LongText,
        Kind::OneChoice => FieldKind::OneChoice,
        Kind::SeveralChoices => FieldKind::SeveralChoices,
        Kind::Number => FieldKind::Number,
        Kind::Date => FieldKind::Date,
    }
}

/// What the page shows of each question: the saved answers, or (after a refused post) what
/// was posted, so nothing typed is lost.
enum Shown<'a> {
    Saved(&'a Answers),
    Posted(&'a [(String, String)]),
}

fn fields(
    form: &Form,
    page: Page,
    saved: &Answers,
    shown: Shown<'_>,
    errors: &[FieldError],
) -> Vec<IntakeField> {
    // A question that depends on an earlier page's answer shows only when that answer
    // matches; one that depends on this page's shows with a lead-in (no JavaScript needed).
    let applies = form.applies(saved);
    form.on_page(page)
        .filter(|q| match &q.show_if {
            Some(c) => {
                let on_this_page = form.question(&c.question).is_some_and(|d| d.page() == page);
                on_this_page || applies.get(q.key.as_str()).copied().unwrap_or(false)
            }
            None => true,
        })
        .map(|q| field_view(form, page, q, &shown, errors))
        .collect()
}

fn field_view(
    form: &Form,
    page: Page,
    q: &Question,
    shown: &Shown<'_>,
    errors: &[FieldError],
) -> IntakeField {
    let field = q.field();
    let values = match shown {
        Shown::Saved(saved) => saved
            .get(&q.key)
            .map(|v| chosen(v).map(str::to_owned).collect())
            .unwrap_or_default(),
        Shown::Posted(posted) => posted
            .iter()
            .filter(|(k, _)| *k == field)
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let lead_in = q.show_if.as_ref().and_then(|c| {
        let depends = form.question(&c.question).filter(|d| d.page() == page)?;
        Some(format!(
            "If you chose “{}” for “{}”:",
            depends.display(&c.equals),
            depends.label
        ))
    });
    IntakeField {
        field,
        label: q.label.clone(),
        help: q.help.clone(),
        kind: field_kind(q.kind),
        choices: q
            .choices
            .iter()
            .map(|c| (c.value.clone(), c.label.clone()))
            .collect(),
        values,
        required: q.required,
        error: errors
            .iter()
            .find(|e| e.key == q.key)
            .map(|e| e.message.to_owned()),
        lead_in,
    }
}

fn page_response(
    state: &AppState,
    status: StatusCode,
    token: &str,
    page: Page,
    fields: Vec<IntakeField>,
) -> Response {
    let (heading, intro) = match page {
        Page::About => (
            "About you",
            "A few basics help the practice find the right first step and the right clinician. \
             Answer only what you want to: you can go on at any time.",
        ),
        Page::Practice => (
            "A few questions from the practice",
            "The practice asks these too. Answer what you can.",
        ),
    };
    let intake = IntakeView {
        heading: heading.to_owned(),
        intro: intro.to_owned(),
        action: format!("/q/{token}/{}", page.slug()),
        fields,
        has_back: page == Page::Practice,
        alert: status != StatusCode::OK,
    };
    render::page(state, status, heading, true, move || {
        view! { <IntakePage intake /> }
    })
}

/// Opens the link for an intake page: `Err` is where the client goes instead (the summary
/// once the questionnaire is submitted).
async fn open(state: &AppState, token: &str) -> Result<Result<Opened, Response>, AppError> {
    let opened = questionnaire::open(state, token).await?;
    if opened.submission.status == SubmissionStatus::Submitted {
        return Ok(Err(
            Redirect::to(&format!("/q/{token}/result")).into_response()
        ));
    }
    Ok(Ok(opened))
}

async fn show(state: &AppState, token: &str, page: Page) -> Result<Response, AppError> {
    let opened = match open(state, token).await? {
        Ok(opened) => opened,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let (_, form) = service::current(state).await?;
    let saved = service::saved(state, opened.submission.id).await?;
    if page == Page::Practice && !form.practice_page_applies(&saved) {
        return Ok(Redirect::to(&format!("/q/{token}/about")).into_response());
    }
    let fields = fields(&form, page, &saved, Shown::Saved(&saved), &[]);
    Ok(page_response(state, StatusCode::OK, token, page, fields))
}

async fn save(
    state: &AppState,
    token: &str,
    page: Page,
    posted: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let opened = match open(state, token).await? {
        Ok(opened) => opened,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let back = form::value(&posted, "nav") == "back";
    let id = opened.submission.id;
    let errors = match service::save_page(state, id, page, &posted, back).await? {
        Saved::Page(next) => {
            return Ok(Redirect::to(&format!("/q/{token}/{}", next.slug())).into_response())
        }
        // On to the questionnaire, where the client left it.
        Saved::Finished => return Ok(Redirect::to(&format!("/q/{token}")).into_response()),
        Saved::Closed => return Ok(Redirect::to(&format!("/q/{token}/result")).into_response()),
        Saved::Invalid(errors) | Saved::Missing(errors) => errors,
    };
    let (_, form) = service::current(state).await?;
    let saved = service::saved(state, id).await?;
    let fields = fields(&form, page, &saved, Shown::Posted(&posted), &errors);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(page_response(state, status, token, page, fields))
}

/// `GET /q/<token>/about`.
pub async fn about(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &token, Page::About).await
}

/// `POST /q/<token>/about`.
pub async fn save_about(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(posted): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(&state, &token, Page::About, posted).await
}

/// `GET /q/<token>/about/more`.
pub async fn more(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &token, Page::Practice).await
}

/// `POST /q/<token>/about/more`.
pub async fn save_more(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(posted): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(&state, &token, Page::Practice, posted).await
}

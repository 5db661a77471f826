//! The couple's pages: partner A's invitation, partner B's welcome, and each partner's
//! private check-in (the safety screen) before booking.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::error::AppError;
use super::extract::AppForm;
use super::render;
use crate::domain::couple::{
    CheckInVersion, JointBookingOffer, JointBookingPolicy, SafetyItem, SafetyScreen,
    INDIVIDUAL_CONSULT_OFFER,
};
use crate::domain::form;
use crate::domain::safe_contact::SafeContact;
use crate::server::db::SubmissionStatus;
use crate::server::service::couples::{self as service, EmailInvite, InviteState, INVITE_EMAILS};
use crate::server::service::questionnaire::{self as questionnaire, Opened};
use crate::server::state::AppState;
use crate::ui::pages::couples::{
    CheckInPage, CheckInQuestion, InviteEmail, JoinPage, NextStepPage, ReachPage, SafeContactForm,
};

/// `POST /q/<token>/invite`: make (or show again) the link for partner B.
pub async fn invite(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Redirect, AppError> {
    service::invite(&state, &token, Utc::now()).await?;
    Ok(Redirect::to(&format!("/q/{token}/result#invite")))
}

/// `POST /q/<token>/invite/email`: the practice emails partner A's link to partner B. A
/// refused address is shown at its field, as typed.
pub async fn email_invite(
    State(state): State<AppState>,
    Path(token): Path<String>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let sender = crate::server::http::middleware::client_device(&state, peer.ip(), &headers);
    let typed = form::value(&fields, "email");
    let back =
        |query: &str| Redirect::to(&format!("/q/{token}/result{query}#invite")).into_response();
    // An open invitation first: partner B, or a page left open after a withdrawal, goes
    // back to their own summary whatever was typed.
    let error = match service::email_invite(&state, &token, typed, sender, Utc::now()).await? {
        EmailInvite::Sent => return Ok(back("?emailed=1")),
        EmailInvite::Closed => return Ok(back("")),
        EmailInvite::Invalid(message) => message,
        EmailInvite::LimitReached => format!(
            "The practice has emailed this link {INVITE_EMAILS} times already. \
             Please send it another way."
        ),
        EmailInvite::PracticeBusy => "The practice cannot email more invitations today. \
            Please send the link another way."
            .into(),
    };
    let email = InviteEmail {
        value: typed.to_owned(),
        error: Some(error),
        ..InviteEmail::default()
    };
    super::questionnaire::result_page(&state, &token, email, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /q/<token>/invite/withdraw`: partner A takes back a link nobody has used yet, and
/// is on their own again (so they can book alone).
pub async fn withdraw(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Redirect, AppError> {
    service::withdraw(&state, &token).await?;
    Ok(Redirect::to(&format!("/q/{token}/result#invite")))
}

fn join_page(state: &AppState, status: StatusCode, raw: &str, invite: InviteState) -> Response {
    let (name, action) = match invite {
        InviteState::Open => ("open", Some(format!("/join/{raw}"))),
        InviteState::Used => ("used", None),
        InviteState::Expired => ("expired", None),
    };
    render::page(state, status, "Welcome", false, move || {
        view! { <JoinPage action state=name /> }
    })
}

/// `GET /join/<invite>`: partner B's welcome.
pub async fn welcome(
    State(state): State<AppState>,
    Path(invite): Path<String>,
) -> Result<Response, AppError> {
    Ok(
        match service::invitation_state(&state, &invite, Utc::now()).await? {
            InviteState::Open => join_page(&state, StatusCode::OK, &invite, InviteState::Open),
            other => join_page(&state, StatusCode::GONE, &invite, other),
        },
    )
}

/// `POST /join/<invite>`: partner B starts their own questionnaire.
pub async fn join(
    State(state): State<AppState>,
    Path(invite): Path<String>,
) -> Result<Response, AppError> {
    Ok(match service::join(&state, &invite, Utc::now()).await? {
        Ok(token) => Redirect::to(&format!("/q/{}/consent", token.as_str())).into_response(),
        Err(other) => join_page(&state, StatusCode::GONE, &invite, other),
    })
}

fn check_in_questions(
    chosen: &[(String, String)],
    errors: &[(SafetyItem, String)],
) -> Vec<CheckInQuestion> {
    CheckInVersion::CURRENT
        .items()
        .iter()
        .map(|&item| {
            let field = item.field_name();
            CheckInQuestion {
                chosen: chosen
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == field)
                    .map(|(_, v)| v.clone()),
                error: errors
                    .iter()
                    .find(|(i, _)| *i == item)
                    .map(|(_, m)| m.clone()),
                field,
                text: item.question().to_owned(),
                choices: item
                    .choices()
                    .iter()
                    .map(|a| (a.as_str().to_owned(), a.label().to_owned()))
                    .collect(),
            }
        })
        .collect()
}

fn check_in_page(
    state: &AppState,
    status: StatusCode,
    token: &str,
    questions: Vec<CheckInQuestion>,
    contact: SafeContactForm,
) -> Response {
    let action = format!("/q/{token}/private");
    let alert = status != StatusCode::OK;
    // A neutral tab title: a glance at the screen should not say what this is.
    let support = state.config.support.clone();
    let reading_notice = state.config.reading_notice.clone();
    render::page(state, status, "A few more questions", false, move || {
        view! { <CheckInPage action questions alert contact support reading_notice /> }
    })
}

/// `GET /q/<token>/reach`: change or clear how the practice can reach you, after the check-in.
/// The same empty form for everyone: what was given before is never shown back (a screen can
/// be seen by others), and the page does not say whether anything was given.
pub async fn reach(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ReachQuery>,
) -> Result<Response, AppError> {
    let Opened { submission, .. } = questionnaire::open(&state, &token).await?;
    if submission.status != SubmissionStatus::Submitted
        || state.db.safety_screen(submission.id).await?.is_none()
    {
        return Ok(Redirect::to(&format!("/q/{token}")).into_response());
    }
    Ok(reach_page(
        &state,
        StatusCode::OK,
        &token,
        SafeContactForm::default(),
        query.saved.map(|s| s == "cleared"),
    ))
}

#[derive(Deserialize)]
pub struct ReachQuery {
    saved: Option<String>,
}

/// `POST /q/<token>/reach`: replaces what was given (`action=clear` removes it all).
pub async fn save_reach(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let clear = crate::domain::form::value(&fields, "action") == "clear";
    let contact = if clear {
        Ok(SafeContact::default())
    } else {
        SafeContact::parse_form(&fields)
    };
    match service::change_safe_contact(&state, &token, contact, Utc::now()).await? {
        Ok(()) => {
            let saved = if clear { "cleared" } else { "yes" };
            Ok(Redirect::to(&format!("/q/{token}/reach?saved={saved}")).into_response())
        }
        Err(errors) => Ok(reach_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            SafeContactForm {
                errors: errors
                    .into_iter()
                    .map(|e| (e.field.to_owned(), e.message.to_owned()))
                    .collect(),
                values: fields,
            },
            None,
        )),
    }
}

fn reach_page(
    state: &AppState,
    status: StatusCode,
    token: &str,
    contact: SafeContactForm,
    saved: Option<bool>,
) -> Response {
    let action = format!("/q/{token}/reach");
    let back = format!("/q/{token}/result");
    let support = state.config.support.clone();
    render::page(state, status, "A few more questions", false, move || {
        view! { <ReachPage action back contact saved support /> }
    })
}

/// `GET /q/<token>/private`: the private check-in, once, after the questionnaire.
pub async fn check_in(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Opened { submission, .. } = questionnaire::open(&state, &token).await?;
    if submission.status != SubmissionStatus::Submitted {
        return Ok(Redirect::to(&format!("/q/{token}")).into_response());
    }
    if state.db.safety_screen(submission.id).await?.is_some() {
        return Ok(Redirect::to(&format!("/q/{token}/result")).into_response());
    }
    Ok(check_in_page(
        &state,
        StatusCode::OK,
        &token,
        check_in_questions(&[], &[]),
        SafeContactForm::default(),
    ))
}

/// `POST /q/<token>/private`: every question answered (and any safe contact detail usable) →
/// the summary; otherwise each question or field to fix is marked and everything given is kept.
pub async fn save_check_in(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let screen = SafetyScreen::parse_form(fields.clone());
    let contact = SafeContact::parse_form(&fields);
    if let (Ok(screen), Ok(contact)) = (&screen, &contact) {
        service::save_screen(&state, &token, screen, contact, Utc::now()).await?;
        // The same next page whatever was answered: the summary.
        return Ok(Redirect::to(&format!("/q/{token}/result")).into_response());
    }
    // Still this person's own link: open it first, so a forged one gets its page.
    questionnaire::open(&state, &token).await?;
    let errors: Vec<(SafetyItem, String)> = screen
        .err()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.item().map(|i| (i, e.to_string())))
        .collect();
    let questions = check_in_questions(&fields, &errors);
    let contact = SafeContactForm {
        errors: contact
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field.to_owned(), e.message.to_owned()))
            .collect(),
        values: fields,
    };
    Ok(check_in_page(
        &state,
        StatusCode::UNPROCESSABLE_ENTITY,
        &token,
        questions,
        contact,
    ))
}

/// The couple's offer in words, the same for both partners and for every reason.
pub fn offer_message(state: &AppState, offer: JointBookingOffer) -> &'static str {
    // When the practice arranges every couple's consult, "you can arrange a consult together
    // here" would never come true: say what will.
    match (offer, state.config.joint_booking) {
        (JointBookingOffer::NotYet, JointBookingPolicy::PracticeContactsEveryCouple) => {
            "Once you have both finished, someone from the practice will contact you to arrange a consult."
        }
        (offer, _) => offer.message(),
    }
}

/// The page for when no times can be offered: the same words for every reason.
pub fn next_step(state: &AppState, offer: JointBookingOffer) -> Response {
    let message = offer_message(state, offer);
    let practice_email = state.config.practice_email.clone();
    let support = state.config.support.clone();
    render::page(state, StatusCode::OK, "Your next step", false, move || {
        view! {
            <NextStepPage message private_offer=INDIVIDUAL_CONSULT_OFFER practice_email support />
        }
    })
}

//! A client's referral page (`/r/<token>`): the list a clinician sent, and the three answers
//! that close the loop, without a login. A link from the message opens a page with one button,
//! so a mail program that follows links by itself records nothing.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::error::AppError;
use super::render;
use crate::domain::referral::ClientAnswer;
use crate::server::service::referral as service;
use crate::server::state::AppState;
use crate::ui::pages::referral::{ReferralAnswerPage, ReferralPage, ReferralView, ServiceLine};

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    answered: Option<String>,
}

/// `GET /r/<token>`
pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let referral = service::open(&state, &token).await?;
    let view_data = ReferralView {
        base: format!("/r/{token}"),
        practice_name: state.config.practice_name.clone(),
        message: referral.message,
        services: service::lines(&referral.entries)
            .into_iter()
            .map(|l| ServiceLine {
                name: l.name,
                ways: l.ways,
                how_to_refer: l.how_to_refer,
            })
            .collect(),
        answers: ClientAnswer::ALL
            .iter()
            .map(|a| (a.as_str(), a.label()))
            .collect(),
        thanks: query.answered.is_some(),
        support: state.config.support.clone(),
    };
    // A neutral tab title.
    Ok(render::page(
        &state,
        StatusCode::OK,
        "Contacts",
        false,
        move || {
            view! { <ReferralPage referral=view_data /> }
        },
    ))
}

fn answer_of(raw: &str) -> Result<ClientAnswer, AppError> {
    ClientAnswer::parse(raw).ok_or(AppError::NotFound)
}

/// `GET /r/<token>/<answer>`: the message's link; one button to confirm.
pub async fn confirm(
    State(state): State<AppState>,
    Path((token, answer)): Path<(String, String)>,
) -> Result<Response, AppError> {
    service::open(&state, &token).await?;
    let answer = answer_of(&answer)?;
    let action = format!("/r/{token}/{}", answer.as_str());
    let back = format!("/r/{token}");
    let label = answer.label();
    Ok(render::page(
        &state,
        StatusCode::OK,
        "Contacts",
        false,
        move || {
            view! { <ReferralAnswerPage action label back /> }
        },
    ))
}

/// `POST /r/<token>/<answer>`: records it, then the list again with a thank-you.
pub async fn answer(
    State(state): State<AppState>,
    Path((token, answer)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let answer = answer_of(&answer)?;
    service::client_answer(&state, &token, answer, Utc::now()).await?;
    Ok(Redirect::to(&format!("/r/{token}?answered=1")).into_response())
}

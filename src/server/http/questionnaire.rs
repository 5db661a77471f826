//! The questionnaire's own routes: start, resume, one section (shown and saved), and the result.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Redirect, Response};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::error::{AppError, Wants};
use super::extract::AppForm;
use super::render;
use crate::domain::couple::JointSummaryMode;
use crate::domain::questionnaire::{self as q, ClientNote, SECTION_COUNT};
use crate::domain::scoring;
use crate::server::db::SubmissionStatus;
use crate::server::service::couples;
use crate::server::service::questionnaire::{self as service, Opened, Outcome};
use crate::server::state::AppState;
use crate::ui::components::questionnaire_form::{ItemView, SectionForm};
use crate::ui::pages::couples::{InviteCard, InviteEmail, JointCard};
use crate::ui::pages::questionnaire::QuestionnairePage;
use crate::ui::pages::result::{ResultPage, ResultView};

/// The island's view of a saved section (see `ui::components::browser::SaveReply`).
#[derive(Serialize)]
struct SaveReply {
    saved: bool,
    next: Option<String>,
    missing: Vec<String>,
    message: Option<&'static str>,
}

/// `POST /q/<token>/s/<n>`: save a section. A plain form gets a redirect (303, so a reload
/// never re-posts); the island, asking for JSON, gets where to go next.
pub async fn save_section(
    State(state): State<AppState>,
    Path((token, section)): Path<(String, String)>,
    wants: Wants,
    AppForm(form): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let section = service::section_number(&section)?;
    let outcome = service::save_section(&state, &token, section, form).await?;
    let base = format!("/q/{token}");
    let (next, missing, message) = match outcome {
        Outcome::Saved => (None, Vec::new(), None),
        Outcome::Section(n) => (Some(format!("{base}/s/{n}")), Vec::new(), None),
        // Everyone answers the private check-in before their summary.
        Outcome::Submitted => (Some(format!("{base}/private")), Vec::new(), None),
        Outcome::Incomplete { section, missing } => (
            Some(format!("{base}/s/{section}")),
            missing,
            Some("A few statements still need an answer. They are marked below; everything else is saved."),
        ),
    };
    Ok(match wants {
        Wants::Json => (
            StatusCode::OK,
            Json(SaveReply {
                saved: true,
                next,
                missing,
                message,
            }),
        )
            .into_response(),
        Wants::Html => {
            let target = match (next, missing.is_empty()) {
                (Some(url), true) => url,
                (Some(url), false) => format!("{url}?check=1"),
                (None, _) => format!("{base}/s/{section}"),
            };
            Redirect::to(&target).into_response()
        }
    })
}

/// `/q/<token>`: continue where the person stopped.
pub async fn resume(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Redirect, AppError> {
    let Opened {
        submission,
        answers,
    } = service::open(&state, &token).await?;
    let target = if submission.status == SubmissionStatus::Submitted {
        format!("/q/{token}/result")
    } else if !state.db.intake_finished(submission.id).await? {
        format!("/q/{token}/about")
    } else {
        let section = answers.first_incomplete_section().unwrap_or(SECTION_COUNT);
        format!("/q/{token}/s/{section}")
    };
    Ok(Redirect::to(&target))
}

#[derive(Debug, Deserialize)]
pub struct SectionQuery {
    /// Set after a "continue" that found unanswered statements: mark them on the page.
    #[serde(default)]
    check: Option<String>,
}

/// `POST /q/<token>/end`: the client ends their private link. The page that follows asks the
/// browser to forget what it stored of this site (`Clear-Site-Data`).
pub async fn end_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    service::end_link(&state, &token).await?;
    let mut response = render::page(&state, StatusCode::OK, "Your link has ended", false, || {
        view! { <crate::ui::pages::errors::LinkEndedPage /> }
    });
    response.headers_mut().insert(
        "clear-site-data",
        axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    Ok(response)
}

/// `/q/<token>/s/<n>`: one section of the questionnaire.
pub async fn section(
    State(state): State<AppState>,
    Path((token, section)): Path<(String, String)>,
    Query(query): Query<SectionQuery>,
) -> Result<Response, AppError> {
    section_page(&state, &token, &section, query.check.is_some()).await
}

async fn section_page(
    state: &AppState,
    token: &str,
    raw_section: &str,
    check: bool,
) -> Result<Response, AppError> {
    let Opened {
        submission,
        answers,
    } = service::open(state, token).await?;
    let current = service::section_number(raw_section)?;
    if submission.status == SubmissionStatus::Submitted {
        return Ok(Redirect::to(&format!("/q/{token}/result")).into_response());
    }
    // The intake's basics come first (the practice may require some of them).
    if !state.db.intake_finished(submission.id).await? {
        return Ok(Redirect::to(&format!("/q/{token}/about")).into_response());
    }
    let missing = if check {
        answers
            .missing_in_section(current)
            .iter()
            .map(|&id| id.to_owned())
            .collect()
    } else {
        Default::default()
    };
    let version = submission.instrument;
    let section = version.section(current).ok_or(AppError::NotFound)?;
    let form = SectionForm {
        base: format!("/q/{token}"),
        number: current,
        total: SECTION_COUNT,
        title: section.title.to_owned(),
        intro: section.intro.to_owned(),
        items: version
            .questions_in_section(current)
            .into_iter()
            .map(|q| ItemView {
                id: q.id().to_owned(),
                text: q.text().to_owned(),
                choices: q
                    .choices()
                    .into_iter()
                    .map(|(v, label)| (v, label.to_owned()))
                    .collect(),
                framing: matches!(q, q::Question::Framing(_)),
            })
            .collect(),
        answers: answers
            .stored()
            .into_iter()
            .map(|(id, v)| (id.to_owned(), v))
            .collect(),
        missing,
        note: submission.note.clone().unwrap_or_default(),
        note_max_chars: ClientNote::MAX_CHARS,
    };
    let resume_url = format!("{}/q/{token}", state.config.public_base_url);
    let title = format!("Questionnaire, section {current} of {SECTION_COUNT}");
    Ok(render::page(
        state,
        StatusCode::OK,
        &title,
        true,
        move || {
            view! { <QuestionnairePage form resume_url /> }
        },
    ))
}

#[derive(Deserialize)]
pub struct ResultQuery {
    /// Set after the practice queued the invitation email.
    #[serde(default)]
    emailed: Option<String>,
}

/// `/q/<token>/result`: the stored result, exactly as it was scored.
pub async fn result(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ResultQuery>,
) -> Result<Response, AppError> {
    let email = InviteEmail {
        sent: query.emailed.is_some(),
        ..InviteEmail::default()
    };
    result_page(&state, &token, email, StatusCode::OK).await
}

/// The summary page; `email` is the state of the form that emails partner A's invitation.
pub async fn result_page(
    state: &AppState,
    token: &str,
    email: InviteEmail,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Opened {
        submission,
        answers,
    } = service::open(state, token).await?;
    let Some(result) = state.db.result(submission.id).await? else {
        // Not submitted yet: carry on with the questionnaire.
        return Ok(Redirect::to(&format!("/q/{token}")).into_response());
    };
    // The private check-in comes first, for everyone: someone who reads the summary and
    // leaves has still been asked, in private, whether they are safe.
    let Some(checked_in) = state.db.check_in_at(submission.id).await? else {
        return Ok(Redirect::to(&format!("/q/{token}/private")).into_response());
    };
    // Shown for a while after the check-in only: a link found later shows nothing of it.
    let shown_days = state.config.result_link_days;
    if checked_in + chrono::Duration::days(shown_days) < chrono::Utc::now() {
        let book_url = format!("/q/{token}/book");
        return Ok(render::page(
            state,
            StatusCode::GONE,
            "Your summary",
            false,
            move || {
                view! { <crate::ui::pages::result::SummaryEndedPage days=shown_days book_url=book_url.clone() /> }
            },
        ));
    }
    // Guidance is derived from the answers, read (like the result) under their own version.
    let guidance = match answers.complete() {
        Ok(complete) if result.instrument_version == answers.version().number() => {
            scoring::rebuild_guidance(&complete)
        }
        _ => Vec::new(),
    };
    let (invite, joint) = couple_cards(state, token, submission.id, email).await?;
    let view_data = ResultView {
        invite,
        joint,
        reference: submission.reference,
        book_url: format!("/q/{token}/book"),
        end_url: format!("/q/{token}/end"),
        reach_url: format!("/q/{token}/reach"),
        result,
        guidance,
        practice_email: state.config.practice_email.clone(),
        support: state.config.support.clone(),
        shown_days,
    };
    Ok(render::page(
        state,
        status,
        "Your summary",
        false,
        move || {
            view! { <ResultPage summary=view_data /> }
        },
    ))
}

/// The summary page's couple cards: partner A's invitation (not for partner B), and the
/// summary together once both have finished.
async fn couple_cards(
    state: &AppState,
    token: &str,
    submission: crate::server::db::SubmissionId,
    email: InviteEmail,
) -> Result<(Option<InviteCard>, Option<JointCard>), AppError> {
    use crate::domain::couple::PartnerRole;
    let resume = crate::server::tokens::ResumeToken::parse(token).ok_or(AppError::LinkNotFound)?;
    let role = state.db.couple_of(submission).await?.map(|(_, role)| role);
    let invite = match role {
        Some(PartnerRole::B) => None,
        None if couples::booked_alone(state, submission).await? => Some(InviteCard::BookedAlone),
        _ => Some(
            match couples::invitation_of(state, &resume, submission).await? {
                Some(invite) if invite.used => InviteCard::Used,
                Some(invite) if invite.expires_at > chrono::Utc::now() => InviteCard::Link {
                    url: invite.url,
                    expires: couples::invite_expiry(invite.expires_at, state.config.practice_zone),
                    withdraw: format!("/q/{token}/invite/withdraw"),
                    email: InviteEmail {
                        action: format!("/q/{token}/invite/email"),
                        ..email
                    },
                },
                _ => InviteCard::Offer {
                    action: format!("/q/{token}/invite"),
                },
            },
        ),
    };
    let joint = match state.config.joint_summary {
        JointSummaryMode::Off => None,
        JointSummaryMode::Clinician => state
            .db
            .couple_of(submission)
            .await?
            .map(|_| JointCard::WithClinician),
        JointSummaryMode::Shown => {
            let (summary, in_couple) = couples::joint_summary(state, submission).await?;
            in_couple.then(|| match summary {
                Some(summary) => JointCard::Ready(summary.sentences()),
                None => JointCard::Waiting,
            })
        }
    };
    Ok((invite, joint))
}

//! Page handlers: load what a page needs, then render it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

use super::error::AppError;
use super::render;
use crate::domain::questionnaire::{
    self as q, ClientNote, Likert, INSTRUMENT_VERSION, SECTION_COUNT,
};
use crate::domain::scoring;
use crate::server::couples;
use crate::server::db::SubmissionStatus;
use crate::server::questionnaire::{self as service, Opened};
use crate::server::state::AppState;
use crate::ui::components::questionnaire_form::{ItemView, SectionForm};
use crate::ui::pages::contact::ContactPage;
use crate::ui::pages::couples::{InviteCard, InviteEmail, JointCard};
use crate::ui::pages::errors::{LinkNotFoundPage, NotFoundPage, ServerErrorPage};
use crate::ui::pages::landing::LandingPage;
use crate::ui::pages::questionnaire::QuestionnairePage;
use crate::ui::pages::result::{ResultPage, ResultView};

pub async fn landing(State(state): State<AppState>) -> Response {
    let practice_name = state.config.practice_name.clone();
    let item_count = q::items().len();
    render::page(&state, StatusCode::OK, "Welcome", false, move || {
        view! { <LandingPage practice_name section_count=SECTION_COUNT item_count /> }
    })
}

pub async fn contact(State(state): State<AppState>) -> Response {
    let practice_name = state.config.practice_name.clone();
    let practice_email = state.config.practice_email.clone();
    render::page(&state, StatusCode::OK, "Contact", false, move || {
        view! { <ContactPage practice_name practice_email /> }
    })
}

pub async fn not_found(State(state): State<AppState>) -> Response {
    error_page(&state, &AppError::NotFound)
}

/// The page for an error, with its status. Internals are never shown.
pub fn error_page(state: &AppState, error: &AppError) -> Response {
    let status = error.status();
    match error {
        AppError::LinkNotFound => render::page(state, status, "Link not found", false, || {
            view! { <LinkNotFoundPage /> }
        }),
        AppError::LinkExpired => render::page(state, status, "Link ended", false, || {
            view! {
                <section class="card">
                    <h1>"This private link has ended"</h1>
                    <p>
                        "For your privacy, private links stop working after a while. Your answers "
                        "are kept for the practice. To start again, or to reach the practice, use "
                        "the links below."
                    </p>
                    <p><a class="button primary" href="/">"Go to the start page"</a>" "<a href="/contact">"Contact the practice"</a></p>
                </section>
            }
        }),
        AppError::NotFound => render::page(state, status, "Not found", false, || {
            view! { <NotFoundPage /> }
        }),
        AppError::Forbidden => render::page(state, status, "Admins only", false, || {
            view! {
                <section class="card">
                    <h1>"Admins only"</h1>
                    <p>"Only the practice's admins can do this. "<a href="/staff">"Back to submissions"</a></p>
                </section>
            }
        }),
        AppError::Invalid(errors) => {
            let messages: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            render::page(
                state,
                status,
                "Please check your answers",
                false,
                move || {
                    view! {
                        <section class="card">
                            <h1>"Some answers could not be saved"</h1>
                            <ul class="field-errors">
                                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                            </ul>
                            <p>"Please go back and try again. Everything saved before is kept."</p>
                        </section>
                    }
                },
            )
        }
        AppError::TooLarge => render::page(state, status, "Too long", false, || {
            view! {
                <section class="card">
                    <h1>"That was too long to save"</h1>
                    <p>"Please go back and shorten your note. Everything saved before is kept."</p>
                </section>
            }
        }),
        AppError::Internal(_) => render::page(state, status, "Something went wrong", false, || {
            view! { <ServerErrorPage /> }
        }),
    }
}

/// `/q/<token>`: continue where the person stopped.
pub async fn resume(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match service::open(&state, &token).await {
        Ok(Opened {
            submission,
            answers,
        }) => {
            let target = if submission.status == SubmissionStatus::Submitted {
                format!("/q/{token}/result")
            } else {
                let section = answers.first_incomplete_section().unwrap_or(SECTION_COUNT);
                format!("/q/{token}/s/{section}")
            };
            Redirect::to(&target).into_response()
        }
        Err(e) => e.into_response_for(super::error::Wants::Html, &state),
    }
}

#[derive(Debug, Deserialize)]
pub struct SectionQuery {
    /// Set after a "continue" that found unanswered statements: mark them on the page.
    #[serde(default)]
    check: Option<String>,
}

/// `/q/<token>/s/<n>`: one section of the questionnaire.
pub async fn section(
    State(state): State<AppState>,
    Path((token, section)): Path<(String, String)>,
    Query(query): Query<SectionQuery>,
) -> Response {
    match section_page(&state, &token, &section, query.check.is_some()).await {
        Ok(response) => response,
        Err(e) => e.into_response_for(super::error::Wants::Html, &state),
    }
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
    let missing = if check {
        answers
            .missing_in_section(current)
            .iter()
            .map(|i| i.id.to_owned())
            .collect()
    } else {
        Default::default()
    };
    let section = q::section(current).ok_or(AppError::NotFound)?;
    let form = SectionForm {
        base: format!("/q/{token}"),
        number: current,
        total: SECTION_COUNT,
        title: section.title.to_owned(),
        intro: section.intro.to_owned(),
        items: q::items_in_section(current)
            .map(|i| ItemView {
                id: i.id.to_owned(),
                text: i.text.to_owned(),
            })
            .collect(),
        answers: answers
            .iter()
            .map(|(item, v)| (item.id.to_owned(), v.value()))
            .collect(),
        missing,
        note: submission.note.clone().unwrap_or_default(),
        note_max_chars: ClientNote::MAX_CHARS,
        scale: Likert::ALL.iter().map(|l| l.label().to_owned()).collect(),
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
) -> Response {
    let email = InviteEmail {
        sent: query.emailed.is_some(),
        ..InviteEmail::default()
    };
    match result_page(&state, &token, email, StatusCode::OK).await {
        Ok(response) => response,
        Err(e) => e.into_response_for(super::error::Wants::Html, &state),
    }
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
    // Guidance is derived from the answers with today's instrument; show it only when the
    // result was scored by this same instrument version.
    let guidance = match answers.complete() {
        Ok(complete) if result.instrument_version == INSTRUMENT_VERSION => {
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
        result,
        guidance,
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
    let (summary, in_couple) = couples::joint_summary(state, submission).await?;
    let joint = in_couple.then(|| match summary {
        Some(summary) => JointCard::Ready(summary.sentences()),
        None => JointCard::Waiting,
    });
    Ok((invite, joint))
}

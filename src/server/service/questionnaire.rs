//! The questionnaire's use cases, between HTTP and the database: open a resume link, save a
//! section, submit. Thin by design: parsing and scoring live in `domain`, SQL in `db`.

use chrono::Utc;

use crate::domain::questionnaire::{
    self as q, parse_section_form, AnswerError, Answers, ClientNote, INSTRUMENT_VERSION,
    SECTION_COUNT,
};
use crate::domain::scoring;
use crate::server::db::{SaveError, Submission, SubmissionStatus};
use crate::server::email::templates;
use crate::server::error::{AppError, FieldError};
use crate::server::state::AppState;
use crate::server::tokens::{new_reference, ResumeToken};

/// A submission opened by its resume link, with everything saved so far.
pub struct Opened {
    pub submission: Submission,
    pub answers: Answers,
}

/// What the person asked for when they sent a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Save and go to the previous section.
    Back,
    /// Save, check this section is complete, and go on (or submit, on the last section).
    Next,
    /// Save only (the island saves each answer as it is chosen).
    Save,
}

impl Nav {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("back") => Nav::Back,
            Some("save") => Nav::Save,
            _ => Nav::Next,
        }
    }
}

/// Where a saved section leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Saved; show this section next.
    Section(u8),
    /// Saved, but this section still has unanswered items.
    Incomplete { section: u8, missing: Vec<String> },
    /// Saved only, stay where you are.
    Saved,
    /// Submitted (now or earlier): show the result.
    Submitted,
}

/// Starts a questionnaire and returns its resume token (the only copy of it).
pub async fn start(state: &AppState) -> Result<ResumeToken, AppError> {
    let token = ResumeToken::generate();
    state
        .db
        .create_submission(
            &new_reference(),
            &token.hash(),
            INSTRUMENT_VERSION,
            Utc::now(),
        )
        .await?;
    Ok(token)
}

/// Whether the client behind a private link has agreed to the practice's policy as it reads
/// today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Given,
    /// Not yet; `changed` when they agreed to an earlier version.
    Needed {
        changed: bool,
    },
}

/// The consent state of the link's client; `None` when the link opens nothing (its own page
/// says why).
pub async fn consent(state: &AppState, raw_token: &str) -> Result<Option<Consent>, AppError> {
    let Some(token) = ResumeToken::parse(raw_token) else {
        return Ok(None);
    };
    let version = &state.config.consent.version;
    Ok(state
        .db
        .consent_by_token_hash(&token.hash(), version)
        .await?
        .map(|(this, any)| match (this, any) {
            (true, _) => Consent::Given,
            (false, changed) => Consent::Needed { changed },
        }))
}

/// Records the client's agreement to today's policy.
pub async fn agree(state: &AppState, raw_token: &str) -> Result<(), AppError> {
    let Opened { submission, .. } = open(state, raw_token).await?;
    let version = &state.config.consent.version;
    state
        .db
        .record_consent(submission.id, version, Utc::now())
        .await?;
    Ok(())
}

/// Opens the submission a raw token from a URL names.
pub async fn open(state: &AppState, raw_token: &str) -> Result<Opened, AppError> {
    let token = ResumeToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let submission = state
        .db
        .submission_by_token_hash(&token.hash())
        .await?
        .ok_or(AppError::LinkNotFound)?;
    // Private links do not live forever: a phone that changes hands should not open them.
    if submission.created_at + chrono::Duration::days(state.config.resume_link_days) < Utc::now() {
        return Err(AppError::LinkExpired);
    }
    // Read under the version it was started with, whatever the current one is.
    let answers = state
        .db
        .answers(submission.id, submission.instrument)
        .await?;
    Ok(Opened {
        submission,
        answers,
    })
}

/// Ends a client's private link at their request (a shared or unsafe device): it stops opening
/// anything, on every device, and so do the links derived from it (their consult's manage link,
/// an invitation nobody used). The submission, any consult and everything sent stay for the
/// practice.
pub async fn end_link(state: &AppState, raw_token: &str) -> Result<(), AppError> {
    let token = ResumeToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    // The hash of a fresh token that is never shown to anyone.
    let replacement = ResumeToken::generate().hash();
    // The manage links this link's own bookings were given end with it (the consults stay
    // booked; the practice can still change them), and so does an unused invitation.
    let derived = |request_key: &str| {
        vec![
            token.manage_token(request_key).hash(),
            token.legacy_manage_token().hash(),
        ]
    };
    let void = ResumeToken::generate().hash();
    let ended = state
        .db
        .end_resume_link(&token.hash(), &replacement, &derived, &void, Utc::now())
        .await?;
    if !ended {
        return Err(AppError::LinkNotFound);
    }
    tracing::info!("a client ended their private link");
    Ok(())
}

/// Parses a section number from a URL.
pub fn section_number(raw: &str) -> Result<u8, AppError> {
    raw.parse::<u8>()
        .ok()
        .filter(|n| (1..=SECTION_COUNT).contains(n))
        .ok_or(AppError::NotFound)
}

/// Saves one posted section, then decides where the person goes next.
///
/// Either every answer in the post is stored or none is: a post with any invalid field is
/// refused whole with a message per field.
pub async fn save_section(
    state: &AppState,
    raw_token: &str,
    section: u8,
    form: Vec<(String, String)>,
) -> Result<Outcome, AppError> {
    let Opened {
        submission,
        mut answers,
    } = open(state, raw_token).await?;
    if submission.status == SubmissionStatus::Submitted {
        return Ok(Outcome::Submitted);
    }
    let nav = Nav::parse(
        form.iter()
            .find(|(k, _)| k == "nav")
            .map(|(_, v)| v.as_str()),
    );
    let note = form
        .iter()
        .rev()
        .find(|(k, _)| k == "note")
        .map(|(_, v)| v.clone());
    let posted = parse_section_form(submission.instrument, section, form).map_err(field_errors)?;
    // The note belongs to the last section; elsewhere it is ignored.
    let note = match note {
        Some(raw) if section == SECTION_COUNT => {
            Some(ClientNote::parse(&raw).map_err(|e| field_errors(vec![e]))?)
        }
        _ => None,
    };
    let pairs = posted.stored();
    let note_text = note.as_ref().map(|n| n.as_ref().map(ClientNote::as_str));
    match state
        .db
        .save_answers(submission.id, &pairs, note_text, Utc::now())
        .await
    {
        Ok(()) => {}
        Err(SaveError::AlreadySubmitted) => return Ok(Outcome::Submitted),
        Err(SaveError::Db(e)) => return Err(e.into()),
    }
    answers.merge(&posted);

    match nav {
        Nav::Save => Ok(Outcome::Saved),
        Nav::Back => Ok(Outcome::Section(section.saturating_sub(1).max(1))),
        Nav::Next => {
            let missing = answers.missing_in_section(section);
            if !missing.is_empty() {
                return Ok(Outcome::Incomplete {
                    section,
                    missing: missing.iter().map(|&id| id.to_owned()).collect(),
                });
            }
            if section < SECTION_COUNT {
                return Ok(Outcome::Section(section + 1));
            }
            submit(state, &submission, &answers).await
        }
    }
}

/// Scores complete answers and stores the result. Submitting twice stores one result.
async fn submit(
    state: &AppState,
    submission: &Submission,
    answers: &Answers,
) -> Result<Outcome, AppError> {
    let complete = match answers.complete() {
        Ok(complete) => complete,
        Err(_) => {
            // An earlier section was left incomplete (possible without JavaScript).
            let section = answers.first_incomplete_section().unwrap_or(1);
            let missing = answers
                .missing_in_section(section)
                .iter()
                .map(|&id| id.to_owned())
                .collect();
            return Ok(Outcome::Incomplete { section, missing });
        }
    };
    let result = scoring::score(&complete);
    let config = &state.config;
    let notify = templates::submission_received(
        &config.practice_email,
        &config.mail.from,
        &config.public_base_url,
        &submission.reference,
    );
    let stored = state
        .db
        .finalize_submission(submission.id, &result, Some(&notify), Utc::now())
        .await?;
    if stored {
        tracing::info!(
            instrument_version = result.instrument_version,
            "questionnaire submitted"
        );
    }
    Ok(Outcome::Submitted)
}

fn field_errors(errors: Vec<AnswerError>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .map(|e| {
                let field = match &e {
                    AnswerError::UnknownItem(id) => format!("{}{id}", q::FIELD_PREFIX),
                    AnswerError::OutOfRange { item, .. } | AnswerError::NotANumber { item } => {
                        format!("{}{item}", q::FIELD_PREFIX)
                    }
                    AnswerError::NoteTooLong { .. } => "note".to_owned(),
                };
                FieldError {
                    field,
                    message: e.to_string(),
                }
            })
            .collect(),
    )
}

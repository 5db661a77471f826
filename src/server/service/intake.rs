//! The intake form's use cases: the current form, a client's pages of it, and the answers in
//! the words they were given (for the workspace).

use chrono::Utc;

use crate::domain::intake::{Answers, FieldError, Form, Page, PageRead};
use crate::server::db::{Audit, AuditAction, ClinicianId, IntakeAnswer, SaveError, SubmissionId};
use crate::server::error::AppError;
use crate::server::state::AppState;

/// The form as published now, with its version.
pub async fn current(state: &AppState) -> Result<(i32, Form), AppError> {
    match state.db.current_intake_form().await? {
        Some(stored) => Ok((stored.version, parse(&stored.definition)?)),
        // `Db::connect` stores version 1, so this is a database emptied under a running app.
        None => Ok((1, Form::default())),
    }
}

fn parse(definition: &str) -> Result<Form, AppError> {
    serde_json::from_str(definition).map_err(|e| AppError::Internal(Box::new(e)))
}

/// A submission's answers by key (the values only).
pub async fn saved(state: &AppState, submission: SubmissionId) -> Result<Answers, AppError> {
    Ok(state
        .db
        .intake_answers(submission)
        .await?
        .into_iter()
        .map(|a| (a.key, a.value))
        .collect())
}

/// What saving one intake page led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Saved; go to this page of the intake next.
    Page(Page),
    /// Saved, and the intake is finished: on to the questionnaire.
    Finished,
    /// Nothing stored: these values cannot be.
    Invalid(Vec<FieldError>),
    /// The valid answers are stored; these required questions are still empty.
    Missing(Vec<FieldError>),
    /// The questionnaire was submitted: the intake is closed.
    Closed,
}

/// Saves one posted intake page and says where the client goes next. `back` saves without
/// insisting on required answers.
pub async fn save_page(
    state: &AppState,
    submission: SubmissionId,
    page: Page,
    posted: &[(String, String)],
    back: bool,
) -> Result<Saved, AppError> {
    let (version, form) = current(state).await?;
    let mut answers = saved(state, submission).await?;
    let (values, missing) = match form.read_page(page, &answers, posted, !back) {
        PageRead::Invalid(errors) => return Ok(Saved::Invalid(errors)),
        PageRead::Read { values, missing } => (values, missing),
    };
    for (key, value) in &values {
        match value {
            Some(v) => answers.insert(key.clone(), v.clone()),
            None => answers.remove(key),
        };
    }
    let next = match (back, page) {
        _ if !missing.is_empty() => None,
        (true, _) => Some(Saved::Page(Page::About)),
        (false, Page::About) if form.practice_page_applies(&answers) => {
            Some(Saved::Page(Page::Practice))
        }
        (false, _) => Some(Saved::Finished),
    };
    let finish = next == Some(Saved::Finished);
    match state
        .db
        .save_intake_answers(submission, version, &values, finish, Utc::now())
        .await
    {
        Ok(()) => {}
        Err(SaveError::AlreadySubmitted) => return Ok(Saved::Closed),
        Err(SaveError::Db(e)) => return Err(e.into()),
    }
    Ok(next.unwrap_or(Saved::Missing(missing)))
}

/// One answered question as the workspace shows it, in the words of the version it was
/// answered under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub key: String,
    pub label: String,
    pub value: String,
    /// The client's own words (left out of a CSV export unless asked for).
    pub free_text: bool,
}

/// Every intake answer of each submission, in the current form's order (answers to retired
/// questions after, oldest version first), each with the wording it was answered under.
pub async fn answered(
    state: &AppState,
    submissions: &[SubmissionId],
) -> Result<Vec<Vec<Answered>>, AppError> {
    let (current_version, current_form) = current(state).await?;
    let mut stored: Vec<Vec<IntakeAnswer>> = Vec::with_capacity(submissions.len());
    for &s in submissions {
        stored.push(state.db.intake_answers(s).await?);
    }
    let mut versions: Vec<i32> = stored.iter().flatten().map(|a| a.version).collect();
    versions.sort_unstable();
    versions.dedup();
    versions.retain(|&v| v != current_version);
    let mut forms: Vec<(i32, Form)> = vec![(current_version, current_form.clone())];
    for f in state.db.intake_forms(&versions).await? {
        forms.push((f.version, parse(&f.definition)?));
    }
    let position = |key: &str, version: i32| {
        current_form
            .questions
            .iter()
            .position(|q| q.key == key)
            .map_or((1, version, key.to_owned()), |i| {
                (0, i as i32, String::new())
            })
    };
    Ok(stored
        .into_iter()
        .map(|answers| {
            let mut rows: Vec<((i32, i32, String), Answered)> = answers
                .into_iter()
                .filter_map(|a| {
                    let form = forms.iter().find(|(v, _)| *v == a.version)?;
                    let q = form.1.question(&a.key)?;
                    Some((
                        position(&a.key, a.version),
                        Answered {
                            key: a.key.clone(),
                            label: q.label.clone(),
                            value: q.display(&a.value),
                            free_text: q.kind.is_free_text(),
                        },
                    ))
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows.into_iter().map(|(_, a)| a).collect()
        })
        .collect())
}

/// Publishes `form` as the version after `after`, audited. `false`: another admin published
/// first, and this change was not stored.
pub async fn publish(
    state: &AppState,
    by: ClinicianId,
    after: i32,
    form: &Form,
) -> Result<bool, AppError> {
    let definition = serde_json::to_string(form).map_err(|e| AppError::Internal(Box::new(e)))?;
    let audit = Audit::new(
        by,
        AuditAction::PublishIntakeForm { version: after + 1 },
        None,
        Utc::now(),
    );
    Ok(state
        .db
        .publish_intake_form(after, &definition, &audit)
        .await?)
}

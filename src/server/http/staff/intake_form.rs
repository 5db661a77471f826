//! The intake form in the workspace (admins): the editor, each change published as a new
//! version, and the form as a JSON file.

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use super::staff_user;
use crate::domain::form;
use crate::domain::intake::{DefinitionError, Form, Kind, NewQuestion};
use crate::server::db::{Clinician, Role};
use crate::server::http::error::AppError;
use crate::server::http::extract::AppForm;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::intake as service;
use crate::server::state::AppState;
use crate::ui::pages::staff::intake_form::{FormQuestionRow, IntakeFormPage, IntakeFormView};

/// The largest form file an import takes (a full form is a few kilobytes).
pub const MAX_FILE_BYTES: usize = 256 * 1024;

const CHANGED_MEANWHILE: &str = "The form changed since this page was opened (someone else \
    published a version). Nothing was saved: please look at it again and repeat your change.";

fn require_admin(clinician: &Clinician) -> Result<(), AppError> {
    if clinician.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn rows(form: &Form) -> Vec<FormQuestionRow> {
    let practice: Vec<&str> = form.practice_questions().map(|q| q.key.as_str()).collect();
    form.questions
        .iter()
        .map(|q| FormQuestionRow {
            key: q.key.clone(),
            label: q.label.clone(),
            help: q.help.clone(),
            kind: q.kind.label(),
            choices: q.choices.iter().map(|c| c.label.clone()).collect(),
            required: q.required,
            condition: q.show_if.as_ref().map(|c| {
                let on = form.question(&c.question);
                format!(
                    "Shown only if “{}” is “{}”.",
                    on.map_or(c.question.as_str(), |q| q.label.as_str()),
                    on.map_or(c.equals.clone(), |q| q.display(&c.equals))
                )
            }),
            builtin: q.is_builtin(),
            editable_choices: q.key == crate::domain::intake::SOURCE,
            first: practice.first() == Some(&q.key.as_str()),
            last: practice.last() == Some(&q.key.as_str()),
        })
        .collect()
}

/// Every "show if" a new question can have: each option of each choice question.
fn conditions(form: &Form) -> Vec<(String, String)> {
    form.questions
        .iter()
        .filter(|q| q.kind.has_choices())
        .flat_map(|q| {
            q.choices.iter().map(move |c| {
                (
                    format!("{}:{}", q.key, c.value),
                    format!("If “{}” is “{}”", q.label, c.label),
                )
            })
        })
        .collect()
}

struct Shown {
    status: StatusCode,
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    import_errors: Vec<String>,
}

impl Shown {
    fn ok() -> Self {
        Shown {
            status: StatusCode::OK,
            values: vec![("kind".into(), Kind::ShortText.as_str().into())],
            errors: Vec::new(),
            alert: None,
            import_errors: Vec::new(),
        }
    }

    fn alert(status: StatusCode, message: impl Into<String>) -> Self {
        Shown {
            status,
            alert: Some(message.into()),
            ..Shown::ok()
        }
    }
}

async fn editor(state: &AppState, viewer: &Clinician, shown: Shown) -> Result<Response, AppError> {
    let (version, form) = service::current(state).await?;
    let view_data = IntakeFormView {
        version,
        rows: rows(&form),
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        conditions: conditions(&form),
        values: shown.values,
        errors: shown.errors,
        alert: shown.alert,
        import_errors: shown.import_errors,
    };
    let user = staff_user(viewer);
    Ok(render::staff_page(
        state,
        shown.status,
        "Intake form",
        move || {
            view! { <IntakeFormPage user form=view_data /> }
        },
    ))
}

/// `GET /staff/intake-form`
pub async fn page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    editor(&state, &viewer, Shown::ok()).await
}

/// The version the admin's page showed, when it is still the current one.
async fn current_if(
    state: &AppState,
    fields: &[(String, String)],
) -> Result<Option<(i32, Form)>, AppError> {
    let (version, form) = service::current(state).await?;
    Ok(
        (form::value(fields, "version").parse::<i32>().ok() == Some(version))
            .then_some((version, form)),
    )
}

async fn publish_or_say(
    state: &AppState,
    viewer: &Clinician,
    version: i32,
    form: &Form,
) -> Result<Response, AppError> {
    if service::publish(state, viewer.id, version, form).await? {
        Ok(Redirect::to("/staff/intake-form").into_response())
    } else {
        editor(
            state,
            viewer,
            Shown::alert(StatusCode::CONFLICT, CHANGED_MEANWHILE),
        )
        .await
    }
}

/// `POST /staff/intake-form/questions`: adds one of the practice's questions at the end.
pub async fn add(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let Some((version, form)) = current_if(&state, &fields).await? else {
        let shown = Shown {
            values: fields,
            ..Shown::alert(StatusCode::CONFLICT, CHANGED_MEANWHILE)
        };
        return editor(&state, &viewer, shown).await;
    };
    let (show_if_question, show_if_equals) = form::value(&fields, "show_if")
        .split_once(':')
        .map_or((String::new(), String::new()), |(k, v)| {
            (k.to_owned(), v.to_owned())
        });
    let new = NewQuestion {
        label: form::value(&fields, "label").to_owned(),
        help: form::value(&fields, "help").to_owned(),
        kind: form::value(&fields, "kind").to_owned(),
        choices: form::value(&fields, "choices").to_owned(),
        required: form::value(&fields, "required") == "yes",
        show_if_question,
        show_if_equals,
    };
    match form.add(&new) {
        Ok(changed) => publish_or_say(&state, &viewer, version, &changed).await,
        Err(errors) => {
            let shown = Shown {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors: errors
                    .into_iter()
                    .map(|DefinitionError { field, message }| {
                        // Both halves of a condition are one field on this page.
                        let field = if field.starts_with("show_if") {
                            "show_if"
                        } else {
                            field
                        };
                        (field.to_owned(), message)
                    })
                    .collect(),
                values: fields,
                ..Shown::ok()
            };
            editor(&state, &viewer, shown).await
        }
    }
}

/// `POST /staff/intake-form/change`: required / optional, up / down, or retire one question.
pub async fn change(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let Some((version, form)) = current_if(&state, &fields).await? else {
        let shown = Shown::alert(StatusCode::CONFLICT, CHANGED_MEANWHILE);
        return editor(&state, &viewer, shown).await;
    };
    let key = form::value(&fields, "key");
    let changed = match form::value(&fields, "action") {
        "required" => form.set_required(key, true).ok_or(None),
        "optional" => form.set_required(key, false).ok_or(None),
        "up" => form.move_question(key, true).map_err(Some),
        "down" => form.move_question(key, false).map_err(Some),
        "retire" => form.retire(key).map_err(Some),
        "choices" => form
            .set_source_choices(form::value(&fields, "choices"))
            .map_err(Some),
        _ => Err(None),
    };
    match changed {
        Ok(changed) if changed == form => Ok(Redirect::to("/staff/intake-form").into_response()),
        Ok(changed) => publish_or_say(&state, &viewer, version, &changed).await,
        Err(Some(refused)) => {
            let shown = Shown::alert(StatusCode::UNPROCESSABLE_ENTITY, refused.message);
            editor(&state, &viewer, shown).await
        }
        Err(None) => Err(AppError::NotFound),
    }
}

/// `GET /staff/intake-form.json`: the current form as a file.
pub async fn export(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let (_, form) = service::current(&state).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"intake-form.json\"",
            ),
        ],
        form.to_file(),
    )
        .into_response())
}

/// `POST /staff/intake-form/import`: a form file, published as one new version, or refused
/// whole with a message per problem.
pub async fn import(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let unreadable = || AppError::invalid("file", "The file could not be read. Please try again.");
    let mut data = Vec::new();
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|_| unreadable())?;
        if name == "file" {
            data = bytes.to_vec();
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    let refuse = |errors: Vec<String>| Shown {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        import_errors: errors,
        ..Shown::ok()
    };
    let Some((version, form)) = current_if(&state, &fields).await? else {
        let shown = Shown::alert(StatusCode::CONFLICT, CHANGED_MEANWHILE);
        return editor(&state, &viewer, shown).await;
    };
    let Ok(json) = String::from_utf8(data) else {
        let message = "The file is not text: please choose the .json file a form was exported to.";
        return editor(&state, &viewer, refuse(vec![message.into()])).await;
    };
    if json.trim().is_empty() {
        let message = "Please choose a form file to import.";
        return editor(&state, &viewer, refuse(vec![message.into()])).await;
    }
    match form.from_file(&json) {
        Ok(imported) => publish_or_say(&state, &viewer, version, &imported).await,
        Err(errors) => {
            let messages = errors.into_iter().map(|e| e.message).collect();
            editor(&state, &viewer, refuse(messages)).await
        }
    }
}

//! The referral directory in the workspace: everyone reads it; admins add, edit, retire,
//! import and export.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::{csv_safe, staff_user};
use crate::domain::referral::{Category, Delivery, EntryDraft, ENTRY_FIELDS};
use crate::server::db::{Audit, AuditAction, Clinician, DirectoryFilter, EntryId, Role};
use crate::server::http::error::{AppError, FieldError};
use crate::server::http::extract::AppForm;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::referral as service;
use crate::server::state::AppState;
use crate::ui::pages::staff::directory::{
    DirectoryFilters, DirectoryPage, DirectoryRow, EntryForm, EntryPage, ImportResult,
};

/// The largest CSV an import takes: thousands of entries.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

fn require_admin(clinician: &Clinician) -> Result<(), AppError> {
    if clinician.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    accepting: Option<String>,
    #[serde(default)]
    stale: Option<String>,
    #[serde(default)]
    retired: Option<String>,
}

fn categories() -> Vec<(String, String)> {
    Category::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect()
}

async fn directory_page(
    state: &AppState,
    viewer: &Clinician,
    query: &DirectoryQuery,
    status: StatusCode,
    import: ImportResult,
) -> Result<Response, AppError> {
    let today = Utc::now()
        .with_timezone(&state.config.practice_zone)
        .date_naive();
    let stale_before = today - chrono::Duration::days(state.config.directory_stale_days);
    let filter = DirectoryFilter {
        category: Category::parse(&query.category),
        language: Some(query.language.clone()),
        accepting_only: query.accepting.is_some(),
        checked_before: query.stale.is_some().then_some(stale_before),
        include_retired: query.retired.is_some(),
    };
    let rows = state
        .db
        .directory(&filter)
        .await?
        .into_iter()
        .map(|e| DirectoryRow {
            id: e.id.0,
            stale: service::is_stale(state, &e, today),
            name: e.draft.name,
            categories: e
                .draft
                .categories
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", "),
            languages: e.draft.languages,
            delivery: e.draft.delivery.label().to_owned(),
            accepting: e.draft.accepting,
            reach: [e.draft.phone, e.draft.email, e.draft.website]
                .into_iter()
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            last_checked: e.draft.last_checked.format("%Y-%m-%d").to_string(),
            retired: e.retired,
        })
        .collect();
    let filters = DirectoryFilters {
        categories: categories(),
        category: query.category.clone(),
        language: query.language.clone(),
        accepting: query.accepting.is_some(),
        stale: query.stale.is_some(),
        retired: query.retired.is_some(),
        stale_days: state.config.directory_stale_days,
    };
    let user = staff_user(viewer);
    Ok(render::staff_page(state, status, "Directory", move || {
        view! { <DirectoryPage user rows filters import /> }
    }))
}

/// `GET /staff/directory`
pub async fn page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    let import = ImportResult::default();
    directory_page(&state, &viewer, &query, StatusCode::OK, import).await
}

fn entry_form(
    state: &AppState,
    id: Option<EntryId>,
    retired: bool,
    values: Vec<(String, String)>,
    errors: Vec<FieldError>,
) -> EntryForm {
    let _ = state;
    EntryForm {
        heading: if id.is_some() {
            "Edit a directory entry".into()
        } else {
            "Add a directory entry".into()
        },
        action: match id {
            Some(id) => format!("/staff/directory/{}", id.0),
            None => "/staff/directory/new".into(),
        },
        values,
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        categories: categories(),
        deliveries: Delivery::ALL
            .iter()
            .map(|d| (d.as_str().to_owned(), d.label().to_owned()))
            .collect(),
        retire: id.map(|id| (format!("/staff/directory/{}/retire", id.0), retired)),
    }
}

fn entry_page(
    state: &AppState,
    viewer: &Clinician,
    status: StatusCode,
    form: EntryForm,
) -> Response {
    let user = staff_user(viewer);
    render::staff_page(state, status, "Directory entry", move || {
        view! { <EntryPage user form /> }
    })
}

/// `GET /staff/directory/new`: an empty entry, checked today.
pub async fn new_page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let today = Utc::now()
        .with_timezone(&state.config.practice_zone)
        .date_naive();
    let values = [
        ("kind", "organisation".to_owned()),
        ("delivery", "both".to_owned()),
        ("sliding_scale", "no".to_owned()),
        ("accepting_new_clients", "yes".to_owned()),
        ("assured_date", today.format("%Y-%m-%d").to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let form = entry_form(&state, None, false, values, Vec::new());
    Ok(entry_page(&state, &viewer, StatusCode::OK, form))
}

/// `POST /staff/directory/new` and `POST /staff/directory/<id>`.
async fn save(
    state: &AppState,
    viewer: &Clinician,
    id: Option<EntryId>,
    fields: Vec<(String, String)>,
) -> Result<Response, AppError> {
    require_admin(viewer)?;
    match service::save_entry(state, viewer, id, &fields, Utc::now()).await? {
        Ok(_) => Ok(Redirect::to("/staff/directory").into_response()),
        Err(errors) => {
            let retired = match id {
                Some(id) => state
                    .db
                    .directory_entry(id)
                    .await?
                    .is_some_and(|e| e.retired),
                None => false,
            };
            let form = entry_form(state, id, retired, fields, errors);
            Ok(entry_page(
                state,
                viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            ))
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    save(&state, &viewer, None, fields).await
}

fn entry_id(raw: &str) -> Result<EntryId, AppError> {
    raw.parse().map(EntryId).map_err(|_| AppError::NotFound)
}

/// `GET /staff/directory/<id>`: the entry's form (admins).
pub async fn edit_page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let id = entry_id(&id)?;
    let entry = state
        .db
        .directory_entry(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = entry_form(
        &state,
        Some(id),
        entry.retired,
        entry.draft.fields(),
        Vec::new(),
    );
    Ok(entry_page(&state, &viewer, StatusCode::OK, form))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = entry_id(&id)?;
    save(&state, &viewer, Some(id), fields).await
}

/// `POST /staff/directory/<id>/retire`: retire (or restore) an entry; never a delete.
pub async fn retire(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let id = entry_id(&id)?;
    let retire = crate::domain::form::value(&fields, "retire") == "1";
    let action = AuditAction::RetireDirectoryEntry {
        entry: id.0,
        retire,
    };
    let audit = Audit::new(viewer.id, action, None, Utc::now());
    state.db.retire_directory_entry(id, retire, &audit).await?;
    Ok(Redirect::to(&format!("/staff/directory/{}", id.0)).into_response())
}

/// `POST /staff/directory/import`: a CSV file, all rows or none.
pub async fn import(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let mut data = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::invalid("file", "The file could not be read. Please try again."))?
    {
        if field.name() == Some("file") {
            data = field
                .bytes()
                .await
                .map_err(|_| AppError::invalid("file", "The file could not be read."))?
                .to_vec();
        }
    }
    let query = DirectoryQuery::default();
    match service::import(&state, &viewer, &data, Utc::now()).await? {
        Ok(n) => {
            let import = ImportResult {
                imported: Some(n),
                errors: Vec::new(),
            };
            directory_page(&state, &viewer, &query, StatusCode::OK, import).await
        }
        Err(errors) => {
            let import = ImportResult {
                imported: None,
                errors: errors
                    .into_iter()
                    .map(|e| format!("Line {}: {}", e.line, e.message))
                    .collect(),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            directory_page(&state, &viewer, &query, status, import).await
        }
    }
}

/// `GET /staff/directory.csv`: every entry still in use, in the import's format.
pub async fn export(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let entries = state.db.directory(&DirectoryFilter::default()).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |_| AppError::invalid("export", "The export could not be written.");
    out.write_record(ENTRY_FIELDS).map_err(failed)?;
    for entry in &entries {
        let row: Vec<String> = EntryDraft::fields(&entry.draft)
            .into_iter()
            .map(|(_, v)| csv_safe(&v))
            .collect();
        out.write_record(&row).map_err(failed)?;
    }
    let body = out
        .into_inner()
        .map_err(|_| AppError::invalid("export", "The export could not be written."))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"directory.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

//! Account matters in the workspace: admins manage clinicians and read the audit log; everyone
//! can change their own password (which ends all their sessions).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use leptos::prelude::*;
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use tower_sessions::Session;

use super::staff_user;
use crate::server::auth;
use crate::server::auth::session_store::DbSessionStore;
use crate::server::db::{Audit, AuditAction, Clinician, ClinicianId, Role, Unique};
use crate::server::http::error::AppError;
use crate::server::http::extract::AppForm;
use crate::server::http::guard::{self, CurrentClinician};
use crate::server::http::render;
use crate::server::state::AppState;
use crate::ui::pages::staff::admin::{
    AuditPage, AuditRow, ClinicianRow, CliniciansPage, NewClinicianForm, OutboxPage, OutboxRow,
    PasswordPage, ProfileForm, ProfilePage,
};

pub(super) fn require_admin(clinician: &Clinician) -> Result<(), AppError> {
    if clinician.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn clinicians_page(
    state: &AppState,
    viewer: &Clinician,
    status: StatusCode,
    form: NewClinicianForm,
) -> Result<Response, AppError> {
    let locks = state.db.locks(Utc::now()).await?;
    let two_step = state.db.mfa_accounts().await?;
    let zone = state.config.practice_zone;
    let rows = state
        .db
        .clinicians()
        .await?
        .into_iter()
        .map(|c| ClinicianRow {
            locked_until: locks.iter().find(|(id, _)| *id == c.id).map(|(_, t)| {
                t.with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string()
            }),
            two_step: two_step.contains(&c.id),
            id: c.id.0,
            name: c.display_name,
            email: c.email,
            role: c.role.label(),
            active: c.active,
        })
        .collect();
    let user = staff_user(viewer);
    Ok(render::staff_page(state, status, "Clinicians", move || {
        view! { <CliniciansPage user rows form /> }
    }))
}

/// `GET /staff/clinicians`
pub async fn clinicians(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    clinicians_page(&state, &viewer, StatusCode::OK, NewClinicianForm::default()).await
}

#[derive(Deserialize)]
pub struct NewClinician {
    name: String,
    email: String,
    password: String,
    role: String,
}

/// `POST /staff/clinicians`: an admin adds an account with a first password.
pub async fn create_clinician(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(form): AppForm<NewClinician>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let name = form.name.trim().to_owned();
    let email = form.email.trim().to_lowercase();
    let retry = |field: &'static str, message: String| NewClinicianForm {
        email: email.clone(),
        name: name.clone(),
        error: Some((field, message)),
        created: None,
    };
    if !email.contains('@') || name.is_empty() {
        let form = retry("email", "Enter a name and an email address.".into());
        return clinicians_page(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    if let Err(message) = auth::check_password_strength(&form.password, &[&email, &name]) {
        let form = retry("password", message);
        return clinicians_page(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let role = Role::from_form(&form.role);
    let hash = auth::hash_password(SecretString::from(form.password)).await?;
    let now = Utc::now();
    match state
        .db
        .create_clinician(&email, &name, &hash, role, now, Some(viewer.id))
        .await
    {
        Ok(_) => {}
        Err(e) if Unique::violated_by(&e) == Some(Unique::ClinicianEmail) => {
            let form = retry(
                "email",
                "There is already an account with that email.".into(),
            );
            return clinicians_page(&state, &viewer, StatusCode::CONFLICT, form).await;
        }
        Err(e) => return Err(e.into()),
    }
    let form = NewClinicianForm {
        created: Some(format!("Added {name} ({email}).")),
        ..Default::default()
    };
    clinicians_page(&state, &viewer, StatusCode::CREATED, form).await
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

async fn profile_form(
    state: &AppState,
    id: ClinicianId,
    error: Option<String>,
) -> Result<ProfileForm, AppError> {
    use crate::domain::routing::{ConsultFormat, Specialty};
    let clinician = state
        .db
        .clinicians()
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)?;
    let profile = state
        .db
        .clinician_profiles()
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(ProfileForm {
        name: clinician.display_name,
        action: format!("/staff/clinicians/{}/profile", id.0),
        specialties: Specialty::ALL
            .iter()
            .map(|s| (s.as_str(), s.label(), profile.specialties.contains(s)))
            .collect(),
        languages: profile.languages,
        accepting_couples: profile.accepting_couples,
        video: profile.format == ConsultFormat::Video,
        place: profile.place,
        error,
    })
}

/// `GET /staff/clinicians/<id>/profile` (admins).
pub async fn profile_page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let form = profile_form(&state, ClinicianId(id), None).await?;
    let user = staff_user(&viewer);
    Ok(render::staff_page(
        &state,
        StatusCode::OK,
        "Profile",
        move || {
            view! { <ProfilePage user form /> }
        },
    ))
}

/// `POST /staff/clinicians/<id>/profile`: saved (audited), back to the clinicians.
pub async fn save_profile(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<i64>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    use crate::domain::routing::{ConsultFormat, Profile, Specialty};
    require_admin(&viewer)?;
    // One line each: control characters (a NUL, which PostgreSQL refuses) are dropped.
    let value = |name: &str| -> String {
        crate::domain::form::value(&fields, name)
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let place = value("consult_place");
    if place.chars().count() > 300 {
        let form = profile_form(
            &state,
            ClinicianId(id),
            Some("Keep the address or link to 300 characters.".into()),
        )
        .await?;
        let user = staff_user(&viewer);
        return Ok(render::staff_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Profile",
            move || view! { <ProfilePage user form /> },
        ));
    }
    let profile = Profile {
        specialties: fields
            .iter()
            .filter(|(k, _)| k == "specialties")
            .filter_map(|(_, v)| Specialty::parse(v))
            .collect(),
        languages: value("languages"),
        accepting_couples: value("accepting_couples") == "yes",
        format: ConsultFormat::parse(&value("consult_format")).unwrap_or(ConsultFormat::InPerson),
        place,
    };
    let action = AuditAction::SaveClinicianProfile { clinician: id };
    let audit = Audit::new(viewer.id, action, None, Utc::now());
    // An unknown id fails the foreign key: the page for a missing account.
    if !state.db.clinicians().await?.iter().any(|c| c.id.0 == id) {
        return Err(AppError::NotFound);
    }
    state
        .db
        .save_clinician_profile(ClinicianId(id), &profile, &audit)
        .await?;
    Ok(Redirect::to("/staff/clinicians").into_response())
}

/// `POST /staff/clinicians/<id>/unlock`: an admin lifts a lock after wrong passwords.
pub async fn unlock(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let now = Utc::now();
    let audit = Audit::new(
        viewer.id,
        AuditAction::UnlockClinician { clinician: id },
        None,
        now,
    );
    state
        .db
        .unlock_clinician(ClinicianId(id), now, Some(&audit))
        .await?;
    Ok(Redirect::to("/staff/clinicians").into_response())
}

/// `POST /staff/clinicians/<id>/active`: deactivate (ending their sessions) or reactivate.
pub async fn set_active(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Path(id): Path<i64>,
    AppForm(form): AppForm<ActiveForm>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let target = state
        .db
        .clinician(ClinicianId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let active = form.active == "1";
    if target.id == viewer.id && !active {
        return Err(AppError::Invalid(vec![
            crate::server::http::error::FieldError {
                field: "active".into(),
                message: "You cannot deactivate your own account.".into(),
            },
        ]));
    }
    let now = Utc::now();
    let clinician = target.id.0;
    let action = if active {
        AuditAction::ReactivateClinician { clinician }
    } else {
        AuditAction::DeactivateClinician { clinician }
    };
    let audit = Audit::new(viewer.id, action, None, now);
    state
        .db
        .set_clinician_active(target.id, active, now, &audit)
        .await?;
    if !active {
        DbSessionStore(state.db.clone())
            .delete_for(target.id)
            .await?;
    }
    Ok(Redirect::to("/staff/clinicians").into_response())
}

/// `GET /staff/password`
pub async fn password_page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Response {
    let user = staff_user(&viewer);
    render::staff_page(&state, StatusCode::OK, "Change password", move || {
        view! { <PasswordPage user error=None /> }
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// `POST /staff/password`: checks the current password, sets the new one and ends every
/// session of this clinician, this one included.
pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(form): AppForm<PasswordForm>,
) -> Result<Response, AppError> {
    let current = SecretString::from(form.current);
    let new = SecretString::from(form.new);
    let refuse = |field: &'static str, message: String| {
        let user = staff_user(&viewer);
        let error = Some((field, message));
        render::staff_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Change password",
            move || {
                view! { <PasswordPage user error /> }
            },
        )
    };
    // The current-password check counts wrong guesses like the login does, and a lock stops
    // it too, except on a browser the account knows: an owner whose account someone else is
    // guessing at can still change the password (security F2).
    let now = Utc::now();
    let device = guard::presented_device(&headers);
    if let Some(until) = auth::lock_against(&state, viewer.id, device.as_ref(), now).await? {
        let until = until.with_timezone(&state.config.practice_zone);
        let message = format!(
            "Too many wrong passwords: try again after {}.",
            until.format("%H:%M %Z")
        );
        return Ok(refuse("current", message));
    }
    let hash = state.db.password_hash(viewer.id).await?;
    if !auth::verify_password(current, hash).await {
        auth::count_failure(&state, &viewer, now).await?;
        return Ok(refuse(
            "current",
            "That is not your current password.".into(),
        ));
    }
    if let Err(message) =
        auth::check_password_strength(new.expose_secret(), &[&viewer.email, &viewer.display_name])
    {
        return Ok(refuse("new", message));
    }
    let hash = auth::hash_password(new).await?;
    let audit = Audit::new(viewer.id, AuditAction::ChangePassword, None, now);
    state
        .db
        .set_password_hash(viewer.id, &hash, now, &audit)
        .await?;
    DbSessionStore(state.db.clone())
        .delete_for(viewer.id)
        .await?;
    let _ = session.flush().await;
    // Every browser the account knew is forgotten with the old password, except this one,
    // which has just proved the current password.
    let to_login = Redirect::to("/staff/login").into_response();
    guard::remember_device(&state, device, viewer.id, to_login).await
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

const AUDIT_PAGE: u32 = 100;

/// `GET /staff/audit`: who did what, newest first (admins).
pub async fn audit_log(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let page = state.db.audit_page(query.before, AUDIT_PAGE).await?;
    let next_page = (page.len() == AUDIT_PAGE as usize)
        .then(|| page.last().map(|e| format!("/staff/audit?before={}", e.id)))
        .flatten();
    let rows = page
        .into_iter()
        .map(|e| AuditRow {
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            who: e.who,
            action: e.action.replace('_', " "),
            reference: e.reference,
        })
        .collect();
    let user = staff_user(&viewer);
    Ok::<_, AppError>(render::staff_page(
        &state,
        StatusCode::OK,
        "Audit log",
        move || {
            view! { <AuditPage user rows next_page /> }
        },
    ))
}

/// `GET /staff/email`: what the outbox holds, and what has not gone out (admins). Shows
/// neither recipients nor bodies.
pub async fn outbox(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    require_admin(&viewer)?;
    let c = state.db.outbox_counts().await?;
    let counts = [
        ("Waiting", c.pending),
        ("Sending", c.sending),
        ("Sent", c.sent),
        ("Given up (dead letters)", c.dead),
    ];
    let rows = state
        .db
        .outbox_problems(200)
        .await?
        .into_iter()
        .map(|p| OutboxRow {
            kind: p.kind.replace('_', " "),
            status: p.status,
            attempts: p.attempts,
            created: p.created_at.format("%Y-%m-%d %H:%M").to_string(),
            last_error: p.last_error.unwrap_or_default(),
        })
        .collect();
    let user = staff_user(&viewer);
    Ok::<_, AppError>(render::staff_page(
        &state,
        StatusCode::OK,
        "Email",
        move || {
            view! { <OutboxPage user counts rows /> }
        },
    ))
}

//! The consults page: live consults from now on, by day in practice time.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use leptos::prelude::*;
use serde::Deserialize;

use super::staff_user;
use crate::server::db::AuditAction;
use crate::server::http::error::AppError;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::workspace;
use crate::server::state::AppState;
use crate::ui::pages::staff::{ConsultDay, ConsultRow, ConsultsPage};

#[derive(Deserialize)]
pub struct ConsultsQuery {
    mine: Option<String>,
}

/// Consults shown on one page at most.
pub(super) const CONSULTS_SHOWN: i64 = 200;

/// `GET /staff/consults`: live consults from now on, by day, practice time.
pub async fn consults(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ConsultsQuery>,
) -> Result<Response, AppError> {
    let mine = query.mine.as_deref() == Some("1");
    let now = Utc::now();
    let only = mine.then_some(clinician.id);
    let mut found = state
        .db
        .upcoming_consults(now, only, CONSULTS_SHOWN + 1)
        .await?;
    // It lists clients' names: recorded like any view of their submissions.
    workspace::record_view(&state, clinician.id, AuditAction::ViewConsults, None, now).await?;
    let more = found.len() > CONSULTS_SHOWN as usize;
    found.truncate(CONSULTS_SHOWN as usize);
    let zone = state.config.practice_zone;
    let mut days: Vec<ConsultDay> = Vec::new();
    for (b, in_couple) in found {
        let local = b.starts_at.with_timezone(&zone);
        let label = local.format("%A %-d %B").to_string();
        let row = ConsultRow {
            time: local.format("%H:%M").to_string(),
            minutes: (b.ends_at - b.starts_at).num_minutes(),
            clinician: b.clinician_name,
            client: b.client_name,
            scope: match (in_couple, b.for_couple) {
                (false, _) => "",
                (true, true) => "Couple",
                (true, false) => "Individual",
            },
            reference: b.reference,
        };
        match days.last_mut() {
            Some(day) if day.label == label => day.rows.push(row),
            _ => days.push(ConsultDay {
                label,
                rows: vec![row],
            }),
        }
    }
    let user = staff_user(&clinician);
    let zone = zone.name().replace('_', " ");
    Ok::<_, AppError>(render::staff_page(
        &state,
        StatusCode::OK,
        "Consults",
        move || view! { <ConsultsPage user days zone mine more=more.then_some(CONSULTS_SHOWN) /> },
    ))
}

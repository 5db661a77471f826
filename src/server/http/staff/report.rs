//! `GET /staff/report` and its CSV: the practice, month by month (see `domain::report`).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;

use super::{csv_safe, staff_user};
use crate::domain::intake::{Form, SOURCE};
use crate::domain::referral::Reason;
use crate::domain::report::{monthly, short, Events, Month};
use crate::server::http::error::AppError;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::intake;
use crate::server::state::AppState;
use crate::ui::pages::staff::report::{ReportPage, ReportRow};

/// How far back the report looks.
const MONTHS: u32 = 12;

async fn months(state: &AppState) -> Result<(Vec<Month>, Form), AppError> {
    let zone = state.config.practice_zone;
    let since = Utc::now() - Duration::days(i64::from(MONTHS) * 31);
    let rows = state.db.report_rows(since, SOURCE).await?;
    let day = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
    let events = Events {
        intakes: rows.intakes.into_iter().map(|(t, s)| (day(t), s)).collect(),
        referrals: rows
            .referrals
            .into_iter()
            .map(|(t, reason, connected)| (day(t), reason, connected))
            .collect(),
        first_contacts: rows
            .first_contacts
            .into_iter()
            .map(|(checked_in, reached)| (day(checked_in), reached - checked_in))
            .collect(),
        consults: rows
            .consults
            .into_iter()
            .map(|(started, consult)| (day(started), consult - started))
            .collect(),
    };
    let (_, form) = intake::current(state).await?;
    let mut months = monthly(&events);
    months.truncate(MONTHS as usize);
    Ok((months, form))
}

/// `value count · value count`, in the form's or the reason list's words.
fn counts(
    counts: &std::collections::BTreeMap<String, usize>,
    name: impl Fn(&str) -> String,
) -> String {
    let mut pairs: Vec<(String, usize)> = counts.iter().map(|(k, n)| (name(k), *n)).collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs
        .into_iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn row(month: &Month, form: &Form) -> ReportRow {
    let source = |value: &str| match (value, form.question(SOURCE)) {
        ("", _) => "Not answered".to_owned(),
        (value, Some(q)) => q.display(value),
        (value, None) => value.to_owned(),
    };
    let reason = |raw: &str| Reason::parse(raw).map_or(raw.to_owned(), |r| r.label().to_owned());
    ReportRow {
        month: month.month.format("%B %Y").to_string(),
        intakes: month.intakes,
        sources: counts(&month.by_source, source),
        referrals: month.referrals,
        reasons: counts(&month.by_reason, reason),
        connected: month.connected_percent().map_or("—".to_owned(), |p| {
            format!("{} of {} ({p} %)", month.connected, month.referrals)
        }),
        first_contact: month.median_first_contact.map_or("—".to_owned(), short),
        to_consult: month.median_to_consult.map_or("—".to_owned(), short),
    }
}

/// `GET /staff/report`
pub async fn page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let (months, form) = months(&state).await?;
    let rows = months.iter().map(|m| row(m, &form)).collect();
    let user = staff_user(&viewer);
    Ok(render::staff_page(
        &state,
        StatusCode::OK,
        "Report",
        move || {
            view! { <ReportPage user rows months=MONTHS /> }
        },
    ))
}

/// `GET /staff/report.csv`: the same table, one line per month; medians in hours.
pub async fn export(
    State(state): State<AppState>,
    CurrentClinician(_viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let (months, form) = months(&state).await?;
    let internal = |e: csv::Error| AppError::Internal(Box::new(e));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "month",
        "intakes",
        "sources",
        "referrals_out",
        "reasons",
        "connected",
        "median_hours_check_in_to_first_contact",
        "median_hours_intake_to_consult",
    ])
    .map_err(internal)?;
    let hours = |d: Option<Duration>| {
        d.map(|d| format!("{:.1}", d.num_minutes() as f64 / 60.0))
            .unwrap_or_default()
    };
    for m in &months {
        let r = row(m, &form);
        let cells = [
            m.month.format("%Y-%m").to_string(),
            m.intakes.to_string(),
            r.sources,
            m.referrals.to_string(),
            r.reasons,
            m.connected.to_string(),
            hours(m.median_first_contact),
            hours(m.median_to_consult),
        ];
        out.write_record(cells.iter().map(|c| csv_safe(c)))
            .map_err(internal)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string().into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"report.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

//! `/staff/availability`: admins set the consult rules; each clinician sets their own weekly
//! hours and days off (admins can set anyone's). Every value is parsed by `domain::booking`,
//! and refused with a message next to its field.

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc, Weekday};
use leptos::prelude::*;
use serde::Deserialize;

use super::staff_user;
use crate::domain::booking::{
    format_day_windows, parse_day_windows, parse_days_off, ConsultRules, WeeklyHours,
};
use crate::domain::form;
use crate::server::db::{Audit, AuditAction, Clinician, ClinicianId, Role};
use crate::server::http::error::AppError;
use crate::server::http::extract::AppForm;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::state::AppState;
use crate::ui::pages::staff::availability::{
    AvailabilityPage, AvailabilityView, HoursForm, RulesForm,
};

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "Monday"),
    (Weekday::Tue, "tue", "Tuesday"),
    (Weekday::Wed, "wed", "Wednesday"),
    (Weekday::Thu, "thu", "Thursday"),
    (Weekday::Fri, "fri", "Friday"),
    (Weekday::Sat, "sat", "Saturday"),
    (Weekday::Sun, "sun", "Sunday"),
];

#[derive(Debug, Deserialize, Default)]
pub struct AvailabilityQuery {
    clinician: Option<i64>,
    saved: Option<String>,
}

fn rules_form(rules: &ConsultRules, editable: bool) -> RulesForm {
    RulesForm {
        length: rules.length_minutes().to_string(),
        buffer: rules.buffer_after_minutes().to_string(),
        notice_hours: (rules.min_notice_minutes() / 60).to_string(),
        horizon_days: rules.horizon_days().to_string(),
        editable,
        errors: Vec::new(),
    }
}

/// The clinician whose hours are shown: yourself, or (admins) whoever was asked for.
async fn subject(
    state: &AppState,
    viewer: &Clinician,
    asked: Option<i64>,
) -> Result<Clinician, AppError> {
    match asked {
        Some(id) if id != viewer.id.0 => {
            if viewer.role != Role::Admin {
                return Err(AppError::Forbidden);
            }
            state
                .db
                .clinician(ClinicianId(id))
                .await?
                .ok_or(AppError::NotFound)
        }
        _ => Ok(viewer.clone()),
    }
}

async fn hours_form(state: &AppState, who: &Clinician) -> Result<HoursForm, AppError> {
    let calendar = state.db.calendar(who.id).await?;
    let offers_consults = calendar.is_some();
    let (weekly, days_off) = calendar.map(|c| (c.weekly, c.days_off)).unwrap_or_default();
    Ok(HoursForm {
        clinician_id: who.id.0,
        clinician_name: who.display_name.clone(),
        days: DAYS
            .iter()
            .map(|(day, name, label)| (*name, *label, format_day_windows(weekly.windows(*day))))
            .collect(),
        days_off: days_off
            .iter()
            .map(NaiveDate::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        offers_consults,
        errors: Vec::new(),
    })
}

async fn render_page(
    state: &AppState,
    viewer: &Clinician,
    status: StatusCode,
    rules: RulesForm,
    hours: HoursForm,
    saved: Option<String>,
) -> Result<Response, AppError> {
    let clinicians = if viewer.role == Role::Admin {
        state
            .db
            .clinicians()
            .await?
            .into_iter()
            .filter(|c| c.active)
            .map(|c| (c.id.0, c.display_name))
            .collect()
    } else {
        Vec::new()
    };
    let page = AvailabilityView {
        zone: state.config.practice_zone.name().to_owned(),
        rules,
        hours,
        clinicians,
        saved,
    };
    let user = staff_user(viewer);
    Ok(render::staff_page(
        state,
        status,
        "Availability",
        move || {
            view! { <AvailabilityPage user page /> }
        },
    ))
}

/// `GET /staff/availability`
pub async fn page(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    Query(query): Query<AvailabilityQuery>,
) -> Result<Response, AppError> {
    let who = subject(&state, &viewer, query.clinician).await?;
    let rules = rules_form(&state.db.consult_rules().await?, viewer.role == Role::Admin);
    let hours = hours_form(&state, &who).await?;
    let saved = query.saved.map(|_| "Saved.".to_owned());
    render_page(&state, &viewer, StatusCode::OK, rules, hours, saved).await
}

#[derive(Debug, Deserialize)]
pub struct RulesInput {
    #[serde(default)]
    length: String,
    #[serde(default)]
    buffer: String,
    #[serde(default)]
    notice_hours: String,
    #[serde(default)]
    horizon_days: String,
}

/// Parses the rules form; every field's problem at once.
fn parse_rules(input: &RulesInput) -> Result<ConsultRules, FieldMessages> {
    let mut errors = Vec::new();
    let mut number = |field: &str, raw: &str, what: &str| match raw.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push((field.to_owned(), format!("Enter {what} as a whole number.")));
            None
        }
    };
    let length = number("length", &input.length, "the length in minutes");
    let buffer = number("buffer", &input.buffer, "the break in minutes");
    let notice = number("notice_hours", &input.notice_hours, "the notice in hours");
    let horizon = number("horizon_days", &input.horizon_days, "the number of days");
    let (Some(length), Some(buffer), Some(notice), Some(horizon)) =
        (length, buffer, notice, horizon)
    else {
        return Err(errors);
    };
    ConsultRules::from_minutes(length, buffer, notice.saturating_mul(60), horizon).map_err(|e| {
        use crate::domain::booking::BookingRuleError as E;
        let field = match e {
            E::BufferAfter => "buffer",
            E::MinNotice => "notice_hours",
            E::Horizon => "horizon_days",
            _ => "length",
        };
        let mut message = e.to_string();
        if let Some(first) = message.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        vec![(field.to_owned(), format!("{message}."))]
    })
}

/// `POST /staff/availability/rules` (admins).
pub async fn save_rules(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(input): AppForm<RulesInput>,
) -> Result<Response, AppError> {
    if viewer.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    match parse_rules(&input) {
        Ok(rules) => {
            let now = Utc::now();
            let audit = Audit::new(viewer.id, AuditAction::SetConsultRules, None, now);
            state.db.set_consult_rules(&rules, now, &audit).await?;
            tracing::info!("consult rules changed");
            Ok(Redirect::to("/staff/availability?saved=1").into_response())
        }
        Err(errors) => {
            let rules = RulesForm {
                length: input.length,
                buffer: input.buffer,
                notice_hours: input.notice_hours,
                horizon_days: input.horizon_days,
                editable: true,
                errors,
            };
            let hours = hours_form(&state, &viewer).await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_page(&state, &viewer, status, rules, hours, None).await
        }
    }
}

/// `(field, message)` pairs for a form shown again.
type FieldMessages = Vec<(String, String)>;

/// Parses the hours form into a week and days off; every field's problem at once.
fn parse_hours(
    form: &[(String, String)],
) -> Result<(WeeklyHours, BTreeSet<NaiveDate>), FieldMessages> {
    let value = |name: &str| form::value(form, name);
    let mut errors = Vec::new();
    let mut weekly = WeeklyHours::new();
    for (day, name, _) in DAYS {
        match parse_day_windows(value(name)).and_then(|windows| {
            weekly
                .clone()
                .with_day(day, windows)
                .map_err(|e| e.to_string())
        }) {
            Ok(week) => weekly = week,
            Err(message) => errors.push((name.to_owned(), capitalise(&message))),
        }
    }
    let days_off = parse_days_off(value("days_off"))
        .map_err(|message| errors.push(("days_off".to_owned(), capitalise(&message))))
        .unwrap_or_default();
    if errors.is_empty() {
        Ok((weekly, days_off))
    } else {
        Err(errors)
    }
}

fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// `POST /staff/availability/hours`: your own hours, or (admins) anyone's.
pub async fn save_hours(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
    AppForm(form): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let asked = form::value(&form, "clinician").parse::<i64>().ok();
    let who = subject(&state, &viewer, asked).await?;
    let offers = form.iter().any(|(k, v)| k == "offers" && v == "yes");
    match parse_hours(&form) {
        Ok((weekly, days_off)) => {
            let week = offers.then_some((&weekly, &days_off));
            let now = Utc::now();
            let action = AuditAction::SetAvailability {
                clinician: who.id.0,
            };
            let audit = Audit::new(viewer.id, action, None, now);
            state
                .db
                .set_calendar(who.id, week, now, Some(&audit))
                .await?;
            tracing::info!("availability changed");
            let target = format!("/staff/availability?clinician={}&saved=1", who.id.0);
            Ok(Redirect::to(&target).into_response())
        }
        Err(errors) => {
            let value = |name: &str| form::value(&form, name).to_owned();
            let hours = HoursForm {
                clinician_id: who.id.0,
                clinician_name: who.display_name.clone(),
                days: DAYS
                    .iter()
                    .map(|(_, name, label)| (*name, *label, value(name)))
                    .collect(),
                days_off: value("days_off"),
                offers_consults: offers,
                errors,
            };
            let rules = rules_form(&state.db.consult_rules().await?, viewer.role == Role::Admin);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_page(&state, &viewer, status, rules, hours, None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn hours_parse_with_a_message_per_bad_day() {
        let (week, off) = parse_hours(&form(&[
            ("mon", "09:00-12:00, 13:00-17:00"),
            ("days_off", "2026-12-24"),
        ]))
        .expect("valid");
        assert_eq!(week.windows(Weekday::Mon).len(), 2);
        assert!(week.windows(Weekday::Tue).is_empty());
        assert_eq!(off.len(), 1);
        let errors =
            parse_hours(&form(&[("tue", "17:00-09:00"), ("days_off", "soon")])).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["tue", "days_off"]);
    }

    #[test]
    fn rules_out_of_range_name_their_field() {
        let input = |h: &str| RulesInput {
            length: "50".into(),
            buffer: "10".into(),
            notice_hours: "24".into(),
            horizon_days: h.into(),
        };
        assert!(parse_rules(&input("28")).is_ok());
        assert_eq!(parse_rules(&input("0")).unwrap_err()[0].0, "horizon_days");
        assert_eq!(parse_rules(&input("x")).unwrap_err()[0].0, "horizon_days");
    }
}

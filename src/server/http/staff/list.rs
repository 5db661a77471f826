//! The submissions list (filters, keyset pages) and its CSV export.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::Deserialize;

use super::{local, staff_user, status_label, when};
use crate::domain::scoring::ReadinessBand;
use crate::domain::workflow::WorkflowStatus;
use crate::server::db::{
    AuditAction, ClinicianId, OwnerFilter, SubmissionFilter, SubmissionId, SubmissionSummary,
};
use crate::server::http::error::AppError;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::service::workspace;
use crate::server::state::AppState;
use crate::ui::pages::staff::{
    FilterForm, FollowUpRow, MissingCheckInRow, ReviewRow, SubmissionRow, SubmissionsPage,
};

/// A finished intake is listed as "check-in not answered" after this long without one (it
/// may still come: the check-in follows the last question)…
const CHECK_IN_GRACE_HOURS: i64 = 24;
/// …for this many days after it finished (older ones are found in the list).
const CHECK_IN_MISSING_DAYS: i64 = 30;

pub(super) const PAGE_SIZE: u32 = 50;

/// The list's query string: filters and the keyset cursor.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    before: Option<i64>,
    #[serde(default)]
    workflow: String,
    #[serde(default)]
    band: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    name: String,
    /// How the client would like to meet: `in_person` or `video` (either counts for both).
    #[serde(default)]
    meet: String,
    /// Children in the home: `yes` or `no`.
    #[serde(default)]
    children: String,
    /// The CSV export includes the clients' own words only when asked.
    #[serde(default)]
    free_text: String,
    /// `mine` or `unassigned`.
    #[serde(default)]
    owner: String,
    /// `unassigned`: those nobody owns first, then the rest, each newest first.
    #[serde(default)]
    sort: String,
    /// With `sort=unassigned`, the part of the list the cursor is in: 2 is the assigned part.
    #[serde(default)]
    part: Option<u8>,
}

impl ListQuery {
    /// The filter, and the form as typed with a message for each value that was not usable.
    fn filter(&self, me: ClinicianId) -> (SubmissionFilter, FilterForm) {
        let mut errors = Vec::new();
        let mut date = |field: &'static str, raw: &str| -> Option<DateTime<Utc>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                Err(_) => {
                    errors.push((field, "Use a date like 2026-11-25.".to_owned()));
                    None
                }
            }
        };
        let from = date("from", &self.from);
        // "until" is inclusive for people: until the end of that day.
        let until = date("to", &self.to).map(|d| d + chrono::Duration::days(1));
        let reference = Some(self.q.trim().to_owned()).filter(|r| !r.is_empty());
        let filter = SubmissionFilter {
            workflow: WorkflowStatus::parse(&self.workflow),
            band: ReadinessBand::parse(&self.band),
            from,
            until,
            reference,
            safety_only: self.flag == "safety",
            mixed_agenda_only: self.flag == "mixed_agenda",
            client_name: Some(self.name.trim().to_owned()).filter(|n| !n.is_empty()),
            intake: self.intake_filter(),
            owner: match self.owner.as_str() {
                "mine" => OwnerFilter::Of(me),
                "unassigned" => OwnerFilter::Unassigned,
                _ => OwnerFilter::Any,
            },
        };
        let form = FilterForm {
            owner: self.owner.clone(),
            sort: self.sort.clone(),
            meet: self.meet.clone(),
            children: self.children.clone(),
            pairs: self.pairs(),
            flag: self.flag.clone(),
            name: self.name.clone(),
            workflow: self.workflow.clone(),
            band: self.band.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            reference: self.q.clone(),
            errors,
            query: self.query_string(None),
        };
        (filter, form)
    }

    /// The intake answers the list is narrowed to (values it does not know are ignored).
    fn intake_filter(&self) -> Vec<(&'static str, Vec<&'static str>)> {
        use crate::domain::intake::{CHILDREN, FORMAT};
        let meet = match self.meet.as_str() {
            "in_person" => Some(vec!["in_person", "either"]),
            "video" => Some(vec!["video", "either"]),
            _ => None,
        };
        let children = match self.children.as_str() {
            "yes" => Some(vec!["yes"]),
            "no" => Some(vec!["no"]),
            _ => None,
        };
        [(FORMAT, meet), (CHILDREN, children)]
            .into_iter()
            .filter_map(|(key, values)| values.map(|v| (key, v)))
            .collect()
    }

    /// The filter's non-empty `(name, value)` pairs.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("workflow", &self.workflow),
            ("band", &self.band),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
            ("flag", &self.flag),
            ("name", &self.name),
            ("meet", &self.meet),
            ("children", &self.children),
            ("owner", &self.owner),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect()
    }

    /// `?workflow=…&…` for links that keep the current filter (and move the cursor).
    fn query_string(&self, before: Option<i64>) -> String {
        self.query_in_part(before, None)
    }

    fn query_in_part(&self, before: Option<i64>, part: Option<u8>) -> String {
        let mut pairs = self.pairs();
        if let Some(part) = part {
            pairs.push(("part", part.to_string()));
        }
        if let Some(b) = before {
            pairs.push(("before", b.to_string()));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let encoded = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("?{encoded}")
    }
}

pub(super) fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(super) fn workflow_choices() -> Vec<(&'static str, &'static str)> {
    WorkflowStatus::ALL
        .iter()
        .map(|w| (w.as_str(), w.label()))
        .collect()
}

pub(super) fn band_choices() -> Vec<(&'static str, &'static str)> {
    ReadinessBand::ALL
        .iter()
        .map(|b| (b.as_str(), b.label()))
        .collect()
}

/// How many intakes the needs-review queue shows at most (the oldest urgent ones first).
const REVIEW_SHOWN: u32 = 50;

/// One page of the list, and the link to the next. Sorted "unassigned first", the list is
/// two keyset runs, those nobody owns and then the rest, each newest first: every page costs
/// what the first does.
async fn list_page(
    state: &AppState,
    query: &ListQuery,
    filter: &SubmissionFilter,
) -> Result<(Vec<SubmissionSummary>, Option<String>), AppError> {
    let before = query.before.map(SubmissionId);
    let full = |page: &[SubmissionSummary]| page.len() == PAGE_SIZE as usize;
    if query.sort != "unassigned" || filter.owner != OwnerFilter::Any {
        let page = state.db.submissions_page(filter, before, PAGE_SIZE).await?;
        let next = page
            .last()
            .filter(|_| full(&page))
            .map(|s| format!("/staff{}", query.query_string(Some(s.id.0))));
        return Ok((page, next));
    }
    let part = |owner| SubmissionFilter {
        owner,
        ..filter.clone()
    };
    let mut page = Vec::new();
    let in_assigned = query.part == Some(2);
    if !in_assigned {
        let unassigned = part(OwnerFilter::Unassigned);
        page = state
            .db
            .submissions_page(&unassigned, before, PAGE_SIZE)
            .await?;
    }
    let unassigned_rows = if in_assigned { 0 } else { page.len() };
    if !full(&page) {
        let rest = PAGE_SIZE - page.len() as u32;
        let from = if in_assigned { before } else { None };
        let assigned = part(OwnerFilter::Assigned);
        // A whole page asked for and cut: the page size is part of the query's text, and
        // one text keeps one plan (see `submissions_page`).
        let assigned = state
            .db
            .submissions_page(&assigned, from, PAGE_SIZE)
            .await?;
        page.extend(assigned.into_iter().take(rest as usize));
    }
    let next = page.last().filter(|_| full(&page)).map(|s| {
        let part = if in_assigned || page.len() > unassigned_rows {
            2
        } else {
            1
        };
        format!("/staff{}", query.query_in_part(Some(s.id.0), Some(part)))
    });
    Ok((page, next))
}

/// A referral's state in the list's words.
fn referral_state(raw: &str) -> &'static str {
    match raw {
        "closed" => "Closed",
        "connected" => "Connected",
        "not_connected" => "Not connected",
        "declined" => "Declined",
        _ => "Sent",
    }
}

pub async fn submissions(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, form) = query.filter(clinician.id);
    // The list, the review queue and the referral follow-ups are independent reads: asked for
    // together, on three of the pool's connections.
    let now = Utc::now();
    let (listed, review, open_referrals, unanswered) = tokio::try_join!(
        list_page(&state, &query, &filter),
        async { Ok::<_, AppError>(state.db.review_queue(REVIEW_SHOWN).await?) },
        async { Ok::<_, AppError>(state.db.open_referrals().await?) },
        async {
            let (after, before) = (
                now - chrono::Duration::days(CHECK_IN_MISSING_DAYS),
                now - chrono::Duration::hours(CHECK_IN_GRACE_HOURS),
            );
            Ok::<_, AppError>(
                state
                    .db
                    .check_ins_missing(after, before, REVIEW_SHOWN)
                    .await?,
            )
        },
    )?;
    let (page, next_page) = listed;
    let rows = page
        .into_iter()
        .map(|s| SubmissionRow {
            reference: s.reference,
            started: local(s.created_at, state.config.practice_zone),
            status: status_label(s.status),
            workflow: s.workflow.label(),
            overall: s.overall,
            band: s.band.map(|b| b.label()),
            consult: s.consult.map(|t| {
                format!(
                    "{} ({})",
                    crate::domain::booking::render_in(t, state.config.practice_zone),
                    state.config.practice_zone.name()
                )
            }),
            partner: s.partner.as_deref().and_then(|p| match p {
                "a" => Some("A"),
                "b" => Some("B"),
                _ => None,
            }),
            safety: s.safety,
            mixed_agenda: s.mixed_agenda,
            owner: s.owner,
            referral: s.referral.as_deref().map(referral_state),
        })
        .collect();
    let unanswered = unanswered
        .into_iter()
        .map(|m| MissingCheckInRow {
            reference: m.reference,
            waiting: crate::domain::report::short(now - m.submitted_at),
        })
        .collect();
    let review = review
        .into_iter()
        .map(|item| {
            let waited = now - item.checked_in_at;
            let due = crate::server::service::couples::review_due(
                &state,
                item.checked_in_at,
                item.urgent,
            );
            ReviewRow {
                reference: item.reference,
                urgent: item.urgent,
                // "45 min", "3 h", "2 d 4 h".
                waiting: crate::domain::report::short(waited),
                overdue: now > due,
                tries: item.tries,
            }
        })
        .collect();
    let zone = state.config.practice_zone;
    let follow_ups = open_referrals
        .into_iter()
        .filter_map(|r| {
            let days = crate::domain::referral::follow_up_due(r.sent_at, r.followed_up_at, now)?;
            Some(FollowUpRow {
                reference: r.reference,
                due: format!("{days}-day"),
                sent: local(r.sent_at, zone),
                status: r.outcome.map_or("No answer yet", |o| o.label()).to_owned(),
            })
        })
        .collect();
    let user = staff_user(&clinician);
    Ok(render::staff_page(
        &state,
        StatusCode::OK,
        "Submissions",
        move || {
            view! {
                <SubmissionsPage
                    user
                    review
                    unanswered
                    follow_ups
                    rows
                    next_page
                    filters=form
                    workflows=workflow_choices()
                    bands=band_choices()
                />
            }
        },
    ))
}

/// Neutralises a spreadsheet formula: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
/// return gets a leading apostrophe, so Excel or LibreOffice show it as text instead of running it.
pub fn csv_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `GET /staff/export.csv`: the filtered list, every page of it, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    CurrentClinician(clinician): CurrentClinician,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter(clinician.id);
    let body = export(&state, &filter, query.free_text == "yes").await?;
    let export_csv = AuditAction::ExportCsv;
    workspace::record_view(&state, clinician.id, export_csv, None, Utc::now()).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"submissions.csv\"",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// The filtered list as CSV, with a column per question of the current intake form (the
/// clients' own words only when `free_text`).
pub(super) async fn export(
    state: &AppState,
    filter: &SubmissionFilter,
    free_text: bool,
) -> Result<Vec<u8>, AppError> {
    let internal = |e: csv::Error| AppError::Internal(Box::new(e));
    let mut out = csv::Writer::from_writer(Vec::new());
    let (_, form) = crate::server::service::intake::current(state).await?;
    let questions: Vec<&crate::domain::intake::Question> = form
        .questions
        .iter()
        .filter(|q| free_text || !q.kind.is_free_text())
        .collect();
    let header = [
        "reference",
        "started_utc",
        "submitted_utc",
        "questionnaire",
        "workflow",
        "readiness",
        "band",
        "instrument_version",
        "leaning",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(questions.iter().map(|q| q.label.clone()));
    out.write_record(header.map(|c| csv_safe(&c)))
        .map_err(internal)?;
    let mut before = None;
    loop {
        let page = state.db.submissions_page(filter, before, 1000).await?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.id);
        let full = page.len() == 1000;
        // The page's intake answers in one query: its ids are a descending run.
        let first = page.first().map_or(last.id, |f| f.id);
        let answers = state.db.intake_answers_between(last.id, first).await?;
        let answers: std::collections::HashMap<(i64, &str), &str> = answers
            .iter()
            .map(|(id, a)| ((id.0, a.key.as_str()), a.value.as_str()))
            .collect();
        for s in page {
            let intake = questions.iter().map(|q| {
                answers
                    .get(&(s.id.0, q.key.as_str()))
                    .map(|v| q.display(v))
                    .unwrap_or_default()
            });
            let row: Vec<String> = [
                s.reference,
                when(s.created_at),
                s.submitted_at.map(when).unwrap_or_default(),
                status_label(s.status).to_owned(),
                s.workflow.label().to_owned(),
                s.overall.map(|o| o.to_string()).unwrap_or_default(),
                s.band.map(|b| b.label().to_owned()).unwrap_or_default(),
                s.instrument.map(|v| v.to_string()).unwrap_or_default(),
                s.leaning.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            ]
            .into_iter()
            .chain(intake)
            .collect();
            out.write_record(row.iter().map(|c| csv_safe(c)))
                .map_err(internal)?;
        }
        if !full {
            break;
        }
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.to_string().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_formulas_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(csv_safe(cell).starts_with('\''), "{cell:?}");
        }
        for cell in ["TB-ABC", "2026-11-25 10:00", "Ready to rebuild", ""] {
            assert_eq!(csv_safe(cell), cell);
        }
    }

    #[test]
    fn filters_keep_their_query_and_report_bad_dates() {
        let query = ListQuery {
            workflow: "contacted".into(),
            from: "25/11/2026".into(),
            to: "2026-11-30".into(),
            q: "tb-7k".into(),
            ..Default::default()
        };
        let (filter, form) = query.filter(ClinicianId(1));
        assert_eq!(filter.workflow, Some(WorkflowStatus::Contacted));
        assert_eq!(filter.from, None);
        assert_eq!(form.errors.len(), 1);
        assert_eq!(form.errors[0].0, "from");
        assert_eq!(
            filter.until.map(|d| d.date_naive().to_string()),
            Some("2026-12-01".to_owned())
        );
        assert_eq!(
            query.query_string(Some(42)),
            "?workflow=contacted&from=25%2F11%2F2026&to=2026-11-30&q=tb-7k&before=42"
        );
    }
}

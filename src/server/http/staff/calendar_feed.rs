//! A clinician's calendar feed: `/staff/calendar-feed` makes, replaces or stops the private
//! address, and `/calendar/<secret>.ics` is what their calendar app reads (issue 26: consults
//! out). The address is shown once; only its hash is stored.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use leptos::prelude::*;

use super::{local, staff_user};
use crate::server::db::{Audit, AuditAction, Clinician};
use crate::server::email::calendar::{feed_ics, FeedEvent};
use crate::server::http::error::AppError;
use crate::server::http::guard::CurrentClinician;
use crate::server::http::render;
use crate::server::state::AppState;
use crate::server::tokens::FeedToken;
use crate::ui::pages::staff::calendar_feed::{CalendarFeedPage, CalendarFeedState};

/// How far back the feed reaches: the last month's consults stay in the calendar.
const FEED_PAST_DAYS: i64 = 30;
/// At most this many consults (ahead of the horizon of any practice's booking rules).
const FEED_LIMIT: i64 = 1000;

fn page(state: &AppState, viewer: &Clinician, feed: CalendarFeedState) -> Response {
    let user = staff_user(viewer);
    render::staff_page(
        state,
        StatusCode::OK,
        "Your consults in your calendar",
        move || {
            view! { <CalendarFeedPage user state=feed /> }
        },
    )
}

/// `GET /staff/calendar-feed`.
pub async fn settings(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let feed = match state.db.calendar_feed_since(viewer.id).await? {
        Some(since) => CalendarFeedState::Active {
            since: local(since, state.config.practice_zone),
        },
        None => CalendarFeedState::None,
    };
    Ok(page(&state, &viewer, feed))
}

/// `POST /staff/calendar-feed`: a new address (the old one, if any, stops), shown this once.
pub async fn make(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let token = FeedToken::generate();
    let audit = Audit::new(viewer.id, AuditAction::MakeCalendarFeed, None, Utc::now());
    state
        .db
        .set_calendar_feed(viewer.id, &token.hash(), &audit)
        .await?;
    let url = format!(
        "{}/calendar/{}.ics",
        state.config.public_base_url,
        token.as_str()
    );
    Ok(page(&state, &viewer, CalendarFeedState::Made { url }))
}

/// `POST /staff/calendar-feed/stop`.
pub async fn stop(
    State(state): State<AppState>,
    CurrentClinician(viewer): CurrentClinician,
) -> Result<Response, AppError> {
    let audit = Audit::new(viewer.id, AuditAction::StopCalendarFeed, None, Utc::now());
    state.db.end_calendar_feed(viewer.id, &audit).await?;
    Ok(Redirect::to("/staff/calendar-feed").into_response())
}

/// `GET /calendar/<secret>.ics`: the consults booked with the address's clinician, from a month
/// ago on, cancelled ones marked so. An address that is not (or no longer) one is a plain 404.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let owner = match file.strip_suffix(".ics").and_then(FeedToken::parse) {
        Some(token) => state.db.calendar_feed_owner(&token.hash()).await?,
        None => None,
    };
    let Some(clinician) = owner else {
        return Err(AppError::NotFound);
    };
    let now = Utc::now();
    let consults = state
        .db
        .feed_consults(clinician, now - Duration::days(FEED_PAST_DAYS), FEED_LIMIT)
        .await?;
    let profile = state
        .db
        .clinician_profiles()
        .await?
        .remove(&clinician)
        .unwrap_or_default();
    // Where the clinician meets them: the video link or the address of their profile.
    let video = profile.format == crate::domain::routing::ConsultFormat::Video;
    let location = match (video, profile.place.trim()) {
        (true, "") => Some("Video".to_owned()),
        (_, "") => None,
        (_, place) => Some(place.to_owned()),
    };
    let base = &state.config.public_base_url;
    let events: Vec<FeedEvent> = consults
        .iter()
        .map(|c| FeedEvent {
            uid: crate::server::email::templates::calendar_uid(&format!("practice-{}", c.id), base),
            sequence: c.sequence,
            cancelled: c.cancelled,
            start: c.starts_at,
            end: c.ends_at,
            summary: format!(
                "Consult {}{}",
                c.reference,
                if c.for_couple { " (couple)" } else { "" }
            ),
            location: location.clone(),
            url: format!("{base}/staff/submissions/{}", c.reference),
        })
        .collect();
    let body = feed_ics(&events, now);
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

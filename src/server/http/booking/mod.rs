//! The client's booking pages: pick a time, confirm with contact details, then see, move or
//! cancel through the private manage link. Plain forms with 303 redirects, so a reload never
//! books twice and everything works without JavaScript.

use std::sync::LazyLock;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use leptos::prelude::*;
use serde::Deserialize;

use super::couples::{next_step, offer_message};
use super::error::{AppError, FieldError};
use super::extract::AppForm;
use super::render;
use crate::domain::booking::{render_in, ConsultSlot};
use crate::domain::couple::JointBookingOffer;
use crate::domain::form;
use crate::server::db::{Booking, BookingStatus, SubmissionId};
use crate::server::service::booking::{
    self as service, BookOutcome, ChangeOutcome, Managed, OpenSlots,
};
use crate::server::service::couples::{self, Offer};
use crate::server::state::AppState;
use crate::server::tokens::{request_key_or_new, ResumeToken};
use crate::ui::pages::booking::{
    BookedBy, BookedElsewherePage, CancelBookingPage, ConfirmBooking, ConfirmBookingPage,
    ConsultChoice, ConsultChoicePage, ManageBooking, ManageBookingPage, SlotDay, SlotOption,
    SlotPicker, SlotPickerPage, ZoneChoice,
};
use crate::ui::pages::errors::BookingLimitPage;

/// A consult the client did not book from this page. Its time is shown in the practice's
/// zone: the booker's own zone is theirs to tell.
fn booked_elsewhere(state: &AppState, booking: &Booking, by: BookedBy) -> Response {
    let when = when_in(booking.starts_at, state.config.practice_zone);
    let practice_email = state.config.practice_email.clone();
    render::page(state, StatusCode::OK, "Your consult", false, move || {
        view! { <BookedElsewherePage when by practice_email /> }
    })
}

/// Whom a new booking is for, once the page may offer times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whom {
    /// Someone on their own: their consult.
    Alone,
    /// A partner, on their own: never shown on the other partner's pages.
    Own,
    /// A partner, for the couple together.
    Together,
}

impl Whom {
    /// The `for` value the forms carry (none for someone on their own).
    fn field(self) -> Option<String> {
        match self {
            Whom::Alone => None,
            Whom::Own => Some("client".to_owned()),
            Whom::Together => Some("couple".to_owned()),
        }
    }
}

/// What the booking page shows before times: the check-in first (for everyone); a couple's
/// consult booked on the other partner's questionnaire (by them, or by the practice), which is
/// this partner's consult too (one for the other partner alone never is); for a partner who has
/// not chosen yet, the choice between on their own (always open) and together (the couple's
/// offer); otherwise times, for whom they asked.
async fn gate(
    state: &AppState,
    token: &str,
    submission: SubmissionId,
    asked: Option<&str>,
) -> Result<Result<Whom, Response>, AppError> {
    let together = match couples::booking_offer(state, submission).await? {
        Offer::NeedsScreen => {
            return Ok(Err(
                Redirect::to(&format!("/q/{token}/private")).into_response()
            ))
        }
        Offer::Open { together: None } => return Ok(Ok(Whom::Alone)),
        Offer::Open {
            together: Some(offer),
        } => offer,
    };
    if let Some(booking) = couples::partner_booking(state, submission).await? {
        return Ok(Err(booked_elsewhere(state, &booking, BookedBy::Partner)));
    }
    Ok(match asked {
        Some("client") => Ok(Whom::Own),
        Some("couple") if together == JointBookingOffer::Open => Ok(Whom::Together),
        _ => Err(consult_choice(state, token, together)),
    })
}

/// A partner's choice: on their own, or (when the couple's offer is open) together.
fn consult_choice(state: &AppState, token: &str, together: JointBookingOffer) -> Response {
    let choice = ConsultChoice {
        together: offer_message(state, together),
        together_url: (together == JointBookingOffer::Open)
            .then(|| format!("/q/{token}/book?for=couple")),
        own_url: format!("/q/{token}/book?for=client"),
        practice_email: state.config.practice_email.clone(),
        support: state.config.support.clone(),
    };
    render::page(
        state,
        StatusCode::OK,
        "Arrange a first consult",
        false,
        move || view! { <ConsultChoicePage choice /> },
    )
}

mod manage;
pub use manage::*;

const TAKEN: &str = "That time was just booked by someone else. Please pick another one.";

/// Region/City zones a person would recognise, alphabetically, plus UTC.
static ZONES: LazyLock<Vec<String>> = LazyLock::new(|| {
    const REGIONS: [&str; 9] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name())
        .filter(|name| REGIONS.iter().any(|r| name.starts_with(r)))
        .map(str::to_owned)
        .collect();
    zones.sort();
    zones.push("UTC".to_owned());
    zones
});

#[derive(Debug, Deserialize, Default)]
pub struct BookQuery {
    tz: Option<String>,
    /// A partner's choice: `client` (on their own) or `couple` (together).
    #[serde(rename = "for")]
    for_whom: Option<String>,
    slot: Option<String>,
    booked: Option<String>,
    moved: Option<String>,
    cancelled: Option<String>,
}

fn slot_value(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// "Tue 1 Dec, 16:00 (GMT+1), Europe/Berlin time".
fn when_in(t: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{}, {} time",
        render_in(t, zone),
        zone.name().replace('_', " ")
    )
}

fn when_at_practice(t: DateTime<Utc>, viewer: Tz, practice: Tz) -> Option<String> {
    (viewer != practice).then(|| when_in(t, practice))
}

/// Slots grouped by the viewer's local date.
pub(crate) fn slot_days(slots: &[ConsultSlot], zone: Tz) -> Vec<SlotDay> {
    let mut days: Vec<SlotDay> = Vec::new();
    let mut current: Option<chrono::NaiveDate> = None;
    for slot in slots {
        let local = slot.start.with_timezone(&zone);
        let option = SlotOption {
            value: slot_value(slot.start),
            label: local.format("%H:%M").to_string(),
        };
        match days.last_mut() {
            Some(day) if current == Some(local.date_naive()) => day.slots.push(option),
            _ => {
                current = Some(local.date_naive());
                days.push(SlotDay {
                    label: local.format("%A %-d %B").to_string(),
                    slots: vec![option],
                });
            }
        }
    }
    days
}

fn zone_choice(state: &AppState, zone: Tz) -> ZoneChoice {
    ZoneChoice {
        current: zone.name().to_owned(),
        practice: state.config.practice_zone.name().to_owned(),
        options: ZONES.clone(),
    }
}

struct PickerArgs {
    /// The viewer chose a zone (a `tz` parameter), so it is not detected.
    zone_chosen: bool,
    for_whom: Option<String>,
    heading: &'static str,
    action: String,
    method: &'static str,
    here: String,
    submit_label: &'static str,
}

fn picker_page(
    state: &AppState,
    status: StatusCode,
    args: PickerArgs,
    open: OpenSlots,
    zone: Tz,
    alert: Option<String>,
) -> Response {
    // Only a picker opened without a chosen zone (and without an alert to keep) looks for the
    // browser's.
    let detect_zone = args.method == "get" && alert.is_none() && !args.zone_chosen;
    let picker = SlotPicker {
        heading: args.heading.to_owned(),
        action: args.action,
        method: args.method,
        here: args.here,
        zone: zone_choice(state, zone),
        days: slot_days(&open.slots, zone),
        length_minutes: open.rules.length_minutes(),
        alert,
        submit_label: args.submit_label,
        practice_email: state.config.practice_email.clone(),
        detect_zone,
        for_whom: args.for_whom,
    };
    render::page(state, status, "Choose a time", detect_zone, move || {
        view! { <SlotPickerPage picker /> }
    })
}

fn new_booking_picker(token: &str, zone_chosen: bool, whom: Whom) -> PickerArgs {
    PickerArgs {
        zone_chosen,
        for_whom: whom.field(),
        heading: match whom {
            Whom::Together => "Choose a time for your consult together",
            Whom::Alone | Whom::Own => "Choose a time for your first consult",
        },
        action: format!("/q/{token}/book/confirm"),
        method: "get",
        here: format!("/q/{token}/book"),
        submit_label: "Continue",
    }
}

/// The zone a booking's pages show it in: the one asked for, else the client's own.
fn booking_zone(state: &AppState, booking: &Booking, asked: Option<&str>) -> Tz {
    let theirs = service::viewer_zone(Some(&booking.client_zone), state.config.practice_zone);
    service::viewer_zone(asked, theirs)
}

fn manage_url(state: &AppState, manage: &str) -> String {
    format!("{}/b/{manage}", state.config.public_base_url)
}

/// An unfinished questionnaire cannot book yet: back to where its person stopped.
fn back_to_questionnaire(token: &str) -> Response {
    Redirect::to(&format!("/q/{token}")).into_response()
}

/// `GET /q/<token>/book`: open times, or the booking when there already is one.
pub async fn choose(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<BookQuery>,
) -> Result<Response, AppError> {
    let submission = match service::open_submitted(&state, &token).await? {
        Ok(submission) => submission,
        Err(service::Unfinished) => return Ok(back_to_questionnaire(&token)),
    };
    if let Some(live) = service::live_booking(&state, &submission).await? {
        let token = ResumeToken::parse(&token).ok_or(AppError::LinkNotFound)?;
        // Booked from this link: its manage page. Booked by the practice: the link to
        // change it is in the client's email, not derivable from this one.
        if let Some(manage) = service::own_manage_token(&state, &token, &live).await? {
            return Ok(Redirect::to(&format!("/b/{}", manage.as_str())).into_response());
        }
        return Ok(booked_elsewhere(&state, &live, BookedBy::Practice));
    }
    let whom = match gate(&state, &token, submission.id, query.for_whom.as_deref()).await? {
        Ok(whom) => whom,
        Err(page) => return Ok(page),
    };
    let zone = service::viewer_zone(query.tz.as_deref(), state.config.practice_zone);
    let open = service::open_slots(&state, Utc::now()).await?;
    if open.slots.is_empty() {
        // The same page as any other reason the practice arranges the consult itself.
        return Ok(next_step(&state, JointBookingOffer::PracticeWillContact));
    }
    Ok(picker_page(
        &state,
        StatusCode::OK,
        new_booking_picker(&token, query.tz.is_some(), whom),
        open,
        zone,
        None,
    ))
}

struct ConfirmArgs<'a> {
    token: &'a str,
    start: DateTime<Utc>,
    zone: Tz,
    whom: Whom,
}

fn confirm_form(
    state: &AppState,
    args: ConfirmArgs<'_>,
    values: &[(String, String)],
    errors: Vec<FieldError>,
) -> ConfirmBooking {
    let ConfirmArgs {
        token,
        start,
        zone,
        whom,
    } = args;
    let value = |name: &str| form::value(values, name).to_owned();
    let request_key = request_key_or_new(form::value(values, "request_key"));
    let back_for = whom
        .field()
        .map(|f| format!("&for={f}"))
        .unwrap_or_default();
    ConfirmBooking {
        action: format!("/q/{token}/book"),
        back: format!("/q/{token}/book?tz={}{back_for}", zone.name()),
        for_whom: whom.field(),
        slot: slot_value(start),
        tz: zone.name().to_owned(),
        request_key,
        when: when_in(start, zone),
        when_practice: when_at_practice(start, zone, state.config.practice_zone),
        name: value("name"),
        email: value("email"),
        phone: value("phone"),
        consent: value("consent") == "yes",
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }
}

/// `GET /q/<token>/book/confirm?slot=…&tz=…`: contact details for the chosen time.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<BookQuery>,
) -> Result<Response, AppError> {
    let submission = match service::open_submitted(&state, &token).await? {
        Ok(submission) => submission,
        Err(service::Unfinished) => return Ok(back_to_questionnaire(&token)),
    };
    if service::live_booking(&state, &submission).await?.is_some() {
        return Ok(Redirect::to(&format!("/q/{token}/book")).into_response());
    }
    let whom = match gate(&state, &token, submission.id, query.for_whom.as_deref()).await? {
        Ok(whom) => whom,
        Err(page) => return Ok(page),
    };
    let zone = service::viewer_zone(query.tz.as_deref(), state.config.practice_zone);
    let Some(start) = query.slot.as_deref().and_then(service::parse_slot) else {
        let back_for = whom
            .field()
            .map(|f| format!("&for={f}"))
            .unwrap_or_default();
        let back = format!("/q/{token}/book?tz={}{back_for}", zone.name());
        return Ok(Redirect::to(&back).into_response());
    };
    // Empty for everyone: the safe address and phone from the private check-in are never shown
    // back, so whoever holds this link cannot read them here, and the page is the same whether
    // the check-in gave them or not (security N12).
    let args = ConfirmArgs {
        token: &token,
        start,
        zone,
        whom,
    };
    let form = confirm_form(&state, args, &[], Vec::new());
    Ok(render::page(
        &state,
        StatusCode::OK,
        "Confirm your consult",
        false,
        move || {
            view! { <ConfirmBookingPage form /> }
        },
    ))
}

/// `POST /q/<token>/book`: book it. Booked → the booking's page (303); a field to fix → the
/// same form with messages (422); taken meanwhile → the times again (409).
pub async fn book(
    State(state): State<AppState>,
    Path(token): Path<String>,
    AppForm(fields): AppForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let zone = service::viewer_zone(
        fields
            .iter()
            .find(|(k, _)| k == "tz")
            .map(|(_, v)| v.as_str()),
        state.config.practice_zone,
    );
    let submission = match service::open_submitted(&state, &token).await? {
        Ok(submission) => submission,
        Err(service::Unfinished) => return Ok(back_to_questionnaire(&token)),
    };
    let asked = Some(form::value(&fields, "for")).filter(|f| !f.is_empty());
    let whom = match gate(&state, &token, submission.id, asked).await? {
        Ok(whom) => whom,
        Err(page) => return Ok(page),
    };
    let request = service::BookRequest::from_form(&fields);
    let response = match service::book(&state, &token, &request, now).await? {
        BookOutcome::Booked(manage) => {
            Redirect::to(&format!("/b/{}?booked=1", manage.as_str())).into_response()
        }
        // The booking page shows the consult there is: through this link's manage page, or
        // as booked by the practice or on the partner's questionnaire.
        BookOutcome::AlreadyBooked(_) | BookOutcome::PartnerBooked => {
            Redirect::to(&format!("/q/{token}/book")).into_response()
        }
        BookOutcome::TooManyToday => {
            let practice_email = state.config.practice_email.clone();
            render::page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                "Book a consult",
                false,
                move || view! { <BookingLimitPage practice_email /> },
            )
        }
        BookOutcome::SlotTaken => {
            let open = service::open_slots(&state, now).await?;
            picker_page(
                &state,
                StatusCode::CONFLICT,
                new_booking_picker(&token, true, whom),
                open,
                zone,
                Some(TAKEN.to_owned()),
            )
        }
        BookOutcome::Invalid(errors) => {
            let slot = service::parse_slot(form::value(&fields, "slot"));
            let Some(start) = slot else {
                return Ok(
                    Redirect::to(&format!("/q/{token}/book?tz={}", zone.name())).into_response()
                );
            };
            let args = ConfirmArgs {
                token: &token,
                start,
                zone,
                whom,
            };
            let form = confirm_form(&state, args, &fields, errors);
            render::page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Confirm your consult",
                false,
                move || view! { <ConfirmBookingPage form /> },
            )
        }
    };
    Ok(response)
}

//! The private manage link's pages: see the consult, cancel it, move it.

use super::*;

/// `GET /b/<manage>`: the booking, with ways to move or cancel it.
pub async fn manage(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<BookQuery>,
) -> Result<Response, AppError> {
    let (
        manage,
        Managed {
            booking,
            changeable,
        },
    ) = service::open_managed(&state, &token, Utc::now()).await?;
    let zone = booking_zone(&state, &booking, query.tz.as_deref());
    let notice = if query.moved.is_some() {
        Some("Your consult has moved. A new confirmation is on its way.".to_owned())
    } else if query.cancelled.is_some() {
        Some("Cancelled. The practice has been told.".to_owned())
    } else {
        None
    };
    let view_data = ManageBooking {
        base: format!("/b/{}", manage.as_str()),
        tz: zone.name().to_owned(),
        reference: booking.reference.clone(),
        when: when_in(booking.starts_at, zone),
        when_practice: when_at_practice(booking.starts_at, zone, state.config.practice_zone),
        length_minutes: (booking.ends_at - booking.starts_at).num_minutes(),
        cancelled: booking.status == BookingStatus::Cancelled,
        changeable,
        just_booked: query.booked.is_some(),
        cutoff_hours: state.config.booking_change_cutoff_hours,
        manage_url: manage_url(&state, manage.as_str()),
        email: booking.client_email.clone(),
        calendar: state
            .db
            .safe_contact(booking.submission_id)
            .await?
            .is_some_and(|c| c.calendar_allowed()),
        practice_email: state.config.practice_email.clone(),
        notice,
    };
    Ok(render::page(
        &state,
        StatusCode::OK,
        "Your consult",
        false,
        move || {
            view! { <ManageBookingPage booking=view_data /> }
        },
    ))
}

/// `GET /b/<manage>/cancel`: are you sure?
pub async fn cancel_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<BookQuery>,
) -> Result<Response, AppError> {
    let (
        manage,
        Managed {
            booking,
            changeable,
        },
    ) = service::open_managed(&state, &token, Utc::now()).await?;
    let base = format!("/b/{}", manage.as_str());
    if !changeable {
        return Ok(Redirect::to(&base).into_response());
    }
    let zone = booking_zone(&state, &booking, query.tz.as_deref());
    let when = when_in(booking.starts_at, zone);
    let action = format!("{base}/cancel");
    Ok(render::page(
        &state,
        StatusCode::OK,
        "Cancel your consult",
        false,
        move || {
            view! { <CancelBookingPage action back=base when /> }
        },
    ))
}

/// `POST /b/<manage>/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Redirect, AppError> {
    Ok(match service::cancel(&state, &token, Utc::now()).await? {
        ChangeOutcome::Done => Redirect::to(&format!("/b/{token}?cancelled=1")),
        _ => Redirect::to(&format!("/b/{token}")),
    })
}

fn move_picker(token: &str) -> PickerArgs {
    PickerArgs {
        // A booking already knows the client's zone.
        zone_chosen: true,
        for_whom: None,
        heading: "Choose a new time",
        action: format!("/b/{token}/reschedule"),
        method: "post",
        here: format!("/b/{token}/reschedule"),
        submit_label: "Move my consult",
    }
}

/// `GET /b/<manage>/reschedule`: open times to move to.
pub async fn reschedule_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<BookQuery>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let (
        _,
        Managed {
            booking,
            changeable,
        },
    ) = service::open_managed(&state, &token, now).await?;
    if !changeable {
        return Ok(Redirect::to(&format!("/b/{token}")).into_response());
    }
    let zone = booking_zone(&state, &booking, query.tz.as_deref());
    let open = service::open_slots(&state, now).await?;
    Ok(picker_page(
        &state,
        StatusCode::OK,
        move_picker(&token),
        open,
        zone,
        None,
    ))
}

/// `POST /b/<manage>/reschedule`.
pub async fn reschedule(
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
    let request = service::BookRequest::from_form(&fields);
    let alert = match service::reschedule(&state, &token, &request, now).await? {
        ChangeOutcome::Done => {
            return Ok(Redirect::to(&format!("/b/{token}?moved=1")).into_response())
        }
        ChangeOutcome::NotChangeable => {
            return Ok(Redirect::to(&format!("/b/{token}")).into_response())
        }
        ChangeOutcome::SlotTaken => (StatusCode::CONFLICT, TAKEN.to_owned()),
        ChangeOutcome::TooManyMoves => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "This consult has been moved several times, so it cannot be moved again here. \
                 To change it, write to the practice at {}. Your consult stays booked.",
                state.config.practice_email
            ),
        ),
        ChangeOutcome::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .into_iter()
                .next()
                .map(|e| e.message)
                .unwrap_or_default(),
        ),
    };
    let open = service::open_slots(&state, now).await?;
    Ok(picker_page(
        &state,
        alert.0,
        move_picker(&token),
        open,
        zone,
        Some(alert.1),
    ))
}

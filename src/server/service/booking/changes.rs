//! A booking after it is made: opened by its manage link, cancelled (by the client or the
//! practice), moved.

use super::*;

/// Opens the booking a manage link names.
pub async fn open_managed(
    state: &AppState,
    raw_token: &str,
    now: DateTime<Utc>,
) -> Result<(ManageToken, Managed), AppError> {
    let token = ManageToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let booking = state
        .db
        .booking_by_manage_hash(&token.hash())
        .await?
        .ok_or(AppError::LinkNotFound)?;
    // After the consult the link has done its job: it opens nothing more.
    if now > booking.ends_at {
        return Err(AppError::LinkExpired);
    }
    let cutoff = booking.starts_at - Duration::hours(state.config.booking_change_cutoff_hours);
    let changeable = booking.status == BookingStatus::Booked && now < cutoff;
    Ok((
        token,
        Managed {
            booking,
            changeable,
        },
    ))
}

/// How a change to a booking ended.
pub enum ChangeOutcome {
    Done,
    /// Past the cut-off, or already cancelled: the page explains what to do instead.
    NotChangeable,
    SlotTaken,
    Invalid(Vec<FieldError>),
    /// Moved `MOVES_PER_BOOKING` times already: further moves go through the practice.
    TooManyMoves,
}

fn booking_zone(booking: &Booking, fallback: Tz) -> Tz {
    viewer_zone(Some(&booking.client_zone), fallback)
}

/// Cancels the booking a manage link names; the slot frees at once.
pub async fn cancel(
    state: &AppState,
    raw_token: &str,
    now: DateTime<Utc>,
) -> Result<ChangeOutcome, AppError> {
    let (
        manage,
        Managed {
            booking,
            changeable,
        },
    ) = open_managed(state, raw_token, now).await?;
    if !changeable {
        return Ok(ChangeOutcome::NotChangeable);
    }
    let slot = ConsultSlot {
        start: booking.starts_at,
        end: booking.ends_at,
    };
    let zone = booking_zone(&booking, state.config.practice_zone);
    let email = consult_email(
        state,
        &booking.reference,
        slot,
        zone,
        Some(&manage),
        &booking.request_key,
        booking.sequence + 1,
    );
    let mut emails = vec![templates::consult_cancelled_practice(&email)];
    for r in booking_recipients(state, &booking, &email).await? {
        emails.push(templates::consult_cancellation(&r.email, &r.to, &r.name));
    }
    if state
        .db
        .cancel_booking(booking.id, None, &emails, None, now)
        .await?
    {
        tracing::info!("consult cancelled");
    }
    Ok(ChangeOutcome::Done)
}

/// How the practice's cancellation of a consult ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeCancel {
    Cancelled,
    /// No live consult (cancelled meanwhile, or a double click).
    NothingLive,
    /// The live consult is not the one the clinician saw: moved, or cancelled and rebooked.
    Changed,
    /// It has started: what happened is the practice's record now, not a cancellation.
    Started,
}

/// The practice cancels a questionnaire's live consult, the one the clinician saw (`seen`: its
/// id and calendar sequence): the client is told by email, without a link (the server never
/// holds it), and the time frees at once.
pub async fn cancel_by_practice(
    state: &AppState,
    submission: &Submission,
    seen: (BookingId, i32),
    clinician: ClinicianId,
    now: DateTime<Utc>,
) -> Result<PracticeCancel, AppError> {
    let Some(booking) = live_booking(state, submission).await? else {
        return Ok(PracticeCancel::NothingLive);
    };
    if (booking.id, booking.sequence) != seen {
        return Ok(PracticeCancel::Changed);
    }
    if booking.starts_at <= now {
        return Ok(PracticeCancel::Started);
    }
    let slot = ConsultSlot {
        start: booking.starts_at,
        end: booking.ends_at,
    };
    let zone = booking_zone(&booking, state.config.practice_zone);
    let email = consult_email(
        state,
        &booking.reference,
        slot,
        zone,
        None,
        &booking.request_key,
        booking.sequence + 1,
    );
    let emails: Vec<NewEmail> = booking_recipients(state, &booking, &email)
        .await?
        .iter()
        .map(|r| templates::consult_cancelled_by_practice(&r.email, &r.to, &r.name))
        .collect();
    // Only that version of it: a move between the read above and here bumps the sequence.
    let audit = Audit::new(
        clinician,
        AuditAction::CancelConsult,
        Some(submission.id),
        now,
    );
    let cancelled = state
        .db
        .cancel_booking(booking.id, Some(seen.1), &emails, Some(&audit), now)
        .await?;
    if !cancelled {
        // Cancelled by the client a moment ago, or moved: say which.
        return Ok(match live_booking(state, submission).await? {
            None => PracticeCancel::NothingLive,
            Some(_) => PracticeCancel::Changed,
        });
    }
    tracing::info!(?clinician, "consult cancelled by the practice");
    Ok(PracticeCancel::Cancelled)
}

/// Moves the booking a manage link names to another open time.
pub async fn reschedule(
    state: &AppState,
    raw_token: &str,
    request: &BookRequest,
    now: DateTime<Utc>,
) -> Result<ChangeOutcome, AppError> {
    let (
        manage,
        Managed {
            booking,
            changeable,
        },
    ) = open_managed(state, raw_token, now).await?;
    if !changeable {
        return Ok(ChangeOutcome::NotChangeable);
    }
    let Some(start) = parse_slot(&request.slot) else {
        return Ok(ChangeOutcome::Invalid(vec![FieldError {
            field: "slot".into(),
            message: "Please choose a new time first.".into(),
        }]));
    };
    if start == booking.starts_at {
        // A repeated request (double click): already where it should be.
        return Ok(ChangeOutcome::Done);
    }
    // Each move mails the client and the practice; the calendar sequence counts them.
    if i64::from(booking.sequence) >= state.config.moves_per_booking {
        return Ok(ChangeOutcome::TooManyMoves);
    }
    let client_zone = viewer_zone(Some(&request.tz), state.config.practice_zone);
    let consult_rules = state.db.consult_rules().await?;
    let slot = ConsultSlot {
        start,
        end: start + consult_rules.length(),
    };
    let request_key = booking.request_key.clone();
    let email = consult_email(
        state,
        &booking.reference,
        slot,
        client_zone,
        Some(&manage),
        &request_key,
        booking.sequence + 1,
    );
    let recipients = booking_recipients(state, &booking, &email).await?;
    // Each calendar tried gets messages naming its clinician's place.
    let emails = |place: Option<&ConsultPlace>| {
        let mut emails = vec![templates::consult_moved_practice(&email)];
        for r in &recipients {
            let email = r.email.at(place);
            emails.push(templates::consult_moved(&email, &r.to, &r.name));
            emails.extend(reminder(state, &email, &r.to, &r.name, now));
        }
        emails
    };
    let new = NewBooking {
        submission_id: booking.submission_id,
        practice_zone: &booking.practice_zone,
        client_zone: client_zone.name(),
        client_name: &booking.client_name,
        client_email: &booking.client_email,
        client_phone: &booking.client_phone,
        manage_token_hash: &manage.hash(),
        request_key: &request_key,
        booked_by: None,
        for_couple: booking.for_couple,
        audit: None,
        hold_override: None,
        routing: None,
    };
    let (plan, _) = plan(state, booking.submission_id, booking.for_couple).await?;
    let attempt = try_calendars(
        state,
        &new,
        Some(booking.id),
        &consult_rules,
        start,
        &emails,
        now,
        &plan,
    )
    .await?;
    Ok(match attempt {
        BookAttempt::Booked(_) | BookAttempt::AlreadyDone(_) => {
            tracing::info!("consult moved");
            ChangeOutcome::Done
        }
        BookAttempt::SubmissionHasBooking
        | BookAttempt::PartnerHasBooking
        | BookAttempt::NotOffered => ChangeOutcome::SlotTaken,
        BookAttempt::Gone => ChangeOutcome::NotChangeable,
    })
}

//! Who hears about a consult, each through their own channel.

use super::*;

/// Someone the practice writes to about a consult, each through their own channel.
pub(super) struct Recipient {
    pub(super) to: String,
    pub(super) name: String,
    /// Their own message: with the calendar file only if they did not say it is unsafe, and
    /// the manage link only for the person who holds it.
    pub(super) email: ConsultEmail,
}

/// The recipients of a message about an existing booking (see [`recipients`]).
pub(super) async fn booking_recipients(
    state: &AppState,
    booking: &Booking,
    email: &ConsultEmail,
) -> Result<Vec<Recipient>, AppError> {
    let booker = (booking.client_email.as_str(), booking.client_name.as_str());
    recipients(
        state,
        booking.submission_id,
        booking.for_couple,
        booker,
        email,
    )
    .await
}

/// Who hears about a consult besides the practice: the client it was booked on, at the
/// address given with the booking; and for a couple's consult, the other partner at the safe
/// email they gave at their own private check-in, if they gave one (without the manage link,
/// which is the booker's, and never with the booker's details). Nobody's address or name
/// reaches the other's message.
pub(super) async fn recipients(
    state: &AppState,
    submission: crate::server::db::SubmissionId,
    for_couple: bool,
    booker: (&str, &str),
    email: &ConsultEmail,
) -> Result<Vec<Recipient>, AppError> {
    let calendar_ok =
        |contact: &Option<SafeContact>| contact.as_ref().is_some_and(SafeContact::calendar_allowed);
    let own = state.db.safe_contact(submission).await?;
    let mut out = vec![Recipient {
        to: booker.0.to_owned(),
        name: booker.1.to_owned(),
        email: ConsultEmail {
            calendar_ok: calendar_ok(&own),
            ..email.clone()
        },
    }];
    if !for_couple {
        return Ok(out);
    }
    let Some((couple, role)) = state.db.couple_of(submission).await? else {
        return Ok(out);
    };
    let Some(other) = state.db.partner_submission(couple, role.other()).await? else {
        return Ok(out);
    };
    let contact = state.db.safe_contact(other).await?;
    if let Some(to) = contact.as_ref().and_then(|c| c.email.clone()) {
        let name = contact
            .as_ref()
            .and_then(|c| c.ask_for.clone())
            .unwrap_or_else(|| "there".to_owned());
        out.push(Recipient {
            to,
            name,
            email: ConsultEmail {
                calendar_ok: calendar_ok(&contact),
                manage_url: None,
                ..email.clone()
            },
        });
    }
    Ok(out)
}

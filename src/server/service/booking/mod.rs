//! Booking a consult, between HTTP and the database: list open slots, book, move, cancel.
//!
//! Slots come from `domain::booking::slots`; the database layer locks the clinician's calendar
//! and calls back into the same rules, so a slot is re-checked against every booking committed
//! before it (see `db::bookings`). Messages to the practice and the client are queued in the
//! booking's own transaction.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::domain::booking::{self as rules, Availability, Busy, ConsultRules, ConsultSlot};
use crate::domain::contact::{parse_contact, ContactDetails, ContactError, ContactForm};
use crate::domain::safe_contact::SafeContact;
use crate::server::db::{
    Audit, AuditAction, BookAttempt, Booking, BookingId, BookingStatus, ClinicianCalendar,
    ClinicianId, NewBooking, NewEmail, Submission, SubmissionStatus,
};
use crate::server::email::templates::{self, ConsultEmail, ConsultPlace};
use crate::server::error::{AppError, FieldError};
use crate::server::service::questionnaire::{self as questionnaire, Opened};
use crate::server::state::AppState;
use crate::server::tokens::{is_request_key, next_request_key, ManageToken, ResumeToken};

mod changes;
mod recipients;
mod routing;

pub use changes::*;
use recipients::{booking_recipients, recipients};
use routing::{offered_by_others, try_calendars};
pub use routing::{plan, Plan};

/// What a client sees before picking a time.
pub struct OpenSlots {
    pub slots: Vec<ConsultSlot>,
    pub rules: ConsultRules,
}

/// How a booking request ended, as the client should hear it.
pub enum BookOutcome {
    /// Booked (now, or by an earlier identical request): the manage link's secret.
    Booked(ManageToken),
    /// Somebody else took the time first, or it is no longer offered.
    SlotTaken,
    /// This questionnaire already has a consult booked.
    AlreadyBooked(ManageToken),
    /// The other partner booked the couple's consult a moment earlier.
    PartnerBooked,
    /// Fields to fix, each with a message for the person.
    Invalid(Vec<FieldError>),
    /// This questionnaire has booked `BOOKINGS_PER_DAY` times in the last 24 hours: the
    /// practice arranges any more (a script booking and cancelling would send mail each time).
    TooManyToday,
}

/// A booking opened by its manage link, with whether it may still be changed online.
pub struct Managed {
    pub booking: Booking,
    pub changeable: bool,
}

/// The viewer's zone from a `tz` parameter, or `fallback` when it is missing or unknown.
pub fn viewer_zone(raw: Option<&str>, fallback: Tz) -> Tz {
    raw.and_then(|name| rules::parse_zone(name.trim()).ok())
        .unwrap_or(fallback)
}

/// A questionnaire that was not finished yet: it cannot book, and its link goes back to it.
#[derive(Debug)]
pub struct Unfinished;

/// Opens a submitted questionnaire for booking.
pub async fn open_submitted(
    state: &AppState,
    raw_token: &str,
) -> Result<Result<Submission, Unfinished>, AppError> {
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    if submission.status != SubmissionStatus::Submitted {
        return Ok(Err(Unfinished));
    }
    Ok(Ok(submission))
}

/// The live booking of a questionnaire, if it has one.
pub async fn live_booking(
    state: &AppState,
    submission: &Submission,
) -> Result<Option<Booking>, AppError> {
    Ok(state
        .db
        .booking_for_submission(submission.id)
        .await?
        .filter(|b| b.status == BookingStatus::Booked))
}

/// The manage link of `live`, when the client booked it from the private link `token`
/// (`None` when the practice booked it: that link is in the client's email only, never
/// derivable from the private link).
pub async fn own_manage_token(
    state: &AppState,
    token: &ResumeToken,
    live: &Booking,
) -> Result<Option<ManageToken>, AppError> {
    for manage in [
        token.manage_token(&live.request_key),
        token.legacy_manage_token(),
    ] {
        let found = state.db.booking_by_manage_hash(&manage.hash()).await?;
        if found.is_some_and(|b| b.id == live.id) {
            return Ok(Some(manage));
        }
    }
    Ok(None)
}

fn availability(state: &AppState, calendar: &ClinicianCalendar) -> Availability {
    Availability::new(
        state.config.practice_zone,
        calendar.weekly.clone(),
        calendar.days_off.clone(),
    )
}

/// The bookings that can affect slots between now and the horizon, with a day to spare on
/// each side for buffers.
fn busy_window(rules: &ConsultRules, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        now - Duration::days(1),
        now + rules.horizon() + Duration::days(1),
    )
}

/// Every consult start any clinician offers, earliest first. Two clinicians free at the same
/// time show as one slot; booking picks whichever is still free.
pub async fn open_slots(state: &AppState, now: DateTime<Utc>) -> Result<OpenSlots, AppError> {
    let consult_rules = state.db.consult_rules().await?;
    let calendars = state.db.bookable_calendars().await?;
    let (from, to) = busy_window(&consult_rules, now);
    let busy = state.db.busy_between(from, to).await?;
    let mut all: Vec<ConsultSlot> = calendars
        .iter()
        .flat_map(|calendar| {
            let taken = busy
                .get(&calendar.clinician_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            rules::slots(&availability(state, calendar), &consult_rules, taken, now)
        })
        .collect();
    all.sort();
    all.dedup_by_key(|s| s.start);
    Ok(OpenSlots {
        slots: all,
        rules: consult_rules,
    })
}

/// A booking (or a move) as its form asked for it, read from the posted fields at the edge.
#[derive(Debug, Clone, Default)]
pub struct BookRequest {
    /// The consult's start as the form sent it (an RFC 3339 instant).
    pub slot: String,
    /// The form's key, so a double click books once.
    pub request_key: String,
    /// The client's zone, when the form says it.
    pub tz: String,
    /// For a partner: `couple` (together) or `client` (on their own).
    pub for_whom: String,
    /// A clinician booking a couple's consult during a safety hold ticked that safety was
    /// assessed, and said why it is right to book together now.
    pub safety_assessed: bool,
    pub override_reason: String,
    /// The practice books with any free clinician, not only one who fits the recommendation.
    pub any_clinician: bool,
    pub contact: ContactForm,
}

impl BookRequest {
    pub fn from_form(form: &[(String, String)]) -> Self {
        let field = |name: &str| crate::domain::form::value(form, name).trim().to_owned();
        BookRequest {
            slot: field("slot"),
            request_key: field("request_key"),
            tz: field("tz"),
            for_whom: field("for"),
            safety_assessed: field("safety_assessed") == "yes",
            override_reason: field("override_reason"),
            any_clinician: field("any_clinician") == "yes",
            contact: ContactForm::from_form(form),
        }
    }
}

/// Parses the `slot` field: the consult's start as an RFC 3339 instant.
pub fn parse_slot(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn invalid(field: &str, message: &str) -> BookOutcome {
    BookOutcome::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// What the emails about one consult say.
fn consult_email(
    state: &AppState,
    reference: &str,
    slot: ConsultSlot,
    client_zone: Tz,
    manage: Option<&ManageToken>,
    uid_key: &str,
    sequence: i32,
) -> ConsultEmail {
    let config = &state.config;
    ConsultEmail {
        practice_name: config.practice_name.clone(),
        practice_email: config.practice_email.clone(),
        from: config.mail.from.clone(),
        base_url: config.public_base_url.clone(),
        reference: reference.to_owned(),
        start: slot.start,
        end: slot.end,
        practice_zone: config.practice_zone,
        client_zone,
        manage_url: manage.map(|m| format!("{}/b/{}", config.public_base_url, m.as_str())),
        uid: templates::calendar_uid(uid_key, &config.public_base_url),
        sequence,
        calendar_ok: true,
        place: None,
    }
}

/// The client's reminder, if its time is still ahead (a consult booked at short notice gets
/// only its confirmation).
fn reminder(
    state: &AppState,
    email: &ConsultEmail,
    to: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Option<NewEmail> {
    let at = email.start - Duration::hours(state.config.reminder_hours_before);
    (at > now).then(|| templates::consult_reminder(email, to, name, at))
}

/// Who is booking a consult.
#[derive(Debug, Clone, Copy)]
enum Booker {
    /// The client, online, from their own private link.
    Client,
    /// A clinician, for a client they spoke to (by phone, say).
    Clinician(ClinicianId),
}

impl Booker {
    /// A refused contact field, said to whoever is booking: the client's own words ask about
    /// "you", a clinician's about the client.
    fn says(self, error: &ContactError, contact: &ContactForm) -> &'static str {
        let Booker::Clinician(_) = self else {
            return error.message;
        };
        let empty = contact.typed(error.field).trim().is_empty();
        match error.field {
            "consent" => {
                "Please confirm that the client agreed to be contacted about this consult."
            }
            "name" if empty => "Please give the client's name.",
            "email" if empty => "Please give the client's email address, for their confirmation.",
            "phone" if empty => "Please give the client's phone number.",
            _ => error.message,
        }
    }
}

/// Books the consult a client picked, with their contact details.
pub async fn book(
    state: &AppState,
    raw_token: &str,
    request: &BookRequest,
    now: DateTime<Utc>,
) -> Result<BookOutcome, AppError> {
    let token = ResumeToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let submission = match open_submitted(state, raw_token).await? {
        Ok(submission) => submission,
        Err(_) => return Err(AppError::NotFound),
    };
    // A partner books together only when asked and allowed (the page checks the couple's
    // offer first); otherwise, as for someone on their own, it is their own consult.
    let in_couple = state.db.couple_of(submission.id).await?.is_some();
    let for_couple = in_couple
        && request.for_whom == "couple"
        && crate::server::service::couples::may_book_together(state, submission.id).await?;
    // Booking and cancelling in a loop would send a confirmation to any address typed and a
    // notice to the practice each time (security review 3, N6): a few a day is plenty.
    let since = now - chrono::Duration::hours(24);
    let made = state
        .db
        .bookings_made_since(submission.id, since, &request.request_key)
        .await?;
    if made >= state.config.bookings_per_day {
        return Ok(BookOutcome::TooManyToday);
    }
    let booker = Booker::Client;
    book_submission(
        state,
        &submission,
        ManageSecret::Derived(token),
        booker,
        for_couple,
        None,
        request,
        now,
    )
    .await
}

/// The longest reason a clinician can give for booking together during a safety hold.
pub const OVERRIDE_REASON_MAX_CHARS: usize = 500;

/// A clinician books a couple's consult while a partner's check-in holds joint sessions only
/// by saying that safety was assessed, and why: the reason, or what to fix.
fn hold_override(request: &BookRequest) -> Result<String, BookOutcome> {
    if !request.safety_assessed {
        return Err(invalid(
            "safety_assessed",
            "A private check-in holds joint sessions for this couple. Tick the box to confirm \
             that safety was assessed with each partner on their own, or book a consult for \
             this client only.",
        ));
    }
    let reason: String = request
        .override_reason
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > OVERRIDE_REASON_MAX_CHARS {
        return Err(invalid(
            "override_reason",
            "Say in up to 500 characters why booking together is right now.",
        ));
    }
    Ok(reason.to_owned())
}

/// Books a consult the practice arranged with a client: the same rules and locks as a
/// client's own booking. The client gets the confirmation, the reminder and a private link of
/// their own to move or cancel it; the practice is not emailed about its own booking.
pub async fn book_for_client(
    state: &AppState,
    submission: &Submission,
    clinician: &crate::server::db::Clinician,
    request: &BookRequest,
    now: DateTime<Utc>,
) -> Result<BookOutcome, AppError> {
    // Booking outside the recommendation is a clinical decision.
    if request.any_clinician && !clinician.role.is_clinical() {
        return Err(AppError::CliniciansOnly);
    }
    if submission.status != SubmissionStatus::Submitted {
        return Ok(invalid(
            "form",
            "This questionnaire is not finished yet, so there is nothing to book for.",
        ));
    }
    // For a partner, the clinician says whose consult it is: an individual consult (after a
    // private check-in, say) must never show on the other partner's pages.
    let in_couple = state.db.couple_of(submission.id).await?.is_some();
    let for_couple = match (in_couple, request.for_whom.as_str()) {
        (false, _) => false,
        (true, "couple") => true,
        (true, "client") => false,
        (true, _) => return Ok(invalid("for", "Please choose who this consult is for.")),
    };
    // A partner's check-in asks for review, or a partner never answered it: booking them
    // together is a clinician's decision, with a reason (clinical review 3, N9).
    let held = for_couple
        && crate::server::service::couples::staff_hold(state, submission.id)
            .await?
            .held();
    // So is booking a couple together through a safety hold.
    if held && !clinician.role.is_clinical() {
        return Err(AppError::CliniciansOnly);
    }
    let reason = match held.then(|| hold_override(request)).transpose() {
        Ok(reason) => reason,
        Err(outcome) => return Ok(outcome),
    };
    let manage = ManageSecret::Fresh(ManageToken::generate());
    let booker = Booker::Clinician(clinician.id);
    let reason = reason.as_deref();
    book_submission(
        state, submission, manage, booker, for_couple, reason, request, now,
    )
    .await
}

/// Where a booking's manage link comes from.
enum ManageSecret {
    /// The client's own booking: derived from their private link and the booking's key, so
    /// that link finds its manage page again.
    Derived(ResumeToken),
    /// The practice's booking: a fresh secret, sent to the client only by email.
    Fresh(ManageToken),
}

#[allow(clippy::too_many_arguments)]
async fn book_submission(
    state: &AppState,
    submission: &Submission,
    manage: ManageSecret,
    booker: Booker,
    for_couple: bool,
    hold_override: Option<&str>,
    request: &BookRequest,
    now: DateTime<Utc>,
) -> Result<BookOutcome, AppError> {
    let Some(start) = parse_slot(&request.slot) else {
        return Ok(invalid("slot", "Please choose a time first."));
    };
    let mut request_key = request.request_key.clone();
    if !is_request_key(&request_key) {
        return Ok(invalid(
            "form",
            "The form could not be read. Please reload the page and try again.",
        ));
    }
    // A form sent again after its consult was cancelled (Back, then "Book") is a new booking:
    // its key has done its job, and the new consult needs a calendar entry of its own. The next
    // key follows from the cancelled one, so a double click on that old form still books once.
    for _ in 0..8 {
        match state.db.cancelled_by_key(&request_key).await? {
            Some(cancelled) => request_key = next_request_key(&request_key, cancelled.0),
            None => break,
        }
    }
    let manage = match manage {
        ManageSecret::Derived(token) => token.manage_token(&request_key),
        ManageSecret::Fresh(fresh) => fresh,
    };
    // A clinician books in the practice's time; the client's zone is theirs to tell.
    let client_zone = match booker {
        Booker::Client => viewer_zone(Some(&request.tz), state.config.practice_zone),
        Booker::Clinician(_) => state.config.practice_zone,
    };
    let details: ContactDetails = match parse_contact(&request.contact) {
        Ok(details) => details,
        Err(errors) => {
            return Ok(BookOutcome::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: e.field.into(),
                        message: booker.says(&e, &request.contact).into(),
                    })
                    .collect(),
            ))
        }
    };
    let consult_rules = state.db.consult_rules().await?;
    let slot = ConsultSlot {
        start,
        end: start + consult_rules.length(),
    };
    let email = consult_email(
        state,
        &submission.reference,
        slot,
        client_zone,
        Some(&manage),
        &request_key,
        0,
    );
    let (to, name) = (details.email.as_str(), details.name.as_str());
    let recipients = recipients(state, submission.id, for_couple, (to, name), &email).await?;
    // Each calendar tried gets messages naming its clinician's place.
    let emails = |place: Option<&ConsultPlace>| {
        let mut emails = Vec::with_capacity(5);
        if let Booker::Client = booker {
            emails.push(templates::consult_booked_practice(&email));
        }
        for r in &recipients {
            let email = r.email.at(place);
            emails.push(templates::consult_confirmation(&email, &r.to, &r.name));
            emails.extend(reminder(state, &email, &r.to, &r.name, now));
        }
        emails
    };
    let audit = match booker {
        Booker::Client => None,
        Booker::Clinician(id) => Some(Audit::new(
            id,
            AuditAction::BookConsult,
            Some(submission.id),
            now,
        )),
    };
    let new = NewBooking {
        submission_id: submission.id,
        practice_zone: state.config.practice_zone.name(),
        client_zone: client_zone.name(),
        client_name: name,
        client_email: to,
        client_phone: details.phone.as_str(),
        manage_token_hash: &manage.hash(),
        request_key: &request_key,
        booked_by: match booker {
            Booker::Client => None,
            Booker::Clinician(id) => Some(id),
        },
        for_couple,
        audit: audit.as_ref(),
        hold_override,
        routing: None,
    };
    let (mut plan, recommendation) = plan(state, submission.id, for_couple).await?;
    if let Booker::Clinician(_) = booker {
        // The practice books only with a clinician who fits, unless it says otherwise.
        plan.only_fitting = !request.any_clinician;
        plan.overridden = request.any_clinician;
    }
    let attempt = try_calendars(
        state,
        &new,
        None,
        &consult_rules,
        start,
        &emails,
        now,
        &plan,
    )
    .await?;
    // Not offered by anyone who fits, but by someone else: say so, rather than "taken".
    let refused_for_fit = matches!(attempt, BookAttempt::NotOffered)
        && plan.only_fitting
        && !plan.fitting.is_empty()
        && offered_by_others(state, &plan, start, now).await?;
    if refused_for_fit {
        let need = crate::domain::routing::needs(recommendation)
            .map(|s| s.label())
            .unwrap_or("accepting new couples");
        return Ok(BookOutcome::Invalid(vec![FieldError {
            field: "slot".into(),
            message: format!(
                "No clinician who fits this client's recommendation ({need}) is free then. Pick \
                 another time, or tick \"Book with any free clinician\"."
            ),
        }]));
    }
    Ok(match attempt {
        BookAttempt::Booked(_) => {
            tracing::info!(?booker, "consult booked");
            BookOutcome::Booked(manage)
        }
        BookAttempt::AlreadyDone(_) => BookOutcome::Booked(manage),
        BookAttempt::SubmissionHasBooking => BookOutcome::AlreadyBooked(manage),
        BookAttempt::PartnerHasBooking => BookOutcome::PartnerBooked,
        BookAttempt::NotOffered | BookAttempt::Gone => BookOutcome::SlotTaken,
    })
}

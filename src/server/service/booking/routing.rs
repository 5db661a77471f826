//! Routing a consult to a clinician whose profile fits the recommendation (see
//! `domain::routing`), and trying their calendars.

use super::*;

/// Which calendars a booking tries, and in what order: those that fit the recommendation
/// first (see `domain::routing`).
pub struct Plan {
    /// Clinicians who fit, in calendar order.
    pub fitting: Vec<ClinicianId>,
    /// Only the fitting ones may take it (the practice booking without an override).
    pub only_fitting: bool,
    /// The practice chose any free clinician on purpose.
    pub overridden: bool,
    /// Where each clinician with a profile sees clients (for the messages).
    pub places: std::collections::HashMap<ClinicianId, ConsultPlace>,
}

/// The plan for a consult on `submission` (`for_couple`: the couple's, together). A consult
/// for one person is planned on their own answers only (see `couples::recommendation`).
pub async fn plan(
    state: &AppState,
    submission: crate::server::db::SubmissionId,
    for_couple: bool,
) -> Result<(Plan, crate::domain::couple::Recommendation), AppError> {
    let recommendation =
        crate::server::service::couples::recommendation(state, submission, for_couple).await?;
    let profiles = state.db.clinician_profiles().await?;
    let fitting = state
        .db
        .bookable_calendars()
        .await?
        .iter()
        .map(|c| c.clinician_id)
        .filter(|id| {
            let profile = profiles.get(id).cloned().unwrap_or_default();
            crate::domain::routing::fits(recommendation, for_couple, &profile)
        })
        .collect();
    let places = profiles
        .iter()
        .map(|(id, p)| {
            let place = ConsultPlace {
                video: p.format == crate::domain::routing::ConsultFormat::Video,
                place: p.place.clone(),
            };
            (*id, place)
        })
        .collect();
    let plan = Plan {
        fitting,
        only_fitting: false,
        overridden: false,
        places,
    };
    Ok((plan, recommendation))
}

/// Whether a clinician outside the plan's fitting ones offers `start` now.
pub(super) async fn offered_by_others(
    state: &AppState,
    plan: &Plan,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let consult_rules = state.db.consult_rules().await?;
    let (from, to) = busy_window(&consult_rules, now);
    let busy = state.db.busy_between(from, to).await?;
    Ok(state
        .db
        .bookable_calendars()
        .await?
        .iter()
        .filter(|c| !plan.fitting.contains(&c.clinician_id))
        .any(|calendar| {
            let taken = busy
                .get(&calendar.clinician_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            rules::slots(&availability(state, calendar), &consult_rules, taken, now)
                .iter()
                .any(|slot| slot.start == start)
        }))
}

/// Tries each clinician who offers consults until one can take the slot: those who fit the
/// recommendation first, then (unless the plan allows only those) the others, each booking
/// recording why it went where it did.
#[allow(clippy::too_many_arguments)]
pub(super) async fn try_calendars(
    state: &AppState,
    new: &NewBooking<'_>,
    reschedule: Option<BookingId>,
    consult_rules: &ConsultRules,
    start: DateTime<Utc>,
    emails: &(dyn Fn(Option<&ConsultPlace>) -> Vec<NewEmail> + Sync),
    now: DateTime<Utc>,
    plan: &Plan,
) -> Result<BookAttempt, AppError> {
    use crate::domain::routing::Routing;
    let zone = state.config.practice_zone;
    let check = |calendar: &ClinicianCalendar, busy: &[Busy]| {
        let avail = Availability::new(zone, calendar.weekly.clone(), calendar.days_off.clone());
        rules::offered(&rules::slots(&avail, consult_rules, busy, now), start)
    };
    let mut calendars = state.db.bookable_calendars().await?;
    // Stable: within each group, the usual calendar order.
    calendars.sort_by_key(|c| !plan.fitting.contains(&c.clinician_id));
    let nobody_fits = plan.fitting.is_empty();
    for calendar in calendars {
        let fits = plan.fitting.contains(&calendar.clinician_id);
        if plan.only_fitting && !fits && !nobody_fits {
            continue;
        }
        let routing = match (plan.overridden, fits) {
            (true, _) => Routing::Override,
            (false, true) => Routing::Matched,
            (false, false) => Routing::NoFit,
        };
        let attempt_new = NewBooking {
            routing: Some(routing),
            ..*new
        };
        let emails = emails(plan.places.get(&calendar.clinician_id));
        let attempt = state
            .db
            .book_consult(
                calendar.clinician_id,
                &attempt_new,
                reschedule,
                &check,
                busy_window(consult_rules, now),
                &emails,
                now,
            )
            .await?;
        if !matches!(attempt, BookAttempt::NotOffered) {
            return Ok(attempt);
        }
    }
    Ok(BookAttempt::NotOffered)
}

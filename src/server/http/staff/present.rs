//! Builds the view models of a submission's page: the answers, the couple side by side, the
//! consult and the form to arrange one. The referrals card is built in `present_referrals`.

use chrono::Utc;

use super::present_referrals::{referrals_card, REFER_FIELDS};
use super::reading::{answer_rows, readiness_notes};
use super::{find_submission, local, status_label};
use crate::domain::form;
use crate::domain::workflow::WorkflowStatus;
use crate::server::db::{
    AuditAction, BookingStatus, HistoryItem, Submission, SubmissionId, SubmissionStatus,
};
use crate::server::http::error::{AppError, FieldError};
use crate::server::service::booking;
use crate::server::service::workspace;
use crate::server::state::AppState;
use crate::server::tokens::request_key_or_new;
use crate::ui::pages::staff::{
    ArrangeConsult, BookingSummary, CancelConsult, CoupleReportView, CoupleSummary,
    DeleteSubmission, FirstContactForm, IntakeCard, OwnerCard, SafetyPathway, SubmissionDetail,
};

/// The "book a consult" form, for a finished questionnaire without a live consult.
pub(super) async fn arrange_form(
    state: &AppState,
    submission: &Submission,
    couple: &CoupleSummary,
    clinical: bool,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<Option<ArrangeConsult>, AppError> {
    if submission.status != SubmissionStatus::Submitted {
        return Ok(None);
    }
    let hold_on = crate::server::service::couples::staff_hold(state, submission.id)
        .await?
        .held();
    let zone = state.config.practice_zone;
    let open = booking::open_slots(state, Utc::now()).await?;
    let value = |name: &str| form::value(sent, name).to_owned();
    let request_key = request_key_or_new(form::value(sent, "request_key"));
    Ok(Some(ArrangeConsult {
        action: format!("/staff/submissions/{}/book", submission.reference),
        zone: zone.name().replace('_', " "),
        days: crate::server::http::booking::slot_days(&open.slots, zone),
        slot: value("slot"),
        request_key,
        name: value("name"),
        email: value("email"),
        phone: value("phone"),
        consent: value("consent") == "yes",
        // A positive check-in in the couple: this client's own consult comes first.
        for_couple: couple.role.map(|_| match value("for").as_str() {
            "couple" => true,
            "client" => false,
            _ => couple.safety.is_empty(),
        }),
        hold: hold_on,
        clinical,
        any_clinician: value("any_clinician") == "yes",
        safety_assessed: value("safety_assessed") == "yes",
        override_reason: value("override_reason"),
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }))
}

pub(super) async fn submission_detail(
    state: &AppState,
    viewer: &crate::server::db::Clinician,
    reference: &str,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<(SubmissionDetail, String), AppError> {
    let submission = find_submission(state, reference).await?;
    // Every view is recorded before anything is shown.
    let view = AuditAction::ViewSubmission;
    workspace::record_view(state, viewer.id, view, Some(&submission), Utc::now()).await?;
    let clinical = viewer.role.is_clinical();
    let result = state.db.result(submission.id).await?;
    let saved = state
        .db
        .answers(submission.id, submission.instrument)
        .await?;
    let history = state
        .db
        .history(submission.id)
        .await?
        .into_iter()
        .map(|h| {
            let what = match h.what {
                HistoryItem::Moved { from, to } => format!(
                    "Moved from {} to {}",
                    WorkflowStatus::parse(&from).map_or(from.as_str(), |w| w.label()),
                    WorkflowStatus::parse(&to).map_or(to.as_str(), |w| w.label()),
                ),
                HistoryItem::Note(body) => format!("Note: {body}"),
            };
            (local(h.at, state.config.practice_zone), h.by, what)
        })
        .collect();
    let answers = answer_rows(&saved);
    let readiness_notes = readiness_notes(&saved, result.as_ref());
    let workflow_key = submission.workflow.as_str().to_owned();
    let zone = state.config.practice_zone;
    // A couple has one consult: the partner's live booking is this submission's too.
    let own = state.db.booking_for_submission(submission.id).await?;
    let (booking, on_partner) = match own {
        Some(b) if b.status == BookingStatus::Booked => (Some(b), false),
        own => {
            match crate::server::service::couples::partner_booking(state, submission.id).await? {
                Some(partner) => (Some(partner), true),
                None => (own, false),
            }
        }
    };
    let live = booking
        .as_ref()
        .is_some_and(|b| b.status == BookingStatus::Booked);
    // A refused "cancel" or "delete" is said at its own field; the rest belong to the booking
    // form.
    let (contact_errors, errors): (Vec<FieldError>, Vec<FieldError>) = errors
        .into_iter()
        .partition(|e| FIRST_CONTACT_FIELDS.contains(&e.field.as_str()));
    let (mut own, errors): (Vec<FieldError>, Vec<FieldError>) = errors
        .into_iter()
        .partition(|e| e.field == "confirm" || e.field == "confirm_reference");
    let mut take = |field: &str| {
        own.iter()
            .position(|e| e.field == field)
            .map(|i| own.remove(i).message)
    };
    let cancel_error = take("confirm");
    let delete_error = take("confirm_reference");
    let (refer_errors, errors): (Vec<FieldError>, Vec<FieldError>) = errors
        .into_iter()
        .partition(|e| REFER_FIELDS.contains(&e.field.as_str()));
    let couple = couple_summary(state, submission.id).await?;
    let intake = intake_card(state, &submission).await?;
    let owner = owner_card(state, &submission).await?;
    let pathway = pathway(state, &submission, clinical, contact_errors).await?;
    let referrals = referrals_card(state, &submission, sent, refer_errors).await?;
    let arrange = if live {
        None
    } else {
        arrange_form(state, &submission, &couple, clinical, sent, errors).await?
    };
    let booking = booking.map(|b| BookingSummary {
        when: format!(
            "{} ({})",
            crate::domain::booking::render_in(b.starts_at, zone),
            zone.name()
        ),
        minutes: (b.ends_at - b.starts_at).num_minutes(),
        clinician: b.clinician_name,
        cancelled: b.status == BookingStatus::Cancelled,
        individual: couple.role.is_some() && !b.for_couple,
        // Until it starts; afterwards what happened is the practice's record, not a cancel.
        cancel: (live && !on_partner && b.starts_at > Utc::now()).then(|| CancelConsult {
            action: format!("/staff/submissions/{}/consult/cancel", submission.reference),
            booking: b.id.0,
            sequence: b.sequence,
            error: cancel_error.clone(),
        }),
        on_partner: on_partner.then_some(b.reference),
        routing: b.routing.map(|r| match r {
            crate::domain::routing::Routing::Matched => "Fits the recommendation",
            crate::domain::routing::Routing::NoFit => {
                "No clinician's profile fits the recommendation: the first free calendar took it"
            }
            crate::domain::routing::Routing::Override => {
                "Booked with any free clinician (the practice's choice)"
            }
        }),
        client_name: b.client_name,
        client_email: b.client_email,
        client_phone: b.client_phone,
    });
    let detail = SubmissionDetail {
        couple,
        intake,
        owner,
        pathway,
        referrals,
        booking,
        arrange,
        delete: DeleteSubmission {
            action: format!("/staff/submissions/{}/delete", submission.reference),
            error: delete_error,
        },
        reference: submission.reference,
        workflow: submission.workflow.label(),
        moves: submission
            .workflow
            .next()
            .iter()
            .map(|w| (w.as_str(), w.label()))
            .collect(),
        history,
        started: local(submission.created_at, zone),
        status: status_label(submission.status),
        result,
        readiness_notes,
        answers,
        note: submission.note,
    };
    Ok((detail, workflow_key))
}

/// The fields of the "record a try to reach them" form, whose refusals are said there.
pub(super) const FIRST_CONTACT_FIELDS: [&str; 3] =
    ["contact_channel", "contact_outcome", "contacted_at"];

/// Reaching this client safely: consent, safe contact, first contact, hold overrides.
async fn pathway(
    state: &AppState,
    submission: &Submission,
    clinical: bool,
    errors: Vec<FieldError>,
) -> Result<SafetyPathway, AppError> {
    use crate::domain::safe_contact::{ContactChannel, ContactOutcome};
    let id = submission.id;
    let zone = state.config.practice_zone;
    let when = |t| local(t, zone);
    let consent = match state.db.latest_consent(id).await? {
        Some((version, at)) if version == state.config.consent.version => {
            format!(
                "Agreed to the practice's policy (version {version}) on {}.",
                when(at)
            )
        }
        Some((version, at)) => format!(
            "Agreed to an earlier version of the practice's policy ({version}) on {}; asked \
             again on their next visit.",
            when(at)
        ),
        None => "Has not agreed to the practice's policy yet.".to_owned(),
    };
    let safe_contact = state
        .db
        .safe_contact(id)
        .await?
        .map(|c| c.lines())
        .unwrap_or_default();
    let tries = state.db.first_contacts(id).await?;
    // The latest try that spoke with them privately: the individual conversation a held
    // couple needs with each partner (clinical review 3, N7).
    let spoke = tries
        .iter()
        .rev()
        .find(|c| c.outcome == ContactOutcome::Spoke)
        .map(|c| format!("{} ({})", when(c.contacted_at), c.by));
    let contacts = tries
        .into_iter()
        .map(|c| {
            format!(
                "{} · {} · {} · {}",
                when(c.contacted_at),
                c.channel.label(),
                c.outcome.label(),
                c.by
            )
        })
        .collect();
    let screen = state.db.safety_screen(id).await?;
    let needs_review = screen.as_ref().is_some_and(|s| s.is_positive());
    let leaving =
        crate::domain::couple::is_leaving(state.db.result(id).await?.and_then(|r| r.leaning));
    let prompts = screen
        .and_then(|s| s.flag_for(leaving))
        .map(|f| f.prompts())
        .unwrap_or_default();
    // Both partners of a held couple need an individual conversation, whichever check-in asked
    // for it (or was never answered): the form is there for each, and the card says whether it
    // was held. Separate from the needs-review queue, which only a positive check-in enters.
    let hold = crate::server::service::couples::staff_hold(state, id).await?;
    let (couple_hold, check_in_missing) = (hold.safety, hold.check_in_missing);
    let individual = hold.held().then_some(spoke);
    let contact_form = (needs_review || individual.is_some()).then(|| FirstContactForm {
        action: format!("/staff/submissions/{}/first-contact", submission.reference),
        channels: ContactChannel::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        // "Spoke with them privately" is a clinician's to record (it clears the queue).
        outcomes: ContactOutcome::ALL
            .iter()
            .filter(|o| clinical || **o != ContactOutcome::Spoke)
            .map(|o| (o.as_str(), o.label()))
            .collect(),
        zone: state.config.practice_zone.name().replace('_', " "),
        errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
    });
    let overrides = state
        .db
        .hold_overrides(id)
        .await?
        .into_iter()
        .map(|o| format!("{} · {}: {}", when(o.at), o.by, o.reason))
        .collect();
    Ok(SafetyPathway {
        consent,
        safe_contact,
        contacts,
        contact_form,
        needs_review,
        individual,
        couple_hold,
        check_in_missing,
        overrides,
        prompts,
        in_couple: state.db.couple_of(id).await?.is_some(),
    })
}

pub(super) fn safety_line(role: &str, flag: &crate::domain::couple::SafetyFlag) -> String {
    let list = |items: &[crate::domain::couple::SafetyItem]| {
        items
            .iter()
            .map(|i| i.question())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut line = if flag.urgent {
        format!("{role}: positive, urgent: review today.")
    } else {
        format!("{role}: positive.")
    };
    if !flag.disclosed.is_empty() {
        line.push_str(&format!(" Concerns: {}", list(&flag.disclosed)));
    }
    if !flag.declined.is_empty() {
        line.push_str(&format!(" Rather not say: {}", list(&flag.declined)));
    }
    line
}

/// The clinician's view of a submission's couple and private check-ins.
pub(super) async fn couple_summary(
    state: &AppState,
    id: SubmissionId,
) -> Result<CoupleSummary, AppError> {
    use crate::domain::couple::{PartnerRole, WhoDescribes};
    let own = state.db.safety_screen(id).await?;
    let own_check_in = match &own {
        None => "not answered yet".to_owned(),
        Some(screen) if screen.is_positive() => {
            "needs a clinician's review (see “Reaching this client safely”)".to_owned()
        }
        Some(_) => "answered, no concerns".to_owned(),
    };
    let Some((couple_id, role)) = state.db.couple_of(id).await? else {
        let leaving =
            crate::domain::couple::is_leaving(state.db.result(id).await?.and_then(|r| r.leaning));
        return Ok(CoupleSummary {
            safety: own
                .and_then(|s| s.flag_for(leaving))
                .map(|f| vec![safety_line("This client", &f)])
                .unwrap_or_default(),
            own_check_in,
            ..CoupleSummary::default()
        });
    };
    let (couple, ids) = crate::server::service::couples::load_couple(state, couple_id).await?;
    let partner = match ids.get(role.other()) {
        Some(other) => state
            .db
            .submission_reference(*other)
            .await?
            .map(|r| (role.other().label(), r)),
        None => None,
    };
    let flags = couple.flags();
    let safety = flags
        .safety
        .as_ref()
        .map(|hold| {
            hold.flags
                .iter()
                .filter_map(|(r, f)| f.as_ref().map(|f| safety_line(r.label(), f)))
                .collect()
        })
        .unwrap_or_default();
    let mixed_agenda = flags.mixed_agenda.as_ref().map(|m| m.describe());
    let report = couple.report().map(|r| CoupleReportView {
        versions: (r.instrument_versions.a != r.instrument_versions.b).then(|| {
            format!(
                "Partner A answered version {} of the questionnaire and Partner B version {}: \
                 their scores are not alike, so compare them with care.",
                r.instrument_versions.a, r.instrument_versions.b
            )
        }),
        overall: (r.overall.a, r.overall.b),
        dimensions: r
            .dimensions
            .iter()
            .map(|d| (d.dimension.label(), d.scores.a, d.scores.b))
            .collect(),
        topics: r
            .topics
            .iter()
            .map(|t| match t.concern {
                WhoDescribes::One(who) => format!("{} ({})", t.sentence(), who.label()),
                _ => t.sentence(),
            })
            .collect(),
        disagreements: r
            .disagreements
            .iter()
            .map(|d| {
                (
                    d.item.text.to_owned(),
                    d.answers.a.label(),
                    d.answers.b.label(),
                )
            })
            .collect(),
        roles: (role_words(r.roles.a), role_words(r.roles.b)),
        each_blames_the_other: r.each_blames_the_other(),
    });
    let recommendation = flags.recommendation();
    Ok(CoupleSummary {
        role: Some(match role {
            PartnerRole::A => "Partner A (invited the other)",
            PartnerRole::B => "Partner B (invited)",
        }),
        partner,
        safety,
        own_check_in,
        mixed_agenda,
        recommendation: Some((recommendation.label(), recommendation.description())),
        report,
    })
}

/// A partner's answer to "What has most affected trust between you?", for the couple card.
fn role_words(role: Option<crate::domain::questionnaire::TrustRole>) -> &'static str {
    role.map_or("Not asked (an earlier version of the questionnaire)", |r| {
        r.label()
    })
}

/// The intake answers at the top of the page: this client's, and beside them their partner's
/// (each column labelled by whose answers they are), each in the words it was asked in.
async fn intake_card(state: &AppState, submission: &Submission) -> Result<IntakeCard, AppError> {
    let mut columns = vec![("This client".to_owned(), submission.id)];
    if let Some((couple, role)) = state.db.couple_of(submission.id).await? {
        columns[0].0 = format!("{} (this submission)", role.label());
        let (_, ids) = crate::server::service::couples::load_couple(state, couple).await?;
        if let Some(other) = *ids.get(role.other()) {
            let reference = state.db.submission_reference(other).await?;
            let label = format!(
                "{} ({})",
                role.other().label(),
                reference.unwrap_or_default()
            );
            columns.push((label, other));
        }
    }
    let ids: Vec<SubmissionId> = columns.iter().map(|(_, id)| *id).collect();
    let answered = crate::server::service::intake::answered(state, &ids).await?;
    // One row per question anyone answered, in the form's order.
    let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
    for (column, answers) in answered.iter().enumerate() {
        for a in answers {
            let at = match rows.iter().position(|(key, _, _)| *key == a.key) {
                Some(at) => at,
                None => {
                    rows.push((
                        a.key.clone(),
                        a.label.clone(),
                        vec![String::new(); ids.len()],
                    ));
                    rows.len() - 1
                }
            };
            rows[at].2[column] = a.value.clone();
        }
    }
    Ok(IntakeCard {
        columns: columns.into_iter().map(|(label, _)| label).collect(),
        rows: rows
            .into_iter()
            .map(|(_, label, values)| (label, values))
            .collect(),
    })
}

/// Who looks after the submission, and the form to change it (active accounts only).
async fn owner_card(state: &AppState, submission: &Submission) -> Result<OwnerCard, AppError> {
    let current = state.db.owner_of(submission.id).await?;
    let accounts = state.db.clinicians().await?;
    let name = current
        .and_then(|id| accounts.iter().find(|c| c.id == id))
        .map(|c| c.display_name.clone());
    Ok(OwnerCard {
        action: format!("/staff/submissions/{}/owner", submission.reference),
        owner: name,
        current: current.map(|c| c.0.to_string()).unwrap_or_default(),
        options: accounts
            .into_iter()
            .filter(|c| c.active)
            .map(|c| {
                let label = format!("{} ({})", c.display_name, c.role.label());
                (c.id.0.to_string(), label)
            })
            .collect(),
    })
}

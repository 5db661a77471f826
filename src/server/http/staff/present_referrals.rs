//! The submission page's referrals card: this client's referrals, what the client said from
//! their link, and the form to refer them out (with how the list reaches them).

use super::local;
use crate::server::db::{Submission, SubmissionStatus};
use crate::server::http::error::{AppError, FieldError};
use crate::server::state::AppState;
use crate::ui::pages::staff::{ReferForm, ReferralItem, ReferralsCard};
use chrono::Utc;

/// The fields of the "refer this client out" form, whose refusals are said there.
pub(super) const REFER_FIELDS: [&str; 7] = [
    "refer_form",
    "reason",
    "entry",
    "message",
    "channel",
    "outcome",
    "outcome_note",
];

/// This client's referrals, and the form to refer them out.
pub(super) async fn referrals_card(
    state: &AppState,
    submission: &Submission,
    sent: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<ReferralsCard, AppError> {
    use crate::domain::referral::{follow_up_due, Outcome, Reason};
    use crate::server::db::DirectoryFilter;
    let (outcome_errors, errors): (Vec<FieldError>, Vec<FieldError>) = errors
        .into_iter()
        .partition(|e| e.field == "outcome" || e.field == "outcome_note");
    let outcome_error = outcome_errors.into_iter().next().map(|e| e.message);
    let zone = state.config.practice_zone;
    let now = Utc::now();
    let base = format!("/staff/submissions/{}/referrals", submission.reference);
    let referrals = state
        .db
        .referrals_of(submission.id)
        .await?
        .into_iter()
        .map(|r| {
            let outcome = match (r.outcome, &r.outcome_note) {
                (None, _) => "Sent, no answer yet".to_owned(),
                (Some(o), Some(note)) => format!("{}: {note}", o.label()),
                (Some(o), None) => o.label().to_owned(),
            };
            let status = match r.closed_at {
                Some(at) => format!("Closed {} ({outcome})", local(at, zone)),
                None => outcome,
            };
            // Beside the practice's record, never in it: the link travels by email.
            let client_said = r.client_answer.map(|(answer, at)| {
                format!(
                    "From the client's link, {}: \u{201c}{}\u{201d}",
                    local(at, zone),
                    answer.label()
                )
            });
            let open =
                r.closed_at.is_none() && matches!(r.outcome, None | Some(Outcome::NotConnected));
            let due = open
                .then(|| follow_up_due(r.sent_at, r.followed_up_at, now))
                .flatten()
                .map(|days| format!("{days}-day follow-up due"));
            ReferralItem {
                key: r.id.0,
                action: format!("{base}/{}", r.id.0),
                sent: local(r.sent_at, zone),
                by: r.by,
                reason: r.reason.label(),
                channel: if r.emailed {
                    "emailed to the client's own address".to_owned()
                } else {
                    "no email: printed for the client".to_owned()
                },
                entries: r.entries.iter().map(|e| e.draft.name.clone()).collect(),
                status,
                client_said,
                due,
                closed: r.closed_at.is_some(),
                print: (!r.emailed).then(|| format!("{base}/{}/print", r.id.0)),
            }
        })
        .collect();
    let form = if submission.status == SubmissionStatus::Submitted {
        let entries = state
            .db
            .directory(&DirectoryFilter::default())
            .await?
            .into_iter()
            .map(|e| {
                let categories: Vec<&str> = e.draft.categories.iter().map(|c| c.label()).collect();
                let accepting = if e.draft.accepting {
                    ""
                } else {
                    " · not accepting"
                };
                (
                    e.id.0,
                    format!("{} · {}{accepting}", e.draft.name, categories.join(", ")),
                )
            })
            .collect();
        let channels =
            crate::server::service::referral::referral_channels(state, submission).await?;
        let mut ways = Vec::new();
        if let Some(to) = &channels.safe_email {
            ways.push((
                "safe_email",
                format!("Email the safe address they gave: {to}"),
            ));
        }
        if let Some(to) = &channels.booking_email {
            ways.push((
                "booking_email",
                format!("Email the address they booked with: {to} (not confirmed safe: it may be shared)"),
            ));
        }
        ways.push((
            "print",
            "No email: print the list, or read it to them".to_owned(),
        ));
        let chosen_way = match crate::domain::form::value(sent, "channel") {
            "" => channels.default_channel().as_str().to_owned(),
            chosen => chosen.to_owned(),
        };
        Some(ReferForm {
            action: base.clone(),
            reasons: Reason::ALL
                .iter()
                .map(|r| (r.as_str(), r.label()))
                .collect(),
            entries,
            ways,
            chosen_way,
            values: sent.to_vec(),
            errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        })
    } else {
        None
    };
    Ok(ReferralsCard {
        referrals,
        form,
        outcome_error,
    })
}

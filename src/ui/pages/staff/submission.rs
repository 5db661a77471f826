//! One submission: the answers, the couple side by side, the consult (booked, or a form to
//! arrange one), notes, history, and deletion for admins. The safety and referrals cards are in
//! `safety_card.rs` and `referrals_card.rs`.

use leptos::prelude::*;

pub use super::cards::{IntakeCard, OwnerCard};
use super::cards::{IntakeCardView, OwnerForm};
use super::referrals_card::ReferralsCardView;
pub use super::referrals_card::{ReferForm, ReferralItem, ReferralsCard};
use super::safety_card::SafetyPathwayCard;
pub use super::safety_card::{FirstContactForm, SafetyPathway};

use super::{StaffBar, StaffUser};
use crate::domain::scoring::ReadinessResult;
use crate::ui::components::fields::{error_for, CheckboxField, TextField};
use crate::ui::pages::booking::SlotDay;

/// Cancelling a consult from the submission page: which version of which consult the page
/// showed, so a form left open cannot cancel a newer one.
#[derive(Clone, Debug)]
pub struct CancelConsult {
    pub action: String,
    pub booking: i64,
    pub sequence: i32,
    /// Why the last try was refused.
    pub error: Option<String>,
}

/// An admin's form to delete a submission for good, and why the last try was refused.
#[derive(Clone, Debug)]
pub struct DeleteSubmission {
    pub action: String,
    pub error: Option<String>,
}

#[component]
pub(super) fn DeleteSubmissionCard(form: DeleteSubmission, reference: String) -> impl IntoView {
    let DeleteSubmission { action, error } = form;
    let invalid = error.is_some().then_some("true");
    let described = if error.is_some() {
        "delete-hint delete-confirm-error"
    } else {
        "delete-hint"
    };
    view! {
        <section class="card">
            <h2>"Delete this submission"</h2>
            <p id="delete-hint">
                "For a client who asks for their data to be removed. The answers, result, private "
                "check-in, notes, history and past consults are deleted for good; the audit log "
                "keeps the reference and who deleted it. A booked consult must be cancelled first."
            </p>
            <form method="post" action=action class="stack" novalidate>
                <div class="field">
                    <label for="delete-confirm">{format!("Type {reference} to confirm")}</label>
                    {error.map(|e| view! { <p class="field-error" id="delete-confirm-error">{e}</p> })}
                    <input id="delete-confirm" name="confirm_reference" type="text" autocomplete="off"
                        required aria-invalid=invalid aria-describedby=described />
                </div>
                <button type="submit" class="button secondary small">"Delete for good"</button>
            </form>
        </section>
    }
}

/// A consult booked from a questionnaire, as the clinician sees it.
#[derive(Clone, Debug)]
pub struct BookingSummary {
    /// In the practice's zone, with its name.
    pub when: String,
    pub minutes: i64,
    pub clinician: String,
    pub cancelled: bool,
    /// The partner's reference, when the couple's consult was booked on their submission.
    pub on_partner: Option<String>,
    /// A partner's consult for them alone (not the couple's).
    pub individual: bool,
    /// The form the practice cancels it with (a live consult booked on this submission,
    /// until it starts).
    pub cancel: Option<CancelConsult>,
    pub client_name: String,
    pub client_email: String,
    pub client_phone: String,
    /// Why it went to its clinician, for the practice.
    pub routing: Option<&'static str>,
}

/// The form a clinician books a consult with, for a client they spoke to (by phone, say).
#[derive(Clone, Debug, Default)]
pub struct ArrangeConsult {
    pub action: String,
    /// The practice's zone, which the times are in.
    pub zone: String,
    pub days: Vec<SlotDay>,
    /// What was sent, kept when something is refused.
    pub slot: String,
    pub request_key: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub consent: bool,
    /// For a partner: whether the consult is the couple's (`Some(true)`) or this client's own;
    /// `None` for someone on their own.
    pub for_couple: Option<bool>,
    /// A partner's check-in holds this couple's joint sessions: booking together needs the
    /// clinician's statement that safety was assessed, and a reason (kept when refused).
    pub hold: bool,
    /// The viewer is a clinician or an admin: booking together through a hold, and booking
    /// outside the recommendation, are theirs to decide (not an intake coordinator's).
    pub clinical: bool,
    pub safety_assessed: bool,
    pub override_reason: String,
    /// Book with any free clinician, not only one who fits the recommendation.
    pub any_clinician: bool,
    /// `(field, message)` pairs, shown next to their fields.
    pub errors: Vec<(String, String)>,
}

#[component]
fn HoldOverrideFields(
    checked: bool,
    reason: String,
    errors: Vec<(String, String)>,
) -> impl IntoView {
    let reason_error = error_for(&errors, "override_reason");
    let invalid = reason_error.is_some().then_some("true");
    let described = if reason_error.is_some() {
        "override-hint override_reason-error"
    } else {
        "override-hint"
    };
    view! {
        <fieldset class="field hold-override">
            <legend>"Booking together during a safety hold"</legend>
            <p class="hint" id="override-hint">
                "Only for a consult together: a private check-in in this couple holds joint "
                "sessions. Book together only after a clinician assessed safety with each "
                "partner on their own. The reason is kept with the booking and audited."
            </p>
            <CheckboxField id="safety_assessed" name="safety_assessed" checked
                error=error_for(&errors, "safety_assessed")
                label=" Safety was assessed with each partner on their own, and booking together is right now." />
            <label for="override_reason">"Reason (up to 500 characters)"</label>
            {reason_error.map(|e| view! { <p class="field-error" id="override_reason-error">{e}</p> })}
            <textarea id="override_reason" name="override_reason" rows="3" maxlength="500"
                aria-invalid=invalid aria-describedby=described>{reason}</textarea>
        </fieldset>
    }
}

#[component]
pub(super) fn ArrangeConsultForm(form: ArrangeConsult) -> impl IntoView {
    let ArrangeConsult {
        action,
        zone,
        days,
        slot,
        request_key,
        name,
        email,
        phone,
        consent,
        for_couple,
        hold,
        clinical,
        safety_assessed,
        override_reason,
        any_clinician,
        errors,
    } = form;
    if days.is_empty() {
        return view! {
            <p>"No consult times are open. Clinicians set their hours on the "
                <a href="/staff/availability">"Availability"</a> " page."</p>
        }
        .into_any();
    }
    let alert_text = error_for(&errors, "form")
        .unwrap_or_else(|| "Please check the fields marked below. Nothing is booked yet.".into());
    let alert =
        (!errors.is_empty()).then(|| view! { <p class="form-alert" role="alert">{alert_text}</p> });
    let slot_error = error_for(&errors, "slot");
    let slot_invalid = slot_error.is_some().then_some("true");
    let slot_described = slot_error.is_some().then_some("slot-error");
    let scope = for_couple.map(|together| {
        let error = error_for(&errors, "for");
        let described = if error.is_some() { "for-hint for-error" } else { "for-hint" };
        view! {
            <fieldset class="field" aria-describedby=described>
                <legend>"Who is this consult for?"</legend>
                <p class="hint" id="for-hint">"A consult for this client only never shows on the partner's pages. It is chosen first when a private check-in is positive."</p>
                {error.map(|e| view! { <p class="field-error" id="for-error">{e}</p> })}
                <label><input type="radio" name="for" value="client" checked=!together />" This client only"</label>
                <label><input type="radio" name="for" value="couple" checked=together />" Both partners, together"</label>
            </fieldset>
        }
    });
    let options = days
        .into_iter()
        .map(|day| {
            let times = day
                .slots
                .into_iter()
                .map(|s| {
                    let selected = s.value == slot;
                    view! { <option value=s.value selected=selected>{s.label}</option> }
                })
                .collect_view();
            view! { <optgroup label=day.label>{times}</optgroup> }
        })
        .collect_view();
    view! {
        <form method="post" action=action class="stack arrange-form" novalidate>
            <h3>"Book a consult for this client"</h3>
            <p class="hint">"For a consult arranged with the client, by phone say. The client gets the confirmation by email, with a calendar file and a private link to move or cancel it."</p>
            {alert}
            <input type="hidden" name="request_key" value=request_key />
            {scope}
            {(hold && clinical).then(|| view! { <HoldOverrideFields checked=safety_assessed reason=override_reason errors=errors.clone() /> })}
            {(hold && !clinical).then(|| view! {
                <p class="hint">"A private check-in in this couple holds joint sessions. Only a clinician can book this couple together; you can book a consult for this client only."</p>
            })}
            <div class="field">
                <label for="slot">{format!("Time ({zone} time)")}</label>
                {slot_error.map(|e| view! { <p class="field-error" id="slot-error">{e}</p> })}
                <select id="slot" name="slot" required aria-invalid=slot_invalid aria-describedby=slot_described>
                    <option value="">"Choose a time"</option>
                    {options}
                </select>
            </div>
            {clinical.then(|| view! {
                <label for="any_clinician"><input type="checkbox" id="any_clinician" name="any_clinician" value="yes" checked=any_clinician />" Book with any free clinician (not only one whose profile fits the recommendation; audited)"</label>
            })}
            <TextField id="name" label="Client's name" kind="text" autocomplete="off" value=name
                error=error_for(&errors, "name") hint=None />
            <TextField id="email" label="Client's email" kind="email" autocomplete="off" value=email
                error=error_for(&errors, "email") hint=Some("The confirmation goes here. It says only the time, never the answers.") />
            <TextField id="phone" label="Client's phone" kind="tel" autocomplete="off" value=phone
                error=error_for(&errors, "phone") hint=None />
            <CheckboxField id="consent" name="consent" checked=consent error=error_for(&errors, "consent")
                label=" The client agreed that the practice may use these details to contact them about this consult." />
            <button type="submit" class="button primary small">"Book this consult"</button>
        </form>
    }
    .into_any()
}

#[component]
pub(super) fn BookingCard(
    booking: Option<BookingSummary>,
    arrange: Option<ArrangeConsult>,
) -> impl IntoView {
    let body = match booking {
        None => view! { <p>"No consult booked yet."</p> }.into_any(),
        Some(b) => {
            let status = if b.cancelled { "Cancelled" } else { "Booked" };
            let cancel = b.cancel.map(|form| {
                let CancelConsult { action, booking, sequence, error } = form;
                view! {
                    <form method="post" action=action class="stack cancel-consult" novalidate>
                        <input type="hidden" name="booking" value=booking.to_string() />
                        <input type="hidden" name="sequence" value=sequence.to_string() />
                        <CheckboxField id="cancel-confirm" name="confirm" checked=false error
                            label=" Cancel it: the client is told by email, and the time is free again at once." />
                        <button type="submit" class="button secondary small">"Cancel this consult"</button>
                    </form>
                }
            });
            view! {
                <dl class="facts-list">
                    <dt>"When"</dt><dd>{format!("{}, {} minutes", b.when, b.minutes)}</dd>
                    <dt>"Status"</dt><dd>{status}</dd>
                    {b.individual.then(|| view! { <dt>"For"</dt><dd>"This client only (not the couple)"</dd> })}
                    {b.on_partner.map(|r| view! {
                        <dt>"For"</dt>
                        <dd>"The couple, booked on the partner's submission "
                            <a href=format!("/staff/submissions/{r}")>{r.clone()}</a></dd>
                    })}
                    <dt>"With"</dt><dd>{b.clinician}</dd>
                    {b.routing.map(|r| view! { <dt>"Match"</dt><dd>{r}</dd> })}
                    <dt>"Client"</dt><dd>{b.client_name}</dd>
                    <dt>"Email"</dt><dd>{b.client_email}</dd>
                    <dt>"Phone"</dt><dd>{b.client_phone}</dd>
                </dl>
                {cancel}
            }
            .into_any()
        }
    };
    view! {
        <section class="card booking-card">
            <h2>"Consult"</h2>
            {body}
            {arrange.map(|form| view! { <ArrangeConsultForm form /> })}
        </section>
    }
}

/// The private check-in and the couple, as the clinician sees them. Safety comes first.
#[derive(Clone, Debug, Default)]
pub struct CoupleSummary {
    /// "Partner A" / "Partner B", or `None` for someone on their own.
    pub role: Option<&'static str>,
    /// The other partner's label and reference, once they have started.
    pub partner: Option<(&'static str, String)>,
    /// Safety lines, e.g. "Partner A: positive (yes: …; rather not say: …)". Empty: none.
    pub safety: Vec<String>,
    /// This person's own check-in: "Not answered yet", "Answered: no concerns", "Positive".
    pub own_check_in: String,
    pub mixed_agenda: Option<String>,
    /// Recommendation label and what to do.
    pub recommendation: Option<(&'static str, &'static str)>,
    pub report: Option<CoupleReportView>,
}

/// Both partners side by side.
#[derive(Clone, Debug)]
pub struct CoupleReportView {
    /// Set when the partners answered different instrument versions.
    pub versions: Option<String>,
    pub overall: (u8, u8),
    /// Dimension label, A's score, B's score (`None`: not scored for them).
    pub dimensions: Vec<(&'static str, Option<u8>, Option<u8>)>,
    /// "Both / one / neither" sentences, with the partner named where one.
    pub topics: Vec<String>,
    /// Statement, A's answer, B's answer.
    pub disagreements: Vec<(String, &'static str, &'static str)>,
    /// What each says has most affected trust, A then B.
    pub roles: (&'static str, &'static str),
    /// Each says it was mostly something the other did.
    pub each_blames_the_other: bool,
}

#[component]
pub(super) fn CoupleCard(couple: CoupleSummary) -> impl IntoView {
    let CoupleSummary {
        role,
        partner,
        safety,
        own_check_in,
        mixed_agenda,
        recommendation,
        report,
    } = couple;
    let alert = (!safety.is_empty()).then(|| {
        view! {
            <div class="safety-alert" role="note">
                <h3>"Safety screen positive"</h3>
                <ul>{safety.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                <p>"Joint booking is on hold for this couple. Never mention the screen to the other partner."</p>
            </div>
        }
    });
    let who = match (role, partner) {
        (None, _) => "On their own (no partner invited).".to_owned(),
        (Some(role), None) => format!("{role}. The other partner has not started yet."),
        (Some(role), Some((label, reference))) => format!("{role}. {label}: {reference}."),
    };
    let report = report.map(|r| {
        let dims = r
            .dimensions
            .into_iter()
            .map(|(label, a, b)| {
                let cell = |s: Option<u8>| s.map_or_else(|| "not scored".to_owned(), |s| s.to_string());
                view! { <tr><th scope="row">{label}</th><td>{cell(a)}</td><td>{cell(b)}</td></tr> }
            })
            .collect_view();
        let topics = r.topics.into_iter().map(|t| view! { <li>{t}</li> }).collect_view();
        let gaps = if r.disagreements.is_empty() {
            view! { <p>"No statement about the two of them where they are two or more steps apart."</p> }.into_any()
        } else {
            let items = r
                .disagreements
                .into_iter()
                .map(|(text, a, b)| view! { <li>{text}" · A: "{a}" · B: "{b}</li> })
                .collect_view();
            view! { <ul class="disagreements">{items}</ul> }.into_any()
        };
        view! {
            <h3>"Side by side"</h3>
            {r.versions.map(|v| view! { <p class="hint versions">{v}</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Partners' scores">
                <table class="scores">
                    <caption class="visually-hidden">"Scores by dimension, partner A and partner B"</caption>
                    <thead><tr><th scope="col">"Dimension"</th><th scope="col">"A"</th><th scope="col">"B"</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Overall"</th><td>{r.overall.0}</td><td>{r.overall.1}</td></tr>
                        {dims}
                    </tbody>
                </table>
            </div>
            <h3>"What has most affected trust, in each one's words"</h3>
            <ul class="framing">
                <li>"A: "{r.roles.0}</li>
                <li>"B: "{r.roles.1}</li>
            </ul>
            {r.each_blames_the_other.then(|| view! {
                <p class="flag">"Each says it was mostly something the other did. Worth hearing early, from each partner on their own, how they see what happened."</p>
            })}
            <h3>"Trust-breakers and ways to rebuild"</h3>
            <p class="hint">"Each line says whom the answers are about: the partner themselves, or the two of them."</p>
            <ul class="topics">{topics}</ul>
            <h3>"Where they disagree about the relationship"</h3>
            <p class="hint">"Only statements about the two of them (\"my partner and I\", \"our arguments\"); answers about oneself describe two different people and are not compared."</p>
            {gaps}
        }
    });
    view! {
        <section class="card couple-card">
            <h2>"Couple and private check-in"</h2>
            {alert}
            <p>{who}</p>
            <p>"Private check-in: " {own_check_in}</p>
            {mixed_agenda.map(|m| view! { <p class="flag">{m}</p> })}
            {recommendation.map(|(label, what)| view! { <p><strong>{label}</strong>": "{what}</p> })}
            {report}
        </section>
    }
}

/// One answer as the clinician reads it.
#[derive(Clone, Debug)]
pub struct AnswerRow {
    pub section: String,
    pub text: String,
    pub answer: String,
    pub reverse: bool,
}

/// One submission as the clinician reads it.
#[derive(Clone, Debug)]
pub struct SubmissionDetail {
    pub reference: String,
    /// The newest consult booked from this questionnaire, live or cancelled.
    pub booking: Option<BookingSummary>,
    /// Booking a consult for the client, while none is booked.
    pub arrange: Option<ArrangeConsult>,
    /// Deleting it for good (shown to admins).
    pub delete: DeleteSubmission,
    pub couple: CoupleSummary,
    pub intake: IntakeCard,
    pub owner: OwnerCard,
    pub pathway: SafetyPathway,
    pub referrals: ReferralsCard,
    /// Current workflow status label, and the moves allowed from it (value, label).
    pub workflow: &'static str,
    pub moves: Vec<(&'static str, &'static str)>,
    /// Oldest first: (when, who, what).
    pub history: Vec<(String, String, String)>,
    pub started: String,
    pub status: &'static str,
    pub result: Option<ReadinessResult>,
    /// How to read the scores: leaning, who they feel affected trust, what is not counted.
    pub readiness_notes: Vec<String>,
    pub answers: Vec<AnswerRow>,
    pub note: Option<String>,
}

#[component]
pub fn SubmissionPage(
    user: StaffUser,
    detail: SubmissionDetail,
    workflow_key: String,
) -> impl IntoView {
    let SubmissionDetail {
        reference,
        booking,
        arrange,
        delete,
        couple,
        intake,
        owner,
        pathway,
        referrals,
        workflow,
        moves,
        history,
        started,
        status,
        result,
        readiness_notes,
        answers,
        note,
    } = detail;
    let scores = result.map(|r| {
        let dims = r
            .dimensions
            .iter()
            .map(
                |d| view! { <tr><th scope="row">{d.dimension.label()}</th><td>{d.score}</td></tr> },
            )
            .collect_view();
        view! {
            <section class="card">
                <h2>"Readiness"</h2>
                <p class="overall-line">
                    <strong>{format!("{} / 100", r.overall)}</strong>
                    {format!(" · {} · instrument v{}", r.band.label(), r.instrument_version)}
                </p>
                <table class="scores">
                    <caption class="visually-hidden">"Scores by dimension"</caption>
                    <tbody>{dims}</tbody>
                </table>
                <ul class="readiness-notes">
                    {readiness_notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let delete_card = user.is_admin.then(|| {
        let reference = reference.clone();
        view! { <DeleteSubmissionCard form=delete reference /> }
    });
    let answer_rows = answers
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{a.section}</td>
                    <td>{a.text}{a.reverse.then_some(" (reverse-keyed)")}</td>
                    <td>{a.answer}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar user />
        <section class="card">
            <h1>{format!("Submission {reference}")}</h1>
            <p>{format!("Started {started} · {status}")}</p>
            <OwnerForm card=owner />
        </section>
        <CoupleCard couple />
        <IntakeCardView card=intake />
        <SafetyPathwayCard pathway />
        <BookingCard booking arrange />
        <ReferralsCardView card=referrals />
        {scores}
        <section class="card">
            <h2>"Workflow"</h2>
            <p>"Now: " <strong>{workflow}</strong></p>
            <form method="post" action=format!("/staff/submissions/{reference}/status") class="inline-form">
                <label for="move-to">"Move to"</label>
                <select id="move-to" name="to">
                    {moves
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view()}
                </select>
                <input type="hidden" name="from" value=workflow_key.clone() />
                <button type="submit" class="button primary small">"Move"</button>
            </form>
            <form method="post" action=format!("/staff/submissions/{reference}/notes") class="stack">
                <label for="note-body">"Add a private note"</label>
                <textarea id="note-body" name="body" rows="3" maxlength="5000" required></textarea>
                <button type="submit" class="button secondary small">"Add note"</button>
            </form>
            <h3>"History"</h3>
            <ol class="history">
                {if history.is_empty() {
                    view! { <li>"Nothing yet."</li> }.into_any()
                } else {
                    history
                        .into_iter()
                        .map(|(at, who, what)| view! { <li><span class="when">{format!("{at} · {who}")}</span> <span class="what">{what}</span></li> })
                        .collect_view()
                        .into_any()
                }}
            </ol>
        </section>
        <section class="card">
            <h2>"Note from the client"</h2>
            <p class="client-note">{note.unwrap_or_else(|| "No note.".into())}</p>
        </section>
        <section class="card wide">
            <h2>"Answers"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Answers table">
                <table class="answers">
                    <caption class="visually-hidden">"Every answer, in questionnaire order"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Section"</th>
                            <th scope="col">"Statement"</th>
                            <th scope="col">"Answer"</th>
                        </tr>
                    </thead>
                    <tbody>{answer_rows}</tbody>
                </table>
            </div>
        </section>
        {delete_card}
    }
}

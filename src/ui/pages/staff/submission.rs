//! One submission: the answers, the couple side by side, the consult (booked, or a form to
//! arrange one), notes, history, and deletion for admins.

use leptos::prelude::*;

pub use super::cards::{IntakeCard, OwnerCard};
use super::cards::{IntakeCardView, OwnerForm};

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
            {hold.then(|| view! { <HoldOverrideFields checked=safety_assessed reason=override_reason errors=errors.clone() /> })}
            <div class="field">
                <label for="slot">{format!("Time ({zone} time)")}</label>
                {slot_error.map(|e| view! { <p class="field-error" id="slot-error">{e}</p> })}
                <select id="slot" name="slot" required aria-invalid=slot_invalid aria-describedby=slot_described>
                    <option value="">"Choose a time"</option>
                    {options}
                </select>
            </div>
            <label for="any_clinician"><input type="checkbox" id="any_clinician" name="any_clinician" value="yes" checked=any_clinician />" Book with any free clinician (not only one whose profile fits the recommendation; audited)"</label>
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
            {mixed_agenda.map(|m| view! { <p class="flag"><strong>"Mixed agenda: "</strong>{m}</p> })}
            {recommendation.map(|(label, what)| view! { <p><strong>{label}</strong>": "{what}</p> })}
            {report}
        </section>
    }
}

/// The form a clinician records a try to reach the client with.
#[derive(Clone, Debug, Default)]
pub struct FirstContactForm {
    pub action: String,
    /// `(value, label)`.
    pub channels: Vec<(&'static str, &'static str)>,
    pub outcomes: Vec<(&'static str, &'static str)>,
    /// The practice's zone, which the time is in.
    pub zone: String,
    /// `(field, message)` pairs.
    pub errors: Vec<(String, String)>,
}

/// Reaching this client safely: what they agreed to, how they may be reached, and the
/// clinicians' first contact after a check-in that asks for review.
#[derive(Clone, Debug, Default)]
pub struct SafetyPathway {
    /// "Agreed to policy version … on …", or that they have not yet.
    pub consent: String,
    /// The safe-contact lines; empty when they gave none.
    pub safe_contact: Vec<String>,
    /// Tries so far, oldest first: "when · channel · outcome · who".
    pub contacts: Vec<String>,
    /// Shown while the check-in asks for review.
    pub contact_form: Option<FirstContactForm>,
    /// A partner's check-in holds joint sessions in this couple.
    pub couple_hold: bool,
    /// Joint consults booked during the hold: "when · who: reason".
    pub overrides: Vec<String>,
}

#[component]
fn FirstContactFields(form: FirstContactForm) -> impl IntoView {
    let FirstContactForm {
        action,
        channels,
        outcomes,
        zone,
        errors,
    } = form;
    let select =
        |id: &'static str, label: &'static str, options: Vec<(&'static str, &'static str)>| {
            let error = error_for(&errors, id);
            let invalid = error.is_some().then_some("true");
            let error_id = format!("{id}-error");
            let described = error.is_some().then(|| error_id.clone());
            let options = options
                .into_iter()
                .map(|(value, label)| view! { <option value=value>{label}</option> })
                .collect_view();
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                    <select id=id name=id required aria-invalid=invalid aria-describedby=described>
                        <option value="">"Choose"</option>
                        {options}
                    </select>
                </div>
            }
        };
    let when_error = error_for(&errors, "contacted_at");
    let when_invalid = when_error.is_some().then_some("true");
    let when_described = if when_error.is_some() {
        "contacted_at-hint contacted_at-error"
    } else {
        "contacted_at-hint"
    };
    view! {
        <form method="post" action=action class="stack first-contact-form" novalidate>
            <h3>"Record a try to reach them"</h3>
            {select("contact_channel", "How", channels)}
            {select("contact_outcome", "What happened", outcomes)}
            <div class="field">
                <label for="contacted_at">{format!("When ({zone} time)")}</label>
                <p class="hint" id="contacted_at-hint">"Leave empty for just now."</p>
                {when_error.map(|e| view! { <p class="field-error" id="contacted_at-error">{e}</p> })}
                <input type="datetime-local" id="contacted_at" name="contacted_at"
                    aria-invalid=when_invalid aria-describedby=when_described />
            </div>
            <button type="submit" class="button primary small">"Record"</button>
        </form>
    }
}

#[component]
pub(super) fn SafetyPathwayCard(pathway: SafetyPathway) -> impl IntoView {
    let SafetyPathway {
        consent,
        safe_contact,
        contacts,
        contact_form,
        couple_hold,
        overrides,
    } = pathway;
    let contact_lines = if safe_contact.is_empty() {
        view! { <p>"They gave no safe-contact details."</p> }.into_any()
    } else {
        let items = safe_contact
            .into_iter()
            .map(|l| view! { <li>{l}</li> })
            .collect_view();
        view! { <ul class="safe-contact-lines">{items}</ul> }.into_any()
    };
    let review = contact_form.map(|form| {
        let tries = if contacts.is_empty() {
            view! { <p>"No first contact recorded yet."</p> }.into_any()
        } else {
            let items = contacts.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
            view! { <ol class="first-contacts">{items}</ol> }.into_any()
        };
        view! {
            <h3>"First contact"</h3>
            <div class="first-contact-note" role="note">
                <p><strong>"Making first contact safely"</strong></p>
                <ul>
                    <li>"Use the safe channel and the safe times above, when given."</li>
                    <li>"Ask first whether this is a good time and whether they are somewhere private; if not, offer to try again at a safe time."</li>
                    <li>"Leave no detailed voicemail or text: a first name and a call-back number at most, and only where they said that is OK."</li>
                    <li>"Never mention the check-in to a partner."</li>
                </ul>
            </div>
            {tries}
            <p class="hint">"The intake leaves the needs-review queue once a try is recorded as \"Spoke with them privately\"."</p>
            <FirstContactFields form />
        }
    });
    let hold = couple_hold.then(|| {
        view! {
            <p class="flag">
                <strong>"Both partners need an individual conversation before any joint work."</strong>
                " A joint consult can be booked during the hold only with a stated reason (audited)."
            </p>
        }
    });
    let overrides = (!overrides.is_empty()).then(|| {
        let items = overrides
            .into_iter()
            .map(|l| view! { <li>{l}</li> })
            .collect_view();
        view! {
            <h3>"Booked together during the hold"</h3>
            <ul>{items}</ul>
        }
    });
    view! {
        <section class="card safety-pathway" id="safety">
            <h2>"Reaching this client safely"</h2>
            <p>{consent}</p>
            <h3>"Safe contact (never shown to a partner)"</h3>
            {contact_lines}
            {hold}
            {review}
            {overrides}
        </section>
    }
}

/// One referral of this client, as the submission page lists it.
#[derive(Clone, Debug, Default)]
pub struct ReferralItem {
    /// Its id, for unique field ids.
    pub key: i64,
    /// Where its forms post.
    pub action: String,
    pub sent: String,
    pub by: String,
    pub reason: &'static str,
    /// "Emailed to …" or "No email: printed".
    pub channel: String,
    pub entries: Vec<String>,
    /// "Sent", "Connected", "Not connected: …", "Closed (connected)".
    pub status: String,
    /// "7-day follow-up due", when one is.
    pub due: Option<String>,
    pub closed: bool,
    /// The printable list, for a client without email.
    pub print: Option<String>,
}

/// The form a clinician refers this client out with.
#[derive(Clone, Debug, Default)]
pub struct ReferForm {
    pub action: String,
    /// `(value, label)`.
    pub reasons: Vec<(&'static str, &'static str)>,
    /// `(id, "name · categories")` of every entry that can be chosen.
    pub entries: Vec<(i64, String)>,
    /// Where the list will go: "the safe email they gave (…)", or that it must be printed.
    pub destination: String,
    pub values: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// Referring this person out (never the couple), and the loops still open.
#[derive(Clone, Debug, Default)]
pub struct ReferralsCard {
    pub referrals: Vec<ReferralItem>,
    pub form: Option<ReferForm>,
    /// Why the last outcome recorded on a referral was refused.
    pub outcome_error: Option<String>,
}

#[component]
fn ReferralItemView(item: ReferralItem) -> impl IntoView {
    let ReferralItem {
        key,
        action,
        sent,
        by,
        reason,
        channel,
        entries,
        status,
        due,
        closed,
        print,
    } = item;
    let entries = entries
        .into_iter()
        .map(|e| view! { <li>{e}</li> })
        .collect_view();
    let controls = (!closed).then(|| {
        let follow = action.clone();
        let close = action.clone();
        view! {
            <form method="post" action=action class="inline-form">
                <input type="hidden" name="action" value="outcome" />
                <label for=format!("outcome-{key}")>"Outcome"</label>
                <select id=format!("outcome-{key}") name="outcome">
                    <option value="connected">"Connected"</option>
                    <option value="not_connected">"Not connected"</option>
                    <option value="declined">"Declined"</option>
                </select>
                <label for=format!("outcome_note-{key}")>"Why not (for not connected)"</label>
                <input type="text" id=format!("outcome_note-{key}") name="outcome_note" maxlength="500" />
                <button type="submit" class="button secondary small">"Record"</button>
            </form>
            <form method="post" action=follow class="inline-form">
                <input type="hidden" name="action" value="follow_up" />
                <button type="submit" class="button secondary small">"Followed up"</button>
            </form>
            <form method="post" action=close class="inline-form">
                <input type="hidden" name="action" value="close" />
                <button type="submit" class="button secondary small">"Close"</button>
            </form>
        }
    });
    view! {
        <li class="referral">
            <p><strong>{status}</strong>{due.map(|d| view! { " " <strong class="flag-safety">{d}</strong> })}</p>
            <p class="hint">{format!("Sent {sent} by {by} · reason: {reason} · {channel}")}</p>
            <ul>{entries}</ul>
            {print.map(|href| view! { <p><a href=href>"Printable list"</a></p> })}
            {controls}
        </li>
    }
}

#[component]
pub(super) fn ReferralsCardView(card: ReferralsCard) -> impl IntoView {
    let ReferralsCard {
        referrals,
        form,
        outcome_error,
    } = card;
    let outcome_alert = outcome_error.map(|e| {
        view! { <p class="form-alert" role="alert" id="outcome-error">{format!("The outcome was not recorded: {e}")}</p> }
    });
    let list = if referrals.is_empty() {
        view! { <p>"Not referred out."</p> }.into_any()
    } else {
        let items = referrals
            .into_iter()
            .map(|item| view! { <ReferralItemView item /> })
            .collect_view();
        view! { <ul class="referrals">{items}</ul> }.into_any()
    };
    let form = form.map(|f| {
        let ReferForm {
            action,
            reasons,
            entries,
            destination,
            values,
            errors,
        } = f;
        let chosen_reason = crate::domain::form::value(&values, "reason").to_owned();
        let chosen: Vec<String> = values
            .iter()
            .filter(|(k, _)| k == "entry")
            .map(|(_, v)| v.clone())
            .collect();
        let reason_options = reasons
            .into_iter()
            .map(|(v, label)| {
                let selected = v == chosen_reason;
                view! { <option value=v selected=selected>{label}</option> }
            })
            .collect_view();
        let boxes = if entries.is_empty() {
            view! { <p>"The directory is empty: an admin adds services on the " <a href="/staff/directory">"Directory"</a> " page."</p> }.into_any()
        } else {
            entries
                .into_iter()
                .map(|(id, label)| {
                    let field = format!("entry-{id}");
                    let label_for = field.clone();
                    let checked = chosen.contains(&id.to_string());
                    view! {
                        <label for=label_for><input type="checkbox" id=field name="entry" value=id.to_string() checked=checked />" " {label}</label>
                    }
                })
                .collect_view()
                .into_any()
        };
        let error = |f: &str| error_for(&errors, f);
        let alert = (!errors.is_empty()).then(|| {
            view! { <p class="form-alert" role="alert">"Please check the fields marked below. Nothing is sent yet."</p> }
        });
        view! {
            <form method="post" action=action class="stack refer-form" novalidate>
                <h3>"Refer this client out"</h3>
                <p class="hint">"For this person only: nothing of it reaches a partner's pages or email."</p>
                {alert}
                {error("refer_form").map(|m| view! { <p class="field-error">{m}</p> })}
                <div class="field">
                    <label for="reason">"Reason (never shown to the client)"</label>
                    {error("reason").map(|m| view! { <p class="field-error" id="reason-error">{m}</p> })}
                    <select id="reason" name="reason">
                        <option value="">"Choose"</option>
                        {reason_options}
                    </select>
                </div>
                <fieldset class="field">
                    <legend>"Services and clinicians to send"</legend>
                    {error("entry").map(|m| view! { <p class="field-error" id="entry-error">{m}</p> })}
                    <div class="stack">{boxes}</div>
                </fieldset>
                <div class="field">
                    <label for="message">"A short message (optional)"</label>
                    {error("message").map(|m| view! { <p class="field-error" id="message-error">{m}</p> })}
                    <textarea id="message" name="message" rows="3" maxlength="1000">{crate::domain::form::value(&values, "message").to_owned()}</textarea>
                </div>
                <label for="keep_client"><input type="checkbox" id="keep_client" name="keep_client" value="yes" />" The practice keeps this client too (do not move to Referred out)"</label>
                <p class="hint">{destination}</p>
                <button type="submit" class="button primary small">"Send the referral"</button>
            </form>
        }
    });
    view! {
        <section class="card referrals-card" id="referrals">
            <h2>"Referrals"</h2>
            {outcome_alert}
            {list}
            {form}
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

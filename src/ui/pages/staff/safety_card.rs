//! A submission's safety card: what the client agreed to, how they may be reached safely, and
//! the clinicians' first contact after a check-in that asks for review (`docs/safety.md`).

use leptos::prelude::*;

use crate::ui::components::fields::error_for;

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
    /// Shown while the check-in asks for review, or the couple is held.
    pub contact_form: Option<FirstContactForm>,
    /// This client's own check-in asks for review (it is on the needs-review queue).
    pub needs_review: bool,
    /// In a held couple: when an individual conversation with this partner was recorded
    /// ("when (who)"), or `Some(None)` while none is.
    pub individual: Option<Option<String>>,
    /// A partner's check-in holds joint sessions in this couple.
    pub couple_hold: bool,
    /// A partner of this couple has not answered the private check-in.
    pub check_in_missing: bool,
    /// Joint consults booked during the hold: "when · who: reason".
    pub overrides: Vec<String>,
    /// Steps for what this client disclosed (`SafetyFlag::prompts`).
    pub prompts: Vec<&'static str>,
    /// This client is one partner of a couple.
    pub in_couple: bool,
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
        needs_review,
        individual,
        couple_hold,
        check_in_missing,
        overrides,
        prompts,
        in_couple,
    } = pathway;
    let prompts = (!prompts.is_empty()).then(|| {
        let items = prompts
            .into_iter()
            .map(|p| view! { <li>{p}</li> })
            .collect_view();
        view! {
            <div class="first-contact-note disclosure-prompts" role="note">
                <p><strong>"For what they disclosed"</strong></p>
                <ul>{items}</ul>
            </div>
        }
    });
    let contact_lines = if safe_contact.is_empty() {
        let partner = in_couple.then(|| {
            view! {
                <p class="flag">
                    <strong>"No private way to reach this partner was given."</strong>
                    " Never arrange anything through the other partner: use the details they booked with, or ask in person when they are alone."
                </p>
            }
        });
        view! { <p>"They gave no safe-contact details."</p> {partner} }.into_any()
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
        let heading = if needs_review {
            "First contact"
        } else {
            "Individual conversation"
        };
        let hint = if needs_review {
            "The intake leaves the needs-review queue once a try is recorded as \"Spoke with them privately\"."
        } else {
            "Record the conversation with this partner on their own as \"Spoke with them privately\". A check-in that asked for no review is no reassurance by itself."
        };
        view! {
            <h3>{heading}</h3>
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
            <p class="hint">{hint}</p>
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
    let individual = individual.map(|spoke| {
        let line = match spoke {
            Some(when) => format!(
                "Individual conversation with this partner: spoke with them privately, {when}."
            ),
            None => "Individual conversation with this partner: not recorded yet.".to_owned(),
        };
        view! { <p class="individual-conversation"><strong>{line}</strong></p> }
    });
    let unanswered = check_in_missing.then(|| {
        view! {
            <p class="flag">
                <strong>"A partner has not answered the private check-in."</strong>
                " See each partner on their own and ask the check-in's questions in person before any joint work. A joint consult can be booked before then only with a stated reason (audited)."
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
            {unanswered}
            {individual}
            {prompts}
            {review}
            {overrides}
        </section>
    }
}

//! A submission's referrals card: this person's referrals out, with their follow-ups and
//! outcomes, and the form to refer them (never the couple).

use leptos::prelude::*;

use crate::ui::components::fields::error_for;

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
    /// What the client said from their link, and when (kept beside the status, not in it).
    pub client_said: Option<String>,
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
    /// `(value, label)` of each way the list can reach this client; print is always there.
    pub ways: Vec<(&'static str, String)>,
    /// The way checked: the one sent back, else the safe address, else print.
    pub chosen_way: String,
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
        client_said,
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
            {client_said.map(|said| view! { <p class="client-said">{said}</p> })}
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
            ways,
            chosen_way,
            values,
            errors,
        } = f;
        let ways = ways
            .into_iter()
            .map(|(value, label)| {
                let id = format!("channel-{value}");
                let label_for = id.clone();
                let checked = value == chosen_way;
                view! {
                    <label for=label_for><input type="radio" id=id name="channel" value=value checked=checked />" " {label}</label>
                }
            })
            .collect_view();
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
                <fieldset class="field">
                    <legend>"How should this reach them?"</legend>
                    {error("channel").map(|m| view! { <p class="field-error" id="channel-error">{m}</p> })}
                    <p class="hint">"An email names the services in the list. Send it only where the client said it is safe to read."</p>
                    <div class="stack">{ways}</div>
                </fieldset>
                <label for="keep_client"><input type="checkbox" id="keep_client" name="keep_client" value="yes" />" The practice keeps this client too (do not move to Referred out)"</label>
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

//! `/r/<token>`: a client's private page with the services a clinician chose for them, and the
//! three answers that close the loop. It says nothing of why, and nothing of anyone else.

use leptos::prelude::*;

use crate::domain::support::Resources;
use crate::ui::components::support::SupportPanel;

/// One service on the list.
#[derive(Clone, Debug)]
pub struct ServiceLine {
    pub name: String,
    pub ways: Vec<String>,
    pub how_to_refer: String,
}

/// What the page shows.
#[derive(Clone, Debug)]
pub struct ReferralView {
    pub base: String,
    pub practice_name: String,
    pub message: Option<String>,
    pub services: Vec<ServiceLine>,
    /// `(path segment, label)` of each answer.
    pub answers: Vec<(&'static str, &'static str)>,
    /// Set once they answered from this page.
    pub thanks: bool,
    pub support: Resources,
}

#[component]
pub fn ReferralPage(referral: ReferralView) -> impl IntoView {
    let ReferralView {
        base,
        practice_name,
        message,
        services,
        answers,
        thanks,
        support,
    } = referral;
    let items = services
        .into_iter()
        .map(|s| {
            let ways = s
                .ways
                .into_iter()
                .map(|w| view! { <br /><span>{w}</span> })
                .collect_view();
            let how = (!s.how_to_refer.is_empty())
                .then(|| view! { <br /><span class="hint">{s.how_to_refer}</span> });
            view! { <li><strong>{s.name}</strong>{ways}{how}</li> }
        })
        .collect_view();
    let buttons = answers
        .into_iter()
        .map(|(segment, label)| {
            view! {
                <form method="post" action=format!("{base}/{segment}")>
                    <button type="submit" class="button secondary">{label}</button>
                </form>
            }
        })
        .collect_view();
    view! {
        <section class="card narrow">
            <h1>"Contacts for you"</h1>
            {thanks.then(|| view! { <p class="form-ok" role="status">"Thank you. The practice has been told."</p> })}
            <p class="lead">{format!("A clinician at {practice_name} put together these contacts for you.")}</p>
            {message.map(|m| view! { <p class="client-note">{m}</p> })}
            <ul class="services">{items}</ul>
            <h2>"How did it go?"</h2>
            <p>"When you are ready, let the practice know. You can answer again later."</p>
            <div class="form-nav">{buttons}</div>
        </section>
        <SupportPanel resources=support />
    }
}

/// The page a link from the message opens: one button to confirm, so a mail program that opens
/// links by itself answers nothing.
#[component]
pub fn ReferralAnswerPage(action: String, label: &'static str, back: String) -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Let the practice know"</h1>
            <form method="post" action=action class="form-nav">
                <button type="submit" class="button primary">{label}</button>
                <a class="button secondary" href=back>"Back to the list"</a>
            </form>
        </section>
    }
}

/// The printable list a clinician hands a client without email.
#[component]
pub fn PrintedReferral(
    practice_name: String,
    message: Option<String>,
    services: Vec<ServiceLine>,
) -> impl IntoView {
    let items = services
        .into_iter()
        .map(|s| {
            let ways = s
                .ways
                .into_iter()
                .map(|w| view! { <br /><span>{w}</span> })
                .collect_view();
            let how =
                (!s.how_to_refer.is_empty()).then(|| view! { <br /><span>{s.how_to_refer}</span> });
            view! { <li><strong>{s.name}</strong>{ways}{how}</li> }
        })
        .collect_view();
    view! {
        <section class="card narrow printable">
            <h1>"Contacts for you"</h1>
            <p>{format!("A clinician at {practice_name} put together these contacts for you.")}</p>
            {message.map(|m| view! { <p>{m}</p> })}
            <ul class="services">{items}</ul>
        </section>
    }
}

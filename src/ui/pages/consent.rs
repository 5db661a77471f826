//! `/q/<token>/consent`: the practice's consent and confidentiality policy, read and agreed to
//! before the first question (and again whenever the practice changes it).

use leptos::prelude::*;

use crate::domain::consent::Policy;
use crate::ui::components::fields::CheckboxField;

/// What the consent page shows.
#[derive(Clone, Debug)]
pub struct ConsentView {
    pub action: String,
    pub policy: Policy,
    /// They agreed to an earlier version: say that it changed.
    pub changed: bool,
    /// The tick box was left empty.
    pub error: Option<String>,
    pub practice_email: String,
}

#[component]
pub fn ConsentPage(consent: ConsentView) -> impl IntoView {
    let ConsentView {
        action,
        policy,
        changed,
        error,
        practice_email,
    } = consent;
    let alert = error.is_some().then(|| {
        view! { <p class="form-alert" role="alert">"Please tick the box below to go on."</p> }
    });
    let sections = policy
        .sections
        .into_iter()
        .map(|section| {
            let paragraphs = section
                .paragraphs
                .into_iter()
                .map(|p| view! { <p>{p}</p> })
                .collect_view();
            view! {
                <h2>{section.heading}</h2>
                {paragraphs}
            }
        })
        .collect_view();
    view! {
        <section class="card narrow consent-page">
            <h1>"Before you start: your privacy"</h1>
            {alert}
            {changed.then(|| view! {
                <p class="form-ok" role="status">"The practice has changed this since you last agreed to it. Please read it again; your answers so far are kept."</p>
            })}
            {sections}
            <form method="post" action=action class="stack" novalidate>
                <CheckboxField id="agree" name="agree" checked=false error
                    label=" I have read this and agree to go on." />
                <button type="submit" class="button primary">"Agree and continue"</button>
            </form>
            <p class="hint">
                "If you would rather not go on, you can close this page: nothing more is asked. "
                "Questions about this? Write to "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                "."
            </p>
            <p class="hint policy-version">{format!("Policy version {}", policy.version)}</p>
        </section>
    }
}

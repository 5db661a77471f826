//! `/q/<token>/s/<n>`: one section of the questionnaire.

use leptos::prelude::*;

use crate::ui::components::questionnaire_form::{QuestionnaireForm, SectionForm};

#[component]
pub fn QuestionnairePage(form: SectionForm, resume_url: String) -> impl IntoView {
    let end_url = format!("{}/end", form.base);
    view! {
        <section class="card">
            <QuestionnaireForm form=form />
        </section>
        <details class="card resume">
            <summary>"Continue later"</summary>
            <p>
                "Your answers are saved as you go. To continue on this device later, "
                "keep this private link somewhere only you can see:"
            </p>
            <p class="resume-link">
                <code>{resume_url}</code>
            </p>
            <EndLinkForm action=end_url />
        </details>
    }
}

/// Ends the client's private link, for a shared or unsafe device. Shared by the questionnaire
/// and the summary.
#[component]
pub fn EndLinkForm(action: String) -> impl IntoView {
    view! {
        <form class="end-link" method="post" action=action>
            <p>
                "On a shared or unsafe device? You can end this link now. It will stop opening "
                "your answers on every device; what you have sent stays with the practice."
            </p>
            <button type="submit" class="button secondary">"End my private link"</button>
        </form>
    }
}

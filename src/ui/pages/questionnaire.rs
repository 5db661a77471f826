//! `/q/<token>/s/<n>`: one section of the questionnaire.

use leptos::prelude::*;

use crate::ui::components::questionnaire_form::{QuestionnaireData, QuestionnaireForm};

#[component]
pub fn QuestionnairePage(data: QuestionnaireData, resume_url: String) -> impl IntoView {
    view! {
        <section class="card">
            <QuestionnaireForm data=data />
        </section>
        <details class="card resume">
            <summary>"Continue later"</summary>
            <p>
                "Your answers are saved after each section. To continue on this device later, "
                "keep this private link somewhere only you can see:"
            </p>
            <p class="resume-link"><code>{resume_url}</code></p>
        </details>
    }
}

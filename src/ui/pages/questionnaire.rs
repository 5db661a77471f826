//! `/q/<token>/s/<n>`: one section of the questionnaire.

use leptos::prelude::*;

use crate::ui::components::questionnaire_form::{QuestionnaireForm, SectionForm};

#[component]
pub fn QuestionnairePage(form: SectionForm, resume_url: String) -> impl IntoView {
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
        </details>
    }
}

//! `/`: what this is, what happens to the answers, and a way in.

use leptos::prelude::*;

#[component]
pub fn LandingPage(practice_name: String, section_count: u8, item_count: usize) -> impl IntoView {
    view! {
        <section class="card hero">
            <h1>"Rebuilding trust, together"</h1>
            <p class="lead">
                {format!(
                    "{practice_name} invites each partner to answer a short, private questionnaire \
                     about trust in your relationship."
                )}
            </p>
            <ul class="facts">
                <li>{format!("{item_count} questions in {section_count} short sections, a few about you, and some private questions at the end: about 20 minutes in all.")}</li>
                <li>"First, the practice's privacy policy: who sees your answers, and when it must share them."</li>
                <li>"Your answers are saved as you go. You can stop and continue later from a private link."</li>
                <li>"Your answers are seen only by you and the practice's clinicians and intake staff, never by your partner."</li>
                <li>"It ends with a few private questions the practice asks everyone, about feeling safe at home."</li>
                <li>"Then you see a summary to bring to a first consult. It is not a diagnosis."</li>
            </ul>
            <form method="get" action="/start">
                <button type="submit" class="button primary">"Start the questionnaire"</button>
            </form>
        </section>
    }
}

//! Two cards of a submission's page: who looks after it, and the intake answers side by side.

use leptos::prelude::*;

/// Who looks after a submission (a couple's two share one), and the form to change it.
#[derive(Clone, Debug, Default)]
pub struct OwnerCard {
    pub action: String,
    /// The owner's name; `None`: unassigned.
    pub owner: Option<String>,
    /// The owner's account id, or "".
    pub current: String,
    /// `(account id, "Name (Role)")` of every active account.
    pub options: Vec<(String, String)>,
}

#[component]
pub fn OwnerForm(card: OwnerCard) -> impl IntoView {
    let current = card.current.clone();
    let options = card
        .options
        .into_iter()
        .map(|(id, label)| {
            let selected = id == current;
            view! { <option value=id selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <form method="post" action=card.action class="inline-form owner-form">
            <label for="owner">"Owner"</label>
            <select id="owner" name="owner">
                <option value="" selected=card.current.is_empty()>"Unassigned"</option>
                {options}
            </select>
            <button type="submit" class="button secondary small">"Assign"</button>
        </form>
        <p class="owner-now">{match card.owner {
            Some(name) => format!("Looked after by {name}."),
            None => "Nobody looks after this submission yet.".to_owned(),
        }}</p>
    }
}

/// The intake answers: one column per partner (or one for someone on their own), one row per
/// question, "" where a column has no answer.
#[derive(Clone, Debug, Default)]
pub struct IntakeCard {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

#[component]
pub fn IntakeCardView(card: IntakeCard) -> impl IntoView {
    let body = if card.rows.is_empty() {
        view! { <p>"No answers to the intake questions yet."</p> }.into_any()
    } else {
        let heads = card
            .columns
            .into_iter()
            .map(|c| view! { <th scope="col">{c}</th> })
            .collect_view();
        let rows = card
            .rows
            .into_iter()
            .map(|(label, values)| {
                let cells = values
                    .into_iter()
                    .map(|v| {
                        let text = if v.is_empty() { "—".to_owned() } else { v };
                        view! { <td class="intake-answer">{text}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{label}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="About them table">
                <table class="answers intake-answers">
                    <caption class="visually-hidden">"Intake answers, by question"</caption>
                    <thead><tr><th scope="col">"Question"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card wide intake-card">
            <h2>"About them"</h2>
            {body}
        </section>
    }
}

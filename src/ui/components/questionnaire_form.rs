//! The questionnaire form: one section at a time, as a plain server-rendered HTML form that
//! works with JavaScript off. With JavaScript on, the [`QuestionnaireEnhancer`] island makes it
//! better without re-rendering it: see `enhance.rs`.
//!
//! Why not render the form inside the island? An island ships its view code and its props
//! (the whole item bank) to the browser; enhancing the server's HTML in place keeps the
//! browser bundle within its 60 KB budget, and both paths share one rendering and one
//! server-side validation.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

/// The id of the form element; the enhancer finds the form by it.
pub const FORM_ID: &str = "questionnaire";
/// The id of an intake page's form (`ui::pages::intake`); the enhancer sends it in place.
pub const INTAKE_FORM_ID: &str = "intake-form";
/// Shown next to a statement left unanswered (the enhancer shows the same words).
pub const MISSING_MESSAGE: &str = "Please choose an answer for this statement.";

/// One question as the form shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemView {
    pub id: String,
    pub text: String,
    /// (value posted, label), in the order shown: the five ratings (and "Doesn't apply to me"
    /// where offered), or a framing question's options.
    pub choices: Vec<(u8, String)>,
    /// A question answered by choosing an option, not a statement to rate.
    pub framing: bool,
}

/// Everything one section's form needs.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionForm {
    /// `/q/<token>`: the private base path of this questionnaire.
    pub base: String,
    pub number: u8,
    pub total: u8,
    pub title: String,
    pub intro: String,
    pub items: Vec<ItemView>,
    /// Saved answers, question id → the value posted (0 for "Doesn't apply to me").
    pub answers: BTreeMap<String, u8>,
    /// Item ids to mark as unanswered (after a "continue" that found some).
    pub missing: BTreeSet<String>,
    /// The saved note for the practice (last section only).
    pub note: String,
    pub note_max_chars: usize,
}

#[component]
pub fn QuestionnaireForm(form: SectionForm) -> impl IntoView {
    let SectionForm {
        base,
        number,
        total,
        title,
        intro,
        items,
        answers,
        missing,
        note,
        note_max_chars,
    } = form;
    let last = number == total;
    let frames = items.iter().any(|i| i.framing);
    let questions = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let saved = answers.get(&item.id).copied();
            let unanswered = missing.contains(&item.id);
            view! { <Question number=index + 1 item saved unanswered /> }
        })
        .collect_view();
    let note_field = last.then(|| {
        view! {
            <div class="note-field">
                <label for="note">
                    "Anything you would like the practice to know before a consult? (optional)"
                </label>
                <p class="hint" id="note-hint">
                    {format!(
                        "Only the practice's clinicians and intake staff read this. Up to {note_max_chars} characters."
                    )}
                </p>
                <textarea
                    id="note"
                    name="note"
                    rows="5"
                    maxlength=note_max_chars
                    aria-describedby="note-hint"
                >
                    {note}
                </textarea>
            </div>
        }
    });
    let back = (number > 1).then(|| {
        view! {
            <button type="submit" name="nav" value="back" class="button secondary">
                "Back"
            </button>
        }
    });
    view! {
        <form
            id=FORM_ID
            class="questionnaire"
            method="post"
            action=format!("{base}/s/{number}")
            novalidate
        >
            <div class="progress">
                <p id="progress-label">{format!("Section {number} of {total}")}</p>
                <progress max=total value=number aria-labelledby="progress-label"></progress>
            </div>
            <h1 id="section-title" tabindex="-1">{title}</h1>
            <p class="intro">{intro}</p>
            <p class="scale-hint">
                {if frames {
                    "Choose the answer that fits best, and for each statement how much you agree. There are no right or wrong answers."
                } else {
                    "How much do you agree with each statement? There are no right or wrong answers."
                }}
            </p>
            {(!missing.is_empty())
                .then(|| {
                    view! {
                        <p class="form-alert" role="alert">
                            "A few statements still need an answer. They are marked below; everything else is saved."
                        </p>
                    }
                })}
            {questions}
            {note_field}
            // "Continue" comes first so that Enter submits forwards; CSS shows Back on the left.
            <div class="form-nav">
                <button type="submit" name="nav" value="next" class="button primary">
                    {if last { "Submit my answers" } else { "Save and continue" }}
                </button>
                {back}
            </div>
            <p id="save-status" class="save-status" role="status" aria-live="polite"></p>
        </form>
        <QuestionnaireEnhancer />
    }
}

#[component]
fn Question(number: usize, item: ItemView, saved: Option<u8>, unanswered: bool) -> impl IntoView {
    let id = item.id;
    let error_id = format!("err-{id}");
    let choices = item
        .choices
        .into_iter()
        .map(|(v, label)| {
            let input_id = format!("q-{id}-{v}");
            view! {
                <label class="choice" for=input_id.clone()>
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=format!("q_{id}")
                        value=v
                        checked=saved == Some(v)
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question"
            class:framing=item.framing
            class:unanswered=unanswered
            data-item=id.clone()
            aria-describedby=unanswered.then(|| error_id.clone())
        >
            <legend>
                <span class="question-number">{format!("{number}.")}</span>
                " "
                {item.text}
            </legend>
            {unanswered
                .then(|| view! { <p class="field-error" id=error_id.clone()>{MISSING_MESSAGE}</p> })}
            <div class="scale">{choices}</div>
        </fieldset>
    }
}

/// The browser half of the questionnaire. It renders nothing; once hydrated it enhances the
/// server-rendered form in place (instant checks, saving each answer as it is chosen, moving
/// between sections without a full page load).
#[island]
pub fn QuestionnaireEnhancer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    super::enhance::install();
}

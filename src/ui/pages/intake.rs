//! The intake pages: "about you" (the basics every couples intake asks) and the practice's own
//! questions, before the trust questionnaire. Plain forms: they work without JavaScript.

use leptos::prelude::*;

use crate::ui::components::questionnaire_form::{QuestionnaireEnhancer, INTAKE_FORM_ID};

/// How one question is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    ShortText,
    LongText,
    Number,
    Date,
    OneChoice,
    SeveralChoices,
}

/// One question on the page, with what the client gave (or posted) and any message.
#[derive(Debug, Clone)]
pub struct IntakeField {
    pub field: String,
    pub label: String,
    pub help: String,
    pub kind: FieldKind,
    /// `(value, label)` for choice questions.
    pub choices: Vec<(String, String)>,
    /// The values given: one for most kinds, any number for several choices.
    pub values: Vec<String>,
    pub required: bool,
    pub error: Option<String>,
    /// "If you chose … for …": a question that depends on an answer on the same page (shown
    /// to everyone, so the page works without JavaScript; an answer that does not apply is not
    /// kept).
    pub lead_in: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IntakeView {
    pub heading: String,
    pub intro: String,
    pub action: String,
    pub fields: Vec<IntakeField>,
    /// The page has a previous intake page to go back to.
    pub has_back: bool,
    pub alert: bool,
}

fn label_text(f: &IntakeField) -> String {
    if f.required {
        f.label.clone()
    } else {
        format!("{} (optional)", f.label)
    }
}

#[component]
fn Field(field: IntakeField) -> impl IntoView {
    let id = field.field.clone();
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described = [
        field.error.as_ref().map(|_| error_id.clone()),
        (!field.help.is_empty()).then(|| help_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = field.error.is_some().then_some("true");
    let label = label_text(&field);
    let lead_in = field
        .lead_in
        .clone()
        .map(|l| view! { <p class="lead-in">{l}</p> });
    let help = (!field.help.is_empty()).then(|| {
        let help_id = help_id.clone();
        view! { <p class="hint" id=help_id>{field.help.clone()}</p> }
    });
    let error = field.error.clone().map(|e| {
        let error_id = error_id.clone();
        view! { <p class="field-error" id=error_id>{e}</p> }
    });
    let value = field.values.first().cloned().unwrap_or_default();
    match field.kind {
        FieldKind::OneChoice | FieldKind::SeveralChoices => {
            let several = field.kind == FieldKind::SeveralChoices;
            let input_type = if several { "checkbox" } else { "radio" };
            let mut choices = field.choices.clone();
            // A single choice once made cannot be unmade without a way to say nothing.
            if !several && !field.required {
                choices.push((String::new(), "I'd rather not say".to_owned()));
            }
            let options = choices
                .into_iter()
                .enumerate()
                .map(|(n, (value, text))| {
                    let option_id = format!("{id}-{n}");
                    let label_for = option_id.clone();
                    let checked = !value.is_empty() && field.values.contains(&value);
                    view! {
                        <label class="choice" for=label_for>
                            <input type=input_type id=option_id name=id.clone() value=value checked=checked />
                            <span>{text}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="question intake-question" class:unanswered=invalid.is_some() aria-describedby=described>
                    <legend>{label}</legend>
                    {lead_in}
                    {help}
                    {error}
                    <div class="scale intake-choices">{options}</div>
                </fieldset>
            }
            .into_any()
        }
        kind => {
            let input = match kind {
                FieldKind::LongText => view! {
                    <textarea id=id.clone() name=id.clone() rows="4" aria-invalid=invalid
                        aria-describedby=described.clone()>{value}</textarea>
                }
                .into_any(),
                _ => {
                    let (input_type, mode) = match kind {
                        FieldKind::Number => ("text", Some("numeric")),
                        FieldKind::Date => ("date", None),
                        _ => ("text", None),
                    };
                    view! {
                        <input id=id.clone() name=id.clone() type=input_type inputmode=mode
                            value=value aria-invalid=invalid aria-describedby=described.clone() />
                    }
                    .into_any()
                }
            };
            view! {
                <div class="field intake-question">
                    <label for=id.clone()>{label}</label>
                    {lead_in}
                    {help}
                    {error}
                    {input}
                </div>
            }
            .into_any()
        }
    }
}

#[component]
pub fn IntakePage(intake: IntakeView) -> impl IntoView {
    let fields = intake
        .fields
        .into_iter()
        .map(|field| view! { <Field field /> })
        .collect_view();
    view! {
        <section class="card">
            <h1>{intake.heading}</h1>
            {intake.alert.then(|| view! {
                <p class="form-alert" role="alert">"Please check the questions marked below. Everything you gave is kept."</p>
            })}
            <p class="lead">{intake.intro}</p>
            <p class="hint">
                "Only the practice's clinicians and intake staff see your answers. Your partner never sees them, "
                "on any page or in any email."
            </p>
            <form method="post" action=intake.action id=INTAKE_FORM_ID novalidate>
                {fields}
                <div class="form-nav">
                    <button type="submit" class="button primary" name="nav" value="next">"Continue"</button>
                    {intake.has_back.then(|| view! {
                        <button type="submit" class="button" name="nav" value="back">"Back"</button>
                    })}
                </div>
                <p id="save-status" class="save-status" role="status" aria-live="polite"></p>
            </form>
            // With JavaScript, pages of the intake replace each other in the history, and
            // Quick exit replaces the page it leaves.
            <QuestionnaireEnhancer />
        </section>
    }
}

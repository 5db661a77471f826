//! The admin's editor of the intake form: the built-in basics (required or not), the practice's
//! own questions (add, order, retire), and the form as a file to move between installations.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};
use crate::ui::components::fields::error_for;

/// One question as the editor lists it.
#[derive(Debug, Clone)]
pub struct FormQuestionRow {
    pub key: String,
    pub label: String,
    pub help: String,
    pub kind: &'static str,
    /// The options' words (none for other kinds).
    pub choices: Vec<String>,
    pub required: bool,
    /// "Shown only if “…” is “…”".
    pub condition: Option<String>,
    pub builtin: bool,
    /// The practice words this question's options itself ("How did you hear about us").
    pub editable_choices: bool,
    pub first: bool,
    pub last: bool,
}

#[derive(Debug, Clone, Default)]
pub struct IntakeFormView {
    pub version: i32,
    pub rows: Vec<FormQuestionRow>,
    /// `(value, label)` of the kinds of answer.
    pub kinds: Vec<(&'static str, &'static str)>,
    /// `(value, label)` of every "show if" a new question can have: `key:option`.
    pub conditions: Vec<(String, String)>,
    /// The add form as typed, and its messages by field.
    pub values: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    /// A change that was refused as a whole (another admin published first, a dependency).
    pub alert: Option<String>,
    /// Import messages, one per problem.
    pub import_errors: Vec<String>,
}

fn change_button(
    version: i32,
    key: String,
    action: &'static str,
    text: &'static str,
    label: String,
) -> impl IntoView {
    view! {
        <form method="post" action="/staff/intake-form/change" class="inline-form">
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="action" value=action />
            <button type="submit" class="button secondary small" aria-label=format!("{text}: {label}")>{text}</button>
        </form>
    }
}

#[component]
fn QuestionRow(row: FormQuestionRow, version: i32) -> impl IntoView {
    let required = if row.required {
        change_button(
            version,
            row.key.clone(),
            "optional",
            "Make optional",
            row.label.clone(),
        )
        .into_any()
    } else {
        change_button(
            version,
            row.key.clone(),
            "required",
            "Make required",
            row.label.clone(),
        )
        .into_any()
    };
    let practice = (!row.builtin).then(|| {
        view! {
            {(!row.first).then(|| change_button(version, row.key.clone(), "up", "Move up", row.label.clone()))}
            {(!row.last).then(|| change_button(version, row.key.clone(), "down", "Move down", row.label.clone()))}
            {change_button(version, row.key.clone(), "retire", "Retire", row.label.clone())}
        }
    });
    view! {
        <li class="form-question">
            <p><strong>{row.label}</strong>{if row.required { " (required)" } else { " (optional)" }}</p>
            <p class="hint">
                {row.kind}
                {(!row.choices.is_empty()).then(|| format!(": {}", row.choices.join(", ")))}
            </p>
            {(!row.help.is_empty()).then(|| view! { <p class="hint">{format!("Help: {}", row.help)}</p> })}
            {row.condition.map(|c| view! { <p class="hint">{c}</p> })}
            <div class="row-actions">{required}{practice}</div>
            {row.editable_choices.then(|| {
                let id = format!("choices-{}", row.key);
                let label_for = id.clone();
                let lines = row.choices.join("\n");
                view! {
                    <form method="post" action="/staff/intake-form/change" class="stack">
                        <input type="hidden" name="version" value=version.to_string() />
                        <input type="hidden" name="key" value=row.key.clone() />
                        <input type="hidden" name="action" value="choices" />
                        <label for=label_for>"Its options, one per line"</label>
                        <textarea id=id name="choices" rows="6">{lines}</textarea>
                        <button type="submit" class="button secondary small">"Save the options"</button>
                    </form>
                }
            })}
        </li>
    }
}

#[component]
pub fn IntakeFormPage(user: StaffUser, form: IntakeFormView) -> impl IntoView {
    let version = form.version;
    let (builtin, practice): (Vec<FormQuestionRow>, Vec<FormQuestionRow>) =
        form.rows.into_iter().partition(|r| r.builtin);
    let builtin = builtin
        .into_iter()
        .map(|row| view! { <QuestionRow row version /> })
        .collect_view();
    let no_practice = practice.is_empty();
    let practice = practice
        .into_iter()
        .map(|row| view! { <QuestionRow row version /> })
        .collect_view();
    let value = |name: &str| crate::domain::form::value(&form.values, name).to_owned();
    let error = |name: &str| error_for(&form.errors, name);
    let kind_now = value("kind");
    let kinds = form
        .kinds
        .iter()
        .map(|(v, l)| view! { <option value=*v selected=kind_now == *v>{*l}</option> })
        .collect_view();
    let show_if_now = value("show_if");
    let conditions = form
        .conditions
        .iter()
        .map(|(v, l)| {
            let selected = show_if_now == *v;
            view! { <option value=v.clone() selected=selected>{l.clone()}</option> }
        })
        .collect_view();
    let field_error = |name: &str| {
        error(name).map(|e| {
            let id = format!("{name}-error");
            view! { <p class="field-error" id=id>{e}</p> }
        })
    };
    let described = |name: &str| error(name).map(|_| format!("{name}-error"));
    let required_now = value("required") == "yes";
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Intake form"</h1>
            {form.alert.map(|a| view! { <p class="form-alert" role="alert">{a}</p> })}
            <p>
                {format!("Version {version}. ")}
                "Every client answers these after agreeing to the privacy policy and before the "
                "questionnaire, each partner for themselves. Each change is published at once as a "
                "new version; answers already given keep the wording they were given under."
            </p>
            <h2>"The basics"</h2>
            <p class="hint">"Built in, and optional unless you make them required."</p>
            <ol class="form-questions">{builtin}</ol>
            <h2>"The practice's own questions"</h2>
            <p class="hint">"Asked on a page of their own, after the basics, in this order."</p>
            {no_practice.then(|| view! { <p>"None yet."</p> })}
            <ol class="form-questions">{practice}</ol>
        </section>
        <section class="card wide">
            <h2>"Add a question"</h2>
            <form method="post" action="/staff/intake-form/questions" class="stack" novalidate>
                <input type="hidden" name="version" value=version.to_string() />
                <div class="field">
                    <label for="label">"The question"</label>
                    {field_error("label")}
                    <input id="label" name="label" type="text" value=value("label") aria-describedby=described("label") aria-invalid=error("label").map(|_| "true") />
                </div>
                <div class="field">
                    <label for="help">"Help text (optional)"</label>
                    {field_error("help")}
                    <input id="help" name="help" type="text" value=value("help") aria-describedby=described("help") aria-invalid=error("help").map(|_| "true") />
                </div>
                <div class="field">
                    <label for="kind">"Kind of answer"</label>
                    {field_error("kind")}
                    <select id="kind" name="kind" aria-describedby=described("kind")>{kinds}</select>
                </div>
                <div class="field">
                    <label for="choices">"Options, one per line (for one or several choices)"</label>
                    {field_error("choices")}
                    <textarea id="choices" name="choices" rows="4" aria-describedby=described("choices") aria-invalid=error("choices").map(|_| "true")>{value("choices")}</textarea>
                </div>
                <div class="field">
                    <label for="show_if">"Show it"</label>
                    {field_error("show_if")}
                    <select id="show_if" name="show_if" aria-describedby=described("show_if")>
                        <option value="">"To everyone"</option>
                        {conditions}
                    </select>
                </div>
                <div class="field consent">
                    <label for="required">
                        <input type="checkbox" id="required" name="required" value="yes" checked=required_now />
                        "Required (a client cannot go on without answering it, when it is shown)"
                    </label>
                </div>
                <button type="submit" class="button primary">"Add and publish"</button>
            </form>
        </section>
        <section class="card wide">
            <h2>"Move the form between installations"</h2>
            <p><a href="/staff/intake-form.json" download="intake-form.json">"Download the form (JSON)"</a></p>
            <form method="post" action="/staff/intake-form/import" enctype="multipart/form-data" class="stack">
                <input type="hidden" name="version" value=version.to_string() />
                <div class="field">
                    <label for="file">"Import a form file"</label>
                    <p class="hint" id="file-hint">"Replaces the practice's own questions and which basics are required. Answers already given keep their wording."</p>
                    {(!form.import_errors.is_empty()).then(|| view! {
                        <ul class="field-errors" id="file-error">
                            {form.import_errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                        </ul>
                    })}
                    <input id="file" name="file" type="file" accept=".json,application/json" aria-describedby="file-hint" />
                </div>
                <button type="submit" class="button secondary">"Import and publish"</button>
            </form>
        </section>
    }
}

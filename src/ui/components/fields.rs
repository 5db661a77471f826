//! Form fields shared by the client's and the workspace's forms: a labelled text input and a
//! required tick box, each with its message next to it when the server refused it.

use leptos::prelude::*;

pub fn error_for(errors: &[(String, String)], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
}

#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: String,
    error: Option<String>,
    hint: Option<&'static str>,
    /// A field the person may leave empty (the label says so).
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = match (&error, hint) {
        (Some(_), Some(_)) => Some(format!("{error_id} {hint_id}")),
        (Some(_), None) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="field">
            <label for=id>{label}{optional.then_some(" (optional)")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                value=value
                required=!optional
                aria-invalid=invalid
                aria-describedby=described
            />
        </div>
    }
}

/// A required tick box (value "yes") with its label, and the reason it was refused.
#[component]
pub fn CheckboxField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    checked: bool,
    error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = error.is_some().then_some("true");
    let described = error.is_some().then(|| error_id.clone());
    view! {
        <div class="field consent">
            {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <label for=id>
                <input
                    type="checkbox"
                    id=id
                    name=name
                    value="yes"
                    checked=checked
                    required
                    aria-invalid=invalid
                    aria-describedby=described
                />
                {label}
            </label>
        </div>
    }
}

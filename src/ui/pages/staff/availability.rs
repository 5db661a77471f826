//! `/staff/availability`: the practice's consult rules (admins) and each clinician's weekly
//! hours and days off, in the practice's time zone.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// The consult rules form, as shown (after a failed save: as typed, with messages).
#[derive(Clone, Debug)]
pub struct RulesForm {
    pub length: String,
    pub buffer: String,
    pub notice_hours: String,
    pub horizon_days: String,
    pub editable: bool,
    pub errors: Vec<(String, String)>,
}

/// One clinician's hours form.
#[derive(Clone, Debug)]
pub struct HoursForm {
    pub clinician_id: i64,
    pub clinician_name: String,
    /// `(field name, weekday label, value)`, Monday first.
    pub days: Vec<(&'static str, &'static str, String)>,
    pub days_off: String,
    pub offers_consults: bool,
    pub errors: Vec<(String, String)>,
}

/// Everything the page shows.
#[derive(Clone, Debug)]
pub struct AvailabilityView {
    pub zone: String,
    pub rules: RulesForm,
    pub hours: HoursForm,
    /// Clinicians an admin may pick: `(id, name)`. Empty for clinicians (they edit their own).
    pub clinicians: Vec<(i64, String)>,
    pub saved: Option<String>,
}

fn error_of(errors: &[(String, String)], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
}

#[component]
fn Field(
    id: String,
    name: &'static str,
    label: String,
    value: String,
    hint: Option<&'static str>,
    error: Option<String>,
    #[prop(default = true)] editable: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = [
        error.as_ref().map(|_| error_id.clone()),
        hint.map(|_| hint_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <input
                id=id
                name=name
                value=value
                readonly=!editable
                aria-invalid=invalid
                aria-describedby=described
            />
        </div>
    }
}

#[component]
pub fn AvailabilityPage(user: StaffUser, page: AvailabilityView) -> impl IntoView {
    let AvailabilityView {
        zone,
        rules,
        hours,
        clinicians,
        saved,
    } = page;
    let rule_errors = rules.errors.clone();
    let editable = rules.editable;
    let rules_button = editable.then(
        || view! { <button type="submit" class="button primary">"Save consult rules"</button> },
    );
    let picker = (!clinicians.is_empty()).then(|| {
        let current = hours.clinician_id;
        let options = clinicians
            .into_iter()
            .map(|(id, name)| {
                view! { <option value=id.to_string() selected=id == current>{name}</option> }
            })
            .collect_view();
        view! {
            <form method="get" action="/staff/availability" class="inline-form">
                <label for="clinician">"Clinician"</label>
                <select id="clinician" name="clinician">{options}</select>
                <button type="submit" class="button secondary small">"Show"</button>
            </form>
        }
    });
    let hour_errors = hours.errors.clone();
    let days = hours
        .days
        .into_iter()
        .map(|(name, label, value)| {
            view! {
                <Field
                    id=format!("hours-{name}")
                    name=name
                    label=label.to_owned()
                    value=value
                    hint=None
                    error=error_of(&hour_errors, name)
                />
            }
        })
        .collect_view();
    let days_off_error = error_of(&hour_errors, "days_off");
    let days_off_invalid = days_off_error.is_some().then_some("true");
    let days_off_described = if days_off_error.is_some() {
        "days-off-hint days-off-error"
    } else {
        "days-off-hint"
    };
    view! {
        <StaffBar user />
        <section class="card narrow">
            <h1>"Availability"</h1>
            {saved.map(|s| view! { <p class="form-ok" role="status">{s}</p> })}
            <p>{format!("All times are in the practice's time zone, {zone}. Clients see them in their own.")}</p>
            <p><a href="/staff/calendar-feed">"See your consults in your own calendar app"</a></p>
        </section>
        <section class="card narrow">
            <h2>"Consult rules"</h2>
            <form method="post" action="/staff/availability/rules" class="stack">
                <Field id="length".into() name="length" label="Consult length (minutes)".into()
                    value=rules.length hint=None error=error_of(&rule_errors, "length") editable />
                <Field id="buffer".into() name="buffer" label="Break after each consult (minutes)".into()
                    value=rules.buffer hint=None error=error_of(&rule_errors, "buffer") editable />
                <Field id="notice_hours".into() name="notice_hours" label="Minimum notice (hours)".into()
                    value=rules.notice_hours hint=Some("How soon a client can book: 24 means no consult within the next day.")
                    error=error_of(&rule_errors, "notice_hours") editable />
                <Field id="horizon_days".into() name="horizon_days" label="Clients can book up to (days ahead)".into()
                    value=rules.horizon_days hint=None error=error_of(&rule_errors, "horizon_days") editable />
                {rules_button}
            </form>
        </section>
        <section class="card narrow">
            <h2>{format!("Weekly hours: {}", hours.clinician_name)}</h2>
            {picker}
            <form method="post" action="/staff/availability/hours" class="stack">
                <input type="hidden" name="clinician" value=hours.clinician_id.to_string() />
                <label class="checkbox" for="offers">
                    <input type="checkbox" id="offers" name="offers" value="yes" checked=hours.offers_consults />
                    " Offers consults that clients can book"
                </label>
                <p class="hint" id="hours-hint">"For each day, windows like 09:00-12:00, 13:00-17:00. Leave a day empty for no hours."</p>
                {days}
                <label for="days_off">"Days off"</label>
                <p class="hint" id="days-off-hint">"Dates like 2026-12-24, separated by commas or lines."</p>
                {days_off_error.map(|e| view! { <p class="field-error" id="days-off-error">{e}</p> })}
                <textarea id="days_off" name="days_off" rows="3" aria-invalid=days_off_invalid
                    aria-describedby=days_off_described>{hours.days_off}</textarea>
                <button type="submit" class="button primary">"Save hours"</button>
            </form>
        </section>
    }
}

//! The practice's referral directory: everyone reads it, admins keep it (add, edit, retire,
//! import and export a CSV). It holds no client data.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};
use crate::ui::components::fields::error_for;

/// One entry as the list shows it.
#[derive(Clone, Debug)]
pub struct DirectoryRow {
    pub id: i64,
    pub name: String,
    pub categories: String,
    pub languages: String,
    pub delivery: String,
    pub accepting: bool,
    pub reach: String,
    pub last_checked: String,
    /// Not checked for longer than the practice allows.
    pub stale: bool,
    pub retired: bool,
}

/// The list's filters, as chosen.
#[derive(Clone, Debug, Default)]
pub struct DirectoryFilters {
    /// `(value, label)` of every category.
    pub categories: Vec<(String, String)>,
    pub category: String,
    pub language: String,
    pub accepting: bool,
    pub stale: bool,
    pub retired: bool,
    pub stale_days: i64,
}

/// How the last import went.
#[derive(Clone, Debug, Default)]
pub struct ImportResult {
    pub imported: Option<usize>,
    /// "Line 3: categories: …", one per refused row.
    pub errors: Vec<String>,
}

#[component]
pub fn DirectoryPage(
    user: StaffUser,
    rows: Vec<DirectoryRow>,
    filters: DirectoryFilters,
    import: ImportResult,
) -> impl IntoView {
    let admin = user.is_admin;
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            let name = if admin {
                view! { <a href=format!("/staff/directory/{}", r.id)>{r.name}</a> }.into_any()
            } else {
                view! { <span>{r.name}</span> }.into_any()
            };
            view! {
                <tr class:retired=r.retired>
                    <td>{name}{r.retired.then_some(" (retired)")}</td>
                    <td>{r.categories}</td>
                    <td>{r.languages}</td>
                    <td>{r.delivery}</td>
                    <td>{if r.accepting { "Yes" } else { "No" }}</td>
                    <td>{r.reach}</td>
                    <td>{r.last_checked}{r.stale.then(|| view! { " " <strong class="flag-safety">"Check again"</strong> })}</td>
                </tr>
            }
        })
        .collect_view();
    let options = filters
        .categories
        .iter()
        .map(|(value, label)| {
            let selected = *value == filters.category;
            view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
        })
        .collect_view();
    let import_notice = import
        .imported
        .map(|n| view! { <p class="form-ok" role="status">{format!("Imported {n} entries.")}</p> });
    let import_errors = (!import.errors.is_empty()).then(|| {
        let items = import
            .errors
            .into_iter()
            .map(|e| view! { <li>{e}</li> })
            .collect_view();
        view! {
            <div class="form-alert" role="alert" id="import-errors">
                <p>"Nothing was imported. Fix these lines and import the whole file again:"</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let admin_tools = admin.then(|| {
        view! {
            <section class="card">
                <h2>"Keep the directory"</h2>
                <p><a class="button primary small" href="/staff/directory/new">"Add an entry"</a>
                   " " <a class="button secondary small" href="/staff/directory.csv">"Export CSV"</a></p>
                {import_notice}
                {import_errors}
                <form method="post" action="/staff/directory/import" enctype="multipart/form-data" class="stack">
                    <label for="import-file">"Import a CSV (Open Referral field names where they fit: name, email, url, phone, fees_description, application_process, assured_date; plus kind, categories, languages, delivery, accepting_new_clients)"</label>
                    <input type="file" id="import-file" name="file" accept=".csv,text/csv" required />
                    <button type="submit" class="button secondary small">"Import"</button>
                </form>
            </section>
        }
    });
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Directory"</h1>
            <p class="hint">{format!(
                "Services and clinicians the practice refers to. It holds no client data. Entries not checked for {} days are marked \"Check again\".",
                filters.stale_days
            )}</p>
            <form method="get" action="/staff/directory" class="filters">
                <div class="field">
                    <label for="category">"Category"</label>
                    <select id="category" name="category">
                        <option value="">"Any"</option>
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for="language">"Language"</label>
                    <input type="text" id="language" name="language" value=filters.language />
                </div>
                <label><input type="checkbox" name="accepting" value="1" checked=filters.accepting />" Accepting new clients"</label>
                <label><input type="checkbox" name="stale" value="1" checked=filters.stale />" Needs checking"</label>
                <label><input type="checkbox" name="retired" value="1" checked=filters.retired />" Include retired"</label>
                <button type="submit" class="button secondary small">"Filter"</button>
            </form>
            {if empty {
                view! { <p>"No entries match."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Directory table">
                        <table class="directory">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Categories"</th>
                                    <th scope="col">"Languages"</th>
                                    <th scope="col">"Where"</th>
                                    <th scope="col">"Accepting"</th>
                                    <th scope="col">"How to reach"</th>
                                    <th scope="col">"Last checked"</th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {admin_tools}
    }
}

/// The form that adds or edits an entry, with what was sent and why it was refused.
#[derive(Clone, Debug, Default)]
pub struct EntryForm {
    pub heading: String,
    pub action: String,
    pub values: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub categories: Vec<(String, String)>,
    pub deliveries: Vec<(String, String)>,
    /// For an existing entry: where to retire (or restore) it, and whether it is retired.
    pub retire: Option<(String, bool)>,
}

#[component]
pub fn EntryPage(user: StaffUser, form: EntryForm) -> impl IntoView {
    let EntryForm {
        heading,
        action,
        values,
        errors,
        categories,
        deliveries,
        retire,
    } = form;
    let value = |name: &str| crate::domain::form::value(&values, name).to_owned();
    let chosen: Vec<String> = values
        .iter()
        .filter(|(k, _)| k == "categories")
        .flat_map(|(_, v)| {
            v.split(';')
                .map(|p| p.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let error = |field: &str| error_for(&errors, field);
    let text = |id: &'static str, label: &'static str, hint: Option<&'static str>| {
        let e = error(id);
        let error_id = format!("{id}-error");
        let described = e.is_some().then(|| error_id.clone());
        let invalid = e.is_some().then_some("true");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {hint.map(|h| view! { <p class="hint">{h}</p> })}
                {e.map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
                <input type="text" id=id name=id value=value(id) aria-invalid=invalid aria-describedby=described />
            </div>
        }
    };
    let category_boxes = categories
        .into_iter()
        .map(|(v, label)| {
            let id = format!("cat-{v}");
            let label_for = id.clone();
            let checked = chosen.contains(&v);
            view! {
                <label for=label_for><input type="checkbox" id=id name="categories" value=v checked=checked />" " {label}</label>
            }
        })
        .collect_view();
    let delivery = value("delivery");
    let delivery_options = deliveries
        .into_iter()
        .map(|(v, label)| {
            let selected = v == delivery;
            view! { <option value=v selected=selected>{label}</option> }
        })
        .collect_view();
    let kind = value("kind");
    let yes_no = |id: &'static str, label: &'static str| {
        let current = value(id);
        let e = error(id);
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {e.map(|m| view! { <p class="field-error" id=format!("{id}-error")>{m}</p> })}
                <select id=id name=id>
                    <option value="yes" selected=current == "yes">"Yes"</option>
                    <option value="no" selected=current == "no">"No"</option>
                </select>
            </div>
        }
    };
    let alert = (!errors.is_empty()).then(|| {
        view! { <p class="form-alert" role="alert">"Please check the fields marked below. Nothing is saved yet."</p> }
    });
    let retire_form = retire.map(|(action, retired)| {
        let (label, value) = if retired {
            ("Bring back into the directory", "0")
        } else {
            ("Retire this entry", "1")
        };
        view! {
            <form method="post" action=action class="stack">
                <input type="hidden" name="retire" value=value />
                <p class="hint">"A retired entry leaves the lists and cannot be chosen for new referrals; referrals already sent keep naming it."</p>
                <button type="submit" class="button secondary small">{label}</button>
            </form>
        }
    });
    view! {
        <StaffBar user />
        <section class="card">
            <h1>{heading}</h1>
            {alert}
            <form method="post" action=action class="stack entry-form" novalidate>
                {text("name", "Name", None)}
                <div class="field">
                    <label for="kind">"Kind"</label>
                    {error("kind").map(|m| view! { <p class="field-error" id="kind-error">{m}</p> })}
                    <select id="kind" name="kind">
                        <option value="organisation" selected=kind != "clinician">"An organisation"</option>
                        <option value="clinician" selected=kind == "clinician">"A clinician"</option>
                    </select>
                </div>
                <fieldset class="field">
                    <legend>"Categories"</legend>
                    {error("categories").map(|m| view! { <p class="field-error" id="categories-error">{m}</p> })}
                    <div class="stack">{category_boxes}</div>
                </fieldset>
                {text("languages", "Languages", Some("Separated by ; (for example: English; Spanish)"))}
                {text("modalities", "Modalities or approach", None)}
                <div class="field">
                    <label for="delivery">"Where they see people"</label>
                    {error("delivery").map(|m| view! { <p class="field-error" id="delivery-error">{m}</p> })}
                    <select id="delivery" name="delivery">{delivery_options}</select>
                </div>
                {text("location", "Location or area served", None)}
                {text("fees_description", "Fees", None)}
                {yes_no("sliding_scale", "Sliding scale")}
                {yes_no("accepting_new_clients", "Accepting new clients")}
                {text("phone", "Phone", Some("At least one of phone, email or website."))}
                {text("email", "Email", None)}
                {text("url", "Website", Some("The full address, starting with https://"))}
                {text("application_process", "How to refer", Some("For example: call and ask for intake; an online form."))}
                {text("assured_date", "Last checked (YYYY-MM-DD)", None)}
                <button type="submit" class="button primary small">"Save"</button>
            </form>
            {retire_form}
            <p><a href="/staff/directory">"Back to the directory"</a></p>
        </section>
    }
}

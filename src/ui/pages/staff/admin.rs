//! Workspace pages for account matters: clinicians (admins), the audit log (admins), and
//! changing one's own password.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// One account as the clinicians page lists it.
#[derive(Clone, Debug)]
pub struct ClinicianRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub active: bool,
    /// Locked after wrong passwords, until this time.
    pub locked_until: Option<String>,
    /// Signs in with a code as well as the password.
    pub two_step: bool,
}

/// What the "add a clinician" form shows after a failed attempt.
#[derive(Clone, Debug, Default)]
pub struct NewClinicianForm {
    pub email: String,
    pub name: String,
    pub error: Option<(&'static str, String)>,
    pub created: Option<String>,
}

#[component]
pub fn CliniciansPage(
    user: StaffUser,
    rows: Vec<ClinicianRow>,
    form: NewClinicianForm,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let action = format!("/staff/clinicians/{}/active", row.id);
            let (label, value) = if row.active {
                ("Deactivate", "0")
            } else {
                ("Reactivate", "1")
            };
            let button_label = format!("{label} {}", row.name);
            let unlock_action = format!("/staff/clinicians/{}/unlock", row.id);
            let unlock_label = format!("Unlock {}", row.name);
            let locked = row.locked_until.clone();
            let two_step_action = format!("/staff/clinicians/{}/two-step/off", row.id);
            let two_step_label = format!("Turn off two-step sign-in for {}", row.name);
            let two_step = row.two_step;
            let profile = format!("/staff/clinicians/{}/profile", row.id);
            view! {
                <tr>
                    <td><a href=profile>{row.name}</a></td>
                    <td>{row.email}</td>
                    <td>{row.role}</td>
                    <td>
                        {if row.active { "Active" } else { "Deactivated" }}
                        {locked.map(|until| {
                            view! {
                                <br /><span class="flag-safety">{format!("Locked until {until}")}</span>
                                <form method="post" action=unlock_action>
                                    <button type="submit" class="button secondary small" aria-label=unlock_label>"Unlock"</button>
                                </form>
                            }
                        })}
                        {two_step.then(|| {
                            view! {
                                <br /><span>"Two-step sign-in on"</span>
                                <form method="post" action=two_step_action>
                                    <button type="submit" class="button secondary small" aria-label=two_step_label>"Turn off (lost phone)"</button>
                                </form>
                            }
                        })}
                    </td>
                    <td>
                        <form method="post" action=action>
                            <input type="hidden" name="active" value=value />
                            <button type="submit" class="button secondary small" aria-label=button_label>
                                {label}
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let error_for = |field: &'static str| {
        form.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(f, m)| view! { <span class="field-error" id=format!("new-{f}-error")>{m.clone()}</span> })
    };
    let email_error = error_for("email");
    let password_error = error_for("password");
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Clinicians"</h1>
            {form.created.map(|c| view! { <p class="form-ok" role="status">{c}</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Accounts table">
                <table>
                    <caption class="visually-hidden">"Accounts"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Action"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
        <section class="card narrow">
            <h2>"Add a clinician"</h2>
            <form method="post" action="/staff/clinicians" class="stack">
                <label for="new-name">"Name"</label>
                <input id="new-name" name="name" required value=form.name />
                <label for="new-email">"Email"</label>
                <input id="new-email" name="email" type="email" required value=form.email />
                {email_error}
                <label for="new-password">"First password (they can change it)"</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password" required />
                {password_error}
                <label for="new-role">"Role"</label>
                <select id="new-role" name="role">
                    <option value="clinician">"Clinician"</option>
                    <option value="coordinator">"Intake coordinator"</option>
                    <option value="admin">"Admin"</option>
                </select>
                <button type="submit" class="button primary">"Add"</button>
            </form>
        </section>
    }
}

#[component]
pub fn PasswordPage(user: StaffUser, error: Option<(&'static str, String)>) -> impl IntoView {
    let error_for = |field: &'static str| {
        error.as_ref().filter(|(f, _)| *f == field).map(
            |(f, m)| view! { <span class="field-error" id=format!("{f}-error")>{m.clone()}</span> },
        )
    };
    let current_error = error_for("current");
    let new_error = error_for("new");
    view! {
        <StaffBar user />
        <section class="card narrow">
            <h1>"Change your password"</h1>
            <p>"Changing it logs you out everywhere, this browser included."</p>
            <form method="post" action="/staff/password" class="stack">
                <label for="current">"Current password"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
                {current_error}
                <label for="new">"New password"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required />
                {new_error}
                <button type="submit" class="button primary">"Change password"</button>
            </form>
        </section>
    }
}

/// One audit row as shown.
#[derive(Clone, Debug)]
pub struct AuditRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub reference: Option<String>,
}

#[component]
pub fn AuditPage(user: StaffUser, rows: Vec<AuditRow>, next_page: Option<String>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.at}</td>
                    <td>{r.who}</td>
                    <td>{r.action}</td>
                    <td>{r.reference.unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Audit log"</h1>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Audit table">
                <table class="audit">
                    <caption class="visually-hidden">"Audit events, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"Submission"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {next_page.map(|href| view! { <p><a href=href rel="next">"Older events"</a></p> })}
        </section>
    }
}

/// One undelivered message as the email page shows it (never its recipient or body).
#[derive(Clone, Debug)]
pub struct OutboxRow {
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub created: String,
    pub last_error: String,
}

#[component]
pub fn OutboxPage(
    user: StaffUser,
    counts: [(&'static str, i64); 4],
    rows: Vec<OutboxRow>,
) -> impl IntoView {
    let summary = counts
        .into_iter()
        .map(|(label, n)| view! { <li>{format!("{label}: {n}")}</li> })
        .collect_view();
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.created}</td>
                    <td>{r.kind}</td>
                    <td>{r.status}</td>
                    <td>{r.attempts}</td>
                    <td>{r.last_error}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Email"</h1>
            <ul class="outbox-counts">{summary}</ul>
            <h2>"Not delivered yet"</h2>
            {empty.then(|| view! { <p>"Every message so far went out on its first try."</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Undelivered messages table">
                <table class="outbox">
                    <caption class="visually-hidden">"Messages that failed at least once, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Queued (UTC)"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Attempts"</th>
                            <th scope="col">"Last error"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}

/// A clinician's profile, as the admin's form shows it.
#[derive(Clone, Debug, Default)]
pub struct ProfileForm {
    pub name: String,
    pub action: String,
    /// `(value, label, checked)`.
    pub specialties: Vec<(&'static str, &'static str, bool)>,
    pub languages: String,
    pub accepting_couples: bool,
    pub video: bool,
    pub place: String,
    pub error: Option<String>,
}

#[component]
pub fn ProfilePage(user: StaffUser, form: ProfileForm) -> impl IntoView {
    let ProfileForm {
        name,
        action,
        specialties,
        languages,
        accepting_couples,
        video,
        place,
        error,
    } = form;
    let boxes = specialties
        .into_iter()
        .map(|(value, label, checked)| {
            let id = format!("spec-{value}");
            let label_for = id.clone();
            view! { <label for=label_for><input type="checkbox" id=id name="specialties" value=value checked=checked />" " {label}</label> }
        })
        .collect_view();
    view! {
        <StaffBar user />
        <section class="card">
            <h1>{format!("Profile: {name}")}</h1>
            <p class="hint">"Consults are routed by it: a discernment-style consult goes to someone trained in discernment counseling, an individual consult first to someone IPV-informed, and a couple's consult to someone accepting new couples."</p>
            {error.map(|e| view! { <p class="form-alert" role="alert">{e}</p> })}
            <form method="post" action=action class="stack" novalidate>
                <fieldset class="field">
                    <legend>"Specialties"</legend>
                    <div class="stack">{boxes}</div>
                </fieldset>
                <div class="field">
                    <label for="languages">"Languages"</label>
                    <input type="text" id="languages" name="languages" value=languages />
                </div>
                <label for="accepting_couples"><input type="checkbox" id="accepting_couples" name="accepting_couples" value="yes" checked=accepting_couples />" Accepting new couples"</label>
                <div class="field">
                    <label for="consult_format">"First consults"</label>
                    <select id="consult_format" name="consult_format">
                        <option value="in_person" selected=!video>"In person"</option>
                        <option value="video" selected=video>"By video"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="consult_place">"Office address, or the video link"</label>
                    <input type="text" id="consult_place" name="consult_place" value=place maxlength="300" />
                </div>
                <button type="submit" class="button primary small">"Save profile"</button>
            </form>
            <p><a href="/staff/clinicians">"Back to clinicians"</a></p>
        </section>
    }
}

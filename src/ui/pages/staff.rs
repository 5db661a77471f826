//! The clinician workspace: login, the list of submissions, one submission.
//!
//! Everything a client typed (the note) is rendered as text: Leptos escapes it, so markup in it
//! stays inert.

use leptos::prelude::*;

use crate::domain::scoring::ReadinessResult;

#[component]
pub fn LoginPage(email: String, error: Option<String>) -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Clinician login"</h1>
            {error.map(|e| view! { <p class="form-alert" role="alert" id="login-error">{e}</p> })}
            <form method="post" action="/staff/login" class="stack">
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required value=email />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <button type="submit" class="button primary">"Log in"</button>
            </form>
        </section>
    }
}

/// The bar at the top of every workspace page.
#[component]
fn StaffBar(name: String) -> impl IntoView {
    view! {
        <nav class="staff-bar" aria-label="Workspace">
            <a href="/staff">"Submissions"</a>
            <span class="who">{name}</span>
            <form method="post" action="/staff/logout">
                <button type="submit" class="button secondary small">"Log out"</button>
            </form>
        </nav>
    }
}

/// One row of the submissions list, ready to show.
#[derive(Clone, Debug)]
pub struct SubmissionRow {
    pub reference: String,
    pub started: String,
    pub status: &'static str,
    pub overall: Option<u8>,
    pub band: Option<&'static str>,
}

#[component]
pub fn SubmissionsPage(
    clinician_name: String,
    rows: Vec<SubmissionRow>,
    next_page: Option<String>,
) -> impl IntoView {
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|row| {
            let href = format!("/staff/submissions/{}", row.reference);
            view! {
                <tr>
                    <td><a href=href>{row.reference}</a></td>
                    <td>{row.started}</td>
                    <td>{row.status}</td>
                    <td>{row.overall.map(|o| o.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td>{row.band.unwrap_or("—")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar name=clinician_name />
        <section class="card wide">
            <h1>"Submissions"</h1>
            {empty.then(|| view! { <p>"No submissions yet."</p> })}
            <div class="table-scroll">
                <table class="submissions">
                    <caption class="visually-hidden">"Submissions, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Reference"</th>
                            <th scope="col">"Started (UTC)"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Readiness"</th>
                            <th scope="col">"Band"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {next_page.map(|href| view! { <p><a href=href rel="next">"Older submissions"</a></p> })}
        </section>
    }
}

/// One answer as the clinician reads it.
#[derive(Clone, Debug)]
pub struct AnswerRow {
    pub section: String,
    pub text: String,
    pub answer: String,
    pub reverse: bool,
}

/// One submission as the clinician reads it.
#[derive(Clone, Debug)]
pub struct SubmissionDetail {
    pub reference: String,
    pub started: String,
    pub status: &'static str,
    pub result: Option<ReadinessResult>,
    pub answers: Vec<AnswerRow>,
    pub note: Option<String>,
}

#[component]
pub fn SubmissionPage(clinician_name: String, detail: SubmissionDetail) -> impl IntoView {
    let SubmissionDetail {
        reference,
        started,
        status,
        result,
        answers,
        note,
    } = detail;
    let scores = result.map(|r| {
        let dims = r
            .dimensions
            .iter()
            .map(
                |d| view! { <tr><th scope="row">{d.dimension.label()}</th><td>{d.score}</td></tr> },
            )
            .collect_view();
        view! {
            <section class="card">
                <h2>"Readiness"</h2>
                <p class="overall-line">
                    <strong>{format!("{} / 100", r.overall)}</strong>
                    {format!(" · {} · instrument v{}", r.band.label(), r.instrument_version)}
                </p>
                <table class="scores">
                    <caption class="visually-hidden">"Scores by dimension"</caption>
                    <tbody>{dims}</tbody>
                </table>
            </section>
        }
    });
    let answer_rows = answers
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{a.section}</td>
                    <td>{a.text}{a.reverse.then_some(" (reverse-keyed)")}</td>
                    <td>{a.answer}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar name=clinician_name />
        <section class="card">
            <h1>{format!("Submission {reference}")}</h1>
            <p>{format!("Started {started} · {status}")}</p>
        </section>
        {scores}
        <section class="card">
            <h2>"Note from the client"</h2>
            <p class="client-note">{note.unwrap_or_else(|| "No note.".into())}</p>
        </section>
        <section class="card wide">
            <h2>"Answers"</h2>
            <div class="table-scroll">
                <table class="answers">
                    <caption class="visually-hidden">"Every answer, in questionnaire order"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Section"</th>
                            <th scope="col">"Statement"</th>
                            <th scope="col">"Answer"</th>
                        </tr>
                    </thead>
                    <tbody>{answer_rows}</tbody>
                </table>
            </div>
        </section>
    }
}

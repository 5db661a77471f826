//! The list of submissions, with its filters.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// One row of the submissions list, ready to show.
#[derive(Clone, Debug)]
pub struct SubmissionRow {
    pub reference: String,
    pub started: String,
    pub status: &'static str,
    pub workflow: &'static str,
    pub overall: Option<u8>,
    pub band: Option<&'static str>,
    /// The live consult, in the practice's zone.
    pub consult: Option<String>,
    /// "A" or "B" when part of a couple.
    pub partner: Option<&'static str>,
    /// A positive private check-in, theirs or their partner's.
    pub safety: bool,
    /// Their couple has a mixed agenda.
    pub mixed_agenda: bool,
    /// Who looks after them, by name.
    pub owner: Option<String>,
    /// Their newest referral's state ("Sent", "Connected", …).
    pub referral: Option<&'static str>,
}

/// The list's filter form, as the clinician filled it in.
#[derive(Clone, Debug, Default)]
pub struct FilterForm {
    /// "safety", "mixed_agenda" or empty.
    pub flag: String,
    /// Part of a client's name (from their booking).
    pub name: String,
    pub workflow: String,
    pub band: String,
    pub from: String,
    pub to: String,
    pub reference: String,
    /// Field name → message, for values that could not be used.
    pub errors: Vec<(&'static str, String)>,
    /// The query string of the current filter, for the CSV link.
    pub query: String,
    /// `mine` or `unassigned`, and `unassigned` to sort those first.
    pub owner: String,
    pub sort: String,
    /// How the client would like to meet (`in_person`, `video`) and children at home.
    pub meet: String,
    pub children: String,
    /// The current filter's `(name, value)` pairs, carried by the export form.
    pub pairs: Vec<(&'static str, String)>,
}

pub(super) fn options(
    choices: Vec<(&'static str, &'static str)>,
    selected: String,
) -> impl IntoView {
    let any = view! { <option value="">"Any"</option> };
    let rest = choices
        .into_iter()
        .map(|(value, label)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{label}</option> }
        })
        .collect_view();
    (any, rest)
}

#[component]
pub(super) fn Filters(
    form: FilterForm,
    workflows: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let error = |field: &'static str| {
        form.errors.iter().find(|(f, _)| *f == field).map(
            |(f, m)| view! { <span class="field-error" id=format!("{f}-error")>{m.clone()}</span> },
        )
    };
    let from_error = error("from");
    let to_error = error("to");
    view! {
        <form method="get" action="/staff" class="filters">
            <div>
                <label for="f-workflow">"Workflow"</label>
                <select id="f-workflow" name="workflow">{options(workflows, form.workflow)}</select>
            </div>
            <div>
                <label for="f-band">"Band"</label>
                <select id="f-band" name="band">{options(bands, form.band)}</select>
            </div>
            <div>
                <label for="f-from">"Started from"</label>
                <input id="f-from" name="from" type="date" value=form.from />
                {from_error}
            </div>
            <div>
                <label for="f-to">"Started until"</label>
                <input id="f-to" name="to" type="date" value=form.to />
                {to_error}
            </div>
            <div>
                <label for="f-flag">"Flag"</label>
                <select id="f-flag" name="flag">
                    {options(
                        vec![("safety", "Safety screen positive"), ("mixed_agenda", "Mixed agenda")],
                        form.flag,
                    )}
                </select>
            </div>
            <div>
                <label for="f-owner">"Owner"</label>
                <select id="f-owner" name="owner">
                    {options(vec![("mine", "Mine"), ("unassigned", "Unassigned")], form.owner)}
                </select>
            </div>
            <div>
                <label for="f-sort">"Order"</label>
                <select id="f-sort" name="sort">
                    <option value="">"Newest first"</option>
                    <option value="unassigned" selected=form.sort == "unassigned">"Unassigned first"</option>
                </select>
            </div>
            <div>
                <label for="f-meet">"Would meet"</label>
                <select id="f-meet" name="meet">
                    {options(
                        vec![("in_person", "In person (or either)"), ("video", "By video (or either)")],
                        form.meet,
                    )}
                </select>
            </div>
            <div>
                <label for="f-children">"Children at home"</label>
                <select id="f-children" name="children">
                    {options(vec![("yes", "Yes"), ("no", "No")], form.children)}
                </select>
            </div>
            <div>
                <label for="f-q">"Reference"</label>
                <input id="f-q" name="q" type="search" value=form.reference />
            </div>
            <div>
                <label for="f-name">"Client name"</label>
                <input id="f-name" name="name" type="search" value=form.name />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary small">"Filter"</button>
                <a href="/staff">"Clear"</a>
            </div>
        </form>
        <form method="get" action="/staff/export.csv" class="filters export-form">
            {form
                .pairs
                .into_iter()
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            <div class="field consent">
                <label for="free-text">
                    <input type="checkbox" id="free-text" name="free_text" value="yes" />
                    "Include the clients' own words (free-text intake answers)"
                </label>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button secondary small">"Export CSV"</button>
            </div>
        </form>
    }
}

/// One intake waiting for a clinician's first contact after its private check-in.
#[derive(Clone, Debug)]
pub struct ReviewRow {
    pub reference: String,
    pub urgent: bool,
    /// Time since the check-in, e.g. "3 h" or "2 d 4 h".
    pub waiting: String,
    /// Past the practice's response target.
    pub overdue: bool,
    /// Tries to reach them so far that did not get to speak with them.
    pub tries: i64,
}

/// A finished intake whose private check-in was never answered.
#[derive(Clone, Debug)]
pub struct MissingCheckInRow {
    pub reference: String,
    /// Time since the questions were finished, e.g. "2 d 4 h".
    pub waiting: String,
}

/// A referral whose follow-up is due.
#[derive(Clone, Debug)]
pub struct FollowUpRow {
    pub reference: String,
    /// "7-day" or "14-day".
    pub due: String,
    pub sent: String,
    /// "No answer yet", or what the client said.
    pub status: String,
}

#[component]
pub fn SubmissionsPage(
    user: StaffUser,
    review: Vec<ReviewRow>,
    unanswered: Vec<MissingCheckInRow>,
    follow_ups: Vec<FollowUpRow>,
    rows: Vec<SubmissionRow>,
    next_page: Option<String>,
    filters: FilterForm,
    workflows: Vec<(&'static str, &'static str)>,
    bands: Vec<(&'static str, &'static str)>,
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
                    <td>{row.workflow}</td>
                    <td>{row.overall.map(|o| o.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td>{row.band.unwrap_or("—")}</td>
                    <td>{row.consult.unwrap_or_else(|| "—".into())}</td>
                    <td>{row.owner.unwrap_or_else(|| "Unassigned".into())}</td>
                    <td>{row.referral.unwrap_or("—")}</td>
                    <td>
                        {row.safety.then(|| view! { <strong class="flag-safety">"Safety"</strong> })}
                        {row.mixed_agenda.then_some(" Mixed agenda")}
                        {row.partner.map(|p| format!(" Couple ({p})"))}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let queue = (!review.is_empty()).then(|| {
        let items = review
            .into_iter()
            .map(|r| {
                let href = format!("/staff/submissions/{}", r.reference);
                view! {
                    <tr class:overdue=r.overdue>
                        <td><a href=href>{r.reference}</a></td>
                        <td>{if r.urgent { "Urgent: today" } else { "Review" }}</td>
                        <td>{r.waiting}</td>
                        <td>{match r.tries { 0 => "None yet".to_owned(), 1 => "1 try".to_owned(), n => format!("{n} tries") }}</td>
                        <td>{r.overdue.then(|| view! { <strong class="flag-safety">"Overdue"</strong> })}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card wide review-queue" aria-labelledby="review-heading">
                <h2 id="review-heading">"Needs review"</h2>
                <p class="hint">
                    "A private check-in asks for a clinician's first contact. Urgent ones first. "
                    "It leaves this list once a clinician records, on the submission, that they spoke with the client privately."
                </p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Needs review table">
                    <table class="review">
                        <thead>
                            <tr>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Review"</th>
                                <th scope="col">"Waiting"</th>
                                <th scope="col">"First contact"</th>
                                <th scope="col">"Past target"</th>
                            </tr>
                        </thead>
                        <tbody>{items}</tbody>
                    </table>
                </div>
            </section>
        }
    });
    let unanswered = (!unanswered.is_empty()).then(|| {
        let items = unanswered
            .into_iter()
            .map(|m| {
                let href = format!("/staff/submissions/{}#safety", m.reference);
                view! {
                    <tr>
                        <td><a href=href>{m.reference}</a></td>
                        <td>{m.waiting}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card wide check-in-missing" id="check-in-missing" aria-labelledby="check-in-missing-heading">
                <h2 id="check-in-missing-heading">"Check-in not answered"</h2>
                <p class="hint">
                    "These clients finished the questions over a day ago and never answered the private check-in. "
                    "Someone may have come in as they reached it. Contact them with care (a partner may read their messages), and ask the check-in's questions in person, on their own, before any joint session."
                </p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Check-in not answered table">
                    <table class="check-in-missing">
                        <thead>
                            <tr>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Since finishing"</th>
                            </tr>
                        </thead>
                        <tbody>{items}</tbody>
                    </table>
                </div>
            </section>
        }
    });
    view! {
        <StaffBar user />
        {queue}
        {unanswered}
        {(!follow_ups.is_empty()).then(|| {
            let items = follow_ups
                .into_iter()
                .map(|f| {
                    let href = format!("/staff/submissions/{}#referrals", f.reference);
                    view! {
                        <tr>
                            <td><a href=href>{f.reference}</a></td>
                            <td>{f.due}</td>
                            <td>{f.sent}</td>
                            <td>{f.status}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="card wide follow-ups" aria-labelledby="follow-ups-heading">
                    <h2 id="follow-ups-heading">"Referral follow-ups due"</h2>
                    <p class="hint">"Referrals not known to have connected, 7 and 14 days after they were sent."</p>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Referral follow-ups table">
                        <table class="follow-ups">
                            <thead>
                                <tr>
                                    <th scope="col">"Reference"</th>
                                    <th scope="col">"Follow-up"</th>
                                    <th scope="col">"Sent"</th>
                                    <th scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody>{items}</tbody>
                        </table>
                    </div>
                </section>
            }
        })}
        <section class="card wide">
            <h1>"Submissions"</h1>
            <Filters form=filters workflows bands />
            {empty.then(|| view! { <p>"No submissions match."</p> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Submissions table">
                <table class="submissions">
                    <caption class="visually-hidden">"Submissions"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Reference"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col">"Questionnaire"</th>
                            <th scope="col">"Workflow"</th>
                            <th scope="col">"Readiness"</th>
                            <th scope="col">"Band"</th>
                            <th scope="col">"Consult"</th>
                            <th scope="col">"Owner"</th>
                            <th scope="col">"Referral"</th>
                            <th scope="col">"Flags"</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {next_page.map(|href| view! { <p><a href=href rel="next">"Older submissions"</a></p> })}
        </section>
    }
}

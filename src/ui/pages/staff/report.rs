//! The practice's monthly report: where intakes came from, referrals out and whether they
//! connected, and how long first contact and a first consult took.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// One month, in words.
#[derive(Debug, Clone)]
pub struct ReportRow {
    /// "November 2026".
    pub month: String,
    pub intakes: usize,
    /// "A web search 3 · Not answered 1".
    pub sources: String,
    pub referrals: usize,
    pub reasons: String,
    /// "2 of 3 (66 %)", or "—".
    pub connected: String,
    pub first_contact: String,
    pub to_consult: String,
}

#[component]
pub fn ReportPage(user: StaffUser, rows: Vec<ReportRow>, months: u32) -> impl IntoView {
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.month}</th>
                    <td>{r.intakes}</td>
                    <td>{r.sources}</td>
                    <td>{r.referrals}</td>
                    <td>{r.reasons}</td>
                    <td>{r.connected}</td>
                    <td>{r.first_contact}</td>
                    <td>{r.to_consult}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Report"</h1>
            <p>
                {format!("The last {months} months, newest first, in the practice's time. ")}
                "Intakes are counted by the month they started; referrals by the month they were "
                "sent; the median wait for a first contact by the month of the private check-in "
                "(only check-ins that asked for review, and only once a clinician spoke with the "
                "client); the median wait for a consult by the month of the intake."
            </p>
            <p><a href="/staff/report.csv" download>"Download as CSV"</a></p>
            {if empty {
                view! { <p>"Nothing to count yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Report table">
                        <table class="report">
                            <caption class="visually-hidden">"The practice, month by month"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Month"</th>
                                    <th scope="col">"Intakes"</th>
                                    <th scope="col">"Heard of us through"</th>
                                    <th scope="col">"Referrals out"</th>
                                    <th scope="col">"Reasons"</th>
                                    <th scope="col">"Connected"</th>
                                    <th scope="col">"Check-in to first contact (median)"</th>
                                    <th scope="col">"Intake to consult (median)"</th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

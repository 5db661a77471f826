//! The consults page: live consults by day.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// One upcoming consult on the consults page.
#[derive(Clone, Debug)]
pub struct ConsultRow {
    /// "09:00", practice time.
    pub time: String,
    pub minutes: i64,
    pub clinician: String,
    pub client: String,
    /// "Couple" or "Individual" for a partner; "" for someone on their own.
    pub scope: &'static str,
    pub reference: String,
}

/// The consults of one day, practice time.
#[derive(Clone, Debug)]
pub struct ConsultDay {
    /// "Tuesday 1 December".
    pub label: String,
    pub rows: Vec<ConsultRow>,
}

/// Upcoming consults, by day: what the practice has booked, at a glance.
#[component]
pub fn ConsultsPage(
    user: StaffUser,
    days: Vec<ConsultDay>,
    zone: String,
    mine: bool,
    /// Set when there are more than this many.
    more: Option<i64>,
) -> impl IntoView {
    let (switch_href, switch_label) = if mine {
        ("/staff/consults", "Show everyone's")
    } else {
        ("/staff/consults?mine=1", "Show only mine")
    };
    let body = if days.is_empty() {
        view! { <p>"No consults booked from now on."</p> }.into_any()
    } else {
        days.into_iter()
            .map(|day| {
                let caption = format!("Consults on {}", day.label);
                let region = caption.clone();
                let rows = day
                    .rows
                    .into_iter()
                    .map(|r| {
                        let href = format!("/staff/submissions/{}", r.reference);
                        view! {
                            <tr>
                                <td>{r.time}</td>
                                <td>{format!("{} min", r.minutes)}</td>
                                <td>{r.clinician}</td>
                                <td>{r.client}</td>
                                <td>{r.scope}</td>
                                <td><a href=href>{r.reference}</a></td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <h2>{day.label}</h2>
                    <div class="table-scroll" tabindex="0" role="region" aria-label=region>
                        <table class="consults">
                            <caption class="visually-hidden">{caption}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Time"</th>
                                    <th scope="col">"Length"</th>
                                    <th scope="col">"With"</th>
                                    <th scope="col">"Client"</th>
                                    <th scope="col">"For"</th>
                                    <th scope="col">"Submission"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <StaffBar user />
        <section class="card wide">
            <h1>"Consults"</h1>
            <p>{format!("From now on, in practice time ({zone}). ")}<a href=switch_href>{switch_label}</a></p>
            {body}
            {more.map(|n| view! { <p>{format!("Only the first {n} are shown.")}</p> })}
        </section>
    }
}

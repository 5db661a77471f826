//! A clinician's own calendar feed: the private address their calendar app subscribes to, so
//! the consults booked with them show beside the rest of their week.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// Where the clinician's feed stands.
#[derive(Clone, Debug)]
pub enum CalendarFeedState {
    /// No feed yet (or it was stopped).
    None,
    /// A feed exists, made on this date; its address was shown once, when it was made.
    Active { since: String },
    /// Just made: the address, shown this once.
    Made { url: String },
}

#[component]
pub fn CalendarFeedPage(user: StaffUser, state: CalendarFeedState) -> impl IntoView {
    let make_label = match state {
        CalendarFeedState::None => "Make my calendar address",
        _ => "Make a new address (the old one stops)",
    };
    let current = match state.clone() {
        CalendarFeedState::None => view! {
            <p>"You have no calendar address yet."</p>
        }
        .into_any(),
        CalendarFeedState::Active { since } => view! {
            <p>{format!("Your calendar address was made on {since}. It was shown once, when it was made: to see one again, make a new address.")}</p>
        }
        .into_any(),
        CalendarFeedState::Made { url } => view! {
            <div class="feed-made" role="status">
                <p><strong>"Your calendar address"</strong>" (shown only now; copy it into your calendar app's \"subscribe by URL\" or \"add calendar from the internet\"):"</p>
                <p><code class="feed-url">{url}</code></p>
            </div>
        }
        .into_any(),
    };
    let stop = (!matches!(state, CalendarFeedState::None)).then(|| {
        view! {
            <form method="post" action="/staff/calendar-feed/stop" class="stack">
                <button type="submit" class="button secondary">"Stop my calendar address"</button>
            </form>
        }
    });
    view! {
        <StaffBar user />
        <section class="card narrow">
            <h1>"Your consults in your calendar"</h1>
            <p>"Calendar apps (Google, Outlook, Apple) can subscribe to a private address that lists the consults booked with you. They check it every so often, so a moved or cancelled consult shows there after their next check."</p>
            <p>"Each entry says \"Consult\" with its reference, the time, where it is and a link to the submission here. It never has a client's name, contact details or answers."</p>
            <p class="hint">"Anyone who has the address can read those entries: keep it to your own calendar. If it may have leaked, make a new one: the old one stops at once."</p>
            {current}
            <form method="post" action="/staff/calendar-feed" class="stack">
                <button type="submit" class="button primary">{make_label}</button>
            </form>
            {stop}
        </section>
    }
}

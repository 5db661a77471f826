//! Pages for things that went wrong, worded for a person, never showing internals.

use leptos::prelude::*;

#[component]
pub fn LinkNotFoundPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"We couldn't open that link"</h1>
            <p>
                "This private link is not valid. It may have been copied incompletely. "
                "Please check the link, or start again: nothing you answered elsewhere is lost."
            </p>
            <p><a class="button primary" href="/">"Go to the start page"</a></p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}

#[component]
pub fn ServerErrorPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Something went wrong on our side"</h1>
            <p>
                "Your saved answers are safe. Please try again in a moment. "
                "If it keeps happening, contact the practice."
            </p>
        </section>
    }
}

#[component]
pub fn LinkExpiredPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"This private link has ended"</h1>
            <p>
                "For your privacy, private links stop working after a while. Your answers "
                "are kept for the practice. To start again, or to reach the practice, use "
                "the links below."
            </p>
            <p><a class="button primary" href="/">"Go to the start page"</a>" "<a href="/contact">"Contact the practice"</a></p>
        </section>
    }
}

/// After a client ended their own private link.
#[component]
pub fn LinkEndedPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Your private link has ended"</h1>
            <p>
                "It no longer opens your answers, on this device or any other. What you sent "
                "is kept for the practice's clinicians, as before."
            </p>
            <p>
                "The link to change a consult you booked, and a link you made for your partner "
                "that they have not used, have ended too. A consult you booked stays booked: to "
                "change or cancel it, contact the practice."
            </p>
            <p>
                "If others use this device, you may also want to clear this browser's history. "
                "If you had not finished, you can start again at any time."
            </p>
            <p><a class="button primary" href="/">"Go to the start page"</a>" "<a href="/contact">"Contact the practice"</a></p>
        </section>
    }
}

/// A questionnaire booked (and cancelled) its day's share of consults online.
#[component]
pub fn BookingLimitPage(practice_email: String) -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Please write to the practice to book"</h1>
            <p>
                "Several consults have been booked with this link today, so no more can be "
                "booked here until tomorrow. The practice can still arrange one with you."
            </p>
            <p>
                "Write to " <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                " and say which times suit you."
            </p>
        </section>
    }
}

#[component]
pub fn AdminsOnlyPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Admins only"</h1>
            <p>"Only the practice's admins can do this. "<a href="/staff">"Back to submissions"</a></p>
        </section>
    }
}

/// A safety decision an intake coordinator's account tried to take.
#[component]
pub fn CliniciansOnlyPage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Clinicians only"</h1>
            <p>
                "Booking a couple together during a safety hold, booking outside the "
                "recommendation and recording \"Spoke with them privately\" are a clinician's "
                "decisions. Nothing was changed. "<a href="/staff">"Back to submissions"</a>
            </p>
        </section>
    }
}

/// Input no form of ours sends: each message, and the reassurance that nothing saved is lost.
#[component]
pub fn InvalidPage(messages: Vec<String>) -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Some answers could not be saved"</h1>
            <ul class="field-errors">
                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
            <p>"Please go back and try again. Everything saved before is kept."</p>
        </section>
    }
}

#[component]
pub fn TooLargePage() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"That was too long to save"</h1>
            <p>"Please go back and shorten your note. Everything saved before is kept."</p>
        </section>
    }
}

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

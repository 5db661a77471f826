//! The workspace's login page.

use leptos::prelude::*;

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

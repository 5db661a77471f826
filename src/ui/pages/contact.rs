//! `/contact`: how to reach the practice (booking online arrives with the booking feature).

use leptos::prelude::*;

#[component]
pub fn ContactPage(practice_name: String, practice_email: String) -> impl IntoView {
    let mailto = format!("mailto:{practice_email}");
    view! {
        <section class="card">
            <h1>"Contact the practice"</h1>
            <p>
                {format!("To arrange a couples-therapy consult with {practice_name}, write to ")}
                <a href=mailto>{practice_email.clone()}</a>
                ". Please do not put personal details of your relationship in an email; "
                "the clinician will talk them through with you."
            </p>
            <p>"If you have a result reference, include it so the clinician can find your answers."</p>
        </section>
    }
}

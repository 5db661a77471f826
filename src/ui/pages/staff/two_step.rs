//! Two-step sign-in: the code asked for after the password, and the page where an account turns
//! it on (with an authenticator app) and gets its recovery codes.

use leptos::prelude::*;

use super::{StaffBar, StaffUser};

/// After the password: the code from the app, or a recovery code.
#[component]
pub fn CodePage(error: Option<String>) -> impl IntoView {
    let described = error.is_some().then_some("code-error");
    view! {
        <section class="card narrow">
            <h1>"Enter your code"</h1>
            <p>"Open the authenticator app on your phone and enter the 6-digit code it shows for TrustBridge."</p>
            <form method="post" action="/staff/login/code" class="stack">
                <label for="code">"Code"</label>
                <input
                    id="code"
                    name="code"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    required
                    aria-describedby=described
                />
                {error.map(|e| view! { <span class="field-error" id="code-error">{e}</span> })}
                <button type="submit" class="button primary">"Continue"</button>
            </form>
            <p class="hint">
                "Lost your phone? Enter one of the recovery codes you saved instead; each works once. \
                 An admin can also turn two-step sign-in off for your account."
            </p>
        </section>
    }
}

/// What the two-step page shows.
#[derive(Clone, Debug)]
pub enum TwoStepState {
    /// Being set up: the QR code (SVG), the same secret to type in, and any error.
    Setup {
        qr_svg: String,
        secret: String,
        error: Option<String>,
        required: bool,
    },
    /// Just turned on (or codes renewed): the recovery codes, shown this once.
    Codes(Vec<String>),
    /// On since `since`, with `left` recovery codes unused.
    On {
        since: String,
        left: i64,
        error: Option<String>,
        required: bool,
    },
}

#[component]
pub fn TwoStepPage(user: StaffUser, state: TwoStepState) -> impl IntoView {
    let body = match state {
        TwoStepState::Setup {
            qr_svg,
            secret,
            error,
            required,
        } => {
            let described = error.is_some().then_some("code-error");
            view! {
                <h1>"Turn on two-step sign-in"</h1>
                {required.then(|| view! {
                    <p class="form-alert" role="alert">
                        "The practice asks every account to use two-step sign-in. Set it up to continue."
                    </p>
                })}
                <p>"After your password, you will also enter a code from an authenticator app on your phone, so a stolen password alone cannot open clients' records."</p>
                <ol class="steps">
                    <li>"Open an authenticator app (for example the one built into your phone's password manager)."</li>
                    <li>"Scan this code, or add an account by typing the key below."</li>
                    <li>"Enter the 6-digit code the app shows."</li>
                </ol>
                <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=qr_svg></div>
                <p>"Key: " <code class="secret">{secret}</code></p>
                <form method="post" action="/staff/two-step" class="stack">
                    <label for="code">"Code from the app"</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required aria-describedby=described />
                    {error.map(|e| view! { <span class="field-error" id="code-error">{e}</span> })}
                    <button type="submit" class="button primary">"Turn on"</button>
                </form>
            }
            .into_any()
        }
        TwoStepState::Codes(codes) => view! {
            <h1>"Save your recovery codes"</h1>
            <p role="status" class="form-ok">"Two-step sign-in is on."</p>
            <p>"If you lose your phone, each of these codes lets you sign in once. Keep them somewhere safe (a password manager, or printed). They are shown only now."</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <p><a href="/staff" class="button primary">"Done"</a></p>
        }
        .into_any(),
        TwoStepState::On {
            since,
            left,
            error,
            required,
        } => {
            let described = error.is_some().then_some("code-error");
            view! {
                <h1>"Two-step sign-in"</h1>
                <p role="status">{format!("On since {since}. Recovery codes left: {left}.")}</p>
                <form method="post" action="/staff/two-step/change" class="stack">
                    <label for="code">"Code from the app (to make changes)"</label>
                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required aria-describedby=described />
                    {error.map(|e| view! { <span class="field-error" id="code-error">{e}</span> })}
                    <button type="submit" name="action" value="codes" class="button secondary">"New recovery codes"</button>
                    {(!required).then(|| view! {
                        <button type="submit" name="action" value="off" class="button secondary">"Turn off two-step sign-in"</button>
                    })}
                </form>
            }
            .into_any()
        }
    };
    view! {
        <StaffBar user />
        <section class="card narrow">{body}</section>
    }
}

//! Two-step sign-in for staff (issue 12, review F9): an account turns it on with an
//! authenticator app, then signs in with its password and a code; a code works once; a
//! recovery code works once; an admin can turn it off for a lost phone; `REQUIRE_MFA` makes
//! every account set it up before anything else.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::common::{
    self, cookie_value, create_admin, db_count, location, session_cookie, TestApp,
};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";

fn texts(html: &str, css: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&Selector::parse(css).expect("selector"))
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The code an authenticator app shows for `secret`, `ahead` steps of 30 s from now.
fn code(secret: &str, ahead: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32"))
        .build()
        .expect("totp");
    totp.generate(now + 30 * ahead).to_string()
}

/// The password step: the session cookie it gives and where it leads.
async fn password(app: &TestApp) -> (String, String) {
    let response = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = session_cookie(&response)
        .map(|c| cookie_value(&c))
        .expect("a session");
    (cookie, location(&response))
}

/// The workspace's list, opened with `cookie`.
async fn workspace(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.raw
        .get(app.url("/staff"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get")
}

/// Turns two-step sign-in on for the session `cookie`, with the app's first code: the secret,
/// and the page that shows the recovery codes.
async fn turn_on(app: &TestApp, cookie: &str) -> (String, reqwest::Response) {
    let setup = common::staff_html(app, cookie, "/staff/two-step").await;
    let secret = texts(&setup, "code.secret").concat().replace(' ', "");
    let on = app
        .raw
        .post(app.url("/staff/two-step"))
        .header("cookie", cookie)
        .form(&[("code", code(&secret, 0))])
        .send()
        .await
        .expect("post");
    assert_eq!(on.status(), StatusCode::OK);
    (secret, on)
}

async fn post_code(app: &TestApp, cookie: &str, code: &str) -> reqwest::Response {
    app.raw
        .post(app.url("/staff/login/code"))
        .header("cookie", cookie)
        .form(&[("code", code)])
        .send()
        .await
        .expect("code")
}

async fn two_step_sign_in(mut app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let (cookie, to) = password(&app).await;
    assert_eq!(to, "/staff", "no code asked before it is set up");

    // Setting it up: the QR code and the same key to type; a wrong code is said at the field.
    let setup = common::staff_html(&app, &cookie, "/staff/two-step").await;
    assert!(setup.contains("<svg"), "a QR code");
    let secret = texts(&setup, "code.secret").concat().replace(' ', "");
    assert_eq!(secret.len(), 32, "160 bits in base32: {secret}");
    let again = common::staff_html(&app, &cookie, "/staff/two-step").await;
    assert_eq!(
        texts(&again, "code.secret").concat().replace(' ', ""),
        secret,
        "reload keeps it"
    );
    let enable = |code: String| {
        app.raw
            .post(app.url("/staff/two-step"))
            .header("cookie", &cookie)
            .form(&[("code", code)])
            .send()
    };
    let wrong = enable("000000".into()).await.expect("post");
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(texts(&wrong.text().await.expect("body"), "#code-error")
        .concat()
        .contains("didn't work"));
    let on = enable(code(&secret, 0)).await.expect("post");
    assert_eq!(on.status(), StatusCode::OK);
    let recovery = texts(&on.text().await.expect("body"), "ul.recovery-codes code");
    assert_eq!(recovery.len(), 10, "{recovery:?}");

    // Signing in now takes a code; the password alone opens nothing.
    let (pending, to) = password(&app).await;
    assert_eq!(to, "/staff/login/code");
    let list = workspace(&app, &pending).await;
    assert_eq!(list.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&list), "/staff/login");
    let failures =
        format!("select count(*) from clinicians where email = '{ADMIN}' and failed_logins > 0");
    let refused = post_code(&app, &pending, "123456").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(db_count(&app, &failures).await, 1, "a wrong code counts");
    // The code that turned it on was used: the next step's code signs in.
    let next = code(&secret, 1);
    let signed_in = post_code(&app, &pending, &next).await;
    assert_eq!(location(&signed_in), "/staff");
    let session = session_cookie(&signed_in)
        .map(|c| cookie_value(&c))
        .expect("a new id");
    assert_ne!(session, pending, "a fresh session id after the code");
    let page = common::staff_html(&app, &session, "/staff").await;
    assert!(page.contains("Ana Lima"), "in the workspace");
    assert_eq!(db_count(&app, &failures).await, 0);

    // The same code never works twice; a recovery code works once.
    let (pending, _) = password(&app).await;
    let replay = post_code(&app, &pending, &next).await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let typed = recovery[3].to_uppercase().replace('-', " ");
    assert_eq!(location(&post_code(&app, &pending, &typed).await), "/staff");
    let (pending, _) = password(&app).await;
    let reused = post_code(&app, &pending, &recovery[3]).await;
    assert_eq!(reused.status(), StatusCode::UNAUTHORIZED);
    let settings = common::staff_html(&app, &session, "/staff/two-step").await;
    assert!(settings.contains("Recovery codes left: 9."), "{settings}");

    // An admin cannot turn their own off from the clinicians' page, with a session alone: it
    // stays on (their own page asks for a code).
    let off = app
        .raw
        .post(app.url("/staff/clinicians/1/two-step/off"))
        .header("cookie", &session)
        .send()
        .await
        .expect("post");
    assert_eq!(location(&off), "/staff/two-step");
    let (_, to) = password(&app).await;
    assert_eq!(to, "/staff/login/code");
    // A lost phone: the server's command line turns it off; the password alone signs in
    // again. Audited.
    let mut command = app.cli();
    command.args(["reset-two-step", "--email", ADMIN]);
    assert!(command.output().await.expect("run").status.success());
    let (_, to) = password(&app).await;
    assert_eq!(to, "/staff");
    let audited = "select count(*) from audit_events where action in \
                   ('enable_two_step', 'disable_two_step 1')";
    assert_eq!(db_count(&app, audited).await, 2);
    assert_eq!(
        db_count(&app, "select count(*) from recovery_codes").await,
        0
    );

    // REQUIRE_MFA: an account without it can open only the set-up page.
    app.stop().await;
    app.restart(&[("REQUIRE_MFA", "true".into())]).await;
    let (cookie_required, _) = password(&app).await;
    let list = workspace(&app, &cookie_required).await;
    assert_eq!(location(&list), "/staff/two-step");
    let setup = common::staff_html(&app, &cookie_required, "/staff/two-step").await;
    assert!(setup.contains("asks every account to use two-step sign-in"));
    let secret = texts(&setup, "code.secret").concat().replace(' ', "");
    let stored = common::db_text(&app, "select secret from clinician_mfa").await;
    assert!(
        stored.starts_with("tb1:") && !stored.contains(&secret),
        "sealed"
    );
    let on = app
        .raw
        .post(app.url("/staff/two-step"))
        .header("cookie", &cookie_required)
        .form(&[("code", code(&secret, 0))])
        .send()
        .await
        .expect("post");
    assert_eq!(on.status(), StatusCode::OK);
    let now_open = workspace(&app, &cookie_required).await;
    assert_eq!(now_open.status(), StatusCode::OK);

    // The only admin loses phone and codes: the server's command line turns it off, and the
    // next login goes straight to setting it up again.
    let reset = |email: &'static str| {
        let mut command = app.cli();
        command.args(["reset-two-step", "--email", email]);
        async move { command.output().await.expect("run reset-two-step") }
    };
    let out = reset(ADMIN).await;
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Two-step sign-in is off"));
    let (fresh, to) = password(&app).await;
    assert_eq!(to, "/staff", "no code asked");
    let list = workspace(&app, &fresh).await;
    assert_eq!(
        location(&list),
        "/staff/two-step",
        "asked to set it up again"
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action = 'disable_two_step 1'"
        )
        .await,
        2
    );
    let again = reset(ADMIN).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("does not use two-step sign-in"));
    let nobody = reset("nobody@harbour.example").await;
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no account has that email"));
}
on_both_databases!(two_step, two_step_sign_in);

/// Codes checked outside the login (security review 3, N9): new recovery codes take a code,
/// are audited and end the account's other sessions; wrong codes count toward the account's
/// lock like wrong passwords, and once it is locked even a right code waits.
async fn codes_outside_the_login_count_and_end_other_sessions(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let (cookie, _) = password(&app).await;
    let (secret, on) = turn_on(&app, &cookie).await;
    let recovery = texts(&on.text().await.expect("body"), "ul.recovery-codes code");
    // A second session of the same account (a recovery code for its second step).
    let (pending, _) = password(&app).await;
    let other = post_code(&app, &pending, &recovery[0]).await;
    assert_eq!(location(&other), "/staff");
    let other = session_cookie(&other)
        .map(|c| cookie_value(&c))
        .expect("a session");
    assert_eq!(workspace(&app, &other).await.status(), StatusCode::OK);

    let change = |code: String, action: &'static str| {
        app.raw
            .post(app.url("/staff/two-step/change"))
            .header("cookie", &cookie)
            .form(&[("code", code), ("action", action.to_owned())])
            .send()
    };
    let fresh = change(code(&secret, 1), "codes").await.expect("post");
    assert_eq!(fresh.status(), StatusCode::OK);
    let codes = texts(&fresh.text().await.expect("body"), "ul.recovery-codes code");
    assert_eq!(codes.len(), 10);
    assert_ne!(codes, recovery);
    let audited = "select count(*) from audit_events where action = 'new_recovery_codes'";
    assert_eq!(db_count(&app, audited).await, 1);
    assert_eq!(location(&workspace(&app, &other).await), "/staff/login");
    assert_eq!(workspace(&app, &cookie).await.status(), StatusCode::OK);

    // Five wrong codes lock the account; then the page says so, whatever is typed.
    for _ in 0..5 {
        let wrong = change("000000".into(), "codes").await.expect("post");
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = format!(
        "select count(*) from clinicians where email = '{ADMIN}' and locked_until is not null"
    );
    assert_eq!(db_count(&app, &locked).await, 1);
    let refused = change(code(&secret, 1), "off").await.expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .text()
        .await
        .expect("body")
        .contains("Too many wrong codes or passwords"));
    let login = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(
        login.status(),
        StatusCode::UNAUTHORIZED,
        "the account is locked"
    );
}
on_both_databases!(
    codes_outside_login,
    codes_outside_the_login_count_and_end_other_sessions
);

/// The owner's own browser passes a lock at the code as at the password (security F2): someone
/// guessing the password elsewhere cannot keep a two-step account's owner out.
async fn a_known_browser_passes_a_lock_at_the_code_too(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let first = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    let cookie = session_cookie(&first)
        .map(|c| cookie_value(&c))
        .expect("a session");
    let device = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tb_device="))
        .map(cookie_value)
        .expect("a device cookie");
    let (secret, _) = turn_on(&app, &cookie).await;
    // Five wrong passwords from elsewhere lock the account.
    for _ in 0..5 {
        let wrong = app
            .raw
            .post(app.url("/staff/login"))
            .form(&[("email", ADMIN), ("password", "not the password at all")])
            .send()
            .await
            .expect("login");
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    // The owner's browser: the password, then the code, and the workspace.
    let step = app
        .raw
        .post(app.url("/staff/login"))
        .header("cookie", &device)
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(location(&step), "/staff/login/code");
    let pending = session_cookie(&step)
        .map(|c| cookie_value(&c))
        .expect("a pending session");
    let signed_in = post_code(&app, &format!("{pending}; {device}"), &code(&secret, 1)).await;
    assert_eq!(
        location(&signed_in),
        "/staff",
        "the owner gets in through the lock"
    );
    // The password from a browser without the cookie is refused while the lock runs.
    let elsewhere = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(elsewhere.status(), StatusCode::UNAUTHORIZED);
}
on_both_databases!(
    known_browser_code,
    a_known_browser_passes_a_lock_at_the_code_too
);

#[tokio::test]
async fn a_bad_require_mfa_setting_is_refused_by_name() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .arg("check-config")
        .env("REQUIRE_MFA", "sometimes")
        .output()
        .await
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("REQUIRE_MFA"));
}

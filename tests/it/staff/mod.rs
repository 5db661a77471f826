//! Clinicians log in, review submissions and log out; strangers and other sites get nothing.
//! Against SQLite and PostgreSQL. Moving a submission, notes and managing accounts: `work.rs`.

use crate::common::{
    self, cookie_value, create_admin, db_count, db_execute, db_text, log_in_as, session_cookie,
    TestApp,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use trustbridge::domain::questionnaire as q;

const EMAIL: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";

mod work;

async fn log_in(app: &TestApp, client: &reqwest::Client, password: &str) -> reqwest::Response {
    client
        .post(app.url("/staff/login"))
        .form(&[("email", EMAIL), ("password", password)])
        .send()
        .await
        .expect("post login")
}

/// A client answers everything, with `note`; returns the submission's reference.
async fn submit_questionnaire(app: &TestApp, note: &str) -> String {
    let token = common::start_questionnaire(app).await;
    common::answer_every_section(app, &token, |_| "4", note).await;
    common::check_in(app, &token, "no").await;
    let html = app
        .client
        .get(app.url(&format!("/q/{token}/result")))
        .send()
        .await
        .expect("result");
    let html = Html::parse_document(&html.text().await.expect("body"));
    let selector = Selector::parse(".reference strong").expect("selector");
    html.select(&selector)
        .next()
        .expect("reference")
        .text()
        .collect()
}

async fn workspace_pages_refuse_strangers(app: TestApp) {
    let reference = submit_questionnaire(&app, "").await;
    // Every workspace route except the login page, with each method it answers.
    let routes = [
        ("GET", "/staff".to_owned()),
        ("GET", "/staff?before=5&workflow=new".to_owned()),
        ("GET", "/staff/export.csv".to_owned()),
        ("GET", "/staff/consults".to_owned()),
        ("GET", "/staff/report".to_owned()),
        ("GET", "/staff/report.csv".to_owned()),
        ("GET", format!("/staff/submissions/{reference}")),
        ("POST", format!("/staff/submissions/{reference}/status")),
        ("POST", format!("/staff/submissions/{reference}/notes")),
        ("POST", format!("/staff/submissions/{reference}/owner")),
        ("POST", format!("/staff/submissions/{reference}/book")),
        ("POST", format!("/staff/submissions/{reference}/delete")),
        (
            "POST",
            format!("/staff/submissions/{reference}/consult/cancel"),
        ),
        ("GET", "/staff/clinicians".to_owned()),
        ("POST", "/staff/clinicians".to_owned()),
        ("POST", "/staff/clinicians/1/active".to_owned()),
        ("GET", "/staff/password".to_owned()),
        ("POST", "/staff/password".to_owned()),
        ("GET", "/staff/audit".to_owned()),
        ("GET", "/staff/email".to_owned()),
        ("GET", "/staff/availability".to_owned()),
        ("POST", "/staff/availability/rules".to_owned()),
        ("POST", "/staff/availability/hours".to_owned()),
    ];
    for (method, path) in routes {
        let request = match method {
            "GET" => app.raw.get(app.url(&path)),
            _ => app.raw.post(app.url(&path)).form(&[
                ("from", "new"),
                ("to", "closed"),
                ("body", "x"),
            ]),
        };
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{method} {path}");
        assert_eq!(
            response.headers()["location"],
            "/staff/login",
            "{method} {path}"
        );
    }
    // A made-up session cookie is no better than none.
    let response = app
        .raw
        .get(app.url("/staff"))
        .header("cookie", "tb_staff=AAAAAAAAAAAAAAAAAAAAAA")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
on_both_databases!(strangers, workspace_pages_refuse_strangers);

async fn a_clinician_reviews_a_submission_then_logs_out(app: TestApp) {
    let created = create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let payload = "<script>alert('x')</script><img src=x onerror=alert(1)> call me after 6";
    let reference = submit_questionnaire(&app, payload).await;

    let response = log_in(&app, &app.raw, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/staff");
    let set_cookie = session_cookie(&response).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/staff"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain-HTTP deployments get no Secure flag"
    );
    let cookie = cookie_value(&set_cookie);

    let get = |path: String| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.raw
                .get(app.url(&path))
                .header("cookie", cookie)
                .send()
                .await
                .expect("get")
        }
    };
    let list = get("/staff".into()).await;
    assert_eq!(list.status(), StatusCode::OK);
    let list = list.text().await.expect("body");
    assert!(list.contains(&reference));
    assert!(list.contains("Ana Lima"));

    let detail = get(format!("/staff/submissions/{reference}")).await;
    assert_eq!(detail.status(), StatusCode::OK);
    let body = detail.text().await.expect("body");
    let html = Html::parse_document(&body);
    let rows = Selector::parse("table.answers tbody tr").expect("selector");
    assert_eq!(
        html.select(&rows).count(),
        q::Instrument::CURRENT.questions().len()
    );
    // The client's markup is shown as text, never run.
    assert!(
        !body.contains("<script>alert"),
        "client markup must be inert"
    );
    assert!(!body.contains("<img src=x"), "client markup must be inert");
    let note = Selector::parse(".client-note").expect("selector");
    let note_text: String = html.select(&note).next().expect("note").text().collect();
    assert_eq!(note_text, payload);

    // Every view leaves an audit row.
    get(format!("/staff/submissions/{reference}")).await;
    let audits = db_count(
        &app,
        "select count(*) from audit_events where action = 'view_submission'",
    )
    .await;
    assert_eq!(audits, 2);

    // Logging out ends the session on the server: the old cookie opens nothing.
    let out = app
        .raw
        .post(app.url("/staff/logout"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = get("/staff".into()).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()["location"], "/staff/login");
}
on_both_databases!(review, a_clinician_reviews_a_submission_then_logs_out);

async fn the_session_id_changes_at_every_login(app: TestApp) {
    create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    let first = session_cookie(&log_in(&app, &app.raw, PASSWORD).await).expect("cookie");
    let second = session_cookie(&log_in(&app, &app.raw, PASSWORD).await).expect("cookie");
    assert_ne!(cookie_value(&first), cookie_value(&second));
}
on_both_databases!(rotation, the_session_id_changes_at_every_login);

async fn wrong_passwords_are_refused_and_lock_the_account(app: TestApp) {
    create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    for _ in 0..5 {
        let response = log_in(&app, &app.raw, "not the password at all").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&response).is_none());
        let body = response.text().await.expect("body");
        assert!(
            body.contains("don&#x27;t match an active account")
                || body.contains("don't match an active account")
        );
    }
    // Locked now: even the right password is refused, with the same words.
    let response = log_in(&app, &app.raw, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // An unknown email gets exactly the same answer.
    let response = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", "nobody@harbour.example"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
on_both_databases!(lockout, wrong_passwords_are_refused_and_lock_the_account);

async fn create_admin_refuses_weak_passwords_and_duplicates(app: TestApp) {
    let weak = create_admin(&app, EMAIL, "Ana Lima", "password1234").await;
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));
    let ok = create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("/staff/login"));
    let again = create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    assert_eq!(again.status.code(), Some(3));
}
on_both_databases!(
    create_admin_cli,
    create_admin_refuses_weak_passwords_and_duplicates
);

async fn cross_site_posts_are_refused(app: TestApp) {
    create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    let forged = app
        .raw
        .post(app.url("/staff/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&forged).is_none());
    let forged = app
        .raw
        .post(app.url("/start"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let same = app
        .raw
        .post(app.url("/start"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("agree", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
}
on_both_databases!(csrf, cross_site_posts_are_refused);

async fn the_list_pages_by_keyset_newest_first(app: TestApp) {
    create_admin(&app, EMAIL, "Ana Lima", PASSWORD).await;
    for _ in 0..55 {
        common::start_questionnaire(&app).await;
    }
    let cookie =
        cookie_value(&session_cookie(&log_in(&app, &app.raw, PASSWORD).await).expect("cookie"));
    let page = |path: String| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let body = app
                .raw
                .get(app.url(&path))
                .header("cookie", cookie)
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("body");
            Html::parse_document(&body)
        }
    };
    let rows = Selector::parse("table.submissions tbody tr").expect("selector");
    let next = Selector::parse("a[rel=next]").expect("selector");
    let first = page("/staff".into()).await;
    assert_eq!(first.select(&rows).count(), 50);
    let href = first
        .select(&next)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a link to older submissions")
        .to_owned();
    let second = page(href).await;
    assert_eq!(second.select(&rows).count(), 5);
    assert!(second.select(&next).next().is_none());
}
on_both_databases!(pagination, the_list_pages_by_keyset_newest_first);

async fn rapid_logins_from_one_address_get_429_with_retry_after(app: TestApp) {
    let mut statuses = Vec::new();
    for i in 0..11 {
        let response = app
            .raw
            .post(app.url("/staff/login"))
            .form(&[
                ("email", format!("nobody{i}@harbour.example")),
                ("password", "wrong".into()),
            ])
            .send()
            .await
            .expect("post");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok());
            assert!(
                retry.and_then(|r| r.parse::<u64>().ok()).is_some(),
                "{retry:?}"
            );
        }
        statuses.push(response.status());
    }
    assert!(
        statuses[..10]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    // The login page itself is never limited.
    let page = app
        .raw
        .get(app.url("/staff/login"))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), StatusCode::OK);
}
on_both_databases!(
    rate_limit,
    rapid_logins_from_one_address_get_429_with_retry_after
);

/// Ten wrong logins with `X-Forwarded-For: forwarded` each, then one more with `then`: the
/// eleventh's status.
async fn eleventh_login(app: &TestApp, forwarded: &[&str], then: &str) -> StatusCode {
    for (i, address) in forwarded.iter().enumerate() {
        let response = app
            .raw
            .post(app.url("/staff/login"))
            .header("x-forwarded-for", *address)
            .form(&[
                ("email", format!("nobody{i}@harbour.example")),
                ("password", "x".into()),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    app.raw
        .post(app.url("/staff/login"))
        .header("x-forwarded-for", then)
        .form(&[("email", "last@harbour.example"), ("password", "x")])
        .send()
        .await
        .expect("post")
        .status()
}

async fn a_forged_forwarded_for_does_not_escape_the_limit_but_a_trusted_proxys_does_count(
    app: TestApp,
) {
    // No trusted proxies: every request is the peer's, whatever the header says.
    let forged: Vec<String> = (1..=10).map(|i| format!("203.0.113.{i}")).collect();
    let forged: Vec<&str> = forged.iter().map(String::as_str).collect();
    assert_eq!(
        eleventh_login(&app, &forged, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Behind the practice's proxy (here, loopback): two clients, two budgets.
    let mut app = app;
    app.stop().await;
    app.restart(&[("TRUSTED_PROXIES", "127.0.0.1".to_owned())])
        .await;
    let same = ["198.51.100.1"; 10];
    assert_eq!(
        eleventh_login(&app, &same, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        eleventh_login(&app, &[], "198.51.100.2").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not limited with the first"
    );
}
on_both_databases!(
    forwarded_for,
    a_forged_forwarded_for_does_not_escape_the_limit_but_a_trusted_proxys_does_count
);

async fn log_in_cookie(app: &TestApp) -> String {
    create_admin(app, EMAIL, "Ana Lima", PASSWORD).await;
    cookie_value(&session_cookie(&log_in(app, &app.raw, PASSWORD).await).expect("cookie"))
}

async fn with_cookie(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.raw
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get")
}

async fn post_with_cookie(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

async fn changing_the_password_ends_every_session(app: TestApp) {
    let first = log_in_cookie(&app).await;
    let second = log_in_as(&app, EMAIL, PASSWORD)
        .await
        .expect("a second session");
    let wrong = post_with_cookie(
        &app,
        &first,
        "/staff/password",
        &[
            ("current", "not it at all"),
            ("new", "quartz willow ember canyon"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .text()
        .await
        .expect("body")
        .contains("That is not your current password."));
    let changed = post_with_cookie(
        &app,
        &first,
        "/staff/password",
        &[("current", PASSWORD), ("new", "quartz willow ember canyon")],
    )
    .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    for cookie in [&first, &second] {
        assert_eq!(
            with_cookie(&app, cookie, "/staff").await.status(),
            StatusCode::SEE_OTHER
        );
    }
    assert!(log_in_as(&app, EMAIL, PASSWORD).await.is_none());
    assert!(log_in_as(&app, EMAIL, "quartz willow ember canyon")
        .await
        .is_some());
}
on_both_databases!(password_change, changing_the_password_ends_every_session);

async fn idle_and_old_sessions_end(app: TestApp) {
    let cookie = log_in_cookie(&app).await;
    // The table holds only the id's SHA-256: a copy of the database opens no session.
    let id = cookie
        .strip_prefix("tb_staff=")
        .expect("the session cookie");
    let stored = db_text(&app, "select id from sessions").await;
    assert_ne!(stored, id);
    use sha2::Digest as _;
    assert_eq!(stored, hex::encode(sha2::Sha256::digest(id.as_bytes())));
    assert_eq!(
        with_cookie(&app, &cookie, "/staff").await.status(),
        StatusCode::OK
    );
    // Idle past the timeout: the stored expiry has passed.
    db_execute(&app, "update sessions set expires_at = 0").await;
    assert_eq!(
        with_cookie(&app, &cookie, "/staff").await.status(),
        StatusCode::SEE_OTHER
    );

    // Active, but logged in longer ago than the absolute lifetime allows.
    let cookie = log_in_as(&app, EMAIL, PASSWORD).await.expect("cookie");
    assert_eq!(
        with_cookie(&app, &cookie, "/staff").await.status(),
        StatusCode::OK
    );
    let backdate = if app.database_url.starts_with("sqlite:") {
        "update sessions set data = json_set(data, '$.login_at', 0)"
    } else {
        "update sessions set data = (data::jsonb || '{\"login_at\": 0}'::jsonb)::text"
    };
    db_execute(&app, backdate).await;
    assert_eq!(
        with_cookie(&app, &cookie, "/staff").await.status(),
        StatusCode::SEE_OTHER
    );
    // The old session is gone from the store, not just refused.
    assert_eq!(
        db_count(&app, "select count(*) from sessions where expires_at > 0").await,
        0
    );
}
on_both_databases!(session_lifetime, idle_and_old_sessions_end);

//! Security hardening as an attacker and an admin meet it: a lock after wrong passwords that
//! no further guess extends and that ends by itself, failures counted atomically, unlocking by
//! an admin and by the CLI, and the owner told. Against SQLite and PostgreSQL.

use std::process::Stdio;

use crate::common::{self, create_admin, db_count, db_execute, db_text, log_in_as, TestApp};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const OTHER: &str = "ben@harbour.example";
const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "amber kettle drifting pylon";

async fn wrong(app: &TestApp, email: &str) -> StatusCode {
    app.raw
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", "not the password at all")])
        .send()
        .await
        .expect("login")
        .status()
}

async fn a_lock_is_not_extended_by_more_guesses_and_ends_on_time(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(wrong(&app, ADMIN).await, StatusCode::UNAUTHORIZED);
    }
    let until = "select cast(locked_until as text) from clinicians";
    let locked = db_text(&app, until).await;
    assert!(!locked.is_empty(), "locked after five");
    // More guesses during the lock: not counted, and the lock ends when it said.
    for _ in 0..3 {
        assert_eq!(wrong(&app, ADMIN).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(db_text(&app, until).await, locked);
    assert_eq!(
        db_count(&app, "select cast(failed_logins as bigint) from clinicians").await,
        5
    );
    // The owner is told once, with no details.
    let told = "select count(*) from outbox where kind = 'account_locked'";
    assert_eq!(db_count(&app, told).await, 1);
    let body = common::mail(&app, "account_locked")
        .await
        .pop()
        .map(|m| m.text)
        .expect("the lock message");
    assert!(
        body.contains("locked until") && !body.contains("127.0.0.1"),
        "{body}"
    );
    // Time passes (the lock's end moved into the past): the right password works.
    let past = (chrono::Utc::now() - chrono::Duration::seconds(1)).to_rfc3339();
    let expire = if app.database_url.starts_with("sqlite:") {
        format!("update clinicians set locked_until = '{past}'")
    } else {
        format!("update clinicians set locked_until = '{past}'::timestamptz")
    };
    db_execute(&app, &expire).await;
    assert!(
        log_in_as(&app, ADMIN, PASSWORD).await.is_some(),
        "unlocked on time"
    );
}
on_both_databases!(
    lock_ends,
    a_lock_is_not_extended_by_more_guesses_and_ends_on_time
);

/// Logs in from the browser whose `tb_device` cookie is `device` (none: a new browser). The
/// status, the device cookie the server set, and the session's.
async fn log_in_from(
    app: &TestApp,
    device: Option<&str>,
    password: &str,
) -> (StatusCode, Option<String>, Option<String>) {
    let mut request = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", password)]);
    if let Some(device) = device {
        request = request.header("cookie", device);
    }
    let response = request.send().await.expect("login");
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tb_device="))
        .map(common::cookie_value);
    let session = common::session_cookie(&response).map(|c| common::cookie_value(&c));
    (response.status(), set, session)
}

async fn guesses_from_elsewhere_do_not_keep_the_owner_out(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    // The owner's phone and desk each finish a login and are remembered (only hashes kept).
    let (status, phone, _) = log_in_from(&app, None, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let phone = phone.expect("a device cookie after a finished login");
    let (_, desk, _) = log_in_from(&app, None, PASSWORD).await;
    let desk = desk.expect("a device cookie");
    assert_ne!(phone, desk);
    let hashes = "select count(*) from known_devices where length(token_hash) = 64";
    assert_eq!(db_count(&app, hashes).await, 2);
    let stored = db_text(&app, "select min(token_hash) from known_devices").await;
    assert!(!phone.contains(&stored) && !desk.contains(&stored));
    // Someone who knows only the address guesses five times: the account locks.
    for _ in 0..5 {
        assert_eq!(wrong(&app, ADMIN).await, StatusCode::UNAUTHORIZED);
    }
    let until = "select cast(locked_until as text) from clinicians";
    let locked = db_text(&app, until).await;
    assert!(!locked.is_empty(), "locked after five");
    // The right password from a new browser is refused while the lock runs…
    let (status, none, _) = log_in_from(&app, None, PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(none.is_none());
    // …and from the owner's own desk it works, and the lock holds on for everyone else.
    let (status, again, owner) = log_in_from(&app, Some(&desk), PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the owner's browser gets in");
    assert_eq!(again.as_deref(), Some(desk.as_str()), "the same browser");
    assert_eq!(db_text(&app, until).await, locked, "the lock still holds");
    // The owner changes the password at the desk, lock or not: every other browser is
    // forgotten with the old password, so the phone (perhaps lost) no longer passes the lock.
    let changed = app
        .raw
        .post(app.url("/staff/password"))
        .header("cookie", format!("{}; {desk}", owner.expect("a session")))
        .form(&[("current", PASSWORD), ("new", NEW_PASSWORD)])
        .send()
        .await
        .expect("change");
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        db_count(&app, "select count(*) from known_devices").await,
        1
    );
    let (status, _, _) = log_in_from(&app, Some(&phone), NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the phone is forgotten");
}
on_both_databases!(
    known_browsers_pass_a_lock,
    guesses_from_elsewhere_do_not_keep_the_owner_out
);

async fn parallel_guesses_all_count_and_admins_or_the_cli_unlock(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let made = app
        .raw
        .post(app.url("/staff/clinicians"))
        .header("cookie", &cookie)
        .form(&[
            ("name", "Ben Ode"),
            ("email", OTHER),
            ("password", PASSWORD),
            ("role", "clinician"),
        ])
        .send()
        .await
        .expect("create");
    assert!(made.status().is_success() || made.status().is_redirection());
    // Four guesses at once: four failures, none lost.
    let url = app.url("/staff/login");
    let guesses: Vec<_> = (0..4)
        .map(|_| {
            let (client, url) = (app.raw.clone(), url.clone());
            tokio::spawn(async move {
                let form = [("email", OTHER), ("password", "not the password at all")];
                client
                    .post(url)
                    .form(&form)
                    .send()
                    .await
                    .expect("login")
                    .status()
            })
        })
        .collect();
    for guess in guesses {
        assert_eq!(guess.await.expect("task"), StatusCode::UNAUTHORIZED);
    }
    let failures =
        format!("select cast(failed_logins as bigint) from clinicians where email = '{OTHER}'");
    assert_eq!(db_count(&app, &failures).await, 4);
    // The fifth locks; the admin sees it and lifts it, audited.
    wrong(&app, OTHER).await;
    let page = common::staff_html(&app, &cookie, "/staff/clinicians").await;
    assert!(
        page.contains("Locked until"),
        "the clinicians page shows the lock"
    );
    let id = db_text(
        &app,
        &format!("select cast(id as text) from clinicians where email = '{OTHER}'"),
    )
    .await;
    let unlocked = app
        .raw
        .post(app.url(&format!("/staff/clinicians/{id}/unlock")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("unlock");
    assert_eq!(unlocked.status(), StatusCode::SEE_OTHER);
    assert_eq!(db_count(&app, &failures).await, 0);
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action like 'unlock_clinician%'"
        )
        .await,
        1
    );
    assert!(log_in_as(&app, OTHER, PASSWORD).await.is_some());
    // Locked again: the CLI lifts it too (for an admin locked out of the workspace).
    let lock = format!("update clinicians set failed_logins = 9 where email = '{OTHER}'");
    db_execute(&app, &lock).await;
    wrong(&app, OTHER).await;
    let out = app
        .cli()
        .args(["unlock", "--email", OTHER])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("run unlock");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(db_count(&app, &failures).await, 0);
}
on_both_databases!(
    unlock,
    parallel_guesses_all_count_and_admins_or_the_cli_unlock
);

async fn every_response_carries_the_security_headers(app: TestApp) {
    let page = app.raw.get(app.url("/")).send().await.expect("page");
    let headers = page.headers();
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    assert_eq!(headers["cross-origin-resource-policy"], "same-origin");
    assert!(headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("camera=()"));
    // Served over plain http here: no HSTS, which would only make sense behind https.
    assert!(headers.get("strict-transport-security").is_none());
    // A redirect to a private link is never stored by a cache.
    let started = app
        .raw
        .post(app.url("/start"))
        .form(&[("agree", "yes")])
        .send()
        .await
        .expect("start");
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    assert_eq!(started.headers()["cache-control"], "no-store");
    // Nor the island's JSON reply to a save.
    let token = common::location(&started)
        .trim_start_matches("/q/")
        .trim_end_matches("/about")
        .to_owned();
    let saved = app
        .raw
        .post(app.url(&format!("/q/{token}/s/1")))
        .header("accept", "application/json")
        .form(&[("nav", "save")])
        .send()
        .await
        .expect("save");
    assert!(saved.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(saved.headers()["cache-control"], "no-store");
}
on_both_databases!(headers, every_response_carries_the_security_headers);

async fn a_manage_link_stops_working_after_its_consult(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "4", "").await;
    common::check_in(&app, &token, "no").await;
    let picker = app
        .raw
        .get(app.url(&format!("/q/{token}/book")))
        .send()
        .await
        .expect("picker")
        .text()
        .await
        .expect("body");
    let slot = scraper::Html::parse_document(&picker)
        .select(&scraper::Selector::parse("input[name=slot]").expect("css"))
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let booked = app
        .raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(&[
            ("slot", slot.as_str()),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "Sam"),
            ("email", "sam@example.org"),
            ("phone", "555 0100"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    let manage = common::location(&booked);
    let manage = manage.split('?').next().expect("path").to_owned();
    let open = app.raw.get(app.url(&manage)).send().await.expect("manage");
    let status = open.status();
    assert_eq!(status, StatusCode::OK);
    // The consult took place yesterday: its link opens nothing any more.
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let (start, end) = (
        (yesterday - chrono::Duration::hours(1)).to_rfc3339(),
        yesterday.to_rfc3339(),
    );
    let past = if app.database_url.starts_with("sqlite:") {
        format!("update bookings set starts_at = '{start}', ends_at = '{end}'")
    } else {
        format!("update bookings set starts_at = '{start}'::timestamptz, ends_at = '{end}'::timestamptz")
    };
    db_execute(&app, &past).await;
    let gone = app.raw.get(app.url(&manage)).send().await.expect("manage");
    assert_eq!(gone.status(), StatusCode::GONE);
    let body = gone.text().await.expect("body");
    assert!(!body.contains("sam@example.org") && !body.contains("Sam"));
}
on_both_databases!(
    manage_link_ends,
    a_manage_link_stops_working_after_its_consult
);

async fn starting_questionnaires_is_limited_per_address_with_a_calm_page(app: TestApp) {
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..4 {
        let response = app
            .raw
            .post(app.url("/start"))
            .form(&[("agree", "yes")])
            .send()
            .await
            .expect("start");
        statuses.push(response.status());
        last = Some(response);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let limited = last.expect("a response");
    let retry = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert!(retry.and_then(|r| r.parse::<u64>().ok()).is_some());
    let body = limited.text().await.expect("body");
    assert!(body.contains("Please wait a moment"), "{body}");
    assert!(
        !body.contains("Too Many Requests!"),
        "our page, not the library's"
    );
    assert_eq!(
        crate::common::db_count(&app, "select count(*) from submissions").await,
        3
    );
    // The start page itself is never limited.
    let page = app.raw.get(app.url("/start")).send().await.expect("get");
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_limit() {
    let app = crate::common::spawn_app_with(
        crate::common::Backend::Sqlite,
        &[("START_BURST", "3".into())],
    )
    .await;
    starting_questionnaires_is_limited_per_address_with_a_calm_page(app).await;
}

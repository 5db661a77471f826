//! Sessions that really end: a logout or a password change ends the session even while other
//! requests of it are still being answered. Every staff request saves its session on the way
//! out (that is what makes the idle timeout count from the last request); such a save must
//! never bring back a row the logout removed. Against SQLite and PostgreSQL.

use crate::common::{create_admin, db_count, db_execute, log_in_as, TestApp};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a different horse, stapled twice";

/// Workspace requests with `cookie`, kept going from before `end` is sent until after it is
/// answered, so some are always in flight while the session ends.
async fn race(app: &TestApp, cookie: &str, end: reqwest::RequestBuilder) -> StatusCode {
    use std::sync::atomic::{AtomicBool, Ordering};
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let pages: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, cookie) = (app.raw.clone(), app.url("/staff"), cookie.to_owned());
            let done = done.clone();
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    let _ = client.get(&url).header("cookie", &cookie).send().await;
                }
            })
        })
        .collect();
    // Let the first requests load the session before it ends.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let ended = end.send().await.expect("end").status();
    done.store(true, Ordering::Relaxed);
    for page in pages {
        let _ = page.await;
    }
    ended
}

async fn opens_the_workspace(app: &TestApp, cookie: &str) -> bool {
    let page = app
        .raw
        .get(app.url("/staff"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get");
    page.status() == StatusCode::OK
}

async fn a_logout_ends_the_session_despite_requests_in_flight(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    for round in 0..10 {
        let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
        let logout = app
            .raw
            .post(app.url("/staff/logout"))
            .header("cookie", &cookie);
        assert_eq!(race(&app, &cookie, logout).await, StatusCode::SEE_OTHER);
        assert_eq!(
            db_count(&app, "select count(*) from sessions").await,
            0,
            "round {round}: a request in flight brought the session back"
        );
        assert!(!opens_the_workspace(&app, &cookie).await, "round {round}");
    }
}
on_both_databases!(
    logout_race,
    a_logout_ends_the_session_despite_requests_in_flight
);

async fn a_password_change_ends_every_other_session_despite_requests_in_flight(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let mut password = PASSWORD;
    // Four rounds: the login limit allows ten attempts from one address at once.
    for round in 0..4 {
        // The phone's session is busy while the desk's changes the password.
        let phone = log_in_as(&app, ADMIN, password).await.expect("login");
        let desk = log_in_as(&app, ADMIN, password).await.expect("login");
        let new = if password == PASSWORD {
            NEW_PASSWORD
        } else {
            PASSWORD
        };
        let change = app
            .raw
            .post(app.url("/staff/password"))
            .header("cookie", &desk)
            .form(&[("current", password), ("new", new)]);
        assert_eq!(race(&app, &phone, change).await, StatusCode::SEE_OTHER);
        password = new;
        assert_eq!(
            db_count(&app, "select count(*) from sessions").await,
            0,
            "round {round}: a session outlived the password change"
        );
        assert!(!opens_the_workspace(&app, &phone).await, "round {round}");
        assert!(!opens_the_workspace(&app, &desk).await, "round {round}");
    }
    // The new password works.
    assert!(log_in_as(&app, ADMIN, password).await.is_some());
}
on_both_databases!(
    password_change_race,
    a_password_change_ends_every_other_session_despite_requests_in_flight
);

/// The idle timeout counts from the last request: a request made when the session's expiry is
/// more than a minute old moves it forward again (one made sooner leaves the row as it is).
async fn a_request_restarts_the_idle_timeout(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    assert!(opens_the_workspace(&app, &cookie).await);
    let fresh = db_count(&app, "select max(expires_at) from sessions").await;
    // As if the last request had been five minutes ago.
    db_execute(&app, "update sessions set expires_at = expires_at - 300").await;
    assert!(opens_the_workspace(&app, &cookie).await);
    let moved = db_count(&app, "select max(expires_at) from sessions").await;
    assert!(
        moved >= fresh,
        "expiry {moved} was not moved forward from {}",
        fresh - 300
    );
    assert!(opens_the_workspace(&app, &cookie).await);
    assert_eq!(
        db_count(&app, "select max(expires_at) from sessions").await,
        moved,
        "a request within the minute does not rewrite the row"
    );
}
on_both_databases!(idle_restart, a_request_restarts_the_idle_timeout);

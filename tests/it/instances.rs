//! Two app processes on one PostgreSQL database, as a practice runs them behind a load
//! balancer (issue 13): a staff session made on one works on the other, a logout on one ends
//! it on both, and the lockout after wrong passwords holds across both. (Bookings racing across
//! instances: `booking.rs`; the outbox with two workers: `email.rs`.)

use reqwest::StatusCode;

use crate::common::{self, create_admin, location, log_in_as, Backend, TestApp};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";

async fn workspace(app: &TestApp, cookie: &str) -> StatusCode {
    app.raw
        .get(app.url("/staff"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get")
        .status()
}

async fn try_password(app: &TestApp, password: &str) -> reqwest::Response {
    app.raw
        .post(app.url("/staff/login"))
        .form(&[("email", ADMIN), ("password", password)])
        .send()
        .await
        .expect("login")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_the_lockout_hold_across_two_instances() {
    let first = common::spawn_app(Backend::Postgres).await;
    let second = common::spawn_app_on(first.database_url.clone(), &[]).await;
    create_admin(&first, ADMIN, "Ana Lima", PASSWORD).await;

    // Logged in on one, in on the other; logged out on the other, out on both.
    let cookie = log_in_as(&first, ADMIN, PASSWORD).await.expect("login");
    assert_eq!(workspace(&first, &cookie).await, StatusCode::OK);
    assert_eq!(workspace(&second, &cookie).await, StatusCode::OK);
    let out = second
        .raw
        .post(second.url("/staff/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(location(&out), "/staff/login");
    assert_eq!(workspace(&first, &cookie).await, StatusCode::SEE_OTHER);
    assert_eq!(workspace(&second, &cookie).await, StatusCode::SEE_OTHER);

    // Five wrong passwords, alternating instances, lock the account on both: then the right
    // password opens nothing on either, until an admin (or time) lifts it.
    for i in 0..5 {
        let app = if i % 2 == 0 { &first } else { &second };
        let refused = try_password(app, "not the password at all").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "try {i}");
    }
    for app in [&first, &second] {
        let refused = try_password(app, PASSWORD).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "locked on both");
    }
    let locked = "select count(*) from clinicians where locked_until is not null";
    assert_eq!(common::db_count(&first, locked).await, 1);
    // Lifted on one instance's command line, open on both.
    let unlocked = first
        .cli()
        .args(["unlock", "--email", ADMIN])
        .output()
        .await
        .expect("unlock");
    assert!(unlocked.status.success());
    for app in [&first, &second] {
        let cookie = log_in_as(app, ADMIN, PASSWORD).await.expect("login");
        assert_eq!(workspace(app, &cookie).await, StatusCode::OK);
    }
}

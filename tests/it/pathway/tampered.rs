//! A value planted in clear where a sealed one belongs is refused, not used (security N10):
//! someone with write access to the database (or a backup) who writes their own address into a
//! client's safe contact gets neither the client's messages nor their address on a page.
//! Against SQLite and PostgreSQL.

use super::*;

const PLANTED: &str = "x@evil.example";

async fn a_safe_contact_planted_in_clear_is_refused(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let token = finished(&app).await;
    let checked = check_in_with(&app, &token, "yes", &[("safe_email", SAFE_EMAIL)]).await;
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    let r = reference(&app, &token).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let path = format!("/staff/submissions/{r}");
    assert!(common::staff_html(&app, &cookie, &path)
        .await
        .contains(SAFE_EMAIL));

    common::db_execute(
        &app,
        &format!("update safe_contacts set email = '{PLANTED}'"),
    )
    .await;
    let page = app
        .raw
        .get(app.url(&path))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = page.text().await.expect("body");
    assert!(
        !body.contains(PLANTED) && !body.contains("safe_contacts"),
        "{body}"
    );
    // The log names the column, never the value.
    let logs = app.logs();
    assert!(
        logs.contains("in clear where a sealed value belongs"),
        "{logs}"
    );
    assert!(!logs.contains(PLANTED));
}
on_both_databases!(planted_in_clear, a_safe_contact_planted_in_clear_is_refused);

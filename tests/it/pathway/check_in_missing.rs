//! A check-in nobody answered (clinical review 3, N9): the partner walked in as the client
//! reached it, say, and the client left by Quick exit. After a day the intake is listed for the
//! clinicians as "check-in not answered", and a joint consult booked by staff is held as for a
//! positive check-in: a clinician's decision, with a stated reason. Against SQLite and
//! PostgreSQL.

use super::*;

/// Moves a submission's finishing time back by `hours`.
async fn finished_hours_ago(app: &TestApp, reference: &str, hours: i64) {
    let past = (chrono::Utc::now() - chrono::Duration::hours(hours)).to_rfc3339();
    let cast = if app.database_url.starts_with("sqlite:") {
        format!("'{past}'")
    } else {
        format!("'{past}'::timestamptz")
    };
    common::db_execute(
        app,
        &format!("update submissions set submitted_at = {cast} where reference = '{reference}'"),
    )
    .await;
}

async fn a_check_in_left_unanswered_is_listed_and_holds_joint_booking(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    // A finishes and checks in; B, invited, answers every question and never checks in.
    let a = finished(&app).await;
    common::check_in(&app, &a, "no").await;
    let invite = crate::couples::invite(&app, &a).await;
    let b = crate::couples::join(&app, &invite).await;
    common::answer_every_section(&app, &b, |_| "4", "").await;
    let a_ref = reference(&app, &a).await;
    let b_ref = db_text(
        &app,
        "select reference from submissions where partner = 'b'",
    )
    .await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let missing = |html: &str| select(html, "#check-in-missing tbody tr").concat();

    // Within the day it may still come: not listed yet.
    let list = common::staff_html(&app, &cookie, "/staff").await;
    assert!(!missing(&list).contains(&b_ref), "{}", missing(&list));
    // A day on, B is listed, and A (who answered) is not.
    finished_hours_ago(&app, &b_ref, 25).await;
    let list = common::staff_html(&app, &cookie, "/staff").await;
    let rows = missing(&list);
    assert!(rows.contains(&b_ref), "{rows}");
    assert!(!rows.contains(&a_ref), "{rows}");

    // The couple's safety card says so, and booking them together needs the clinician's
    // stated reason, as during a hold.
    let a_path = format!("/staff/submissions/{a_ref}");
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(
        select(&page, ".safety-pathway")
            .concat()
            .contains("A partner has not answered the private check-in"),
        "{}",
        select(&page, ".safety-pathway").concat()
    );
    let slot = Html::parse_document(&page)
        .select(&Selector::parse("select#slot option[value^='2']").expect("selector"))
        .find_map(|o| o.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let book = |extra: Vec<(&'static str, &'static str)>| {
        book_together(&app, &cookie, &a_path, &slot, extra)
    };
    let refused = book(vec![]).await.expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#safety_assessed-error")
        .concat()
        .contains("Tick the box"));
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);
    let reason = "Saw B alone and asked the check-in questions in person; no concerns.";
    let booked = book(vec![
        ("safety_assessed", "yes"),
        ("override_reason", reason),
    ])
    .await
    .expect("post");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        db_count(&app, "select count(*) from hold_overrides").await,
        1
    );
}
on_both_databases!(
    check_in_missing,
    a_check_in_left_unanswered_is_listed_and_holds_joint_booking
);

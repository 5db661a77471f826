//! The practice's side of booking: a clinician books for a client who called, an admin deletes
//! a submission for good, and admins set the booking rules and hours with messages next to the
//! fields. Against SQLite and PostgreSQL.

use super::*;

async fn a_clinician_books_for_a_client_who_called(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (_, result) = page(&app, &format!("/q/{token}/result")).await;
    let reference = select(&result, ".reference strong").concat();
    let path = format!("/staff/submissions/{reference}");
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let times = attrs(&staff, "select#slot option", "value");
    let key = attrs(&staff, "form.arrange-form input[name=request_key]", "value").concat();
    assert!(times.len() > 3 && times[0].is_empty(), "{times:?}");
    let slot = times[2].clone();
    let post = |form: Vec<(&'static str, String)>| {
        app.raw
            .post(app.url(&format!("{path}/book")))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };

    // Missing details: each said at its field, with everything typed and the time kept.
    let refused = post(vec![
        ("slot", slot.clone()),
        ("request_key", key.clone()),
        ("name", "Robin Vale".into()),
        ("email", "robin at example".into()),
    ])
    .await
    .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&refused.text().await.expect("body"));
    for (field, said) in [
        ("email", "That does not look like an email address"),
        ("phone", "Please give the client's phone number."),
        ("consent", "Please confirm that the client agreed"),
    ] {
        let error = select(&html, &format!("#{field}-error")).concat();
        assert!(error.contains(said), "{field}: {error}");
    }
    assert!(select(&html, "#name-error").is_empty());
    assert_eq!(attrs(&html, "input#name", "value"), ["Robin Vale"]);
    assert_eq!(
        attrs(&html, "select#slot option[selected]", "value"),
        [slot.as_str()]
    );
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);

    // Booked: once, even when the button is pressed twice.
    let form = vec![
        ("slot", slot.clone()),
        ("request_key", key.clone()),
        ("name", "Robin Vale".into()),
        ("email", "robin@example.org".into()),
        ("phone", "+1 555 010 0300".into()),
        ("consent", "yes".into()),
    ];
    for _ in 0..2 {
        let booked = post(form.clone()).await.expect("post");
        assert_eq!(booked.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&booked), path);
    }
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 1);
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let card = select(&staff, ".booking-card").concat();
    assert!(
        card.contains("Booked") && card.contains("robin@example.org"),
        "{card}"
    );
    assert!(
        select(&staff, "form.arrange-form").is_empty(),
        "no second consult"
    );
    let (now, history) = workflow(&app, &cookie, &token).await;
    assert_eq!(now, "Consult booked");
    assert!(history[0].contains("Ana Lima"), "{history:?}");
    // The practice's consults page lists it, by day, practice time; also as Ana's own.
    for consults in ["/staff/consults", "/staff/consults?mine=1"] {
        let html = Html::parse_document(&common::staff_html(&app, &cookie, consults).await);
        let rows = select(&html, "table.consults tbody tr");
        assert_eq!(rows.len(), 1, "{consults}: {rows:?}");
        assert!(
            rows[0].contains("Robin Vale") && rows[0].contains("Ana Lima"),
            "{rows:?}"
        );
        assert_eq!(attrs(&html, "table.consults a", "href"), [path.as_str()]);
    }

    // The client is told by email, with their own link; the practice is not told of its own
    // booking. The time is gone for everyone else.
    let to_client = common::all_mail(&app)
        .await
        .into_iter()
        .filter(|m| m.recipient == "robin@example.org")
        .filter(|m| ["consult_confirmation", "consult_reminder"].contains(&m.kind.as_str()))
        .count();
    assert_eq!(to_client, 2);
    let to_practice = "select count(*) from outbox where kind = 'consult_booked'";
    assert_eq!(db_count(&app, to_practice).await, 0);
    let other = finished_client(&app).await;
    assert!(!offered(&app, &other).await.contains(&slot));

    // The client's own "book" page says it is booked, and where the link to change it is.
    let (status, html) = page(&app, &format!("/q/{token}/book")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&html, "h1"), ["Your consult is booked"]);
    assert!(select(&html, "p")
        .concat()
        .contains("The practice booked this time with you"));

    // Someone else's time, taken meanwhile: said at the time field.
    let (_, other_result) = page(&app, &format!("/q/{other}/result")).await;
    let other_ref = select(&other_result, ".reference strong").concat();
    let taken = app
        .raw
        .post(app.url(&format!("/staff/submissions/{other_ref}/book")))
        .header("cookie", &cookie)
        .form(&[
            ("slot", slot.as_str()),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "Kim"),
            ("email", "kim@example.org"),
            ("phone", "+1 555 010 0400"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let html = Html::parse_document(&taken.text().await.expect("body"));
    assert!(select(&html, "#slot-error")
        .concat()
        .contains("just booked"));

    // The client calls to cancel: the practice cancels, after ticking to confirm.
    let cancel = |form: Vec<(&'static str, String)>| {
        app.raw
            .post(app.url(&format!("{path}/consult/cancel")))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    let unticked = cancel(vec![]).await.expect("post");
    assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&unticked.text().await.expect("body"));
    assert_eq!(
        select(&html, "#cancel-confirm-error"),
        ["Tick the box to confirm the cancellation."]
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
    // The page's form names the consult it showed; an older version of it cancels nothing.
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let hidden = |name: &str| {
        attrs(
            &staff,
            &format!("form.cancel-consult input[name={name}]"),
            "value",
        )
        .concat()
    };
    let (booking, sequence) = (hidden("booking"), hidden("sequence"));
    assert_eq!(sequence, "0");
    let stale = cancel(vec![
        ("confirm", "yes".into()),
        ("booking", booking.clone()),
        ("sequence", "1".into()),
    ])
    .await
    .expect("post");
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let html = Html::parse_document(&stale.text().await.expect("body"));
    assert!(select(&html, "#cancel-confirm-error")
        .concat()
        .contains("changed after the page was loaded"));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
    for _ in 0..2 {
        let form = vec![
            ("confirm", "yes".into()),
            ("booking", booking.clone()),
            ("sequence", sequence.clone()),
        ];
        let done = cancel(form).await.expect("post");
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
    }
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let card = select(&staff, ".booking-card").concat();
    assert!(card.contains("Cancelled"), "{card}");
    assert!(
        !select(&staff, "form.arrange-form").is_empty(),
        "a new consult can be booked"
    );
    let (now, history) = workflow(&app, &cookie, &token).await;
    assert_eq!(now, "New");
    assert!(
        history.last().is_some_and(|h| h.contains("Ana Lima")),
        "{history:?}"
    );
    // Told once, without a link the server does not hold; no reminder for it any more.
    let told = common::mail(&app, "consult_cancelled_by_practice").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].recipient == "robin@example.org" && !told[0].text.contains("/b/"));
    let reminders = "select count(*) from outbox where kind = 'consult_reminder' \
                     and status = 'pending'";
    assert_eq!(db_count(&app, reminders).await, 0);
    assert!(offered(&app, &other).await.contains(&slot));
    let consults = common::staff_html(&app, &cookie, "/staff/consults").await;
    assert!(consults.contains("No consults booked from now on."));
}
on_both_databases!(clinician_books, a_clinician_books_for_a_client_who_called);

async fn an_admin_deletes_a_submission_for_good(backend: common::Backend) {
    // A mail server that never answers: every message stays queued, as in an outage.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a port");
    let env = [
        ("SMTP_HOST", "127.0.0.1".to_owned()),
        ("SMTP_PORT", closed.to_string()),
        ("SMTP_TLS", "none".to_owned()),
    ];
    let app = common::spawn_app_with(backend, &env).await;
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let (manage, _) = book_first(&app, &token, "Sam").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (_, result) = page(&app, &format!("/q/{token}/result")).await;
    let reference = select(&result, ".reference strong").concat();
    let path = format!("/staff/submissions/{reference}");
    let delete = |typed: String| {
        app.raw
            .post(app.url(&format!("{path}/delete")))
            .header("cookie", &cookie)
            .form(&[("confirm_reference", typed)])
            .send()
    };
    let error = |html: String| select(&Html::parse_document(&html), "#delete-confirm-error");

    // A booked consult first: the client must hear that it is cancelled.
    let refused = delete(reference.clone()).await.expect("post");
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(error(refused.text().await.expect("body"))
        .concat()
        .contains("cancel the consult first"));
    let cancelled = app
        .raw
        .post(app.url(&format!("{manage}/cancel")))
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    // The reference typed exactly (any case), nothing else.
    let refused = delete("TB-WRONG".into()).await.expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(refused.text().await.expect("body")),
        ["Type this submission's reference exactly to confirm."]
    );
    assert_eq!(db_count(&app, "select count(*) from submissions").await, 1);

    let deleted = delete(reference.to_lowercase()).await.expect("post");
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&deleted), "/staff");
    let gone = app
        .raw
        .get(app.url(&path))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("get");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let (status, _) = page(&app, &format!("/q/{token}/result")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the client's link is dead too"
    );
    for table in [
        "submissions",
        "answers",
        "results",
        "result_dimensions",
        "safety_screens",
        "bookings",
        "workflow_events",
    ] {
        let n = db_count(&app, &format!("select count(*) from {table}")).await;
        assert_eq!(n, 0, "{table}");
    }
    // The cancellation still goes out (it was not sent yet); nothing else for Sam is left.
    let client_mail: Vec<common::Mail> = common::all_mail(&app)
        .await
        .into_iter()
        .filter(|m| m.recipient == "sam@example.org")
        .collect();
    // Still to go out: waiting, or being tried right now (the worker may be mid-attempt when
    // the port it was given answers slowly).
    let [kept] = client_mail.as_slice() else {
        panic!("one message for Sam is left: {client_mail:?}");
    };
    assert_eq!(kept.kind, "consult_cancellation");
    assert!(
        ["pending", "sending"].contains(&kept.status.as_str()),
        "{kept:?}"
    );
    assert!(!kept.booked, "no longer tied to the erased booking");
    let audited = format!(
        "select count(*) from audit_events where action = 'delete_submission {reference}' \
         and submission_id is null"
    );
    assert_eq!(db_count(&app, &audited).await, 1);
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_submission_sqlite() {
    an_admin_deletes_a_submission_for_good(common::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_submission_postgres() {
    an_admin_deletes_a_submission_for_good(common::Backend::Postgres).await;
}

async fn admins_set_rules_and_hours_with_messages_next_to_fields(app: TestApp) {
    practice_with_hours(&app, "09:00-10:00").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.raw
                .post(app.url(path))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let bad = post(
        "/staff/availability/hours",
        vec![
            ("offers", "yes"),
            ("mon", "17:00-09:00"),
            ("days_off", "2026-12-24"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&bad.text().await.expect("body"));
    assert_eq!(select(&html, "#hours-mon-error").len(), 1);
    assert_eq!(attrs(&html, "input#hours-mon", "value"), ["17:00-09:00"]);

    let bad = post(
        "/staff/availability/rules",
        vec![
            ("length", "50"),
            ("buffer", "10"),
            ("notice_hours", "24"),
            ("horizon_days", "0"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&bad.text().await.expect("body"));
    assert_eq!(select(&html, "#horizon_days-error").len(), 1);

    // 30-minute consults with no break, booked a week ahead at most: 09:00 and 09:30 each day.
    let ok = post(
        "/staff/availability/rules",
        vec![
            ("length", "30"),
            ("buffer", "0"),
            ("notice_hours", "0"),
            ("horizon_days", "7"),
        ],
    )
    .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let token = finished_client(&app).await;
    let (_, html) = page(&app, &format!("/q/{token}/book")).await;
    let labels = select(&html, "label.slot span");
    assert!(labels.contains(&"09:30".to_owned()), "{labels:?}");
    assert!(labels.len() <= 16, "{labels:?}");

    // No one offering consults: the client is told plainly, with the practice's address.
    let ok = post("/staff/availability/hours", vec![("mon", "09:00-10:00")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &format!("/q/{token}/book")).await;
    assert_eq!(select(&html, "h1"), ["Your next step"]);
    assert!(html
        .root_element()
        .html()
        .contains("Someone from the practice will contact you"));
}
on_both_databases!(
    availability,
    admins_set_rules_and_hours_with_messages_next_to_fields
);

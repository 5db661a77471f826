//! A client who finished the questionnaire books a consult from real availability, in their own
//! time zone, then moves or cancels it through a private link; fifty clients racing for one
//! time never double-book it. Against SQLite and PostgreSQL, without JavaScript (plain forms).

use crate::common::{
    self, create_admin, db_count, location, log_in_as, start_questionnaire, TestApp,
};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scraper::{Html, Selector};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
const TAKEN: &str = "That time was just booked by someone else";

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The practice's first admin, offering consults every day in `hours` (practice time).
async fn practice_with_hours(app: &TestApp, hours: &str) {
    let created = create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    assert!(created.status.success(), "{created:?}");
    common::set_hours(app, ADMIN, hours).await;
}

/// A client answers every statement; returns their private token.
async fn finished_client(app: &TestApp) -> String {
    let token = start_questionnaire(app).await;
    common::answer_every_section(app, &token, |_| "4", "").await;
    let checked = common::check_in(app, &token, "no").await;
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    token
}

/// The workflow status a clinician sees on this client's submission, and its history.
async fn workflow(app: &TestApp, cookie: &str, token: &str) -> (String, Vec<String>) {
    let (_, result) = page(app, &format!("/q/{token}/result")).await;
    let reference = select(&result, ".reference strong").concat();
    let path = format!("/staff/submissions/{reference}");
    let staff = Html::parse_document(&common::staff_html(app, cookie, &path).await);
    let now = select(&staff, "section.card p")
        .into_iter()
        .find_map(|p| p.strip_prefix("Now: ").map(str::to_owned))
        .unwrap_or_default();
    (now, select(&staff, "ol.history li"))
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, Html) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    (
        status,
        Html::parse_document(&response.text().await.expect("body")),
    )
}

/// The open times a client is offered, as the form values (UTC instants).
async fn offered(app: &TestApp, token: &str) -> Vec<String> {
    let (status, html) = page(app, &format!("/q/{token}/book")).await;
    assert_eq!(status, StatusCode::OK);
    attrs(&html, "input[name=slot]", "value")
}

/// The confirm step's one-time key for `slot`.
async fn request_key(app: &TestApp, token: &str, slot: &str) -> String {
    let (status, html) = page(
        app,
        &format!(
            "/q/{token}/book/confirm?slot={}&tz=Europe/Berlin",
            urlencode(slot)
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    attrs(&html, "input[name=request_key]", "value")
        .pop()
        .expect("a request key")
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

fn booking_form(slot: &str, key: &str, name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("slot", slot.to_owned()),
        ("tz", "Europe/Berlin".to_owned()),
        ("request_key", key.to_owned()),
        ("name", name.to_owned()),
        ("email", "sam@example.org".to_owned()),
        ("phone", "+1 555 010 0200".to_owned()),
        ("consent", "yes".to_owned()),
    ]
}

async fn post_booking(
    app: &TestApp,
    token: &str,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    app.raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(form)
        .send()
        .await
        .expect("post booking")
}

/// Books the first open time; returns the manage page's path.
async fn book_first(app: &TestApp, token: &str, name: &str) -> (String, String) {
    let slot = offered(app, token).await.first().cloned().expect("a slot");
    let key = request_key(app, token, &slot).await;
    let response = post_booking(app, token, &booking_form(&slot, &key, name)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let manage = location(&response);
    assert!(
        manage.starts_with("/b/") && manage.ends_with("?booked=1"),
        "{manage}"
    );
    (manage.trim_end_matches("?booked=1").to_owned(), slot)
}

async fn a_client_books_in_their_own_time_zone(app: TestApp) {
    practice_with_hours(&app, "09:00-10:00").await;
    let token = finished_client(&app).await;

    // The result page leads to booking.
    let (_, result) = page(&app, &format!("/q/{token}/result")).await;
    let book = format!("/q/{token}/book");
    assert_eq!(
        attrs(&result, ".next-step a.button", "href"),
        [book.as_str()]
    );

    // In the practice's zone (the default) every consult starts at 09:00; in Berlin the same
    // instants read as the Berlin clock says.
    let (_, practice_view) = page(&app, &book).await;
    let labels = select(&practice_view, "label.slot span");
    assert!(
        labels.len() >= 20,
        "four weeks of daily consults: {labels:?}"
    );
    assert!(labels.iter().all(|l| l == "09:00"), "{labels:?}");
    let (_, berlin) = page(&app, &format!("{book}?tz=Europe/Berlin")).await;
    let values = attrs(&berlin, "input[name=slot]", "value");
    let labels = select(&berlin, "label.slot span");
    for (value, label) in values.iter().zip(&labels) {
        let instant: DateTime<Utc> = value.parse().expect("an RFC 3339 instant");
        let expected = instant
            .with_timezone(&chrono_tz::Europe::Berlin)
            .format("%H:%M")
            .to_string();
        assert_eq!(label, &expected, "{value}");
    }
    assert_eq!(
        attrs(&berlin, "select#tz option[selected]", "value"),
        ["Europe/Berlin"]
    );
    assert!(berlin
        .root_element()
        .html()
        .contains("The practice works in America/New York time."));

    // Nothing filled in: every field says what is wrong, and nothing is booked.
    let slot = values[0].clone();
    let key = request_key(&app, &token, &slot).await;
    let response = post_booking(
        &app,
        &token,
        &[
            ("slot", slot.clone()),
            ("tz", "Europe/Berlin".into()),
            ("request_key", key.clone()),
            ("name", "Sam".into()),
            ("email", "not-an-email".into()),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = Html::parse_document(&response.text().await.expect("body"));
    assert_eq!(select(&html, "#email-error").len(), 1);
    assert_eq!(select(&html, "#phone-error").len(), 1);
    assert_eq!(select(&html, "#consent-error").len(), 1);
    assert!(select(&html, "#name-error").is_empty());
    assert_eq!(
        attrs(&html, "input#name", "value"),
        ["Sam"],
        "typed values are kept"
    );
    assert_eq!(
        attrs(&html, "input[name=request_key]", "value"),
        [key.as_str()]
    );
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);

    // Complete: booked, and the private page shows the time in both zones.
    let response = post_booking(&app, &token, &booking_form(&slot, &key, "Sam")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let manage = location(&response);
    let (status, html) = page(&app, &manage).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&html, "h1"), ["Your consult is booked"]);
    let when = select(&html, ".chosen-time").join(" ");
    assert!(
        when.contains("Europe/Berlin time") && when.contains("America/New York time"),
        "{when}"
    );
    assert!(when.contains("50 minutes"), "{when}");

    // That time is gone for everyone else, and this client's booking link leads to it.
    let other = finished_client(&app).await;
    assert!(!offered(&app, &other).await.contains(&slot));
    let again = app.raw.get(app.url(&book)).send().await.expect("get");
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), manage.trim_end_matches("?booked=1"));

    // Booked on their own: a partner can no longer be invited into this consult.
    let (_, result) = page(&app, &format!("/q/{token}/result")).await;
    assert!(select(&result, "#invite")
        .concat()
        .contains("You have booked a consult"));
    let invite = app
        .raw
        .post(app.url(&format!("/q/{token}/invite")))
        .send()
        .await
        .expect("invite");
    assert_eq!(invite.status(), StatusCode::NOT_FOUND);

    // The clinician sees the consult on the submission.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (_, result) = page(&app, &format!("/q/{token}/result")).await;
    let reference = select(&result, ".reference strong").concat();
    let staff = Html::parse_document(
        &common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await,
    );
    let list = Html::parse_document(&common::staff_html(&app, &cookie, "/staff").await);
    let row = select(&list, "table.submissions tbody tr")
        .into_iter()
        .find(|r| r.contains(&reference))
        .expect("the submission in the list");
    assert!(
        row.contains("09:00 (GMT-"),
        "the consult in the list: {row}"
    );
    for (name, found) in [("sAm", true), ("nobody", false), ("%", false)] {
        let path = format!("/staff?name={}", name.replace('%', "%25"));
        let list = common::staff_html(&app, &cookie, &path).await;
        let rows = select(&Html::parse_document(&list), "table.submissions tbody tr");
        assert_eq!(rows.len(), usize::from(found), "name {name}: {rows:?}");
    }
    let card = select(&staff, ".booking-card").concat();
    assert!(
        card.contains("Booked") && card.contains("sam@example.org"),
        "{card}"
    );
    assert!(card.contains("09:00"), "{card}");
}
on_both_databases!(books, a_client_books_in_their_own_time_zone);

async fn fifty_clients_racing_for_one_time_never_double_book(app: TestApp) {
    race_for_one_time(&[&app]).await;
}
on_both_databases!(race, fifty_clients_racing_for_one_time_never_double_book);

/// Two app processes on one PostgreSQL database, the clients split between them: still
/// exactly one booking per time, round after round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_on_two_instances_never_double_book() {
    let first = common::spawn_app(common::Backend::Postgres).await;
    let second = common::spawn_app_on(first.database_url.clone(), &[]).await;
    race_for_one_time(&[&first, &second]).await;
}

/// 50 clients race for one time, 20 rounds; client `i` books through `apps[i % len]`.
async fn race_for_one_time(apps: &[&TestApp]) {
    let app = apps[0];
    practice_with_hours(app, "00:00-23:59").await;
    let mut clients = Vec::new();
    for _ in 0..50 {
        clients.push(finished_client(app).await);
    }
    let slots = offered(app, &clients[0]).await;
    assert!(slots.len() >= 20);
    for (round, slot) in slots.iter().take(20).enumerate() {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, token) in clients.iter().enumerate() {
            let via = apps[i % apps.len()];
            let client = via.raw.clone();
            let url = via.url(&format!("/q/{token}/book"));
            let form = booking_form(slot, &format!("{round:02x}{i:030x}"), "Racer");
            tasks.spawn(async move {
                let response = client.post(url).form(&form).send().await.expect("post");
                let status = response.status();
                let target = location(&response);
                let body = response.text().await.unwrap_or_default();
                (status, target, body)
            });
        }
        let mut booked = Vec::new();
        let mut taken = 0;
        while let Some(outcome) = tasks.join_next().await {
            let (status, target, body) = outcome.expect("task");
            assert!(!status.is_server_error(), "round {round}: {status} {body}");
            match status {
                StatusCode::SEE_OTHER => booked.push(target),
                StatusCode::CONFLICT => {
                    assert!(body.contains(TAKEN), "round {round}");
                    taken += 1;
                }
                other => panic!("round {round}: unexpected {other}"),
            }
        }
        assert_eq!(booked.len(), 1, "round {round}: exactly one booking");
        assert_eq!(taken, 49, "round {round}");
        // The winner cancels, so every client can race again next round.
        let manage = booked[0].trim_end_matches("?booked=1");
        let cancelled = app
            .raw
            .post(app.url(&format!("{manage}/cancel")))
            .send()
            .await
            .expect("cancel");
        assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        db_count(app, "select count(*) from bookings where status = 'booked'").await,
        0
    );
    assert_eq!(db_count(app, "select count(*) from bookings").await, 20);
    for app in apps {
        let logs = app.logs().to_lowercase();
        assert!(!logs.contains("database is locked") && !logs.contains("sqlite_busy"));
    }
}

async fn a_double_click_books_once(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let slot = offered(&app, &token).await[0].clone();
    let key = request_key(&app, &token, &slot).await;
    let form = booking_form(&slot, &key, "Sam");
    let (first, second) = tokio::join!(
        post_booking(&app, &token, &form),
        post_booking(&app, &token, &form)
    );
    let third = post_booking(&app, &token, &form).await;
    for response in [&first, &second, &third] {
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(response), location(&first));
    }
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 1);
    // One message for the practice and one confirmation for the client, not two of each.
    for kind in ["consult_booked", "consult_confirmation"] {
        let sql = format!("select count(*) from outbox where kind = '{kind}'");
        assert_eq!(db_count(&app, &sql).await, 1, "{kind}");
    }
}
on_both_databases!(double_click, a_double_click_books_once);

async fn a_client_moves_then_cancels_and_the_times_free_at_once(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let first_slot = offered(&app, &token).await[0].clone();
    let first_key = request_key(&app, &token, &first_slot).await;
    let first_form = booking_form(&first_slot, &first_key, "Sam");
    let booked = post_booking(&app, &token, &first_form).await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let manage = location(&booked).trim_end_matches("?booked=1").to_owned();
    // The practice's workflow follows the client's booking, and says who moved it.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (now, history) = workflow(&app, &cookie, &token).await;
    assert_eq!(now, "Consult booked");
    assert_eq!(history.len(), 1, "{history:?}");
    assert!(
        history[0].contains("Client, online") && history[0].contains("from New to Consult booked"),
        "{history:?}"
    );
    // A reminder waits in the outbox for a day before the consult.
    let reminders = "select count(*) from outbox where kind = 'consult_reminder' \
                     and status = 'pending' and next_attempt_at > created_at";
    assert_eq!(db_count(&app, reminders).await, 1);

    // Move to another time: the old one is free again.
    let (status, picker) = page(&app, &format!("{manage}/reschedule")).await;
    assert_eq!(status, StatusCode::OK);
    let choices = attrs(&picker, "input[name=slot]", "value");
    assert!(
        !choices.contains(&first_slot),
        "its own time is not offered as a move"
    );
    let new_slot = choices[3].clone();
    let moved = app
        .raw
        .post(app.url(&format!("{manage}/reschedule")))
        .form(&[("slot", new_slot.as_str()), ("tz", "America/New_York")])
        .send()
        .await
        .expect("move");
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    // A double click on "Move" moves it once, with one message each.
    let again = app
        .raw
        .post(app.url(&format!("{manage}/reschedule")))
        .form(&[("slot", new_slot.as_str()), ("tz", "America/New_York")])
        .send()
        .await
        .expect("move again");
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        db_count(
            &app,
            "select count(*) from outbox where kind = 'consult_moved_client'"
        )
        .await,
        1
    );
    let (_, html) = page(&app, &location(&moved)).await;
    assert!(select(&html, "[role=status]")
        .concat()
        .contains("has moved"));
    let other = finished_client(&app).await;
    let open = offered(&app, &other).await;
    assert!(open.contains(&first_slot) && !open.contains(&new_slot));
    assert_eq!(
        db_count(&app, reminders).await,
        1,
        "the old time's reminder is withdrawn"
    );

    // Cancel, with a confirmation step: the time is offered again at once.
    let (status, confirm) = page(&app, &format!("{manage}/cancel")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&confirm, "h1"), ["Cancel this consult?"]);
    let cancelled = app
        .raw
        .post(app.url(&format!("{manage}/cancel")))
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &manage).await;
    assert_eq!(select(&html, "h1"), ["Your consult is cancelled"]);
    assert_eq!(
        db_count(&app, reminders).await,
        0,
        "no reminder for a cancelled consult"
    );
    assert!(offered(&app, &other).await.contains(&new_slot));
    // The move changed nothing in the workflow; the cancellation put it back where it was.
    let (now, history) = workflow(&app, &cookie, &token).await;
    assert_eq!(now, "New");
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history[1].contains("from Consult booked to New"),
        "{history:?}"
    );

    // The first booking's form, sent again (Back, then "Book"): a new booking at that time,
    // not the cancelled one, under the same private link.
    let again = post_booking(&app, &token, &first_form).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&again), format!("{manage}?booked=1"));
    let (_, html) = page(&app, &manage).await;
    assert_eq!(select(&html, "h1"), ["Your consult"]);
    assert!(!offered(&app, &other).await.contains(&first_slot));
    assert_eq!(workflow(&app, &cookie, &token).await.0, "Consult booked");
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
}
on_both_databases!(
    move_and_cancel,
    a_client_moves_then_cancels_and_the_times_free_at_once
);

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

async fn forged_and_unfinished_links_get_a_clear_page(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let forged = "A".repeat(43);
    for path in [
        "/b/not-a-token".to_owned(),
        format!("/b/{forged}"),
        format!("/b/{forged}/reschedule"),
        format!("/q/{forged}/book"),
    ] {
        let (status, html) = page(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            select(&html, "h1"),
            ["We couldn't open that link"],
            "{path}"
        );
    }
    let response = app
        .raw
        .post(app.url(&format!("/b/{forged}/cancel")))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Half-way through the questionnaire, booking leads back to it.
    let token = start_questionnaire(&app).await;
    let response = app
        .raw
        .get(app.url(&format!("/q/{token}/book")))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/q/{token}"));
}
on_both_databases!(forged, forged_and_unfinished_links_get_a_clear_page);

async fn close_to_the_consult_changes_go_through_the_practice(mut app: TestApp) {
    // With a cut-off longer than the booking horizon, every booking is already "too close".
    app.stop().await;
    app.restart(&[("BOOKING_CHANGE_CUTOFF_HOURS", "2000".to_owned())])
        .await;
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let (manage, _) = book_first(&app, &token, "Sam").await;
    let (_, html) = page(&app, &manage).await;
    assert!(html
        .root_element()
        .html()
        .contains("too close to the consult to change it online"));
    assert!(attrs(&html, "a", "href")
        .iter()
        .all(|h| !h.ends_with("/cancel")));
    let response = app
        .raw
        .post(app.url(&format!("{manage}/cancel")))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
}
on_both_databases!(cutoff, close_to_the_consult_changes_go_through_the_practice);

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

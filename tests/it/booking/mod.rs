//! A client who finished the questionnaire books a consult from real availability, in their own
//! time zone, then moves or cancels it through a private link; fifty clients racing for one
//! time never double-book it. Against SQLite and PostgreSQL, without JavaScript (plain forms).
//! The practice's side (booking for a caller, deleting, rules and hours) is in `staff.rs`.

use crate::common::{
    self, create_admin, db_count, location, log_in_as, start_questionnaire, TestApp,
};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use scraper::{Html, Selector};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
const TAKEN: &str = "That time was just booked by someone else";

mod calendar_feed;
mod ended_links;
mod staff;

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

/// The race is a load test: every client posts from one address, and winners book again.
fn race_env() -> [(&'static str, String); 2] {
    [
        ("BOOKING_BURST", "0".to_owned()),
        ("BOOKINGS_PER_DAY", "1000".to_owned()),
    ]
}

async fn fifty_clients_racing_for_one_time_never_double_book(app: TestApp) {
    race_for_one_time(&[&app]).await;
}
on_both_databases_with!(
    race,
    fifty_clients_racing_for_one_time_never_double_book,
    &race_env()
);

/// Two app processes on one PostgreSQL database, the clients split between them: still
/// exactly one booking per time, round after round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_on_two_instances_never_double_book() {
    let first = common::spawn_app_with(common::Backend::Postgres, &race_env()).await;
    let second = common::spawn_app_on(first.database_url.clone(), &race_env()).await;
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
    // The client left the calendar question unanswered: no calendar file, and the page does
    // not promise one (a mail program may add a file to a calendar the partner shares).
    let confirmation = common::mail(&app, "consult_confirmation").await;
    assert!(confirmation.iter().all(|m| m.calendar.is_none()));
    let manage = app
        .client
        .get(app.url(&location(&first)))
        .send()
        .await
        .expect("manage")
        .text()
        .await
        .expect("body");
    assert!(manage.contains("A confirmation is on its way"), "{manage}");
    assert!(!manage.contains("calendar file"));
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
    // not the cancelled one, with a manage link of its own (the cancelled consult's link still
    // shows only that one).
    let again = post_booking(&app, &token, &first_form).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let next = location(&again).trim_end_matches("?booked=1").to_owned();
    assert!(next.starts_with("/b/") && next != manage, "{next}");
    let (_, html) = page(&app, &next).await;
    assert_eq!(select(&html, "h1"), ["Your consult"]);
    let (_, html) = page(&app, &manage).await;
    assert_eq!(select(&html, "h1"), ["Your consult is cancelled"]);
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

/// Booking and cancelling in a loop mails whatever address is typed and fills the practice's
/// inbox (security review 3, N6). One questionnaire books `BOOKINGS_PER_DAY` (3) times a day
/// online, then is told to write to the practice, with nothing booked and nothing sent; one
/// consult moves `MOVES_PER_BOOKING` (5) times online; and one address posts a burst, then
/// waits (`BOOKING_BURST`).
async fn booking_in_a_loop_is_capped_and_says_what_to_do(app: TestApp) {
    practice_with_hours(&app, "00:00-23:59").await;
    let token = finished_client(&app).await;
    let mail = "select count(*) from outbox where kind in \
                ('consult_confirmation', 'consult_booked', 'consult_cancellation', \
                 'consult_cancelled')";
    for cycle in 0..3 {
        let (manage, _) = book_first(&app, &token, "Sam").await;
        let cancelled = app
            .raw
            .post(app.url(&format!("{manage}/cancel")))
            .send()
            .await
            .expect("cancel");
        assert_eq!(cancelled.status(), StatusCode::SEE_OTHER, "cycle {cycle}");
    }
    let sent = db_count(&app, mail).await;
    let slot = offered(&app, &token).await[0].clone();
    let key = request_key(&app, &token, &slot).await;
    let refused = post_booking(&app, &token, &booking_form(&slot, &key, "Sam")).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = refused.text().await.expect("body");
    assert!(
        html.contains("Please write to the practice to book") && html.contains("mailto:"),
        "{html}"
    );
    assert_eq!(db_count(&app, mail).await, sent, "nothing more was sent");
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 3);

    // Moving: five times online, then the practice; the consult stays where it was.
    let other = finished_client(&app).await;
    let (manage, _) = book_first(&app, &other, "Alex").await;
    let (_, picker) = page(&app, &format!("{manage}/reschedule")).await;
    let times = attrs(&picker, "input[name=slot]", "value");
    let move_to = |slot: String| {
        let app = &app;
        let manage = manage.clone();
        async move {
            app.raw
                .post(app.url(&format!("{manage}/reschedule")))
                .form(&[("slot", slot.as_str()), ("tz", "Europe/Berlin")])
                .send()
                .await
                .expect("move")
        }
    };
    for slot in times.iter().take(5) {
        assert_eq!(move_to(slot.clone()).await.status(), StatusCode::SEE_OTHER);
    }
    let sixth = move_to(times[6].clone()).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = sixth.text().await.expect("body");
    assert!(html.contains("cannot be moved again here"), "{html}");
    assert!(html.contains("Your consult stays booked"));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );

    // One address: a burst of posts, then "please wait" (the limiter answers before the app).
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let response = app
            .raw
            .post(app.url(&format!("/q/{token}/book")))
            .form(&[("slot", "nonsense")])
            .send()
            .await
            .expect("post");
        statuses.push(response.status());
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}
on_both_databases!(limits, booking_in_a_loop_is_capped_and_says_what_to_do);

//! A clinician's consults in their own calendar app (issue 26, consults out): a private feed
//! address, shown once and stored hashed, that a real iCalendar library reads; it names the
//! reference, the time, the place and a workspace link, never the client; a move and a cancel
//! show on the next read; a new address ends the old. Against SQLite and PostgreSQL.

use super::*;

const CANARY_NAME: &str = "Canary Feedname";

/// Reads `ics` with Python's `icalendar` (a real parser, not this app's writer): one line per
/// event, `uid|sequence|status|summary|start|location|url`.
fn parse_with_icalendar(ics: &str) -> Vec<String> {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
for e in cal.walk("VEVENT"):
    print("|".join(str(e.get(k, "")) for k in ("UID", "SEQUENCE", "STATUS", "SUMMARY")) + "|" +
          e.decoded("DTSTART").isoformat() + "|" + str(e.get("LOCATION", "")) + "|" + str(e.get("URL", "")))
"#;
    common::python(script, ics)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Makes a feed on the settings page; the address it shows once.
async fn make_feed(app: &TestApp, cookie: &str) -> String {
    let made = app
        .raw
        .post(app.url("/staff/calendar-feed"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("make");
    assert_eq!(made.status(), StatusCode::OK);
    let html = Html::parse_document(&made.text().await.expect("body"));
    let url = select(&html, "code.feed-url").concat();
    assert!(url.contains("/calendar/") && url.ends_with(".ics"), "{url}");
    url
}

async fn read_feed(app: &TestApp, url: &str) -> (StatusCode, String) {
    let path = url
        .split_once("/calendar/")
        .map(|(_, t)| t)
        .expect("a feed path");
    let response = app
        .raw
        .get(app.url(&format!("/calendar/{path}")))
        .send()
        .await
        .expect("get");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn a_clinicians_feed_lists_their_consults_and_nothing_about_the_client(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    // Where the clinician sees clients: their profile's address.
    let id = common::db_text(&app, "select cast(id as text) from clinicians").await;
    let saved = app
        .raw
        .post(app.url(&format!("/staff/clinicians/{id}/profile")))
        .header("cookie", &cookie)
        .form(&[
            ("consult_format", "in_person"),
            ("consult_place", "12 Quay Street, Room 3"),
            ("accepting_couples", "yes"),
            ("languages", "en"),
        ])
        .send()
        .await
        .expect("profile");
    assert!(saved.status().is_redirection(), "{}", saved.status());
    let url = make_feed(&app, &cookie).await;
    assert_eq!(
        db_count(
            &app,
            "select count(*) from calendar_feeds where length(token_hash) = 64"
        )
        .await,
        1
    );
    let secret = url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".ics");
    assert_eq!(
        db_count(
            &app,
            &format!("select count(*) from calendar_feeds where token_hash = '{secret}'")
        )
        .await,
        0,
        "only a hash is stored"
    );

    // A client books: the feed has it, with the reference and the place, and no name.
    let token = finished_client(&app).await;
    let (manage, slot) = book_first(&app, &token, CANARY_NAME).await;
    let reference = common::db_text(&app, "select reference from submissions").await;
    let (status, ics) = read_feed(&app, &url).await;
    assert_eq!(status, StatusCode::OK);
    for private in [CANARY_NAME, "Canary", "sam@example.org", "555 010 0200"] {
        assert!(!ics.contains(private), "{private} in the feed");
    }
    let events = parse_with_icalendar(&ics);
    assert_eq!(events.len(), 1, "{events:?}");
    let fields: Vec<&str> = events[0].split('|').collect();
    let start = DateTime::parse_from_rfc3339(&slot)
        .expect("slot")
        .with_timezone(&Utc);
    assert_eq!(fields[1], "0");
    assert_eq!(fields[2], "CONFIRMED");
    assert_eq!(fields[3], format!("Consult {reference}"));
    assert_eq!(
        DateTime::parse_from_rfc3339(fields[4])
            .expect("start")
            .with_timezone(&Utc),
        start
    );
    assert_eq!(fields[5], "12 Quay Street, Room 3");
    assert!(
        fields[6].ends_with(&format!("/staff/submissions/{reference}")),
        "{}",
        fields[6]
    );
    let uid = fields[0].to_owned();

    // Moved: the same event, a later time, a higher SEQUENCE.
    let (_, picker) = page(&app, &format!("{manage}/reschedule")).await;
    let new_slot = attrs(&picker, "input[name=slot]", "value")[2].clone();
    let moved = app
        .raw
        .post(app.url(&format!("{manage}/reschedule")))
        .form(&[("slot", new_slot.as_str()), ("tz", "America/New_York")])
        .send()
        .await
        .expect("move");
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let (_, ics) = read_feed(&app, &url).await;
    let events = parse_with_icalendar(&ics);
    let fields: Vec<&str> = events[0].split('|').collect();
    assert_eq!((fields[0], fields[1]), (uid.as_str(), "1"), "{events:?}");
    let moved_to = DateTime::parse_from_rfc3339(&new_slot)
        .expect("slot")
        .with_timezone(&Utc);
    assert_eq!(
        DateTime::parse_from_rfc3339(fields[4])
            .expect("start")
            .with_timezone(&Utc),
        moved_to
    );

    // Cancelled: still there, marked cancelled, so calendar apps remove it.
    let cancelled = app
        .raw
        .post(app.url(&format!("{manage}/cancel")))
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let (_, ics) = read_feed(&app, &url).await;
    let events = parse_with_icalendar(&ics);
    assert_eq!(events.len(), 1);
    assert!(events[0].contains("|CANCELLED|"), "{events:?}");

    // A new address ends the old one; stopping ends the new one. Both audited.
    let newer = make_feed(&app, &cookie).await;
    assert_ne!(newer, url);
    assert_eq!(read_feed(&app, &url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(read_feed(&app, &newer).await.0, StatusCode::OK);
    let stopped = app
        .raw
        .post(app.url("/staff/calendar-feed/stop"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("stop");
    assert_eq!(stopped.status(), StatusCode::SEE_OTHER);
    assert_eq!(read_feed(&app, &newer).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action in ('make_calendar_feed', 'stop_calendar_feed')"
        )
        .await,
        3
    );
    // Anything else under /calendar/ is the same plain 404.
    let junk = app
        .raw
        .get(app.url("/calendar/nope.ics"))
        .send()
        .await
        .expect("get");
    assert_eq!(junk.status(), StatusCode::NOT_FOUND);
}
on_both_databases!(
    calendar_feed,
    a_clinicians_feed_lists_their_consults_and_nothing_about_the_client
);

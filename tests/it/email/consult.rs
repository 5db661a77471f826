//! A booked consult is confirmed, moved and cancelled by email, each with a calendar file,
//! through the real SMTP sink. Against SQLite and PostgreSQL.

use super::*;

fn calendar_part(message: &str) -> Option<String> {
    decoded_part(message, "text/calendar")
}

fn ics_value(ics: &str, name: &str) -> String {
    ics.lines()
        .find_map(|l| l.trim_end().strip_prefix(&format!("{name}:")))
        .unwrap_or_default()
        .to_owned()
}

/// Every message to `to`, oldest first (by the order the sink stored them is not reliable,
/// so by SEQUENCE in the calendar file).
fn to_client(messages: &[String], to: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = messages
        .iter()
        .filter(|m| header(m, "To") == Some(to) && calendar_part(m).is_some())
        .map(|m| {
            let ics = calendar_part(m).expect("a calendar file");
            (m.clone(), ics)
        })
        .collect();
    out.sort_by_key(|(_, ics)| ics_value(ics, "SEQUENCE").parse::<i32>().unwrap_or(0));
    out
}

async fn a_booking_confirms_moves_and_cancels_by_email_with_a_calendar_file(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let app = common::spawn_app_with(backend, &smtp_env(port)).await;
    admin_cookie(&app).await;
    common::set_hours(&app, "admin@harbour.example", "09:00-12:00").await;
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "2", CANARY).await;
    // A calendar file goes only to someone who said at the check-in that it is safe.
    let mut check_in = common::check_in_form("no");
    check_in.push(("calendar".to_owned(), "yes".to_owned()));
    let checked = app
        .raw
        .post(app.url(&format!("/q/{token}/private")))
        .form(&check_in)
        .send()
        .await
        .expect("check in");
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    let picker = app
        .raw
        .get(app.url(&format!("/q/{token}/book")))
        .send()
        .await
        .expect("picker")
        .text()
        .await
        .expect("body");
    let slots: Vec<String> = picker
        .split("name=\"slot\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect();
    assert!(slots.len() > 2, "{picker}");
    let booked = app
        .raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(&[
            ("slot", slots[0].as_str()),
            ("tz", "Europe/Berlin"),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "Sam Rivera"),
            ("email", "sam@example.org"),
            ("phone", "+1 555 010 0200"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let manage = booked.headers()["location"]
        .to_str()
        .expect("location")
        .trim_end_matches("?booked=1")
        .to_owned();
    let moved = app
        .raw
        .post(app.url(&format!("{manage}/reschedule")))
        .form(&[("slot", slots[2].as_str()), ("tz", "Europe/Berlin")])
        .send()
        .await
        .expect("move");
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    // The reminder for the new time waits until a day before; make it due now.
    common::db_execute(
        &app,
        "update outbox set next_attempt_at = '2000-01-01T00:00:00+00:00' \
         where kind = 'consult_reminder' and status = 'pending'",
    )
    .await;
    let reminded = sink.wait_for(6, Duration::from_secs(30)).await;
    assert_eq!(
        reminded.len(),
        6,
        "intake, booked x2, moved x2, one reminder"
    );
    let cancelled = app
        .raw
        .post(app.url(&format!("{manage}/cancel")))
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);

    // The intake notice, then for each of booked, moved and cancelled: one to the practice
    // and one to the client; and one reminder, for the time it was moved to.
    let messages = sink.wait_for(8, Duration::from_secs(30)).await;
    assert_eq!(messages.len(), 8);
    let reminders: Vec<&String> = messages
        .iter()
        .filter(|m| header(m, "Subject").is_some_and(|s| s.starts_with("Reminder: appointment ")))
        .collect();
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0].contains(&manage), "the manage link");
    let practice: Vec<&String> = messages
        .iter()
        .filter(|m| header(m, "To") == Some("intake@harbour.example"))
        .collect();
    assert_eq!(practice.len(), 4);
    for subject in ["Consult booked (", "Consult moved (", "Consult cancelled ("] {
        assert!(
            practice
                .iter()
                .any(|m| header(m, "Subject").is_some_and(|s| s.starts_with(subject))),
            "{subject}"
        );
    }
    let client = to_client(&messages, "sam@example.org");
    assert_eq!(client.len(), 3);
    let instant = |slot: &str| {
        slot.parse::<chrono::DateTime<chrono::Utc>>()
            .expect("instant")
            .format("%Y%m%dT%H%M%SZ")
            .to_string()
    };
    let (confirmation, ics) = &client[0];
    assert!(
        header(confirmation, "Subject").is_some_and(|s| s.starts_with("Appointment confirmed: "))
    );
    assert!(confirmation.contains("text/plain") && confirmation.contains("text/html"));
    assert!(confirmation.contains("Europe/Berlin") && confirmation.contains("America/New_York"));
    assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains("END:VEVENT"));
    assert_eq!(ics_value(ics, "DTSTART"), instant(&slots[0]));
    assert_eq!(ics_value(ics, "STATUS"), "CONFIRMED");
    let uid = ics_value(ics, "UID");
    assert!(uid.starts_with("consult-"), "{uid}");
    let (_, moved_ics) = &client[1];
    assert_eq!(
        ics_value(moved_ics, "UID"),
        uid,
        "the same calendar entry, moved"
    );
    assert_eq!(ics_value(moved_ics, "SEQUENCE"), "1");
    assert_eq!(ics_value(moved_ics, "DTSTART"), instant(&slots[2]));
    let (cancellation, cancel_ics) = &client[2];
    assert_eq!(
        header(cancellation, "Subject"),
        Some("Appointment cancelled")
    );
    assert_eq!(ics_value(cancel_ics, "UID"), uid);
    assert_eq!(ics_value(cancel_ics, "STATUS"), "CANCELLED");
    assert_eq!(ics_value(cancel_ics, "SEQUENCE"), "2");
    // No health detail anywhere: not the note, not a score, not the answers.
    for m in &messages {
        assert!(!m.contains(CANARY), "the client's note leaked into email");
        for word in ["readiness", "Readiness", "/ 100", "band"] {
            assert!(!m.contains(word), "{word} in an email");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_mail_sqlite() {
    a_booking_confirms_moves_and_cancels_by_email_with_a_calendar_file(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_mail_postgres() {
    a_booking_confirms_moves_and_cancels_by_email_with_a_calendar_file(Backend::Postgres).await;
}

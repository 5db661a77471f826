//! The messages about a consult: to the client (booked, moved, reminder, cancelled) with a
//! calendar file where it is safe to receive one, and the practice's own notices. The same
//! privacy rule as every message: nothing from the questionnaire reaches them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{escape, message_id};
use crate::domain::booking::render_in;
use crate::server::db::NewEmail;
use crate::server::email::calendar::{consult_ics, ConsultEvent, EventStatus};

/// Everything the messages about one consult need. Deliberately nothing from the
/// questionnaire: no answers, scores, bands or notes can reach a template.
#[derive(Debug, Clone)]
pub struct ConsultEmail {
    pub practice_name: String,
    pub practice_email: String,
    pub from: String,
    pub base_url: String,
    pub reference: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub practice_zone: Tz,
    pub client_zone: Tz,
    /// The client's private manage-booking link; `None` when the practice cancels (the server
    /// never holds the link's secret, only its hash).
    pub manage_url: Option<String>,
    /// The calendar UID, the same for the life of the booking.
    pub uid: String,
    /// The calendar SEQUENCE of this message's version of the booking.
    pub sequence: i32,
    /// Whether a calendar file goes with the client's messages: not when they said, at the
    /// private check-in, that one is not safe to receive.
    pub calendar_ok: bool,
    /// Where the consult happens, from the profile of the clinician who takes it (`None`:
    /// no profile says, or the message is about a cancellation).
    pub place: Option<ConsultPlace>,
}

/// Where a consult happens: an office address, or a video link the practice pasted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultPlace {
    pub video: bool,
    /// The address or the link; may be empty for a video consult whose link comes later.
    pub place: String,
}

impl ConsultPlace {
    /// "In person at 12 Quay Street" / "By video: https://…" / "By video (the practice will
    /// send you the link)".
    fn line(&self) -> String {
        match (self.video, self.place.trim()) {
            (true, "") => "By video (the practice will send you the link)".to_owned(),
            (true, link) => format!("By video: {link}"),
            (false, "") => "In person, at the practice".to_owned(),
            (false, address) => format!("In person at {address}"),
        }
    }
}

/// A calendar UID for a booking: stable across moves, unique per booking.
pub fn calendar_uid(booking_key: &str, base_url: &str) -> String {
    let host = base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("trustbridge.invalid");
    format!("consult-{booking_key}@{host}")
}

impl ConsultEmail {
    /// The same message, at `place`.
    pub fn at(&self, place: Option<&ConsultPlace>) -> ConsultEmail {
        ConsultEmail {
            place: place.cloned(),
            ..self.clone()
        }
    }

    /// "Tue 3 Mar, 14:00 (GMT+1)" in the practice's zone, with the zone's name.
    fn practice_time(&self) -> String {
        format!(
            "{} ({})",
            render_in(self.start, self.practice_zone),
            self.practice_zone.name()
        )
    }

    /// The time in the client's zone, then the practice's when they differ.
    fn client_times(&self) -> (String, Option<String>) {
        let theirs = format!(
            "{} ({})",
            render_in(self.start, self.client_zone),
            self.client_zone.name()
        );
        let practice = (self.client_zone != self.practice_zone).then(|| self.practice_time());
        (theirs, practice)
    }

    /// The client's time, and the practice's as a text line and an HTML fragment (both empty
    /// when the zones are the same).
    fn client_lines(&self) -> (String, String, String) {
        let (theirs, practice) = self.client_times();
        let Some(practice) = practice else {
            return (theirs, String::new(), String::new());
        };
        (
            theirs,
            format!("At the practice that is {practice}.\n"),
            format!("<br>At the practice that is {}.", escape(&practice)),
        )
    }

    fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// The "Where:" line as text and as HTML (both empty when the place is not known).
    fn where_lines(&self) -> (String, String) {
        match &self.place {
            Some(place) => {
                let line = place.line();
                (
                    format!("Where: {line}\n"),
                    format!("<p><strong>Where:</strong> {}</p>", escape(&line)),
                )
            }
            None => (String::new(), String::new()),
        }
    }

    fn calendar(&self, status: EventStatus) -> String {
        consult_ics(&ConsultEvent {
            uid: &self.uid,
            sequence: self.sequence,
            status,
            start: self.start,
            end: self.end,
            stamp: Utc::now(),
            manage_url: self.manage_url.as_deref(),
        })
    }
}

/// To the practice: a consult was booked, moved or cancelled. Reference, time and link only.
fn practice_notice(email: &ConsultEmail, kind: &'static str, what: &str) -> NewEmail {
    let reference = &email.reference;
    let link = format!("{}/staff/submissions/{reference}", email.base_url);
    let when = email.practice_time();
    let body_text = format!(
        "{what}\n\nReference: {reference}\nTime: {when}\n\
         Open it in the workspace (login required):\n{link}\n\n\
         This message deliberately contains no answers or scores.\n"
    );
    let body_html = format!(
        "<p>{w}</p><p>Reference: <strong>{r}</strong><br>Time: {t}</p>\
         <p><a href=\"{l}\">Open it in the workspace</a> (login required).</p>\
         <p>This message deliberately contains no answers or scores.</p>",
        w = escape(what),
        r = escape(reference),
        t = escape(&when),
        l = escape(&link),
    );
    let subject = match kind {
        "consult_booked" => format!("Consult booked ({reference})"),
        "consult_moved" => format!("Consult moved ({reference})"),
        _ => format!("Consult cancelled ({reference})"),
    };
    NewEmail {
        message_id: message_id(&email.from),
        kind,
        recipient: email.practice_email.clone(),
        subject,
        body_text,
        body_html,
        calendar: None,
        send_after: None,
    }
}

pub fn consult_booked_practice(email: &ConsultEmail) -> NewEmail {
    practice_notice(email, "consult_booked", "A client booked a consult.")
}

pub fn consult_moved_practice(email: &ConsultEmail) -> NewEmail {
    practice_notice(
        email,
        "consult_moved",
        "A client moved their consult to a new time.",
    )
}

pub fn consult_cancelled_practice(email: &ConsultEmail) -> NewEmail {
    practice_notice(
        email,
        "consult_cancelled",
        "A client cancelled their consult.",
    )
}

/// "`next` (keep it private): <link>" as text and HTML, or nothing without a manage link.
fn link_lines(email: &ConsultEmail, next: &str) -> (String, String) {
    match &email.manage_url {
        Some(url) if !next.is_empty() => (
            format!("{next} (keep it private):\n{url}\n\n"),
            format!(
                "<p>{x} (keep it private): <a href=\"{u}\">{u}</a></p>",
                x = escape(next),
                u = escape(url)
            ),
        ),
        _ => (String::new(), String::new()),
    }
}

/// To the client: their consult, in their zone and the practice's, with a calendar file and
/// the manage link. The subject says "appointment", not what kind: a shared inbox is common.
fn client_message(
    email: &ConsultEmail,
    to: &str,
    name: &str,
    kind: &'static str,
    status: EventStatus,
) -> NewEmail {
    let (theirs, practice_line, practice_html) = email.client_lines();
    let contact = &email.practice_email;
    let (subject, headline, next) = match status {
        EventStatus::Confirmed if kind == "consult_confirmation" => (
            format!(
                "Appointment confirmed: {}",
                render_in(email.start, email.client_zone)
            ),
            format!("Your consult with {} is booked.", email.practice_name),
            "To move or cancel it, use your private link",
        ),
        EventStatus::Confirmed => (
            format!(
                "Appointment moved: {}",
                render_in(email.start, email.client_zone)
            ),
            format!(
                "Your consult with {} has moved to a new time.",
                email.practice_name
            ),
            "To move or cancel it, use your private link",
        ),
        EventStatus::Cancelled if kind == "consult_cancelled_by_practice" => (
            "Appointment cancelled".to_owned(),
            format!(
                "{} has cancelled your consult. To arrange a new time, please write to {contact} \
                 or call the practice.",
                email.practice_name
            ),
            "",
        ),
        EventStatus::Cancelled => (
            "Appointment cancelled".to_owned(),
            format!("Your consult with {} is cancelled.", email.practice_name),
            "To book a new time, use your private link",
        ),
    };
    let minutes = email.minutes();
    let (link_text, link_html) = link_lines(email, next);
    let (where_text, where_html) = match status {
        EventStatus::Confirmed => email.where_lines(),
        EventStatus::Cancelled => (String::new(), String::new()),
    };
    let body_text = format!(
        "Hello {name},\n\n{headline}\n\nWhen: {theirs}, {minutes} minutes\n{practice_line}\
         {where_text}\n{link_text}Questions? Write to {contact}.\n"
    );
    let body_html = format!(
        "<p>Hello {n},</p><p>{h}</p><p><strong>When:</strong> {t}, {m} minutes{p}</p>\
         {where_html}{link_html}<p>Questions? Write to <a href=\"mailto:{c}\">{c}</a>.</p>",
        n = escape(name),
        h = escape(&headline),
        t = escape(&theirs),
        m = minutes,
        p = practice_html,
        c = escape(contact),
    );
    NewEmail {
        message_id: message_id(&email.from),
        kind,
        recipient: to.to_owned(),
        subject,
        body_text,
        body_html,
        calendar: email.calendar_ok.then(|| email.calendar(status)),
        send_after: None,
    }
}

pub fn consult_confirmation(email: &ConsultEmail, to: &str, name: &str) -> NewEmail {
    client_message(
        email,
        to,
        name,
        "consult_confirmation",
        EventStatus::Confirmed,
    )
}

pub fn consult_moved(email: &ConsultEmail, to: &str, name: &str) -> NewEmail {
    client_message(
        email,
        to,
        name,
        "consult_moved_client",
        EventStatus::Confirmed,
    )
}

/// To the client, `send_after` (a day before, by default): a reminder of the time and the
/// manage link. Withdrawn if the booking is cancelled or moved before it goes out.
pub fn consult_reminder(
    email: &ConsultEmail,
    to: &str,
    name: &str,
    send_after: DateTime<Utc>,
) -> NewEmail {
    let (theirs, practice_line, practice_html) = email.client_lines();
    let minutes = email.minutes();
    let practice_name = &email.practice_name;
    let (link_text, link_html) = link_lines(email, "To move or cancel it, use your private link");
    let (where_text, where_html) = email.where_lines();
    let body_text = format!(
        "Hello {name},\n\nA reminder of your consult with {practice_name}.\n\n\
         When: {theirs}, {minutes} minutes\n{practice_line}{where_text}\n{link_text}"
    );
    let body_html = format!(
        "<p>Hello {n},</p><p>A reminder of your consult with {p}.</p>\
         <p><strong>When:</strong> {t}, {m} minutes{x}</p>{where_html}{link_html}",
        n = escape(name),
        p = escape(practice_name),
        t = escape(&theirs),
        m = minutes,
        x = practice_html,
    );
    NewEmail {
        message_id: message_id(&email.from),
        kind: "consult_reminder",
        recipient: to.to_owned(),
        subject: format!(
            "Reminder: appointment {}",
            render_in(email.start, email.client_zone)
        ),
        body_text,
        body_html,
        calendar: None,
        send_after: Some(send_after),
    }
}

/// To the client, when the practice cancels their consult: no link (the server never holds
/// it), the practice's address instead.
pub fn consult_cancelled_by_practice(email: &ConsultEmail, to: &str, name: &str) -> NewEmail {
    client_message(
        email,
        to,
        name,
        "consult_cancelled_by_practice",
        EventStatus::Cancelled,
    )
}

pub fn consult_cancellation(email: &ConsultEmail, to: &str, name: &str) -> NewEmail {
    client_message(
        email,
        to,
        name,
        "consult_cancellation",
        EventStatus::Cancelled,
    )
}

#[cfg(test)]
mod tests {
    use super::super::partner_invitation;
    use super::*;

    fn consult() -> ConsultEmail {
        use chrono::TimeZone as _;
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        ConsultEmail {
            practice_name: "Harbour Couples Practice".into(),
            practice_email: "intake@harbour.example".into(),
            from: "no-reply@harbour.example".into(),
            base_url: "https://intake.harbour.example".into(),
            reference: "TB-ABCDEFGH".into(),
            start,
            end: start + chrono::Duration::minutes(50),
            practice_zone: chrono_tz::America::New_York,
            client_zone: chrono_tz::Europe::Berlin,
            manage_url: Some("https://intake.harbour.example/b/SECRET".into()),
            uid: calendar_uid("k1", "https://intake.harbour.example:8443/x"),
            sequence: 0,
            calendar_ok: true,
            place: None,
        }
    }

    #[test]
    fn the_place_of_the_consult_is_in_the_confirmation_and_the_reminder_never_the_calendar() {
        let c = ConsultEmail {
            place: Some(ConsultPlace {
                video: false,
                place: "12 Quay Street, Room 3".into(),
            }),
            ..consult()
        };
        let m = consult_confirmation(&c, "sam@example.org", "Sam");
        assert!(m
            .body_text
            .contains("Where: In person at 12 Quay Street, Room 3\n"));
        assert!(m
            .body_html
            .contains("<strong>Where:</strong> In person at 12 Quay Street"));
        // The place is for the email only: a shared calendar must not tell where they go.
        let ics = m.calendar.expect("calendar file");
        assert!(!ics.contains("LOCATION") && !ics.contains("Quay"), "{ics}");
        let at = c.start - chrono::Duration::hours(24);
        let r = consult_reminder(&c, "sam@example.org", "Sam", at);
        assert!(r
            .body_text
            .contains("Where: In person at 12 Quay Street, Room 3"));
        let video = ConsultEmail {
            place: Some(ConsultPlace {
                video: true,
                place: String::new(),
            }),
            ..consult()
        };
        let m = consult_confirmation(&video, "sam@example.org", "Sam");
        assert!(m
            .body_text
            .contains("Where: By video (the practice will send you the link)"));
        // A cancellation says no place, and its calendar file none either.
        let m = consult_cancellation(&c, "sam@example.org", "Sam");
        assert!(!m.body_text.contains("Where:"));
        assert!(!m.calendar.expect("calendar").contains("LOCATION"));
        // Without a profile's place, no line at all.
        let m = consult_confirmation(&consult(), "sam@example.org", "Sam");
        assert!(!m.body_text.contains("Where:"));
        assert!(!m.calendar.expect("calendar").contains("LOCATION"));
    }

    #[test]
    fn a_client_who_said_a_calendar_file_is_not_safe_gets_none() {
        let c = ConsultEmail {
            calendar_ok: false,
            ..consult()
        };
        for m in [
            consult_confirmation(&c, "sam@example.org", "Sam"),
            consult_moved(&c, "sam@example.org", "Sam"),
            consult_cancellation(&c, "sam@example.org", "Sam"),
        ] {
            assert!(m.calendar.is_none(), "{}", m.kind);
            assert!(m.body_text.contains("Sam"));
        }
    }

    #[test]
    fn the_client_sees_their_own_time_and_the_practices() {
        let m = consult_confirmation(&consult(), "sam@example.org", "Sam");
        assert_eq!(m.recipient, "sam@example.org");
        assert_eq!(m.subject, "Appointment confirmed: Tue 1 Dec, 16:00 (GMT+1)");
        assert!(m
            .body_text
            .contains("Tue 1 Dec, 16:00 (GMT+1) (Europe/Berlin), 50 minutes"));
        assert!(m
            .body_text
            .contains("Tue 1 Dec, 10:00 (GMT-5) (America/New_York)"));
        assert!(m
            .body_text
            .contains("https://intake.harbour.example/b/SECRET"));
        let ics = m.calendar.expect("calendar file");
        assert!(ics.contains("UID:consult-k1@intake.harbour.example\r\n"));
        assert!(ics.contains("DTSTART:20261201T150000Z\r\n"));
    }

    #[test]
    fn a_cancellation_by_the_practice_gives_its_address_not_a_link() {
        let c = ConsultEmail {
            manage_url: None,
            sequence: 2,
            ..consult()
        };
        let m = consult_cancelled_by_practice(&c, "sam@example.org", "Sam");
        assert_eq!(m.subject, "Appointment cancelled");
        for body in [&m.body_text, &m.body_html] {
            assert!(body.contains("Harbour Couples Practice has cancelled your consult"));
            assert!(body.contains("intake@harbour.example"));
            assert!(!body.contains("/b/") && !body.contains("private"), "{body}");
        }
        let ics = m.calendar.expect("calendar file");
        assert!(ics.contains("STATUS:CANCELLED\r\n") && ics.contains("SEQUENCE:2\r\n"));
        assert!(!ics.contains("To move or cancel"));
    }

    #[test]
    fn consult_messages_say_nothing_clinical() {
        let c = consult();
        for m in [
            consult_booked_practice(&c),
            consult_moved_practice(&c),
            consult_cancelled_practice(&c),
            consult_confirmation(&c, "a@b.example", "A"),
            consult_moved(&c, "a@b.example", "A"),
            consult_cancellation(&c, "a@b.example", "A"),
            consult_reminder(&c, "a@b.example", "A", c.start),
            consult_cancelled_by_practice(&c, "a@b.example", "A"),
            partner_invitation(
                &c.practice_name,
                &c.from,
                "b@b.example",
                "https://intake.harbour.example/join/X",
                "9 December 2026",
            ),
        ] {
            let all = format!(
                "{} {} {}",
                m.subject,
                m.body_text,
                m.calendar.unwrap_or_default()
            )
            .to_lowercase();
            for word in ["/ 100", "readiness", "band", "trust", "answer:", "safety"] {
                assert!(!all.contains(word), "{word} in {}", m.kind);
            }
            assert!(
                !m.subject.to_lowercase().contains("couple"),
                "{}",
                m.subject
            );
        }
    }
}

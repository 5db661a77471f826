//! The calendar file (`.ics`, RFC 5545) attached to a client's booking messages.
//!
//! Times are written in UTC (`…Z`), which every calendar app converts to its own zone, so no
//! VTIMEZONE block can go stale. The UID stays the same for the life of a booking and the
//! SEQUENCE grows with every change, so a moved consult replaces the old entry and a cancelled
//! one is marked cancelled instead of leaving a ghost. Privacy rule: the title is "Appointment"
//! and names no practice (a shared calendar shows it to whoever shares it); the description
//! holds no link and nothing clinical; and there is no `LOCATION`: the practice's address or a
//! video link in a shared calendar tells whoever shares it where the person goes (and a video
//! link lets them in). The place stays in the email body.

use chrono::{DateTime, Utc};

/// Whether the file announces a consult or withdraws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Cancelled,
}

/// One consult as a calendar event.
pub struct ConsultEvent<'a> {
    pub uid: &'a str,
    pub sequence: i32,
    pub status: EventStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub stamp: DateTime<Utc>,
    /// The client's manage link, if the message has one.
    pub manage_url: Option<&'a str>,
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (§3.1).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

/// The whole `.ics` file, CRLF line endings.
pub fn consult_ics(event: &ConsultEvent<'_>) -> String {
    let status = match event.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    };
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Intake//Appointment//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", event.uid),
        format!("SEQUENCE:{}", event.sequence),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.start)),
        format!("DTEND:{}", utc(event.end)),
        format!("STATUS:{status}"),
        "SUMMARY:Appointment".to_owned(),
        format!(
            "DESCRIPTION:{}",
            text(&match (event.status, event.manage_url) {
                (EventStatus::Cancelled, _) => "This appointment is cancelled.".to_owned(),
                // The link that moves or cancels it stays in the email: a calendar is shared
                // and synced more widely than an inbox.
                (EventStatus::Confirmed, Some(_)) => {
                    "To move or cancel it, use the private link in your confirmation email."
                        .to_owned()
                }
                (EventStatus::Confirmed, None) => "To change it, write to the practice.".to_owned(),
            })
        ),
        "TRANSP:OPAQUE".to_owned(),
    ]
    .into_iter()
    .chain(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
    content(lines)
}

/// Content lines folded and ended with CRLF, as a file.
fn content(lines: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

/// One consult in a clinician's own calendar feed.
pub struct FeedEvent {
    pub uid: String,
    pub sequence: i32,
    pub cancelled: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// "Consult TB-…": the reference, never a name.
    pub summary: String,
    /// The clinician's address or video link, where their profile has one.
    pub location: Option<String>,
    /// The submission in the workspace (which asks for a login).
    pub url: String,
}

/// A clinician's feed (`/calendar/<secret>.ics`): every event of `events`, for a calendar app
/// that subscribes and re-reads it. Unlike a client's file it is the clinician's own calendar,
/// so it has the place and the workspace link; like it, it holds no name, contact or answer.
pub fn feed_ics(events: &[FeedEvent], stamp: DateTime<Utc>) -> String {
    let head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//TrustBridge//Consults//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Consults",
        // How often to read it again (RFC 7986, and the older name some apps read).
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
        "X-PUBLISHED-TTL:PT15M",
    ]
    .map(str::to_owned);
    let events = events.iter().flat_map(|e| {
        let status = if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        [
            Some("BEGIN:VEVENT".to_owned()),
            Some(format!("UID:{}", e.uid)),
            Some(format!("SEQUENCE:{}", e.sequence)),
            Some(format!("DTSTAMP:{}", utc(stamp))),
            Some(format!("DTSTART:{}", utc(e.start))),
            Some(format!("DTEND:{}", utc(e.end))),
            Some(format!("STATUS:{status}")),
            Some(format!("SUMMARY:{}", text(&e.summary))),
            e.location.as_ref().map(|l| format!("LOCATION:{}", text(l))),
            Some(format!("URL:{}", e.url)),
            Some(format!(
                "DESCRIPTION:{}",
                text(&format!("Open it in the workspace: {}", e.url))
            )),
            Some(
                if e.cancelled {
                    "TRANSP:TRANSPARENT"
                } else {
                    "TRANSP:OPAQUE"
                }
                .to_owned(),
            ),
            Some("END:VEVENT".to_owned()),
        ]
        .into_iter()
        .flatten()
    });
    content(
        head.into_iter()
            .chain(events)
            .chain(["END:VCALENDAR".to_owned()]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn event(status: EventStatus) -> String {
        consult_ics(&ConsultEvent {
            uid: "consult-abc@intake.example",
            sequence: 2,
            status,
            start: Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 3, 29, 1, 20, 0).unwrap(),
            stamp: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
            manage_url: Some("https://intake.example/b/TOKEN"),
        })
    }

    #[test]
    fn a_confirmed_consult_has_utc_times_uid_and_sequence() {
        let ics = event(EventStatus::Confirmed);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in [
            "UID:consult-abc@intake.example",
            "SEQUENCE:2",
            "DTSTART:20260329T003000Z",
            "DTEND:20260329T012000Z",
            "STATUS:CONFIRMED",
            "SUMMARY:Appointment",
            "DESCRIPTION:To move or cancel it\\, use the private link in your confirmation email.",
        ] {
            // Long lines are folded (a CRLF and a space); read them unfolded.
            let unfolded = ics.replace("\r\n ", "");
            assert!(unfolded.contains(&format!("{line}\r\n")), "{line} in {ics}");
        }
    }

    #[test]
    fn the_calendar_file_never_carries_the_manage_link() {
        let ics = event(EventStatus::Confirmed);
        assert!(!ics.contains("/b/") && !ics.contains("TOKEN"), "{ics}");
    }

    #[test]
    fn a_shared_calendar_learns_nothing_from_the_title() {
        // Whoever shares the calendar sees the title: it names neither the practice nor the
        // kind of appointment.
        for status in [EventStatus::Confirmed, EventStatus::Cancelled] {
            let ics = event(status);
            assert!(ics.contains("SUMMARY:Appointment\r\n"));
            for word in ["Couples", "Practice", "Consult", "therapy"] {
                assert!(!ics.contains(word), "{word} in {ics}");
            }
        }
    }

    #[test]
    fn a_cancellation_keeps_the_uid() {
        let ics = event(EventStatus::Cancelled);
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
        assert!(ics.contains("UID:consult-abc@intake.example\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let folded = fold(&format!("DESCRIPTION:{}", "é".repeat(60)));
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{}", line.len());
        }
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("DESCRIPTION:{}", "é".repeat(60))
        );
    }
}

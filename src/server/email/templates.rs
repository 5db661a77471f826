//! Every message the app sends, in one place. Each has a plain-text and an HTML part.
//!
//! Privacy rule: no message carries health details, scores, answers or notes, and subjects are
//! neutral. A message says that something happened, gives a reference, and links to it.

use rand::Rng as _;

use crate::server::db::NewEmail;

/// A globally unique, stable Message-ID, chosen when the message is queued.
pub fn message_id(from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("trustbridge.invalid");
    let random: [u8; 16] = rand::rng().random();
    format!("<{}@{domain}>", hex::encode(random))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// To the practice: a questionnaire was completed.
pub fn submission_received(
    practice_email: &str,
    from: &str,
    base_url: &str,
    reference: &str,
) -> NewEmail {
    let link = format!("{base_url}/staff/submissions/{reference}");
    let body_text = format!(
        "A new intake questionnaire was completed.\n\n\
         Reference: {reference}\n\
         Open it in the workspace (login required):\n{link}\n\n\
         This message deliberately contains no answers or scores.\n"
    );
    let body_html = format!(
        "<p>A new intake questionnaire was completed.</p>\
         <p>Reference: <strong>{r}</strong></p>\
         <p><a href=\"{l}\">Open it in the workspace</a> (login required).</p>\
         <p>This message deliberately contains no answers or scores.</p>",
        r = escape(reference),
        l = escape(&link),
    );
    NewEmail {
        message_id: message_id(from),
        kind: "submission_received",
        recipient: practice_email.to_owned(),
        subject: format!("New intake received ({reference})"),
        body_text,
        body_html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_and_use_the_senders_domain() {
        let a = message_id("Practice <no-reply@harbour.example>");
        let b = message_id("no-reply@harbour.example");
        assert!(
            a.starts_with('<') && a.ends_with("@harbour.example>"),
            "{a}"
        );
        assert_ne!(a, b);
    }

    #[test]
    fn the_practice_notification_links_to_the_workspace_and_says_nothing_clinical() {
        let m = submission_received(
            "intake@p.example",
            "no-reply@p.example",
            "https://p.example",
            "TB-ABCDEFGH",
        );
        assert_eq!(m.recipient, "intake@p.example");
        assert_eq!(m.subject, "New intake received (TB-ABCDEFGH)");
        assert!(m
            .body_text
            .contains("https://p.example/staff/submissions/TB-ABCDEFGH"));
        assert!(m
            .body_html
            .contains("href=\"https://p.example/staff/submissions/TB-ABCDEFGH\""));
        for word in ["score", "readiness", "band", "trust"] {
            assert!(!m.subject.to_lowercase().contains(word), "{word}");
        }
    }
}

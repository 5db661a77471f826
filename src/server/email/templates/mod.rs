//! Every message the app sends (those about a consult in `consult.rs`). Each has a plain-text
//! and an HTML part.
//!
//! Privacy rule: no message carries health details, scores, answers or notes, and subjects are
//! neutral. A message says that something happened, gives a reference, and links to it.

use rand::Rng as _;

use crate::server::db::NewEmail;

mod consult;

pub use consult::{
    calendar_uid, consult_booked_practice, consult_cancellation, consult_cancelled_by_practice,
    consult_cancelled_practice, consult_confirmation, consult_moved, consult_moved_practice,
    consult_reminder, ConsultEmail, ConsultPlace,
};

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
        calendar: None,
        send_after: None,
    }
}

/// To the practice: an intake's private check-in asks for a clinician's review (`today` for an
/// urgent one: the same-day target). Subject and body say nothing of why (a practice inbox is
/// read by more people than the workspace): the reference and a link, nothing else.
pub fn intake_needs_review(
    practice_email: &str,
    from: &str,
    base_url: &str,
    reference: &str,
    today: bool,
) -> NewEmail {
    let link = format!("{base_url}/staff/submissions/{reference}");
    let when = if today { " today" } else { "" };
    let body_text = format!(
        "An intake needs a clinician's review{when}.\n\n\
         Reference: {reference}\n\
         Open it in the workspace (login required):\n{link}\n\n\
         This message deliberately says nothing more.\n"
    );
    let body_html = format!(
        "<p>An intake needs a clinician's review{when}.</p>\
         <p>Reference: <strong>{r}</strong></p>\
         <p><a href=\"{l}\">Open it in the workspace</a> (login required).</p>\
         <p>This message deliberately says nothing more.</p>",
        r = escape(reference),
        l = escape(&link),
    );
    NewEmail {
        message_id: message_id(from),
        kind: "intake_needs_review",
        recipient: practice_email.to_owned(),
        subject: format!("An intake needs review{when} ({reference})"),
        body_text,
        body_html,
        calendar: None,
        send_after: None,
    }
}

/// To the practice's on-call address (`REVIEW_ESCALATION_EMAIL`): an intake that needed a
/// clinician's review today has passed its target and nobody has spoken with the client yet.
/// Like [`intake_needs_review`], the reference and a link, nothing of why.
pub fn review_overdue(to: &str, from: &str, base_url: &str, reference: &str) -> NewEmail {
    let link = format!("{base_url}/staff/submissions/{reference}");
    let body_text = format!(
        "An intake that needed a clinician's review today has passed its target, and no \
         clinician has spoken with the client yet.\n\n\
         Reference: {reference}\n\
         Open it in the workspace (login required):\n{link}\n\n\
         This message is sent once. It deliberately says nothing more.\n"
    );
    let body_html = format!(
        "<p>An intake that needed a clinician's review today has passed its target, and no \
         clinician has spoken with the client yet.</p>\
         <p>Reference: <strong>{r}</strong></p>\
         <p><a href=\"{l}\">Open it in the workspace</a> (login required).</p>\
         <p>This message is sent once. It deliberately says nothing more.</p>",
        r = escape(reference),
        l = escape(&link),
    );
    NewEmail {
        message_id: message_id(from),
        kind: "review_overdue",
        recipient: to.to_owned(),
        subject: format!("An intake is past its review time ({reference})"),
        body_text,
        body_html,
        calendar: None,
        send_after: None,
    }
}

/// To a clinician whose account just locked after wrong passwords: when it ends, and what to
/// do if it was not them. No addresses, no counts.
pub fn account_locked(from: &str, to: &str, practice_name: &str, until: &str) -> NewEmail {
    let body_text = format!(
        "Hello,\n\nSomeone tried to sign in to your {practice_name} workspace account several \
         times with a wrong password, so it is locked until {until}. It unlocks by itself then, \
         or an admin can unlock it sooner.\n\nIf this was not you, tell an admin and change \
         your password once you are back in.\n"
    );
    let body_html = format!(
        "<p>Hello,</p><p>Someone tried to sign in to your {p} workspace account several times \
         with a wrong password, so it is locked until {u}. It unlocks by itself then, or an \
         admin can unlock it sooner.</p><p>If this was not you, tell an admin and change your \
         password once you are back in.</p>",
        p = escape(practice_name),
        u = escape(until),
    );
    NewEmail {
        message_id: message_id(from),
        kind: "account_locked",
        recipient: to.to_owned(),
        subject: "Your workspace account is locked for now".to_owned(),
        body_text,
        body_html,
        calendar: None,
        send_after: None,
    }
}

/// One service on a referral's list, as the client's message shows it.
pub struct ReferralLine {
    pub name: String,
    /// How to reach them: phone, email, website, as given.
    pub ways: Vec<String>,
    pub how_to_refer: String,
}

/// To a client, through their own safe channel: the services a clinician chose for them, their
/// private page with the same list, and three links to say how it went. A neutral subject; no
/// reason, no scores, nothing about a partner.
pub fn referral_list(
    from: &str,
    to: &str,
    practice_name: &str,
    lines: &[ReferralLine],
    message: Option<&str>,
    page_url: &str,
    answers: &[(&str, String)],
) -> NewEmail {
    let mut text = format!(
        "Hello,\n\nA clinician at {practice_name} put together these contacts for you.\n\n"
    );
    let mut html = format!(
        "<p>Hello,</p><p>A clinician at {} put together these contacts for you.</p>",
        escape(practice_name)
    );
    if let Some(message) = message {
        text.push_str(&format!("{message}\n\n"));
        html.push_str(&format!("<p>{}</p>", escape(message)));
    }
    html.push_str("<ul>");
    for line in lines {
        text.push_str(&format!("- {}\n", line.name));
        html.push_str(&format!("<li><strong>{}</strong>", escape(&line.name)));
        for way in &line.ways {
            text.push_str(&format!("  {way}\n"));
            html.push_str(&format!("<br>{}", escape(way)));
        }
        if !line.how_to_refer.is_empty() {
            text.push_str(&format!("  {}\n", line.how_to_refer));
            html.push_str(&format!("<br>{}", escape(&line.how_to_refer)));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    text.push_str(&format!(
        "\nThe same list, on a private page only you have the link to:\n{page_url}\n\n\
         When you are ready, you can let the practice know how it went (no login needed):\n"
    ));
    html.push_str(&format!(
        "<p>The same list, on a private page only you have the link to: <a href=\"{u}\">{u}</a></p>\
         <p>When you are ready, you can let the practice know how it went (no login needed):</p><ul>",
        u = escape(page_url)
    ));
    for (label, url) in answers {
        text.push_str(&format!("{label}: {url}\n"));
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>",
            escape(url),
            escape(label)
        ));
    }
    html.push_str("</ul>");
    NewEmail {
        message_id: message_id(from),
        kind: "referral_list",
        recipient: to.to_owned(),
        subject: format!("Contacts from {practice_name}"),
        body_text: text,
        body_html: html,
        calendar: None,
        send_after: None,
    }
}

/// To partner B, at partner A's request: the invitation link. It says who it is from and how
/// long it works, and nothing about partner A's answers, result or reasons.
pub fn partner_invitation(
    practice_name: &str,
    from: &str,
    to: &str,
    invite_url: &str,
    expires: &str,
) -> NewEmail {
    let body_text = format!(
        "Hello,\n\n\
         Your partner would like you to answer a short questionnaire for {practice_name}, \
         on your own and in private. Neither of you sees the other's answers.\n\n\
         Start here (the link works once, until {expires}):\n{invite_url}\n\n\
         If you were not expecting this, you can ignore this message.\n"
    );
    let body_html = format!(
        "<p>Hello,</p>\
         <p>Your partner would like you to answer a short questionnaire for {p}, on your own \
         and in private. Neither of you sees the other's answers.</p>\
         <p><a href=\"{u}\">Start here</a> (the link works once, until {e}):<br>{u}</p>\
         <p>If you were not expecting this, you can ignore this message.</p>",
        p = escape(practice_name),
        u = escape(invite_url),
        e = escape(expires),
    );
    NewEmail {
        message_id: message_id(from),
        kind: "partner_invitation",
        recipient: to.to_owned(),
        // Neutral, like every client subject: an inbox is often seen by others.
        subject: "An invitation to answer a few questions".to_owned(),
        body_text,
        body_html,
        calendar: None,
        send_after: None,
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

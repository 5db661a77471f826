//! How the practice may reach a client safely: asked of everyone at the private check-in,
//! every field optional, so having given it (or not) says nothing about the answers.
//!
//! Only clinicians see it. It decides how the practice's messages reach this person (which
//! address, whether a calendar file goes with them), and it never reaches the partner.

use super::contact::{ContactEmail, Phone};
use super::form;

/// A yes or no the client may leave unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Yes,
    No,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Yes => "yes",
            Permission::No => "no",
        }
    }

    /// Reads a stored or posted value; anything else is "not answered".
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "yes" => Some(Permission::Yes),
            "no" => Some(Permission::No),
            _ => None,
        }
    }
}

/// Why one field was refused, with the form field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeContactError {
    pub field: &'static str,
    pub message: &'static str,
}

/// What the client gave, each part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeContact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub voicemail: Option<Permission>,
    pub texts: Option<Permission>,
    /// When it is safe to call, in their words.
    pub times: Option<String>,
    /// A name for the practice to ask for, if not their own.
    pub ask_for: Option<String>,
    pub calendar: Option<Permission>,
}

impl SafeContact {
    pub const MAX_TIMES_CHARS: usize = 200;
    pub const MAX_ASK_FOR_CHARS: usize = 80;

    /// The form's field names, in the order the page shows them.
    pub const FIELDS: [&'static str; 7] = [
        "safe_phone",
        "safe_email",
        "voicemail",
        "texts",
        "safe_times",
        "ask_for",
        "calendar",
    ];

    /// Reads the check-in form's safe-contact fields. Every field may be empty; a field that is
    /// filled in must make sense, and each refusal names its field.
    pub fn parse_form(fields: &[(String, String)]) -> Result<Self, Vec<SafeContactError>> {
        let text = |name: &str| {
            let cleaned: String = form::value(fields, name)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            let cleaned = cleaned.trim().to_owned();
            (!cleaned.is_empty()).then_some(cleaned)
        };
        let mut errors = Vec::new();
        let phone = text("safe_phone").and_then(|raw| match Phone::parse(&raw) {
            Ok(phone) => Some(phone.as_str().to_owned()),
            Err(_) => {
                errors.push(SafeContactError {
                    field: "safe_phone",
                    message: "Please use digits, spaces and an optional + (for example: +1 555 010 0200), or leave it empty.",
                });
                None
            }
        });
        let email = text("safe_email").and_then(|raw| match ContactEmail::parse(&raw) {
            Ok(email) => Some(email.as_str().to_owned()),
            Err(_) => {
                errors.push(SafeContactError {
                    field: "safe_email",
                    message: "That does not look like an email address (for example: name@example.com). You can also leave it empty.",
                });
                None
            }
        });
        let times = text("safe_times");
        if times
            .as_ref()
            .is_some_and(|t| t.chars().count() > Self::MAX_TIMES_CHARS)
        {
            errors.push(SafeContactError {
                field: "safe_times",
                message: "Please keep this to 200 characters.",
            });
        }
        let ask_for = text("ask_for");
        if ask_for
            .as_ref()
            .is_some_and(|t| t.chars().count() > Self::MAX_ASK_FOR_CHARS)
        {
            errors.push(SafeContactError {
                field: "ask_for",
                message: "Please keep this to 80 characters.",
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let permission = |name: &str| Permission::parse(form::value(fields, name));
        Ok(SafeContact {
            phone,
            email,
            voicemail: permission("voicemail"),
            texts: permission("texts"),
            times,
            ask_for,
            calendar: permission("calendar"),
        })
    }

    /// Nothing was given at all.
    pub fn is_empty(&self) -> bool {
        *self == SafeContact::default()
    }

    /// Whether a calendar file may go with this person's consult emails: only when they said
    /// yes. A mail program can add an attached file to a calendar shared with the partner, so
    /// an unanswered question sends none (see `docs/safety.md`).
    pub fn calendar_allowed(&self) -> bool {
        self.calendar == Some(Permission::Yes)
    }

    /// The lines a clinician reads, in the form's order; empty when nothing was given.
    pub fn lines(&self) -> Vec<String> {
        let said = |p: Option<Permission>, yes: &str, no: &str| match p {
            Some(Permission::Yes) => Some(yes.to_owned()),
            Some(Permission::No) => Some(no.to_owned()),
            None => None,
        };
        [
            self.phone.as_ref().map(|p| format!("Safe phone: {p}")),
            self.email.as_ref().map(|e| format!("Safe email: {e}")),
            said(
                self.voicemail,
                "A voicemail is OK",
                "Do not leave a voicemail",
            ),
            said(self.texts, "Texts are OK", "Do not send texts"),
            self.times.as_ref().map(|t| format!("Safe times: {t}")),
            self.ask_for.as_ref().map(|n| format!("Ask for: {n}")),
            said(
                self.calendar,
                "A calendar file is OK",
                "No calendar file with emails",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// How a clinician tried to reach a client after a check-in that asks for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactChannel {
    SafePhone,
    SafeEmail,
    BookingPhone,
    BookingEmail,
    InPerson,
    Other,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 6] = [
        ContactChannel::SafePhone,
        ContactChannel::SafeEmail,
        ContactChannel::BookingPhone,
        ContactChannel::BookingEmail,
        ContactChannel::InPerson,
        ContactChannel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::SafePhone => "safe_phone",
            ContactChannel::SafeEmail => "safe_email",
            ContactChannel::BookingPhone => "booking_phone",
            ContactChannel::BookingEmail => "booking_email",
            ContactChannel::InPerson => "in_person",
            ContactChannel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactChannel::SafePhone => "The safe phone they gave",
            ContactChannel::SafeEmail => "The safe email they gave",
            ContactChannel::BookingPhone => "The phone from their booking",
            ContactChannel::BookingEmail => "The email from their booking",
            ContactChannel::InPerson => "In person",
            ContactChannel::Other => "Another way",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw.trim())
    }
}

/// What came of a try to reach the client. Only [`ContactOutcome::Spoke`] takes the intake off
/// the needs-review queue: a try that did not reach them leaves it waiting, and the queue shows
/// how many tries there were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOutcome {
    Spoke,
    NotAGoodTime,
    NoAnswer,
    MessageLeft,
    Unreachable,
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 5] = [
        ContactOutcome::Spoke,
        ContactOutcome::NotAGoodTime,
        ContactOutcome::NoAnswer,
        ContactOutcome::MessageLeft,
        ContactOutcome::Unreachable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Spoke => "spoke",
            ContactOutcome::NotAGoodTime => "not_a_good_time",
            ContactOutcome::NoAnswer => "no_answer",
            ContactOutcome::MessageLeft => "message_left",
            ContactOutcome::Unreachable => "unreachable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactOutcome::Spoke => "Spoke with them privately",
            ContactOutcome::NotAGoodTime => "Reached them, not a good time",
            ContactOutcome::NoAnswer => "No answer, no message left",
            ContactOutcome::MessageLeft => "Left a message with no details",
            ContactOutcome::Unreachable => "Could not reach them (wrong or unsafe number)",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn everything_is_optional() {
        let contact = SafeContact::parse_form(&form(&[("safe_phone", "  "), ("voicemail", "")]))
            .expect("an empty form is fine");
        assert!(contact.is_empty());
        assert!(contact.lines().is_empty());
        // Unanswered is not yes: no calendar file.
        assert!(!contact.calendar_allowed());
    }

    #[test]
    fn what_is_given_is_cleaned_and_read_back_in_the_forms_order() {
        let contact = SafeContact::parse_form(&form(&[
            ("safe_phone", " +44 20 7946 0000 "),
            ("safe_email", "me@example.org"),
            ("voicemail", "no"),
            ("texts", "yes"),
            ("safe_times", "Weekdays 10\u{0}–12"),
            ("ask_for", "Sam"),
            ("calendar", "no"),
        ]))
        .expect("valid");
        assert_eq!(contact.phone.as_deref(), Some("+44 20 7946 0000"));
        assert_eq!(contact.times.as_deref(), Some("Weekdays 10–12"));
        assert!(!contact.calendar_allowed());
        assert_eq!(
            contact.lines(),
            [
                "Safe phone: +44 20 7946 0000",
                "Safe email: me@example.org",
                "Do not leave a voicemail",
                "Texts are OK",
                "Safe times: Weekdays 10–12",
                "Ask for: Sam",
                "No calendar file with emails",
            ]
        );
    }

    #[test]
    fn channels_and_outcomes_read_back_what_they_store() {
        for channel in ContactChannel::ALL {
            assert_eq!(ContactChannel::parse(channel.as_str()), Some(channel));
        }
        for outcome in ContactOutcome::ALL {
            assert_eq!(ContactOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(ContactOutcome::parse("maybe"), None);
    }

    #[test]
    fn each_refusal_names_its_field() {
        let long = "x".repeat(201);
        let errors = SafeContact::parse_form(&form(&[
            ("safe_phone", "call me"),
            ("safe_email", "not an address"),
            ("safe_times", &long),
            ("ask_for", &"y".repeat(81)),
        ]))
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["safe_phone", "safe_email", "safe_times", "ask_for"]
        );
    }
}

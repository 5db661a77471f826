//! The contact details a client gives when booking a consult: name, email, phone, consent.
//!
//! Parsed once at the edge into types that cannot be invalid; after that no code re-checks an
//! email's shape or a name's length. Error messages are written for the person filling in the
//! form and name the field they belong to, so the page can show each one next to its field.

use std::fmt;

/// A form field a [`ContactError`] belongs to (its `name` attribute in the form).
pub type FieldName = &'static str;

/// Why one field of the booking form was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactError {
    pub field: FieldName,
    pub message: &'static str,
}

impl fmt::Display for ContactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

/// Drops control characters (NUL is refused by PostgreSQL `text`) and trims.
fn clean(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The name the practice should use: 1 to [`ClientName::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientName(String);

impl ClientName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let name = clean(raw);
        let error = |message| ContactError {
            field: "name",
            message,
        };
        if name.is_empty() {
            return Err(error("Please tell us what to call you."));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(error("Please use at most 100 characters."));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address of a plausible shape: one `@`, a dotted domain, no spaces, at most 254
/// characters. (Whether it is deliverable only a message can tell.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactEmail(String);

impl ContactEmail {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let email = clean(raw);
        let error = |message| ContactError {
            field: "email",
            message,
        };
        if email.is_empty() {
            return Err(error("Please give an email address for your confirmation."));
        }
        let shaped = email.chars().count() <= Self::MAX_CHARS
            && !email.chars().any(char::is_whitespace)
            && !email.contains(['<', '>', ',', ';', '"'])
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if !shaped {
            return Err(error(
                "That does not look like an email address (for example: name@example.com).",
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as the client wrote it: digits with optional `+`, spaces, dots, dashes and
/// brackets, 6 to 15 digits (the international maximum), at most 30 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub const MAX_CHARS: usize = 30;

    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let phone = clean(raw);
        let error = |message| ContactError {
            field: "phone",
            message,
        };
        if phone.is_empty() {
            return Err(error(
                "Please give a phone number, in case the practice needs to reach you.",
            ));
        }
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let plus_only_first = phone.chars().skip(1).all(|c| c != '+');
        if !allowed
            || !plus_only_first
            || !(6..=15).contains(&digits)
            || phone.chars().count() > Self::MAX_CHARS
        {
            return Err(error(
                "Please use digits, spaces and an optional + (for example: +1 555 010 0200).",
            ));
        }
        Ok(Self(phone))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Everything the booking form asks for, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: ClientName,
    pub email: ContactEmail,
    pub phone: Phone,
}

/// Parses the booking form's `name`, `email`, `phone` and `consent` fields. Every problem is
/// reported at once, one per field, so the client fixes them in one go.
pub fn parse_contact_form(form: &[(String, String)]) -> Result<ContactDetails, Vec<ContactError>> {
    parse_contact(&ContactForm::from_form(form))
}

/// A booking form's contact fields as they were typed (the consent tick as ticked or not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub consent: bool,
}

impl ContactForm {
    /// The fields `name`, `email`, `phone` and `consent` (ticked: `yes`) of a posted form.
    pub fn from_form(form: &[(String, String)]) -> Self {
        let field = |name: &str| crate::domain::form::value(form, name).to_owned();
        ContactForm {
            name: field("name"),
            email: field("email"),
            phone: field("phone"),
            consent: field("consent") == "yes",
        }
    }

    /// What was typed into `field` ("" for the tick box and for an unknown name).
    pub fn typed(&self, field: &str) -> &str {
        match field {
            "name" => &self.name,
            "email" => &self.email,
            "phone" => &self.phone,
            _ => "",
        }
    }
}

/// Checks the contact fields; every refused one gets its own message.
pub fn parse_contact(form: &ContactForm) -> Result<ContactDetails, Vec<ContactError>> {
    let name = ClientName::parse(&form.name);
    let email = ContactEmail::parse(&form.email);
    let phone = Phone::parse(&form.phone);
    let consent = if form.consent {
        Ok(())
    } else {
        Err(ContactError {
            field: "consent",
            message: "Please tick the box to let the practice contact you about this consult.",
        })
    };
    match (name, email, phone, consent) {
        (Ok(name), Ok(email), Ok(phone), Ok(())) => Ok(ContactDetails { name, email, phone }),
        (name, email, phone, consent) => Err([name.err(), email.err(), phone.err(), consent.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_complete_form_parses_trimmed() {
        let details = parse_contact_form(&form(&[
            ("name", "  Sam Rivera "),
            ("email", "sam@example.org"),
            ("phone", "+1 (555) 010-0200"),
            ("consent", "yes"),
        ]))
        .expect("valid");
        assert_eq!(details.name.as_str(), "Sam Rivera");
        assert_eq!(details.email.as_str(), "sam@example.org");
        assert_eq!(details.phone.as_str(), "+1 (555) 010-0200");
    }

    #[test]
    fn an_empty_form_names_every_field_once() {
        let errors = parse_contact_form(&[]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "email", "phone", "consent"]);
    }

    #[test]
    fn email_shapes() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(ContactEmail::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "plainaddress",
            "@example.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@.com",
            "a@com.",
            "Name <a@b.com>",
        ] {
            assert!(ContactEmail::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_shapes() {
        for ok in ["555 0100", "+44 20 7946 0958", "(030) 1234-5678"] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["12345", "call me", "+1 555 +0100", "1234567890123456"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_limited_and_cleaned() {
        assert!(ClientName::parse(&"x".repeat(100)).is_ok());
        assert!(ClientName::parse(&"x".repeat(101)).is_err());
        assert_eq!(
            ClientName::parse("Al\u{0}ex").map(|n| n.0),
            Ok("Alex".into())
        );
    }

    proptest! {
        /// Whatever is typed, parsing never panics and a parsed value fits its column.
        #[test]
        fn parsed_values_fit_the_database_columns(name in ".{0,120}", email in ".{0,260}", phone in ".{0,40}") {
            if let Ok(n) = ClientName::parse(&name) {
                prop_assert!((1..=100).contains(&n.as_str().chars().count()));
                prop_assert!(!n.as_str().contains('\0'));
            }
            if let Ok(e) = ContactEmail::parse(&email) {
                prop_assert!((3..=254).contains(&e.as_str().chars().count()));
            }
            if let Ok(p) = Phone::parse(&phone) {
                prop_assert!((1..=30).contains(&p.as_str().chars().count()));
            }
        }
    }
}

//! Referring a client out: the practice's directory of services and clinicians, the reasons a
//! clinician refers one person (never "the couple" implicitly), and how a referral's loop is
//! closed. See `docs/referral.md`.
//!
//! The directory holds no client data. An entry a referral points to is retired, never
//! deleted, so an old referral still names what was sent.

use chrono::NaiveDate;

use super::form;

mod csv_file;
pub use csv_file::{parse_csv, ImportError};

/// What a directory entry offers. A closed list, so filters and the client's page group alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    DomesticViolence,
    Shelter,
    IndividualTherapy,
    Discernment,
    PsychiatryCrisis,
    SubstanceUse,
    LegalAid,
    Financial,
    CouplesElsewhere,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::DomesticViolence,
        Category::Shelter,
        Category::IndividualTherapy,
        Category::Discernment,
        Category::PsychiatryCrisis,
        Category::SubstanceUse,
        Category::LegalAid,
        Category::Financial,
        Category::CouplesElsewhere,
    ];

    /// The stored key, also the CSV value.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::DomesticViolence => "domestic_violence",
            Category::Shelter => "shelter",
            Category::IndividualTherapy => "individual_therapy",
            Category::Discernment => "discernment",
            Category::PsychiatryCrisis => "psychiatry_crisis",
            Category::SubstanceUse => "substance_use",
            Category::LegalAid => "legal_aid",
            Category::Financial => "financial",
            Category::CouplesElsewhere => "couples_elsewhere",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::DomesticViolence => "Domestic-violence advocacy and hotlines",
            Category::Shelter => "Shelters",
            Category::IndividualTherapy => "Individual therapy",
            Category::Discernment => "Discernment counseling",
            Category::PsychiatryCrisis => "Psychiatry and crisis care",
            Category::SubstanceUse => "Substance use",
            Category::LegalAid => "Legal aid and family law",
            Category::Financial => "Financial counseling",
            Category::CouplesElsewhere => "Couples therapy elsewhere",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Categories as stored: `;`-separated keys, wrapped in `;` so a filter can look for
    /// `;key;`.
    pub fn join(categories: &[Category]) -> String {
        let keys: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
        format!(";{};", keys.join(";"))
    }

    /// The stored form read back; unknown keys are skipped.
    pub fn split(stored: &str) -> Vec<Category> {
        stored.split(';').filter_map(Category::parse).collect()
    }
}

/// Where an entry sees people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    InPerson,
    Telehealth,
    Both,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::InPerson, Delivery::Telehealth, Delivery::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::InPerson => "in_person",
            Delivery::Telehealth => "telehealth",
            Delivery::Both => "both",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::InPerson => "In person",
            Delivery::Telehealth => "Telehealth",
            Delivery::Both => "In person and telehealth",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw.trim())
    }
}

/// An organisation or a clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Organisation,
    Clinician,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Organisation => "organisation",
            EntryKind::Clinician => "clinician",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "organisation" | "organization" => Some(EntryKind::Organisation),
            "clinician" => Some(EntryKind::Clinician),
            _ => None,
        }
    }
}

/// A directory entry as an admin wrote it, valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDraft {
    pub name: String,
    pub kind: EntryKind,
    pub categories: Vec<Category>,
    /// As written, `;`-separated ("English; Spanish").
    pub languages: String,
    pub modalities: String,
    pub delivery: Delivery,
    /// Where, for in person; the area served for telehealth.
    pub location: String,
    pub fees: String,
    pub sliding_scale: bool,
    pub accepting: bool,
    pub phone: String,
    pub email: String,
    pub website: String,
    /// How to refer someone (a form to fill in, "call and ask for intake").
    pub how_to_refer: String,
    /// When someone last checked the entry is still right.
    pub last_checked: NaiveDate,
}

/// Why one field of an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    pub field: &'static str,
    pub message: String,
}

/// The fields of an entry, by form name (the same names as the CSV columns).
pub const ENTRY_FIELDS: [&str; 15] = [
    "name",
    "kind",
    "categories",
    "languages",
    "modalities",
    "delivery",
    "location",
    "fees_description",
    "sliding_scale",
    "accepting_new_clients",
    "phone",
    "email",
    "url",
    "application_process",
    "assured_date",
];

fn clean(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn yes(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "yes" | "true" | "1" | "y" => Some(true),
        "no" | "false" | "0" | "n" | "" => Some(false),
        _ => None,
    }
}

impl EntryDraft {
    /// Reads an entry from `(field, value)` pairs (the form, or one CSV row with its header).
    /// Categories may come as several `categories` fields or one `;`-separated value.
    pub fn parse(fields: &[(String, String)]) -> Result<Self, Vec<EntryError>> {
        let text = |name: &str| clean(form::value(fields, name));
        let mut errors = Vec::new();
        let mut refuse = |field: &'static str, message: &str| {
            errors.push(EntryError {
                field,
                message: message.to_owned(),
            })
        };
        let name = text("name");
        if name.is_empty() || name.chars().count() > 200 {
            refuse(
                "name",
                "Give the service's or clinician's name (up to 200 characters).",
            );
        }
        let kind = EntryKind::parse(&text("kind"));
        if kind.is_none() {
            refuse("kind", "Choose an organisation or a clinician.");
        }
        let mut categories: Vec<Category> = Vec::new();
        let mut unknown = false;
        for (_, value) in fields.iter().filter(|(k, _)| k == "categories") {
            for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                match Category::parse(part) {
                    Some(c) if !categories.contains(&c) => categories.push(c),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
        }
        categories.sort();
        if unknown {
            refuse(
                "categories",
                "Use the listed categories (for example domestic_violence; individual_therapy).",
            );
        } else if categories.is_empty() {
            refuse("categories", "Choose at least one category.");
        }
        let delivery = Delivery::parse(&text("delivery"));
        if delivery.is_none() {
            refuse("delivery", "Choose in person, telehealth, or both.");
        }
        let sliding_scale = yes(&text("sliding_scale"));
        if sliding_scale.is_none() {
            refuse("sliding_scale", "Answer yes or no.");
        }
        let accepting = yes(&text("accepting_new_clients"));
        if accepting.is_none() {
            refuse("accepting_new_clients", "Answer yes or no.");
        }
        let (phone, email, website) = (text("phone"), text("email"), text("url"));
        if phone.is_empty() && email.is_empty() && website.is_empty() {
            refuse(
                "phone",
                "Give at least one way to reach them: a phone, an email or a website.",
            );
        }
        if !email.is_empty() && super::contact::ContactEmail::parse(&email).is_err() {
            refuse("email", "That does not look like an email address.");
        }
        let web_address = website.starts_with("https://") || website.starts_with("http://");
        if !website.is_empty() && !web_address {
            refuse("url", "Give the full address, starting with https://.");
        }
        let last_checked = NaiveDate::parse_from_str(&text("assured_date"), "%Y-%m-%d").ok();
        if last_checked.is_none() {
            refuse(
                "assured_date",
                "Give the date the entry was last checked, as YYYY-MM-DD.",
            );
        }
        let long = [
            ("languages", 200),
            ("modalities", 300),
            ("location", 300),
            ("fees_description", 300),
            ("application_process", 500),
            ("phone", 40),
        ];
        for (field, max) in long {
            if text(field).chars().count() > max {
                let message = format!("Please keep this to {max} characters.");
                refuse(field, &message);
            }
        }
        match (kind, delivery, sliding_scale, accepting, last_checked) {
            (
                Some(kind),
                Some(delivery),
                Some(sliding_scale),
                Some(accepting),
                Some(last_checked),
            ) if errors.is_empty() => Ok(EntryDraft {
                name,
                kind,
                categories,
                languages: text("languages"),
                modalities: text("modalities"),
                delivery,
                location: text("location"),
                fees: text("fees_description"),
                sliding_scale,
                accepting,
                phone,
                email,
                website,
                how_to_refer: text("application_process"),
                last_checked,
            }),
            _ => Err(errors),
        }
    }

    /// The entry as `(field, value)` pairs, in [`ENTRY_FIELDS`] order: a form's values, or a
    /// CSV row.
    pub fn fields(&self) -> Vec<(String, String)> {
        let flag = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let keys: Vec<&str> = self.categories.iter().map(|c| c.as_str()).collect();
        [
            self.name.clone(),
            self.kind.as_str().to_owned(),
            keys.join(";"),
            self.languages.clone(),
            self.modalities.clone(),
            self.delivery.as_str().to_owned(),
            self.location.clone(),
            self.fees.clone(),
            flag(self.sliding_scale),
            flag(self.accepting),
            self.phone.clone(),
            self.email.clone(),
            self.website.clone(),
            self.how_to_refer.clone(),
            self.last_checked.format("%Y-%m-%d").to_string(),
        ]
        .into_iter()
        .zip(ENTRY_FIELDS)
        .map(|(v, k)| (k.to_owned(), v))
        .collect()
    }
}

/// Why a clinician refers a client out. A fixed list, so the practice's report can count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Safety,
    LevelOfCare,
    NotAFit,
    NoCapacity,
    Modality,
    Language,
    FeeOrInsurance,
    ConflictOfInterest,
    ClientPreference,
}

impl Reason {
    pub const ALL: [Reason; 9] = [
        Reason::Safety,
        Reason::LevelOfCare,
        Reason::NotAFit,
        Reason::NoCapacity,
        Reason::Modality,
        Reason::Language,
        Reason::FeeOrInsurance,
        Reason::ConflictOfInterest,
        Reason::ClientPreference,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Safety => "safety",
            Reason::LevelOfCare => "level_of_care",
            Reason::NotAFit => "not_a_fit",
            Reason::NoCapacity => "no_capacity",
            Reason::Modality => "modality",
            Reason::Language => "language",
            Reason::FeeOrInsurance => "fee_or_insurance",
            Reason::ConflictOfInterest => "conflict_of_interest",
            Reason::ClientPreference => "client_preference",
        }
    }

    /// For the clinician only: never in the client's message or page.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Safety => "Safety",
            Reason::LevelOfCare => "Level of care",
            Reason::NotAFit => "Not a fit for this practice",
            Reason::NoCapacity => "No capacity",
            Reason::Modality => "Modality",
            Reason::Language => "Language",
            Reason::FeeOrInsurance => "Fee or insurance",
            Reason::ConflictOfInterest => "Conflict of interest",
            Reason::ClientPreference => "Client preference",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }
}

/// Where a referral's loop stands. "Closed" keeps the outcome it closed on, so a closed
/// referral never silently reads as connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The client has connected with a service on the list.
    Connected,
    /// Not (yet): the reason says which ("not yet", "needs other options", a clinician's note).
    NotConnected,
    /// The client does not want the referral.
    Declined,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Connected => "connected",
            Outcome::NotConnected => "not_connected",
            Outcome::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Connected => "Connected",
            Outcome::NotConnected => "Not connected",
            Outcome::Declined => "Declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Outcome::Connected, Outcome::NotConnected, Outcome::Declined]
            .into_iter()
            .find(|o| o.as_str() == raw.trim())
    }
}

/// The three answers a client can give from their message, without logging in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAnswer {
    Connected,
    NotYet,
    OtherOptions,
}

impl ClientAnswer {
    pub const ALL: [ClientAnswer; 3] = [
        ClientAnswer::Connected,
        ClientAnswer::NotYet,
        ClientAnswer::OtherOptions,
    ];

    /// The path segment of its link.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAnswer::Connected => "connected",
            ClientAnswer::NotYet => "not-yet",
            ClientAnswer::OtherOptions => "other-options",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }

    /// The words of its link and button.
    pub fn label(self) -> &'static str {
        match self {
            ClientAnswer::Connected => "I've connected",
            ClientAnswer::NotYet => "Not yet",
            ClientAnswer::OtherOptions => "I need other options",
        }
    }

    /// What the referral records.
    pub fn outcome(self) -> (Outcome, Option<&'static str>) {
        match self {
            ClientAnswer::Connected => (Outcome::Connected, None),
            ClientAnswer::NotYet => (Outcome::NotConnected, Some("Not yet (the client said)")),
            ClientAnswer::OtherOptions => (
                Outcome::NotConnected,
                Some("Needs other options (the client said)"),
            ),
        }
    }
}

/// Days after sending when a follow-up falls due, while the loop is open and not connected.
pub const FOLLOW_UP_DAYS: [i64; 2] = [7, 14];

/// The follow-up due now, if any: the latest of [`FOLLOW_UP_DAYS`] that has passed since
/// `sent` and has no follow-up recorded on or after it.
pub fn follow_up_due(
    sent: chrono::DateTime<chrono::Utc>,
    followed_up: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<i64> {
    FOLLOW_UP_DAYS
        .into_iter()
        .rev()
        .find(|&days| now >= sent + chrono::Duration::days(days))
        .filter(|&days| followed_up.is_none_or(|f| f < sent + chrono::Duration::days(days)))
}

#[cfg(test)]
mod tests;

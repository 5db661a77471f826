//! The support services every client is shown: on the private check-in, the result page and the
//! next-step page, and in the footer.
//!
//! The same list goes to everyone, whatever they answered, so showing it reveals nothing. A
//! practice picks a built-in list with `PRACTICE_COUNTRY` (an ISO 3166-1 alpha-2 code, see
//! [`Country`]) or supplies its own in a file that deserializes into [`Resources`]. With neither,
//! the pages show only [`NO_COUNTRY_LINE`].
//!
//! # Keeping the presets right
//!
//! A wrong number here could cost someone the one call they manage to make, so every entry names
//! the public page it was checked against, and anything that could not be confirmed is left out
//! rather than guessed. [`PRESETS_CHECKED`] says when. Hours change more often than numbers:
//! `open_24_7` and `free` are set only where a source says so, and `false` means "not claimed",
//! not "no". Re-check the list before each release and whenever a service announces a change.
//!
//! Pure data and formatting: only `serde`, no I/O, so it builds for the browser too.

mod presets;
#[cfg(test)]
mod tests;

use presets::*;
use std::fmt;

use serde::{Deserialize, Serialize};

/// When the built-in lists were last checked against their sources (year and month).
pub const PRESETS_CHECKED: &str = "2026-12";

/// Shown when no country is configured and the practice has supplied no list of its own.
pub const NO_COUNTRY_LINE: &str = "If you are in danger now, call your local emergency number.";

/// The heading of the support panel.
pub const PANEL_HEADING: &str = "If you need support";

/// The sentence under [`PANEL_HEADING`]. Says that everyone sees the panel, so nobody reads
/// anything into it, and that the services are separate from the practice.
pub const PANEL_INTRO: &str = "We show these services to everyone who uses this site. They are \
     separate from the practice, and you can contact them without telling us or anyone else.";

/// The line about devices, shown with every list (including the neutral one).
pub const SAFER_DEVICE: &str = "Someone else may be able to look at your phone, computer or \
     messages. If so, contact these services from a device they can't get to. A trusted \
     friend's phone or a library computer may be safer.";

/// A country with a built-in list, chosen by `PRACTICE_COUNTRY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Country {
    /// United States (`US`).
    Us,
    /// Canada (`CA`).
    Ca,
    /// United Kingdom (`GB`; `UK` is accepted too).
    Gb,
    /// Ireland (`IE`).
    Ie,
    /// Australia (`AU`).
    Au,
    /// New Zealand (`NZ`).
    Nz,
}

impl Country {
    /// Every country with a built-in list.
    pub const ALL: [Country; 6] = [
        Country::Us,
        Country::Ca,
        Country::Gb,
        Country::Ie,
        Country::Au,
        Country::Nz,
    ];

    /// The ISO 3166-1 alpha-2 code, upper case.
    pub fn code(self) -> &'static str {
        match self {
            Country::Us => "US",
            Country::Ca => "CA",
            Country::Gb => "GB",
            Country::Ie => "IE",
            Country::Au => "AU",
            Country::Nz => "NZ",
        }
    }

    /// The country's name in plain English.
    pub fn name(self) -> &'static str {
        match self {
            Country::Us => "United States",
            Country::Ca => "Canada",
            Country::Gb => "United Kingdom",
            Country::Ie => "Ireland",
            Country::Au => "Australia",
            Country::Nz => "New Zealand",
        }
    }

    /// The country for a `PRACTICE_COUNTRY` value: an alpha-2 code in any case, with surrounding
    /// spaces ignored. `UK` means `GB`, because that is what people type. Anything else is
    /// `None`, and the caller falls back to [`NO_COUNTRY_LINE`] (and says so at start-up).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_uppercase();
        if code == "UK" {
            return Some(Country::Gb);
        }
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Country {
    type Error = String;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Country::parse(&code).ok_or_else(|| format!("no built-in support list for “{code}”"))
    }
}

impl From<Country> for String {
    fn from(country: Country) -> Self {
        country.code().to_owned()
    }
}

/// What a support line helps with. The emergency number is not a kind: every list has it
/// separately (see [`Resources::emergency_numbers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// Violence, threats or control by a partner or family member.
    DomesticViolence,
    /// Unwanted sexual contact, recent or long ago.
    SexualAssault,
    /// Thoughts of suicide, or not being able to cope.
    Crisis,
}

impl SupportKind {
    /// Every kind, in the order the panel shows them.
    pub const ALL: [SupportKind; 3] = [
        SupportKind::DomesticViolence,
        SupportKind::SexualAssault,
        SupportKind::Crisis,
    ];

    /// A short label, as in the footer.
    pub fn label(self) -> &'static str {
        match self {
            SupportKind::DomesticViolence => "Domestic violence support",
            SupportKind::SexualAssault => "Sexual assault support",
            SupportKind::Crisis => "Crisis and suicide support",
        }
    }

    /// Who it is for, in plain words, as on the panel. Describes situations, never people.
    pub fn description(self) -> &'static str {
        match self {
            SupportKind::DomesticViolence => {
                "If a partner or family member hurts, frightens or controls you, or you are \
                 worried that they might."
            }
            SupportKind::SexualAssault => {
                "If something sexual happened that you did not want, whether it was recent or \
                 long ago."
            }
            SupportKind::Crisis => {
                "If you are thinking about suicide, or feel you can't cope right now."
            }
        }
    }
}

/// One service: its name and how to reach it.
///
/// Built-in entries and a practice's own file use the same shape. In a file, every field but
/// `kinds` and `name` may be left out, but a line needs at least one of `phone`, `text_number`
/// and `website` (checked by [`Resources::new`] and when a file is read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportLine {
    /// What it helps with; at least one.
    pub kinds: Vec<SupportKind>,
    /// Its name as the service writes it.
    pub name: String,
    /// Who or where it is for, when that is narrower than everyone in the country: "Scotland",
    /// "Women".
    #[serde(default)]
    pub serves: Option<String>,
    /// A number to call, written as people would dial it: digits, spaces, `-`, `(`, `)`, `+`.
    #[serde(default)]
    pub phone: Option<String>,
    /// A number to text, same form as `phone`.
    #[serde(default)]
    pub text_number: Option<String>,
    /// The word to send, if the service asks for one ("START").
    #[serde(default)]
    pub text_keyword: Option<String>,
    /// The website as plain text ("thehotline.org"). Pages link to it but load nothing from it.
    #[serde(default)]
    pub website: Option<String>,
    /// Set only where the service says it is free to contact.
    #[serde(default)]
    pub free: bool,
    /// Set only where the service says it is open day and night, every day.
    #[serde(default)]
    pub open_24_7: bool,
    /// Anything else worth a sentence: other ways in, opening hours, call-bill privacy.
    #[serde(default)]
    pub note: Option<String>,
}

impl SupportLine {
    /// Whether this line helps with `kind`.
    pub fn helps_with(&self, kind: SupportKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// A `tel:` link for [`SupportLine::phone`].
    pub fn phone_href(&self) -> Option<String> {
        self.phone.as_deref().map(|p| format!("tel:{}", dial(p)))
    }

    /// An `sms:` link for [`SupportLine::text_number`], with the keyword filled in.
    pub fn text_href(&self) -> Option<String> {
        let number = dial(self.text_number.as_deref()?);
        Some(match &self.text_keyword {
            Some(word) => format!("sms:{number}?body={word}"),
            None => format!("sms:{number}"),
        })
    }

    /// How to text, in words: "Text START to 88788", or "Text 988".
    pub fn text_instruction(&self) -> Option<String> {
        let number = self.text_number.as_deref()?;
        Some(match &self.text_keyword {
            Some(word) => format!("Text {word} to {number}"),
            None => format!("Text {number}"),
        })
    }

    /// A link for [`SupportLine::website`]: `https://` is added when the text has no scheme.
    pub fn website_href(&self) -> Option<String> {
        let site = self.website.as_deref()?;
        Some(if has_web_scheme(site) {
            site.to_owned()
        } else {
            format!("https://{site}")
        })
    }

    /// "Free, 24 hours", "Free", "24 hours", or nothing when neither is claimed.
    pub fn availability(&self) -> Option<&'static str> {
        match (self.free, self.open_24_7) {
            (true, true) => Some("Free, 24 hours"),
            (true, false) => Some("Free"),
            (false, true) => Some("24 hours"),
            (false, false) => None,
        }
    }
}

/// The support list a practice shows: the emergency number(s) and the services.
///
/// Only [`Resources::new`], the presets and deserialization (which runs the same checks) build
/// one, so every line in it can be reached and every number can be dialled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ResourcesFile", into = "ResourcesFile")]
pub struct Resources {
    emergency_numbers: Vec<String>,
    lines: Vec<SupportLine>,
}

/// The shape of a practice's own resources file (`SUPPORT_RESOURCES_FILE`, JSON), before it is
/// checked.
///
/// ```json
/// {
///   "emergency_numbers": ["999"],
///   "lines": [
///     {"kinds": ["domestic_violence"], "name": "Our local refuge",
///      "phone": "01234 567890", "open_24_7": true}
///   ]
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcesFile {
    /// The emergency number(s), most familiar first; may be empty.
    #[serde(default)]
    pub emergency_numbers: Vec<String>,
    /// The services, in the order to show them.
    #[serde(default)]
    pub lines: Vec<SupportLine>,
}

impl Resources {
    /// Checks a list; see [`ResourceProblem`] for what is refused.
    pub fn new(
        emergency_numbers: Vec<String>,
        lines: Vec<SupportLine>,
    ) -> Result<Self, InvalidResources> {
        let problems = problems(&emergency_numbers, &lines);
        if problems.is_empty() {
            Ok(Resources {
                emergency_numbers,
                lines,
            })
        } else {
            Err(InvalidResources(problems))
        }
    }

    /// The list shown when no country is set: no services, and [`NO_COUNTRY_LINE`].
    pub fn neutral() -> Self {
        Resources {
            emergency_numbers: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// The built-in list for a `PRACTICE_COUNTRY` value, or `None` for a code without one.
    pub fn for_code(code: &str) -> Option<Self> {
        Country::parse(code).map(Resources::preset)
    }

    /// The built-in list for a country.
    pub fn preset(country: Country) -> Self {
        let (emergency, lines) = match country {
            Country::Us => (&["911"][..], us()),
            Country::Ca => (&["911"][..], ca()),
            Country::Gb => (&["999"][..], gb()),
            Country::Ie => (&["112", "999"][..], ie()),
            Country::Au => (&["000"][..], au()),
            Country::Nz => (&["111"][..], nz()),
        };
        Resources {
            emergency_numbers: emergency.iter().map(|n| (*n).to_owned()).collect(),
            lines,
        }
    }

    /// The emergency number(s), most familiar first. Empty for the neutral list.
    pub fn emergency_numbers(&self) -> &[String] {
        &self.emergency_numbers
    }

    /// When what a client sends is read, said the same to everyone before they send it: by a
    /// clinician in the practice's working hours (`hours`, in words, with the zone they are
    /// in), never around the clock, and what to do in danger now.
    pub fn reading_notice(&self, hours: Option<(&str, &str)>) -> String {
        let when = match hours {
            Some((hours, zone)) => format!(
                "A clinician reads what you send during the practice's working hours ({hours}, \
                 {zone} time)."
            ),
            None => "A clinician reads what you send when the practice is open.".to_owned(),
        };
        format!(
            "{when} This site is not watched around the clock. {}",
            self.emergency_sentence()
        )
    }

    /// Every service, in the order to show them.
    pub fn lines(&self) -> &[SupportLine] {
        &self.lines
    }

    /// The services that help with `kind`, in order. A line may help with more than one kind.
    pub fn lines_for(&self, kind: SupportKind) -> impl Iterator<Item = &SupportLine> {
        self.lines.iter().filter(move |l| l.helps_with(kind))
    }

    /// The first sentence of the panel and the footer: "If you are in danger now, call 999."
    pub fn emergency_sentence(&self) -> String {
        match self.emergency_numbers.as_slice() {
            [] => NO_COUNTRY_LINE.to_owned(),
            [one] => format!("If you are in danger now, call {one}."),
            [first @ .., last] => {
                format!(
                    "If you are in danger now, call {} or {last}.",
                    first.join(", ")
                )
            }
        }
    }
}

impl TryFrom<ResourcesFile> for Resources {
    type Error = InvalidResources;

    fn try_from(file: ResourcesFile) -> Result<Self, Self::Error> {
        Resources::new(file.emergency_numbers, file.lines)
    }
}

impl From<Resources> for ResourcesFile {
    fn from(resources: Resources) -> Self {
        ResourcesFile {
            emergency_numbers: resources.emergency_numbers,
            lines: resources.lines,
        }
    }
}

/// One thing wrong with a resources list. `Display` is written for whoever maintains the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceProblem {
    /// An emergency number that is blank or has something other than digits in it.
    EmergencyNumber(String),
    /// A line (numbered from 1) with a blank name.
    NoName(usize),
    /// A line that says nothing about what it helps with.
    NoKinds(usize),
    /// A line with no phone, text number or website.
    NoWayToReach(usize),
    /// A line whose named field is blank, or not a number / web address.
    BadField(usize, &'static str),
    /// A text keyword with no number to send it to.
    KeywordWithoutNumber(usize),
}

impl fmt::Display for ResourceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceProblem::EmergencyNumber(n) => {
                write!(f, "emergency number “{n}” should be digits only, like 999")
            }
            ResourceProblem::NoName(i) => write!(f, "line {i} has no name"),
            ResourceProblem::NoKinds(i) => write!(
                f,
                "line {i} needs `kinds` (domestic_violence, sexual_assault or crisis)"
            ),
            ResourceProblem::NoWayToReach(i) => {
                write!(f, "line {i} needs a phone, a text_number or a website")
            }
            ResourceProblem::BadField(i, field) => write!(
                f,
                "line {i}: `{field}` is blank or not in a form people can use"
            ),
            ResourceProblem::KeywordWithoutNumber(i) => {
                write!(f, "line {i} has a text_keyword but no text_number")
            }
        }
    }
}

/// A resources list that was refused, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResources(pub Vec<ResourceProblem>);

impl fmt::Display for InvalidResources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the support resources list was not accepted: ")?;
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidResources {}

/// A field's name, its value if given, and the test the value must pass.
type FieldCheck<'a> = (&'static str, Option<&'a String>, fn(&str) -> bool);

fn problems(emergency_numbers: &[String], lines: &[SupportLine]) -> Vec<ResourceProblem> {
    let mut found: Vec<ResourceProblem> = emergency_numbers
        .iter()
        .filter(|n| n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()))
        .map(|n| ResourceProblem::EmergencyNumber(n.clone()))
        .collect();
    for (index, line) in lines.iter().enumerate() {
        let i = index + 1;
        if line.name.trim().is_empty() {
            found.push(ResourceProblem::NoName(i));
        }
        if line.kinds.is_empty() {
            found.push(ResourceProblem::NoKinds(i));
        }
        if line.phone.is_none() && line.text_number.is_none() && line.website.is_none() {
            found.push(ResourceProblem::NoWayToReach(i));
        }
        let checks: [FieldCheck; 6] = [
            ("phone", line.phone.as_ref(), is_dialable),
            ("text_number", line.text_number.as_ref(), is_dialable),
            ("text_keyword", line.text_keyword.as_ref(), is_keyword),
            ("website", line.website.as_ref(), is_web_address),
            ("serves", line.serves.as_ref(), is_not_blank),
            ("note", line.note.as_ref(), is_not_blank),
        ];
        for (field, value, ok) in checks {
            if value.is_some_and(|v| !ok(v)) {
                found.push(ResourceProblem::BadField(i, field));
            }
        }
        if line.text_keyword.is_some() && line.text_number.is_none() {
            found.push(ResourceProblem::KeywordWithoutNumber(i));
        }
    }
    found
}

/// Digits plus the usual separators, with at least one digit. Letters are refused: a vanity
/// number ("1-800-799-SAFE") cannot be tapped on most phones, so files give the digits.
fn is_dialable(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+' | '.'))
}

/// One word of letters and digits, as short codes expect.
fn is_keyword(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A bare host and path ("gov.wales/live-fear-free") or an http(s) address. Refuses spaces and
/// any other scheme, so a file cannot smuggle a `javascript:` link onto a client's page.
fn is_web_address(s: &str) -> bool {
    let rest = if has_web_scheme(s) {
        s.split_once("://").map_or("", |(_, rest)| rest)
    } else {
        s
    };
    rest.contains('.')
        && !rest.starts_with(['.', '/'])
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '.' | '-' | '/' | '_' | '~' | '%' | ':' | '?' | '=' | '&' | '#'
                )
        })
        && (has_web_scheme(s) || !s.contains(':'))
}

fn has_web_scheme(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

fn is_not_blank(s: &str) -> bool {
    !s.trim().is_empty()
}

/// The characters a phone needs: digits and a leading `+`.
fn dial(number: &str) -> String {
    number
        .chars()
        .enumerate()
        .filter(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
        .map(|(_, c)| c)
        .collect()
}

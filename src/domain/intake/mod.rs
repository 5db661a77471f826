//! The intake form: the basics every couples intake asks ("about you", built into the product)
//! and the questions the practice adds, each partner answering for themselves.
//!
//! A [`Form`] is one published version of the whole form. Every stored answer keeps the version
//! it was answered under, so an old submission reads with the wording it was given; the
//! practice's changes make new versions and never reword an old one.
//!
//! Answers are plain text, as stored: a choice is its value, several choices are their values
//! one per line, a number is its decimal digits and a date is `YYYY-MM-DD`.

mod builtin;
mod definition;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use builtin::{about_you, CHILDREN, FILTERED, FORMAT, SOURCE};
pub use definition::{DefinitionError, NewQuestion, FILE_FORMAT, MAX_PRACTICE_QUESTIONS};

/// Built-in questions' keys start with this; the practice's own are `p1`, `p2`, ….
pub const BUILTIN_PREFIX: &str = "about_";
/// A question's form field is its key behind this prefix (so no key can collide with `nav`).
pub const FIELD_PREFIX: &str = "in_";

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ShortText,
    LongText,
    OneChoice,
    SeveralChoices,
    Number,
    Date,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::ShortText,
        Kind::LongText,
        Kind::OneChoice,
        Kind::SeveralChoices,
        Kind::Number,
        Kind::Date,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::OneChoice => "one_choice",
            Kind::SeveralChoices => "several_choices",
            Kind::Number => "number",
            Kind::Date => "date",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// How the workspace names the kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::ShortText => "Short text",
            Kind::LongText => "Long text",
            Kind::OneChoice => "One choice",
            Kind::SeveralChoices => "Several choices",
            Kind::Number => "A whole number",
            Kind::Date => "A date",
        }
    }

    pub fn has_choices(self) -> bool {
        matches!(self, Kind::OneChoice | Kind::SeveralChoices)
    }

    /// Whether answers of this kind are the client's own words (CSV exports leave them out
    /// unless asked).
    pub fn is_free_text(self) -> bool {
        matches!(self, Kind::ShortText | Kind::LongText)
    }
}

/// One option of a choice question: the stored value and the words shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// "Show this question if the answer to `question` is (or, for several choices, includes)
/// `equals`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub question: String,
    pub equals: String,
}

/// One question, as worded in one version of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub help: String,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

impl Question {
    pub fn is_builtin(&self) -> bool {
        self.key.starts_with(BUILTIN_PREFIX)
    }

    pub fn field(&self) -> String {
        format!("{FIELD_PREFIX}{}", self.key)
    }

    pub fn page(&self) -> Page {
        if self.is_builtin() {
            Page::About
        } else {
            Page::Practice
        }
    }

    fn choice_label<'a>(&'a self, value: &'a str) -> &'a str {
        self.choices
            .iter()
            .find(|c| c.value == value)
            .map_or(value, |c| c.label.as_str())
    }

    /// A stored answer in words: choices by their labels, several joined by commas.
    pub fn display(&self, value: &str) -> String {
        match self.kind {
            Kind::OneChoice => self.choice_label(value).to_owned(),
            Kind::SeveralChoices => chosen(value)
                .map(|v| self.choice_label(v))
                .collect::<Vec<_>>()
                .join(", "),
            _ => value.to_owned(),
        }
    }

    /// Checks and tidies what was posted for this question: `None` when left empty.
    pub fn normalise(&self, posted: &[&str]) -> Result<Option<String>, &'static str> {
        let last = posted.last().map_or("", |v| v.trim());
        match self.kind {
            Kind::ShortText => text(last, MAX_SHORT_CHARS, TOO_LONG_SHORT),
            Kind::LongText => text(&last.replace("\r\n", "\n"), MAX_LONG_CHARS, TOO_LONG_LONG),
            Kind::Number => {
                if last.is_empty() {
                    return Ok(None);
                }
                last.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=MAX_NUMBER).contains(n))
                    .map(|n| Some(n.to_string()))
                    .ok_or(NOT_A_NUMBER)
            }
            Kind::Date => {
                if last.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(last, "%Y-%m-%d")
                    .ok()
                    .filter(|d| (1900..=2100).contains(&chrono::Datelike::year(d)))
                    .map(|d| Some(d.format("%Y-%m-%d").to_string()))
                    .ok_or(NOT_A_DATE)
            }
            Kind::OneChoice => {
                if last.is_empty() {
                    return Ok(None);
                }
                self.choices
                    .iter()
                    .find(|c| c.value == last)
                    .map(|c| Some(c.value.clone()))
                    .ok_or(NOT_A_CHOICE)
            }
            Kind::SeveralChoices => {
                let picked: Vec<&str> = posted
                    .iter()
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect();
                if picked
                    .iter()
                    .any(|v| !self.choices.iter().any(|c| c.value == *v))
                {
                    return Err(NOT_A_CHOICE);
                }
                // In the form's order, each once.
                let values: Vec<&str> = self
                    .choices
                    .iter()
                    .filter(|c| picked.contains(&c.value.as_str()))
                    .map(|c| c.value.as_str())
                    .collect();
                Ok((!values.is_empty()).then(|| values.join("\n")))
            }
        }
    }
}

pub const MAX_SHORT_CHARS: usize = 200;
pub const MAX_LONG_CHARS: usize = 2000;
const MAX_NUMBER: i64 = 100_000;

pub const REQUIRED: &str = "Please answer this question.";
const TOO_LONG_SHORT: &str = "Please keep this under 200 characters.";
const TOO_LONG_LONG: &str = "Please keep this under 2,000 characters.";
const NOT_A_NUMBER: &str = "Please enter a whole number, like 2.";
const NOT_A_DATE: &str = "Please enter a date as year-month-day, like 2024-03-31.";
const NOT_A_CHOICE: &str = "Please choose from the options shown.";

pub const HIDDEN_CHARACTER: &str = "This answer has a hidden character that cannot be saved (it \
    can come with copied text). Please delete it, or type that part again.";

fn text(value: &str, max: usize, too_long: &'static str) -> Result<Option<String>, &'static str> {
    if value.chars().count() > max {
        return Err(too_long);
    }
    // A NUL or another control character is nothing a person means to type, and PostgreSQL
    // refuses a NUL in text: said at the field, never a failed save.
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(HIDDEN_CHARACTER);
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// The values of a stored several-choices answer (or the one value of a single choice).
pub fn chosen(value: &str) -> impl Iterator<Item = &str> {
    value.split('\n').filter(|v| !v.is_empty())
}

/// The two pages of the intake: the built-in basics, then the practice's own questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    About,
    Practice,
}

impl Page {
    pub fn slug(self) -> &'static str {
        match self {
            Page::About => "about",
            Page::Practice => "about/more",
        }
    }
}

/// Saved answers by question key.
pub type Answers = BTreeMap<String, String>;

/// A question's message, by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: String,
    pub message: &'static str,
}

/// One published version of the intake form: the questions in the order they are asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub questions: Vec<Question>,
    /// The number the next question the practice adds is keyed by (`p<n>`): keys are never
    /// reused, so an answer never attaches to a question it was not given to.
    #[serde(default = "first_key")]
    pub next_key: u32,
}

fn first_key() -> u32 {
    1
}

impl Default for Form {
    /// The form before the practice changed anything: the built-in basics, all optional.
    fn default() -> Self {
        Form {
            questions: about_you(),
            next_key: 1,
        }
    }
}

impl Form {
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    pub fn on_page(&self, page: Page) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(move |q| q.page() == page)
    }

    /// The form with every built-in question this version of the product has and the stored
    /// form lacks (a product upgrade that adds one), after the built-in ones it has; `None`
    /// when nothing is missing. The stored wording of the others is left as it is.
    pub fn with_product_builtins(&self) -> Option<Form> {
        let missing: Vec<Question> = about_you()
            .into_iter()
            .filter(|q| self.question(&q.key).is_none())
            .collect();
        if missing.is_empty() {
            return None;
        }
        let at = self.questions.iter().filter(|q| q.is_builtin()).count();
        let mut form = self.clone();
        form.questions.splice(at..at, missing);
        Some(form)
    }

    pub fn practice_questions(&self) -> impl Iterator<Item = &Question> {
        self.on_page(Page::Practice)
    }

    /// Which questions apply given these answers, by key. A question shows when it has no
    /// condition, or when the question it depends on shows and its answer matches (conditions
    /// only point at earlier questions, so one pass in order settles every chain).
    pub fn applies(&self, answers: &Answers) -> BTreeMap<&str, bool> {
        let mut shown: BTreeMap<&str, bool> = BTreeMap::new();
        for q in &self.questions {
            let applies = match &q.show_if {
                None => true,
                Some(c) => {
                    shown.get(c.question.as_str()).copied().unwrap_or(false)
                        && answers
                            .get(&c.question)
                            .is_some_and(|a| chosen(a).any(|v| v == c.equals))
                }
            };
            shown.insert(q.key.as_str(), applies);
        }
        shown
    }

    /// Reads one posted page against what is already saved.
    ///
    /// Returns every question of the page with its new value (`None`: empty, or no longer
    /// applying, so an answer to a question that stopped applying is not kept), or the
    /// message for each value that cannot be stored. `check_required` is false for "back".
    pub fn read_page(
        &self,
        page: Page,
        saved: &Answers,
        posted: &[(String, String)],
        check_required: bool,
    ) -> PageRead {
        let mut errors = Vec::new();
        let mut values: Vec<(String, Option<String>)> = Vec::new();
        let mut merged = saved.clone();
        for q in self.on_page(page) {
            let field = q.field();
            let raw: Vec<&str> = posted
                .iter()
                .filter(|(k, _)| *k == field)
                .map(|(_, v)| v.as_str())
                .collect();
            match q.normalise(&raw) {
                Ok(value) => {
                    match &value {
                        Some(v) => merged.insert(q.key.clone(), v.clone()),
                        None => merged.remove(&q.key),
                    };
                    values.push((q.key.clone(), value));
                }
                Err(message) => errors.push(FieldError {
                    key: q.key.clone(),
                    message,
                }),
            }
        }
        if !errors.is_empty() {
            return PageRead::Invalid(errors);
        }
        let applies = self.applies(&merged);
        let mut missing = Vec::new();
        for (key, value) in &mut values {
            if !applies.get(key.as_str()).copied().unwrap_or(false) {
                *value = None;
            } else if check_required
                && value.is_none()
                && self.question(key).is_some_and(|q| q.required)
            {
                missing.push(FieldError {
                    key: key.clone(),
                    message: REQUIRED,
                });
            }
        }
        PageRead::Read { values, missing }
    }

    /// Whether any question of the practice's page applies, given these answers.
    pub fn practice_page_applies(&self, answers: &Answers) -> bool {
        let applies = self.applies(answers);
        self.practice_questions()
            .any(|q| applies.get(q.key.as_str()).copied().unwrap_or(false))
    }
}

/// What a posted page amounted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRead {
    /// Some value cannot be stored: nothing is.
    Invalid(Vec<FieldError>),
    /// Every value can be stored; `missing` are required questions left empty.
    Read {
        values: Vec<(String, Option<String>)>,
        missing: Vec<FieldError>,
    },
}

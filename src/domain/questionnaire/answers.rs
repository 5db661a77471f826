//! What a client answers: ratings, "Doesn't apply", framing choices and the note, parsed at
//! the edge so nothing out of range or from another version gets in.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::{bank, text_of, Instrument, Item, Question, FIELD_PREFIX, SECTION_COUNT};

/// Why an answer could not be accepted. `Display` is written for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// A field named like an answer refers to no question of this section.
    UnknownItem(String),
    /// A number the question does not offer. `item` is empty when no question is known yet
    /// (from [`Likert::parse`] alone).
    OutOfRange {
        /// The question id, or empty.
        item: String,
        /// The value received.
        value: i64,
    },
    /// A value that is not a whole number.
    NotANumber {
        /// The question id.
        item: String,
    },
    /// The free-text note is longer than allowed.
    NoteTooLong {
        /// The limit, in characters.
        max: usize,
    },
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown to a client who may be upset: say what to do, not what broke.
        match self {
            AnswerError::UnknownItem(_) => f.write_str(
                "One of the answers didn't match a question on this page. Please reload the page and try again.",
            ),
            AnswerError::OutOfRange { item, .. } | AnswerError::NotANumber { item } => {
                match text_of(item) {
                    Some(text) => write!(
                        f,
                        "Please choose one of the answers offered for “{}”.",
                        text.trim_end_matches(['.', '?'])
                    ),
                    None => f.write_str("Please choose one of the answers offered."),
                }
            }
            AnswerError::NoteTooLong { max } => write!(
                f,
                "Your note is a little too long. Please keep it to {max} characters or fewer."
            ),
        }
    }
}

impl std::error::Error for AnswerError {}

/// A validated rating, 1 (Strongly disagree) to 5 (Strongly agree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64")]
pub struct Likert(u8);

impl Likert {
    /// Every rating, from "Strongly disagree" to "Strongly agree".
    pub const ALL: [Likert; 5] = [Likert(1), Likert(2), Likert(3), Likert(4), Likert(5)];

    /// Accept 1..=5; anything else is [`AnswerError::OutOfRange`] with an empty item.
    pub fn parse(v: i64) -> Result<Self, AnswerError> {
        match u8::try_from(v) {
            Ok(n @ 1..=5) => Ok(Likert(n)),
            _ => Err(AnswerError::OutOfRange {
                item: String::new(),
                value: v,
            }),
        }
    }

    /// The rating, 1..=5.
    pub fn value(self) -> u8 {
        self.0
    }

    /// The wording shown beside the rating.
    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Strongly disagree",
            2 => "Disagree",
            3 => "Neither agree nor disagree",
            4 => "Agree",
            _ => "Strongly agree",
        }
    }
}

impl TryFrom<i64> for Likert {
    type Error = AnswerError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Likert::parse(v)
    }
}

/// One answer to one question: a rating, "Doesn't apply to me" (items that offer it), or the
/// option chosen for a framing question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Response {
    Rated(Likert),
    NotApplicable,
    /// A framing question's option, 1-based.
    Chose(u8),
}

impl Response {
    /// How it is stored and posted: the rating, 0 for "Doesn't apply", or the option.
    pub fn value(self) -> u8 {
        match self {
            Response::Rated(v) => v.value(),
            Response::NotApplicable => 0,
            Response::Chose(n) => n,
        }
    }
}

/// Who the person feels most affected trust (the `role` question of version 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustRole {
    Me,
    Partner,
    Both,
    /// Something else, or not sure.
    Unsure,
    RatherNotSay,
}

impl TrustRole {
    fn from_option(n: u8) -> Option<Self> {
        Some(match n {
            1 => TrustRole::Me,
            2 => TrustRole::Partner,
            3 => TrustRole::Both,
            4 => TrustRole::Unsure,
            5 => TrustRole::RatherNotSay,
            _ => return None,
        })
    }

    /// The option's words, for the clinician.
    pub fn label(self) -> &'static str {
        let index = match self {
            TrustRole::Me => 0,
            TrustRole::Partner => 1,
            TrustRole::Both => 2,
            TrustRole::Unsure => 3,
            TrustRole::RatherNotSay => 4,
        };
        bank::FRAMINGS_V2[0].options[index]
    }
}

/// Where someone is about the relationship: leaning in, unsure, leaning out, or decided to end
/// it. From the `lean` question and their own commitment (version 2), or from the Willingness
/// score alone (version 1, where only its clear ends count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Leaning {
    /// Decided to end it (the lowest: [`Ord`] runs from most to least leaning out).
    Decided,
    Out,
    Unsure,
    In,
}

impl Leaning {
    pub const ALL: [Leaning; 4] = [Leaning::Decided, Leaning::Out, Leaning::Unsure, Leaning::In];

    /// The leaning the `lean` question's option means; `None` for "I'd rather not say".
    fn from_option(n: u8) -> Option<Self> {
        match n {
            1 => Some(Leaning::In),
            2 => Some(Leaning::Unsure),
            3 => Some(Leaning::Out),
            4 => Some(Leaning::Decided),
            _ => None,
        }
    }

    /// Stable storage key (also the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Leaning::Decided => "decided",
            Leaning::Out => "out",
            Leaning::Unsure => "unsure",
            Leaning::In => "in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// For the clinician.
    pub fn label(self) -> &'static str {
        match self {
            Leaning::Decided => "has decided to end the relationship",
            Leaning::Out => "is leaning toward ending it",
            Leaning::Unsure => "is unsure",
            Leaning::In => "wants to work on it",
        }
    }
}

/// A partial set of answers to one version, which can only hold that version's questions and
/// answers they offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    version: Instrument,
    given: BTreeMap<&'static str, Response>,
}

impl Answers {
    /// No answers yet, to `version`.
    pub fn new(version: Instrument) -> Self {
        Answers {
            version,
            given: BTreeMap::new(),
        }
    }

    pub fn version(&self) -> Instrument {
        self.version
    }

    fn question(&self, id: &str) -> Option<Question> {
        let v = self.version;
        v.item(id)
            .map(Question::Item)
            .or_else(|| v.framing(id).map(Question::Framing))
    }

    /// Record (or replace) the rating of a statement.
    pub fn set(&mut self, item_id: &str, v: Likert) -> Result<(), AnswerError> {
        self.respond(item_id, Response::Rated(v))
    }

    /// Record (or replace) any answer, if the question offers it.
    pub fn respond(&mut self, id: &str, response: Response) -> Result<(), AnswerError> {
        let question = self
            .question(id)
            .ok_or_else(|| AnswerError::UnknownItem(id.to_owned()))?;
        if !question.accepts(response) {
            return Err(AnswerError::OutOfRange {
                item: id.to_owned(),
                value: i64::from(response.value()),
            });
        }
        self.given.insert(question.id(), response);
        Ok(())
    }

    /// Stored answers read under `version`; a row this version does not ask, or a value it
    /// does not offer, is passed over (and left in the database).
    pub fn from_stored(version: Instrument, rows: impl IntoIterator<Item = (String, i64)>) -> Self {
        let mut answers = Answers::new(version);
        for (id, value) in rows {
            if let Some(q) = answers.question(&id) {
                if let Some(response) = q.response(value) {
                    answers.given.insert(q.id(), response);
                }
            }
        }
        answers
    }

    /// The rating of a statement, if rated ("Doesn't apply" is no rating).
    pub fn get(&self, id: &str) -> Option<Likert> {
        match self.given.get(id) {
            Some(Response::Rated(v)) => Some(*v),
            _ => None,
        }
    }

    /// Whatever was answered to a question.
    pub fn response(&self, id: &str) -> Option<Response> {
        self.given.get(id).copied()
    }

    /// Rated statements with their ratings, in questionnaire order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Item, Likert)> + '_ {
        self.version
            .items()
            .iter()
            .filter_map(move |i| self.get(i.id).map(|v| (i, v)))
    }

    /// Every answer with its question, in the order asked.
    pub fn responses(&self) -> Vec<(Question, Response)> {
        self.version
            .questions()
            .into_iter()
            .filter_map(|q| self.response(q.id()).map(|r| (q, r)))
            .collect()
    }

    /// Every answer as stored: question id and value.
    pub fn stored(&self) -> Vec<(&'static str, u8)> {
        self.given.iter().map(|(id, r)| (*id, r.value())).collect()
    }

    /// Number of answered questions.
    pub fn len(&self) -> usize {
        self.given.len()
    }

    pub fn is_empty(&self) -> bool {
        self.given.is_empty()
    }

    /// Add `other`'s answers; where both answer a question, `other` wins (it is the newer page
    /// the client just submitted). Both must be of one version.
    pub fn merge(&mut self, other: &Answers) {
        if other.version == self.version {
            self.given.extend(other.given.iter().map(|(k, v)| (*k, *v)));
        }
    }

    /// Questions of a section not yet answered, in order.
    pub fn missing_in_section(&self, number: u8) -> Vec<&'static str> {
        self.version
            .questions_in_section(number)
            .into_iter()
            .map(Question::id)
            .filter(|id| !self.given.contains_key(id))
            .collect()
    }

    /// The first section with an unanswered question, if any — where a returning client
    /// should resume.
    pub fn first_incomplete_section(&self) -> Option<u8> {
        (1..=SECTION_COUNT).find(|&s| !self.missing_in_section(s).is_empty())
    }

    /// Prove every question is answered, or list the missing ones in order.
    pub fn complete(&self) -> Result<CompleteAnswers, Vec<&'static str>> {
        let missing: Vec<&'static str> = (1..=SECTION_COUNT)
            .flat_map(|s| self.missing_in_section(s))
            .collect();
        if missing.is_empty() {
            Ok(CompleteAnswers(self.clone()))
        } else {
            Err(missing)
        }
    }

    /// Who they feel most affected trust; `None` in version 1 or before it is answered.
    pub fn role(&self) -> Option<TrustRole> {
        match self.response("role")? {
            Response::Chose(n) => TrustRole::from_option(n),
            _ => None,
        }
    }

    /// Where they say they are (`None` for "I'd rather not say", in version 1, or before it
    /// is answered).
    pub fn said_leaning(&self) -> Option<Leaning> {
        match self.response("lean")? {
            Response::Chose(n) => Leaning::from_option(n),
            _ => None,
        }
    }
}

/// Proof that every question is answered; the only input scoring accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct CompleteAnswers(Answers);

impl CompleteAnswers {
    pub fn answers(&self) -> &Answers {
        &self.0
    }

    pub fn into_answers(self) -> Answers {
        self.0
    }

    pub fn version(&self) -> Instrument {
        self.0.version
    }

    /// The rating of a statement; `None` for "Doesn't apply" and unknown ids.
    pub fn get(&self, id: &str) -> Option<Likert> {
        self.0.get(id)
    }
}

/// Parse one section's submitted form into answers to `version`.
///
/// Only fields named `q_<id>` ([`FIELD_PREFIX`]) are answers; other fields are
/// ignored. An empty value means "not answered yet" and is skipped. A `q_`
/// field naming no question of *this* section is [`AnswerError::UnknownItem`], so
/// a page can never write answers for another page. All errors are collected,
/// so the page can show them together. If a field repeats, the last one wins.
pub fn parse_section_form(
    version: Instrument,
    section: u8,
    pairs: impl IntoIterator<Item = (String, String)>,
) -> Result<Answers, Vec<AnswerError>> {
    let mut answers = Answers::new(version);
    let mut errors = Vec::new();
    for (name, value) in pairs {
        let Some(id) = name.strip_prefix(FIELD_PREFIX) else {
            continue;
        };
        let Some(question) = answers.question(id).filter(|q| q.section() == section) else {
            errors.push(AnswerError::UnknownItem(id.to_owned()));
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let item = question.id().to_owned();
        let parsed = match value.parse::<i64>() {
            Err(_) => Err(AnswerError::NotANumber { item }),
            Ok(n) => question
                .response(n)
                .ok_or(AnswerError::OutOfRange { item, value: n }),
        };
        match parsed {
            Ok(response) => {
                answers.given.insert(question.id(), response);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// An optional free-text note for the practice, given on the last section.
///
/// Trimmed, at most [`ClientNote::MAX_CHARS`] characters, never empty. Line
/// endings are normalised to `\n` and other control characters (including
/// NUL, which PostgreSQL `text` rejects) are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientNote(String);

impl ClientNote {
    /// Longest note accepted, in characters (not bytes).
    pub const MAX_CHARS: usize = 2000;

    /// `Ok(None)` for an empty or whitespace-only note.
    pub fn parse(s: &str) -> Result<Option<Self>, AnswerError> {
        let cleaned: String = s
            .replace("\r\n", "\n")
            .chars()
            .map(|c| if c == '\r' { '\n' } else { c })
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let trimmed = cleaned.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(AnswerError::NoteTooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Some(ClientNote(trimmed.to_owned())))
    }

    /// The note's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ClientNote {
    // Re-validate on the way in, so a note from storage or the wire keeps the
    // same guarantees as one typed into the form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        ClientNote::parse(&raw)
            .map_err(serde::de::Error::custom)?
            .ok_or_else(|| serde::de::Error::custom("a note cannot be empty"))
    }
}

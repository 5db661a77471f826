//! The trust questionnaire: its versions (each an item bank and sections), and the answers a
//! client gives to one of them.
//!
//! Every item is original wording for this practice and is traced to a line of
//! the practice's article on rebuilding trust (the "seed"): the 16 ways trust
//! breaks (lines 15–30) feed sections 1–3, the 5 ways to rebuild (lines 38–46)
//! feed sections 4–5, and "get the help you need" (line 50) plus the attempt to
//! rebuild (line 32) feed section 6.
//!
//! A submission is answered under one [`Instrument`] version for good: its answers are read,
//! scored and shown with that version's bank, so a new version never rewords or rescores what
//! someone already answered. Answers are parsed at the edge into [`Answers`], which cannot hold
//! an out-of-range rating or an item of another version; [`CompleteAnswers`] is the proof that
//! every question is answered and the only thing scoring accepts.
//!
//! Any change to the items (wording, keying, sections) is a new version — see
//! `docs/scoring.md`.

mod answers;
mod bank;

pub use answers::{
    parse_section_form, AnswerError, Answers, ClientNote, CompleteAnswers, Leaning, Likert,
    Response, TrustRole,
};

use serde::{Deserialize, Serialize};

/// The version every new questionnaire is answered under (the number of
/// [`Instrument::CURRENT`]). Every stored submission records its own.
pub const INSTRUMENT_VERSION: u32 = Instrument::CURRENT.number();

/// Number of sections in every version; sections are numbered `1..=SECTION_COUNT`.
pub const SECTION_COUNT: u8 = 6;

/// A version of the item bank and its scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Instrument {
    /// 42 statements, until 2026-12. Assumed the person answering broke trust, and pooled
    /// willingness with the partner's and with openness to help (clinical review P7, P8).
    V1 = 1,
    /// 46 statements and two framing questions: who they feel broke trust, and whether they
    /// are leaning in or out (`docs/scoring.md`, "Version 2").
    V2 = 2,
}

impl Instrument {
    /// The version new questionnaires use.
    pub const CURRENT: Instrument = Instrument::V2;

    /// Every version, oldest first.
    pub const ALL: [Instrument; 2] = [Instrument::V1, Instrument::V2];

    pub const fn number(self) -> u32 {
        self as u32
    }

    /// The version a stored number names.
    pub fn from_number(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|v| i64::from(v.number()) == n)
    }

    /// The rated statements, in the order shown.
    pub fn items(self) -> &'static [Item] {
        match self {
            Instrument::V1 => &bank::ITEMS_V1,
            Instrument::V2 => &bank::ITEMS_V2,
        }
    }

    /// The questions answered by choosing one option, not by rating (none in version 1).
    pub fn framings(self) -> &'static [Framing] {
        match self {
            Instrument::V1 => &[],
            Instrument::V2 => &bank::FRAMINGS_V2,
        }
    }

    pub fn sections(self) -> &'static [Section] {
        match self {
            Instrument::V1 => &bank::SECTIONS_V1,
            Instrument::V2 => &bank::SECTIONS_V2,
        }
    }

    /// The section with this 1-based number, if any.
    pub fn section(self, number: u8) -> Option<&'static Section> {
        self.sections().iter().find(|s| s.number == number)
    }

    /// The statements of one section, in order (empty for an unknown section).
    pub fn items_in_section(self, number: u8) -> impl Iterator<Item = &'static Item> {
        self.items().iter().filter(move |i| i.section == number)
    }

    /// Every question of a section as the page asks it: its framing question first, then its
    /// statements.
    pub fn questions_in_section(self, number: u8) -> Vec<Question> {
        let framings = self.framings().iter().filter(|f| f.section == number);
        framings
            .map(Question::Framing)
            .chain(self.items_in_section(number).map(Question::Item))
            .collect()
    }

    /// Every question, in the order asked.
    pub fn questions(self) -> Vec<Question> {
        (1..=SECTION_COUNT)
            .flat_map(|s| self.questions_in_section(s))
            .collect()
    }

    /// The statement with this id, if this version has it.
    pub fn item(self, id: &str) -> Option<&'static Item> {
        self.items().iter().find(|i| i.id == id)
    }

    /// The framing question with this id, if this version has it.
    pub fn framing(self, id: &str) -> Option<&'static Framing> {
        self.framings().iter().find(|f| f.id == id)
    }

    /// The dimensions this version scores, in [`Dimension::ALL`] order.
    pub fn dimensions(self) -> Vec<Dimension> {
        Dimension::ALL
            .into_iter()
            .filter(|d| self.items().iter().any(|i| i.dimension == *d))
            .collect()
    }
}

/// Version 1's dimensions, in order (for the tests that pin version 1).
#[cfg(test)]
pub(crate) const V1_DIMENSIONS: [Dimension; 6] = [
    Dimension::Honesty,
    Dimension::Respect,
    Dimension::Connection,
    Dimension::Accountability,
    Dimension::RepairSkills,
    Dimension::Willingness,
];

/// The wording of a question id in whichever version asked it (an id is never reused for
/// other wording).
fn text_of(id: &str) -> Option<&'static str> {
    Instrument::ALL.into_iter().find_map(|v| {
        v.item(id)
            .map(|i| i.text)
            .or_else(|| v.framing(id).map(|f| f.text))
    })
}

/// Prefix of the HTML form field that carries an item's answer: `q_hon1`.
///
/// Only fields with this prefix are read as answers, so a form can carry other
/// fields (CSRF token, section number, note) without a deny-list.
pub const FIELD_PREFIX: &str = "q_";

/// What a group of items describes. Each dimension is exactly one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Telling the truth, not withholding, being clear (section 1).
    Honesty,
    /// Treating each other without blame, shame, guilt or contempt (section 2).
    Respect,
    /// Handling conflict and staying close (section 3).
    Connection,
    /// Owning one's part and one's patterns (section 4; rebuild ways 1–2).
    Accountability,
    /// Love language, communication and conflict skills (section 5; ways 3–5).
    RepairSkills,
    /// Able and willing to rebuild, and open to help (section 6 of version 1 only).
    Willingness,
    /// Their own wish and commitment to rebuild (section 6, version 2).
    OwnCommitment,
    /// What they believe of their partner's commitment (section 6, version 2). Shown, never
    /// counted in readiness: it is about someone else.
    PartnerCommitment,
    /// Openness to working with a professional (section 6, version 2).
    OpennessToHelp,
}

impl Dimension {
    /// All dimensions of every version, in section order. Results list dimensions in this
    /// order.
    pub const ALL: [Dimension; 9] = [
        Dimension::Honesty,
        Dimension::Respect,
        Dimension::Connection,
        Dimension::Accountability,
        Dimension::RepairSkills,
        Dimension::Willingness,
        Dimension::OwnCommitment,
        Dimension::PartnerCommitment,
        Dimension::OpennessToHelp,
    ];

    /// Short human label for result pages.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Honesty => "Honesty and openness",
            Dimension::Respect => "Respect",
            Dimension::Connection => "Connection",
            Dimension::Accountability => "Owning your part",
            Dimension::RepairSkills => "Skills for rebuilding",
            Dimension::Willingness => "Willingness and support",
            Dimension::OwnCommitment => "Your own commitment",
            Dimension::PartnerCommitment => "Your partner's commitment, as you see it",
            Dimension::OpennessToHelp => "Openness to support",
        }
    }

    /// Stable storage key (also the serde name). Never change one: stored
    /// results refer to it.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Honesty => "honesty",
            Dimension::Respect => "respect",
            Dimension::Connection => "connection",
            Dimension::Accountability => "accountability",
            Dimension::RepairSkills => "repair_skills",
            Dimension::Willingness => "willingness",
            Dimension::OwnCommitment => "own_commitment",
            Dimension::PartnerCommitment => "partner_commitment",
            Dimension::OpennessToHelp => "openness_to_help",
        }
    }

    /// Inverse of [`Dimension::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The section (1-based) whose items make up this dimension.
    pub fn section(self) -> u8 {
        match self {
            Dimension::Honesty => 1,
            Dimension::Respect => 2,
            Dimension::Connection => 3,
            Dimension::Accountability => 4,
            Dimension::RepairSkills => 5,
            Dimension::Willingness
            | Dimension::OwnCommitment
            | Dimension::PartnerCommitment
            | Dimension::OpennessToHelp => 6,
        }
    }
}

/// Which part of the seed article an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SeedTopic {
    /// One of the 16 ways trust breaks (1..=16, seed line 14 + k).
    TrustBreaker(u8),
    /// One of the 5 ways to rebuild trust (1..=5, seed line 36 + 2k).
    RebuildWay(u8),
    /// "Get the help you need": unable or unwilling, professional help (line 50).
    GetHelp,
    /// The article's framing of trust (lines 3–13) or of the attempt to rebuild (32).
    Foundation,
}

impl SeedTopic {
    /// The seed line this topic must cite, or `None` for [`SeedTopic::Foundation`]
    /// (which may cite any framing line) and for out-of-range numbers.
    pub fn expected_line(self) -> Option<u32> {
        match self {
            SeedTopic::TrustBreaker(k @ 1..=16) => Some(14 + u32::from(k)),
            SeedTopic::RebuildWay(k @ 1..=5) => Some(36 + 2 * u32::from(k)),
            SeedTopic::GetHelp => Some(50),
            SeedTopic::TrustBreaker(_) | SeedTopic::RebuildWay(_) | SeedTopic::Foundation => None,
        }
    }

    /// A short name for the topic, for the clinician's view and the docs.
    pub fn label(self) -> &'static str {
        match self {
            SeedTopic::TrustBreaker(k) => match k {
                1 => "Lack of honesty",
                2 => "Emotional, physical or sexual cheating",
                3 => "Blaming",
                4 => "Criticizing or judging",
                5 => "Unhealthy conflict resolution",
                6 => "Power struggle",
                7 => "Not accepting differences",
                8 => "Shaming",
                9 => "Withholding the truth",
                10 => "Guilting",
                11 => "Projecting",
                12 => "Unclear or vague communication",
                13 => "Lack of genuine intimacy",
                14 => "Not accepting the partner",
                15 => "Emotional walls",
                16 => "Unclear expectations",
                _ => "Unknown trust breaker",
            },
            SeedTopic::RebuildWay(k) => match k {
                1 => "Taking responsibility",
                2 => "Learning one's patterns",
                3 => "Partner's love language",
                4 => "Communication skills",
                5 => "Conflict resolution skills",
                _ => "Unknown rebuild way",
            },
            SeedTopic::GetHelp => "Get the help you need",
            SeedTopic::Foundation => "Trust as foundation; the attempt to rebuild",
        }
    }
}

/// Where in the seed article an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct SeedRef {
    /// 1-based line number in the seed article.
    pub line: u32,
    /// The topic of that line.
    pub topic: SeedTopic,
}

/// One statement the client rates from "Strongly disagree" to "Strongly agree".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Item {
    /// Stable id: ASCII lowercase and digits. Used as a form field name (after
    /// [`FIELD_PREFIX`]) and as a storage key, so never reuse or rename one.
    pub id: &'static str,
    /// 1-based section number.
    pub section: u8,
    /// The dimension this item scores into.
    pub dimension: Dimension,
    /// The statement shown to the client.
    pub text: &'static str,
    /// Reverse-keyed: agreeing describes more difficulty, not less.
    pub reverse: bool,
    /// The seed line this item is traced to.
    pub source: SeedRef,
    /// Whom the statement is about: the person answering, the two of them, or the partner.
    pub about: About,
    /// "Doesn't apply to me" is offered, and such an answer is left out of every mean.
    pub not_applicable: bool,
    /// Counted in its dimension's score. An unscored statement is asked and shown to the
    /// clinician only: one whose answer would count against the wrong person.
    pub scored: bool,
}

/// Whom a statement is about. Two partners' answers to an [`About::Own`] statement are about
/// two different people ("I am honest with my partner"), so they are never compared as a
/// disagreement; only [`About::Relationship`] statements describe the same thing from both
/// sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum About {
    /// The person's own actions, feelings or intentions.
    Own,
    /// The two of them together ("my partner and I", "our arguments").
    Relationship,
    /// What the person believes of their partner.
    Partner,
}

impl Item {
    /// The same item, about someone other than the person answering.
    const fn about(self, about: About) -> Self {
        Item { about, ..self }
    }

    /// The same item, asked and shown to the clinician but never counted in a score.
    const fn unscored(self) -> Self {
        Item {
            scored: false,
            ..self
        }
    }

    /// The same item, with "Doesn't apply to me" offered.
    const fn or_not_applicable(self) -> Self {
        Item {
            not_applicable: true,
            ..self
        }
    }

    /// The form field name carrying this item's answer (`q_<id>`).
    pub fn field_name(&self) -> String {
        format!("{FIELD_PREFIX}{}", self.id)
    }
}

/// A page of the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Section {
    /// 1-based section number.
    pub number: u8,
    /// Heading shown above the section's items.
    pub title: &'static str,
    /// One calm sentence introducing the section.
    pub intro: &'static str,
}

/// A question answered by choosing one of its options (1-based), not rated and not scored:
/// it frames how the rated answers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Framing {
    /// Stable id, like an item's (and never one an item uses).
    pub id: &'static str,
    /// 1-based section number; asked before that section's statements.
    pub section: u8,
    pub text: &'static str,
    /// The options, shown in this order; the answer is the option's 1-based position.
    pub options: &'static [&'static str],
    /// The seed line this question is traced to.
    pub source: SeedRef,
}

/// One question as a section page asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Framing(&'static Framing),
    Item(&'static Item),
}

impl Question {
    pub fn id(self) -> &'static str {
        match self {
            Question::Framing(f) => f.id,
            Question::Item(i) => i.id,
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Question::Framing(f) => f.text,
            Question::Item(i) => i.text,
        }
    }

    pub fn section(self) -> u8 {
        match self {
            Question::Framing(f) => f.section,
            Question::Item(i) => i.section,
        }
    }

    /// The form field name carrying its answer (`q_<id>`).
    pub fn field_name(self) -> String {
        format!("{FIELD_PREFIX}{}", self.id())
    }

    /// The answers offered, as (stored value, label), in the order shown.
    pub fn choices(self) -> Vec<(u8, &'static str)> {
        match self {
            Question::Framing(f) => (1u8..).zip(f.options.iter().copied()).collect(),
            Question::Item(i) => {
                let rated = Likert::ALL.iter().map(|l| (l.value(), l.label()));
                rated
                    .chain(i.not_applicable.then_some((0, NOT_APPLICABLE_LABEL)))
                    .collect()
            }
        }
    }

    /// Whether `response` is one this question offers.
    fn accepts(self, response: Response) -> bool {
        match (self, response) {
            (Question::Item(_), Response::Rated(_)) => true,
            (Question::Item(i), Response::NotApplicable) => i.not_applicable,
            (Question::Framing(f), Response::Chose(n)) => {
                (1..=f.options.len()).contains(&usize::from(n))
            }
            _ => false,
        }
    }

    /// The response a stored or posted number means for this question.
    fn response(self, value: i64) -> Option<Response> {
        let response = match self {
            Question::Item(_) if value == 0 => Response::NotApplicable,
            Question::Item(_) => Response::Rated(Likert::parse(value).ok()?),
            Question::Framing(_) => Response::Chose(u8::try_from(value).ok()?),
        };
        self.accepts(response).then_some(response)
    }
}

/// The label of the answer that leaves an item out of the scores.
pub const NOT_APPLICABLE_LABEL: &str = "Doesn't apply to me";
#[cfg(test)]
mod tests;

//! The intake questionnaire: the item bank, its sections, and the answers a
//! client gives to it.
//!
//! Every item is original wording for this practice and is traced to a line of
//! the practice's article on rebuilding trust (the "seed"): the 16 ways trust
//! breaks (lines 15–30) feed sections 1–3, the 5 ways to rebuild (lines 38–46)
//! feed sections 4–5, and "get the help you need" (line 50) plus the attempt to
//! rebuild (line 32) feed section 6.
//!
//! Answers are parsed at the edge into [`Likert`] and [`Answers`], which cannot
//! hold an out-of-range rating or an unknown item; [`CompleteAnswers`] is the
//! proof that every item is answered and the only thing scoring accepts.
//!
//! Any change to the items (wording, keying, sections) must bump
//! [`INSTRUMENT_VERSION`] — see `docs/scoring.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Version of the item bank and scoring formula. Every stored submission
/// records it, so a later change never reinterprets an old result.
pub const INSTRUMENT_VERSION: u32 = 1;

/// Number of sections; sections are numbered `1..=SECTION_COUNT`.
pub const SECTION_COUNT: u8 = 6;

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
    /// Able and willing to rebuild, and open to help (section 6).
    Willingness,
}

impl Dimension {
    /// All dimensions, in section order. Results list dimensions in this order.
    pub const ALL: [Dimension; 6] = [
        Dimension::Honesty,
        Dimension::Respect,
        Dimension::Connection,
        Dimension::Accountability,
        Dimension::RepairSkills,
        Dimension::Willingness,
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
            Dimension::Willingness => 6,
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

static SECTIONS: [Section; SECTION_COUNT as usize] = [
    Section {
        number: 1,
        title: "Honesty and openness",
        intro: "These statements are about how openly you and your partner share what matters to you.",
    },
    Section {
        number: 2,
        title: "How we treat each other",
        intro: "These statements are about the everyday ways you and your partner speak to and treat each other.",
    },
    Section {
        number: 3,
        title: "Conflict and closeness",
        intro: "These statements are about how you and your partner handle disagreements and stay close.",
    },
    Section {
        number: 4,
        title: "Owning my part",
        intro: "These statements invite you to look gently at your own part, without blaming yourself or anyone else.",
    },
    Section {
        number: 5,
        title: "Skills for rebuilding",
        intro: "These statements are about skills that help trust grow again; it is fine if some feel new to you.",
    },
    Section {
        number: 6,
        title: "Willingness and support",
        intro: "These last statements are about where you are right now and what support might help.",
    },
];

/// Shorthand for the item table below; keeps each row on one screen line.
const fn it(
    id: &'static str,
    section: u8,
    dimension: Dimension,
    reverse: bool,
    line: u32,
    topic: SeedTopic,
    text: &'static str,
) -> Item {
    Item {
        id,
        section,
        dimension,
        text,
        reverse,
        source: SeedRef { line, topic },
        about: About::Own,
    }
}

use Dimension::{Accountability, Connection, Honesty, RepairSkills, Respect, Willingness};
use SeedTopic::{Foundation, GetHelp, RebuildWay, TrustBreaker};

// Reverse-keyed items (`true` in the fourth column) are there so that a
// respondent who agrees with everything does not look "ready": agreeing with
// them describes more difficulty. Kept as a one-row-per-item table on purpose.
#[rustfmt::skip]
static ITEMS: [Item; 42] = [
    // 1. Honesty and openness
    it("hon1", 1, Honesty, false, 15, TrustBreaker(1), "I am honest with my partner, even when the truth is uncomfortable."),
    it("hon2", 1, Honesty, true, 15, TrustBreaker(1), "I sometimes tell my partner small untruths to avoid an argument."),
    it("hon3", 1, Honesty, false, 16, TrustBreaker(2), "I have kept to what my partner and I agreed about closeness with other people."),
    it("hon4", 1, Honesty, true, 23, TrustBreaker(9), "I sometimes keep things from my partner that they would want to know."),
    it("hon5", 1, Honesty, false, 26, TrustBreaker(12), "When something matters to me, I say it clearly rather than hinting."),
    it("hon6", 1, Honesty, true, 26, TrustBreaker(12), "I often leave my partner guessing about what I really feel or need."),
    it("hon7", 1, Honesty, false, 30, TrustBreaker(16), "My partner and I have talked openly about what we expect from each other.").about(About::Relationship),
    // 2. How we treat each other
    it("res1", 2, Respect, true, 17, TrustBreaker(3), "When something goes wrong between us, my first thought is who is to blame."),
    it("res2", 2, Respect, false, 17, TrustBreaker(3), "When we have a problem, my partner and I look at it together instead of blaming each other.").about(About::Relationship),
    it("res3", 2, Respect, false, 18, TrustBreaker(4), "I can raise a concern without criticizing who my partner is as a person."),
    it("res4", 2, Respect, true, 22, TrustBreaker(8), "In arguments, I sometimes say things that make my partner feel ashamed."),
    it("res5", 2, Respect, true, 24, TrustBreaker(10), "I sometimes use guilt to get my partner to do what I want."),
    it("res6", 2, Respect, true, 25, TrustBreaker(11), "I sometimes react to my partner as if they were someone who hurt me before."),
    it("res7", 2, Respect, false, 28, TrustBreaker(14), "I accept my partner as they are, not only as I wish they were."),
    // 3. Conflict and closeness
    it("con1", 3, Connection, false, 19, TrustBreaker(5), "When we disagree, my partner and I can usually work it out in the end.").about(About::Relationship),
    it("con2", 3, Connection, true, 19, TrustBreaker(5), "Our arguments often go round in circles without being settled.").about(About::Relationship),
    it("con3", 3, Connection, true, 20, TrustBreaker(6), "Our disagreements often feel like a contest that one of us has to win.").about(About::Relationship),
    it("con4", 3, Connection, false, 21, TrustBreaker(7), "I can accept that my partner sees some things differently from me."),
    it("con5", 3, Connection, false, 27, TrustBreaker(13), "I feel genuinely close to my partner, emotionally and physically."),
    it("con6", 3, Connection, true, 29, TrustBreaker(15), "I put up walls so my partner can't see how I really feel."),
    it("con7", 3, Connection, false, 7, Foundation, "I feel safe being myself around my partner."),
    // 4. Owning my part
    it("acc1", 4, Accountability, false, 38, RebuildWay(1), "I can name things I did that hurt trust between us, even if I didn't mean to."),
    it("acc2", 4, Accountability, false, 38, RebuildWay(1), "I am willing to take responsibility for my part without making excuses."),
    it("acc3", 4, Accountability, true, 38, RebuildWay(1), "I find it hard to see any part I played in our trust problems."),
    it("acc4", 4, Accountability, false, 40, RebuildWay(2), "I want to understand the habits of mine that added to our trust problems."),
    it("acc5", 4, Accountability, false, 40, RebuildWay(2), "I can see patterns from my past that show up in how I act with my partner."),
    it("acc6", 4, Accountability, true, 40, RebuildWay(2), "I would rather move on than look at why things went wrong between us."),
    // 5. Skills for rebuilding
    it("rep1", 5, RepairSkills, false, 42, RebuildWay(3), "I know what makes my partner feel most loved and cared for."),
    it("rep2", 5, RepairSkills, false, 42, RebuildWay(3), "I make an effort to show care in the way my partner likes best."),
    it("rep3", 5, RepairSkills, false, 44, RebuildWay(4), "I can listen to my partner without interrupting or getting defensive."),
    it("rep4", 5, RepairSkills, false, 44, RebuildWay(4), "I can share a hard feeling with my partner calmly and clearly."),
    it("rep5", 5, RepairSkills, true, 46, RebuildWay(5), "Once an argument starts, I don't know how to calm it down."),
    it("rep6", 5, RepairSkills, false, 46, RebuildWay(5), "When we argue, I can take a break and come back to it calmly."),
    it("rep7", 5, RepairSkills, false, 46, RebuildWay(5), "My partner and I have ways to make up and repair things after a fight.").about(About::Relationship),
    // 6. Willingness and support
    it("wil1", 6, Willingness, false, 32, Foundation, "I want to try to rebuild trust in this relationship."),
    it("wil2", 6, Willingness, false, 50, GetHelp, "I feel able to work on rebuilding trust right now."),
    it("wil3", 6, Willingness, true, 50, GetHelp, "Right now, I'm not sure I'm willing to try to rebuild trust."),
    it("wil4", 6, Willingness, false, 50, GetHelp, "I believe my partner wants to rebuild trust with me.").about(About::Partner),
    it("wil5", 6, Willingness, true, 50, GetHelp, "I worry my partner may not be able to trust again, whatever we do.").about(About::Partner),
    it("wil6", 6, Willingness, false, 32, Foundation, "I am committed to this relationship, even while things are hard."),
    it("wil7", 6, Willingness, false, 50, GetHelp, "I am open to working with a couples therapist."),
    it("wil8", 6, Willingness, true, 50, GetHelp, "I would rather not involve a professional in our relationship."),
];

/// All sections, in order.
pub fn sections() -> &'static [Section] {
    &SECTIONS
}

/// The section with this 1-based number, if any.
pub fn section(number: u8) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.number == number)
}

/// All items, in the order they are shown.
pub fn items() -> &'static [Item] {
    &ITEMS
}

/// The items of one section, in order (empty for an unknown section).
pub fn items_in_section(number: u8) -> impl Iterator<Item = &'static Item> {
    ITEMS.iter().filter(move |i| i.section == number)
}

/// The item with this id, if any.
pub fn item(id: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.id == id)
}

/// Why an answer could not be accepted. `Display` is written for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// A field named like an answer refers to no item of this section.
    UnknownItem(String),
    /// A number outside 1..=5. `item` is empty when no item is known yet
    /// (from [`Likert::parse`] alone).
    OutOfRange {
        /// The item id, or empty.
        item: String,
        /// The value received.
        value: i64,
    },
    /// A value that is not a whole number.
    NotANumber {
        /// The item id.
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
                match self::item(item) {
                    Some(i) => write!(
                        f,
                        "Please choose one of the five options for “{}”.",
                        i.text.trim_end_matches('.')
                    ),
                    None => f.write_str("Please choose one of the five options."),
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

/// A partial set of answers (item id → rating) that can only contain known
/// items. Deserializing checks this too, so stored JSON can't smuggle one in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<String, Likert>")]
pub struct Answers(BTreeMap<String, Likert>);

impl TryFrom<BTreeMap<String, Likert>> for Answers {
    type Error = AnswerError;
    fn try_from(map: BTreeMap<String, Likert>) -> Result<Self, Self::Error> {
        match map.keys().find(|id| item(id).is_none()) {
            Some(id) => Err(AnswerError::UnknownItem(id.clone())),
            None => Ok(Answers(map)),
        }
    }
}

impl Answers {
    /// No answers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record (or replace) the answer to an item.
    pub fn set(&mut self, item_id: &str, v: Likert) -> Result<(), AnswerError> {
        let item = item(item_id).ok_or_else(|| AnswerError::UnknownItem(item_id.to_owned()))?;
        self.0.insert(item.id.to_owned(), v);
        Ok(())
    }

    /// The answer to an item, if given.
    pub fn get(&self, id: &str) -> Option<Likert> {
        self.0.get(id).copied()
    }

    /// Answered items with their ratings, in questionnaire order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Item, Likert)> + '_ {
        ITEMS
            .iter()
            .filter_map(move |i| self.get(i.id).map(|v| (i, v)))
    }

    /// Number of answered items.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing is answered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Add `other`'s answers; where both answer an item, `other` wins (it is
    /// the newer page the client just submitted).
    pub fn merge(&mut self, other: &Answers) {
        self.0.extend(other.0.iter().map(|(k, v)| (k.clone(), *v)));
    }

    /// Items of a section that are not yet answered, in order.
    pub fn missing_in_section(&self, number: u8) -> Vec<&'static Item> {
        items_in_section(number)
            .filter(|i| !self.0.contains_key(i.id))
            .collect()
    }

    /// The first section with an unanswered item, if any — where a returning
    /// client should resume.
    pub fn first_incomplete_section(&self) -> Option<u8> {
        ITEMS
            .iter()
            .find(|i| !self.0.contains_key(i.id))
            .map(|i| i.section)
    }

    /// Prove every item is answered, or list the missing items in order.
    pub fn complete(&self) -> Result<CompleteAnswers, Vec<&'static Item>> {
        let missing: Vec<&'static Item> = ITEMS
            .iter()
            .filter(|i| !self.0.contains_key(i.id))
            .collect();
        if missing.is_empty() {
            Ok(CompleteAnswers(self.clone()))
        } else {
            Err(missing)
        }
    }
}

/// Proof that every item is answered; the only input scoring accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompleteAnswers(Answers);

impl CompleteAnswers {
    /// The answers.
    pub fn answers(&self) -> &Answers {
        &self.0
    }

    /// Give the answers back.
    pub fn into_answers(self) -> Answers {
        self.0
    }

    /// The rating of an item. Every item is answered, so this is `Some` for
    /// every known id.
    pub fn get(&self, id: &str) -> Option<Likert> {
        self.0.get(id)
    }
}

/// Parse one section's submitted form into answers.
///
/// Only fields named `q_<id>` ([`FIELD_PREFIX`]) are answers; other fields are
/// ignored. An empty value means "not answered yet" and is skipped. A `q_`
/// field naming no item of *this* section is [`AnswerError::UnknownItem`], so
/// a page can never write answers for another page. All errors are collected,
/// so the page can show them together. If a field repeats, the last one wins.
pub fn parse_section_form(
    section: u8,
    pairs: impl IntoIterator<Item = (String, String)>,
) -> Result<Answers, Vec<AnswerError>> {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for (name, value) in pairs {
        let Some(id) = name.strip_prefix(FIELD_PREFIX) else {
            continue;
        };
        let Some(item) = item(id).filter(|i| i.section == section) else {
            errors.push(AnswerError::UnknownItem(id.to_owned()));
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let parsed = value
            .parse::<i64>()
            .map_err(|_| AnswerError::NotANumber {
                item: item.id.to_owned(),
            })
            .and_then(|n| {
                Likert::parse(n).map_err(|_| AnswerError::OutOfRange {
                    item: item.id.to_owned(),
                    value: n,
                })
            });
        match parsed {
            Ok(v) => {
                answers.0.insert(item.id.to_owned(), v);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all_answered(v: u8) -> Answers {
        let mut a = Answers::new();
        for i in items() {
            a.set(i.id, Likert::ALL[usize::from(v - 1)]).unwrap();
        }
        a
    }

    #[test]
    fn six_sections_in_order_with_5_to_8_items_each() {
        assert_eq!(sections().len(), usize::from(SECTION_COUNT));
        for (idx, s) in sections().iter().enumerate() {
            assert_eq!(usize::from(s.number), idx + 1);
            let n = items_in_section(s.number).count();
            assert!((5..=8).contains(&n), "section {} has {n} items", s.number);
            assert!(!s.intro.is_empty() && s.intro.ends_with('.'));
        }
        assert!((36..=42).contains(&items().len()));
        assert!(section(0).is_none() && section(7).is_none());
        assert_eq!(items_in_section(7).count(), 0);
    }

    #[test]
    fn items_are_grouped_by_section_and_dimension_matches_section() {
        let mut last = 0;
        for i in items() {
            assert!(i.section >= last, "{} out of order", i.id);
            last = i.section;
            assert_eq!(i.dimension.section(), i.section, "{}", i.id);
        }
    }

    #[test]
    fn ids_are_unique_short_ascii_lowercase_and_digits() {
        let mut seen = HashSet::new();
        for i in items() {
            assert!(seen.insert(i.id), "duplicate id {}", i.id);
            assert!(!i.id.is_empty() && i.id.len() <= 8, "{}", i.id);
            assert!(
                i.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{}",
                i.id
            );
            assert!(i.id.as_bytes()[0].is_ascii_lowercase(), "{}", i.id);
            assert_eq!(item(i.id), Some(i));
            assert_eq!(i.field_name(), format!("q_{}", i.id));
        }
        assert!(item("nope").is_none());
    }

    #[test]
    fn every_trust_breaker_is_covered_by_sections_1_to_3() {
        for k in 1..=16u8 {
            assert!(
                items()
                    .iter()
                    .any(|i| i.section <= 3 && i.source.topic == SeedTopic::TrustBreaker(k)),
                "trust breaker {k} not covered"
            );
        }
    }

    #[test]
    fn every_rebuild_way_is_covered_by_sections_4_and_5() {
        for k in 1..=5u8 {
            assert!(
                items()
                    .iter()
                    .any(|i| (4..=5).contains(&i.section)
                        && i.source.topic == SeedTopic::RebuildWay(k)),
                "rebuild way {k} not covered"
            );
        }
    }

    #[test]
    fn seed_lines_match_topics() {
        for i in items() {
            let SeedRef { line, topic } = i.source;
            match topic {
                SeedTopic::TrustBreaker(k) => {
                    assert!((1..=16).contains(&k), "{}", i.id);
                    assert_eq!(line, 14 + u32::from(k), "{}", i.id);
                    assert!(i.section <= 3, "{}", i.id);
                }
                SeedTopic::RebuildWay(k) => {
                    assert!((1..=5).contains(&k), "{}", i.id);
                    assert_eq!(line, 36 + 2 * u32::from(k), "{}", i.id);
                    assert!((4..=5).contains(&i.section), "{}", i.id);
                }
                SeedTopic::GetHelp => {
                    assert_eq!(line, 50, "{}", i.id);
                    assert_eq!(i.dimension, Dimension::Willingness, "{}", i.id);
                }
                SeedTopic::Foundation => {
                    assert!((3..=13).contains(&line) || line == 32, "{}", i.id)
                }
            }
            assert_eq!(topic.expected_line().unwrap_or(line), line);
        }
    }

    #[test]
    fn willingness_items_trace_to_get_help_or_the_attempt_to_rebuild() {
        for i in items_in_section(6) {
            assert!(
                i.source.line == 50 || i.source.line == 32,
                "{} traces to line {}",
                i.id,
                i.source.line
            );
        }
        // The "unable or unwilling" case is asked about both for the
        // respondent and as they see their partner, plus professional help.
        for id in ["wil2", "wil3", "wil4", "wil5", "wil7"] {
            assert_eq!(item(id).unwrap().source.topic, SeedTopic::GetHelp);
        }
    }

    #[test]
    fn enough_reverse_keyed_items_spread_over_sections() {
        let reversed: Vec<_> = items().iter().filter(|i| i.reverse).collect();
        assert!(reversed.len() >= 8);
        let sections: HashSet<u8> = reversed.iter().map(|i| i.section).collect();
        assert!(sections.len() >= 4, "reverse items only in {sections:?}");
    }

    #[test]
    fn texts_are_short_plain_first_person_statements() {
        for i in items() {
            let t = i.text;
            assert!(t.chars().count() <= 110, "{} is too long", i.id);
            assert!(t.ends_with('.'), "{} should be a statement", i.id);
            assert!(!t.contains('?'), "{}", i.id);
            let lower = format!(" {} ", t.to_lowercase());
            assert!(
                [" i ", " i'm ", " my ", " me ", " our ", " we ", " us"]
                    .iter()
                    .any(|w| lower.contains(w)),
                "{} is not first person",
                i.id
            );
        }
        let texts: HashSet<_> = items().iter().map(|i| i.text).collect();
        assert_eq!(texts.len(), items().len(), "duplicate wording");
    }

    #[test]
    fn scoring_doc_lists_every_item_as_in_the_bank() {
        // docs/scoring.md is the written formula; keep its item table honest.
        let doc = include_str!("../../docs/scoring.md");
        let table = doc.split("## All items").nth(1).unwrap_or_default();
        let rows = table.lines().filter(|l| l.starts_with("| `")).count();
        assert_eq!(rows, items().len(), "item table rows");
        for i in items() {
            let row = format!(
                "| `{}` | {} | {:?} | {} | {} | {} — {} | {} |",
                i.id,
                i.section,
                i.dimension,
                if i.reverse { "yes" } else { "no" },
                i.source.line,
                match i.source.topic {
                    SeedTopic::TrustBreaker(k) => format!("TrustBreaker({k})"),
                    SeedTopic::RebuildWay(k) => format!("RebuildWay({k})"),
                    t => format!("{t:?}"),
                },
                i.source.topic.label(),
                i.text,
            );
            assert!(
                doc.contains(&row),
                "docs/scoring.md is missing or differs: {row}"
            );
        }
        let reversed: Vec<String> = items()
            .iter()
            .filter(|i| i.reverse)
            .map(|i| format!("`{}`", i.id))
            .collect();
        assert!(
            doc.contains(&format!("{}.", reversed.join(", "))),
            "reversed list"
        );
        assert!(doc.contains(&format!("INSTRUMENT_VERSION = {INSTRUMENT_VERSION}")));
    }

    #[test]
    fn dimension_keys_round_trip_and_match_serde() {
        use serde::de::{value::Error, IntoDeserializer};
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
            let de: Result<Dimension, Error> =
                Dimension::deserialize(d.as_str().into_deserializer());
            assert_eq!(de, Ok(d), "serde name of {d:?} must equal as_str");
            assert!(items().iter().any(|i| i.dimension == d));
        }
        assert_eq!(Dimension::parse("Honesty"), None);
    }

    #[test]
    fn deserializing_revalidates() {
        use serde::de::{value::Error, value::MapDeserializer, IntoDeserializer};
        let ok: Result<Likert, Error> = Likert::deserialize(4i64.into_deserializer());
        assert_eq!(ok.map(Likert::value), Ok(4));
        let bad: Result<Likert, Error> = Likert::deserialize(6i64.into_deserializer());
        assert!(bad.is_err());

        let good = vec![("hon1".to_string(), 3i64), ("wil8".to_string(), 1)];
        let a: Result<Answers, Error> =
            Answers::deserialize(MapDeserializer::new(good.into_iter()));
        assert_eq!(a.map(|a| a.len()), Ok(2));
        let unknown = vec![("hon1".to_string(), 3i64), ("evil".to_string(), 1)];
        let a: Result<Answers, Error> =
            Answers::deserialize(MapDeserializer::new(unknown.into_iter()));
        assert!(a.is_err());
        let out_of_range = vec![("hon1".to_string(), 0i64)];
        let a: Result<Answers, Error> =
            Answers::deserialize(MapDeserializer::new(out_of_range.into_iter()));
        assert!(a.is_err());

        let n: Result<ClientNote, Error> =
            ClientNote::deserialize(" hi ".to_string().into_deserializer());
        assert_eq!(n.map(|n| n.as_str().to_owned()), Ok("hi".to_owned()));
        let n: Result<ClientNote, Error> =
            ClientNote::deserialize("  ".to_string().into_deserializer());
        assert!(n.is_err());
        let long = "x".repeat(ClientNote::MAX_CHARS + 1);
        let n: Result<ClientNote, Error> = ClientNote::deserialize(long.into_deserializer());
        assert!(n.is_err());
    }

    #[test]
    fn likert_accepts_only_1_to_5() {
        for v in 1..=5 {
            assert_eq!(Likert::parse(v).unwrap().value(), v as u8);
        }
        for v in [i64::MIN, -1, 0, 6, 255, 256, 261, i64::MAX] {
            assert_eq!(
                Likert::parse(v),
                Err(AnswerError::OutOfRange {
                    item: String::new(),
                    value: v
                })
            );
        }
        let labels: Vec<_> = Likert::ALL.iter().map(|l| l.label()).collect();
        assert_eq!(labels[0], "Strongly disagree");
        assert_eq!(labels[4], "Strongly agree");
        assert!(Likert::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn answers_accept_only_known_items() {
        let mut a = Answers::new();
        assert!(a.is_empty());
        a.set("hon1", Likert::ALL[3]).unwrap();
        assert_eq!(a.get("hon1"), Some(Likert::ALL[3]));
        assert_eq!(
            a.set("zzz1", Likert::ALL[0]),
            Err(AnswerError::UnknownItem("zzz1".into()))
        );
        assert_eq!(a.len(), 1);
        a.set("hon1", Likert::ALL[0]).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a.get("hon1"), Some(Likert::ALL[0]));
    }

    #[test]
    fn answers_iterate_in_questionnaire_order() {
        let mut a = Answers::new();
        a.set("wil1", Likert::ALL[0]).unwrap();
        a.set("acc1", Likert::ALL[0]).unwrap();
        a.set("hon2", Likert::ALL[0]).unwrap();
        let ids: Vec<_> = a.iter().map(|(i, _)| i.id).collect();
        assert_eq!(ids, ["hon2", "acc1", "wil1"]);
    }

    #[test]
    fn merge_prefers_the_newer_answers() {
        let mut old = Answers::new();
        old.set("hon1", Likert::ALL[0]).unwrap();
        old.set("hon2", Likert::ALL[0]).unwrap();
        let mut new = Answers::new();
        new.set("hon2", Likert::ALL[4]).unwrap();
        new.set("res1", Likert::ALL[2]).unwrap();
        old.merge(&new);
        assert_eq!(old.len(), 3);
        assert_eq!(old.get("hon1"), Some(Likert::ALL[0]));
        assert_eq!(old.get("hon2"), Some(Likert::ALL[4]));
        assert_eq!(old.get("res1"), Some(Likert::ALL[2]));
    }

    #[test]
    fn progress_and_completion() {
        let mut a = Answers::new();
        assert_eq!(a.first_incomplete_section(), Some(1));
        assert_eq!(a.missing_in_section(1).len(), items_in_section(1).count());
        for i in items_in_section(1) {
            a.set(i.id, Likert::ALL[2]).unwrap();
        }
        assert!(a.missing_in_section(1).is_empty());
        assert_eq!(a.first_incomplete_section(), Some(2));
        let missing = a.complete().unwrap_err();
        assert_eq!(missing.len(), items().len() - items_in_section(1).count());
        assert_eq!(missing[0].section, 2);

        let full = all_answered(3);
        assert_eq!(full.first_incomplete_section(), None);
        let c = full.complete().unwrap();
        assert_eq!(c.answers(), &full);
        assert_eq!(c.get("wil8"), Some(Likert::ALL[2]));
        assert_eq!(c.into_answers(), full);
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn section_form_parses_answers_and_ignores_other_fields() {
        let a = parse_section_form(
            1,
            pairs(&[
                ("q_hon1", "5"),
                ("q_hon2", " 2 "),
                ("q_hon3", ""),
                ("csrf", "abc"),
                ("section", "1"),
                ("note", "hello"),
            ]),
        )
        .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a.get("hon1").map(Likert::value), Some(5));
        assert_eq!(a.get("hon2").map(Likert::value), Some(2));
        assert_eq!(a.get("hon3"), None);
    }

    #[test]
    fn section_form_collects_every_error() {
        let errs = parse_section_form(
            1,
            pairs(&[
                ("q_hon1", "6"),
                ("q_hon2", "three"),
                ("q_nope", "3"),
                ("q_res1", "3"),
                ("q_hon4", "2.5"),
                ("q_hon5", "4"),
            ]),
        )
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                AnswerError::OutOfRange {
                    item: "hon1".into(),
                    value: 6
                },
                AnswerError::NotANumber {
                    item: "hon2".into()
                },
                AnswerError::UnknownItem("nope".into()),
                AnswerError::UnknownItem("res1".into()),
                AnswerError::NotANumber {
                    item: "hon4".into()
                },
            ]
        );
    }

    #[test]
    fn section_form_rejects_another_sections_items_even_when_empty() {
        let errs = parse_section_form(2, pairs(&[("q_hon1", "")])).unwrap_err();
        assert_eq!(errs, vec![AnswerError::UnknownItem("hon1".into())]);
    }

    #[test]
    fn error_messages_are_client_friendly() {
        let e = AnswerError::OutOfRange {
            item: "hon1".into(),
            value: 9,
        };
        let msg = e.to_string();
        assert!(msg.starts_with("Please choose one of the five options"));
        assert!(msg.contains("I am honest with my partner"));
        assert!(!msg.contains("hon1"), "internal ids stay internal");
        assert_eq!(
            Likert::parse(0).unwrap_err().to_string(),
            "Please choose one of the five options."
        );
        assert!(AnswerError::NoteTooLong { max: 2000 }
            .to_string()
            .contains("2000 characters"));
        assert!(!AnswerError::UnknownItem("x".into()).to_string().is_empty());
    }

    #[test]
    fn client_note_is_trimmed_cleaned_and_bounded() {
        assert_eq!(ClientNote::parse("").unwrap(), None);
        assert_eq!(ClientNote::parse("  \n\t ").unwrap(), None);
        let n = ClientNote::parse("  We argue\r\nabout money.\0 ")
            .unwrap()
            .unwrap();
        assert_eq!(n.as_str(), "We argue\nabout money.");
        let max = "é".repeat(ClientNote::MAX_CHARS);
        assert_eq!(
            ClientNote::parse(&max)
                .unwrap()
                .unwrap()
                .as_str()
                .chars()
                .count(),
            ClientNote::MAX_CHARS
        );
        assert_eq!(
            ClientNote::parse(&format!("{max}x")),
            Err(AnswerError::NoteTooLong {
                max: ClientNote::MAX_CHARS
            })
        );
        // Surrounding whitespace does not count against the limit.
        assert!(ClientNote::parse(&format!("   {max}   "))
            .unwrap()
            .is_some());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn likert_parse_never_panics_and_is_exact(v in any::<i64>()) {
                match Likert::parse(v) {
                    Ok(l) => prop_assert!((1..=5).contains(&v) && i64::from(l.value()) == v),
                    Err(_) => prop_assert!(!(1..=5).contains(&v)),
                }
            }

            #[test]
            fn section_form_never_panics(
                section in 0u8..=8,
                fields in proptest::collection::vec((".{0,8}", ".{0,6}"), 0..12),
            ) {
                let fields: Vec<(String, String)> = fields
                    .into_iter()
                    .map(|(n, v)| (format!("q_{n}"), v))
                    .collect();
                if let Ok(a) = parse_section_form(section, fields) {
                    for (i, _) in a.iter() {
                        prop_assert_eq!(i.section, section);
                    }
                }
            }

            #[test]
            fn client_note_never_panics_and_respects_limit(s in ".{0,2100}") {
                if let Ok(Some(n)) = ClientNote::parse(&s) {
                    prop_assert!(!n.as_str().is_empty());
                    prop_assert!(n.as_str().chars().count() <= ClientNote::MAX_CHARS);
                    prop_assert_eq!(n.as_str().trim(), n.as_str());
                    prop_assert!(!n.as_str().contains('\0'));
                }
            }
        }
    }
}

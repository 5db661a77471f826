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
mod tests;

//! The private safety check-in: its questions, a person's answers, and the flag and hold a
//! positive answer puts on joint booking. Everything here redacts itself in `Debug`.

use super::*;

// Safety screen

/// Prefix of the form fields carrying safety answers: `s_afraid`.
///
/// Distinct from the questionnaire's `q_`, so neither parser ever reads the
/// other's fields.
pub const SAFETY_FIELD_PREFIX: &str = "s_";

/// Which set of questions a check-in asked. Stored with every check-in, so an answer is always
/// read against the questions it answered; version 1 check-ins stay readable as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CheckInVersion {
    /// Five questions (fear, hurt, threats, control, being forced), until 2026-12.
    V1 = 1,
    /// Fourteen questions that separate what predicts serious harm (`docs/safety.md`).
    V2 = 2,
}

impl CheckInVersion {
    /// The version every new check-in asks.
    pub const CURRENT: CheckInVersion = CheckInVersion::V2;

    pub fn number(self) -> i32 {
        self as i32
    }

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(CheckInVersion::V1),
            2 => Some(CheckInVersion::V2),
            _ => None,
        }
    }

    /// Its questions, in the order shown: the same for everyone, whatever they answer.
    pub fn items(self) -> &'static [SafetyItem] {
        match self {
            CheckInVersion::V1 => &SafetyItem::V1,
            CheckInVersion::V2 => &SafetyItem::V2,
        }
    }
}

/// One question of the private check-in (of either version; an id is never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyItem {
    /// Fear of the partner (versions 1 and 2).
    Afraid,
    /// Being physically hurt, choking included (version 1).
    Hurt,
    /// Being threatened (version 1).
    Threatened,
    /// Being controlled or monitored (versions 1 and 2).
    Controlled,
    /// Being forced into anything, sexual or otherwise (version 1).
    Forced,
    /// Being put down or humiliated.
    PutDown,
    /// Being hit or physically hurt, the neck aside.
    Hit,
    /// Pressure on the neck, choking or strangling.
    Neck,
    /// Threats to hurt them, a child, someone else or a pet.
    Threat,
    /// Threats to kill them.
    Kill,
    /// Being threatened with a weapon.
    Weapon,
    /// The partner has or can get a gun.
    Gun,
    /// Things getting more frequent or more serious.
    Worse,
    /// Sexual pressure or force.
    Sex,
    /// Worry for a child's safety.
    Children,
    /// Their own use of violence or threats.
    Own,
    /// Whether they could speak freely with the partner in the room.
    JointSafe,
}

/// The answers most questions offer.
const YES_NO: &[SafetyAnswer] = &[
    SafetyAnswer::Yes,
    SafetyAnswer::No,
    SafetyAnswer::RatherNotSay,
];

impl SafetyItem {
    /// Version 1's questions, in the order shown.
    pub const V1: [SafetyItem; 5] = [
        SafetyItem::Afraid,
        SafetyItem::Hurt,
        SafetyItem::Threatened,
        SafetyItem::Controlled,
        SafetyItem::Forced,
    ];

    /// Version 2's questions, in the order shown (`docs/safety.md`, "The questions").
    pub const V2: [SafetyItem; 14] = [
        SafetyItem::Afraid,
        SafetyItem::PutDown,
        SafetyItem::Controlled,
        SafetyItem::Hit,
        SafetyItem::Neck,
        SafetyItem::Threat,
        SafetyItem::Kill,
        SafetyItem::Weapon,
        SafetyItem::Gun,
        SafetyItem::Worse,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
        SafetyItem::JointSafe,
    ];

    /// Version 1's questions (kept under their old name for the code that reads old check-ins).
    pub const ALL: [SafetyItem; 5] = SafetyItem::V1;

    /// Every id of every version.
    const EVERY: [SafetyItem; 17] = [
        SafetyItem::Afraid,
        SafetyItem::Hurt,
        SafetyItem::Threatened,
        SafetyItem::Controlled,
        SafetyItem::Forced,
        SafetyItem::PutDown,
        SafetyItem::Hit,
        SafetyItem::Neck,
        SafetyItem::Threat,
        SafetyItem::Kill,
        SafetyItem::Weapon,
        SafetyItem::Gun,
        SafetyItem::Worse,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
        SafetyItem::JointSafe,
    ];

    /// Stable id (also the serde name and the storage key). Never reuse one.
    pub fn id(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "afraid",
            SafetyItem::Hurt => "hurt",
            SafetyItem::Threatened => "threatened",
            SafetyItem::Controlled => "controlled",
            SafetyItem::Forced => "forced",
            SafetyItem::PutDown => "put_down",
            SafetyItem::Hit => "hit",
            SafetyItem::Neck => "neck",
            SafetyItem::Threat => "threat",
            SafetyItem::Kill => "kill",
            SafetyItem::Weapon => "weapon",
            SafetyItem::Gun => "gun",
            SafetyItem::Worse => "worse",
            SafetyItem::Sex => "sex",
            SafetyItem::Children => "children",
            SafetyItem::Own => "own",
            SafetyItem::JointSafe => "joint_safe",
        }
    }

    /// Inverse of [`SafetyItem::id`].
    pub fn parse(id: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|i| i.id() == id)
    }

    /// The form field carrying this question's answer (`s_<id>`).
    pub fn field_name(self) -> String {
        format!("{SAFETY_FIELD_PREFIX}{}", self.id())
    }

    /// The question shown to the person, alone, on their own device.
    pub fn question(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "In the past year, have you felt afraid of your partner?",
            SafetyItem::Hurt => "In the past year, has your partner hit, pushed, choked or otherwise physically hurt you?",
            SafetyItem::Threatened => "In the past year, has your partner threatened to hurt you, or someone or something you care about?",
            SafetyItem::Controlled => "Does your partner control or keep watch on where you go, who you see, your phone or messages, or your money?",
            SafetyItem::Forced => "In the past year, has your partner forced you into anything you did not want, sexual or otherwise?",
            SafetyItem::PutDown => "In the past year, has your partner often made you feel small, for example by insulting you, mocking you or calling you names?",
            SafetyItem::Hit => "In the past year, has your partner hit, slapped, kicked or pushed you, or physically hurt you in any other way?",
            SafetyItem::Neck => "Has your partner ever put their hands or anything else around your neck, choked you or strangled you?",
            SafetyItem::Threat => "In the past year, has your partner threatened to hurt you, a child, someone else you care about, or a pet?",
            SafetyItem::Kill => "Has your partner ever threatened to kill you?",
            SafetyItem::Weapon => "Has your partner ever threatened you with a gun, a knife or another weapon?",
            SafetyItem::Gun => "Does your partner own a gun, or could they easily get one?",
            SafetyItem::Worse => "In the past year, have the things your partner does that scare you been happening more often, or getting more serious?",
            SafetyItem::Sex => "In the past year, has your partner pressured or forced you into sexual activity you did not want?",
            SafetyItem::Children => "Are you worried about the safety of any child who lives with you or spends time in your home?",
            SafetyItem::Own => "In the past year, have you pushed, hit or physically hurt your partner, or threatened to?",
            SafetyItem::JointSafe => "If your partner were in the room, would you feel safe saying what you really think?",
        }
    }

    /// The answers offered, in the order shown. Every question offers "I'd rather not say".
    pub fn choices(self) -> &'static [SafetyAnswer] {
        use SafetyAnswer::*;
        match self {
            SafetyItem::Gun => &[Yes, No, DontKnow, RatherNotSay],
            SafetyItem::Worse => &[Yes, No, NotApplicable, RatherNotSay],
            SafetyItem::JointSafe => &[Yes, No, NotSure, RatherNotSay],
            _ => YES_NO,
        }
    }

    /// Whether `answer` is a concern (something a clinician should hear about in private):
    /// "Yes", except for [`SafetyItem::JointSafe`], where "No" or "I'm not sure" is.
    pub fn is_concern(self, answer: SafetyAnswer) -> bool {
        match self {
            SafetyItem::JointSafe => matches!(answer, SafetyAnswer::No | SafetyAnswer::NotSure),
            _ => answer == SafetyAnswer::Yes,
        }
    }
}

/// An answer to a check-in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAnswer {
    Yes,
    No,
    /// "I'd rather not say": counts as positive (see [`SafetyAnswer::is_positive`]).
    RatherNotSay,
    /// "I don't know" (whether the partner has a gun).
    DontKnow,
    /// "I'm not sure" (whether it would feel safe to speak openly).
    NotSure,
    /// "This doesn't apply to me" (things getting worse, when nothing scares them).
    NotApplicable,
}

impl SafetyAnswer {
    /// Every answer; the first three are version 1's.
    pub const ALL: [SafetyAnswer; 6] = [
        SafetyAnswer::Yes,
        SafetyAnswer::No,
        SafetyAnswer::RatherNotSay,
        SafetyAnswer::DontKnow,
        SafetyAnswer::NotSure,
        SafetyAnswer::NotApplicable,
    ];

    /// Stable key: the form value, the serde name and the storage key.
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "yes",
            SafetyAnswer::No => "no",
            SafetyAnswer::RatherNotSay => "rather_not_say",
            SafetyAnswer::DontKnow => "dont_know",
            SafetyAnswer::NotSure => "not_sure",
            SafetyAnswer::NotApplicable => "not_applicable",
        }
    }

    /// Inverse of [`SafetyAnswer::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The wording beside the option.
    pub fn label(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "Yes",
            SafetyAnswer::No => "No",
            SafetyAnswer::RatherNotSay => "I'd rather not say",
            SafetyAnswer::DontKnow => "I don't know",
            SafetyAnswer::NotSure => "I'm not sure",
            SafetyAnswer::NotApplicable => "This doesn't apply to me",
        }
    }

    /// Whether this answer, to a version 1 question, made the check-in positive: "Yes", and
    /// also "I'd rather not say".
    ///
    /// Someone who is afraid or watched may not feel safe answering, and a
    /// screen that reads their silence as "no" would open joint sessions in
    /// exactly the case where they are most dangerous. The cost of counting it
    /// is a private check-in by a clinician; the cost of not counting it can
    /// be harm. The clinician still sees which answers were "rather not say".
    pub fn is_positive(self) -> bool {
        matches!(self, SafetyAnswer::Yes | SafetyAnswer::RatherNotSay)
    }
}

/// How soon a clinician should make private contact after a check-in: the rules and the reason
/// for each are in `docs/safety.md` ("The two tiers"), judgement calls to revisit with
/// clinicians.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckInTier {
    /// Something disclosed that predicts serious harm: review the same day.
    Urgent,
    /// A concern, or "I'd rather not say": review within the practice's ordinary target.
    Positive,
}

impl CheckInTier {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInTier::Urgent => "urgent",
            CheckInTier::Positive => "positive",
        }
    }
}

/// A person's private check-in: the version asked and an answer to each of its questions.
/// Redacted in `Debug`; stored as its answers (`{"afraid":"no",…}`) beside its version.
#[derive(Clone, PartialEq, Eq)]
pub struct SafetyScreen {
    version: CheckInVersion,
    answers: std::collections::BTreeMap<SafetyItem, SafetyAnswer>,
}

impl fmt::Debug for SafetyScreen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafetyScreen(<redacted>)")
    }
}

impl SafetyScreen {
    /// A version 1 check-in from an answer per question.
    pub fn from_fn(answer: impl FnMut(SafetyItem) -> SafetyAnswer) -> Self {
        Self::of_version(CheckInVersion::V1, answer)
    }

    /// A check-in of `version` from an answer per question.
    pub fn of_version(
        version: CheckInVersion,
        mut answer: impl FnMut(SafetyItem) -> SafetyAnswer,
    ) -> Self {
        SafetyScreen {
            version,
            answers: version.items().iter().map(|&i| (i, answer(i))).collect(),
        }
    }

    pub fn version(&self) -> CheckInVersion {
        self.version
    }

    /// The answer to `item`; "No" for a question this version did not ask.
    pub fn answer(&self, item: SafetyItem) -> SafetyAnswer {
        self.answers.get(&item).copied().unwrap_or(SafetyAnswer::No)
    }

    fn answered(&self) -> impl Iterator<Item = (SafetyItem, SafetyAnswer)> + '_ {
        self.version.items().iter().map(|&i| (i, self.answer(i)))
    }

    /// How soon a clinician should make private contact; `None` when nothing calls for it.
    pub fn tier(&self) -> Option<CheckInTier> {
        if self.version == CheckInVersion::V1 {
            let positive = self.answered().any(|(_, a)| a.is_positive());
            return positive.then_some(CheckInTier::Positive);
        }
        let yes = |item| self.answer(item) == SafetyAnswer::Yes;
        let other_concern = self.answered().any(|(i, a)| {
            i != SafetyItem::Gun
                && i.is_concern(a)
                && !(i == SafetyItem::JointSafe && a == SafetyAnswer::NotSure)
        });
        let urgent = yes(SafetyItem::Neck)
            || yes(SafetyItem::Kill)
            || yes(SafetyItem::Weapon)
            || yes(SafetyItem::Worse)
            || (yes(SafetyItem::Gun) && other_concern);
        if urgent {
            return Some(CheckInTier::Urgent);
        }
        let positive = self.answered().any(|(i, a)| {
            a == SafetyAnswer::RatherNotSay || (i != SafetyItem::Gun && i.is_concern(a))
        });
        positive.then_some(CheckInTier::Positive)
    }

    /// Whether the check-in holds joint booking and asks for a clinician's review.
    pub fn is_positive(&self) -> bool {
        self.tier().is_some()
    }

    /// What a clinician is told, when the check-in is positive: the questions with a concern
    /// (or, in version 1, a "Yes") and the ones declined.
    pub fn flag(&self) -> Option<SafetyFlag> {
        let disclosed = self
            .answered()
            .filter(|&(i, a)| match self.version {
                CheckInVersion::V1 => a == SafetyAnswer::Yes,
                CheckInVersion::V2 => i.is_concern(a),
            })
            .map(|(i, _)| i)
            .collect();
        let declined = self
            .answered()
            .filter(|&(_, a)| a == SafetyAnswer::RatherNotSay)
            .map(|(i, _)| i)
            .collect();
        let tier = self.tier()?;
        Some(SafetyFlag {
            urgent: tier == CheckInTier::Urgent,
            disclosed,
            declined,
        })
    }

    /// The stored form: `{"<id>":"<answer>",…}`.
    pub fn answers_json(&self) -> String {
        let map: std::collections::BTreeMap<&str, &str> =
            self.answered().map(|(i, a)| (i.id(), a.as_str())).collect();
        serde_json::to_string(&map).unwrap_or_default()
    }

    /// Reads a stored check-in of `version`; `None` when it does not answer that version's
    /// questions with answers they offer.
    pub fn from_stored(version: CheckInVersion, json: &str) -> Option<Self> {
        let map: std::collections::BTreeMap<String, String> = serde_json::from_str(json).ok()?;
        let mut answers = std::collections::BTreeMap::new();
        for &item in version.items() {
            let answer = SafetyAnswer::parse(map.get(item.id())?)?;
            if !item.choices().contains(&answer) {
                return None;
            }
            answers.insert(item, answer);
        }
        Some(SafetyScreen { version, answers })
    }

    /// Reads the posted check-in of the current version.
    pub fn parse_form(
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, Vec<SafetyScreenError>> {
        Self::parse_form_of(CheckInVersion::CURRENT, pairs)
    }

    /// Reads a posted check-in of `version`: one answer per question, each among its choices.
    pub fn parse_form_of(
        version: CheckInVersion,
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, Vec<SafetyScreenError>> {
        let items = version.items();
        let mut given: Vec<Vec<String>> = vec![Vec::new(); items.len()];
        let mut errors = Vec::new();
        for (name, value) in pairs {
            let Some(id) = name.strip_prefix(SAFETY_FIELD_PREFIX) else {
                continue;
            };
            match items.iter().position(|i| i.id() == id) {
                Some(n) => given[n].push(value.trim().to_owned()),
                None => errors.push(SafetyScreenError::UnknownField(id.to_owned())),
            }
        }
        let resolved: Vec<_> = items
            .iter()
            .zip(&given)
            .map(|(&i, values)| resolve(i, values))
            .collect();
        errors.extend(resolved.iter().filter_map(|r| r.as_ref().err().cloned()));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SafetyScreen {
            version,
            answers: items
                .iter()
                .copied()
                .zip(resolved.into_iter().flatten())
                .collect(),
        })
    }
}

pub(super) fn resolve(
    item: SafetyItem,
    values: &[String],
) -> Result<SafetyAnswer, SafetyScreenError> {
    let parsed = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            SafetyAnswer::parse(v)
                .filter(|a| item.choices().contains(a))
                .ok_or(SafetyScreenError::NotAnOption(item))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match parsed.split_first() {
        None => Err(SafetyScreenError::Missing(item)),
        Some((first, rest)) if rest.iter().all(|r| r == first) => Ok(*first),
        Some(_) => Err(SafetyScreenError::Conflicting(item)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SafetyScreenError {
    UnknownField(String),
    Missing(SafetyItem),
    NotAnOption(SafetyItem),
    Conflicting(SafetyItem),
}

impl SafetyScreenError {
    pub fn item(&self) -> Option<SafetyItem> {
        match self {
            SafetyScreenError::UnknownField(_) => None,
            SafetyScreenError::Missing(i)
            | SafetyScreenError::NotAnOption(i)
            | SafetyScreenError::Conflicting(i) => Some(*i),
        }
    }
}

impl fmt::Display for SafetyScreenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SafetyScreenError::UnknownField(_) => f.write_str(
                "One of the answers didn't match a question on this page. Please reload the page and try again.",
            ),
            SafetyScreenError::Missing(i) => write!(
                f,
                "Please choose an answer for “{}” (“I'd rather not say” is fine).",
                i.question()
            ),
            SafetyScreenError::NotAnOption(i) | SafetyScreenError::Conflicting(i) => {
                let labels: Vec<String> = i
                    .choices()
                    .iter()
                    .map(|a| match a.label() {
                        one if !one.contains(' ') => one.to_owned(),
                        more => format!("“{more}”"),
                    })
                    .collect();
                let (last, first) = labels.split_last().expect("every question has choices");
                write!(
                    f,
                    "Please choose just one answer for “{}”: {} or {last}.",
                    i.question(),
                    first.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for SafetyScreenError {}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyFlag {
    /// Same-day review (see [`CheckInTier::Urgent`]).
    #[serde(default)]
    pub urgent: bool,
    /// Questions answered "Yes", in question order.
    pub disclosed: Vec<SafetyItem>,
    /// Questions answered "I'd rather not say", in question order.
    pub declined: Vec<SafetyItem>,
}

impl fmt::Debug for SafetyFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafetyFlag(<redacted>)")
    }
}

/// Joint booking is held because at least one partner's safety screen is
/// positive. Clinician-side only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyHold {
    /// Each partner's flag; at least one is `Some`.
    pub flags: ByPartner<Option<SafetyFlag>>,
}

impl fmt::Debug for SafetyHold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafetyHold(<redacted>)")
    }
}

impl SafetyHold {
    /// A hold when either answered screen is positive, whether or not the
    /// other partner has answered theirs.
    pub fn from_screens(screens: ByPartner<Option<&SafetyScreen>>) -> Option<Self> {
        let flags = screens.map(|s| s.and_then(SafetyScreen::flag));
        (flags.a.is_some() || flags.b.is_some()).then_some(SafetyHold { flags })
    }

    /// The partners to contact privately and offer an individual consult:
    /// those whose own screen is positive.
    pub fn individual_consult_for(&self) -> Vec<PartnerRole> {
        self.flags
            .iter()
            .filter(|(_, f)| f.is_some())
            .map(|(r, _)| r)
            .collect()
    }

    /// The same hold with A and B exchanged.
    pub fn swapped(self) -> Self {
        SafetyHold {
            flags: self.flags.swapped(),
        }
    }
}

//! The private safety check-in: its questions, a person's answers, and the flag and hold a
//! positive answer puts on joint booking. Everything here redacts itself in `Debug`.

use super::*;

// Safety screen

/// Prefix of the form fields carrying safety answers: `s_afraid`.
///
/// Distinct from the questionnaire's `q_`, so neither parser ever reads the
/// other's fields.
pub const SAFETY_FIELD_PREFIX: &str = "s_";

/// One question of the private safety screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyItem {
    /// Fear of the partner.
    Afraid,
    /// Being physically hurt.
    Hurt,
    /// Being threatened.
    Threatened,
    /// Being controlled or monitored.
    Controlled,
    /// Being forced into anything, sexual or otherwise.
    Forced,
}

impl SafetyItem {
    /// Every question, in the order shown.
    pub const ALL: [SafetyItem; 5] = [
        SafetyItem::Afraid,
        SafetyItem::Hurt,
        SafetyItem::Threatened,
        SafetyItem::Controlled,
        SafetyItem::Forced,
    ];

    /// Stable id (also the serde name and the storage key). Never reuse one.
    pub fn id(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "afraid",
            SafetyItem::Hurt => "hurt",
            SafetyItem::Threatened => "threatened",
            SafetyItem::Controlled => "controlled",
            SafetyItem::Forced => "forced",
        }
    }

    /// Inverse of [`SafetyItem::id`].
    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id)
    }

    /// The form field carrying this question's answer (`s_<id>`).
    pub fn field_name(self) -> String {
        format!("{SAFETY_FIELD_PREFIX}{}", self.id())
    }

    /// The question shown to the partner, alone, on their own device.
    pub fn question(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "In the past year, have you felt afraid of your partner?",
            SafetyItem::Hurt => "In the past year, has your partner hit, pushed, choked or otherwise physically hurt you?",
            SafetyItem::Threatened => "In the past year, has your partner threatened to hurt you, or someone or something you care about?",
            SafetyItem::Controlled => "Does your partner control or keep watch on where you go, who you see, your phone or messages, or your money?",
            SafetyItem::Forced => "In the past year, has your partner forced you into anything you did not want, sexual or otherwise?",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// An answer to a safety question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAnswer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// "I'd rather not say": counts as positive (see [`SafetyAnswer::is_positive`]).
    RatherNotSay,
}

impl SafetyAnswer {
    /// Every answer, in the order shown.
    pub const ALL: [SafetyAnswer; 3] = [
        SafetyAnswer::Yes,
        SafetyAnswer::No,
        SafetyAnswer::RatherNotSay,
    ];

    /// Stable key: the form value, the serde name and the storage key.
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "yes",
            SafetyAnswer::No => "no",
            SafetyAnswer::RatherNotSay => "rather_not_say",
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
        }
    }

    /// Whether this answer makes the screen positive: "Yes", and also "I'd
    /// rather not say".
    ///
    /// Someone who is afraid or watched may not feel safe answering, and a
    /// screen that reads their silence as "no" would open joint sessions in
    /// exactly the case where they are most dangerous. The cost of counting it
    /// is a private check-in by a clinician; the cost of not counting it can
    /// be harm. The clinician still sees which answers were "rather not say".
    pub fn is_positive(self) -> bool {
        !matches!(self, SafetyAnswer::No)
    }
}

/// One partner's answers to the safety screen: every question answered.
///
/// Only [`SafetyScreen::parse_form`], [`SafetyScreen::from_fn`] and
/// deserialization (which requires every answer) build one. Never shown to
/// the other partner by any path; `Debug` is redacted so it cannot reach a log.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SafetyScreen {
    afraid: SafetyAnswer,
    hurt: SafetyAnswer,
    threatened: SafetyAnswer,
    controlled: SafetyAnswer,
    forced: SafetyAnswer,
}

impl fmt::Debug for SafetyScreen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafetyScreen(<redacted>)")
    }
}

impl SafetyScreen {
    /// A screen with `answer(item)` for each question.
    pub fn from_fn(mut answer: impl FnMut(SafetyItem) -> SafetyAnswer) -> Self {
        SafetyScreen {
            afraid: answer(SafetyItem::Afraid),
            hurt: answer(SafetyItem::Hurt),
            threatened: answer(SafetyItem::Threatened),
            controlled: answer(SafetyItem::Controlled),
            forced: answer(SafetyItem::Forced),
        }
    }

    /// The answer to one question.
    pub fn answer(&self, item: SafetyItem) -> SafetyAnswer {
        match item {
            SafetyItem::Afraid => self.afraid,
            SafetyItem::Hurt => self.hurt,
            SafetyItem::Threatened => self.threatened,
            SafetyItem::Controlled => self.controlled,
            SafetyItem::Forced => self.forced,
        }
    }

    /// Positive when any answer is "Yes" or "I'd rather not say"
    /// ([`SafetyAnswer::is_positive`]).
    pub fn is_positive(&self) -> bool {
        SafetyItem::ALL
            .into_iter()
            .any(|i| self.answer(i).is_positive())
    }

    /// What the clinician sees about this screen, if it is positive.
    pub fn flag(&self) -> Option<SafetyFlag> {
        let with = |a: SafetyAnswer| -> Vec<SafetyItem> {
            SafetyItem::ALL
                .into_iter()
                .filter(|&i| self.answer(i) == a)
                .collect()
        };
        self.is_positive().then(|| SafetyFlag {
            disclosed: with(SafetyAnswer::Yes),
            declined: with(SafetyAnswer::RatherNotSay),
        })
    }

    /// Parse the submitted safety form.
    ///
    /// Only fields named `s_<id>` ([`SAFETY_FIELD_PREFIX`]) are read; others
    /// (CSRF token and the like) are ignored. Every question is required,
    /// which is fair only because "I'd rather not say" is always an option.
    /// An empty value is an unanswered question. A field repeated with the
    /// same value is accepted; with different values it is an error, since a
    /// safety answer must never be guessed. All errors are returned together:
    /// unknown fields first, then at most one per question in question order.
    pub fn parse_form(
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, Vec<SafetyScreenError>> {
        let mut given: [Vec<String>; 5] = Default::default();
        let mut errors = Vec::new();
        for (name, value) in pairs {
            let Some(id) = name.strip_prefix(SAFETY_FIELD_PREFIX) else {
                continue;
            };
            match SafetyItem::parse(id) {
                Some(item) => given[item.index()].push(value.trim().to_owned()),
                None => errors.push(SafetyScreenError::UnknownField(id.to_owned())),
            }
        }
        let resolved: Vec<_> = SafetyItem::ALL
            .into_iter()
            .map(|i| resolve(i, &given[i.index()]))
            .collect();
        errors.extend(resolved.iter().filter_map(|r| r.as_ref().err().cloned()));
        if !errors.is_empty() {
            return Err(errors);
        }
        let answers: Vec<SafetyAnswer> = resolved.into_iter().flatten().collect();
        Ok(SafetyScreen::from_fn(|i| answers[i.index()]))
    }
}

/// One question's answer from the values submitted for it (empty ones skipped).
pub(super) fn resolve(
    item: SafetyItem,
    values: &[String],
) -> Result<SafetyAnswer, SafetyScreenError> {
    let parsed = values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| SafetyAnswer::parse(v).ok_or(SafetyScreenError::NotAnOption(item)))
        .collect::<Result<Vec<_>, _>>()?;
    match parsed.split_first() {
        None => Err(SafetyScreenError::Missing(item)),
        Some((first, rest)) if rest.iter().all(|r| r == first) => Ok(*first),
        Some(_) => Err(SafetyScreenError::Conflicting(item)),
    }
}

/// Why a safety form could not be accepted. `Display` is written for the
/// partner, calmly, and never shows an internal id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SafetyScreenError {
    /// A field named like a safety answer refers to no question.
    UnknownField(String),
    /// A question was left unanswered.
    Missing(SafetyItem),
    /// A value that is not one of the three options.
    NotAnOption(SafetyItem),
    /// The same question was sent with two different answers.
    Conflicting(SafetyItem),
}

impl SafetyScreenError {
    /// The question this error belongs beside, if any.
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
            SafetyScreenError::NotAnOption(i) | SafetyScreenError::Conflicting(i) => write!(
                f,
                "Please choose just one answer for “{}”: Yes, No or “I'd rather not say”.",
                i.question()
            ),
        }
    }
}

impl std::error::Error for SafetyScreenError {}

/// What the clinician sees about one partner's positive screen.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyFlag {
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

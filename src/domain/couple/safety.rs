//! The private safety check-in: its questions, a person's answers, and the flag and hold a
//! positive answer puts on joint booking. Everything here redacts itself in `Debug`.

use super::*;

// Safety screen

/// Prefix of the form fields carrying safety answers: `s_afraid`.
///
/// Distinct from the questionnaire's `q_`, so neither parser ever reads the
/// other's fields.
pub const SAFETY_FIELD_PREFIX: &str = "s_";

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

    /// How soon a clinician should make private contact, from the answers alone (as for
    /// someone who is not leaving); `None` when nothing calls for it. See
    /// [`SafetyScreen::tier_for`].
    pub fn tier(&self) -> Option<CheckInTier> {
        self.tier_for(false)
    }

    /// How soon a clinician should make private contact; `None` when nothing calls for it.
    /// `leaving`: whether this person's own questionnaire says they lean out of the
    /// relationship or have decided to end it. Leaving is a time of higher risk, so in version
    /// 3 it makes any concern urgent; it never makes a clear check-in positive. The rules, and
    /// why, are in `docs/safety.md` ("The two tiers").
    pub fn tier_for(&self, leaving: bool) -> Option<CheckInTier> {
        use SafetyItem::*;
        if self.version == CheckInVersion::V1 {
            let positive = self.answered().any(|(_, a)| a.is_positive());
            return positive.then_some(CheckInTier::Positive);
        }
        let yes = |item| self.answer(item) == SafetyAnswer::Yes;
        // A concern other than the gun question (which says nothing of the relationship on its
        // own) and other than "not sure" whether speaking freely would feel safe.
        let other_concern = self.answered().any(|(i, a)| {
            i != Gun && i.is_concern(a) && !(i == JointSafe && a == SafetyAnswer::NotSure)
        });
        let single = yes(Neck) || yes(Weapon) || yes(Worse);
        let urgent = match self.version {
            CheckInVersion::V1 | CheckInVersion::V2 => {
                single || yes(Kill) || (yes(Gun) && other_concern)
            }
            CheckInVersion::V3 => {
                let pattern = [Afraid, Controlled, Hit, Sex, Threat, Stalk]
                    .into_iter()
                    .filter(|&i| yes(i))
                    .count();
                single
                    || yes(KillAny)
                    || yes(Capable)
                    || (yes(Gun) && other_concern)
                    || pattern >= 3
                    || (leaving && other_concern)
            }
        };
        if urgent {
            return Some(CheckInTier::Urgent);
        }
        let positive = self
            .answered()
            .any(|(i, a)| a == SafetyAnswer::RatherNotSay || (i != Gun && i.is_concern(a)));
        positive.then_some(CheckInTier::Positive)
    }

    /// Whether the check-in holds joint booking and asks for a clinician's review (leaving
    /// changes how soon, never whether).
    pub fn is_positive(&self) -> bool {
        self.tier().is_some()
    }

    /// What a clinician is told, from the answers alone ([`SafetyScreen::flag_for`]).
    pub fn flag(&self) -> Option<SafetyFlag> {
        self.flag_for(false)
    }

    /// What a clinician is told, when the check-in is positive: its tier (see
    /// [`SafetyScreen::tier_for`]), the questions with a concern (or, in version 1, a "Yes")
    /// and the ones declined.
    pub fn flag_for(&self, leaving: bool) -> Option<SafetyFlag> {
        let disclosed = self
            .answered()
            .filter(|&(i, a)| match self.version {
                CheckInVersion::V1 => a == SafetyAnswer::Yes,
                CheckInVersion::V2 | CheckInVersion::V3 => i.is_concern(a),
            })
            .map(|(i, _)| i)
            .collect();
        let declined = self
            .answered()
            .filter(|&(_, a)| a == SafetyAnswer::RatherNotSay)
            .map(|(i, _)| i)
            .collect();
        let tier = self.tier_for(leaving)?;
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
                let Some((last, first)) = labels.split_last() else {
                    return write!(f, "Please choose just one answer for “{}”.", i.question());
                };
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

impl SafetyFlag {
    /// What the clinician should do about what was disclosed, beyond the usual first contact:
    /// one prompt per kind of disclosure that calls for its own step (clinical review 3, N11).
    /// Clinician-side only; a clinical judgement call written down in `docs/safety.md`.
    pub fn prompts(&self) -> Vec<&'static str> {
        let has = |item| self.disclosed.contains(&item);
        let mut out = Vec::new();
        if self.urgent {
            out.push(
                "Urgent: a clinician trained in partner-violence risk does a structured risk \
                 assessment with them, and makes a safety plan with them, before anything else.",
            );
        }
        if has(SafetyItem::Neck) {
            out.push(
                "Strangulation was disclosed: ask when it last happened. If it was recent, advise a \
                 medical check today even without marks (injuries can show hours or days later), \
                 and write down what they say.",
            );
        }
        if has(SafetyItem::Children) {
            out.push(
                "A worry about a child's safety was disclosed: follow the practice's safeguarding \
                 and reporting steps, and tell them what you must do before you do it.",
            );
        }
        if has(SafetyItem::Own) {
            out.push(
                "They said they have used violence or threats themselves: offer an individual \
                 consult and information about a programme for people who use violence, not joint \
                 work.",
            );
        }
        out
    }
}

impl fmt::Debug for SafetyFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SafetyFlag(<redacted>)")
    }
}

/// Whether a person's own questionnaire says they are leaving: leaning out of the relationship,
/// or decided to end it. The check-in's tier reads it (version 3); nothing else does.
pub fn is_leaving(leaning: Option<Leaning>) -> bool {
    matches!(leaning, Some(Leaning::Out | Leaning::Decided))
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
    /// `screens` come with whether that partner is leaving ([`is_leaving`]).
    pub fn from_screens(screens: ByPartner<Option<(&SafetyScreen, bool)>>) -> Option<Self> {
        let flags = screens.map(|s| s.and_then(|(s, leaving)| s.flag_for(leaving)));
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

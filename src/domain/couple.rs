//! Couples: two partners' intakes read together.
//!
//! This module owns every rule that needs both partners: the clinician's
//! [`CoupleReport`] (dimension scores side by side, a "both / one / neither"
//! sentence for each of the seed's trust breakers and ways to rebuild, the
//! items the partners disagree on most), the [`JointSummary`] both partners
//! see once both have finished, the [`MixedAgenda`] rule, and the private
//! [`SafetyScreen`] whose positive answer puts a [`SafetyHold`] on joint
//! booking.
//!
//! Privacy holds by construction rather than by care at each call site:
//!
//! - [`joint_summary`] takes only the two [`ReadinessResult`]s, so it cannot
//!   see a safety screen or a single item answer, and it reads one bit per
//!   dimension from them.
//! - What a partner sees about booking, [`JointBookingOffer`], has one variant
//!   for every reason the practice steps in, so a safety hold reads exactly
//!   like any other; the reason lives only on the clinician's side
//!   ([`BookingDecision`]).
//! - [`SafetyScreen`], [`SafetyFlag`] and [`SafetyHold`] redact themselves in
//!   `Debug`, so they never reach a log by accident.
//!
//! The rules and thresholds, with the reasons for them, are written out in the
//! "Couples" section of `docs/scoring.md`.

use std::cmp::Reverse;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::questionnaire::{items, CompleteAnswers, Dimension, Item, Likert, SeedTopic};
use super::scoring::{item_points, ReadinessBand, ReadinessResult, WILLINGNESS_CAP_BELOW};

// ---------------------------------------------------------------------------
// Partners
// ---------------------------------------------------------------------------

/// Which partner of a couple: A started the intake and invited B.
///
/// The letters are for the clinician only; nothing a partner sees names
/// either of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerRole {
    /// The partner who started the intake and invited the other.
    A,
    /// The invited partner.
    B,
}

impl PartnerRole {
    /// Both roles, A first.
    pub const ALL: [PartnerRole; 2] = [PartnerRole::A, PartnerRole::B];

    /// The other partner.
    pub fn other(self) -> Self {
        match self {
            PartnerRole::A => PartnerRole::B,
            PartnerRole::B => PartnerRole::A,
        }
    }

    /// Stable storage key (also the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerRole::A => "a",
            PartnerRole::B => "b",
        }
    }

    /// Inverse of [`PartnerRole::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// "Partner A" or "Partner B", for the clinician's view only.
    pub fn label(self) -> &'static str {
        match self {
            PartnerRole::A => "Partner A",
            PartnerRole::B => "Partner B",
        }
    }
}

/// One value per partner: a score, an answer, a partner's state.
///
/// Every comparison in this module is built on it, so "swap the partners" is
/// one operation ([`ByPartner::swapped`]) that the symmetry tests rely on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ByPartner<T> {
    /// Partner A's value.
    pub a: T,
    /// Partner B's value.
    pub b: T,
}

impl<T> ByPartner<T> {
    /// A's and B's values.
    pub fn new(a: T, b: T) -> Self {
        ByPartner { a, b }
    }

    /// One partner's value.
    pub fn get(&self, role: PartnerRole) -> &T {
        match role {
            PartnerRole::A => &self.a,
            PartnerRole::B => &self.b,
        }
    }

    /// A's value becomes B's and B's becomes A's.
    pub fn swapped(self) -> Self {
        ByPartner {
            a: self.b,
            b: self.a,
        }
    }

    /// Apply `f` to both values.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> ByPartner<U> {
        ByPartner {
            a: f(self.a),
            b: f(self.b),
        }
    }

    /// Borrow both values.
    pub fn as_ref(&self) -> ByPartner<&T> {
        ByPartner {
            a: &self.a,
            b: &self.b,
        }
    }

    /// Both values with their roles, A first.
    pub fn iter(&self) -> impl Iterator<Item = (PartnerRole, &T)> {
        [(PartnerRole::A, &self.a), (PartnerRole::B, &self.b)].into_iter()
    }
}

/// A partner's finished questionnaire: the answers and the result stored
/// with them.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedQuestionnaire {
    /// Every item answered.
    pub answers: CompleteAnswers,
    /// The result scored from them (as stored, never recomputed).
    pub result: ReadinessResult,
}

/// How far one partner has got: each part is `None` until they finish it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partner {
    /// The 42-item questionnaire, once complete.
    pub questionnaire: Option<FinishedQuestionnaire>,
    /// The private safety screen, once answered.
    pub safety: Option<SafetyScreen>,
}

impl Partner {
    /// Finished means both the questionnaire and the safety screen are done.
    pub fn has_finished(&self) -> bool {
        self.questionnaire.is_some() && self.safety.is_some()
    }
}

/// Two partners doing the intake together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Couple {
    /// Each partner's progress.
    pub partners: ByPartner<Partner>,
}

impl Couple {
    /// A couple from A's and B's progress.
    pub fn new(a: Partner, b: Partner) -> Self {
        Couple {
            partners: ByPartner::new(a, b),
        }
    }

    /// One partner's progress.
    pub fn partner(&self, role: PartnerRole) -> &Partner {
        self.partners.get(role)
    }

    /// The same couple with A and B exchanged.
    pub fn swapped(self) -> Self {
        Couple {
            partners: self.partners.swapped(),
        }
    }

    /// Both partners have finished; until then nothing joint is shown.
    pub fn both_finished(&self) -> bool {
        self.partners.a.has_finished() && self.partners.b.has_finished()
    }

    /// Both results, only once both partners have finished: the one input
    /// [`joint_summary`] takes.
    pub fn finished_results(&self) -> Option<ByPartner<&ReadinessResult>> {
        self.finished_questionnaires()
            .filter(|_| self.both_finished())
            .map(|q| q.map(|q| &q.result))
    }

    /// Both questionnaires, as soon as both are complete (safety screens
    /// aside): enough for the clinician's comparison and the mixed-agenda rule.
    fn finished_questionnaires(&self) -> Option<ByPartner<&FinishedQuestionnaire>> {
        Some(ByPartner::new(
            self.partners.a.questionnaire.as_ref()?,
            self.partners.b.questionnaire.as_ref()?,
        ))
    }

    /// The flags the clinician sees. Safety is flagged as soon as either
    /// screen is answered, without waiting for the other partner.
    pub fn flags(&self) -> CoupleFlags {
        let screens = self.partners.as_ref().map(|p| p.safety.as_ref());
        let willingness = self.finished_questionnaires().and_then(|q| {
            Some(ByPartner::new(
                q.a.result.dimension(Dimension::Willingness)?,
                q.b.result.dimension(Dimension::Willingness)?,
            ))
        });
        CoupleFlags {
            safety: SafetyHold::from_screens(screens),
            mixed_agenda: willingness.and_then(MixedAgenda::detect),
        }
    }

    /// Whether the couple may book a joint consult, and (clinician-side) why not.
    pub fn booking_decision(&self, policy: JointBookingPolicy) -> BookingDecision {
        BookingDecision::new(self.both_finished(), &self.flags(), policy)
    }

    /// The clinician's couple report, once both partners have finished.
    pub fn report(&self) -> Option<CoupleReport> {
        if !self.both_finished() {
            return None;
        }
        let q = self.finished_questionnaires()?;
        Some(CoupleReport::new(
            q.map(|q| &q.answers),
            q.map(|q| &q.result),
            self.flags(),
        ))
    }
}

// ---------------------------------------------------------------------------
// Safety screen
// ---------------------------------------------------------------------------

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
fn resolve(item: SafetyItem, values: &[String]) -> Result<SafetyAnswer, SafetyScreenError> {
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

// ---------------------------------------------------------------------------
// Mixed agenda
// ---------------------------------------------------------------------------

/// A Willingness score at or above this counts as "willing to rebuild" for
/// the mixed-agenda rule: the level whose summary reads "You feel willing and
/// able to work on rebuilding trust". The other side of the rule is a score
/// below [`WILLINGNESS_CAP_BELOW`].
pub const MIXED_AGENDA_WILLING_FROM: u8 = 70;

/// One partner is willing to rebuild and the other is unable or unwilling
/// right now: the seed's own "unable or unwilling" case.
///
/// Standard couples therapy assumes both want to work on the relationship; a
/// discernment-style consult is recommended instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixedAgenda {
    /// The partner who is willing to rebuild.
    pub willing: PartnerRole,
    /// Both Willingness scores, for the clinician.
    pub willingness: ByPartner<u8>,
}

impl MixedAgenda {
    /// A mixed agenda when one Willingness score is at least
    /// [`MIXED_AGENDA_WILLING_FROM`] and the other below
    /// [`WILLINGNESS_CAP_BELOW`].
    pub fn detect(willingness: ByPartner<u8>) -> Option<Self> {
        let willing = |r: PartnerRole| {
            *willingness.get(r) >= MIXED_AGENDA_WILLING_FROM
                && *willingness.get(r.other()) < WILLINGNESS_CAP_BELOW
        };
        PartnerRole::ALL
            .into_iter()
            .find(|&r| willing(r))
            .map(|willing| MixedAgenda {
                willing,
                willingness,
            })
    }

    /// The partner who is unable or unwilling right now.
    pub fn unsure(&self) -> PartnerRole {
        self.willing.other()
    }

    /// The same flag with A and B exchanged.
    pub fn swapped(self) -> Self {
        MixedAgenda {
            willing: self.willing.other(),
            willingness: self.willingness.swapped(),
        }
    }
}

// ---------------------------------------------------------------------------
// Flags and booking
// ---------------------------------------------------------------------------

/// Everything that marks a couple for the clinician's attention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoupleFlags {
    /// Set when either partner's safety screen is positive.
    pub safety: Option<SafetyHold>,
    /// Set when one partner is willing and the other unable or unwilling.
    pub mixed_agenda: Option<MixedAgenda>,
}

impl CoupleFlags {
    /// The clinician should look at this couple before anything is booked.
    pub fn needs_attention(&self) -> bool {
        self.safety.is_some() || self.mixed_agenda.is_some()
    }

    /// The next step; safety comes first.
    pub fn recommendation(&self) -> Recommendation {
        if self.safety.is_some() {
            Recommendation::IndividualConsultFirst
        } else if self.mixed_agenda.is_some() {
            Recommendation::DiscernmentConsult
        } else {
            Recommendation::CouplesConsult
        }
    }

    /// The same flags with A and B exchanged.
    pub fn swapped(self) -> Self {
        CoupleFlags {
            safety: self.safety.map(SafetyHold::swapped),
            mixed_agenda: self.mixed_agenda.map(MixedAgenda::swapped),
        }
    }
}

/// What the clinician should offer the couple next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// A safety screen is positive: individual consult(s) first, no joint sessions yet.
    IndividualConsultFirst,
    /// Mixed agenda: a discernment-style consult instead of standard couples therapy.
    DiscernmentConsult,
    /// No flag: a standard couples consult.
    CouplesConsult,
}

impl Recommendation {
    /// Short label for the clinician's view.
    pub fn label(self) -> &'static str {
        match self {
            Recommendation::IndividualConsultFirst => "Individual consult first",
            Recommendation::DiscernmentConsult => "Discernment-style consult",
            Recommendation::CouplesConsult => "Couples consult",
        }
    }

    /// What to do, for the clinician's view. Never shown to a partner.
    pub fn description(self) -> &'static str {
        match self {
            Recommendation::IndividualConsultFirst => {
                "A safety screen is positive. Do not book joint sessions yet: contact the screened partner privately and offer an individual consult first. Never mention the screen to the other partner."
            }
            Recommendation::DiscernmentConsult => {
                "One partner is willing to rebuild and the other describes being unable or unwilling right now. Offer a discernment-style consult, to explore whether and how to work on the relationship, rather than standard couples therapy."
            }
            Recommendation::CouplesConsult => {
                "No flags: a standard couples consult."
            }
        }
    }
}

/// How the practice opens joint booking, chosen in its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JointBookingPolicy {
    /// Couples with no flag book a joint consult themselves.
    OpenWhenClear,
    /// The practice contacts every couple. Partners then always see the same
    /// thing, so a hold cannot even be guessed from its absence elsewhere.
    PracticeContactsEveryCouple,
}

/// Why joint booking is held. Clinician-side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// A partner's safety screen is positive.
    Safety,
    /// One partner is willing to rebuild and the other is not.
    MixedAgenda,
    /// The practice contacts every couple ([`JointBookingPolicy::PracticeContactsEveryCouple`]).
    PracticeContactsEveryCouple,
}

/// The clinician's view of joint booking: whether it is open, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDecision {
    /// Both partners have finished.
    pub both_finished: bool,
    /// Why joint booking is held, in [`HoldReason`] order; empty when it is not.
    pub holds: Vec<HoldReason>,
}

impl BookingDecision {
    /// The decision for a couple's progress, flags and the practice's policy.
    /// A safety hold applies at once, even before both partners finish.
    pub fn new(both_finished: bool, flags: &CoupleFlags, policy: JointBookingPolicy) -> Self {
        let holds = [
            (flags.safety.is_some(), HoldReason::Safety),
            (flags.mixed_agenda.is_some(), HoldReason::MixedAgenda),
            (
                policy == JointBookingPolicy::PracticeContactsEveryCouple,
                HoldReason::PracticeContactsEveryCouple,
            ),
        ]
        .into_iter()
        .filter_map(|(on, reason)| on.then_some(reason))
        .collect();
        BookingDecision {
            both_finished,
            holds,
        }
    }

    /// Joint sessions must not be booked while this is true.
    pub fn is_safety_hold(&self) -> bool {
        self.holds.contains(&HoldReason::Safety)
    }

    /// What both partners see. Every hold reason maps to the same
    /// [`JointBookingOffer::PracticeWillContact`], and before both finish
    /// it is [`JointBookingOffer::NotYet`] whatever the flags.
    pub fn partner_offer(&self) -> JointBookingOffer {
        match (self.both_finished, self.holds.is_empty()) {
            (false, _) => JointBookingOffer::NotYet,
            (true, true) => JointBookingOffer::Open,
            (true, false) => JointBookingOffer::PracticeWillContact,
        }
    }
}

/// What a partner sees about booking a consult together. Carries no reason,
/// so a safety hold is indistinguishable from any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JointBookingOffer {
    /// One or both partners have not finished yet.
    NotYet,
    /// The couple may choose a time for a joint consult.
    Open,
    /// The practice will be in touch: for safety, a mixed agenda, or its
    /// policy. The partner is never told which.
    PracticeWillContact,
}

impl JointBookingOffer {
    /// The sentence a partner sees. Calm, and the same for every reason.
    pub fn message(self) -> &'static str {
        match self {
            JointBookingOffer::NotYet => {
                "Once you have both finished, you can arrange a consult together here."
            }
            JointBookingOffer::Open => "You can now choose a time for a consult together.",
            JointBookingOffer::PracticeWillContact => {
                "Someone from the practice will contact you to arrange the next step."
            }
        }
    }
}

/// Shown to every partner, always, in these words. A screened partner is
/// offered an individual consult by the clinician privately; because this
/// line is on every partner's page, seeing it on someone's screen reveals
/// nothing.
pub const INDIVIDUAL_CONSULT_OFFER: &str =
    "If you would like to talk with a clinician on your own first, you can ask the practice for a private conversation at any time.";

// ---------------------------------------------------------------------------
// Joint summary (both partners see it)
// ---------------------------------------------------------------------------

/// A dimension is a shared strength when both partners score at least this:
/// the level whose own summary describes it as a strength.
pub const SHARED_STRENGTH_FROM: u8 = 70;

/// The dimensions the joint summary speaks about. Willingness is left out on
/// purpose: it would tell one partner how willing the other is, which is for
/// a clinician to explore (see [`MixedAgenda`]).
pub const JOINT_DIMENSIONS: [Dimension; 5] = [
    Dimension::Honesty,
    Dimension::Respect,
    Dimension::Connection,
    Dimension::Accountability,
    Dimension::RepairSkills,
];

/// What both partners see once both have finished: shared strengths and
/// areas to grow together, with no partner named and no item answer
/// recoverable. Each of [`JOINT_DIMENSIONS`] is in exactly one list, in
/// [`Dimension::ALL`] order (never ranked, which would hint at scores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointSummary {
    /// Dimensions where both partners score at least [`SHARED_STRENGTH_FROM`].
    pub shared_strengths: Vec<Dimension>,
    /// The other joint dimensions.
    pub grow_together: Vec<Dimension>,
}

/// The opening line of the joint summary.
pub const JOINT_SUMMARY_INTRO: &str = "This summary is drawn from both of your answers taken together, so it never shows how either of you answered any one question.";

/// The joint summary of two finished results.
///
/// Takes only the results, so no safety data and no item answer can reach
/// it; reads only their dimension scores. Symmetric in its arguments.
pub fn joint_summary(a: &ReadinessResult, b: &ReadinessResult) -> JointSummary {
    let (shared_strengths, grow_together): (Vec<_>, Vec<_>) = JOINT_DIMENSIONS
        .into_iter()
        .partition(|&d| is_strength(a, d) && is_strength(b, d));
    JointSummary {
        shared_strengths,
        grow_together,
    }
}

/// A missing dimension (never produced) is not a strength.
fn is_strength(r: &ReadinessResult, d: Dimension) -> bool {
    r.dimension(d).is_some_and(|s| s >= SHARED_STRENGTH_FROM)
}

/// How the joint summary names a dimension, addressed to both partners.
/// Willingness has a phrase only so the match is total; the summary never
/// uses it ([`JOINT_DIMENSIONS`]).
pub fn joint_phrase(d: Dimension) -> &'static str {
    match d {
        Dimension::Honesty => "being open and honest with each other",
        Dimension::Respect => "treating each other with respect, without blame or shame",
        Dimension::Connection => "working through disagreements and staying close",
        Dimension::Accountability => "being ready to own your part",
        Dimension::RepairSkills => "talking things through and repairing after hard moments",
        Dimension::Willingness => "wanting to rebuild trust together",
    }
}

impl JointSummary {
    /// The summary in sentences: the intro, each shared strength, then each
    /// area to grow together.
    pub fn sentences(&self) -> Vec<String> {
        let strengths = self
            .shared_strengths
            .iter()
            .map(|&d| format!("You both describe {} as a strength.", joint_phrase(d)));
        let grow = self
            .grow_together
            .iter()
            .map(|&d| format!("Something to grow together: {}.", joint_phrase(d)));
        std::iter::once(JOINT_SUMMARY_INTRO.to_owned())
            .chain(strengths)
            .chain(grow)
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Clinician's couple report
// ---------------------------------------------------------------------------

/// Items whose answers are at least this many steps apart count as a
/// disagreement: "Agree" against "Disagree", or a firm view against neutral.
pub const DISAGREEMENT_MIN_GAP: u8 = 2;

/// At most this many disagreements are listed: a short list to open a consult with.
pub const MAX_DISAGREEMENTS: usize = 5;

/// One dimension's scores side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionComparison {
    /// The dimension.
    pub dimension: Dimension,
    /// Each partner's score, 0..=100.
    pub scores: ByPartner<u8>,
}

impl DimensionComparison {
    /// How far apart the two scores are.
    pub fn gap(&self) -> u8 {
        self.scores.a.abs_diff(self.scores.b)
    }

    fn swapped(self) -> Self {
        DimensionComparison {
            scores: self.scores.swapped(),
            ..self
        }
    }
}

/// Which partners describe a topic as a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhoDescribes {
    /// Both partners.
    Both,
    /// One partner; which one is for the clinician's eyes.
    One(PartnerRole),
    /// Neither partner.
    Neither,
}

impl WhoDescribes {
    fn of(concern: ByPartner<bool>) -> Self {
        match (concern.a, concern.b) {
            (true, true) => WhoDescribes::Both,
            (true, false) => WhoDescribes::One(PartnerRole::A),
            (false, true) => WhoDescribes::One(PartnerRole::B),
            (false, false) => WhoDescribes::Neither,
        }
    }

    fn swapped(self) -> Self {
        match self {
            WhoDescribes::One(r) => WhoDescribes::One(r.other()),
            other => other,
        }
    }
}

/// One seed topic (a trust breaker or a way to rebuild) compared across partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TopicComparison {
    /// The topic.
    pub topic: SeedTopic,
    /// Who describes it as a concern.
    pub concern: WhoDescribes,
}

impl TopicComparison {
    /// "Both partners describe lack of honesty as a concern." Never names a
    /// partner, so it reads the same with A and B swapped; the page may add
    /// the partner from [`TopicComparison::concern`].
    pub fn sentence(&self) -> String {
        let who = match self.concern {
            WhoDescribes::Both => "Both partners describe",
            WhoDescribes::One(_) => "One partner describes",
            WhoDescribes::Neither => "Neither partner describes",
        };
        let what = match self.topic {
            SeedTopic::RebuildWay(_) => "as an area still to develop",
            _ => "as a concern",
        };
        format!("{who} {} {what}.", lower_first(self.topic.label()))
    }

    fn swapped(self) -> Self {
        TopicComparison {
            concern: self.concern.swapped(),
            ..self
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One item the partners answered far apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ItemDisagreement {
    /// The item.
    pub item: &'static Item,
    /// Each partner's answer.
    pub answers: ByPartner<Likert>,
}

impl ItemDisagreement {
    /// Steps between the two answers, 0..=4.
    pub fn gap(&self) -> u8 {
        self.answers.a.value().abs_diff(self.answers.b.value())
    }

    fn swapped(self) -> Self {
        ItemDisagreement {
            answers: self.answers.swapped(),
            ..self
        }
    }
}

/// The clinician's couple report. Computed on demand from the stored
/// results, answers and screens, never stored. Clinician-only: it holds both
/// partners' answers and the safety flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoupleReport {
    /// The instrument version of each result; compare with care if they differ.
    pub instrument_versions: ByPartner<u32>,
    /// Each partner's overall score.
    pub overall: ByPartner<u8>,
    /// Each partner's band.
    pub bands: ByPartner<ReadinessBand>,
    /// Every dimension, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionComparison>,
    /// The 16 trust breakers then the 5 ways to rebuild, in seed order.
    pub topics: Vec<TopicComparison>,
    /// The items answered furthest apart ([`largest_disagreements`]).
    pub disagreements: Vec<ItemDisagreement>,
    /// Safety and mixed agenda.
    pub flags: CoupleFlags,
}

impl CoupleReport {
    /// The report from both partners' answers and results and the couple's flags.
    pub fn new(
        answers: ByPartner<&CompleteAnswers>,
        results: ByPartner<&ReadinessResult>,
        flags: CoupleFlags,
    ) -> Self {
        CoupleReport {
            instrument_versions: results.map(|r| r.instrument_version),
            overall: results.map(|r| r.overall),
            bands: results.map(|r| r.band),
            dimensions: compare_dimensions(results),
            topics: compare_topics(answers),
            disagreements: largest_disagreements(answers),
            flags,
        }
    }

    /// The next step for the clinician.
    pub fn recommendation(&self) -> Recommendation {
        self.flags.recommendation()
    }

    /// The same report with A's column and B's exchanged; sentences are unchanged.
    pub fn swapped(self) -> Self {
        CoupleReport {
            instrument_versions: self.instrument_versions.swapped(),
            overall: self.overall.swapped(),
            bands: self.bands.swapped(),
            dimensions: self.dimensions.into_iter().map(|d| d.swapped()).collect(),
            topics: self.topics.into_iter().map(|t| t.swapped()).collect(),
            disagreements: self
                .disagreements
                .into_iter()
                .map(|d| d.swapped())
                .collect(),
            flags: self.flags.swapped(),
        }
    }
}

/// Both partners' score on every dimension, in [`Dimension::ALL`] order.
/// A missing score (never produced) shows as 0.
pub fn compare_dimensions(results: ByPartner<&ReadinessResult>) -> Vec<DimensionComparison> {
    Dimension::ALL
        .into_iter()
        .map(|dimension| DimensionComparison {
            dimension,
            scores: results.map(|r| r.dimension(dimension).unwrap_or(0)),
        })
        .collect()
}

/// The seed topics the report compares: trust breakers 1–16, then ways to
/// rebuild 1–5.
pub fn compared_topics() -> impl Iterator<Item = SeedTopic> {
    (1..=16)
        .map(SeedTopic::TrustBreaker)
        .chain((1..=5).map(SeedTopic::RebuildWay))
}

/// Whether a partner describes a topic as a concern: their answers to its
/// items, on balance, sit on the difficult side of neutral (mean item score
/// below 0.5, i.e. points < 2 × items, kept in integers).
pub fn describes_concern(answers: &CompleteAnswers, topic: SeedTopic) -> bool {
    let (points, n) = items()
        .iter()
        .filter(|i| i.source.topic == topic)
        .filter_map(|i| answers.get(i.id).map(|v| u32::from(item_points(i, v))))
        .fold((0, 0), |(p, n), x| (p + x, n + 1));
    n > 0 && points < 2 * n
}

/// A "both / one / neither" comparison for every topic of [`compared_topics`].
pub fn compare_topics(answers: ByPartner<&CompleteAnswers>) -> Vec<TopicComparison> {
    compared_topics()
        .map(|topic| TopicComparison {
            topic,
            concern: WhoDescribes::of(answers.map(|a| describes_concern(a, topic))),
        })
        .collect()
}

/// Items answered at least [`DISAGREEMENT_MIN_GAP`] steps apart, widest gap
/// first and, within a gap, in questionnaire order; at most
/// [`MAX_DISAGREEMENTS`].
pub fn largest_disagreements(answers: ByPartner<&CompleteAnswers>) -> Vec<ItemDisagreement> {
    let mut found: Vec<ItemDisagreement> = items()
        .iter()
        .filter_map(|item| {
            Some(ItemDisagreement {
                item,
                answers: ByPartner::new(answers.a.get(item.id)?, answers.b.get(item.id)?),
            })
        })
        .filter(|d| d.gap() >= DISAGREEMENT_MIN_GAP)
        .collect();
    // Stable sort: ties keep questionnaire order, which does not depend on
    // which partner is A.
    found.sort_by_key(|d| Reverse(d.gap()));
    found.truncate(MAX_DISAGREEMENTS);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::{item, Answers, INSTRUMENT_VERSION};
    use crate::domain::scoring::score;
    use proptest::prelude::*;

    fn likert(v: u8) -> Likert {
        Likert::parse(i64::from(v)).unwrap()
    }

    /// Complete answers from one value per item, in `items()` order.
    fn complete(values: &[u8]) -> CompleteAnswers {
        let mut a = Answers::new();
        for (i, &v) in items().iter().zip(values) {
            a.set(i.id, likert(v)).unwrap();
        }
        a.complete().unwrap()
    }

    /// The value giving `points` (0..=4) on an item, honouring its keying.
    fn value_for_points(i: &Item, points: u8) -> u8 {
        if i.reverse {
            5 - points
        } else {
            1 + points
        }
    }

    /// Values with the same points on every item of a dimension.
    fn by_level(level: impl Fn(Dimension) -> u8) -> Vec<u8> {
        items()
            .iter()
            .map(|i| value_for_points(i, level(i.dimension)))
            .collect()
    }

    fn questionnaire(values: &[u8]) -> FinishedQuestionnaire {
        let answers = complete(values);
        FinishedQuestionnaire {
            result: score(&answers),
            answers,
        }
    }

    fn screen(answer: SafetyAnswer) -> SafetyScreen {
        SafetyScreen::from_fn(|_| answer)
    }

    fn clear() -> SafetyScreen {
        screen(SafetyAnswer::No)
    }

    fn finished(values: &[u8], safety: SafetyScreen) -> Partner {
        Partner {
            questionnaire: Some(questionnaire(values)),
            safety: Some(safety),
        }
    }

    fn couple(a: &[u8], b: &[u8], sa: SafetyScreen, sb: SafetyScreen) -> Couple {
        Couple::new(finished(a, sa), finished(b, sb))
    }

    fn neutral() -> Vec<u8> {
        vec![3; items().len()]
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn form_for(s: &SafetyScreen) -> Vec<(String, String)> {
        SafetyItem::ALL
            .into_iter()
            .map(|i| (i.field_name(), s.answer(i).as_str().to_owned()))
            .collect()
    }

    // --- Partners -------------------------------------------------------

    #[test]
    fn roles_round_trip_and_swap() {
        for r in PartnerRole::ALL {
            assert_eq!(PartnerRole::parse(r.as_str()), Some(r));
            assert_eq!(r.other().other(), r);
            assert_ne!(r.other(), r);
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert_eq!(PartnerRole::parse("A"), None);
        let p = ByPartner::new(1, 2);
        assert_eq!(p.swapped(), ByPartner::new(2, 1));
        assert_eq!(*p.get(PartnerRole::B), 2);
        let roles: Vec<_> = p.iter().map(|(r, &v)| (r, v)).collect();
        assert_eq!(roles, [(PartnerRole::A, 1), (PartnerRole::B, 2)]);
    }

    #[test]
    fn nothing_joint_before_both_finish() {
        let half = Partner {
            questionnaire: Some(questionnaire(&neutral())),
            safety: None,
        };
        let done = finished(&neutral(), clear());
        for c in [
            Couple::default(),
            Couple::new(done.clone(), Partner::default()),
            Couple::new(done.clone(), half.clone()),
            Couple::new(half, done.clone()),
        ] {
            assert!(!c.both_finished());
            assert!(c.finished_results().is_none());
            assert!(c.report().is_none());
            for policy in [
                JointBookingPolicy::OpenWhenClear,
                JointBookingPolicy::PracticeContactsEveryCouple,
            ] {
                let offer = c.booking_decision(policy).partner_offer();
                assert_eq!(offer, JointBookingOffer::NotYet);
            }
        }
        let both = Couple::new(done.clone(), done);
        assert!(both.finished_results().is_some() && both.report().is_some());
    }

    // --- Safety screen ----------------------------------------------------

    #[test]
    fn safety_form_parses_every_answer_and_ignores_other_fields() {
        let s = SafetyScreen::parse_form(pairs(&[
            ("csrf", "abc"),
            ("s_afraid", "no"),
            ("s_hurt", " no "),
            ("s_threatened", "rather_not_say"),
            ("s_controlled", "yes"),
            ("s_forced", "no"),
            ("q_hon1", "5"),
        ]))
        .unwrap();
        assert_eq!(s.answer(SafetyItem::Hurt), SafetyAnswer::No);
        assert_eq!(s.answer(SafetyItem::Threatened), SafetyAnswer::RatherNotSay);
        assert_eq!(s.answer(SafetyItem::Controlled), SafetyAnswer::Yes);
        let flag = s.flag().unwrap();
        assert_eq!(flag.disclosed, [SafetyItem::Controlled]);
        assert_eq!(flag.declined, [SafetyItem::Threatened]);
    }

    #[test]
    fn safety_form_requires_every_answer_and_reports_each_field() {
        let errs = SafetyScreen::parse_form(pairs(&[
            ("s_evil", "yes"),
            ("s_afraid", "maybe"),
            ("s_hurt", "no"),
            ("s_hurt", "yes"),
            ("s_threatened", ""),
            ("s_forced", "no"),
            ("s_forced", "no"),
        ]))
        .unwrap_err();
        assert_eq!(
            errs,
            vec![
                SafetyScreenError::UnknownField("evil".into()),
                SafetyScreenError::NotAnOption(SafetyItem::Afraid),
                SafetyScreenError::Conflicting(SafetyItem::Hurt),
                SafetyScreenError::Missing(SafetyItem::Threatened),
                SafetyScreenError::Missing(SafetyItem::Controlled),
            ]
        );
        assert_eq!(
            SafetyScreen::parse_form(Vec::new()).unwrap_err().len(),
            SafetyItem::ALL.len()
        );
        // Values are exact keys: a label or another case is not an option.
        let mut form = form_for(&clear());
        form[0].1 = "No".into();
        assert_eq!(
            SafetyScreen::parse_form(form).unwrap_err(),
            vec![SafetyScreenError::NotAnOption(SafetyItem::Afraid)]
        );
    }

    #[test]
    fn safety_error_messages_are_calm_and_name_the_question() {
        for i in SafetyItem::ALL {
            for e in [
                SafetyScreenError::Missing(i),
                SafetyScreenError::NotAnOption(i),
                SafetyScreenError::Conflicting(i),
            ] {
                let msg = e.to_string();
                assert!(msg.starts_with("Please choose"), "{msg}");
                assert!(msg.contains(i.question()), "{msg}");
                assert!(msg.contains("I'd rather not say"), "{msg}");
                assert!(
                    !msg.contains(&i.field_name()),
                    "internal names stay internal"
                );
                assert_eq!(e.item(), Some(i));
            }
        }
        let unknown = SafetyScreenError::UnknownField("evil".into());
        assert!(!unknown.to_string().contains("evil"));
        assert_eq!(unknown.item(), None);
    }

    #[test]
    fn rather_not_say_counts_as_positive() {
        assert!(!clear().is_positive());
        assert!(clear().flag().is_none());
        for i in SafetyItem::ALL {
            for (a, positive) in [
                (SafetyAnswer::Yes, true),
                (SafetyAnswer::RatherNotSay, true),
                (SafetyAnswer::No, false),
            ] {
                let s = SafetyScreen::from_fn(|j| if j == i { a } else { SafetyAnswer::No });
                assert_eq!(s.is_positive(), positive, "{i:?} {a:?}");
                assert_eq!(s.flag().is_some(), positive);
            }
        }
    }

    #[test]
    fn safety_keys_labels_and_serde_agree() {
        for a in SafetyAnswer::ALL {
            assert_eq!(SafetyAnswer::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
            assert!(!a.label().is_empty());
        }
        assert_eq!(SafetyAnswer::RatherNotSay.label(), "I'd rather not say");
        let s = SafetyScreen::from_fn(|i| SafetyAnswer::ALL[i as usize % 3]);
        let json = serde_json::to_value(s).unwrap();
        for i in SafetyItem::ALL {
            assert_eq!(SafetyItem::parse(i.id()), Some(i));
            assert_eq!(json[i.id()], s.answer(i).as_str(), "storage key of {i:?}");
            assert!(i.question().ends_with('?'));
            assert!(i.question().chars().count() <= 120);
        }
        let back: SafetyScreen = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, s);
        // Stored screens are re-validated: every answer is required.
        let mut partial = json;
        partial.as_object_mut().unwrap().remove("forced");
        assert!(serde_json::from_value::<SafetyScreen>(partial).is_err());
        let bad = serde_json::json!({"afraid":"no","hurt":"no","threatened":"no","controlled":"no","forced":"perhaps"});
        assert!(serde_json::from_value::<SafetyScreen>(bad).is_err());
    }

    #[test]
    fn safety_data_is_redacted_in_debug() {
        let s = screen(SafetyAnswer::Yes);
        let c = couple(&neutral(), &neutral(), s, clear());
        for text in [
            format!("{s:?}"),
            format!("{:?}", s.flag()),
            format!("{:?}", c.flags()),
            format!("{c:?}"),
        ] {
            assert!(!text.contains("Yes") && !text.contains("Afraid"), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
        }
    }

    #[test]
    fn a_positive_screen_holds_joint_booking_at_once() {
        let positive = Partner {
            questionnaire: None,
            safety: Some(screen(SafetyAnswer::RatherNotSay)),
        };
        // The other partner has not even started: the clinician sees it now.
        let c = Couple::new(positive, Partner::default());
        let flags = c.flags();
        assert!(flags.needs_attention());
        assert_eq!(
            flags.recommendation(),
            Recommendation::IndividualConsultFirst
        );
        let hold = flags.safety.unwrap();
        assert_eq!(hold.individual_consult_for(), [PartnerRole::A]);
        assert!(hold.flags.b.is_none());
        let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
        assert!(d.is_safety_hold());
        assert_eq!(d.partner_offer(), JointBookingOffer::NotYet);
    }

    // --- Mixed agenda -----------------------------------------------------

    #[test]
    fn mixed_agenda_thresholds() {
        let m = |a, b| MixedAgenda::detect(ByPartner::new(a, b)).map(|m| m.willing);
        assert_eq!(m(70, 39), Some(PartnerRole::A));
        assert_eq!(m(39, 70), Some(PartnerRole::B));
        assert_eq!(m(100, 0), Some(PartnerRole::A));
        assert_eq!(m(69, 39), None, "the willing side needs 70");
        assert_eq!(m(70, 40), None, "the unsure side is below the cap");
        assert_eq!(m(20, 20), None, "both unsure is not a mixed agenda");
        assert_eq!(m(90, 90), None);
        let flag = MixedAgenda::detect(ByPartner::new(80, 10)).unwrap();
        assert_eq!(flag.unsure(), PartnerRole::B);
        assert_eq!(flag.willingness, ByPartner::new(80, 10));
        assert_eq!(WILLINGNESS_CAP_BELOW, 40);
    }

    #[test]
    fn mixed_agenda_recommends_discernment_and_holds_booking() {
        let willing = by_level(|_| 4);
        let unwilling = by_level(|d| if d == Dimension::Willingness { 0 } else { 4 });
        let c = couple(&willing, &unwilling, clear(), clear());
        let flags = c.flags();
        assert_eq!(flags.mixed_agenda.unwrap().willing, PartnerRole::A);
        assert!(flags.safety.is_none());
        assert_eq!(flags.recommendation(), Recommendation::DiscernmentConsult);
        let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
        assert_eq!(d.holds, [HoldReason::MixedAgenda]);
        assert!(!d.is_safety_hold());
        assert_eq!(d.partner_offer(), JointBookingOffer::PracticeWillContact);

        // Safety comes first when both apply.
        let c = couple(&willing, &unwilling, clear(), screen(SafetyAnswer::Yes));
        assert_eq!(
            c.flags().recommendation(),
            Recommendation::IndividualConsultFirst
        );
        let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
        assert_eq!(d.holds, [HoldReason::Safety, HoldReason::MixedAgenda]);
    }

    // --- Booking: what partners see ----------------------------------------

    #[test]
    fn partners_see_the_same_words_for_every_hold() {
        let willing = by_level(|_| 4);
        let unwilling = by_level(|d| if d == Dimension::Willingness { 0 } else { 4 });
        let open = couple(&willing, &willing, clear(), clear());
        let safety = couple(&willing, &willing, screen(SafetyAnswer::Yes), clear());
        let declined = couple(
            &willing,
            &willing,
            clear(),
            screen(SafetyAnswer::RatherNotSay),
        );
        let mixed = couple(&willing, &unwilling, clear(), clear());
        let clear_policy = JointBookingPolicy::OpenWhenClear;
        let offer = |c: &Couple, p| c.booking_decision(p).partner_offer();
        assert_eq!(offer(&open, clear_policy), JointBookingOffer::Open);
        let held = offer(&mixed, clear_policy);
        assert_eq!(held, JointBookingOffer::PracticeWillContact);
        assert_eq!(offer(&safety, clear_policy), held);
        assert_eq!(offer(&declined, clear_policy), held);
        assert_eq!(
            held.message(),
            JointBookingOffer::PracticeWillContact.message()
        );
        // Under the "contact every couple" policy nothing differs at all.
        let every = JointBookingPolicy::PracticeContactsEveryCouple;
        for c in [&open, &safety, &declined, &mixed] {
            assert_eq!(offer(c, every), held);
        }
        // The clinician sees the reason.
        assert_eq!(
            safety.booking_decision(every).holds,
            [HoldReason::Safety, HoldReason::PracticeContactsEveryCouple]
        );
    }

    #[test]
    fn partner_messages_say_nothing_about_reasons() {
        for o in [
            JointBookingOffer::NotYet,
            JointBookingOffer::Open,
            JointBookingOffer::PracticeWillContact,
        ] {
            let m = o.message().to_lowercase();
            for word in [
                "safe", "screen", "hold", "concern", "flag", "willing", "risk",
            ] {
                assert!(!m.contains(word), "{o:?} mentions {word}");
            }
            assert!(m.ends_with('.'));
        }
        let i = INDIVIDUAL_CONSULT_OFFER.to_lowercase();
        assert!(!i.contains("safe") && !i.contains("screen"));
    }

    // --- Joint summary -------------------------------------------------------

    #[test]
    fn shared_strength_needs_both_partners_at_70() {
        let result = |level: u8| score(&complete(&by_level(|_| level)));
        let high = result(3); // 75 everywhere
        let low = result(2); // 50 everywhere
        let s = joint_summary(&high, &high);
        assert_eq!(s.shared_strengths, JOINT_DIMENSIONS);
        assert!(s.grow_together.is_empty());
        let s = joint_summary(&high, &low);
        assert!(s.shared_strengths.is_empty());
        assert_eq!(s.grow_together, JOINT_DIMENSIONS);

        // Exactly at the threshold, via a hand-made result.
        let mut at = high.clone();
        let mut below = high.clone();
        for d in at.dimensions.iter_mut() {
            d.score = SHARED_STRENGTH_FROM;
        }
        for d in below.dimensions.iter_mut() {
            d.score = SHARED_STRENGTH_FROM - 1;
        }
        assert_eq!(joint_summary(&at, &at).shared_strengths, JOINT_DIMENSIONS);
        assert!(joint_summary(&at, &below).shared_strengths.is_empty());
    }

    #[test]
    fn joint_summary_never_speaks_about_willingness() {
        let best = score(&complete(&by_level(|_| 4)));
        let worst = score(&complete(&by_level(|_| 0)));
        for (a, b) in [(&best, &best), (&best, &worst), (&worst, &worst)] {
            let s = joint_summary(a, b);
            assert!(!s.shared_strengths.contains(&Dimension::Willingness));
            assert!(!s.grow_together.contains(&Dimension::Willingness));
            let text = s.sentences().join(" ").to_lowercase();
            assert!(
                !text.contains("willing") && !text.contains("rebuild"),
                "{text}"
            );
        }
    }

    #[test]
    fn joint_summary_is_the_same_for_couples_with_the_same_dimension_scores() {
        // Two couples whose item answers differ but whose dimension scores
        // are identical: move points between items of the same dimension.
        let mut first = neutral();
        let mut second = neutral();
        let idx = |id| items().iter().position(|i| i.id == id).unwrap();
        let (hon1, hon3) = (item("hon1").unwrap(), item("hon3").unwrap());
        first[idx("hon1")] = value_for_points(hon1, 4);
        first[idx("hon3")] = value_for_points(hon3, 0);
        second[idx("hon1")] = value_for_points(hon1, 0);
        second[idx("hon3")] = value_for_points(hon3, 4);
        let strong = by_level(|_| 3);
        let c1 = couple(&first, &strong, clear(), clear());
        let c2 = couple(&second, &strong, screen(SafetyAnswer::Yes), clear());
        let r1 = c1.finished_results().unwrap();
        let r2 = c2.finished_results().unwrap();
        assert_ne!(complete(&first), complete(&second));
        assert_eq!(r1.a.dimensions, r2.a.dimensions);
        assert_eq!(joint_summary(r1.a, r1.b), joint_summary(r2.a, r2.b));
        // The clinician's report does see the difference.
        assert_ne!(c1.report().unwrap().topics, c2.report().unwrap().topics);
    }

    /// The summary's only information about a dimension is one bit, "both at
    /// 70 or more". Check that either value of that bit is possible with any
    /// answer to any single item, so no item answer can ever be inferred
    /// from the summary, even knowing one's own answers.
    #[test]
    fn no_joint_summary_line_pins_any_item_answer() {
        for d in JOINT_DIMENSIONS {
            for target in items().iter().filter(|i| i.dimension == d) {
                for p in 0..=4u8 {
                    for others in [0u8, 4] {
                        let values: Vec<u8> = items()
                            .iter()
                            .map(|i| match i {
                                i if i.id == target.id => value_for_points(i, p),
                                i if i.dimension == d => value_for_points(i, others),
                                _ => 3,
                            })
                            .collect();
                        let s = score(&complete(&values)).dimension(d).unwrap();
                        let strong = s >= SHARED_STRENGTH_FROM;
                        assert_eq!(strong, others == 4, "{} at {p} points: {s}", target.id);
                    }
                }
            }
        }
    }

    #[test]
    fn joint_sentences_are_addressed_to_both_and_name_no_one() {
        let s = joint_summary(
            &score(&complete(&by_level(|_| 4))),
            &score(&complete(&by_level(|d| {
                if d == Dimension::Respect {
                    0
                } else {
                    4
                }
            }))),
        );
        assert_eq!(s.grow_together, [Dimension::Respect]);
        let sentences = s.sentences();
        assert_eq!(sentences[0], JOINT_SUMMARY_INTRO);
        assert_eq!(sentences.len(), 1 + JOINT_DIMENSIONS.len());
        for t in &sentences {
            assert_names_no_partner(t);
            assert!(t.ends_with('.'), "{t}");
        }
    }

    fn assert_names_no_partner(t: &str) {
        let roles = t
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "A" || w == "B");
        assert!(!roles, "{t:?} names a partner by letter");
        let lower = format!(" {} ", t.to_lowercase());
        for w in [
            "partner a",
            "partner b",
            "one of you",
            "one partner",
            "your partner",
            "neither",
            " he ",
            " she ",
            " they ",
        ] {
            assert!(!lower.contains(w), "{t:?} contains {w:?}");
        }
    }

    // --- Couple report --------------------------------------------------------

    #[test]
    fn topic_sentences_say_both_one_or_neither() {
        let t = |concern| TopicComparison {
            topic: SeedTopic::TrustBreaker(1),
            concern,
        };
        assert_eq!(
            t(WhoDescribes::Both).sentence(),
            "Both partners describe lack of honesty as a concern."
        );
        assert_eq!(
            t(WhoDescribes::One(PartnerRole::B)).sentence(),
            "One partner describes lack of honesty as a concern."
        );
        assert_eq!(
            t(WhoDescribes::Neither).sentence(),
            "Neither partner describes lack of honesty as a concern."
        );
        let way = TopicComparison {
            topic: SeedTopic::RebuildWay(1),
            concern: WhoDescribes::Both,
        };
        assert_eq!(
            way.sentence(),
            "Both partners describe taking responsibility as an area still to develop."
        );
    }

    #[test]
    fn report_covers_every_trust_breaker_and_rebuild_way_in_seed_order() {
        let c = couple(&neutral(), &neutral(), clear(), clear());
        let r = c.report().unwrap();
        let topics: Vec<_> = r.topics.iter().map(|t| t.topic).collect();
        let expected: Vec<_> = (1..=16)
            .map(SeedTopic::TrustBreaker)
            .chain((1..=5).map(SeedTopic::RebuildWay))
            .collect();
        assert_eq!(topics, expected);
        // Neutral is not a concern.
        assert!(r.topics.iter().all(|t| t.concern == WhoDescribes::Neither));
        for t in &r.topics {
            assert!(items().iter().any(|i| i.source.topic == t.topic));
            assert!(!t.sentence().contains("Partner"), "{}", t.sentence());
        }
        assert_eq!(
            r.instrument_versions,
            ByPartner::new(INSTRUMENT_VERSION, INSTRUMENT_VERSION)
        );
        let dims: Vec<_> = r.dimensions.iter().map(|d| d.dimension).collect();
        assert_eq!(dims, Dimension::ALL);
        assert!(r.disagreements.is_empty());
        assert_eq!(r.recommendation(), Recommendation::CouplesConsult);
        assert!(!r.flags.needs_attention());
    }

    #[test]
    fn a_topic_is_a_concern_below_neutral() {
        // Lack of honesty (hon1, hon2): 8 points at most; below 4 is a concern.
        let idx = |id| items().iter().position(|i| i.id == id).unwrap();
        for (p1, p2, concern) in [(2, 2, false), (2, 1, true), (0, 3, true), (4, 0, false)] {
            let mut v = neutral();
            v[idx("hon1")] = value_for_points(item("hon1").unwrap(), p1);
            v[idx("hon2")] = value_for_points(item("hon2").unwrap(), p2);
            let a = complete(&v);
            assert_eq!(describes_concern(&a, SeedTopic::TrustBreaker(1)), concern);
        }
        let mut v = neutral();
        v[idx("hon2")] = 5; // "I sometimes tell small untruths": strongly agree
        let b = complete(&v);
        let n = complete(&neutral());
        let one = compare_topics(ByPartner::new(&n, &b));
        assert_eq!(one[0].concern, WhoDescribes::One(PartnerRole::B));
        assert_eq!(
            one[0].sentence(),
            "One partner describes lack of honesty as a concern."
        );
        let both = compare_topics(ByPartner::new(&b, &b));
        assert_eq!(both[0].concern, WhoDescribes::Both);
    }

    #[test]
    fn disagreements_are_widest_first_and_capped() {
        let a = complete(&neutral());
        // Gaps: hon1 by 2, res1 by 1, con1 by 2, every Willingness item by 2,
        // acc1 by 2 (the other way round).
        let idx = |id| items().iter().position(|i| i.id == id).unwrap();
        let mut v = neutral();
        v[idx("hon1")] = 5;
        v[idx("res1")] = 4;
        v[idx("con1")] = 1;
        v[idx("acc1")] = 1;
        let b = complete(&v);
        let d = largest_disagreements(ByPartner::new(&a, &b));
        let ids: Vec<_> = d.iter().map(|d| d.item.id).collect();
        assert_eq!(ids, ["hon1", "con1", "acc1"]);
        assert!(d.iter().all(|d| d.gap() == 2));

        let mut w = by_level(|_| 4);
        w[idx("hon3")] = 1; // a gap of 4 on one item
        let far = complete(&w);
        let n = complete(&by_level(|_| 0));
        let d = largest_disagreements(ByPartner::new(&far, &n));
        assert_eq!(d.len(), MAX_DISAGREEMENTS);
        assert!(d.windows(2).all(|w| w[0].gap() >= w[1].gap()));
        assert!(d.iter().all(|d| d.gap() >= DISAGREEMENT_MIN_GAP));
    }

    #[test]
    fn couples_doc_matches_the_code() {
        let doc = include_str!("../../docs/scoring.md");
        let section = doc.split("## Couples").nth(1).unwrap_or_default();
        // Prose is wrapped; compare with runs of whitespace as one space.
        let couples = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            format!("SHARED_STRENGTH_FROM = {SHARED_STRENGTH_FROM}"),
            format!("MIXED_AGENDA_WILLING_FROM = {MIXED_AGENDA_WILLING_FROM}"),
            format!("WILLINGNESS_CAP_BELOW = {WILLINGNESS_CAP_BELOW}"),
            format!("DISAGREEMENT_MIN_GAP = {DISAGREEMENT_MIN_GAP}"),
            format!("MAX_DISAGREEMENTS = {MAX_DISAGREEMENTS}"),
            JointBookingOffer::PracticeWillContact.message().to_owned(),
            INDIVIDUAL_CONSULT_OFFER.to_owned(),
        ] {
            assert!(
                couples.contains(&needle),
                "docs/scoring.md Couples lacks {needle}"
            );
        }
        for i in SafetyItem::ALL {
            let row = format!("| `{}` | {} |", i.id(), i.question());
            assert!(couples.contains(&row), "docs/scoring.md lacks {row}");
        }
    }

    // --- Properties ------------------------------------------------------------

    /// Answers from two shapes: uniformly random, and a random level per
    /// dimension with ±1 point of jitter per item (reaching every level on
    /// every dimension, so Willingness lands on both sides of both
    /// mixed-agenda thresholds and dimensions on both sides of 70).
    fn answers_strategy() -> impl Strategy<Value = Vec<u8>> {
        let n = items().len();
        let uniform = proptest::collection::vec(1u8..=5, n);
        let by_dimension = (
            proptest::array::uniform6(0u8..=4),
            proptest::collection::vec(0u8..=2, n),
        )
            .prop_map(|(levels, jitter)| {
                items()
                    .iter()
                    .zip(jitter)
                    .map(|(i, j)| {
                        let d = Dimension::ALL.iter().position(|&d| d == i.dimension);
                        let level = levels[d.unwrap_or(0)];
                        value_for_points(i, (level + j).saturating_sub(1).min(4))
                    })
                    .collect::<Vec<u8>>()
            });
        prop_oneof![uniform, by_dimension]
    }

    /// Any screen; half of them all "No", since that is the common case.
    fn screen_strategy() -> impl Strategy<Value = SafetyScreen> {
        let any = proptest::array::uniform5(0usize..3)
            .prop_map(|a| SafetyScreen::from_fn(|i| SafetyAnswer::ALL[a[i as usize]]));
        prop_oneof![Just(clear()), any]
    }

    fn partner_strategy() -> impl Strategy<Value = Partner> {
        (
            proptest::option::weighted(0.8, answers_strategy()),
            proptest::option::weighted(0.8, screen_strategy()),
        )
            .prop_map(|(values, safety)| Partner {
                questionnaire: values.as_deref().map(questionnaire),
                safety,
            })
    }

    fn finished_couple_strategy() -> impl Strategy<Value = Couple> {
        (
            answers_strategy(),
            answers_strategy(),
            screen_strategy(),
            screen_strategy(),
        )
            .prop_map(|(a, b, sa, sb)| couple(&a, &b, sa, sb))
    }

    /// Keep every item's points but move them round within each dimension:
    /// the dimension scores stay the same, the item answers differ.
    fn rotate_within_dimensions(values: &[u8], k: usize) -> Vec<u8> {
        let points: Vec<u8> = items()
            .iter()
            .zip(values)
            .map(|(i, &v)| item_points(i, likert(v)))
            .collect();
        let mut out = values.to_vec();
        for d in Dimension::ALL {
            let idx: Vec<usize> = (0..items().len())
                .filter(|&j| items()[j].dimension == d)
                .collect();
            for (j, &target) in idx.iter().enumerate() {
                let source = idx[(j + k) % idx.len()];
                out[target] = value_for_points(&items()[target], points[source]);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn swapping_partners_swaps_the_report(c in finished_couple_strategy()) {
            let report = c.report().unwrap();
            let swapped = c.clone().swapped().report().unwrap();
            prop_assert_eq!(&swapped, &report.clone().swapped());
            prop_assert_eq!(swapped.overall.a, report.overall.b);
            prop_assert_eq!(swapped.recommendation(), report.recommendation());
            let sentences = |r: &CoupleReport| r.topics.iter().map(|t| t.sentence()).collect::<Vec<_>>();
            prop_assert_eq!(sentences(&swapped), sentences(&report));
            let ids = |r: &CoupleReport| r.disagreements.iter().map(|d| d.item.id).collect::<Vec<_>>();
            prop_assert_eq!(ids(&swapped), ids(&report));
        }

        #[test]
        fn swapping_partners_swaps_flags_and_keeps_the_booking(
            a in partner_strategy(),
            b in partner_strategy(),
        ) {
            let c = Couple::new(a, b);
            let s = c.clone().swapped();
            prop_assert_eq!(s.flags(), c.flags().swapped());
            for p in [JointBookingPolicy::OpenWhenClear, JointBookingPolicy::PracticeContactsEveryCouple] {
                prop_assert_eq!(s.booking_decision(p), c.booking_decision(p));
            }
        }

        #[test]
        fn a_positive_screen_from_either_partner_always_holds(
            a in partner_strategy(),
            b in partner_strategy(),
        ) {
            let c = Couple::new(a, b);
            let positive: Vec<PartnerRole> = PartnerRole::ALL
                .into_iter()
                .filter(|&r| c.partner(r).safety.is_some_and(|s| s.is_positive()))
                .collect();
            let flags = c.flags();
            prop_assert_eq!(flags.safety.is_some(), !positive.is_empty());
            if let Some(hold) = &flags.safety {
                prop_assert_eq!(hold.individual_consult_for(), positive);
                prop_assert!(flags.needs_attention());
                prop_assert_eq!(flags.recommendation(), Recommendation::IndividualConsultFirst);
                for p in [JointBookingPolicy::OpenWhenClear, JointBookingPolicy::PracticeContactsEveryCouple] {
                    let d = c.booking_decision(p);
                    prop_assert!(d.is_safety_hold());
                    prop_assert_ne!(d.partner_offer(), JointBookingOffer::Open);
                }
            }
        }

        /// What a partner sees never depends on the content of any safety
        /// screen beyond "open or not": changing the screens changes nothing
        /// for a couple that is held anyway, and nothing before both finish.
        #[test]
        fn partner_offer_never_tells_safety_from_other_holds(
            c in finished_couple_strategy(),
            sa in screen_strategy(),
            sb in screen_strategy(),
        ) {
            let mut other = c.clone();
            other.partners.a.safety = Some(sa);
            other.partners.b.safety = Some(sb);
            let every = JointBookingPolicy::PracticeContactsEveryCouple;
            prop_assert_eq!(c.booking_decision(every).partner_offer(), other.booking_decision(every).partner_offer());
            let clear_policy = JointBookingPolicy::OpenWhenClear;
            if c.flags().mixed_agenda.is_some() {
                prop_assert_eq!(c.booking_decision(clear_policy).partner_offer(), other.booking_decision(clear_policy).partner_offer());
            }
            let mut unfinished = other.clone();
            unfinished.partners.b.questionnaire = None;
            prop_assert_eq!(unfinished.booking_decision(clear_policy).partner_offer(), JointBookingOffer::NotYet);
        }

        #[test]
        fn mixed_agenda_is_symmetric(a in 0u8..=100, b in 0u8..=100) {
            let m = MixedAgenda::detect(ByPartner::new(a, b));
            prop_assert_eq!(MixedAgenda::detect(ByPartner::new(b, a)), m.map(MixedAgenda::swapped));
            let expected = (a >= MIXED_AGENDA_WILLING_FROM && b < WILLINGNESS_CAP_BELOW)
                || (b >= MIXED_AGENDA_WILLING_FROM && a < WILLINGNESS_CAP_BELOW);
            prop_assert_eq!(m.is_some(), expected);
        }

        #[test]
        fn joint_summary_is_symmetric_and_a_partition(a in answers_strategy(), b in answers_strategy()) {
            let (ra, rb) = (score(&complete(&a)), score(&complete(&b)));
            let s = joint_summary(&ra, &rb);
            prop_assert_eq!(&s, &joint_summary(&rb, &ra));
            let mut all = [s.shared_strengths.clone(), s.grow_together.clone()].concat();
            all.sort();
            prop_assert_eq!(all, JOINT_DIMENSIONS.to_vec());
            for t in s.sentences() {
                assert_names_no_partner(&t);
            }
        }

        /// Only dimension scores matter: not the item answers behind them,
        /// not the overall score or band, not the safety screens.
        #[test]
        fn joint_summary_depends_only_on_dimension_scores(
            c in finished_couple_strategy(),
            k in 1usize..8,
            overall in 0u8..=100,
            sa in screen_strategy(),
        ) {
            let results = c.finished_results().unwrap();
            let summary = joint_summary(results.a, results.b);

            let answers_a = c.partners.a.questionnaire.as_ref().unwrap().answers.answers();
            let values: Vec<u8> = items().iter().map(|i| answers_a.get(i.id).unwrap().value()).collect();
            let moved = score(&complete(&rotate_within_dimensions(&values, k)));
            prop_assert_eq!(&moved.dimensions, &results.a.dimensions);
            prop_assert_eq!(&joint_summary(&moved, results.b), &summary);

            let mut other = results.a.clone();
            other.overall = overall;
            other.band = ReadinessBand::for_score(overall);
            other.instrument_version += 1;
            prop_assert_eq!(&joint_summary(&other, results.b), &summary);

            let mut screened = c.clone();
            screened.partners.a.safety = Some(sa);
            let r = screened.finished_results().unwrap();
            prop_assert_eq!(&joint_summary(r.a, r.b), &summary);
        }

        #[test]
        fn safety_form_round_trips(s in screen_strategy()) {
            let parsed = SafetyScreen::parse_form(form_for(&s)).unwrap();
            prop_assert_eq!(parsed, s);
            prop_assert_eq!(parsed.flag().is_some(), parsed.is_positive());
        }

        #[test]
        fn safety_form_never_panics_and_needs_every_item(
            fields in proptest::collection::vec((".{0,10}", ".{0,16}"), 0..12),
        ) {
            let fields: Vec<(String, String)> = fields
                .into_iter()
                .map(|(n, v)| (format!("s_{n}"), v))
                .collect();
            let answered = SafetyItem::ALL
                .into_iter()
                .all(|i| fields.iter().any(|(n, v)| *n == i.field_name() && !v.trim().is_empty()));
            match SafetyScreen::parse_form(fields) {
                Ok(_) => prop_assert!(answered),
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }

        #[test]
        fn disagreements_are_symmetric_and_bounded(a in answers_strategy(), b in answers_strategy()) {
            let (ca, cb) = (complete(&a), complete(&b));
            let d = largest_disagreements(ByPartner::new(&ca, &cb));
            let s = largest_disagreements(ByPartner::new(&cb, &ca));
            prop_assert!(d.len() <= MAX_DISAGREEMENTS);
            prop_assert_eq!(s, d.iter().map(|x| x.swapped()).collect::<Vec<_>>());
            let min_listed = d.last().map_or(u8::MAX, |x| x.gap());
            let listed: Vec<&str> = d.iter().map(|x| x.item.id).collect();
            for i in items() {
                let gap = ca.get(i.id).unwrap().value().abs_diff(cb.get(i.id).unwrap().value());
                if gap >= DISAGREEMENT_MIN_GAP && !listed.contains(&i.id) {
                    // Only left off because the list is full of wider or equal gaps.
                    prop_assert!(d.len() == MAX_DISAGREEMENTS && gap <= min_listed);
                }
            }
        }
    }
}

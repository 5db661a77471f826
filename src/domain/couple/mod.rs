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
//!
//! This file holds the partners; `questions` and `safety` the private check-in, `agenda` the mixed-agenda
//! rule, `decision` what the flags decide, `joint_summary` and `report` what each side sees.

use std::cmp::Reverse;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::questionnaire::{About, CompleteAnswers, Dimension, Item, Leaning, Likert, SeedTopic};
use super::scoring::{item_points, ReadinessBand, ReadinessResult};

mod agenda;
mod decision;
mod joint_summary;
mod questions;
mod report;
mod safety;
#[cfg(test)]
mod tests;

pub use agenda::*;
pub use decision::*;
pub use joint_summary::*;
pub use questions::*;
pub use report::*;
pub use safety::*;

// Partners: the two of a couple, and a value per partner.

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
    /// The questionnaire (of its own version), once complete.
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
        let screens = self.partners.as_ref().map(|p| {
            let leaving = is_leaving(p.questionnaire.as_ref().and_then(|q| q.result.leaning));
            p.safety.as_ref().map(|s| (s, leaving))
        });
        let leaning = self
            .finished_questionnaires()
            .map(|q| q.map(|q| q.result.leaning));
        CoupleFlags {
            safety: SafetyHold::from_screens(screens),
            mixed_agenda: leaning.and_then(MixedAgenda::detect),
        }
    }

    /// A partner has not answered the private check-in (not yet, or never: a client who
    /// left by Quick exit as the partner walked in). Staff booking the couple together is then
    /// held as for a positive one (clinical review 3, N9). Clinician-side only: the partners'
    /// own pages wait for both to finish whatever the reason.
    pub fn check_in_missing(&self) -> bool {
        self.partners.a.safety.is_none() || self.partners.b.safety.is_none()
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

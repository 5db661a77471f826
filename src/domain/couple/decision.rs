//! What a couple's flags decide: the clinician's recommendation, and what each partner is
//! offered for booking (one wording for every reason the practice steps in).

use super::*;

// Flags and booking

/// Everything that marks a couple for the clinician's attention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoupleFlags {
    /// Set when either partner's safety screen is positive.
    pub safety: Option<SafetyHold>,
    /// Set when the partners do not both lean in ([`MixedAgenda`]).
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
                "A safety screen is positive. Do not book joint sessions yet: talk with each partner privately, first the one whose screen is positive, and offer each an individual consult. Never mention the screen to the other partner."
            }
            Recommendation::DiscernmentConsult => {
                "The partners do not both want to work on the relationship right now: one may be unsure, leaning out or decided, or both may be unsure. Offer a discernment-style consult, to explore whether and how to work on the relationship, rather than standard couples therapy (refer on if no one here is trained in it). Where a partner has decided to end it, offer separation-focused help instead."
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

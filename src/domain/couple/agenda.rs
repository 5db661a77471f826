//! The mixed-agenda rule: one partner willing to rebuild, the other not.

use super::*;

// Mixed agenda

/// A commitment score at or above this counts as leaning in: see
/// [`crate::domain::scoring::leaning`]. The other side of version 1's rule is a score below
/// [`WILLINGNESS_CAP_BELOW`].
pub const MIXED_AGENDA_WILLING_FROM: u8 = crate::domain::scoring::LEANING_IN_FROM;

/// The partners do not both want to work on the relationship: one leans in and the other is
/// unsure, leaning out or has decided (the seed's "unable or unwilling" case), or neither
/// leans in (shared doubt). Read from each partner's [`Leaning`], whichever version they
/// answered.
///
/// Standard couples therapy assumes both want to work on the relationship; a
/// discernment-style consult is recommended instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixedAgenda {
    /// The partner who wants to work on it; `None` when neither does.
    pub willing: Option<PartnerRole>,
    /// Where each partner is, for the clinician.
    pub leaning: ByPartner<Leaning>,
}

impl MixedAgenda {
    /// The flag for two leanings; none when both lean in, or when either is not known (a
    /// version 1 result in the middle of the scale).
    pub fn detect(leaning: ByPartner<Option<Leaning>>) -> Option<Self> {
        let leaning = ByPartner::new(leaning.a?, leaning.b?);
        let leans_in = |r: PartnerRole| *leaning.get(r) == Leaning::In;
        let willing = match (leans_in(PartnerRole::A), leans_in(PartnerRole::B)) {
            (true, true) => return None,
            (true, false) => Some(PartnerRole::A),
            (false, true) => Some(PartnerRole::B),
            (false, false) => None,
        };
        Some(MixedAgenda { willing, leaning })
    }

    /// Someone has decided to end the relationship: separation-focused help, not discernment.
    pub fn ending(&self) -> bool {
        PartnerRole::ALL
            .into_iter()
            .any(|r| *self.leaning.get(r) == Leaning::Decided)
    }

    /// One sentence for the clinician: where each partner is.
    pub fn describe(&self) -> String {
        let each = |r: PartnerRole| format!("{} {}", r.label(), self.leaning.get(r).label());
        let kind = match self.willing {
            Some(_) => "Mixed agenda",
            None => "Shared doubt",
        };
        let mut text = format!(
            "{kind}: {}; {}.",
            each(PartnerRole::A),
            each(PartnerRole::B)
        );
        if self.ending() {
            text.push_str(" Offer separation-focused help rather than discernment counselling.");
        }
        text
    }

    /// The same flag with A and B exchanged.
    pub fn swapped(self) -> Self {
        MixedAgenda {
            willing: self.willing.map(PartnerRole::other),
            leaning: self.leaning.swapped(),
        }
    }
}

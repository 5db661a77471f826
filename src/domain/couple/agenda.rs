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
/// answered; a version 1 result in the middle of its scale has none, and then the other
/// partner's alone decides.
///
/// Standard couples therapy assumes both want to work on the relationship; a
/// discernment-style consult is recommended instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixedAgenda {
    /// The partner who wants to work on it; `None` when neither does.
    pub willing: Option<PartnerRole>,
    /// Where each partner is, for the clinician (`None`: a version 1 result in the middle).
    pub leaning: ByPartner<Option<Leaning>>,
}

impl MixedAgenda {
    /// The flag for two finished partners' leanings: set when either is known not to lean in.
    pub fn detect(leaning: ByPartner<Option<Leaning>>) -> Option<Self> {
        let not_in = |r: PartnerRole| leaning.get(r).is_some_and(|l| l != Leaning::In);
        if !not_in(PartnerRole::A) && !not_in(PartnerRole::B) {
            return None;
        }
        let leans_in = |r: PartnerRole| *leaning.get(r) == Some(Leaning::In);
        let willing = PartnerRole::ALL.into_iter().find(|&r| leans_in(r));
        Some(MixedAgenda { willing, leaning })
    }

    /// Someone has decided to end the relationship: separation-focused help, not discernment.
    pub fn ending(&self) -> bool {
        PartnerRole::ALL
            .into_iter()
            .any(|r| *self.leaning.get(r) == Some(Leaning::Decided))
    }

    /// One sentence for the clinician: where each partner is.
    pub fn describe(&self) -> String {
        let each = |r: PartnerRole| {
            let where_ = self.leaning.get(r).map_or(
                "is neither clearly in nor out (version 1 answers)",
                Leaning::label,
            );
            format!("{} {where_}", r.label())
        };
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

//! The mixed-agenda rule: one partner willing to rebuild, the other not.

use super::*;

// Mixed agenda

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

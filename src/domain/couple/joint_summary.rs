//! The summary both partners see once both have finished, built from the two results alone.

use super::*;

// Joint summary (both partners see it)

/// A dimension is a shared strength when both partners score at least this:
/// the level whose own summary describes it as a strength.
pub const SHARED_STRENGTH_FROM: u8 = 70;

/// Whether, and to whom, the joint summary is shown (`JOINT_SUMMARY`).
///
/// A clinical judgement call, written down in `docs/safety.md`: by default it is for the
/// clinician to give in a session, after each partner has been seen alone. A summary both
/// partners read at home turns one partner's honest answers into something the other can act
/// on: a partner quietly planning for safety who says they keep things back would hand the
/// other a reason to check their phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JointSummaryMode {
    /// Not on the clients' pages; the clinician has both partners' results side by side.
    #[default]
    Clinician,
    /// On both partners' summary pages once both have finished.
    Shown,
    /// Nowhere: the clients' pages do not mention one.
    Off,
}

/// The dimensions the joint summary speaks about. Willingness and commitment are left out on
/// purpose: they would tell one partner how willing the other is, which is for a clinician to
/// explore (see [`MixedAgenda`]). So is owning one's part: "an area to grow together" would
/// hand one partner's part to both, and would shift with the private answer that leaves it
/// unscored for someone whose partner broke trust (clinical review P7, P11). So is honesty:
/// its items ask whether one keeps things from the partner, which is what someone planning
/// for their safety honestly says (clinical review 3, N4).
pub const JOINT_DIMENSIONS: [Dimension; 3] = [
    Dimension::Respect,
    Dimension::Connection,
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
pub(super) fn is_strength(r: &ReadinessResult, d: Dimension) -> bool {
    r.dimension(d).is_some_and(|s| s >= SHARED_STRENGTH_FROM)
}

/// How the joint summary names a dimension, addressed to both partners.
/// The dimensions outside [`JOINT_DIMENSIONS`] have a phrase only so the match is total; the
/// summary never uses them.
pub fn joint_phrase(d: Dimension) -> &'static str {
    match d {
        Dimension::Honesty => "being open and honest with each other",
        Dimension::Respect => "treating each other with respect, without blame or shame",
        Dimension::Connection => "working through disagreements and staying close",
        Dimension::Accountability => "being ready to own your part",
        Dimension::RepairSkills => "talking things through and repairing after hard moments",
        Dimension::Willingness | Dimension::OwnCommitment => "wanting to rebuild trust together",
        Dimension::PartnerCommitment => "trusting that you both want this",
        Dimension::OpennessToHelp => "being open to support",
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
        let grow = self.grow_together.iter().map(|&d| {
            format!(
                "Something you might explore with a clinician: {}.",
                joint_phrase(d)
            )
        });
        std::iter::once(JOINT_SUMMARY_INTRO.to_owned())
            .chain(strengths)
            .chain(grow)
            .collect()
    }
}

//! Scoring: complete answers → a readiness result, plus the plain-words
//! summaries and the personalised "5 ways to rebuild" shown on the result page.
//!
//! The formula is written out in `docs/scoring.md`, one per [`Instrument`] version; answers
//! are always scored by their own version's rules, and any change to weights, bands or
//! rounding is a new version.
//! Arithmetic is done in integers (item points 0..=4), so a tie such as 62.5
//! rounds the same way on the server and in the browser, and no float error
//! can move a score across a band boundary.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::questionnaire::{
    CompleteAnswers, Dimension, Instrument, Item, Leaning, Likert, SeedTopic, TrustRole,
};

/// Weight of a dimension in the overall readiness score, in percent.
///
/// Readiness to rebuild is mostly about willingness and owning one's part: the
/// seed's 5 ways to rebuild start with taking responsibility and learning one's
/// patterns (Accountability), continue with skills (RepairSkills), and its
/// "unable or unwilling" case is where rebuilding stalls (Willingness). Honesty,
/// Respect and Connection describe the damage to the relationship's climate,
/// which therapy works on, not the readiness to do that work.
///
/// Version 2 splits version 1's Willingness (30) into the person's own commitment (20) and
/// their openness to help (10); what they believe of their partner's commitment weighs
/// nothing, as it is about someone else. Each version's weights sum to 100.
pub const fn weight_percent(d: Dimension) -> u32 {
    match d {
        Dimension::Willingness => 30,
        Dimension::OwnCommitment => 20,
        Dimension::OpennessToHelp => 10,
        Dimension::PartnerCommitment => 0,
        Dimension::Accountability => 20,
        Dimension::RepairSkills => 20,
        Dimension::Honesty => 10,
        Dimension::Respect => 10,
        Dimension::Connection => 10,
    }
}

/// Weight of a dimension as a fraction; the weights sum to 1.
pub fn weight(d: Dimension) -> f64 {
    f64::from(weight_percent(d)) / 100.0
}

/// An item's points, 0..=4: `v − 1`, or `5 − v` for a reverse-keyed item.
/// The item score in the documented formula is `points / 4`, in [0, 1].
pub fn item_points(item: &Item, v: Likert) -> u8 {
    let v = v.value();
    if item.reverse {
        5u8.saturating_sub(v)
    } else {
        v.saturating_sub(1)
    }
}

/// Where a client's overall readiness falls. Contiguous bands over 0..=100
/// ([`ReadinessBand::for_score`]); the band a result shows is then capped by
/// willingness ([`capped_band`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessBand {
    /// 0–39: safety, willingness or the basics of talking need attention first.
    FoundationsFirst,
    /// 40–69: some readiness is there and some pieces are still forming.
    Building,
    /// 70–100, and Willingness at least [`WILLINGNESS_CAP_BELOW`]:
    /// willingness, ownership and skills are largely in place.
    ReadyToRebuild,
}

impl ReadinessBand {
    /// All bands, lowest first.
    pub const ALL: [ReadinessBand; 3] = [
        ReadinessBand::FoundationsFirst,
        ReadinessBand::Building,
        ReadinessBand::ReadyToRebuild,
    ];

    /// The band of an overall score, before the willingness cap (see
    /// [`capped_band`]). Scores above 100 (never produced) count as the top
    /// band rather than panicking.
    pub fn for_score(score: u8) -> Self {
        match score {
            0..=39 => ReadinessBand::FoundationsFirst,
            40..=69 => ReadinessBand::Building,
            _ => ReadinessBand::ReadyToRebuild,
        }
    }

    /// The scores this band covers.
    pub fn range(self) -> RangeInclusive<u8> {
        match self {
            ReadinessBand::FoundationsFirst => 0..=39,
            ReadinessBand::Building => 40..=69,
            ReadinessBand::ReadyToRebuild => 70..=100,
        }
    }

    /// Warm, non-diagnostic name shown to the client.
    pub fn label(self) -> &'static str {
        match self {
            ReadinessBand::FoundationsFirst => "Laying foundations",
            ReadinessBand::Building => "Building readiness",
            ReadinessBand::ReadyToRebuild => "Ready to rebuild",
        }
    }

    /// Two sentences for the result page: what the band means, and what helps.
    pub fn description(self) -> &'static str {
        match self {
            ReadinessBand::FoundationsFirst => {
                "Right now, rebuilding trust may feel hard to even begin, and that is a very human place to be. \
                 A first conversation with a therapist can help you find steady ground before the deeper work."
            }
            ReadinessBand::Building => {
                "Some of what helps trust grow again is already in place for you, and some is still taking shape. \
                 Working with a therapist can help you build on what is there and fill in the rest."
            }
            ReadinessBand::ReadyToRebuild => {
                "You describe much of the willingness and many of the skills that rebuilding trust calls for. \
                 A therapist can help you put them to work together, at a pace that feels safe for you both."
            }
        }
    }

    /// Stable storage key (also the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadinessBand::FoundationsFirst => "foundations_first",
            ReadinessBand::Building => "building",
            ReadinessBand::ReadyToRebuild => "ready_to_rebuild",
        }
    }

    /// Inverse of [`ReadinessBand::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// A commitment score (Willingness in version 1, own commitment in version 2) below this caps
/// the band at [`ReadinessBand::Building`], whatever the overall score.
pub const WILLINGNESS_CAP_BELOW: u8 = 40;

/// A commitment score at or above this reads as leaning in ([`leaning`]): the level whose
/// summary reads "You feel willing and able to work on rebuilding trust".
pub const LEANING_IN_FROM: u8 = 70;

/// Someone who says "I want to work on it" reads as leaning in from this commitment score on,
/// though it is under [`LEANING_IN_FROM`]: thoughts of ending are common in couples who come to
/// therapy, and reading every ambivalent moment as "unsure" flagged a third of people who said
/// they want to rebuild, are committed and are not unsure (clinical review 3, N10). A clinical
/// judgement call, to validate against clinicians' ratings.
pub const STATED_IN_HOLDS_FROM: u8 = 55;

/// Where someone is about the relationship, from their commitment score and (version 2) what
/// they said: the more leaning-out of the two, as a careful reading of mixed signals, except
/// that a stated "in" holds from [`STATED_IN_HOLDS_FROM`]. Version
/// 1 has no direct question and pools commitment with other things, so only its clear ends
/// count there and a middle score is `None`.
pub fn leaning(version: Instrument, commitment: u8, said: Option<Leaning>) -> Option<Leaning> {
    let from_score = match commitment {
        c if c >= LEANING_IN_FROM => Leaning::In,
        c if c < WILLINGNESS_CAP_BELOW => Leaning::Out,
        _ => Leaning::Unsure,
    };
    match version {
        Instrument::V1 => (from_score != Leaning::Unsure).then_some(from_score),
        Instrument::V2 if said == Some(Leaning::In) && commitment >= STATED_IN_HOLDS_FROM => {
            Some(Leaning::In)
        }
        Instrument::V2 => Some(said.map_or(from_score, |said| said.min(from_score))),
    }
}

/// The band a result shows: the band of `overall`, but at most
/// [`ReadinessBand::Building`] when the commitment score is below
/// [`WILLINGNESS_CAP_BELOW`] or the person is anything but leaning in.
///
/// The overall score is a weighted mean, so a client with no willingness at
/// all could otherwise reach the top band on the strength of the other
/// dimensions. The practice's article is clear that when a partner is unable
/// or unwilling to rebuild, getting help comes first, so "Ready to rebuild"
/// needs at least some willingness. The overall number is left unchanged.
///
/// Monotone in every argument: a higher overall or commitment score, or a leaning further
/// in, never gives a lower band.
pub fn capped_band(overall: u8, commitment: u8, leaning: Option<Leaning>) -> ReadinessBand {
    let band = ReadinessBand::for_score(overall);
    if commitment < WILLINGNESS_CAP_BELOW || leaning.is_some_and(|l| l < Leaning::In) {
        band.min(ReadinessBand::Building)
    } else {
        band
    }
}

/// One dimension's score, 0..=100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionScore {
    /// The dimension.
    pub dimension: Dimension,
    /// round(100 × mean item score), 0..=100.
    pub score: u8,
}

/// The computed result of one complete submission. Stored with the
/// submission, together with the instrument version that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessResult {
    /// The version of the answers scored.
    pub instrument_version: u32,
    /// Weighted overall readiness, 0..=100.
    pub overall: u8,
    /// The band of `overall`, capped by commitment and leaning ([`capped_band`]).
    pub band: ReadinessBand,
    /// One score per dimension scored, in [`Dimension::ALL`] order. A dimension whose every
    /// answer was "Doesn't apply" has none, and neither has ownership (version 2) for someone
    /// who says trust was mostly hurt by their partner.
    pub dimensions: Vec<DimensionScore>,
    /// Where they are about the relationship ([`leaning`]).
    #[serde(default)]
    pub leaning: Option<Leaning>,
}

impl ReadinessResult {
    /// The score of one dimension.
    pub fn dimension(&self, d: Dimension) -> Option<u8> {
        self.dimensions
            .iter()
            .find(|s| s.dimension == d)
            .map(|s| s.score)
    }

    /// The score the band cap and the leaning rest on: Willingness (version 1) or own
    /// commitment (version 2).
    pub fn commitment(&self) -> Option<u8> {
        self.dimension(Dimension::Willingness)
            .or_else(|| self.dimension(Dimension::OwnCommitment))
    }
}

/// Sum of points and number of answered items for the items `keep` selects.
/// "Doesn't apply" answers and unscored statements count for neither.
fn tally(answers: &CompleteAnswers, keep: impl Fn(&Item) -> bool) -> (u64, u64) {
    answers
        .version()
        .items()
        .iter()
        .filter(|i| i.scored && keep(i))
        .filter_map(|i| answers.get(i.id).map(|v| u64::from(item_points(i, v))))
        .fold((0, 0), |(pts, n), p| (pts + p, n + 1))
}

/// `round(num / den)` with halves rounded up; 0 when `den` is 0.
fn round_ratio(num: u64, den: u64) -> u64 {
    if den == 0 {
        0
    } else {
        (2 * num + den) / (2 * den)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn to_score(x: u64) -> u8 {
    u8::try_from(x.min(100)).unwrap_or(100)
}

/// Whether a dimension is scored for these answers: ownership is not, in version 2, for
/// someone who says trust was mostly hurt by something their partner did (their low score
/// there would be expected, not a deficit: clinical review P7).
fn scored(answers: &CompleteAnswers, d: Dimension) -> bool {
    !(d == Dimension::Accountability && answers.answers().role() == Some(TrustRole::Partner))
}

/// Score complete answers, by the rules of their version.
///
/// Dimension score = round(100 × mean item score). Overall = round(Σ w_d × 100 × mean_d /
/// Σ w_d) over the dimensions scored, from the unrounded means (Σ w_d is 100 unless a
/// dimension is not scored). Both are computed exactly as fractions: mean_d = points_d /
/// (4 × n_d). Band = [`capped_band`] of the overall score, the (rounded) commitment score and
/// the [`leaning`].
pub fn score(answers: &CompleteAnswers) -> ReadinessResult {
    let version = answers.version();
    let tallies: Vec<(Dimension, u64, u64)> = version
        .dimensions()
        .into_iter()
        .filter(|&d| scored(answers, d))
        .map(|d| {
            let (pts, n) = tally(answers, |i| i.dimension == d);
            (d, pts, n)
        })
        .filter(|t| t.2 > 0)
        .collect();

    let dimensions: Vec<DimensionScore> = tallies
        .iter()
        .map(|&(dimension, pts, n)| DimensionScore {
            dimension,
            score: to_score(round_ratio(100 * pts, 4 * n)),
        })
        .collect();

    // Σ w% × pts / (4n), over the least common denominator so the sum is exact; then divided
    // by Σ w% / 100.
    let weighted: Vec<_> = tallies.iter().filter(|t| weight_percent(t.0) > 0).collect();
    let den = weighted
        .iter()
        .fold(1u64, |l, &&(_, _, n)| l / gcd(l, 4 * n) * (4 * n));
    let num: u64 = weighted
        .iter()
        .map(|&&(d, pts, n)| u64::from(weight_percent(d)) * pts * (den / (4 * n)))
        .sum();
    let total_weight: u64 = weighted
        .iter()
        .map(|t| u64::from(weight_percent(t.0)))
        .sum();
    let overall = to_score(round_ratio(100 * num, den * total_weight.max(1)));

    let mut result = ReadinessResult {
        instrument_version: version.number(),
        overall,
        band: ReadinessBand::FoundationsFirst,
        dimensions,
        leaning: None,
    };
    // Every version scores a commitment dimension; 0 (the strictest cap) if it ever did not.
    let commitment = result.commitment().unwrap_or(0);
    result.leaning = leaning(version, commitment, answers.answers().said_leaning());
    result.band = capped_band(overall, commitment, result.leaning);
    result
}

/// The areas a client's own summary speaks about, in words: the same four as the summary
/// together. Commitment, the partner's commitment and openness to help are left out (they say
/// where someone is about the relationship, and a partner may see the page), and so is owning
/// one's part, which is not scored for someone who says their partner broke trust: a row that
/// came and went with that answer would show it. The clinician sees all of them, with numbers.
pub const CLIENT_DIMENSIONS: [Dimension; 4] = [
    Dimension::Honesty,
    Dimension::Respect,
    Dimension::Connection,
    Dimension::RepairSkills,
];

/// A score in words for the client, with the bands' cut points (<40, 40–69, ≥70): never a
/// number, which reads like a test grade.
pub fn level_words(score: u8) -> &'static str {
    match ReadinessBand::for_score(score) {
        ReadinessBand::FoundationsFirst => "A place to start",
        ReadinessBand::Building => "Taking shape",
        ReadinessBand::ReadyToRebuild => "A strength",
    }
}

/// One sentence about a dimension's score, addressed to the client: three
/// levels with the same cut points as the bands (<40, 40–69, ≥70).
pub fn dimension_summary(d: Dimension, score: u8) -> &'static str {
    use Dimension::*;
    use ReadinessBand::*;
    match (d, ReadinessBand::for_score(score)) {
        (Honesty, FoundationsFirst) => "Being fully open with your partner may feel hard right now, and a safe space to talk can make honesty easier.",
        (Honesty, Building) => "You are open with your partner in many ways, and there is room to say more of what matters.",
        (Honesty, ReadyToRebuild) => "You describe being open and clear with your partner, which gives trust something solid to grow on.",
        (Respect, FoundationsFirst) => "Blame, criticism or guilt seem to be weighing on how you treat each other, and that can change with support.",
        (Respect, Building) => "You often treat each other with care, though hard moments can still slip into blame or criticism.",
        (Respect, ReadyToRebuild) => "You describe treating each other with acceptance and respect, even when things are hard.",
        (Connection, FoundationsFirst) => "Disagreements and distance seem to be taking a toll on your closeness, and closeness can be rebuilt.",
        (Connection, Building) => "You feel close in some ways, and conflict sometimes still pulls you apart.",
        (Connection, ReadyToRebuild) => "You describe feeling close and working through disagreements, a real strength to build on.",
        (Accountability, FoundationsFirst) => "Looking at your own part may feel hard right now. That is a common place to start.",
        (Accountability, Building) => "You are beginning to see your own part and patterns, an important first step in rebuilding trust.",
        (Accountability, ReadyToRebuild) => "You are ready to own your part and look at your patterns, which is where rebuilding trust begins.",
        (RepairSkills, FoundationsFirst) => "The skills for talking and repairing may feel new to you, and they are skills anyone can learn.",
        (RepairSkills, Building) => "You have some good skills for talking and repairing, and more can be learned together.",
        (RepairSkills, ReadyToRebuild) => "You already use many skills that help repair and protect trust.",
        (Willingness, FoundationsFirst) => "You may be unsure whether you or your partner can rebuild right now. A therapist can help you explore that safely.",
        (Willingness, Building) => "Part of you is ready to work on trust and part of you is still unsure, which is completely understandable.",
        (Willingness, ReadyToRebuild) => "You feel willing and able to work on rebuilding trust, and open to support along the way.",
        (OwnCommitment, FoundationsFirst) => "Part of you may not want to rebuild right now, or may not feel able to. That is worth talking through with a therapist, whatever you decide.",
        (OwnCommitment, Building) => "Part of you wants to work on trust and part of you is still unsure, which is completely understandable.",
        (OwnCommitment, ReadyToRebuild) => "You describe wanting to work on rebuilding trust, and feeling able to.",
        (PartnerCommitment, FoundationsFirst) => "You may doubt whether your partner wants to rebuild. A clinician can help you think it through, on your own or together.",
        (PartnerCommitment, Building) => "You are not sure how committed your partner is, a question many people bring to a first consult.",
        (PartnerCommitment, ReadyToRebuild) => "You believe your partner wants to work on rebuilding trust too.",
        (OpennessToHelp, FoundationsFirst) => "You may have doubts about seeing a professional. A first conversation is a chance to ask questions, with no obligation.",
        (OpennessToHelp, Building) => "You are open to some support and have some doubts, which you are welcome to bring to a first conversation.",
        (OpennessToHelp, ReadyToRebuild) => "You are open to working with a professional on this.",
    }
}

/// One of the seed's 5 ways to rebuild trust, personalised from the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RebuildWayGuidance {
    /// 1..=5, the seed's numbering.
    pub number: u8,
    /// A short paraphrase of the way.
    pub title: &'static str,
    /// The items for this way average at least 0.6 (see [`STRENGTH_THRESHOLD`]).
    pub strength: bool,
    /// A strength to keep using, or a gentle place to start.
    pub text: &'static str,
}

/// Mean item score at or above which a rebuild way counts as a strength.
pub const STRENGTH_THRESHOLD: f64 = 0.6;

/// (title, text when a strength, text when a place to start), for ways 1..=5.
const REBUILD_WAYS: [(&str, &str, &str); 5] = [
    (
        "Owning your part",
        "You are able to take responsibility for your part. Keep offering that openly: it is the first step in rebuilding trust.",
        "If you had a part in what happened, a good first step is to name it. Be gentle with yourself, and make no excuses.",
    ),
    (
        "Understanding your patterns",
        "You are curious about the habits and patterns behind what happened; keep exploring them so they don't repeat.",
        "A good place to start is noticing the habits and old patterns that shaped what happened, even the ones you didn't choose.",
    ),
    (
        "Caring in your partner's language",
        "You know how your partner best feels cared for; keep showing care in ways that reach them and feel right to you.",
        "If you want to, and if it feels safe, a place to start is learning what helps your partner feel cared for.",
    ),
    (
        "Talking in ways that feel safe",
        "You can listen and share feelings calmly; keep using those skills to make your conversations feel safe.",
        "A good first step is to practise calm listening and sharing. Then hard talks can feel safer for you both.",
    ),
    (
        "Working through conflict",
        "You have ways to calm and repair arguments; keep using them when new disagreements come up.",
        "A good place to start is learning simple ways to pause, calm down and repair after a disagreement.",
    ),
];

/// The 5 ways to rebuild, in order, each marked as a strength or a place to start. A way is
/// left out only when nothing of it was rated ("Doesn't apply"). Who the person says broke
/// trust changes nothing here: the page shows on a phone a partner may pick up, so it must not
/// differ by that answer (clinical review 3, N1); the texts of the first two ways are written
/// for anyone ("If you had a part …").
pub fn rebuild_guidance(answers: &CompleteAnswers) -> Vec<RebuildWayGuidance> {
    (1u8..=5)
        .zip(REBUILD_WAYS)
        .filter_map(|(number, (title, strong, start))| {
            let (pts, n) = tally(answers, |i| i.source.topic == SeedTopic::RebuildWay(number));
            if n == 0 {
                return None;
            }
            // mean = pts / (4n) ≥ 0.6  ⇔  5·pts ≥ 12·n, kept in integers.
            let strength = 5 * pts >= 12 * n;
            Some(RebuildWayGuidance {
                number,
                title,
                strength,
                text: if strength { strong } else { start },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_v2;

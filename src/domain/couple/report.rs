//! The clinician's couple report: dimensions side by side, each trust breaker and way to
//! rebuild, and the items the partners disagree on most.

use super::*;

// Clinician's couple report

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
    /// Each partner's score, 0..=100; `None` where their version does not score it for them
    /// (another version's dimension, or ownership for someone who says their partner broke
    /// trust).
    pub scores: ByPartner<Option<u8>>,
}

impl DimensionComparison {
    /// How far apart the two scores are (0 unless both have one).
    pub fn gap(&self) -> u8 {
        match (self.scores.a, self.scores.b) {
            (Some(a), Some(b)) => a.abs_diff(b),
            _ => 0,
        }
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

/// One seed topic (a trust breaker or a way to rebuild) compared across partners, for the
/// statements of one kind: about each person themselves, or about the two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TopicComparison {
    /// The topic.
    pub topic: SeedTopic,
    /// Whom the compared statements are about ([`About::Own`] or [`About::Relationship`]).
    pub about: About,
    /// Whose answers point to it as a concern.
    pub concern: WhoDescribes,
}

impl TopicComparison {
    /// Says whom the answers are about: "One partner's answers about themselves point to
    /// blaming." is what that partner said of their own actions; "Both partners describe
    /// blaming between them as a concern." is what each said of the two of them. Never names a
    /// partner, so it reads the same with A and B swapped; the page may add the partner from
    /// [`TopicComparison::concern`].
    pub fn sentence(&self) -> String {
        let topic = lower_first(self.topic.label());
        let way = matches!(self.topic, SeedTopic::RebuildWay(_));
        match self.about {
            About::Relationship => {
                let who = match self.concern {
                    WhoDescribes::Both => "Both partners describe",
                    WhoDescribes::One(_) => "One partner describes",
                    WhoDescribes::Neither => "Neither partner describes",
                };
                let what = if way {
                    "as an area still to develop"
                } else {
                    "as a concern"
                };
                format!("{who} {topic} between them {what}.")
            }
            About::Own | About::Partner => {
                let whose = match self.concern {
                    WhoDescribes::Both => "Both partners'",
                    WhoDescribes::One(_) => "One partner's",
                    WhoDescribes::Neither => "Neither partner's",
                };
                let whom = if self.about == About::Own {
                    "themselves"
                } else {
                    "their partner"
                };
                if way {
                    format!(
                        "{whose} answers about {whom} show {topic} as an area still to develop."
                    )
                } else {
                    format!("{whose} answers about {whom} point to {topic}.")
                }
            }
        }
    }

    fn swapped(self) -> Self {
        TopicComparison {
            concern: self.concern.swapped(),
            ..self
        }
    }
}

pub(super) fn lower_first(s: &str) -> String {
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

    pub(super) fn swapped(self) -> Self {
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
    /// Every dimension either partner has a score on, in [`Dimension::ALL`] order.
    pub dimensions: Vec<DimensionComparison>,
    /// The 16 trust breakers then the 5 ways to rebuild, in seed order.
    pub topics: Vec<TopicComparison>,
    /// The items answered furthest apart ([`largest_disagreements`]).
    pub disagreements: Vec<ItemDisagreement>,
    /// What each says has most affected trust (`None`: version 1, which did not ask).
    pub roles: ByPartner<Option<crate::domain::questionnaire::TrustRole>>,
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
            roles: answers.map(|a| a.answers().role()),
            flags,
        }
    }

    /// Each partner says trust was most affected by something the other did: a key fact for
    /// the first session (clinical review 3, N19), whether it is a standoff over blame or one
    /// partner not owning what they did.
    pub fn each_blames_the_other(&self) -> bool {
        use crate::domain::questionnaire::TrustRole;
        self.roles.a == Some(TrustRole::Partner) && self.roles.b == Some(TrustRole::Partner)
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
            roles: self.roles.swapped(),
            flags: self.flags.swapped(),
        }
    }
}

/// Both partners' score on every dimension either has one on, in [`Dimension::ALL`] order.
pub fn compare_dimensions(results: ByPartner<&ReadinessResult>) -> Vec<DimensionComparison> {
    Dimension::ALL
        .into_iter()
        .map(|dimension| DimensionComparison {
            dimension,
            scores: results.map(|r| r.dimension(dimension)),
        })
        .filter(|d| d.scores.a.is_some() || d.scores.b.is_some())
        .collect()
}

/// The seed topics the report compares: trust breakers 1–16, then ways to
/// rebuild 1–5.
pub fn compared_topics() -> impl Iterator<Item = SeedTopic> {
    (1..=16)
        .map(SeedTopic::TrustBreaker)
        .chain((1..=5).map(SeedTopic::RebuildWay))
}

/// Whether a partner's answers point to a topic as a concern, over its statements about
/// `about`: on balance they sit on the difficult side of neutral (mean item score below 0.5,
/// i.e. points < 2 × items, kept in integers).
///
/// Owning one's part and one's patterns (rebuild ways 1 and 2, section 4) are never a concern
/// for someone whose section 4 is not scored (they say their partner broke trust).
pub fn describes_concern(answers: &CompleteAnswers, topic: SeedTopic, about: About) -> bool {
    let own_part = matches!(topic, SeedTopic::RebuildWay(1 | 2));
    if own_part
        && answers.answers().role() == Some(crate::domain::questionnaire::TrustRole::Partner)
    {
        return false;
    }
    let (points, n) = answers
        .version()
        .items()
        .iter()
        .filter(|i| i.source.topic == topic && i.about == about)
        .filter_map(|i| answers.get(i.id).map(|v| u32::from(item_points(i, v))))
        .fold((0, 0), |(p, n), x| (p + x, n + 1));
    n > 0 && points < 2 * n
}

/// A "both / one / neither" comparison for every topic of [`compared_topics`]: one for its
/// statements about each person themselves and one for those about the two of them, where the
/// topic has them, in that order.
pub fn compare_topics(answers: ByPartner<&CompleteAnswers>) -> Vec<TopicComparison> {
    compared_topics()
        .flat_map(|topic| {
            [About::Own, About::Relationship]
                .into_iter()
                .filter(move |&about| {
                    let versions = [answers.a.version(), answers.b.version()];
                    versions.into_iter().any(|v| {
                        v.items()
                            .iter()
                            .any(|i| i.source.topic == topic && i.about == about)
                    })
                })
                .map(move |about| TopicComparison {
                    topic,
                    about,
                    concern: WhoDescribes::of(answers.map(|a| describes_concern(a, topic, about))),
                })
        })
        .collect()
}

/// Statements about the relationship ([`About::Relationship`]: both partners describe the same
/// thing) answered at least [`DISAGREEMENT_MIN_GAP`] steps apart, widest gap first and, within
/// a gap, in questionnaire order; at most [`MAX_DISAGREEMENTS`]. Statements about each person
/// themselves are never compared: "I am honest" answered differently by two people is not a
/// disagreement. Across versions, only statements both were asked (one id, one wording) are
/// compared.
pub fn largest_disagreements(answers: ByPartner<&CompleteAnswers>) -> Vec<ItemDisagreement> {
    let mut found: Vec<ItemDisagreement> = answers
        .a
        .version()
        .items()
        .iter()
        .filter(|item| item.about == About::Relationship)
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

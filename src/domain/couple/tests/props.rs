//! Properties of the couple rules over generated partners.

use super::summary::assert_names_no_partner;
use super::*;

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
                    let d = V1_DIMENSIONS.iter().position(|&d| d == i.dimension);
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
    for d in V1_DIMENSIONS {
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
            .filter(|&r| c.partner(r).safety.as_ref().is_some_and(|s| s.is_positive()))
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
    fn mixed_agenda_is_symmetric(
        a in proptest::option::of(proptest::sample::select(Leaning::ALL.to_vec())),
        b in proptest::option::of(proptest::sample::select(Leaning::ALL.to_vec())),
    ) {
        let m = MixedAgenda::detect(ByPartner::new(a, b));
        prop_assert_eq!(MixedAgenda::detect(ByPartner::new(b, a)), m.map(MixedAgenda::swapped));
        let not_in = |l: Option<Leaning>| l.is_some_and(|l| l != Leaning::In);
        prop_assert_eq!(m.is_some(), not_in(a) || not_in(b));
    }

    #[test]
    fn version_1_mixed_agenda_is_its_old_rule(a in 0u8..=100, b in 0u8..=100) {
        // Version 1's rule had a willing side at 70 and over against one under 40; now anyone
        // under 40 is seen, beside whatever the other's score.
        let leaning = |w| crate::domain::scoring::leaning(Instrument::V1, w, None);
        let m = MixedAgenda::detect(ByPartner::new(leaning(a), leaning(b)));
        let old = (a >= MIXED_AGENDA_WILLING_FROM && b < WILLINGNESS_CAP_BELOW)
            || (b >= MIXED_AGENDA_WILLING_FROM && a < WILLINGNESS_CAP_BELOW);
        prop_assert_eq!(m.is_some(), a.min(b) < WILLINGNESS_CAP_BELOW);
        prop_assert_eq!(m.is_some_and(|m| m.willing.is_some()), old);
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
        let parsed = SafetyScreen::parse_form_of(CheckInVersion::V1, form_for(&s)).unwrap();
        prop_assert_eq!(&parsed, &s);
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
        match SafetyScreen::parse_form_of(CheckInVersion::V1, fields) {
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
            if i.about != About::Relationship {
                // Statements about oneself describe two different people: never compared.
                prop_assert!(!listed.contains(&i.id));
            } else if gap >= DISAGREEMENT_MIN_GAP && !listed.contains(&i.id) {
                // Only left off because the list is full of wider or equal gaps.
                prop_assert!(d.len() == MAX_DISAGREEMENTS && gap <= min_listed);
            }
        }
    }
}

//! Version 1's scoring: its results are stored and must never change (version 2's tests are
//! in `tests_v2.rs`).

use super::*;
use crate::domain::questionnaire::Answers;
use crate::domain::questionnaire::V1_DIMENSIONS;

fn items() -> &'static [Item] {
    Instrument::V1.items()
}
fn items_in_section(n: u8) -> impl Iterator<Item = &'static Item> {
    Instrument::V1.items_in_section(n)
}
use proptest::prelude::*;

fn likert(v: u8) -> Likert {
    Likert::parse(i64::from(v)).unwrap()
}

/// Complete answers from one value per item, in `items()` order.
fn complete(values: &[u8]) -> CompleteAnswers {
    let mut a = Answers::new(Instrument::V1);
    for (i, &v) in items().iter().zip(values) {
        a.set(i.id, likert(v)).unwrap();
    }
    a.complete().unwrap()
}

fn uniform(v: u8) -> Vec<u8> {
    vec![v; items().len()]
}

#[test]
fn version_1_results_are_what_they_always_were() {
    // The clinical review's acquiescence figures, computed from the documented formula
    // before version 2 existed: all 5s, 4s, 2s and 1s.
    let overall: Vec<u8> = [5, 4, 2, 1]
        .map(|v| score(&complete(&uniform(v))).overall)
        .to_vec();
    assert_eq!(overall, [65, 57, 43, 35]);
    let all_5 = score(&complete(&uniform(5)));
    assert_eq!(all_5.dimension(Dimension::RepairSkills), Some(86));
    assert_eq!(all_5.dimensions.len(), 6);
    assert_eq!(all_5.instrument_version, 1);
}

/// The value that scores best (or worst) on an item.
fn best(i: &Item) -> u8 {
    if i.reverse {
        1
    } else {
        5
    }
}
fn worst(i: &Item) -> u8 {
    6 - best(i)
}

#[test]
fn all_neutral_scores_50_everywhere() {
    let r = score(&complete(&uniform(3)));
    assert_eq!(r.overall, 50);
    assert_eq!(r.band, ReadinessBand::Building);
    assert_eq!(r.instrument_version, 1);
    let order: Vec<_> = r.dimensions.iter().map(|s| s.dimension).collect();
    assert_eq!(order, V1_DIMENSIONS);
    assert!(r.dimensions.iter().all(|s| s.score == 50));
}

#[test]
fn best_and_worst_answers_reach_the_ends() {
    let best_all: Vec<u8> = items().iter().map(best).collect();
    let r = score(&complete(&best_all));
    assert_eq!(r.overall, 100);
    assert_eq!(r.band, ReadinessBand::ReadyToRebuild);
    assert!(r.dimensions.iter().all(|s| s.score == 100));

    let worst_all: Vec<u8> = items().iter().map(worst).collect();
    let r = score(&complete(&worst_all));
    assert_eq!(r.overall, 0);
    assert_eq!(r.band, ReadinessBand::FoundationsFirst);
    assert!(r.dimensions.iter().all(|s| s.score == 0));
}

#[test]
fn agreeing_with_everything_is_not_full_readiness() {
    // Reverse keys exist so acquiescence doesn't look like readiness.
    let r = score(&complete(&uniform(5)));
    assert!(r.overall < 100);
    assert!(r.dimensions.iter().all(|s| s.score < 100));
}

/// For each dimension: best answers on its items, neutral elsewhere →
/// 100 for it, 50 for the others, overall = 50 + 50 × its weight.
fn check_dimension(d: Dimension) {
    let values: Vec<u8> = items()
        .iter()
        .map(|i| if i.dimension == d { best(i) } else { 3 })
        .collect();
    let r = score(&complete(&values));
    for s in &r.dimensions {
        let expected = if s.dimension == d { 100 } else { 50 };
        assert_eq!(s.score, expected, "{:?} when maxing {d:?}", s.dimension);
    }
    assert_eq!(u32::from(r.overall), 50 + weight_percent(d) / 2);

    let values: Vec<u8> = items()
        .iter()
        .map(|i| if i.dimension == d { worst(i) } else { 3 })
        .collect();
    let r = score(&complete(&values));
    assert_eq!(r.dimension(d), Some(0));
    assert_eq!(u32::from(r.overall), 50 - weight_percent(d) / 2);
}

#[test]
fn honesty_dimension() {
    check_dimension(Dimension::Honesty);
}
#[test]
fn respect_dimension() {
    check_dimension(Dimension::Respect);
}
#[test]
fn connection_dimension() {
    check_dimension(Dimension::Connection);
}
#[test]
fn accountability_dimension() {
    check_dimension(Dimension::Accountability);
}
#[test]
fn repair_skills_dimension() {
    check_dimension(Dimension::RepairSkills);
}
#[test]
fn willingness_dimension() {
    check_dimension(Dimension::Willingness);
}

/// Values giving `points` (0..=4) on an item, honouring its keying.
fn value_for_points(i: &Item, points: u8) -> u8 {
    if i.reverse {
        5 - points
    } else {
        1 + points
    }
}

#[test]
fn no_willingness_caps_the_band_but_not_the_score() {
    // Willingness 0, everything else 100: the weighted mean is 70, which
    // alone would be "Ready to rebuild".
    let values: Vec<u8> = items()
        .iter()
        .map(|i| {
            if i.dimension == Dimension::Willingness {
                worst(i)
            } else {
                best(i)
            }
        })
        .collect();
    let r = score(&complete(&values));
    assert_eq!(r.dimension(Dimension::Willingness), Some(0));
    for d in V1_DIMENSIONS {
        if d != Dimension::Willingness {
            assert_eq!(r.dimension(d), Some(100), "{d:?}");
        }
    }
    assert_eq!(r.overall, 70);
    assert_eq!(
        ReadinessBand::for_score(r.overall),
        ReadinessBand::ReadyToRebuild
    );
    assert_eq!(r.band, ReadinessBand::Building);
}

#[test]
fn willingness_cap_threshold() {
    // The rule itself, at the cut point.
    assert_eq!(capped_band(100, 39, None), ReadinessBand::Building);
    assert_eq!(capped_band(100, 40, None), ReadinessBand::ReadyToRebuild);
    assert_eq!(capped_band(69, 0, None), ReadinessBand::Building);
    assert_eq!(capped_band(39, 0, None), ReadinessBand::FoundationsFirst);
    assert_eq!(capped_band(39, 100, None), ReadinessBand::FoundationsFirst);
    for o in 0..=100u8 {
        for w in 0..=100u8 {
            let b = capped_band(o, w, None);
            assert!(b <= ReadinessBand::for_score(o));
            if w >= WILLINGNESS_CAP_BELOW {
                assert_eq!(b, ReadinessBand::for_score(o));
            } else {
                assert!(b <= ReadinessBand::Building);
            }
        }
    }

    // Through `score`: Willingness has 8 items (32 points), so 12 points
    // score 37.5 → 38 (capped) and 13 points 40.625 → 41 (not capped),
    // with every other dimension at 100.
    for (points, willingness, overall, band) in [
        (12u8, 38u8, 81u8, ReadinessBand::Building),
        (13, 41, 82, ReadinessBand::ReadyToRebuild),
    ] {
        let mut left = points;
        let values: Vec<u8> = items()
            .iter()
            .map(|i| {
                if i.dimension == Dimension::Willingness {
                    let p = left.min(4);
                    left -= p;
                    value_for_points(i, p)
                } else {
                    best(i)
                }
            })
            .collect();
        let r = score(&complete(&values));
        assert_eq!(r.dimension(Dimension::Willingness), Some(willingness));
        // 70 + 30 × points / 32
        assert_eq!(r.overall, overall);
        assert_eq!(r.band, band, "{points} willingness points");
    }
}

#[test]
fn item_points_apply_reverse_keying() {
    let fwd = items().iter().find(|i| !i.reverse).unwrap();
    let rev = items().iter().find(|i| i.reverse).unwrap();
    let got: Vec<_> = Likert::ALL.iter().map(|&v| item_points(fwd, v)).collect();
    assert_eq!(got, [0, 1, 2, 3, 4]);
    let got: Vec<_> = Likert::ALL.iter().map(|&v| item_points(rev, v)).collect();
    assert_eq!(got, [4, 3, 2, 1, 0]);
}

#[test]
fn halves_round_up() {
    // Willingness has 8 items: 5 points of 32 → 15.625 → 16; Accountability
    // has 6 items: 3 points of 24 → 12.5 → 13.
    let mut values: Vec<u8> = items().iter().map(worst).collect();
    let mut give = |section: u8, points: u8| {
        let mut left = points;
        for (idx, i) in items().iter().enumerate() {
            if i.section == section && left > 0 {
                let p = left.min(4);
                values[idx] = if i.reverse { 5 - p } else { 1 + p };
                left -= p;
            }
        }
    };
    give(6, 5);
    give(4, 3);
    let r = score(&complete(&values));
    assert_eq!(r.dimension(Dimension::Willingness), Some(16));
    assert_eq!(r.dimension(Dimension::Accountability), Some(13));
    // 30 × 5/32 + 20 × 3/24 = 4.6875 + 2.5 = 7.1875 → 7
    assert_eq!(r.overall, 7);
}

#[test]
fn weights_sum_to_one() {
    let pct: u32 = V1_DIMENSIONS.iter().map(|&d| weight_percent(d)).sum();
    assert_eq!(pct, 100);
    let sum: f64 = V1_DIMENSIONS.iter().map(|&d| weight(d)).sum();
    assert!((sum - 1.0).abs() < 1e-12);
    assert!(V1_DIMENSIONS.iter().all(|&d| weight_percent(d) > 0));
}

#[test]
fn bands_cover_0_to_100_without_gaps_or_overlaps() {
    let mut next = 0u16;
    for b in ReadinessBand::ALL {
        let r = b.range();
        assert_eq!(
            u16::from(*r.start()),
            next,
            "{b:?} leaves a gap or overlaps"
        );
        assert!(r.start() <= r.end());
        next = u16::from(*r.end()) + 1;
    }
    assert_eq!(next, 101);
    for x in 0..=100u8 {
        let b = ReadinessBand::for_score(x);
        assert!(b.range().contains(&x));
        let owners = ReadinessBand::ALL
            .iter()
            .filter(|b| b.range().contains(&x))
            .count();
        assert_eq!(owners, 1, "{x} is in {owners} bands");
    }
    assert_eq!(ReadinessBand::for_score(255), ReadinessBand::ReadyToRebuild);
}

#[test]
fn band_keys_labels_and_descriptions() {
    use serde::de::{value::Error, IntoDeserializer};
    for b in ReadinessBand::ALL {
        assert_eq!(ReadinessBand::parse(b.as_str()), Some(b));
        let de: Result<ReadinessBand, Error> =
            ReadinessBand::deserialize(b.as_str().into_deserializer());
        assert_eq!(de, Ok(b));
        assert!(!b.label().is_empty());
        let sentences = b.description().matches(". ").count() + 1;
        assert_eq!(sentences, 2, "{b:?}");
        assert!(b.description().ends_with('.'));
    }
    assert_eq!(ReadinessBand::parse("nope"), None);
}

#[test]
fn summaries_exist_for_every_dimension_and_level_and_differ() {
    for d in V1_DIMENSIONS {
        let texts: Vec<_> = [0u8, 39, 40, 69, 70, 100]
            .iter()
            .map(|&s| dimension_summary(d, s))
            .collect();
        assert_eq!(texts[0], texts[1]);
        assert_eq!(texts[2], texts[3]);
        assert_eq!(texts[4], texts[5]);
        assert!(texts[0] != texts[2] && texts[2] != texts[4]);
        for t in texts {
            assert!(t.ends_with('.') && t.to_lowercase().contains("you"), "{t}");
            assert!(t.chars().count() <= 140, "{t}");
        }
    }
}

#[test]
fn rebuild_guidance_has_five_ways_in_order() {
    let g = rebuild_guidance(&complete(&uniform(3)));
    let numbers: Vec<_> = g.iter().map(|w| w.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    // Neutral is 0.5 < 0.6: every way is a place to start.
    assert!(g.iter().all(|w| !w.strength && !w.title.is_empty()));

    let best_all: Vec<u8> = items().iter().map(best).collect();
    let g = rebuild_guidance(&complete(&best_all));
    assert!(g.iter().all(|w| w.strength));
    assert!(g
        .iter()
        .all(|w| w.text == REBUILD_WAYS[usize::from(w.number - 1)].1));
}

#[test]
fn rebuild_strength_threshold_is_inclusive() {
    // Way 3 has 2 items (8 points max): 0.6 × 8 = 4.8, so 5 points is a
    // strength and 4 is not. Way 4 likewise.
    let way = |k| {
        items()
            .iter()
            .filter(move |i: &&Item| i.source.topic == SeedTopic::RebuildWay(k))
    };
    assert_eq!(way(3).count(), 2);
    for (points, expected) in [(4u8, false), (5, true)] {
        let values: Vec<u8> = items()
            .iter()
            .map(|i| {
                if i.source.topic != SeedTopic::RebuildWay(3) {
                    3
                } else {
                    // Split points as 3 + rest over the two items.
                    let first = way(3).next().map(|f| f.id) == Some(i.id);
                    let p = if first { 3 } else { points - 3 };
                    if i.reverse {
                        5 - p
                    } else {
                        1 + p
                    }
                }
            })
            .collect();
        let g = rebuild_guidance(&complete(&values));
        assert_eq!(g[2].strength, expected, "{points} points");
    }
    // Every way draws on its own items from sections 4–5.
    for k in 1..=5 {
        assert!(way(k).all(|i| (4..=5).contains(&i.section)));
        assert!(way(k).count() >= 2);
    }
    assert!(items_in_section(4).all(|i| matches!(i.source.topic, SeedTopic::RebuildWay(1 | 2))));
}

/// Any answers, from three equally likely shapes: uniformly random
/// (overall near 50); a random level per dimension with ±1 point of
/// jitter per item (every band, lopsided profiles); and the case the
/// willingness cap exists for — Willingness around the cut point (item
/// points 0..=3, score ≈ 37 ± 9) with every other dimension high (points
/// 3 or 4), so the overall is mostly 70 or more.
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
                    let d = V1_DIMENSIONS
                        .iter()
                        .position(|&d| d == i.dimension)
                        .unwrap();
                    let p = (levels[d] + j).saturating_sub(1).min(4);
                    value_for_points(i, p)
                })
                .collect::<Vec<u8>>()
        });
    let low_willingness = proptest::collection::vec(0u8..12, n).prop_map(|r| {
        items()
            .iter()
            .zip(r)
            .map(|(i, r)| {
                let p = if i.dimension == Dimension::Willingness {
                    r % 4
                } else {
                    3 + u8::from(r % 4 != 0)
                };
                value_for_points(i, p)
            })
            .collect::<Vec<u8>>()
    });
    prop_oneof![uniform, by_dimension, low_willingness]
}

/// The order that "at most Building" and band monotonicity rely on.
#[test]
fn band_order_is_lowest_first() {
    assert!(ReadinessBand::FoundationsFirst < ReadinessBand::Building);
    assert!(ReadinessBand::Building < ReadinessBand::ReadyToRebuild);
}

/// An independent reference: the documented formula in floating point.
fn reference(values: &[u8]) -> (Vec<f64>, f64) {
    let means: Vec<f64> = V1_DIMENSIONS
        .iter()
        .map(|&d| {
            let s: Vec<f64> = items()
                .iter()
                .zip(values)
                .filter(|(i, _)| i.dimension == d)
                .map(|(i, &v)| {
                    let v = f64::from(v);
                    if i.reverse {
                        (5.0 - v) / 4.0
                    } else {
                        (v - 1.0) / 4.0
                    }
                })
                .collect();
            s.iter().sum::<f64>() / s.len() as f64
        })
        .collect();
    let overall = V1_DIMENSIONS
        .iter()
        .zip(&means)
        .map(|(&d, m)| weight(d) * m * 100.0)
        .sum();
    (means, overall)
}

proptest! {
    #[test]
    fn scores_stay_in_range(values in answers_strategy()) {
        let r = score(&complete(&values));
        prop_assert!(r.overall <= 100);
        let w = r.dimension(Dimension::Willingness);
        prop_assert!(w.is_some());
        prop_assert_eq!(r.band, capped_band(r.overall, w.unwrap_or(0), None));
        prop_assert_eq!(r.dimensions.len(), V1_DIMENSIONS.len());
        for s in &r.dimensions {
            prop_assert!(s.score <= 100);
        }
        prop_assert_eq!(rebuild_guidance(&complete(&values)).len(), 5);
    }

    #[test]
    fn improving_one_answer_never_lowers_any_score(
        values in answers_strategy(),
        idx in 0..items().len(),
    ) {
        let item = &items()[idx];
        let v = values[idx];
        let improved = if item.reverse { v.checked_sub(1).filter(|&x| x >= 1) } else { Some(v + 1).filter(|&x| x <= 5) };
        prop_assume!(improved.is_some());
        let mut better = values.clone();
        better[idx] = improved.unwrap_or(v);
        let before = score(&complete(&values));
        let after = score(&complete(&better));
        prop_assert!(after.overall >= before.overall);
        // FoundationsFirst < Building < ReadyToRebuild.
        prop_assert!(after.band >= before.band, "{:?} fell to {:?}", before.band, after.band);
        for (a, b) in after.dimensions.iter().zip(&before.dimensions) {
            prop_assert!(a.score >= b.score, "{:?} fell", a.dimension);
        }
        let g_before = rebuild_guidance(&complete(&values));
        let g_after = rebuild_guidance(&complete(&better));
        for (a, b) in g_after.iter().zip(&g_before) {
            prop_assert!(a.strength || !b.strength, "way {} lost strength", a.number);
        }
    }

    /// Reverse keys are applied exactly once: the scores equal the
    /// documented formula computed independently here.
    #[test]
    fn matches_reference_formula(values in answers_strategy()) {
        let r = score(&complete(&values));
        let (means, overall) = reference(&values);
        for (s, m) in r.dimensions.iter().zip(&means) {
            // Means are k/(4n): a tie is exactly representable, so the
            // float reference rounds exactly like the integer code.
            prop_assert_eq!(f64::from(s.score), (m * 100.0).round(), "{:?}", s.dimension);
        }
        prop_assert!((f64::from(r.overall) - overall).abs() <= 0.5 + 1e-9);
    }

    /// Flipping every answer (v → 6 − v) turns every item score s into
    /// 1 − s, so every dimension mean m into 1 − m: a second check that
    /// keying is symmetric and applied once.
    #[test]
    fn mirrored_answers_mirror_the_means(values in answers_strategy()) {
        let mirrored: Vec<u8> = values.iter().map(|v| 6 - v).collect();
        let (a, _) = reference(&values);
        let r = score(&complete(&values));
        let m = score(&complete(&mirrored));
        for ((x, y), mean) in r.dimensions.iter().zip(&m.dimensions).zip(&a) {
            let sum = u16::from(x.score) + u16::from(y.score);
            // 100 exactly, or 101 when both sides sit on a .5 tie.
            let tie = ((mean * 100.0).fract() - 0.5).abs() < 1e-9;
            prop_assert_eq!(sum, if tie { 101 } else { 100 });
        }
    }

    /// The willingness cap only ever lowers the band.
    #[test]
    fn band_never_exceeds_the_band_of_overall(values in answers_strategy()) {
        let r = score(&complete(&values));
        prop_assert!(r.band <= ReadinessBand::for_score(r.overall));
    }

    /// With Willingness at 40 or more the cap does nothing; below 40 the
    /// band is at most Building.
    #[test]
    fn willingness_at_40_or_more_leaves_the_band_alone(values in answers_strategy()) {
        let r = score(&complete(&values));
        let w = r.dimension(Dimension::Willingness).unwrap();
        if w >= WILLINGNESS_CAP_BELOW {
            prop_assert_eq!(r.band, ReadinessBand::for_score(r.overall));
        } else {
            prop_assert!(r.band <= ReadinessBand::Building);
        }
    }

    #[test]
    fn capped_band_is_monotone(o in 0u8..=100, w in 0u8..=100, do_ in 0u8..=100, dw in 0u8..=100) {
        let (o2, w2) = (o.saturating_add(do_).min(100), w.saturating_add(dw).min(100));
        prop_assert!(capped_band(o2, w2, None) >= capped_band(o, w, None));
    }

    #[test]
    fn for_score_is_consistent_with_range(x in any::<u8>()) {
        let b = ReadinessBand::for_score(x);
        if x <= 100 {
            prop_assert!(b.range().contains(&x));
        }
    }

    #[test]
    fn dimension_summary_never_panics(x in any::<u8>(), d in 0usize..6) {
        prop_assert!(!dimension_summary(Dimension::ALL[d % Dimension::ALL.len()], x).is_empty());
    }
}

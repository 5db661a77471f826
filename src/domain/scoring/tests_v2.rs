//! Version 2's scoring: ownership that depends on who broke trust, "Doesn't apply", and
//! commitment split three ways with the cap on the person's own.

use super::*;
use crate::domain::questionnaire::{Answers, Question, Response};
use proptest::prelude::*;

const V2: Instrument = Instrument::V2;

/// Version 2 answers: `rate` gives each statement's points (0..=4, keying honoured), and the
/// framing questions take `role` and `lean` (option numbers).
fn answers(rate: impl Fn(&Item) -> u8, role: u8, lean: u8) -> CompleteAnswers {
    let mut a = Answers::new(V2);
    for q in V2.questions() {
        let response = match q {
            Question::Item(i) => {
                let points = rate(i);
                let v = if i.reverse { 5 - points } else { 1 + points };
                Response::Rated(Likert::parse(i64::from(v)).unwrap())
            }
            Question::Framing(f) if f.id == "role" => Response::Chose(role),
            Question::Framing(_) => Response::Chose(lean),
        };
        a.respond(q.id(), response).unwrap();
    }
    a.complete().unwrap()
}

/// The same answers with every statement that offers it answered "Doesn't apply to me".
fn not_applicable(c: CompleteAnswers) -> CompleteAnswers {
    let mut a = c.into_answers();
    for i in V2.items().iter().filter(|i| i.not_applicable) {
        a.respond(i.id, Response::NotApplicable).unwrap();
    }
    a.complete().unwrap()
}

const ME: u8 = 1;
const PARTNER: u8 = 2;
const IN: u8 = 1;
const UNSURE: u8 = 2;
const DECIDED: u8 = 4;
const RATHER_NOT_SAY: u8 = 5;

#[test]
fn neutral_is_the_middle_and_every_dimension_is_scored() {
    let r = score(&answers(|_| 2, ME, IN));
    assert_eq!(r.instrument_version, 2);
    assert_eq!(r.overall, 50);
    assert_eq!(r.band, ReadinessBand::Building);
    let dims: Vec<Dimension> = r.dimensions.iter().map(|d| d.dimension).collect();
    assert_eq!(dims, V2.dimensions());
    assert!(r.dimension(Dimension::Willingness).is_none());
    assert_eq!(r.commitment(), Some(50));
    // Own commitment 50 reads as unsure, whatever they said: the more careful reading.
    assert_eq!(r.leaning, Some(Leaning::Unsure));
}

#[test]
fn agreeing_with_everything_lands_every_dimension_in_the_middle() {
    // Balanced keying: no dimension is near the top for someone who agrees with everything
    // (version 1 gave Repair Skills 86 here).
    let all_agree = |i: &Item| if i.reverse { 0 } else { 4 };
    let r = score(&answers(all_agree, ME, IN));
    for d in &r.dimensions {
        assert!(
            (25..=75).contains(&d.score),
            "{:?} {}",
            d.dimension,
            d.score
        );
    }
    assert!(r.overall < 70, "{}", r.overall);
}

#[test]
fn closeness_outside_the_relationship_counts_against_no_one() {
    // hon9 ("Trust between us has been hurt by closeness with someone outside our
    // relationship") is about the relationship: the partner who was cheated on agrees as
    // readily as the one who cheated, so it is asked and shown, never scored.
    let hon9 = |points: u8| move |i: &Item| if i.id == "hon9" { points } else { 2 };
    let (agree, disagree) = (
        score(&answers(hon9(0), ME, IN)),
        score(&answers(hon9(4), ME, IN)),
    );
    assert_eq!(
        agree.dimension(Dimension::Honesty),
        disagree.dimension(Dimension::Honesty)
    );
    assert_eq!(agree.overall, disagree.overall);
    assert!(!V2.item("hon9").unwrap().scored);
    assert!(V2.items().iter().filter(|i| !i.scored).count() == 1);
    assert!(Instrument::V1.items().iter().all(|i| i.scored));
}

#[test]
fn the_weights_of_version_2_sum_to_100_and_ignore_the_partner() {
    let total: u32 = V2.dimensions().into_iter().map(weight_percent).sum();
    assert_eq!(total, 100);
    assert_eq!(weight_percent(Dimension::PartnerCommitment), 0);
    let v1: u32 = Instrument::V1
        .dimensions()
        .into_iter()
        .map(weight_percent)
        .sum();
    assert_eq!(v1, 100);
}

#[test]
fn ownership_is_not_scored_for_someone_whose_partner_broke_trust() {
    // Everything at its best except "Your own part" at its worst.
    let rate = |i: &Item| {
        if i.dimension == Dimension::Accountability {
            0
        } else {
            4
        }
    };
    let me = score(&answers(rate, ME, IN));
    assert_eq!(me.dimension(Dimension::Accountability), Some(0));
    assert_eq!(me.overall, 80);
    let injured = score(&answers(rate, PARTNER, IN));
    assert_eq!(injured.dimension(Dimension::Accountability), None);
    assert_eq!(injured.overall, 100, "the other dimensions, reweighted");
    assert_eq!(injured.band, ReadinessBand::ReadyToRebuild);
    // The client's ways to rebuild do not change with who they said broke trust: the page
    // must not show that answer (clinical review 3, N1).
    assert_eq!(
        rebuild_guidance(&answers(rate, PARTNER, IN)),
        rebuild_guidance(&answers(rate, ME, IN))
    );
    assert_eq!(rebuild_guidance(&answers(rate, ME, IN)).len(), 5);
}

#[test]
fn doesnt_apply_is_left_out_of_the_mean() {
    // The statements that offer "Doesn't apply" at their worst, the rest at their best.
    let rate = |i: &Item| if i.not_applicable { 0 } else { 4 };
    let rated = score(&answers(rate, ME, IN));
    assert!(rated.dimension(Dimension::Accountability).unwrap() < 60);
    let skipped = score(&not_applicable(answers(rate, ME, IN)));
    assert_eq!(skipped.dimension(Dimension::Accountability), Some(100));
    // Guidance for way 1 then rests on its one rated statement... or none at all.
    let ways = rebuild_guidance(&not_applicable(answers(rate, ME, IN)));
    assert!(
        ways.iter().all(|w| w.number != 1),
        "way 1 had nothing rated"
    );
}

#[test]
fn the_cap_rests_on_own_commitment_not_on_the_partner_or_therapy() {
    // The review's worked example (P8): no wish to rebuild, but sure of the partner and open
    // to a therapist, strong everywhere else. Version 1 gave "Ready to rebuild".
    let own = |i: &Item| {
        if i.dimension == Dimension::OwnCommitment {
            0
        } else {
            4
        }
    };
    let r = score(&answers(own, ME, RATHER_NOT_SAY));
    assert_eq!(r.dimension(Dimension::OwnCommitment), Some(0));
    assert_eq!(r.dimension(Dimension::PartnerCommitment), Some(100));
    assert_eq!(r.band, ReadinessBand::Building);
    assert_eq!(r.leaning, Some(Leaning::Out));
    // Saying "I want to work on it" does not outweigh the answers that say otherwise.
    assert_eq!(score(&answers(own, ME, IN)).leaning, Some(Leaning::Out));
    // Doubting the partner, or therapy, does not cap anyone's band.
    let others = |i: &Item| match i.dimension {
        Dimension::PartnerCommitment | Dimension::OpennessToHelp => 0,
        _ => 4,
    };
    let r = score(&answers(others, ME, IN));
    assert_eq!(r.leaning, Some(Leaning::In));
    assert_eq!(r.band, ReadinessBand::ReadyToRebuild);
}

#[test]
fn only_someone_leaning_in_can_read_ready_to_rebuild() {
    let best = |_: &Item| 4;
    assert_eq!(
        score(&answers(best, ME, IN)).band,
        ReadinessBand::ReadyToRebuild
    );
    for (lean, leaning) in [
        (UNSURE, Leaning::Unsure),
        (3, Leaning::Out),
        (DECIDED, Leaning::Decided),
    ] {
        let r = score(&answers(best, ME, lean));
        assert_eq!(r.leaning, Some(leaning));
        assert_eq!(r.band, ReadinessBand::Building, "{leaning:?}");
        assert_eq!(r.overall, 100, "the number is left alone");
    }
    assert_eq!(
        score(&answers(best, ME, RATHER_NOT_SAY)).leaning,
        Some(Leaning::In)
    );
}

#[test]
fn leaning_is_the_more_careful_of_what_was_said_and_scored() {
    use Leaning::{Decided, In, Out, Unsure};
    let l = |c, said| leaning(V2, c, said);
    assert_eq!(l(100, Some(In)), Some(In));
    assert_eq!(l(100, Some(Unsure)), Some(Unsure));
    // A stated "in" holds from 55: a 4/3/2/4/3 pattern (65) is not "unsure" (clinical N10).
    assert_eq!(l(69, Some(In)), Some(In));
    assert_eq!(l(STATED_IN_HOLDS_FROM, Some(In)), Some(In));
    assert_eq!(l(STATED_IN_HOLDS_FROM - 1, Some(In)), Some(Unsure));
    assert_eq!(l(39, Some(In)), Some(Out));
    // Nothing said, or anything else said: the careful reading, as before.
    assert_eq!(l(65, None), Some(Unsure));
    assert_eq!(l(65, Some(Unsure)), Some(Unsure));
    assert_eq!(l(100, Some(Decided)), Some(Decided));
    assert_eq!(l(70, None), Some(In));
}

fn v2_answers() -> impl Strategy<Value = CompleteAnswers> {
    let n = V2.items().len();
    (
        proptest::collection::vec(0u8..=4, n),
        proptest::collection::vec(any::<bool>(), n),
        1u8..=5,
        1u8..=5,
    )
        .prop_map(|(points, skip, role, lean)| {
            let mut a = answers(
                |i| points[V2.items().iter().position(|x| x.id == i.id).unwrap()],
                role,
                lean,
            )
            .into_answers();
            for (i, skip) in V2.items().iter().zip(skip) {
                if i.not_applicable && skip {
                    a.respond(i.id, Response::NotApplicable).unwrap();
                }
            }
            a.complete().unwrap()
        })
}

proptest! {
    #[test]
    fn version_2_results_are_in_range_and_capped(a in v2_answers()) {
        let r = score(&a);
        prop_assert!(r.overall <= 100);
        prop_assert!(r.dimensions.iter().all(|d| d.score <= 100));
        prop_assert!(r.dimensions.iter().all(|d| V2.dimensions().contains(&d.dimension)));
        let own = r.dimension(Dimension::OwnCommitment).unwrap();
        if r.band == ReadinessBand::ReadyToRebuild {
            prop_assert!(own >= WILLINGNESS_CAP_BELOW);
            prop_assert_eq!(r.leaning, Some(Leaning::In));
        }
        prop_assert_eq!(r.band, capped_band(r.overall, own, r.leaning));
        if a.answers().role() == Some(TrustRole::Partner) {
            prop_assert!(r.dimension(Dimension::Accountability).is_none());
        }
    }

    #[test]
    fn what_they_believe_of_their_partner_never_moves_their_readiness(
        a in v2_answers(),
        points in 0u8..=4,
    ) {
        let mut changed = a.clone().into_answers();
        for i in V2.items().iter().filter(|i| i.dimension == Dimension::PartnerCommitment) {
            let v = if i.reverse { 5 - points } else { 1 + points };
            changed.set(i.id, Likert::parse(i64::from(v)).unwrap()).unwrap();
        }
        let (before, after) = (score(&a), score(&changed.complete().unwrap()));
        prop_assert_eq!(before.overall, after.overall);
        prop_assert_eq!(before.band, after.band);
        prop_assert_eq!(before.leaning, after.leaning);
    }

    #[test]
    fn capped_band_is_monotone_in_leaning_too(
        o in 0u8..=100,
        c in 0u8..=100,
        l in 0usize..4,
        m in 0usize..4,
    ) {
        let (low, high) = (l.min(m), l.max(m));
        let (low, high) = (Leaning::ALL[low], Leaning::ALL[high]);
        prop_assert!(capped_band(o, c, Some(high)) >= capped_band(o, c, Some(low)));
        prop_assert!(capped_band(o, c, None) >= capped_band(o, c, Some(low)));
    }
}

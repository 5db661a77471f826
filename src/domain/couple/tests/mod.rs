#![cfg(test)]

use super::*;
use crate::domain::questionnaire::V1_DIMENSIONS;
use crate::domain::questionnaire::{Answers, Instrument};
use crate::domain::scoring::{score, WILLINGNESS_CAP_BELOW};
use proptest::prelude::*;

// These tests build version 1 answers (whose couples rules must not change) unless they say
// otherwise; `v2.rs` has version 2's and mixed versions'.
fn items() -> &'static [Item] {
    Instrument::V1.items()
}
fn item(id: &str) -> Option<&'static Item> {
    Instrument::V1.item(id)
}

mod check_in;
mod check_in_v3;
mod props;
mod summary;
mod v2;

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

/// The value giving `points` (0..=4) on an item, honouring its keying.
fn value_for_points(i: &Item, points: u8) -> u8 {
    if i.reverse {
        5 - points
    } else {
        1 + points
    }
}

/// Values with the same points on every item of a dimension.
fn by_level(level: impl Fn(Dimension) -> u8) -> Vec<u8> {
    items()
        .iter()
        .map(|i| value_for_points(i, level(i.dimension)))
        .collect()
}

fn questionnaire(values: &[u8]) -> FinishedQuestionnaire {
    let answers = complete(values);
    FinishedQuestionnaire {
        result: score(&answers),
        answers,
    }
}

fn screen(answer: SafetyAnswer) -> SafetyScreen {
    SafetyScreen::from_fn(|_| answer)
}

fn clear() -> SafetyScreen {
    screen(SafetyAnswer::No)
}

fn finished(values: &[u8], safety: SafetyScreen) -> Partner {
    Partner {
        questionnaire: Some(questionnaire(values)),
        safety: Some(safety),
    }
}

fn couple(a: &[u8], b: &[u8], sa: SafetyScreen, sb: SafetyScreen) -> Couple {
    Couple::new(finished(a, sa), finished(b, sb))
}

fn neutral() -> Vec<u8> {
    vec![3; items().len()]
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn form_for(s: &SafetyScreen) -> Vec<(String, String)> {
    SafetyItem::ALL
        .into_iter()
        .map(|i| (i.field_name(), s.answer(i).as_str().to_owned()))
        .collect()
}

// --- Partners -------------------------------------------------------

#[test]
fn roles_round_trip_and_swap() {
    for r in PartnerRole::ALL {
        assert_eq!(PartnerRole::parse(r.as_str()), Some(r));
        assert_eq!(r.other().other(), r);
        assert_ne!(r.other(), r);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, format!("\"{}\"", r.as_str()));
    }
    assert_eq!(PartnerRole::parse("A"), None);
    let p = ByPartner::new(1, 2);
    assert_eq!(p.swapped(), ByPartner::new(2, 1));
    assert_eq!(*p.get(PartnerRole::B), 2);
    let roles: Vec<_> = p.iter().map(|(r, &v)| (r, v)).collect();
    assert_eq!(roles, [(PartnerRole::A, 1), (PartnerRole::B, 2)]);
}

#[test]
fn nothing_joint_before_both_finish() {
    let half = Partner {
        questionnaire: Some(questionnaire(&neutral())),
        safety: None,
    };
    let done = finished(&neutral(), clear());
    for c in [
        Couple::default(),
        Couple::new(done.clone(), Partner::default()),
        Couple::new(done.clone(), half.clone()),
        Couple::new(half, done.clone()),
    ] {
        assert!(!c.both_finished());
        assert!(c.finished_results().is_none());
        assert!(c.report().is_none());
        for policy in [
            JointBookingPolicy::OpenWhenClear,
            JointBookingPolicy::PracticeContactsEveryCouple,
        ] {
            let offer = c.booking_decision(policy).partner_offer();
            assert_eq!(offer, JointBookingOffer::NotYet);
        }
    }
    let both = Couple::new(done.clone(), done);
    assert!(both.finished_results().is_some() && both.report().is_some());
}

// --- Safety screen ----------------------------------------------------

#[test]
fn safety_form_parses_every_answer_and_ignores_other_fields() {
    let s = SafetyScreen::parse_form_of(
        CheckInVersion::V1,
        pairs(&[
            ("csrf", "abc"),
            ("s_afraid", "no"),
            ("s_hurt", " no "),
            ("s_threatened", "rather_not_say"),
            ("s_controlled", "yes"),
            ("s_forced", "no"),
            ("q_hon1", "5"),
        ]),
    )
    .unwrap();
    assert_eq!(s.answer(SafetyItem::Hurt), SafetyAnswer::No);
    assert_eq!(s.answer(SafetyItem::Threatened), SafetyAnswer::RatherNotSay);
    assert_eq!(s.answer(SafetyItem::Controlled), SafetyAnswer::Yes);
    let flag = s.flag().unwrap();
    assert_eq!(flag.disclosed, [SafetyItem::Controlled]);
    assert_eq!(flag.declined, [SafetyItem::Threatened]);
}

#[test]
fn safety_form_requires_every_answer_and_reports_each_field() {
    let errs = SafetyScreen::parse_form_of(
        CheckInVersion::V1,
        pairs(&[
            ("s_evil", "yes"),
            ("s_afraid", "maybe"),
            ("s_hurt", "no"),
            ("s_hurt", "yes"),
            ("s_threatened", ""),
            ("s_forced", "no"),
            ("s_forced", "no"),
        ]),
    )
    .unwrap_err();
    assert_eq!(
        errs,
        vec![
            SafetyScreenError::UnknownField("evil".into()),
            SafetyScreenError::NotAnOption(SafetyItem::Afraid),
            SafetyScreenError::Conflicting(SafetyItem::Hurt),
            SafetyScreenError::Missing(SafetyItem::Threatened),
            SafetyScreenError::Missing(SafetyItem::Controlled),
        ]
    );
    assert_eq!(
        SafetyScreen::parse_form_of(CheckInVersion::V1, Vec::new())
            .unwrap_err()
            .len(),
        SafetyItem::ALL.len()
    );
    // Values are exact keys: a label or another case is not an option.
    let mut form = form_for(&clear());
    form[0].1 = "No".into();
    assert_eq!(
        SafetyScreen::parse_form_of(CheckInVersion::V1, form).unwrap_err(),
        vec![SafetyScreenError::NotAnOption(SafetyItem::Afraid)]
    );
}

#[test]
fn safety_error_messages_are_calm_and_name_the_question() {
    for i in SafetyItem::ALL {
        for e in [
            SafetyScreenError::Missing(i),
            SafetyScreenError::NotAnOption(i),
            SafetyScreenError::Conflicting(i),
        ] {
            let msg = e.to_string();
            assert!(msg.starts_with("Please choose"), "{msg}");
            assert!(msg.contains(i.question()), "{msg}");
            assert!(msg.contains("I'd rather not say"), "{msg}");
            assert!(
                !msg.contains(&i.field_name()),
                "internal names stay internal"
            );
            assert_eq!(e.item(), Some(i));
        }
    }
    let unknown = SafetyScreenError::UnknownField("evil".into());
    assert!(!unknown.to_string().contains("evil"));
    assert_eq!(unknown.item(), None);
}

#[test]
fn rather_not_say_counts_as_positive() {
    assert!(!clear().is_positive());
    assert!(clear().flag().is_none());
    for i in SafetyItem::ALL {
        for (a, positive) in [
            (SafetyAnswer::Yes, true),
            (SafetyAnswer::RatherNotSay, true),
            (SafetyAnswer::No, false),
        ] {
            let s = SafetyScreen::from_fn(|j| if j == i { a } else { SafetyAnswer::No });
            assert_eq!(s.is_positive(), positive, "{i:?} {a:?}");
            assert_eq!(s.flag().is_some(), positive);
        }
    }
}

#[test]
fn safety_keys_labels_and_serde_agree() {
    for a in SafetyAnswer::ALL {
        assert_eq!(SafetyAnswer::parse(a.as_str()), Some(a));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            format!("\"{}\"", a.as_str())
        );
        assert!(!a.label().is_empty());
    }
    assert_eq!(SafetyAnswer::RatherNotSay.label(), "I'd rather not say");
    let s = SafetyScreen::from_fn(|i| SafetyAnswer::ALL[i as usize % 3]);
    let json: serde_json::Value = serde_json::from_str(&s.answers_json()).unwrap();
    for i in SafetyItem::ALL {
        assert_eq!(SafetyItem::parse(i.id()), Some(i));
        assert_eq!(json[i.id()], s.answer(i).as_str(), "storage key of {i:?}");
        assert!(i.question().ends_with('?'));
        assert!(i.question().chars().count() <= 120);
    }
    let back = SafetyScreen::from_stored(CheckInVersion::V1, &json.to_string()).unwrap();
    assert_eq!(back, s);
    // Stored screens are re-validated: every answer is required.
    let mut partial = json;
    partial.as_object_mut().unwrap().remove("forced");
    assert!(SafetyScreen::from_stored(CheckInVersion::V1, &partial.to_string()).is_none());
    let bad = serde_json::json!({"afraid":"no","hurt":"no","threatened":"no","controlled":"no","forced":"perhaps"});
    assert!(SafetyScreen::from_stored(CheckInVersion::V1, &bad.to_string()).is_none());
}

#[test]
fn safety_data_is_redacted_in_debug() {
    let s = screen(SafetyAnswer::Yes);
    let c = couple(&neutral(), &neutral(), s.clone(), clear());
    for text in [
        format!("{s:?}"),
        format!("{:?}", s.flag()),
        format!("{:?}", c.flags()),
        format!("{c:?}"),
    ] {
        assert!(!text.contains("Yes") && !text.contains("Afraid"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[test]
fn a_positive_screen_holds_joint_booking_at_once() {
    let positive = Partner {
        questionnaire: None,
        safety: Some(screen(SafetyAnswer::RatherNotSay)),
    };
    // The other partner has not even started: the clinician sees it now.
    let c = Couple::new(positive, Partner::default());
    let flags = c.flags();
    assert!(flags.needs_attention());
    assert_eq!(
        flags.recommendation(),
        Recommendation::IndividualConsultFirst
    );
    let hold = flags.safety.unwrap();
    assert_eq!(hold.individual_consult_for(), [PartnerRole::A]);
    assert!(hold.flags.b.is_none());
    let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
    assert!(d.is_safety_hold());
    assert_eq!(d.partner_offer(), JointBookingOffer::NotYet);
}

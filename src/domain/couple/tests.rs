use super::*;
use crate::domain::questionnaire::{item, Answers, INSTRUMENT_VERSION};
use crate::domain::scoring::score;
use proptest::prelude::*;

fn likert(v: u8) -> Likert {
    Likert::parse(i64::from(v)).unwrap()
}

/// Complete answers from one value per item, in `items()` order.
fn complete(values: &[u8]) -> CompleteAnswers {
    let mut a = Answers::new();
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

// --- Mixed agenda -----------------------------------------------------

#[test]
fn mixed_agenda_thresholds() {
    let m = |a, b| MixedAgenda::detect(ByPartner::new(a, b)).map(|m| m.willing);
    assert_eq!(m(70, 39), Some(PartnerRole::A));
    assert_eq!(m(39, 70), Some(PartnerRole::B));
    assert_eq!(m(100, 0), Some(PartnerRole::A));
    assert_eq!(m(69, 39), None, "the willing side needs 70");
    assert_eq!(m(70, 40), None, "the unsure side is below the cap");
    assert_eq!(m(20, 20), None, "both unsure is not a mixed agenda");
    assert_eq!(m(90, 90), None);
    let flag = MixedAgenda::detect(ByPartner::new(80, 10)).unwrap();
    assert_eq!(flag.unsure(), PartnerRole::B);
    assert_eq!(flag.willingness, ByPartner::new(80, 10));
    assert_eq!(WILLINGNESS_CAP_BELOW, 40);
}

#[test]
fn mixed_agenda_recommends_discernment_and_holds_booking() {
    let willing = by_level(|_| 4);
    let unwilling = by_level(|d| if d == Dimension::Willingness { 0 } else { 4 });
    let c = couple(&willing, &unwilling, clear(), clear());
    let flags = c.flags();
    assert_eq!(flags.mixed_agenda.unwrap().willing, PartnerRole::A);
    assert!(flags.safety.is_none());
    assert_eq!(flags.recommendation(), Recommendation::DiscernmentConsult);
    let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
    assert_eq!(d.holds, [HoldReason::MixedAgenda]);
    assert!(!d.is_safety_hold());
    assert_eq!(d.partner_offer(), JointBookingOffer::PracticeWillContact);

    // Safety comes first when both apply.
    let c = couple(&willing, &unwilling, clear(), screen(SafetyAnswer::Yes));
    assert_eq!(
        c.flags().recommendation(),
        Recommendation::IndividualConsultFirst
    );
    let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
    assert_eq!(d.holds, [HoldReason::Safety, HoldReason::MixedAgenda]);
}

// --- Booking: what partners see ----------------------------------------

#[test]
fn partners_see_the_same_words_for_every_hold() {
    let willing = by_level(|_| 4);
    let unwilling = by_level(|d| if d == Dimension::Willingness { 0 } else { 4 });
    let open = couple(&willing, &willing, clear(), clear());
    let safety = couple(&willing, &willing, screen(SafetyAnswer::Yes), clear());
    let declined = couple(
        &willing,
        &willing,
        clear(),
        screen(SafetyAnswer::RatherNotSay),
    );
    let mixed = couple(&willing, &unwilling, clear(), clear());
    let clear_policy = JointBookingPolicy::OpenWhenClear;
    let offer = |c: &Couple, p| c.booking_decision(p).partner_offer();
    assert_eq!(offer(&open, clear_policy), JointBookingOffer::Open);
    let held = offer(&mixed, clear_policy);
    assert_eq!(held, JointBookingOffer::PracticeWillContact);
    assert_eq!(offer(&safety, clear_policy), held);
    assert_eq!(offer(&declined, clear_policy), held);
    assert_eq!(
        held.message(),
        JointBookingOffer::PracticeWillContact.message()
    );
    // Under the "contact every couple" policy nothing differs at all.
    let every = JointBookingPolicy::PracticeContactsEveryCouple;
    for c in [&open, &safety, &declined, &mixed] {
        assert_eq!(offer(c, every), held);
    }
    // The clinician sees the reason.
    assert_eq!(
        safety.booking_decision(every).holds,
        [HoldReason::Safety, HoldReason::PracticeContactsEveryCouple]
    );
}

#[test]
fn partner_messages_say_nothing_about_reasons() {
    for o in [
        JointBookingOffer::NotYet,
        JointBookingOffer::Open,
        JointBookingOffer::PracticeWillContact,
    ] {
        let m = o.message().to_lowercase();
        for word in [
            "safe", "screen", "hold", "concern", "flag", "willing", "risk",
        ] {
            assert!(!m.contains(word), "{o:?} mentions {word}");
        }
        assert!(m.ends_with('.'));
    }
    let i = INDIVIDUAL_CONSULT_OFFER.to_lowercase();
    assert!(!i.contains("safe") && !i.contains("screen"));
}

// --- Joint summary -------------------------------------------------------

#[test]
fn shared_strength_needs_both_partners_at_70() {
    let result = |level: u8| score(&complete(&by_level(|_| level)));
    let high = result(3); // 75 everywhere
    let low = result(2); // 50 everywhere
    let s = joint_summary(&high, &high);
    assert_eq!(s.shared_strengths, JOINT_DIMENSIONS);
    assert!(s.grow_together.is_empty());
    let s = joint_summary(&high, &low);
    assert!(s.shared_strengths.is_empty());
    assert_eq!(s.grow_together, JOINT_DIMENSIONS);

    // Exactly at the threshold, via a hand-made result.
    let mut at = high.clone();
    let mut below = high.clone();
    for d in at.dimensions.iter_mut() {
        d.score = SHARED_STRENGTH_FROM;
    }
    for d in below.dimensions.iter_mut() {
        d.score = SHARED_STRENGTH_FROM - 1;
    }
    assert_eq!(joint_summary(&at, &at).shared_strengths, JOINT_DIMENSIONS);
    assert!(joint_summary(&at, &below).shared_strengths.is_empty());
}

#[test]
fn joint_summary_never_speaks_about_willingness() {
    let best = score(&complete(&by_level(|_| 4)));
    let worst = score(&complete(&by_level(|_| 0)));
    for (a, b) in [(&best, &best), (&best, &worst), (&worst, &worst)] {
        let s = joint_summary(a, b);
        assert!(!s.shared_strengths.contains(&Dimension::Willingness));
        assert!(!s.grow_together.contains(&Dimension::Willingness));
        let text = s.sentences().join(" ").to_lowercase();
        assert!(
            !text.contains("willing") && !text.contains("rebuild"),
            "{text}"
        );
    }
}

#[test]
fn joint_summary_is_the_same_for_couples_with_the_same_dimension_scores() {
    // Two couples whose item answers differ but whose dimension scores
    // are identical: move points between items of the same dimension.
    let mut first = neutral();
    let mut second = neutral();
    let idx = |id| items().iter().position(|i| i.id == id).unwrap();
    let (hon1, hon3) = (item("hon1").unwrap(), item("hon3").unwrap());
    first[idx("hon1")] = value_for_points(hon1, 4);
    first[idx("hon3")] = value_for_points(hon3, 0);
    second[idx("hon1")] = value_for_points(hon1, 0);
    second[idx("hon3")] = value_for_points(hon3, 4);
    let strong = by_level(|_| 3);
    let c1 = couple(&first, &strong, clear(), clear());
    let c2 = couple(&second, &strong, screen(SafetyAnswer::Yes), clear());
    let r1 = c1.finished_results().unwrap();
    let r2 = c2.finished_results().unwrap();
    assert_ne!(complete(&first), complete(&second));
    assert_eq!(r1.a.dimensions, r2.a.dimensions);
    assert_eq!(joint_summary(r1.a, r1.b), joint_summary(r2.a, r2.b));
    // The clinician's report does see the difference.
    assert_ne!(c1.report().unwrap().topics, c2.report().unwrap().topics);
}

/// The summary's only information about a dimension is one bit, "both at
/// 70 or more". Check that either value of that bit is possible with any
/// answer to any single item, so no item answer can ever be inferred
/// from the summary, even knowing one's own answers.
#[test]
fn no_joint_summary_line_pins_any_item_answer() {
    for d in JOINT_DIMENSIONS {
        for target in items().iter().filter(|i| i.dimension == d) {
            for p in 0..=4u8 {
                for others in [0u8, 4] {
                    let values: Vec<u8> = items()
                        .iter()
                        .map(|i| match i {
                            i if i.id == target.id => value_for_points(i, p),
                            i if i.dimension == d => value_for_points(i, others),
                            _ => 3,
                        })
                        .collect();
                    let s = score(&complete(&values)).dimension(d).unwrap();
                    let strong = s >= SHARED_STRENGTH_FROM;
                    assert_eq!(strong, others == 4, "{} at {p} points: {s}", target.id);
                }
            }
        }
    }
}

#[test]
fn joint_sentences_are_addressed_to_both_and_name_no_one() {
    let s = joint_summary(
        &score(&complete(&by_level(|_| 4))),
        &score(&complete(&by_level(|d| {
            if d == Dimension::Respect {
                0
            } else {
                4
            }
        }))),
    );
    assert_eq!(s.grow_together, [Dimension::Respect]);
    let sentences = s.sentences();
    assert_eq!(sentences[0], JOINT_SUMMARY_INTRO);
    assert_eq!(sentences.len(), 1 + JOINT_DIMENSIONS.len());
    for t in &sentences {
        assert_names_no_partner(t);
        assert!(t.ends_with('.'), "{t}");
    }
}

fn assert_names_no_partner(t: &str) {
    let roles = t
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "A" || w == "B");
    assert!(!roles, "{t:?} names a partner by letter");
    let lower = format!(" {} ", t.to_lowercase());
    for w in [
        "partner a",
        "partner b",
        "one of you",
        "one partner",
        "your partner",
        "neither",
        " he ",
        " she ",
        " they ",
    ] {
        assert!(!lower.contains(w), "{t:?} contains {w:?}");
    }
}

// --- Couple report --------------------------------------------------------

#[test]
fn topic_sentences_say_both_one_or_neither() {
    let t = |concern| TopicComparison {
        topic: SeedTopic::TrustBreaker(1),
        concern,
    };
    assert_eq!(
        t(WhoDescribes::Both).sentence(),
        "Both partners describe lack of honesty as a concern."
    );
    assert_eq!(
        t(WhoDescribes::One(PartnerRole::B)).sentence(),
        "One partner describes lack of honesty as a concern."
    );
    assert_eq!(
        t(WhoDescribes::Neither).sentence(),
        "Neither partner describes lack of honesty as a concern."
    );
    let way = TopicComparison {
        topic: SeedTopic::RebuildWay(1),
        concern: WhoDescribes::Both,
    };
    assert_eq!(
        way.sentence(),
        "Both partners describe taking responsibility as an area still to develop."
    );
}

#[test]
fn report_covers_every_trust_breaker_and_rebuild_way_in_seed_order() {
    let c = couple(&neutral(), &neutral(), clear(), clear());
    let r = c.report().unwrap();
    let topics: Vec<_> = r.topics.iter().map(|t| t.topic).collect();
    let expected: Vec<_> = (1..=16)
        .map(SeedTopic::TrustBreaker)
        .chain((1..=5).map(SeedTopic::RebuildWay))
        .collect();
    assert_eq!(topics, expected);
    // Neutral is not a concern.
    assert!(r.topics.iter().all(|t| t.concern == WhoDescribes::Neither));
    for t in &r.topics {
        assert!(items().iter().any(|i| i.source.topic == t.topic));
        assert!(!t.sentence().contains("Partner"), "{}", t.sentence());
    }
    assert_eq!(
        r.instrument_versions,
        ByPartner::new(INSTRUMENT_VERSION, INSTRUMENT_VERSION)
    );
    let dims: Vec<_> = r.dimensions.iter().map(|d| d.dimension).collect();
    assert_eq!(dims, Dimension::ALL);
    assert!(r.disagreements.is_empty());
    assert_eq!(r.recommendation(), Recommendation::CouplesConsult);
    assert!(!r.flags.needs_attention());
}

#[test]
fn a_topic_is_a_concern_below_neutral() {
    // Lack of honesty (hon1, hon2): 8 points at most; below 4 is a concern.
    let idx = |id| items().iter().position(|i| i.id == id).unwrap();
    for (p1, p2, concern) in [(2, 2, false), (2, 1, true), (0, 3, true), (4, 0, false)] {
        let mut v = neutral();
        v[idx("hon1")] = value_for_points(item("hon1").unwrap(), p1);
        v[idx("hon2")] = value_for_points(item("hon2").unwrap(), p2);
        let a = complete(&v);
        assert_eq!(describes_concern(&a, SeedTopic::TrustBreaker(1)), concern);
    }
    let mut v = neutral();
    v[idx("hon2")] = 5; // "I sometimes tell small untruths": strongly agree
    let b = complete(&v);
    let n = complete(&neutral());
    let one = compare_topics(ByPartner::new(&n, &b));
    assert_eq!(one[0].concern, WhoDescribes::One(PartnerRole::B));
    assert_eq!(
        one[0].sentence(),
        "One partner describes lack of honesty as a concern."
    );
    let both = compare_topics(ByPartner::new(&b, &b));
    assert_eq!(both[0].concern, WhoDescribes::Both);
}

#[test]
fn disagreements_are_widest_first_and_capped() {
    let a = complete(&neutral());
    // Gaps: hon1 by 2, res1 by 1, con1 by 2, every Willingness item by 2,
    // acc1 by 2 (the other way round).
    let idx = |id| items().iter().position(|i| i.id == id).unwrap();
    let mut v = neutral();
    v[idx("hon1")] = 5;
    v[idx("res1")] = 4;
    v[idx("con1")] = 1;
    v[idx("acc1")] = 1;
    let b = complete(&v);
    let d = largest_disagreements(ByPartner::new(&a, &b));
    let ids: Vec<_> = d.iter().map(|d| d.item.id).collect();
    assert_eq!(ids, ["hon1", "con1", "acc1"]);
    assert!(d.iter().all(|d| d.gap() == 2));

    let mut w = by_level(|_| 4);
    w[idx("hon3")] = 1; // a gap of 4 on one item
    let far = complete(&w);
    let n = complete(&by_level(|_| 0));
    let d = largest_disagreements(ByPartner::new(&far, &n));
    assert_eq!(d.len(), MAX_DISAGREEMENTS);
    assert!(d.windows(2).all(|w| w[0].gap() >= w[1].gap()));
    assert!(d.iter().all(|d| d.gap() >= DISAGREEMENT_MIN_GAP));
}

#[test]
fn couples_doc_matches_the_code() {
    let doc = include_str!("../../../docs/scoring.md");
    let section = doc.split("## Couples").nth(1).unwrap_or_default();
    // Prose is wrapped; compare with runs of whitespace as one space.
    let couples = section.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        format!("SHARED_STRENGTH_FROM = {SHARED_STRENGTH_FROM}"),
        format!("MIXED_AGENDA_WILLING_FROM = {MIXED_AGENDA_WILLING_FROM}"),
        format!("WILLINGNESS_CAP_BELOW = {WILLINGNESS_CAP_BELOW}"),
        format!("DISAGREEMENT_MIN_GAP = {DISAGREEMENT_MIN_GAP}"),
        format!("MAX_DISAGREEMENTS = {MAX_DISAGREEMENTS}"),
        JointBookingOffer::PracticeWillContact.message().to_owned(),
        INDIVIDUAL_CONSULT_OFFER.to_owned(),
    ] {
        assert!(
            couples.contains(&needle),
            "docs/scoring.md Couples lacks {needle}"
        );
    }
    for i in SafetyItem::ALL {
        let row = format!("| `{}` | {} |", i.id(), i.question());
        assert!(couples.contains(&row), "docs/scoring.md lacks {row}");
    }
}

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
                    let d = Dimension::ALL.iter().position(|&d| d == i.dimension);
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
    for d in Dimension::ALL {
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
    fn mixed_agenda_is_symmetric(a in 0u8..=100, b in 0u8..=100) {
        let m = MixedAgenda::detect(ByPartner::new(a, b));
        prop_assert_eq!(MixedAgenda::detect(ByPartner::new(b, a)), m.map(MixedAgenda::swapped));
        let expected = (a >= MIXED_AGENDA_WILLING_FROM && b < WILLINGNESS_CAP_BELOW)
            || (b >= MIXED_AGENDA_WILLING_FROM && a < WILLINGNESS_CAP_BELOW);
        prop_assert_eq!(m.is_some(), expected);
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
            if gap >= DISAGREEMENT_MIN_GAP && !listed.contains(&i.id) {
                // Only left off because the list is full of wider or equal gaps.
                prop_assert!(d.len() == MAX_DISAGREEMENTS && gap <= min_listed);
            }
        }
    }
}

// Check-in version 2: the tiers (docs/safety.md, "The two tiers").

fn v2(answers: &[(SafetyItem, SafetyAnswer)]) -> SafetyScreen {
    SafetyScreen::of_version(CheckInVersion::V2, |item| {
        answers
            .iter()
            .find(|(i, _)| *i == item)
            .map(|(_, a)| *a)
            .unwrap_or(if item == SafetyItem::JointSafe {
                SafetyAnswer::Yes
            } else {
                SafetyAnswer::No
            })
    })
}

#[test]
fn a_clear_v2_check_in_has_no_tier() {
    assert_eq!(v2(&[]).tier(), None);
    assert!(v2(&[]).flag().is_none());
    // "I don't know" about a gun and "doesn't apply" to things getting worse are not concerns.
    let unsure = v2(&[
        (SafetyItem::Gun, SafetyAnswer::DontKnow),
        (SafetyItem::Worse, SafetyAnswer::NotApplicable),
    ]);
    assert_eq!(unsure.tier(), None);
}

#[test]
fn what_predicts_serious_harm_is_urgent() {
    use SafetyAnswer::Yes;
    for item in [
        SafetyItem::Neck,
        SafetyItem::Kill,
        SafetyItem::Weapon,
        SafetyItem::Worse,
    ] {
        let screen = v2(&[(item, Yes)]);
        assert_eq!(screen.tier(), Some(CheckInTier::Urgent), "{item:?}");
        assert!(screen.flag().expect("flag").urgent);
    }
    // A gun alone is not a concern; with any other concern it is urgent.
    assert_eq!(v2(&[(SafetyItem::Gun, Yes)]).tier(), None);
    assert_eq!(
        v2(&[(SafetyItem::Gun, Yes), (SafetyItem::Afraid, Yes)]).tier(),
        Some(CheckInTier::Urgent)
    );
    assert_eq!(
        v2(&[
            (SafetyItem::Gun, Yes),
            (SafetyItem::JointSafe, SafetyAnswer::No)
        ])
        .tier(),
        Some(CheckInTier::Urgent)
    );
    // …but not with only "I'm not sure" about speaking freely.
    assert_eq!(
        v2(&[
            (SafetyItem::Gun, Yes),
            (SafetyItem::JointSafe, SafetyAnswer::NotSure)
        ])
        .tier(),
        Some(CheckInTier::Positive)
    );
}

#[test]
fn any_other_concern_or_a_declined_question_is_positive() {
    use SafetyAnswer::*;
    for item in [
        SafetyItem::Afraid,
        SafetyItem::PutDown,
        SafetyItem::Controlled,
        SafetyItem::Hit,
        SafetyItem::Threat,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
    ] {
        assert_eq!(
            v2(&[(item, Yes)]).tier(),
            Some(CheckInTier::Positive),
            "{item:?}"
        );
    }
    for answer in [No, NotSure] {
        assert_eq!(
            v2(&[(SafetyItem::JointSafe, answer)]).tier(),
            Some(CheckInTier::Positive)
        );
    }
    // "I'd rather not say" counts, but never makes a check-in urgent by itself.
    for &item in CheckInVersion::V2.items() {
        let declined = v2(&[(item, RatherNotSay)]);
        assert_eq!(declined.tier(), Some(CheckInTier::Positive), "{item:?}");
        assert_eq!(declined.flag().expect("flag").declined, [item]);
    }
}

#[test]
fn every_v2_question_offers_rather_not_say_and_v1_keeps_its_rule() {
    for &item in CheckInVersion::V2.items() {
        assert!(item.choices().contains(&SafetyAnswer::RatherNotSay));
        assert_eq!(SafetyItem::parse(item.id()), Some(item));
    }
    let old = SafetyScreen::from_fn(|i| {
        if i == SafetyItem::Hurt {
            SafetyAnswer::Yes
        } else {
            SafetyAnswer::No
        }
    });
    assert_eq!(old.version(), CheckInVersion::V1);
    assert_eq!(old.tier(), Some(CheckInTier::Positive));
    assert_eq!(SafetyScreen::from_fn(|_| SafetyAnswer::No).tier(), None);
}

#[test]
fn a_stored_check_in_reads_back_under_its_own_version() {
    let screen = v2(&[
        (SafetyItem::Neck, SafetyAnswer::Yes),
        (SafetyItem::Gun, SafetyAnswer::DontKnow),
    ]);
    let json = screen.answers_json();
    assert_eq!(
        SafetyScreen::from_stored(CheckInVersion::V2, &json),
        Some(screen)
    );
    // A version 1 row, as stored before versions existed.
    let v1 = r#"{"afraid":"no","hurt":"rather_not_say","threatened":"no","controlled":"yes","forced":"no"}"#;
    let old = SafetyScreen::from_stored(CheckInVersion::V1, v1).expect("v1 reads");
    assert_eq!(old.answer(SafetyItem::Controlled), SafetyAnswer::Yes);
    assert_eq!(old.flag().expect("flag").declined, [SafetyItem::Hurt]);
    // An answer a question does not offer is refused, not guessed.
    assert_eq!(
        SafetyScreen::from_stored(CheckInVersion::V1, &v1.replace("\"no\"", "\"not_sure\"")),
        None
    );
}

proptest! {
    #[test]
    fn a_v2_tier_follows_from_the_answers_alone(picks in proptest::collection::vec(0usize..4, 14)) {
        let items = CheckInVersion::V2.items();
        let screen = SafetyScreen::of_version(CheckInVersion::V2, |item| {
            let n = items.iter().position(|i| *i == item).unwrap_or(0);
            let choices = item.choices();
            choices[picks[n] % choices.len()]
        });
        let form: Vec<(String, String)> = items
            .iter()
            .map(|i| (i.field_name(), screen.answer(*i).as_str().to_owned()))
            .collect();
        // The form reads back to the same check-in, and urgent implies positive.
        let parsed = SafetyScreen::parse_form(form).expect("valid");
        prop_assert_eq!(&parsed, &screen);
        prop_assert_eq!(parsed.tier(), screen.tier());
        if screen.tier() == Some(CheckInTier::Urgent) {
            prop_assert!(screen.is_positive());
        }
        let declined = items.iter().any(|i| screen.answer(*i) == SafetyAnswer::RatherNotSay);
        if declined {
            prop_assert!(screen.is_positive());
        }
    }
}

//! The mixed agenda, what partners see about booking, the summary together and the report.

use super::*;

// --- Mixed agenda -----------------------------------------------------

#[test]
fn mixed_agenda_from_where_each_partner_is() {
    use Leaning::{Decided, In, Out, Unsure};
    let m = |a, b| MixedAgenda::detect(ByPartner::new(a, b));
    let willing = |a, b| m(a, b).map(|m| m.willing);
    assert_eq!(willing(Some(In), Some(Out)), Some(Some(PartnerRole::A)));
    assert_eq!(
        willing(Some(Unsure), Some(In)),
        Some(Some(PartnerRole::B)),
        "ambivalence is seen"
    );
    assert_eq!(willing(Some(In), Some(Decided)), Some(Some(PartnerRole::A)));
    assert_eq!(
        willing(Some(Unsure), Some(Unsure)),
        Some(None),
        "shared doubt"
    );
    assert_eq!(
        willing(Some(Out), Some(Out)),
        Some(None),
        "both leaning out"
    );
    assert_eq!(m(Some(In), Some(In)), None);
    assert_eq!(
        m(None, Some(In)),
        None,
        "a version 1 middle score says nothing itself"
    );
    assert_eq!(m(None, None), None);
    assert_eq!(
        willing(None, Some(Decided)),
        Some(None),
        "beside it, the other partner's leaning decides"
    );
    let mixed_versions = m(None, Some(Out)).unwrap().describe();
    assert!(
        mixed_versions.contains("Partner A is neither clearly in nor out"),
        "{mixed_versions}"
    );
    assert!(m(Some(In), Some(Decided)).unwrap().ending());
    assert!(!m(Some(In), Some(Out)).unwrap().ending());
    let shared = m(Some(Unsure), Some(Out)).unwrap().describe();
    assert_eq!(
        shared,
        "Shared doubt: Partner A is unsure; Partner B is leaning toward ending it."
    );
    let ending = m(Some(In), Some(Decided)).unwrap().describe();
    assert!(ending.contains("separation-focused"), "{ending}");
    // Version 1 reads only the clear ends of its Willingness score.
    let v1 = |w| crate::domain::scoring::leaning(Instrument::V1, w, None);
    assert_eq!(
        [v1(70), v1(69), v1(40), v1(39)],
        [Some(In), None, None, Some(Out)]
    );
    assert_eq!(WILLINGNESS_CAP_BELOW, 40);
}

#[test]
fn mixed_agenda_recommends_discernment_and_holds_booking() {
    let willing = by_level(|_| 4);
    let unwilling = by_level(|d| if d == Dimension::Willingness { 0 } else { 4 });
    let c = couple(&willing, &unwilling, clear(), clear());
    let flags = c.flags();
    assert_eq!(flags.mixed_agenda.unwrap().willing, Some(PartnerRole::A));
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

pub(super) fn assert_names_no_partner(t: &str) {
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
fn topic_sentences_say_whom_the_answers_are_about() {
    let t = |about, concern| TopicComparison {
        topic: SeedTopic::TrustBreaker(2),
        about,
        concern,
    };
    // What a partner said of their own actions is not a description of the relationship.
    assert_eq!(
        t(About::Own, WhoDescribes::One(PartnerRole::A)).sentence(),
        "One partner's answers about themselves point to emotional, physical or sexual cheating."
    );
    assert_eq!(
        t(About::Own, WhoDescribes::Both).sentence(),
        "Both partners' answers about themselves point to emotional, physical or sexual cheating."
    );
    assert_eq!(
        t(About::Own, WhoDescribes::Neither).sentence(),
        "Neither partner's answers about themselves point to emotional, physical or sexual cheating."
    );
    let us = |concern| TopicComparison {
        topic: SeedTopic::TrustBreaker(3),
        about: About::Relationship,
        concern,
    };
    assert_eq!(
        us(WhoDescribes::Both).sentence(),
        "Both partners describe blaming between them as a concern."
    );
    assert_eq!(
        us(WhoDescribes::One(PartnerRole::B)).sentence(),
        "One partner describes blaming between them as a concern."
    );
    let way = |about| TopicComparison {
        topic: SeedTopic::RebuildWay(5),
        about,
        concern: WhoDescribes::Both,
    };
    assert_eq!(
        way(About::Own).sentence(),
        "Both partners' answers about themselves show conflict resolution skills as an area still to develop."
    );
    assert_eq!(
        way(About::Relationship).sentence(),
        "Both partners describe conflict resolution skills between them as an area still to develop."
    );
}

#[test]
fn only_statements_about_the_relationship_count_as_disagreements() {
    // Opposite answers to every statement: only the relationship ones are listed.
    let low = by_level(|_| 0);
    let high = by_level(|_| 4);
    let c = couple(&low, &high, clear(), clear());
    let r = c.report().unwrap();
    assert!(!r.disagreements.is_empty());
    for d in &r.disagreements {
        assert_eq!(d.item.about, About::Relationship, "{}", d.item.id);
    }
    // "I am honest with my partner" answered differently by two people is about two people.
    assert!(r.disagreements.iter().all(|d| d.item.id != "hon1"));
}

#[test]
fn report_covers_every_trust_breaker_and_rebuild_way_in_seed_order() {
    let c = couple(&neutral(), &neutral(), clear(), clear());
    let r = c.report().unwrap();
    let mut topics: Vec<_> = r.topics.iter().map(|t| t.topic).collect();
    topics.dedup();
    let expected: Vec<_> = (1..=16)
        .map(SeedTopic::TrustBreaker)
        .chain((1..=5).map(SeedTopic::RebuildWay))
        .collect();
    assert_eq!(topics, expected);
    // A topic with statements of both kinds is compared for each: blaming (res1 about
    // oneself, res2 about the two of them).
    let blaming: Vec<_> = r
        .topics
        .iter()
        .filter(|t| t.topic == SeedTopic::TrustBreaker(3))
        .map(|t| t.about)
        .collect();
    assert_eq!(blaming, [About::Own, About::Relationship]);
    // Neutral is not a concern.
    assert!(r.topics.iter().all(|t| t.concern == WhoDescribes::Neither));
    for t in &r.topics {
        assert!(items()
            .iter()
            .any(|i| i.source.topic == t.topic && i.about == t.about));
        assert!(!t.sentence().contains("Partner"), "{}", t.sentence());
    }
    assert_eq!(r.instrument_versions, ByPartner::new(1, 1));
    let dims: Vec<_> = r.dimensions.iter().map(|d| d.dimension).collect();
    assert_eq!(dims, V1_DIMENSIONS);
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
        assert_eq!(
            describes_concern(&a, SeedTopic::TrustBreaker(1), About::Own),
            concern
        );
    }
    let mut v = neutral();
    v[idx("hon2")] = 5; // "I sometimes tell small untruths": strongly agree
    let b = complete(&v);
    let n = complete(&neutral());
    let one = compare_topics(ByPartner::new(&n, &b));
    assert_eq!(one[0].concern, WhoDescribes::One(PartnerRole::B));
    assert_eq!(
        one[0].sentence(),
        "One partner's answers about themselves point to lack of honesty."
    );
    let both = compare_topics(ByPartner::new(&b, &b));
    assert_eq!(both[0].concern, WhoDescribes::Both);
}

#[test]
fn disagreements_are_widest_first_and_capped() {
    let a = complete(&neutral());
    // Gaps on statements about the two of them: res2 by 2, con1 by 1, con2 and rep7 by 2
    // (the other way round); hon1 by 2 is about each of them, so not a disagreement.
    let idx = |id| items().iter().position(|i| i.id == id).unwrap();
    let mut v = neutral();
    v[idx("hon1")] = 5;
    v[idx("res2")] = 5;
    v[idx("con1")] = 4;
    v[idx("con2")] = 1;
    v[idx("rep7")] = 1;
    let b = complete(&v);
    let d = largest_disagreements(ByPartner::new(&a, &b));
    let ids: Vec<_> = d.iter().map(|d| d.item.id).collect();
    assert_eq!(ids, ["res2", "con2", "rep7"]);
    assert!(d.iter().all(|d| d.gap() == 2));

    let w = by_level(|_| 4);
    let far = complete(&w);
    let n = complete(&by_level(|_| 0));
    let d = largest_disagreements(ByPartner::new(&far, &n));
    assert_eq!(d.len(), MAX_DISAGREEMENTS);
    assert!(d.windows(2).all(|w| w[0].gap() >= w[1].gap()));
    assert!(d.iter().all(|d| d.gap() >= DISAGREEMENT_MIN_GAP));
}

#[test]
fn couples_doc_matches_the_code() {
    let doc = include_str!("../../../../docs/scoring.md");
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
        TopicComparison {
            topic: SeedTopic::TrustBreaker(2),
            about: About::Own,
            concern: WhoDescribes::One(PartnerRole::A),
        }
        .sentence(),
        TopicComparison {
            topic: SeedTopic::TrustBreaker(3),
            about: About::Relationship,
            concern: WhoDescribes::Both,
        }
        .sentence(),
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

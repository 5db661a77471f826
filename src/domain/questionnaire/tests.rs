//! The item banks, answers and form parsing.

use super::*;
use std::collections::HashSet;

use Instrument::{V1, V2};

fn all_answered(version: Instrument, v: u8) -> Answers {
    let mut a = Answers::new(version);
    for q in version.questions() {
        a.respond(q.id(), answer(q, v)).unwrap();
    }
    a
}

/// `v` (1..=5) as an answer to `q`: the rating, or the option at that place.
fn answer(q: Question, v: u8) -> Response {
    match q {
        Question::Item(_) => Response::Rated(Likert::ALL[usize::from(v - 1)]),
        Question::Framing(_) => Response::Chose(v),
    }
}

#[test]
fn six_sections_in_order_with_5_to_9_items_each() {
    for v in Instrument::ALL {
        assert_eq!(v.sections().len(), usize::from(SECTION_COUNT));
        for (idx, s) in v.sections().iter().enumerate() {
            assert_eq!(usize::from(s.number), idx + 1);
            let n = v.items_in_section(s.number).count();
            assert!(
                (5..=9).contains(&n),
                "{v:?} section {} has {n} items",
                s.number
            );
            assert!(!s.intro.is_empty() && s.intro.ends_with('.'));
        }
        assert!((36..=48).contains(&v.items().len()));
        assert!(v.section(0).is_none() && v.section(7).is_none());
        assert_eq!(v.items_in_section(7).count(), 0);
        assert_eq!(Instrument::from_number(i64::from(v.number())), Some(v));
    }
    assert_eq!(V1.items().len(), 42);
    assert_eq!(V2.items().len(), 46);
    assert_eq!(INSTRUMENT_VERSION, 2);
    assert_eq!(Instrument::from_number(3), None);
}

#[test]
fn items_are_grouped_by_section_and_dimension_matches_section() {
    for v in Instrument::ALL {
        let mut last = 0;
        for i in v.items() {
            assert!(i.section >= last, "{} out of order", i.id);
            last = i.section;
            assert_eq!(i.dimension.section(), i.section, "{}", i.id);
        }
    }
}

#[test]
fn ids_are_unique_short_ascii_lowercase_and_digits_and_mean_one_wording() {
    let mut wording = std::collections::HashMap::new();
    for v in Instrument::ALL {
        let mut seen = HashSet::new();
        for q in v.questions() {
            let id = q.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(!id.is_empty() && id.len() <= 8, "{id}");
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{id}"
            );
            assert!(id.as_bytes()[0].is_ascii_lowercase(), "{id}");
            // An id never changes its wording from one version to the next.
            assert_eq!(*wording.entry(id).or_insert(q.text()), q.text(), "{id}");
        }
        for i in v.items() {
            assert_eq!(v.item(i.id), Some(i));
            assert_eq!(i.field_name(), format!("q_{}", i.id));
        }
        assert!(v.item("nope").is_none());
    }
}

#[test]
fn every_trust_breaker_is_covered_by_sections_1_to_3() {
    for v in Instrument::ALL {
        for k in 1..=16u8 {
            assert!(
                v.items()
                    .iter()
                    .any(|i| i.section <= 3 && i.source.topic == SeedTopic::TrustBreaker(k)),
                "{v:?}: trust breaker {k} not covered"
            );
        }
    }
}

#[test]
fn every_rebuild_way_is_covered_by_sections_4_and_5() {
    for v in Instrument::ALL {
        for k in 1..=5u8 {
            assert!(
                v.items()
                    .iter()
                    .any(|i| (4..=5).contains(&i.section)
                        && i.source.topic == SeedTopic::RebuildWay(k)),
                "{v:?}: rebuild way {k} not covered"
            );
        }
    }
}

#[test]
fn seed_lines_match_topics() {
    for v in Instrument::ALL {
        let framings = v.framings().iter().map(|f| (f.id, f.source, f.section));
        let items = v.items().iter().map(|i| (i.id, i.source, i.section));
        for (id, SeedRef { line, topic }, section) in items.chain(framings) {
            match topic {
                SeedTopic::TrustBreaker(k) => {
                    assert!((1..=16).contains(&k), "{id}");
                    assert_eq!(line, 14 + u32::from(k), "{id}");
                    assert!(section <= 3, "{id}");
                }
                SeedTopic::RebuildWay(k) => {
                    assert!((1..=5).contains(&k), "{id}");
                    assert_eq!(line, 36 + 2 * u32::from(k), "{id}");
                }
                SeedTopic::GetHelp => {
                    assert_eq!(line, 50, "{id}");
                    assert_eq!(section, 6, "{id}");
                }
                SeedTopic::Foundation => {
                    assert!((3..=13).contains(&line) || line == 32, "{id}")
                }
            }
            assert_eq!(topic.expected_line().unwrap_or(line), line);
        }
    }
}

#[test]
fn section_6_traces_to_get_help_or_the_attempt_to_rebuild() {
    for v in Instrument::ALL {
        for i in v.items_in_section(6) {
            assert!(
                i.source.line == 50 || i.source.line == 32,
                "{} traces to line {}",
                i.id,
                i.source.line
            );
        }
    }
    // The "unable or unwilling" case is asked about both for the
    // respondent and as they see their partner, plus professional help.
    for id in ["wil2", "wil3", "wil4", "wil5", "wil7"] {
        assert_eq!(V1.item(id).unwrap().source.topic, SeedTopic::GetHelp);
    }
}

#[test]
fn reverse_keyed_items_are_balanced_across_sections() {
    for v in Instrument::ALL {
        let reversed: Vec<_> = v.items().iter().filter(|i| i.reverse).collect();
        assert!(reversed.len() >= 8);
        let sections: HashSet<u8> = reversed.iter().map(|i| i.section).collect();
        assert!(sections.len() >= 4, "reverse items only in {sections:?}");
    }
    // Version 2 evens them out: every section has at least two of each keying, and overall
    // between a third and a half are reversed (version 1 had one in seven in section 5).
    for s in 1..=SECTION_COUNT {
        let (rev, fwd): (Vec<&Item>, Vec<&Item>) = V2.items_in_section(s).partition(|i| i.reverse);
        assert!(
            rev.len() >= 2 && fwd.len() >= 2,
            "section {s}: {} reversed",
            rev.len()
        );
    }
    let rev = V2.items().iter().filter(|i| i.reverse).count();
    assert!(
        3 * rev >= V2.items().len() && 2 * rev <= V2.items().len(),
        "{rev}"
    );
    // Each commitment dimension of version 2 has both keyings, so agreeing with everything
    // lands it in the middle, not at the top.
    for d in [
        Dimension::OwnCommitment,
        Dimension::PartnerCommitment,
        Dimension::OpennessToHelp,
    ] {
        let keys: HashSet<bool> = V2
            .items()
            .iter()
            .filter(|i| i.dimension == d)
            .map(|i| i.reverse)
            .collect();
        assert_eq!(keys.len(), 2, "{d:?}");
    }
}

#[test]
fn texts_are_short_plain_first_person_statements() {
    for v in Instrument::ALL {
        for i in v.items() {
            let t = i.text;
            assert!(t.chars().count() <= 110, "{} is too long", i.id);
            assert!(t.ends_with('.'), "{} should be a statement", i.id);
            assert!(!t.contains('?'), "{}", i.id);
            let lower = format!(" {} ", t.to_lowercase());
            assert!(
                [" i ", " i'm ", " my ", " me ", " our ", " we ", " us"]
                    .iter()
                    .any(|w| lower.contains(w)),
                "{} is not first person",
                i.id
            );
        }
        let texts: HashSet<_> = v.items().iter().map(|i| i.text).collect();
        assert_eq!(texts.len(), v.items().len(), "duplicate wording");
    }
}

#[test]
fn version_2_wording_mends_what_the_review_found() {
    for i in V2.items() {
        let lower = format!(" {} ", i.text.to_lowercase().trim_end_matches('.'));
        // No frequency words inside an agree/disagree statement, no "not" to disagree with,
        // and no double "and/or" asks (P12).
        for word in [
            " sometimes ",
            " often ",
            " not sure ",
            " rather not ",
            " don't know ",
        ] {
            assert!(!lower.contains(word), "{}: {word}", i.id);
        }
        for pair in [
            " and physically",
            " or getting",
            " calmly and ",
            " and come back",
        ] {
            assert!(!lower.contains(pair), "{}: {pair}", i.id);
        }
        // Nothing presupposes that the person answering broke trust (P7).
        for presumes in ["things i did that", "our trust problems", "my part in"] {
            assert!(!lower.contains(presumes), "{}: {presumes}", i.id);
        }
    }
    // The statements about one's own part in breaking trust offer "Doesn't apply to me".
    let own_part: Vec<&str> = V2
        .items()
        .iter()
        .filter(|i| i.source.topic == SeedTopic::RebuildWay(1))
        .map(|i| i.id)
        .collect();
    assert!(own_part.len() >= 2);
    for id in &own_part {
        assert!(V2.item(id).unwrap().not_applicable, "{id}");
    }
    assert!(V1.items().iter().all(|i| !i.not_applicable));
    // Willingness is split three ways; version 1 keeps its single dimension.
    assert_eq!(
        V2.dimensions(),
        [
            Dimension::Honesty,
            Dimension::Respect,
            Dimension::Connection,
            Dimension::Accountability,
            Dimension::RepairSkills,
            Dimension::OwnCommitment,
            Dimension::PartnerCommitment,
            Dimension::OpennessToHelp,
        ]
    );
    assert_eq!(V1.dimensions().last(), Some(&Dimension::Willingness));
    assert!(V2
        .items()
        .iter()
        .filter(|i| i.dimension == Dimension::PartnerCommitment)
        .all(|i| i.about == About::Partner));
}

#[test]
fn framing_questions_come_first_in_their_sections() {
    assert!(V1.framings().is_empty());
    let ids: Vec<&str> = V2.framings().iter().map(|f| f.id).collect();
    assert_eq!(ids, ["role", "lean"]);
    assert_eq!(V2.questions_in_section(1)[0].id(), "role");
    assert_eq!(V2.questions_in_section(6)[0].id(), "lean");
    assert_eq!(V2.questions().len(), 48);
    for f in V2.framings() {
        assert_eq!(f.options.len(), 5, "fits the stored 1..=5");
        assert_eq!(f.options.last(), Some(&"I'd rather not say"));
        assert!(f.text.ends_with('?'));
    }
}

#[test]
fn scoring_doc_lists_every_item_as_in_the_bank() {
    // docs/scoring.md is the written formula; keep its item tables honest.
    let doc = include_str!("../../../docs/scoring.md");
    for v in Instrument::ALL {
        let heading = format!("## All items, version {}", v.number());
        let table = doc.split(heading.as_str()).nth(1).unwrap_or_default();
        let table = table.split("\n## ").next().unwrap_or_default();
        let rows = table.lines().filter(|l| l.starts_with("| `")).count();
        assert_eq!(rows, v.items().len(), "{heading} rows");
        for i in v.items() {
            let row = format!(
                "| `{}` | {} | {:?} | {} | {} | {} — {} | {}{} |",
                i.id,
                i.section,
                i.dimension,
                if i.reverse { "yes" } else { "no" },
                i.source.line,
                match i.source.topic {
                    SeedTopic::TrustBreaker(k) => format!("TrustBreaker({k})"),
                    SeedTopic::RebuildWay(k) => format!("RebuildWay({k})"),
                    t => format!("{t:?}"),
                },
                i.source.topic.label(),
                i.text,
                match (i.not_applicable, i.scored) {
                    (true, _) => " (or “Doesn't apply to me”)",
                    (false, false) => " (shown to the clinician, not scored)",
                    (false, true) => "",
                },
            );
            assert!(
                table.contains(&row),
                "{heading} is missing or differs: {row}"
            );
        }
        let reversed: Vec<String> = v
            .items()
            .iter()
            .filter(|i| i.reverse)
            .map(|i| format!("`{}`", i.id))
            .collect();
        assert!(
            table.contains(&format!("{}.", reversed.join(", "))),
            "{heading}: reversed list"
        );
    }
    assert!(doc.contains(&format!("INSTRUMENT_VERSION = {INSTRUMENT_VERSION}")));
}

#[test]
fn dimension_keys_round_trip_and_match_serde() {
    use serde::de::{value::Error, IntoDeserializer};
    for d in Dimension::ALL {
        assert_eq!(Dimension::parse(d.as_str()), Some(d));
        let de: Result<Dimension, Error> = Dimension::deserialize(d.as_str().into_deserializer());
        assert_eq!(de, Ok(d), "serde name of {d:?} must equal as_str");
        assert!(Instrument::ALL
            .iter()
            .any(|v| v.items().iter().any(|i| i.dimension == d)));
    }
    assert_eq!(Dimension::parse("Honesty"), None);
    for l in Leaning::ALL {
        assert_eq!(Leaning::parse(l.as_str()), Some(l));
    }
}

#[test]
fn deserializing_revalidates() {
    use serde::de::{value::Error, IntoDeserializer};
    let ok: Result<Likert, Error> = Likert::deserialize(4i64.into_deserializer());
    assert_eq!(ok.map(Likert::value), Ok(4));
    let bad: Result<Likert, Error> = Likert::deserialize(6i64.into_deserializer());
    assert!(bad.is_err());

    let n: Result<ClientNote, Error> =
        ClientNote::deserialize(" hi ".to_string().into_deserializer());
    assert_eq!(n.map(|n| n.as_str().to_owned()), Ok("hi".to_owned()));
    let n: Result<ClientNote, Error> =
        ClientNote::deserialize("  ".to_string().into_deserializer());
    assert!(n.is_err());
    let long = "x".repeat(ClientNote::MAX_CHARS + 1);
    let n: Result<ClientNote, Error> = ClientNote::deserialize(long.into_deserializer());
    assert!(n.is_err());
}

#[test]
fn stored_answers_are_read_under_their_own_version() {
    let rows = |v: &[(&str, i64)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), *b))
            .collect::<Vec<_>>()
    };
    // A version 1 row keeps its version 1 meaning; what version 1 never asked is passed over.
    let v1 = Answers::from_stored(
        V1,
        rows(&[
            ("hon2", 4),
            ("acc1", 2),
            ("role", 2),
            ("acc7", 0),
            ("hon1", 0),
        ]),
    );
    assert_eq!(v1.len(), 2);
    assert_eq!(v1.get("hon2").map(Likert::value), Some(4));
    assert_eq!(v1.role(), None);
    // Version 2 reads "Doesn't apply" (0) only where it is offered, and framing choices.
    let v2 = Answers::from_stored(
        V2,
        rows(&[
            ("role", 2),
            ("acc7", 0),
            ("hon1", 0),
            ("hon2", 4),
            ("lean", 6),
            ("lean", 5),
        ]),
    );
    assert_eq!(v2.role(), Some(TrustRole::Partner));
    assert_eq!(v2.response("acc7"), Some(Response::NotApplicable));
    assert_eq!(v2.get("acc7"), None);
    assert_eq!(v2.response("hon1"), None, "hon1 offers no 'Doesn't apply'");
    assert_eq!(v2.response("hon2"), None, "hon2 is not asked in version 2");
    assert_eq!(v2.response("lean"), Some(Response::Chose(5)));
    assert_eq!(v2.said_leaning(), None, "I'd rather not say");
    let mut stored = v2.stored();
    stored.sort();
    assert_eq!(stored, [("acc7", 0), ("lean", 5), ("role", 2)]);
}

#[test]
fn likert_accepts_only_1_to_5() {
    for v in 1..=5 {
        assert_eq!(Likert::parse(v).unwrap().value(), v as u8);
    }
    for v in [i64::MIN, -1, 0, 6, 255, 256, 261, i64::MAX] {
        assert_eq!(
            Likert::parse(v),
            Err(AnswerError::OutOfRange {
                item: String::new(),
                value: v
            })
        );
    }
    let labels: Vec<_> = Likert::ALL.iter().map(|l| l.label()).collect();
    assert_eq!(labels[0], "Strongly disagree");
    assert_eq!(labels[4], "Strongly agree");
    assert!(Likert::ALL.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn answers_accept_only_known_items() {
    let mut a = Answers::new(V1);
    assert!(a.is_empty());
    a.set("hon1", Likert::ALL[3]).unwrap();
    assert_eq!(a.get("hon1"), Some(Likert::ALL[3]));
    assert_eq!(
        a.set("zzz1", Likert::ALL[0]),
        Err(AnswerError::UnknownItem("zzz1".into()))
    );
    assert_eq!(
        a.set("acc7", Likert::ALL[0]),
        Err(AnswerError::UnknownItem("acc7".into())),
        "a version 2 item is unknown to version 1"
    );
    assert_eq!(a.len(), 1);
    a.set("hon1", Likert::ALL[0]).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a.get("hon1"), Some(Likert::ALL[0]));

    let mut b = Answers::new(V2);
    assert!(b.respond("acc7", Response::NotApplicable).is_ok());
    assert!(b.respond("hon1", Response::NotApplicable).is_err());
    assert!(b.respond("role", Response::Chose(6)).is_err());
    assert!(b.respond("role", Response::Rated(Likert::ALL[0])).is_err());
    assert!(b.respond("acc7", Response::Chose(1)).is_err());
    assert_eq!(b.len(), 1);
}

#[test]
fn answers_iterate_in_questionnaire_order() {
    let mut a = Answers::new(V1);
    a.set("wil1", Likert::ALL[0]).unwrap();
    a.set("acc1", Likert::ALL[0]).unwrap();
    a.set("hon2", Likert::ALL[0]).unwrap();
    let ids: Vec<_> = a.iter().map(|(i, _)| i.id).collect();
    assert_eq!(ids, ["hon2", "acc1", "wil1"]);
}

#[test]
fn merge_prefers_the_newer_answers() {
    let mut old = Answers::new(V1);
    old.set("hon1", Likert::ALL[0]).unwrap();
    old.set("hon2", Likert::ALL[0]).unwrap();
    let mut new = Answers::new(V1);
    new.set("hon2", Likert::ALL[4]).unwrap();
    new.set("res1", Likert::ALL[2]).unwrap();
    old.merge(&new);
    assert_eq!(old.len(), 3);
    assert_eq!(old.get("hon1"), Some(Likert::ALL[0]));
    assert_eq!(old.get("hon2"), Some(Likert::ALL[4]));
    assert_eq!(old.get("res1"), Some(Likert::ALL[2]));
}

#[test]
fn progress_and_completion() {
    for v in Instrument::ALL {
        let mut a = Answers::new(v);
        assert_eq!(a.first_incomplete_section(), Some(1));
        assert_eq!(
            a.missing_in_section(1).len(),
            v.questions_in_section(1).len()
        );
        for q in v.questions_in_section(1) {
            a.respond(q.id(), answer(q, 3)).unwrap();
        }
        assert!(a.missing_in_section(1).is_empty());
        assert_eq!(a.first_incomplete_section(), Some(2));
        let missing = a.complete().unwrap_err();
        assert_eq!(
            missing.len(),
            v.questions().len() - v.questions_in_section(1).len()
        );
        assert_eq!(missing[0], v.questions_in_section(2)[0].id());

        let full = all_answered(v, 3);
        assert_eq!(full.first_incomplete_section(), None);
        let c = full.complete().unwrap();
        assert_eq!(c.answers(), &full);
        assert_eq!(c.version(), v);
        assert_eq!(c.get("wil1"), Some(Likert::ALL[2]));
        assert_eq!(c.into_answers(), full);
    }
    // Version 2's framing questions must be answered too ("I'd rather not say" is an answer).
    let mut a = Answers::new(V2);
    for q in V2.questions().into_iter().filter(|q| q.id() != "lean") {
        a.respond(q.id(), answer(q, 5)).unwrap();
    }
    assert_eq!(a.complete().unwrap_err(), ["lean"]);
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn section_form_parses_answers_and_ignores_other_fields() {
    let a = parse_section_form(
        V1,
        1,
        pairs(&[
            ("q_hon1", "5"),
            ("q_hon2", " 2 "),
            ("q_hon3", ""),
            ("csrf", "abc"),
            ("section", "1"),
            ("note", "hello"),
        ]),
    )
    .unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a.get("hon1").map(Likert::value), Some(5));
    assert_eq!(a.get("hon2").map(Likert::value), Some(2));
    assert_eq!(a.get("hon3"), None);
}

#[test]
fn section_form_collects_every_error() {
    let errs = parse_section_form(
        V1,
        1,
        pairs(&[
            ("q_hon1", "6"),
            ("q_hon2", "three"),
            ("q_nope", "3"),
            ("q_res1", "3"),
            ("q_hon4", "2.5"),
            ("q_hon5", "4"),
        ]),
    )
    .unwrap_err();
    assert_eq!(
        errs,
        vec![
            AnswerError::OutOfRange {
                item: "hon1".into(),
                value: 6
            },
            AnswerError::NotANumber {
                item: "hon2".into()
            },
            AnswerError::UnknownItem("nope".into()),
            AnswerError::UnknownItem("res1".into()),
            AnswerError::NotANumber {
                item: "hon4".into()
            },
        ]
    );
}

#[test]
fn section_form_rejects_another_sections_items_even_when_empty() {
    let errs = parse_section_form(V1, 2, pairs(&[("q_hon1", "")])).unwrap_err();
    assert_eq!(errs, vec![AnswerError::UnknownItem("hon1".into())]);
}

#[test]
fn error_messages_are_client_friendly() {
    let e = AnswerError::OutOfRange {
        item: "hon1".into(),
        value: 9,
    };
    let msg = e.to_string();
    assert!(msg.starts_with("Please choose one of the answers offered"));
    assert!(msg.contains("I am honest with my partner"));
    assert!(!msg.contains("hon1"), "internal ids stay internal");
    assert_eq!(
        Likert::parse(0).unwrap_err().to_string(),
        "Please choose one of the answers offered."
    );
    assert!(AnswerError::NoteTooLong { max: 2000 }
        .to_string()
        .contains("2000 characters"));
    assert!(!AnswerError::UnknownItem("x".into()).to_string().is_empty());
}

#[test]
fn version_2_pages_take_doesnt_apply_and_framing_choices() {
    let a = parse_section_form(
        V2,
        4,
        pairs(&[("q_acc7", "0"), ("q_acc8", "4"), ("q_acc9", "0")]),
    )
    .unwrap_err();
    assert_eq!(
        a,
        vec![AnswerError::OutOfRange {
            item: "acc9".into(),
            value: 0
        }]
    );
    let a = parse_section_form(V2, 1, pairs(&[("q_role", "3"), ("q_hon1", "5")])).unwrap();
    assert_eq!(a.role(), Some(TrustRole::Both));
    let e = parse_section_form(V2, 1, pairs(&[("q_role", "0")])).unwrap_err();
    assert!(e[0]
        .to_string()
        .contains("What has most affected trust between you"));
    assert!(parse_section_form(V2, 6, pairs(&[("q_role", "1")])).is_err());
}

#[test]
fn client_note_is_trimmed_cleaned_and_bounded() {
    assert_eq!(ClientNote::parse("").unwrap(), None);
    assert_eq!(ClientNote::parse("  \n\t ").unwrap(), None);
    let n = ClientNote::parse("  We argue\r\nabout money.\0 ")
        .unwrap()
        .unwrap();
    assert_eq!(n.as_str(), "We argue\nabout money.");
    let max = "é".repeat(ClientNote::MAX_CHARS);
    assert_eq!(
        ClientNote::parse(&max)
            .unwrap()
            .unwrap()
            .as_str()
            .chars()
            .count(),
        ClientNote::MAX_CHARS
    );
    assert_eq!(
        ClientNote::parse(&format!("{max}x")),
        Err(AnswerError::NoteTooLong {
            max: ClientNote::MAX_CHARS
        })
    );
    // Surrounding whitespace does not count against the limit.
    assert!(ClientNote::parse(&format!("   {max}   "))
        .unwrap()
        .is_some());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn likert_parse_never_panics_and_is_exact(v in any::<i64>()) {
            match Likert::parse(v) {
                Ok(l) => prop_assert!((1..=5).contains(&v) && i64::from(l.value()) == v),
                Err(_) => prop_assert!(!(1..=5).contains(&v)),
            }
        }

        #[test]
        fn section_form_never_panics(
            section in 0u8..=8,
            fields in proptest::collection::vec((".{0,8}", ".{0,6}"), 0..12),
        ) {
            let fields: Vec<(String, String)> = fields
                .into_iter()
                .map(|(n, v)| (format!("q_{n}"), v))
                .collect();
            for v in Instrument::ALL {
                if let Ok(a) = parse_section_form(v, section, fields.clone()) {
                    for (q, _) in a.responses() {
                        prop_assert_eq!(q.section(), section);
                    }
                }
            }
        }

        #[test]
        fn client_note_never_panics_and_respects_limit(s in ".{0,2100}") {
            if let Ok(Some(n)) = ClientNote::parse(&s) {
                prop_assert!(!n.as_str().is_empty());
                prop_assert!(n.as_str().chars().count() <= ClientNote::MAX_CHARS);
                prop_assert_eq!(n.as_str().trim(), n.as_str());
                prop_assert!(!n.as_str().contains('\0'));
            }
        }
    }
}

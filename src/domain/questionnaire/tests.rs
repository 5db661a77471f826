//! The item bank, answers and form parsing.

use super::*;
use std::collections::HashSet;

fn all_answered(v: u8) -> Answers {
    let mut a = Answers::new();
    for i in items() {
        a.set(i.id, Likert::ALL[usize::from(v - 1)]).unwrap();
    }
    a
}

#[test]
fn six_sections_in_order_with_5_to_8_items_each() {
    assert_eq!(sections().len(), usize::from(SECTION_COUNT));
    for (idx, s) in sections().iter().enumerate() {
        assert_eq!(usize::from(s.number), idx + 1);
        let n = items_in_section(s.number).count();
        assert!((5..=8).contains(&n), "section {} has {n} items", s.number);
        assert!(!s.intro.is_empty() && s.intro.ends_with('.'));
    }
    assert!((36..=42).contains(&items().len()));
    assert!(section(0).is_none() && section(7).is_none());
    assert_eq!(items_in_section(7).count(), 0);
}

#[test]
fn items_are_grouped_by_section_and_dimension_matches_section() {
    let mut last = 0;
    for i in items() {
        assert!(i.section >= last, "{} out of order", i.id);
        last = i.section;
        assert_eq!(i.dimension.section(), i.section, "{}", i.id);
    }
}

#[test]
fn ids_are_unique_short_ascii_lowercase_and_digits() {
    let mut seen = HashSet::new();
    for i in items() {
        assert!(seen.insert(i.id), "duplicate id {}", i.id);
        assert!(!i.id.is_empty() && i.id.len() <= 8, "{}", i.id);
        assert!(
            i.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{}",
            i.id
        );
        assert!(i.id.as_bytes()[0].is_ascii_lowercase(), "{}", i.id);
        assert_eq!(item(i.id), Some(i));
        assert_eq!(i.field_name(), format!("q_{}", i.id));
    }
    assert!(item("nope").is_none());
}

#[test]
fn every_trust_breaker_is_covered_by_sections_1_to_3() {
    for k in 1..=16u8 {
        assert!(
            items()
                .iter()
                .any(|i| i.section <= 3 && i.source.topic == SeedTopic::TrustBreaker(k)),
            "trust breaker {k} not covered"
        );
    }
}

#[test]
fn every_rebuild_way_is_covered_by_sections_4_and_5() {
    for k in 1..=5u8 {
        assert!(
            items()
                .iter()
                .any(|i| (4..=5).contains(&i.section)
                    && i.source.topic == SeedTopic::RebuildWay(k)),
            "rebuild way {k} not covered"
        );
    }
}

#[test]
fn seed_lines_match_topics() {
    for i in items() {
        let SeedRef { line, topic } = i.source;
        match topic {
            SeedTopic::TrustBreaker(k) => {
                assert!((1..=16).contains(&k), "{}", i.id);
                assert_eq!(line, 14 + u32::from(k), "{}", i.id);
                assert!(i.section <= 3, "{}", i.id);
            }
            SeedTopic::RebuildWay(k) => {
                assert!((1..=5).contains(&k), "{}", i.id);
                assert_eq!(line, 36 + 2 * u32::from(k), "{}", i.id);
                assert!((4..=5).contains(&i.section), "{}", i.id);
            }
            SeedTopic::GetHelp => {
                assert_eq!(line, 50, "{}", i.id);
                assert_eq!(i.dimension, Dimension::Willingness, "{}", i.id);
            }
            SeedTopic::Foundation => {
                assert!((3..=13).contains(&line) || line == 32, "{}", i.id)
            }
        }
        assert_eq!(topic.expected_line().unwrap_or(line), line);
    }
}

#[test]
fn willingness_items_trace_to_get_help_or_the_attempt_to_rebuild() {
    for i in items_in_section(6) {
        assert!(
            i.source.line == 50 || i.source.line == 32,
            "{} traces to line {}",
            i.id,
            i.source.line
        );
    }
    // The "unable or unwilling" case is asked about both for the
    // respondent and as they see their partner, plus professional help.
    for id in ["wil2", "wil3", "wil4", "wil5", "wil7"] {
        assert_eq!(item(id).unwrap().source.topic, SeedTopic::GetHelp);
    }
}

#[test]
fn enough_reverse_keyed_items_spread_over_sections() {
    let reversed: Vec<_> = items().iter().filter(|i| i.reverse).collect();
    assert!(reversed.len() >= 8);
    let sections: HashSet<u8> = reversed.iter().map(|i| i.section).collect();
    assert!(sections.len() >= 4, "reverse items only in {sections:?}");
}

#[test]
fn texts_are_short_plain_first_person_statements() {
    for i in items() {
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
    let texts: HashSet<_> = items().iter().map(|i| i.text).collect();
    assert_eq!(texts.len(), items().len(), "duplicate wording");
}

#[test]
fn scoring_doc_lists_every_item_as_in_the_bank() {
    // docs/scoring.md is the written formula; keep its item table honest.
    let doc = include_str!("../../../docs/scoring.md");
    let table = doc.split("## All items").nth(1).unwrap_or_default();
    let rows = table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(rows, items().len(), "item table rows");
    for i in items() {
        let row = format!(
            "| `{}` | {} | {:?} | {} | {} | {} — {} | {} |",
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
        );
        assert!(
            doc.contains(&row),
            "docs/scoring.md is missing or differs: {row}"
        );
    }
    let reversed: Vec<String> = items()
        .iter()
        .filter(|i| i.reverse)
        .map(|i| format!("`{}`", i.id))
        .collect();
    assert!(
        doc.contains(&format!("{}.", reversed.join(", "))),
        "reversed list"
    );
    assert!(doc.contains(&format!("INSTRUMENT_VERSION = {INSTRUMENT_VERSION}")));
}

#[test]
fn dimension_keys_round_trip_and_match_serde() {
    use serde::de::{value::Error, IntoDeserializer};
    for d in Dimension::ALL {
        assert_eq!(Dimension::parse(d.as_str()), Some(d));
        let de: Result<Dimension, Error> = Dimension::deserialize(d.as_str().into_deserializer());
        assert_eq!(de, Ok(d), "serde name of {d:?} must equal as_str");
        assert!(items().iter().any(|i| i.dimension == d));
    }
    assert_eq!(Dimension::parse("Honesty"), None);
}

#[test]
fn deserializing_revalidates() {
    use serde::de::{value::Error, value::MapDeserializer, IntoDeserializer};
    let ok: Result<Likert, Error> = Likert::deserialize(4i64.into_deserializer());
    assert_eq!(ok.map(Likert::value), Ok(4));
    let bad: Result<Likert, Error> = Likert::deserialize(6i64.into_deserializer());
    assert!(bad.is_err());

    let good = vec![("hon1".to_string(), 3i64), ("wil8".to_string(), 1)];
    let a: Result<Answers, Error> = Answers::deserialize(MapDeserializer::new(good.into_iter()));
    assert_eq!(a.map(|a| a.len()), Ok(2));
    let unknown = vec![("hon1".to_string(), 3i64), ("evil".to_string(), 1)];
    let a: Result<Answers, Error> = Answers::deserialize(MapDeserializer::new(unknown.into_iter()));
    assert!(a.is_err());
    let out_of_range = vec![("hon1".to_string(), 0i64)];
    let a: Result<Answers, Error> =
        Answers::deserialize(MapDeserializer::new(out_of_range.into_iter()));
    assert!(a.is_err());

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
    let mut a = Answers::new();
    assert!(a.is_empty());
    a.set("hon1", Likert::ALL[3]).unwrap();
    assert_eq!(a.get("hon1"), Some(Likert::ALL[3]));
    assert_eq!(
        a.set("zzz1", Likert::ALL[0]),
        Err(AnswerError::UnknownItem("zzz1".into()))
    );
    assert_eq!(a.len(), 1);
    a.set("hon1", Likert::ALL[0]).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a.get("hon1"), Some(Likert::ALL[0]));
}

#[test]
fn answers_iterate_in_questionnaire_order() {
    let mut a = Answers::new();
    a.set("wil1", Likert::ALL[0]).unwrap();
    a.set("acc1", Likert::ALL[0]).unwrap();
    a.set("hon2", Likert::ALL[0]).unwrap();
    let ids: Vec<_> = a.iter().map(|(i, _)| i.id).collect();
    assert_eq!(ids, ["hon2", "acc1", "wil1"]);
}

#[test]
fn merge_prefers_the_newer_answers() {
    let mut old = Answers::new();
    old.set("hon1", Likert::ALL[0]).unwrap();
    old.set("hon2", Likert::ALL[0]).unwrap();
    let mut new = Answers::new();
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
    let mut a = Answers::new();
    assert_eq!(a.first_incomplete_section(), Some(1));
    assert_eq!(a.missing_in_section(1).len(), items_in_section(1).count());
    for i in items_in_section(1) {
        a.set(i.id, Likert::ALL[2]).unwrap();
    }
    assert!(a.missing_in_section(1).is_empty());
    assert_eq!(a.first_incomplete_section(), Some(2));
    let missing = a.complete().unwrap_err();
    assert_eq!(missing.len(), items().len() - items_in_section(1).count());
    assert_eq!(missing[0].section, 2);

    let full = all_answered(3);
    assert_eq!(full.first_incomplete_section(), None);
    let c = full.complete().unwrap();
    assert_eq!(c.answers(), &full);
    assert_eq!(c.get("wil8"), Some(Likert::ALL[2]));
    assert_eq!(c.into_answers(), full);
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn section_form_parses_answers_and_ignores_other_fields() {
    let a = parse_section_form(
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
    let errs = parse_section_form(2, pairs(&[("q_hon1", "")])).unwrap_err();
    assert_eq!(errs, vec![AnswerError::UnknownItem("hon1".into())]);
}

#[test]
fn error_messages_are_client_friendly() {
    let e = AnswerError::OutOfRange {
        item: "hon1".into(),
        value: 9,
    };
    let msg = e.to_string();
    assert!(msg.starts_with("Please choose one of the five options"));
    assert!(msg.contains("I am honest with my partner"));
    assert!(!msg.contains("hon1"), "internal ids stay internal");
    assert_eq!(
        Likert::parse(0).unwrap_err().to_string(),
        "Please choose one of the five options."
    );
    assert!(AnswerError::NoteTooLong { max: 2000 }
        .to_string()
        .contains("2000 characters"));
    assert!(!AnswerError::UnknownItem("x".into()).to_string().is_empty());
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
            if let Ok(a) = parse_section_form(section, fields) {
                for (i, _) in a.iter() {
                    prop_assert_eq!(i.section, section);
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

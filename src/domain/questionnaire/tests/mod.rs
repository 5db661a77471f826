//! The item banks (answers and form parsing are in `answers.rs`).

use super::*;
use std::collections::HashSet;

use Instrument::{V1, V2};

pub(super) fn all_answered(version: Instrument, v: u8) -> Answers {
    let mut a = Answers::new(version);
    for q in version.questions() {
        a.respond(q.id(), answer(q, v)).unwrap();
    }
    a
}

/// `v` (1..=5) as an answer to `q`: the rating, or the option at that place.
pub(super) fn answer(q: Question, v: u8) -> Response {
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
    assert_eq!(V1.dimensions(), V1_DIMENSIONS);
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
    let doc = include_str!("../../../../docs/scoring.md");
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

mod answers;

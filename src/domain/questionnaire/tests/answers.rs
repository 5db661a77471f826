//! Answers, stored answers, form parsing and the client's note.

use super::super::*;
use super::{all_answered, answer};

use Instrument::{V1, V2};

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

use super::*;

fn post(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn new_question(label: &str, kind: Kind, choices: &str) -> NewQuestion {
    NewQuestion {
        label: label.to_owned(),
        kind: kind.as_str().to_owned(),
        choices: choices.to_owned(),
        ..NewQuestion::default()
    }
}

/// The default form plus "Do you have pets?" (yes/no) and, shown on "Yes", "How many?".
fn with_conditional() -> Form {
    let form = Form::default()
        .add(&new_question(
            "Do you have pets?",
            Kind::OneChoice,
            "Yes\nNo",
        ))
        .expect("pets");
    form.add(&NewQuestion {
        required: true,
        show_if_question: "p1".into(),
        show_if_equals: "Yes".into(),
        ..new_question("How many?", Kind::Number, "")
    })
    .expect("how many")
}

fn read(form: &Form, page: Page, saved: &Answers, posted: &[(&str, &str)]) -> PageRead {
    form.read_page(page, saved, &post(posted), true)
}

#[test]
fn every_built_in_question_is_optional_keyed_and_on_the_first_page() {
    let form = Form::default();
    assert_eq!(form.questions.len(), 13);
    for q in &form.questions {
        assert!(q.is_builtin(), "{}", q.key);
        assert!(!q.required, "{}", q.key);
        assert_eq!(q.page(), Page::About);
        assert_eq!(q.kind.has_choices(), !q.choices.is_empty(), "{}", q.key);
    }
    let mut keys: Vec<&str> = form.questions.iter().map(|q| q.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 13, "keys are unique");
    assert!(form.question(FORMAT).is_some() && form.question(CHILDREN).is_some());
    assert!(!form.practice_page_applies(&Answers::new()));
}

#[test]
fn an_empty_page_is_a_valid_answer_and_stores_nothing() {
    let form = Form::default();
    let PageRead::Read { values, missing } = read(&form, Page::About, &Answers::new(), &[]) else {
        panic!("an empty page is fine");
    };
    assert!(missing.is_empty());
    assert_eq!(values.len(), 13);
    assert!(values.iter().all(|(_, v)| v.is_none()));
}

#[test]
fn each_kind_is_checked_and_tidied() {
    let form = Form::default()
        .add(&new_question("Number", Kind::Number, ""))
        .and_then(|f| f.add(&new_question("Date", Kind::Date, "")))
        .and_then(|f| f.add(&new_question("Short", Kind::ShortText, "")))
        .and_then(|f| f.add(&new_question("Many", Kind::SeveralChoices, "A\nB\nC")))
        .expect("form");
    let q = |key: &str| form.question(key).expect("question").clone();
    assert_eq!(q("p1").normalise(&[" 3 "]), Ok(Some("3".into())));
    assert_eq!(q("p1").normalise(&["three"]), Err(NOT_A_NUMBER));
    assert_eq!(q("p1").normalise(&["-1"]), Err(NOT_A_NUMBER));
    assert_eq!(q("p1").normalise(&[""]), Ok(None));
    assert_eq!(
        q("p2").normalise(&["2024-02-29"]),
        Ok(Some("2024-02-29".into()))
    );
    assert_eq!(q("p2").normalise(&["2023-02-29"]), Err(NOT_A_DATE));
    assert_eq!(q("p2").normalise(&["31/03/2024"]), Err(NOT_A_DATE));
    assert_eq!(q("p3").normalise(&["  hello "]), Ok(Some("hello".into())));
    assert_eq!(q("p3").normalise(&["hel\0lo"]), Err(HIDDEN_CHARACTER));
    assert_eq!(q("p3").normalise(&["a\u{1b}[2J"]), Err(HIDDEN_CHARACTER));
    let long = "x".repeat(MAX_SHORT_CHARS + 1);
    assert_eq!(q("p3").normalise(&[long.as_str()]), Err(TOO_LONG_SHORT));
    // Several choices: in the form's order, once each, and only the options shown.
    assert_eq!(q("p4").normalise(&["C", "A", "C"]), Ok(Some("A\nC".into())));
    assert_eq!(q("p4").normalise(&["D"]), Err(NOT_A_CHOICE));
    let format = form.question(FORMAT).expect("format");
    assert_eq!(format.normalise(&["video"]), Ok(Some("video".into())));
    assert_eq!(format.normalise(&["phone"]), Err(NOT_A_CHOICE));
    assert_eq!(format.display("video"), "By video");
    let reasons = form.question("about_reasons").expect("reasons");
    assert_eq!(
        reasons.display("trust\nother"),
        "Rebuilding trust, Something else"
    );
}

#[test]
fn an_invalid_value_refuses_the_page_with_a_message_at_its_field() {
    let form = with_conditional();
    let got = read(
        &form,
        Page::Practice,
        &Answers::new(),
        &[("in_p1", "Yes"), ("in_p2", "lots")],
    );
    assert_eq!(
        got,
        PageRead::Invalid(vec![FieldError {
            key: "p2".into(),
            message: NOT_A_NUMBER
        }])
    );
}

#[test]
fn a_condition_shows_a_question_only_on_its_answer_and_drops_an_answer_that_no_longer_applies() {
    let form = with_conditional();
    // "No": the follow-up does not apply, so it is neither required nor kept.
    let PageRead::Read { values, missing } = read(
        &form,
        Page::Practice,
        &Answers::new(),
        &[("in_p1", "No"), ("in_p2", "4")],
    ) else {
        panic!("valid");
    };
    assert!(missing.is_empty());
    assert_eq!(
        values,
        vec![("p1".into(), Some("No".into())), ("p2".into(), None)]
    );
    // "Yes": it applies and is required.
    let PageRead::Read { missing, .. } =
        read(&form, Page::Practice, &Answers::new(), &[("in_p1", "Yes")])
    else {
        panic!("valid");
    };
    assert_eq!(
        missing,
        vec![FieldError {
            key: "p2".into(),
            message: REQUIRED
        }]
    );
    // "Back" does not insist on required answers.
    let back = form.read_page(
        Page::Practice,
        &Answers::new(),
        &post(&[("in_p1", "Yes")]),
        false,
    );
    assert!(matches!(back, PageRead::Read { missing, .. } if missing.is_empty()));
}

#[test]
fn a_question_can_depend_on_a_built_in_one_and_the_practice_page_follows_it() {
    let form = Form::default()
        .add(&NewQuestion {
            show_if_question: CHILDREN.into(),
            show_if_equals: "yes".into(),
            ..new_question("Ages of the children", Kind::ShortText, "")
        })
        .expect("add");
    let mut saved = Answers::new();
    assert!(!form.practice_page_applies(&saved));
    saved.insert(CHILDREN.into(), "no".into());
    assert!(!form.practice_page_applies(&saved));
    saved.insert(CHILDREN.into(), "yes".into());
    assert!(form.practice_page_applies(&saved));
}

#[test]
fn a_chain_of_conditions_hides_everything_below_a_hidden_question() {
    let form = with_conditional()
        .add(&NewQuestion {
            show_if_question: "p1".into(),
            show_if_equals: "Yes".into(),
            ..new_question("Which kinds?", Kind::SeveralChoices, "Cat\nDog")
        })
        .and_then(|f| {
            f.add(&NewQuestion {
                show_if_question: "p3".into(),
                show_if_equals: "Dog".into(),
                ..new_question("Does the dog come along?", Kind::OneChoice, "Yes\nNo")
            })
        })
        .expect("form");
    let answers: Answers = [("p1", "No"), ("p3", "Cat\nDog")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let applies = form.applies(&answers);
    assert!(!applies["p3"], "p1 is No");
    assert!(!applies["p4"], "p3 does not show, so neither does p4");
    let answers: Answers = [("p1", "Yes"), ("p3", "Cat\nDog")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert!(form.applies(&answers)["p4"], "several choices include Dog");
}

#[test]
fn adding_refuses_what_cannot_be_asked_with_a_message_per_field() {
    let form = Form::default();
    let errors = form
        .add(&NewQuestion {
            kind: "colour".into(),
            ..NewQuestion::default()
        })
        .expect_err("refused");
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["label", "kind"]);
    let errors = form
        .add(&new_question("Pick", Kind::OneChoice, "Only one"))
        .expect_err("one option");
    assert_eq!(errors[0].field, "choices");
    let errors = form
        .add(&NewQuestion {
            show_if_question: "about_name".into(),
            ..new_question("Why?", Kind::LongText, "")
        })
        .expect_err("depends on a text question");
    assert_eq!(errors[0].field, "show_if_question");
    let errors = form
        .add(&NewQuestion {
            show_if_question: FORMAT.into(),
            show_if_equals: "phone".into(),
            ..new_question("Why?", Kind::LongText, "")
        })
        .expect_err("not an option");
    assert_eq!(errors[0].field, "show_if_equals");
    assert!(errors[0].message.contains("“By video”"));
}

#[test]
fn keys_are_never_reused_after_a_retirement() {
    let form = with_conditional();
    let errors = form.retire("p1").expect_err("p2 depends on p1");
    assert!(errors.message.contains("How many?"));
    let form = form
        .retire("p2")
        .and_then(|f| f.retire("p1"))
        .expect("retired");
    assert_eq!(form.practice_questions().count(), 0);
    let form = form
        .add(&new_question("Anything else?", Kind::LongText, ""))
        .expect("add");
    assert_eq!(
        form.practice_questions().next().map(|q| q.key.as_str()),
        Some("p3")
    );
    assert!(form.retire(FORMAT).is_err(), "built-in questions stay");
}

#[test]
fn moving_keeps_a_question_after_the_one_it_depends_on() {
    let form = with_conditional()
        .add(&new_question("Last", Kind::ShortText, ""))
        .expect("add");
    assert!(form.move_question("p2", true).is_err());
    let moved = form.move_question("p3", true).expect("moves");
    let order: Vec<&str> = moved.practice_questions().map(|q| q.key.as_str()).collect();
    assert_eq!(order, vec!["p1", "p3", "p2"]);
    // The first practice question does not move above the built-in ones.
    assert_eq!(moved.move_question("p1", true).expect("no-op"), moved);
}

#[test]
fn a_form_file_round_trips_on_fresh_keys_with_its_conditions() {
    let source = with_conditional()
        .set_required(FORMAT, true)
        .expect("format");
    let file = source.to_file();
    assert!(file.contains(FILE_FORMAT));
    // Another installation, which has used keys p1 to p6 already.
    let there = Form {
        next_key: 7,
        ..Form::default()
    };
    let imported = there.from_file(&file).expect("imports");
    let practice: Vec<&Question> = imported.practice_questions().collect();
    assert_eq!(practice.len(), 2);
    assert_eq!(practice[0].key, "p7");
    assert_eq!(practice[1].key, "p8");
    assert_eq!(
        practice[1].show_if,
        Some(Condition {
            question: "p7".into(),
            equals: "Yes".into()
        })
    );
    assert!(imported.question(FORMAT).is_some_and(|q| q.required));
    assert_eq!(imported.next_key, 9);
}

#[test]
fn a_form_file_that_is_not_one_is_refused_with_a_reason() {
    let form = Form::default();
    assert!(form.from_file("not json").is_err());
    let errors = form
        .from_file(r#"{"format":"something-else","questions":[]}"#)
        .expect_err("other format");
    assert!(errors[0].message.contains("not an intake form"));
    let bad = r#"{"format":"trustbridge-intake-form","questions":[
        {"key":"p1","label":"","kind":"short_text"}]}"#;
    let errors = form.from_file(bad).expect_err("empty label");
    assert!(errors[0].message.starts_with("Question 1"), "{errors:?}");
}

#[test]
fn a_stored_form_reads_back_as_it_was_published() {
    let form = with_conditional();
    let json = serde_json::to_string(&form).expect("json");
    let back: Form = serde_json::from_str(&json).expect("reads");
    assert_eq!(back, form);
}

#[test]
fn an_upgrade_adds_the_built_in_questions_a_stored_form_lacks_before_the_practices_own() {
    let mut stored = with_conditional();
    stored.questions.retain(|q| q.key != SOURCE);
    stored.questions[0].label = "What should we call you?".into();
    let upgraded = stored.with_product_builtins().expect("one missing");
    let keys: Vec<&str> = upgraded.questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys[12], SOURCE);
    assert_eq!(&keys[13..], ["p1", "p2"]);
    assert_eq!(
        upgraded.questions[0].label, "What should we call you?",
        "wording kept"
    );
    assert_eq!(upgraded.with_product_builtins(), None);
}

#[test]
fn the_practice_words_its_own_list_of_sources_and_kept_options_keep_their_values() {
    let form = Form::default();
    let changed = form
        .set_source_choices("A web search\nOur newsletter\n\nA friend or family member\n")
        .expect("saved");
    let q = changed.question(SOURCE).expect("source");
    let values: Vec<&str> = q.choices.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, vec!["search", "Our newsletter", "friend"]);
    assert_eq!(q.display("friend"), "A friend or family member");
    assert!(form.set_source_choices("Only one").is_err());
    assert!(form.set_source_choices("Twice\nTwice").is_err());
}

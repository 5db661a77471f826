use super::*;
use SupportKind::{Crisis, DomesticViolence, SexualAssault};

fn all_presets() -> impl Iterator<Item = (Country, Resources)> {
    Country::ALL.into_iter().map(|c| (c, Resources::preset(c)))
}

#[test]
fn every_preset_has_all_four_kinds() {
    for (country, r) in all_presets() {
        assert!(
            !r.emergency_numbers().is_empty(),
            "{country}: no emergency number"
        );
        for kind in SupportKind::ALL {
            assert!(
                r.lines_for(kind).next().is_some(),
                "{country}: nothing for {kind:?}"
            );
        }
    }
}

#[test]
fn every_preset_passes_the_checks_a_practice_file_gets() {
    for (country, r) in all_presets() {
        assert_eq!(
            problems(r.emergency_numbers(), r.lines()),
            vec![],
            "{country}"
        );
    }
}

#[test]
fn numbers_are_non_empty_and_dialable() {
    for (country, r) in all_presets() {
        for n in r.emergency_numbers() {
            assert!(
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
                "{country}: {n}"
            );
        }
        for l in r.lines() {
            assert!(!l.name.trim().is_empty(), "{country}: a line has no name");
            assert!(
                l.phone.is_some() || l.text_number.is_some() || l.website.is_some(),
                "{country}: {} cannot be reached",
                l.name
            );
            for n in [&l.phone, &l.text_number].into_iter().flatten() {
                assert!(
                    dial(n).chars().filter(char::is_ascii_digit).count() >= 3,
                    "{country}: {}: {n}",
                    l.name
                );
            }
        }
    }
}

#[test]
fn every_preset_has_a_domestic_violence_and_crisis_line_that_can_be_called_or_texted() {
    for (country, r) in all_presets() {
        for kind in [DomesticViolence, Crisis] {
            assert!(
                r.lines_for(kind)
                    .any(|l| l.phone.is_some() || l.text_number.is_some()),
                "{country}: {kind:?} has no number"
            );
        }
    }
}

#[test]
fn codes_parse_case_insensitively() {
    for c in Country::ALL {
        assert_eq!(Country::parse(c.code()), Some(c));
        assert_eq!(Country::parse(&c.code().to_ascii_lowercase()), Some(c));
    }
    assert_eq!(Country::parse(" nz "), Some(Country::Nz));
    assert_eq!(Country::parse("Ie"), Some(Country::Ie));
    assert_eq!(Country::parse("uk"), Some(Country::Gb));
}

#[test]
fn an_unknown_code_yields_none() {
    for code in ["", "  ", "DE", "USA", "U S", "XX", "gbr", "🇺🇸"] {
        assert_eq!(Country::parse(code), None, "{code:?}");
        assert_eq!(Resources::for_code(code), None, "{code:?}");
    }
    assert_eq!(
        Resources::for_code("au"),
        Some(Resources::preset(Country::Au))
    );
}

#[test]
fn country_serializes_as_its_code() {
    assert_eq!(serde_json::to_string(&Country::Gb).unwrap(), "\"GB\"");
    let parsed: Country = serde_json::from_str("\"ca\"").unwrap();
    assert_eq!(parsed, Country::Ca);
    assert!(serde_json::from_str::<Country>("\"FR\"").is_err());
}

#[test]
fn the_neutral_list_says_to_call_the_local_emergency_number() {
    let r = Resources::neutral();
    assert!(r.lines().is_empty());
    assert_eq!(r.emergency_sentence(), NO_COUNTRY_LINE);
}

#[test]
fn the_emergency_sentence_names_each_number() {
    assert_eq!(
        Resources::preset(Country::Us).emergency_sentence(),
        "If you are in danger now, call 911."
    );
    assert_eq!(
        Resources::preset(Country::Ie).emergency_sentence(),
        "If you are in danger now, call 112 or 999."
    );
    let three = Resources::new(vec!["1".into(), "2".into(), "3".into()], vec![]).unwrap();
    assert_eq!(
        three.emergency_sentence(),
        "If you are in danger now, call 1, 2 or 3."
    );
}

#[test]
fn links_are_built_from_the_plain_text() {
    let us = Resources::preset(Country::Us);
    let hotline = &us.lines()[0];
    assert_eq!(hotline.phone_href().as_deref(), Some("tel:18007997233"));
    assert_eq!(hotline.text_href().as_deref(), Some("sms:88788?body=START"));
    assert_eq!(
        hotline.text_instruction().as_deref(),
        Some("Text START to 88788")
    );
    assert_eq!(
        hotline.website_href().as_deref(),
        Some("https://thehotline.org")
    );
    assert_eq!(hotline.availability(), Some("Free, 24 hours"));
    assert_eq!(dial("+44 (0)808 2000 247"), "+4408082000247");
}

#[test]
fn a_practice_file_in_json_is_read_and_checked() {
    let json = r#"{
        "emergency_numbers": ["999"],
        "lines": [
            {"kinds": ["domestic_violence", "sexual_assault"], "name": "Local refuge",
             "phone": "01234 567890", "website": "https://refuge.example.org/help",
             "open_24_7": true}
        ]
    }"#;
    let r: Resources = serde_json::from_str(json).unwrap();
    assert_eq!(r.lines().len(), 1);
    assert!(r.lines()[0].helps_with(SexualAssault));
    assert!(!r.lines()[0].free);
    assert_eq!(
        r.emergency_sentence(),
        "If you are in danger now, call 999."
    );

    let back: Resources = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn an_empty_file_is_the_neutral_list() {
    let r: Resources = serde_json::from_str("{}").unwrap();
    assert_eq!(r, Resources::neutral());
}

#[test]
fn a_bad_file_is_refused_with_every_problem() {
    let json = r#"{
        "emergency_numbers": ["nine-nine-nine"],
        "lines": [
            {"kinds": [], "name": " "},
            {"kinds": ["crisis"], "name": "Vanity", "phone": "1-800-CALL-NOW"},
            {"kinds": ["crisis"], "name": "Script", "website": "javascript:alert(1)"},
            {"kinds": ["crisis"], "name": "Keyword", "text_keyword": "HI",
             "website": "example.org"}
        ]
    }"#;
    let err = serde_json::from_str::<Resources>(json).unwrap_err();
    let message = err.to_string();
    for expected in [
        "emergency number “nine-nine-nine”",
        "line 1 has no name",
        "line 1 needs `kinds`",
        "line 1 needs a phone",
        "line 2: `phone`",
        "line 3: `website`",
        "line 4 has a text_keyword but no text_number",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
}

#[test]
fn web_addresses_are_plain_or_http() {
    for ok in [
        "thehotline.org",
        "gov.wales/live-fear-free",
        "https://988lifeline.org",
        "http://example.org/a-b_c~d%20",
    ] {
        assert!(is_web_address(ok), "{ok}");
    }
    for bad in [
        "",
        "localhost",
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.org",
        "example.org/a b",
        "//example.org",
        "https://",
        "example.org\"><script>",
    ] {
        assert!(!is_web_address(bad), "{bad}");
    }
}

#[test]
fn our_own_wording_labels_no_one() {
    let mut ours: Vec<&str> = vec![NO_COUNTRY_LINE, PANEL_HEADING, PANEL_INTRO, SAFER_DEVICE];
    for kind in SupportKind::ALL {
        ours.push(kind.label());
        ours.push(kind.description());
    }
    let notes: Vec<String> = all_presets()
        .flat_map(|(_, r)| r.lines().to_vec())
        .filter_map(|l| l.note)
        .collect();
    ours.extend(notes.iter().map(String::as_str));
    for text in ours {
        let lower = text.to_lowercase();
        for word in ["abuse", "abuser", "victim", "perpetrator", "survivor"] {
            assert!(!lower.contains(word), "{word:?} in {text:?}");
        }
    }
}

#[test]
fn the_reading_notice_says_when_answers_are_read_and_what_to_do_now() {
    let us = Resources::preset(Country::Us);
    assert_eq!(
        us.reading_notice(Some(("Monday to Friday, 09:00–17:00", "America/New_York"))),
        "A clinician reads what you send during the practice's working hours (Monday to \
         Friday, 09:00–17:00, America/New_York time). This site is not watched around the \
         clock. If you are in danger now, call 911."
    );
    assert!(Resources::preset(Country::Ie)
        .reading_notice(None)
        .ends_with("If you are in danger now, call 112 or 999."));
    assert!(Resources::neutral()
        .reading_notice(None)
        .starts_with("A clinician reads what you send when the practice is open."));
    assert!(Resources::neutral()
        .reading_notice(None)
        .ends_with(NO_COUNTRY_LINE));
}

//! Check-in version 2: its tiers, its versions and its stored form.

use super::*;

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
        let parsed = SafetyScreen::parse_form_of(CheckInVersion::V2, form).expect("valid");
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

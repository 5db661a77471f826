//! Check-in version 3: one row per tier rule (docs/safety.md, "The two tiers"), the rule that
//! no further concern ever lowers the tier, and the doc's table kept in step with the code.

use super::*;
use SafetyAnswer::{DontKnow, No, NotSure, RatherNotSay, Yes};
use SafetyItem::*;

/// A version 3 check-in: the clear answer to every question but those given.
fn v3(answers: &[(SafetyItem, SafetyAnswer)]) -> SafetyScreen {
    SafetyScreen::of_version(CheckInVersion::V3, |item| {
        answers
            .iter()
            .find(|(i, _)| *i == item)
            .map(|(_, a)| *a)
            .unwrap_or(if item == JointSafe { Yes } else { No })
    })
}

/// Answers given (the rest clear), whether the person is leaving, and the tier expected.
type Row = (
    &'static [(SafetyItem, SafetyAnswer)],
    bool,
    Option<CheckInTier>,
);

const U: Option<CheckInTier> = Some(CheckInTier::Urgent);
const P: Option<CheckInTier> = Some(CheckInTier::Positive);

#[test]
fn each_rule_gives_its_tier() {
    // (answers, leaving, tier): one row per rule, and the rows just short of each.
    let rows: &[Row] = &[
        (&[], false, None),
        (&[], true, None),
        // Single answers that predict serious harm.
        (&[(Neck, Yes)], false, U),
        (&[(KillAny, Yes)], false, U),
        (&[(Capable, Yes)], false, U),
        (&[(Weapon, Yes)], false, U),
        (&[(Worse, Yes)], false, U),
        // Not sure whether the partner might kill them: a reason to talk, not same-day.
        (&[(Capable, NotSure)], false, P),
        // A gun with another concern, the partner's suicide threats included.
        (&[(Gun, Yes)], false, None),
        (&[(Gun, Yes), (Suicide, Yes)], false, U),
        (&[(Gun, Yes), (Afraid, Yes)], false, U),
        (&[(Gun, Yes), (JointSafe, NotSure)], false, P),
        (&[(Suicide, Yes)], false, P),
        (&[(Suicide, DontKnow)], false, None),
        // Three or more of fear, control, violence, sexual coercion, threats and stalking.
        (&[(Afraid, Yes), (Controlled, Yes)], false, P),
        (&[(Afraid, Yes), (Controlled, Yes), (Stalk, Yes)], false, U),
        (&[(Hit, Yes), (Sex, Yes), (Threat, Yes)], false, U),
        (&[(PutDown, Yes), (Children, Yes), (Own, Yes)], false, P),
        // Leaving, with any concern.
        (&[(Afraid, Yes)], false, P),
        (&[(Afraid, Yes)], true, U),
        (&[(PutDown, Yes)], true, U),
        (&[(JointSafe, No)], true, U),
        (&[(JointSafe, NotSure)], true, P),
        (&[(Afraid, RatherNotSay)], true, P),
        // A declined question is positive, never urgent on its own.
        (&[(Neck, RatherNotSay)], false, P),
        (&[(Stalk, Yes)], false, P),
    ];
    for (answers, leaving, tier) in rows {
        let screen = v3(answers);
        assert_eq!(
            screen.tier_for(*leaving),
            *tier,
            "{answers:?} leaving={leaving}"
        );
        assert_eq!(
            screen.flag_for(*leaving).map(|f| f.urgent),
            tier.map(|t| t == CheckInTier::Urgent)
        );
    }
}

#[test]
fn version_3_asks_seventeen_questions_each_with_rather_not_say() {
    let items = CheckInVersion::V3.items();
    assert_eq!(items.len(), 17);
    assert_eq!(CheckInVersion::CURRENT, CheckInVersion::V3);
    for &item in items {
        assert!(item.choices().contains(&RatherNotSay), "{item:?}");
        assert_eq!(SafetyItem::parse(item.id()), Some(item));
    }
    assert!(KillAny.question().contains("you or your children"));
    // Version 2 check-ins keep version 2's rules: leaving and counting do not apply to them.
    let v2 = SafetyScreen::of_version(CheckInVersion::V2, |i| match i {
        Afraid | Controlled | Hit => Yes,
        JointSafe => Yes,
        _ => No,
    });
    assert_eq!(v2.tier_for(true), P);
}

/// None < positive < urgent.
fn rank(tier: Option<CheckInTier>) -> u8 {
    match tier {
        None => 0,
        Some(CheckInTier::Positive) => 1,
        Some(CheckInTier::Urgent) => 2,
    }
}

fn v3_answers() -> impl Strategy<Value = Vec<SafetyAnswer>> {
    let items = CheckInVersion::V3.items();
    items
        .iter()
        .map(|&item| proptest::sample::select(item.choices().to_vec()))
        .collect::<Vec<_>>()
}

proptest! {
    /// Turning any one answer into a concern, or being told the person is leaving, never
    /// lowers the tier.
    #[test]
    fn another_concern_never_lowers_the_tier(answers in v3_answers(), which in 0usize..17, leaving: bool) {
        let items = CheckInVersion::V3.items();
        let screen = SafetyScreen::of_version(CheckInVersion::V3, |item| {
            answers[items.iter().position(|&i| i == item).unwrap_or(0)]
        });
        let item = items[which];
        let concern = item.choices().iter().copied().find(|&a| item.is_concern(a)).unwrap_or(Yes);
        let more = SafetyScreen::of_version(CheckInVersion::V3, |i| {
            if i == item { concern } else { screen.answer(i) }
        });
        prop_assert!(rank(more.tier_for(leaving)) >= rank(screen.tier_for(leaving)));
        prop_assert!(rank(screen.tier_for(true)) >= rank(screen.tier_for(false)));
        // Leaving changes how soon, never whether.
        prop_assert_eq!(screen.tier_for(true).is_some(), screen.tier_for(false).is_some());
    }
}

#[test]
fn the_docs_list_every_version_3_question_in_order() {
    let doc = include_str!("../../../../docs/safety.md");
    let table = doc
        .split("### The questions")
        .nth(1)
        .and_then(|rest| rest.split("###").next())
        .expect("the questions section");
    let ids: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" | ").nth(1))
        .filter_map(|id| id.strip_prefix('`').and_then(|id| id.strip_suffix('`')))
        .collect();
    let expected: Vec<&str> = CheckInVersion::V3.items().iter().map(|i| i.id()).collect();
    assert_eq!(ids, expected);
    for &item in CheckInVersion::V3.items() {
        assert!(
            table.contains(item.question()),
            "{item:?}'s words in the doc"
        );
    }
}

#[test]
fn what_was_disclosed_brings_its_own_step_for_the_clinician() {
    let prompts = |answers: &[(SafetyItem, SafetyAnswer)]| {
        v3(answers).flag().map(|f| f.prompts()).unwrap_or_default()
    };
    assert!(prompts(&[]).is_empty());
    assert!(prompts(&[(Afraid, Yes)]).is_empty());
    let neck = prompts(&[(Neck, Yes)]);
    assert_eq!(neck.len(), 2);
    assert!(neck[0].starts_with("Urgent: "));
    assert!(neck[1].starts_with("Strangulation was disclosed"));
    assert!(prompts(&[(Children, Yes)])[0].contains("safeguarding"));
    assert!(prompts(&[(Own, Yes)])[0].contains("programme for people who use violence"));
    // A declined question is not a disclosure.
    assert!(prompts(&[(Neck, RatherNotSay)]).is_empty());
}

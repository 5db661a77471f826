//! The basics a couples intake asks first, built into the product: what an intake coordinator
//! needs to assign a first consult. Every one is optional until the practice marks it required.
//!
//! Wording is plain and asks nothing diagnostic (a judgement call, written down in
//! `docs/intake.md`): "what brings you" offers everyday words, and "something else" or the
//! client's own words are always enough.

use super::{Choice, Kind, Question};

/// "How would you like to meet?": the workspace filters on it, and matching may use it.
pub const FORMAT: &str = "about_format";
/// "Are there children living in your home?": the workspace filters on it.
pub const CHILDREN: &str = "about_children";
/// "How did you hear about the practice?": the practice's report counts intakes by it.
pub const SOURCE: &str = "about_source";
/// The closed questions the workspace filters on: their answers are stored with a keyed tag
/// beside the sealed value, so a filter finds them at speed without reading them.
pub const FILTERED: [&str; 2] = [FORMAT, CHILDREN];

fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

fn question(key: &str, label: &str, help: &str, kind: Kind, options: &[(&str, &str)]) -> Question {
    Question {
        key: key.to_owned(),
        label: label.to_owned(),
        help: help.to_owned(),
        kind,
        choices: choices(options),
        required: false,
        show_if: None,
    }
}

/// The built-in questions, in the order they are asked.
pub fn about_you() -> Vec<Question> {
    use Kind::*;
    vec![
        question(
            "about_name",
            "The name you would like us to use",
            "",
            ShortText,
            &[],
        ),
        question(
            "about_pronouns",
            "Your pronouns",
            "For example: she/her, he/him, they/them.",
            ShortText,
            &[],
        ),
        question(
            "about_together",
            "How long have you been together?",
            "",
            OneChoice,
            &[
                ("under_1", "Less than a year"),
                ("1_3", "1 to 3 years"),
                ("4_10", "4 to 10 years"),
                ("over_10", "More than 10 years"),
            ],
        ),
        question(
            "about_living",
            "Do you live together?",
            "",
            OneChoice,
            &[("yes", "Yes"), ("partly", "Some of the time"), ("no", "No")],
        ),
        question(
            CHILDREN,
            "Are there children living in your home?",
            "",
            OneChoice,
            &[("yes", "Yes"), ("no", "No")],
        ),
        question(
            "about_reasons",
            "What brings you to the practice?",
            "Choose any that fit.",
            SeveralChoices,
            &[
                ("trust", "Rebuilding trust"),
                ("communication", "Communication or arguments"),
                ("distance", "Feeling distant from each other"),
                ("intimacy", "Intimacy"),
                ("change", "A big change or decision"),
                ("other", "Something else"),
            ],
        ),
        question(
            "about_reasons_own",
            "In your own words, if you like",
            "A sentence or two is plenty.",
            LongText,
            &[],
        ),
        question(
            "about_hopes",
            "What would you most like to be different?",
            "",
            LongText,
            &[],
        ),
        question(
            "about_couples_before",
            "Have you had couples therapy before?",
            "",
            OneChoice,
            &[("yes", "Yes"), ("no", "No")],
        ),
        question(
            "about_individual",
            "Have you had individual therapy or counselling?",
            "",
            OneChoice,
            &[
                ("now", "Yes, at the moment"),
                ("past", "Yes, in the past"),
                ("no", "No"),
            ],
        ),
        question(
            FORMAT,
            "How would you like to meet?",
            "",
            OneChoice,
            &[
                ("in_person", "In person"),
                ("video", "By video"),
                ("either", "Either is fine"),
            ],
        ),
        question(
            "about_times",
            "When can you usually meet?",
            "Choose any that fit.",
            SeveralChoices,
            &[
                ("weekday_mornings", "Weekday mornings"),
                ("weekday_afternoons", "Weekday afternoons"),
                ("weekday_evenings", "Weekday evenings"),
                ("weekends", "Weekends"),
            ],
        ),
        question(
            SOURCE,
            "How did you hear about the practice?",
            "",
            OneChoice,
            &[
                ("search", "A web search"),
                ("friend", "A friend or family member"),
                ("professional", "A doctor or another professional"),
                ("service", "Another service or therapist"),
                ("social", "Social media"),
                ("other", "Somewhere else"),
            ],
        ),
    ]
}

//! `/q/<token>/result`: the readiness summary, careful and non-diagnostic.

use leptos::prelude::*;

use super::couples::{InviteCard, InvitePartner, JointCard, JointSummaryCard};
use crate::domain::scoring::{
    dimension_summary, level_words, ReadinessResult, RebuildWayGuidance, CLIENT_DIMENSIONS,
};
use crate::domain::support::Resources;
use crate::ui::components::support::SupportPanel;

/// What the result page shows.
#[derive(Clone, Debug)]
pub struct ResultView {
    pub reference: String,
    /// Where "Arrange a first consult" leads.
    pub book_url: String,
    /// Where "End my private link" posts.
    pub end_url: String,
    /// Where the client changes how the practice can reach them.
    pub reach_url: String,
    pub result: ReadinessResult,
    /// Empty when the stored result came from an older instrument version.
    pub guidance: Vec<RebuildWayGuidance>,
    /// Partner A (or someone on their own) can invite a partner; partner B cannot.
    pub invite: Option<InviteCard>,
    /// For a couple: the summary together, or that it waits for both.
    pub joint: Option<JointCard>,
    /// Where to write for a private conversation with a clinician.
    pub practice_email: String,
    /// The support panel, the same for everyone.
    pub support: Resources,
    /// How many days after the check-in the summary can be opened (`RESULT_LINK_DAYS`).
    pub shown_days: i64,
}

#[component]
pub fn ResultPage(summary: ResultView) -> impl IntoView {
    let ResultView {
        reference,
        book_url,
        end_url,
        reach_url,
        result,
        guidance,
        invite,
        joint,
        practice_email,
        support,
        shown_days,
    } = summary;
    // The same rows, headings and sentences for everyone, in words: nothing here may change
    // with where the person is about the relationship or who they said broke trust (a partner
    // may see this page), and no number reads like a grade. The clinician sees the rest.
    let dimensions = CLIENT_DIMENSIONS
        .iter()
        .filter_map(|&d| result.dimension(d).map(|score| (d, score)))
        .map(|(d, score)| {
            view! {
                <li class="dimension">
                    <div class="dimension-head">
                        <h3>{d.label()}</h3>
                        <span class="dimension-level">{level_words(score)}</span>
                    </div>
                    <p>{dimension_summary(d, score)}</p>
                </li>
            }
        })
        .collect_view();
    let ways = (!guidance.is_empty()).then(|| {
        let items = guidance
            .into_iter()
            .map(|g| {
                let tag = if g.strength {
                    "Something to keep doing"
                } else {
                    "A place to start"
                };
                view! {
                    <li>
                        <h3>{format!("{}. {}", g.number, g.title)}</h3>
                        <p class="tag">{tag}</p>
                        <p>{g.text}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card">
                <h2>"Ways to rebuild trust, and what they mean for you"</h2>
                <ol class="ways">{items}</ol>
            </section>
        }
    });
    // A refused partner's email is shown at its field, at the end of the page: say so up here.
    let email_alert = invite
        .as_ref()
        .and_then(InviteCard::email_error)
        .map(|error| {
            view! {
                <p class="form-alert" role="alert">
                    "The link was not emailed: " {error} " " <a href="#email">"Go to the field"</a>
                </p>
            }
        });
    view! {
        {email_alert}
        <section class="card result-summary">
            <h1>"Your summary"</h1>
            <p class="disclaimer">
                <strong>"This is not a diagnosis."</strong>
                " It is a snapshot of how you see things today, to start a conversation with a clinician."
            </p>
            <p>
                "Here is what your answers say about four things that help trust grow again. "
                "A clinician reads all of your answers and talks them through with you."
            </p>
            <p class="reference">"Your reference: " <strong>{reference}</strong></p>
        </section>
        <section class="card keep-private">
            <h2>"Keeping this private"</h2>
            <p class="hint">{format!(
                "This summary can be opened for {shown_days} days after your private check-in, \
                 then it is no longer shown."
            )}</p>
            <p><a href=reach_url>"Change how the practice can reach you"</a></p>
            <super::questionnaire::EndLinkForm action=end_url />
        </section>
        <section class="card">
            <h2>"Area by area"</h2>
            <ul class="dimensions">
                {dimensions}
                <li class="dimension">
                    <div class="dimension-head"><h3>"Owning your part"</h3></div>
                    <p>"How you see your own part, and your partner's, is something to talk through with a clinician, in your own words."</p>
                </li>
            </ul>
        </section>
        {ways}
        <section class="card next-step">
            <h2>"A next step"</h2>
            <p>
                "A clinician can help with whatever comes next. That may be working on trust "
                "together. It may be talking on your own about what you want."
            </p>
            <p><a class="button primary" href=book_url>"Arrange a first consult — together or on your own"</a></p>
            <p>
                "Couples sessions are not always the right first step. You may not feel safe "
                "with your partner. You may not be sure you could speak freely with them in the "
                "room. Then you can talk with a clinician on your own first. Write to "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                " and ask for a private conversation."
            </p>
            <p class="hint">
                "This questionnaire is new. It has not been tested in research. It is a way to "
                "start talking, not a measure of your relationship."
            </p>
        </section>
        {joint.map(|card| view! { <JointSummaryCard card /> })}
        {invite.map(|card| view! { <InvitePartner card /> })}
        <SupportPanel resources=support />
    }
}

/// The summary after `RESULT_LINK_DAYS`: nothing of it is shown any more.
#[component]
pub fn SummaryEndedPage(days: i64, book_url: String) -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Your summary is no longer shown"</h1>
            <p>{format!(
                "To keep it private, your summary can be opened for {days} days after your \
                 private check-in. What you sent is kept for the practice's clinicians."
            )}</p>
            <p><a class="button primary" href=book_url>"Arrange a first consult"</a>" "<a href="/contact">"Contact the practice"</a></p>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::questionnaire::{
        Answers, Dimension, Instrument, Likert, Question, Response,
    };
    use crate::domain::scoring::{rebuild_guidance, score};
    use crate::domain::support::Country;
    use proptest::prelude::*;

    /// Version 2 answers: each statement's value from `value` (1..=5), and the two framing
    /// questions' options.
    fn answers(value: impl Fn(usize, &Dimension) -> u8, role: u8, lean: u8) -> Answers {
        let mut a = Answers::new(Instrument::V2);
        for (n, q) in Instrument::V2.questions().into_iter().enumerate() {
            let response = match q {
                Question::Item(i) => Response::Rated(
                    Likert::parse(i64::from(value(n, &i.dimension))).expect("1..=5"),
                ),
                Question::Framing(f) if f.id == "role" => Response::Chose(role),
                Question::Framing(_) => Response::Chose(lean),
            };
            a.respond(q.id(), response).expect("a valid answer");
        }
        a
    }

    /// The page's text, as a person (or whoever holds the phone) reads it.
    fn page(answers: &Answers) -> String {
        let complete = answers.complete().expect("complete");
        let summary = ResultView {
            reference: "TB-ABCDEFGH".into(),
            book_url: "/q/t/book".into(),
            end_url: "/q/t/end".into(),
            reach_url: "/q/t/reach".into(),
            result: score(&complete),
            guidance: rebuild_guidance(&complete),
            invite: None,
            joint: None,
            practice_email: "hello@practice.example".into(),
            support: Resources::preset(Country::Us),
            shown_days: 14,
        };
        let owner = Owner::new();
        owner.with(|| view! { <ResultPage summary /> }.to_html())
    }

    /// What only the clinician reads something into: where the person is about the
    /// relationship, their own and their partner's commitment, and openness to help.
    fn private(d: &Dimension) -> bool {
        matches!(
            d,
            Dimension::OwnCommitment | Dimension::PartnerCommitment | Dimension::OpennessToHelp
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Clinical review 3, N1: (leaning in, "mostly something I did") and (decided to end
        /// it, "mostly something my partner did"), with the commitment and openness answers
        /// changed too and everything else equal, read word for word the same.
        #[test]
        fn the_summary_never_differs_by_leaning_role_or_commitment(
            shared in proptest::collection::vec(1u8..=5, 64),
            own in proptest::collection::vec(1u8..=5, 64),
            theirs in proptest::collection::vec(1u8..=5, 64),
            lean in 2u8..=5,
            role in 2u8..=5,
        ) {
            let base = |n: usize, d: &Dimension| if private(d) { own[n] } else { shared[n] };
            let other = |n: usize, d: &Dimension| if private(d) { theirs[n] } else { shared[n] };
            let first = page(&answers(base, 1, 1));
            let second = page(&answers(other, role, lean));
            prop_assert_eq!(first, second);
        }
    }

    #[test]
    fn the_summary_is_in_words_with_the_end_link_first() {
        let html = page(&answers(|n, _| (n % 5) as u8 + 1, 1, 1));
        assert!(!html.contains("/ 100") && !html.contains("<meter"));
        let end = html.find("End my private link").expect("the end link");
        let areas = html.find("Area by area").expect("the areas");
        assert!(end < areas, "the way to end the link comes first");
    }
}

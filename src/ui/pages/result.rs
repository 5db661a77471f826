//! `/q/<token>/result`: the readiness summary, careful and non-diagnostic.

use leptos::prelude::*;

use super::couples::{InviteCard, InvitePartner, JointCard, JointSummaryCard};
use crate::domain::questionnaire::Leaning;
use crate::domain::scoring::{
    dimension_summary, ReadinessResult, RebuildWayGuidance, WILLINGNESS_CAP_BELOW,
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
}

#[component]
pub fn ResultPage(summary: ResultView) -> impl IntoView {
    let ResultView {
        reference,
        book_url,
        end_url,
        result,
        guidance,
        invite,
        joint,
        practice_email,
        support,
    } = summary;
    let dimensions = result
        .dimensions
        .iter()
        .map(|d| {
            let label = d.dimension.label();
            let id = format!("dim-{}", d.dimension.as_str());
            view! {
                <li class="dimension">
                    <div class="dimension-head">
                        <span id=id.clone()>{label}</span>
                        <span class="dimension-score">{format!("{} / 100", d.score)}</span>
                    </div>
                    // One neutral colour for every score: no red, amber or green on a relationship.
                    <meter class="neutral" min="0" max="100" value=d.score aria-labelledby=id></meter>
                    <p>{dimension_summary(d.dimension, d.score)}</p>
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
    let unsure = result.commitment().unwrap_or(0) < WILLINGNESS_CAP_BELOW
        || result.leaning.is_some_and(|l| l < Leaning::In);
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
            <h1>"Your readiness summary"</h1>
            <p class="disclaimer">
                <strong>"This is not a diagnosis."</strong>
                " It is a snapshot of how you see things today, to start a conversation with a clinician."
            </p>
            <div class="overall">
                <p class="overall-score" aria-label=format!("Overall readiness {} out of 100", result.overall)>
                    <span class="number">{result.overall}</span>
                    <span class="outof">" / 100"</span>
                </p>
                <div>
                    <h2 class="band">{result.band.label()}</h2>
                    <p>{result.band.description()}</p>
                </div>
            </div>
            <p class="reference">"Your reference: " <strong>{reference}</strong></p>
        </section>
        <section class="card">
            <h2>"Area by area"</h2>
            <ul class="dimensions">{dimensions}</ul>
        </section>
        {ways}
        <section class="card next-step">
            <h2>"A next step"</h2>
            <p>
                {if unsure {
                    "If you are unsure about the relationship, or thinking about ending it, a clinician can help with that too: talking on your own or together about what comes next, whatever you decide."
                } else {
                    "A couples therapist can help you turn these first steps into lasting change."
                }}
            </p>
            <p><a class="button primary" href=book_url>"Arrange a first consult — together or on your own"</a></p>
            <p>
                "Couples sessions are not always the right first step. If you do not feel safe "
                "with your partner, or are unsure you could speak freely with them in the room, "
                "you can talk with a clinician on your own first: write to "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                " and ask for a private conversation."
            </p>
            <p class="hint">
                "This questionnaire is new and has not been validated in research; it is a "
                "starting point for a conversation, not a measure of your relationship."
            </p>
        </section>
        {joint.map(|card| view! { <JointSummaryCard card /> })}
        {invite.map(|card| view! { <InvitePartner card /> })}
        <SupportPanel resources=support />
        <section class="card">
            <h2>"Keeping this private"</h2>
            <super::questionnaire::EndLinkForm action=end_url />
        </section>
    }
}

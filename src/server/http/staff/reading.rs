//! How a clinician reads one person's questionnaire: every answer in the words it was given,
//! and the notes that say how to read the scores.

use crate::domain::questionnaire::{self as q, Dimension, Response, TrustRole};
use crate::domain::scoring::ReadinessResult;
use crate::ui::pages::staff::AnswerRow;

/// Every answer, in the words of the version it was answered under, whatever today's is.
pub(super) fn answer_rows(saved: &q::Answers) -> Vec<AnswerRow> {
    let version = saved.version();
    saved
        .responses()
        .into_iter()
        .map(|(question, response)| AnswerRow {
            section: version
                .section(question.section())
                .map(|s| s.title.to_owned())
                .unwrap_or_default(),
            text: question.text().to_owned(),
            answer: match response {
                Response::Rated(v) => format!("{} ({})", v.label(), v.value()),
                Response::NotApplicable => q::NOT_APPLICABLE_LABEL.to_owned(),
                Response::Chose(n) => question
                    .choices()
                    .into_iter()
                    .find(|(v, _)| *v == n)
                    .map_or_else(String::new, |(_, label)| label.to_owned()),
            },
            reverse: matches!(question, q::Question::Item(i) if i.reverse),
        })
        .collect()
}

/// What the clinician needs to read the scores right: where the person is about the
/// relationship, who they feel most affected trust, and what that leaves unscored.
pub(super) fn readiness_notes(
    answers: &q::Answers,
    result: Option<&ReadinessResult>,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(leaning) = result.and_then(|r| r.leaning) {
        let own = result.and_then(|r| r.commitment());
        let mut line = format!("Where they are: {}", leaning.label());
        if let (Some(said), Some(score)) = (answers.response("lean"), own) {
            let chosen = answers
                .version()
                .framing("lean")
                .and_then(|f| f.options.get(usize::from(said.value()).wrapping_sub(1)));
            if let Some(chosen) = chosen {
                line.push_str(&format!(" (they chose “{chosen}”; own commitment {score})"));
            }
        }
        line.push('.');
        notes.push(line);
    }
    if let Some(role) = answers.role() {
        notes.push(format!(
            "What has most affected trust, in their words: “{}”.",
            role.label()
        ));
        if role == TrustRole::Partner {
            notes.push(
                "Ownership (section 4) is not scored for them and not counted in the overall: \
                 a low score there would be expected, not a deficit."
                    .to_owned(),
            );
        }
    }
    // Soft signs, never findings: read them with the private check-in (clinical review P7).
    if answers.get("con7").is_some_and(|v| v.value() <= 2) {
        notes.push(
            "Soft safety sign: they disagree that they feel safe being themselves around their \
             partner. Read it with the private check-in."
                .to_owned(),
        );
    }
    // Version 1 only: version 2 no longer asks it.
    if answers.get("res6").is_some_and(|v| v.value() >= 4) {
        notes.push(
            "Soft sign: they agree that they react to their partner as if to someone who hurt \
             them before, which can be a trauma response. Read it with the private check-in."
                .to_owned(),
        );
    }
    if answers.get("con6").is_some_and(|v| v.value() >= 4) {
        notes.push(
            "Soft sign: they agree that they put up walls so their partner can't see how they \
             feel, which can be self-protection. Read it with the private check-in."
                .to_owned(),
        );
    }
    if result.is_some_and(|r| r.dimension(Dimension::PartnerCommitment).is_some()) {
        notes.push(
            "Their partner's commitment, as they see it, is shown but never counted in the overall."
                .to_owned(),
        );
    }
    notes
}

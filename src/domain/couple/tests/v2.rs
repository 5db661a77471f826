//! Couples where either partner answered version 2: the agenda from where each partner is,
//! ownership left unscored for an injured partner, and partners on different versions.

use super::*;
use crate::domain::questionnaire::{Question, Response};

/// A finished version 2 partner: every statement at `points` (keying honoured), except own
/// commitment at `own`, with `role` and `lean` chosen.
fn v2_partner(points: u8, own: u8, role: u8, lean: u8) -> Partner {
    let mut a = Answers::new(Instrument::V2);
    for q in Instrument::V2.questions() {
        let response = match q {
            Question::Item(i) => {
                let p = if i.dimension == Dimension::OwnCommitment {
                    own
                } else {
                    points
                };
                Response::Rated(likert(value_for_points(i, p)))
            }
            Question::Framing(f) if f.id == "role" => Response::Chose(role),
            Question::Framing(_) => Response::Chose(lean),
        };
        a.respond(q.id(), response).unwrap();
    }
    let answers = a.complete().unwrap();
    Partner {
        questionnaire: Some(FinishedQuestionnaire {
            result: score(&answers),
            answers,
        }),
        safety: Some(clear()),
    }
}

const IN: u8 = 1;
const UNSURE: u8 = 2;
const DECIDED: u8 = 4;
const RATHER_NOT_SAY: u8 = 5;

#[test]
fn an_ambivalent_partner_is_seen_beside_one_leaning_in() {
    // B says nothing about where they are, and their own commitment is middling: version 1's
    // rule (which needed one partner under 40) never flagged this couple.
    let c = Couple::new(v2_partner(4, 4, 1, IN), v2_partner(4, 2, 1, RATHER_NOT_SAY));
    let m = c.flags().mixed_agenda.expect("flagged");
    assert_eq!(m.willing, Some(PartnerRole::A));
    assert_eq!(
        m.leaning,
        ByPartner::new(Some(Leaning::In), Some(Leaning::Unsure))
    );
    assert_eq!(
        c.flags().recommendation(),
        Recommendation::DiscernmentConsult
    );
    let d = c.booking_decision(JointBookingPolicy::OpenWhenClear);
    assert_eq!(d.holds, [HoldReason::MixedAgenda]);
}

#[test]
fn both_unsure_is_shared_doubt_and_deciding_to_end_it_asks_for_separation_help() {
    let c = Couple::new(v2_partner(4, 4, 1, UNSURE), v2_partner(4, 4, 1, UNSURE));
    let m = c.flags().mixed_agenda.expect("flagged");
    assert_eq!(m.willing, None);
    assert!(m.describe().starts_with("Shared doubt"));
    let c = Couple::new(v2_partner(4, 4, 1, IN), v2_partner(4, 4, 1, DECIDED));
    let m = c.flags().mixed_agenda.expect("flagged");
    assert!(m.ending());
    assert!(m.describe().contains("separation-focused"));
    let both_in = Couple::new(v2_partner(4, 4, 1, IN), v2_partner(3, 4, 1, IN));
    assert_eq!(both_in.flags().mixed_agenda, None);
}

#[test]
fn partners_on_different_versions_are_read_each_by_their_own() {
    // A answered version 1 and is clearly willing; B answered version 2 and has decided.
    let willing_v1 = finished(&by_level(|_| 4), clear());
    let c = Couple::new(willing_v1, v2_partner(4, 4, 1, DECIDED));
    let m = c.flags().mixed_agenda.expect("flagged");
    assert_eq!(m.willing, Some(PartnerRole::A));
    let r = c.report().expect("both finished");
    assert_eq!(r.instrument_versions, ByPartner::new(1, 2));
    let score_of = |d| {
        r.dimensions
            .iter()
            .find(|c| c.dimension == d)
            .map(|c| c.scores)
    };
    assert_eq!(
        score_of(Dimension::Willingness),
        Some(ByPartner::new(Some(100), None))
    );
    assert_eq!(
        score_of(Dimension::OwnCommitment),
        Some(ByPartner::new(None, Some(100)))
    );
    // A version 1 score in the middle says nothing by itself; beside it, B's leaning decides.
    let middling_v1 = finished(
        &by_level(|d| if d == Dimension::Willingness { 2 } else { 4 }),
        clear(),
    );
    let c = Couple::new(middling_v1, v2_partner(4, 4, 1, DECIDED));
    let m = c.flags().mixed_agenda.expect("flagged");
    assert_eq!(m.willing, None);
    assert_eq!(m.leaning, ByPartner::new(None, Some(Leaning::Decided)));
    let c = Couple::new(
        finished(
            &by_level(|d| if d == Dimension::Willingness { 2 } else { 4 }),
            clear(),
        ),
        v2_partner(4, 4, 1, IN),
    );
    assert_eq!(c.flags().mixed_agenda, None);
    // Statements both versions asked, word for word, can still be compared.
    let shared: Vec<&str> = r.disagreements.iter().map(|d| d.item.id).collect();
    assert!(
        shared.iter().all(|id| Instrument::V2.item(id).is_some()),
        "{shared:?}"
    );
}

#[test]
fn an_injured_partners_unscored_ownership_is_not_zero_and_not_shared() {
    let injured = v2_partner(4, 4, 2, IN);
    let other = v2_partner(4, 4, 1, IN);
    let c = Couple::new(injured, other);
    let r = c.report().unwrap();
    let own_part = r
        .dimensions
        .iter()
        .find(|d| d.dimension == Dimension::Accountability)
        .unwrap();
    assert_eq!(own_part.scores, ByPartner::new(None, Some(100)));
    assert_eq!(own_part.gap(), 0);
    // The summary both partners read is the same whichever of them said the other broke
    // trust: ownership is never part of it.
    let by_role = |role: u8| {
        let c = Couple::new(v2_partner(4, 4, role, IN), v2_partner(4, 4, 1, IN));
        let results = c.finished_results().unwrap();
        joint_summary(results.a, results.b)
    };
    assert_eq!(by_role(2), by_role(1));
    assert!(!by_role(1)
        .shared_strengths
        .contains(&Dimension::Accountability));
    assert!(!by_role(1)
        .grow_together
        .contains(&Dimension::Accountability));
}

#[test]
fn both_partners_framing_is_side_by_side_and_mutual_blame_is_named() -> Result<(), &'static str> {
    use crate::domain::questionnaire::TrustRole;
    const ME: u8 = 1;
    const PARTNER: u8 = 2;
    let blame = Couple::new(v2_partner(3, 3, PARTNER, IN), v2_partner(3, 3, PARTNER, IN));
    let report = blame.report().ok_or("both finished")?;
    assert_eq!(
        (report.roles.a, report.roles.b),
        (Some(TrustRole::Partner), Some(TrustRole::Partner))
    );
    assert!(report.each_blames_the_other());
    // One owns it and the other agrees: no standoff, and each column stays its partner's.
    let owned = Couple::new(v2_partner(3, 3, ME, IN), v2_partner(3, 3, PARTNER, IN));
    let report = owned.report().ok_or("both finished")?;
    assert!(!report.each_blames_the_other());
    assert_eq!(report.roles.a, Some(TrustRole::Me));
    assert_eq!(
        owned.swapped().report().ok_or("both finished")?.roles.a,
        Some(TrustRole::Partner)
    );
    Ok(())
}

//! Couples, between HTTP and the database: partner A invites B, B joins with their own private
//! questionnaire, each answers a private safety screen, and the pure rules of
//! `domain::couple` decide what each partner may see (the joint summary, the booking offer).
//!
//! Privacy rule: a partner's pages are built from their own submission plus the outputs of
//! functions that cannot carry the other's answers or safety screen (`joint_summary` takes
//! results only; `JointBookingOffer` carries no reason).

use chrono::{DateTime, Duration, Utc};

use crate::domain::contact::ContactEmail;
use crate::domain::couple::{
    ByPartner, Couple, FinishedQuestionnaire, JointBookingOffer, JointBookingPolicy, JointSummary,
    Partner, PartnerRole, SafetyScreen,
};
use crate::domain::questionnaire::{Instrument, INSTRUMENT_VERSION};
use crate::server::db::{CoupleId, InvitationEmail, JoinOutcome, SubmissionId, SubmissionStatus};
use crate::server::email::templates;
use crate::server::error::AppError;
use crate::server::service::questionnaire::{self as questionnaire, Opened};
use crate::server::state::AppState;
use crate::server::tokens::{new_reference, InviteToken, ResumeToken};

/// How long partner B's invitation stays open.
pub const INVITE_DAYS: i64 = 14;

/// How many times partner A may have the practice email their invitation.
pub const INVITE_EMAILS: i32 = 3;

/// How an invitation's last day is written on pages and in the email (in the practice's zone).
pub fn invite_expiry(at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    at.with_timezone(&zone).format("%-d %B %Y").to_string()
}

/// How asking the practice to email the invitation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailInvite {
    /// Queued in the outbox; it goes out even if the mail server is down just now.
    Sent,
    /// Emailed [`INVITE_EMAILS`] times already.
    LimitReached,
    /// The practice has emailed as many invitations in 24 hours as `INVITE_EMAILS_PER_DAY`.
    PracticeBusy,
    /// No open invitation (used, expired, withdrawn or never made): the summary page says what
    /// there is.
    Closed,
    /// The address typed, refused, with what to fix.
    Invalid(String),
}

/// Partner A's invitation, as A's pages show it.
pub struct InviteView {
    pub url: String,
    /// What the database knows the invitation by.
    pub hash: String,
    pub expires_at: DateTime<Utc>,
    /// Partner B has started with it.
    pub used: bool,
}

/// What opening an invitation shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteState {
    Open,
    Used,
    Expired,
}

/// What a partner may do about booking, from their own view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The private check-in comes first.
    NeedsScreen,
    /// A consult on one's own is open; `together` is the couple's offer, for a partner.
    Open { together: Option<JointBookingOffer> },
}

fn invite_url(state: &AppState, token: &InviteToken) -> String {
    format!("{}/join/{}", state.config.public_base_url, token.as_str())
}

/// Creates (or shows again) partner A's invitation. Partner B cannot invite anyone.
pub async fn invite(
    state: &AppState,
    raw_token: &str,
    now: DateTime<Utc>,
) -> Result<InviteView, AppError> {
    let token = ResumeToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    let couple = state.db.couple_of(submission.id).await?;
    if let Some((_, PartnerRole::B)) = couple {
        return Err(AppError::NotFound);
    }
    // A consult booked alone stays as it is: a partner joining afterwards would bypass the
    // rule that both are checked in before anything joint is booked.
    if couple.is_none() && booked_alone(state, submission.id).await? {
        return Err(AppError::NotFound);
    }
    // A fresh secret, taken only if there is no open invitation to show again.
    let nonce = crate::server::tokens::new_invitation_nonce();
    let fresh = token.invite_token(Some(&nonce)).hash();
    let stored = state
        .db
        .ensure_invitation(
            submission.id,
            (&nonce, &fresh),
            now + Duration::days(INVITE_DAYS),
            now,
        )
        .await?;
    let invite = token.invite_token(stored.nonce.as_deref());
    if stored.used {
        tracing::info!("partner invitation shown");
    } else {
        tracing::info!("partner invitation created");
    }
    Ok(InviteView {
        url: invite_url(state, &invite),
        hash: invite.hash(),
        expires_at: stored.expires_at,
        used: stored.used,
    })
}

/// Has the practice email partner A's open invitation to `to`, a few times at most. The
/// message carries the link and the practice's name only.
pub async fn email_invite(
    state: &AppState,
    raw_token: &str,
    typed: &str,
    sender: std::net::IpAddr,
    now: DateTime<Utc>,
) -> Result<EmailInvite, AppError> {
    let token = ResumeToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    // Withdrawn (or never made, or partner B's own page): the summary says what there is.
    let Some(invite) = invitation_of(state, &token, submission.id).await? else {
        return Ok(EmailInvite::Closed);
    };
    if invite.used || invite.expires_at <= now {
        return Ok(EmailInvite::Closed);
    }
    let to = match ContactEmail::parse(typed) {
        Ok(to) => to,
        Err(_) if typed.trim().is_empty() => {
            return Ok(EmailInvite::Invalid(
                "Please give your partner's email address.".into(),
            ))
        }
        Err(e) => return Ok(EmailInvite::Invalid(e.message.into())),
    };
    let config = &state.config;
    let email = templates::partner_invitation(
        &config.practice_name,
        &config.mail.from,
        to.as_str(),
        &invite.url,
        &invite_expiry(invite.expires_at, config.practice_zone),
    );
    let hash = invite.hash;
    let limits = (INVITE_EMAILS, config.invite_emails_per_day);
    Ok(
        match state
            .db
            .email_invitation(&hash, limits, sender, &email, now)
            .await?
        {
            InvitationEmail::Queued => {
                tracing::info!("partner invitation emailed");
                EmailInvite::Sent
            }
            InvitationEmail::InvitationLimit => EmailInvite::LimitReached,
            InvitationEmail::DailyLimit => {
                tracing::warn!("daily limit of partner invitation emails reached");
                EmailInvite::PracticeBusy
            }
        },
    )
}

/// Partner A withdraws an invitation nobody has used: the couple is dissolved and A is on
/// their own again. Once B has started, there is nothing to withdraw (404).
pub async fn withdraw(state: &AppState, raw_token: &str) -> Result<(), AppError> {
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    let Some((couple, PartnerRole::A)) = state.db.couple_of(submission.id).await? else {
        return Err(AppError::NotFound);
    };
    if !state.db.withdraw_invitation(couple, submission.id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!("partner invitation withdrawn");
    Ok(())
}

/// Someone on their own with a live consult: they cannot invite a partner any more.
pub async fn booked_alone(state: &AppState, submission: SubmissionId) -> Result<bool, AppError> {
    Ok(state
        .db
        .booking_for_submission(submission)
        .await?
        .is_some_and(|b| b.status == crate::server::db::BookingStatus::Booked))
}

/// Partner A's invitation if A has made one (nothing for B or for someone on their own).
pub async fn invitation_of(
    state: &AppState,
    token: &ResumeToken,
    submission: SubmissionId,
) -> Result<Option<InviteView>, AppError> {
    let Some((couple, PartnerRole::A)) = state.db.couple_of(submission).await? else {
        return Ok(None);
    };
    Ok(state.db.invitation_of_couple(couple).await?.map(|stored| {
        let invite = token.invite_token(stored.nonce.as_deref());
        InviteView {
            url: invite_url(state, &invite),
            hash: invite.hash(),
            expires_at: stored.expires_at,
            used: stored.used,
        }
    }))
}

/// What an invitation link shows, before partner B starts.
pub async fn invitation_state(
    state: &AppState,
    raw_invite: &str,
    now: DateTime<Utc>,
) -> Result<InviteState, AppError> {
    let token = InviteToken::parse(raw_invite).ok_or(AppError::LinkNotFound)?;
    let stored = state
        .db
        .invitation_by_hash(&token.hash())
        .await?
        .ok_or(AppError::LinkNotFound)?;
    Ok(if stored.used {
        InviteState::Used
    } else if stored.expires_at <= now {
        InviteState::Expired
    } else {
        InviteState::Open
    })
}

/// Partner B starts their own questionnaire in the couple; returns B's private token.
pub async fn join(
    state: &AppState,
    raw_invite: &str,
    now: DateTime<Utc>,
) -> Result<Result<ResumeToken, InviteState>, AppError> {
    let invite = InviteToken::parse(raw_invite).ok_or(AppError::LinkNotFound)?;
    let token = ResumeToken::generate();
    let outcome = state
        .db
        .join_couple(
            &invite.hash(),
            &new_reference(),
            &token.hash(),
            INSTRUMENT_VERSION,
            now,
        )
        .await?;
    Ok(match outcome {
        JoinOutcome::Joined(_) => {
            tracing::info!("partner joined");
            Ok(token)
        }
        JoinOutcome::Used => Err(InviteState::Used),
        JoinOutcome::Expired => Err(InviteState::Expired),
        JoinOutcome::NotFound => return Err(AppError::LinkNotFound),
    })
}

/// One partner's progress, loaded for the domain's rules.
async fn partner(state: &AppState, id: SubmissionId) -> Result<Partner, AppError> {
    let safety = state.db.safety_screen(id).await?;
    let Some(result) = state.db.result(id).await? else {
        return Ok(Partner {
            questionnaire: None,
            safety,
        });
    };
    let version = Instrument::from_number(i64::from(result.instrument_version))
        .ok_or_else(|| AppError::Internal("a result of an unknown instrument version".into()))?;
    let answers = state.db.answers(id, version).await?;
    let questionnaire = answers
        .complete()
        .ok()
        .map(|answers| FinishedQuestionnaire { answers, result });
    Ok(Partner {
        questionnaire,
        safety,
    })
}

/// Both partners of a couple as the domain sees them, and their submissions (B's may not
/// exist yet).
pub async fn load_couple(
    state: &AppState,
    couple: CoupleId,
) -> Result<(Couple, ByPartner<Option<SubmissionId>>), AppError> {
    let ids = ByPartner::new(
        state.db.partner_submission(couple, PartnerRole::A).await?,
        state.db.partner_submission(couple, PartnerRole::B).await?,
    );
    let a = match ids.a {
        Some(id) => partner(state, id).await?,
        None => Partner::default(),
    };
    let b = match ids.b {
        Some(id) => partner(state, id).await?,
        None => Partner::default(),
    };
    Ok((Couple::new(a, b), ids))
}

fn policy(state: &AppState) -> JointBookingPolicy {
    state.config.joint_booking
}

/// What this client may do about booking. Everyone who has answered the private check-in can
/// book a consult on their own, whatever they answered, so the page never shows the outcome;
/// a partner also sees the couple's offer, the same for both partners and for every reason.
pub async fn booking_offer(state: &AppState, submission: SubmissionId) -> Result<Offer, AppError> {
    if state.db.safety_screen(submission).await?.is_none() {
        return Ok(Offer::NeedsScreen);
    }
    let Some((couple, _)) = state.db.couple_of(submission).await? else {
        return Ok(Offer::Open { together: None });
    };
    let (couple, _) = load_couple(state, couple).await?;
    Ok(Offer::Open {
        together: Some(couple.booking_decision(policy(state)).partner_offer()),
    })
}

/// Whether this partner may book the couple's consult together now.
pub async fn may_book_together(
    state: &AppState,
    submission: SubmissionId,
) -> Result<bool, AppError> {
    Ok(matches!(
        booking_offer(state, submission).await?,
        Offer::Open {
            together: Some(JointBookingOffer::Open)
        }
    ))
}

/// What a consult's routing may rest on. A joint consult follows the couple's flags; a
/// consult for one person follows that person's own private check-in only, never their
/// partner's answers or leaning: where their own consult is (the clinician, and so the "Where:"
/// line of every message and calendar file) must not tell one partner what the other answered.
/// See `docs/safety.md` ("Routing").
pub async fn recommendation(
    state: &AppState,
    submission: SubmissionId,
    for_couple: bool,
) -> Result<crate::domain::couple::Recommendation, AppError> {
    use crate::domain::couple::Recommendation;
    if for_couple {
        if let Some((couple, _)) = state.db.couple_of(submission).await? {
            let (couple, _) = load_couple(state, couple).await?;
            return Ok(couple.flags().recommendation());
        }
    }
    let positive = state
        .db
        .safety_screen(submission)
        .await?
        .is_some_and(|s| s.is_positive());
    Ok(if positive {
        Recommendation::IndividualConsultFirst
    } else {
        Recommendation::CouplesConsult
    })
}

/// What holds staff booking this couple together (never someone on their own: there is no one
/// to hold them with), read from one load of the couple.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaffHold {
    /// A partner's private check-in holds the couple's joint sessions.
    pub safety: bool,
    /// A partner has not answered the private check-in; held as for `safety` (clinical N9).
    pub check_in_missing: bool,
}

impl StaffHold {
    /// Booking them together is a clinician's decision, with a stated reason.
    pub fn held(self) -> bool {
        self.safety || self.check_in_missing
    }
}

pub async fn staff_hold(state: &AppState, submission: SubmissionId) -> Result<StaffHold, AppError> {
    let Some((couple, _)) = state.db.couple_of(submission).await? else {
        return Ok(StaffHold::default());
    };
    let (couple, _) = load_couple(state, couple).await?;
    Ok(StaffHold {
        safety: couple.booking_decision(policy(state)).is_safety_hold(),
        check_in_missing: couple.check_in_missing(),
    })
}

/// The joint summary, once both partners have finished; `Ok(None)` before (or on one's own).
/// The second value says whether this submission is part of a couple at all.
pub async fn joint_summary(
    state: &AppState,
    submission: SubmissionId,
) -> Result<(Option<JointSummary>, bool), AppError> {
    let Some((couple, _)) = state.db.couple_of(submission).await? else {
        return Ok((None, false));
    };
    let (couple, _) = load_couple(state, couple).await?;
    let summary = couple
        .finished_results()
        .map(|r| crate::domain::couple::joint_summary(r.a, r.b));
    Ok((summary, true))
}

/// The couple's consult, booked on the other partner's questionnaire: a couple has one
/// consult together, so once it is booked, the other sees it instead of open times. A consult
/// for the other partner alone is never returned.
pub async fn partner_booking(
    state: &AppState,
    submission: SubmissionId,
) -> Result<Option<crate::server::db::Booking>, AppError> {
    let Some((couple, role)) = state.db.couple_of(submission).await? else {
        return Ok(None);
    };
    let Some(other) = state.db.partner_submission(couple, role.other()).await? else {
        return Ok(None);
    };
    Ok(state
        .db
        .booking_for_submission(other)
        .await?
        .filter(|b| b.status == crate::server::db::BookingStatus::Booked && b.for_couple))
}

/// A client changes or clears how the practice can reach them, from their own private link,
/// after their check-in. Refusals come back field by field and nothing is stored. Never
/// logged with any of it; never shown to a partner.
pub async fn change_safe_contact(
    state: &AppState,
    raw_token: &str,
    contact: Result<
        crate::domain::safe_contact::SafeContact,
        Vec<crate::domain::safe_contact::SafeContactError>,
    >,
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<crate::domain::safe_contact::SafeContactError>>, AppError> {
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    if submission.status != SubmissionStatus::Submitted
        || state.db.safety_screen(submission.id).await?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let contact = match contact {
        Ok(contact) => contact,
        Err(errors) => return Ok(Err(errors)),
    };
    let changed = state
        .db
        .replace_safe_contact(submission.id, &contact, now)
        .await?;
    tracing::info!(messages = changed, "a client changed how to reach them");
    Ok(Ok(()))
}

/// When a check-in's review falls due: its target (`REVIEW_HOURS_URGENT` or `REVIEW_HOURS`)
/// counted in the practice's working hours (`PRACTICE_HOURS`), or on the clock without them.
pub fn review_due(state: &AppState, checked_in_at: DateTime<Utc>, urgent: bool) -> DateTime<Utc> {
    let config = &state.config;
    let hours = if urgent {
        config.review_hours_urgent
    } else {
        config.review_hours
    };
    crate::domain::booking::add_working_time(
        checked_in_at,
        Duration::hours(hours),
        config.practice_hours.as_ref(),
        config.practice_zone,
    )
}

/// Sends one message to the on-call address for each urgent check-in past its target with
/// nobody having spoken with the client; the number queued. Nothing without
/// `REVIEW_ESCALATION_EMAIL`. Two instances may run it at once: each check-in is escalated once.
pub async fn escalate_overdue(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let config = &state.config;
    let Some(to) = config.review_escalation_email.as_deref() else {
        return Ok(0);
    };
    let mut queued = 0;
    for waiting in state.db.urgent_unescalated().await? {
        if review_due(state, waiting.checked_in_at, true) > now {
            continue;
        }
        let email = templates::review_overdue(
            to,
            &config.mail.from,
            &config.public_base_url,
            &waiting.reference,
        );
        if state
            .db
            .escalate_review(SubmissionId(waiting.submission_id), &email, now)
            .await?
        {
            queued += 1;
        }
    }
    if queued > 0 {
        tracing::info!(queued, "overdue urgent reviews escalated");
    }
    Ok(queued)
}

/// Stores this client's private check-in, with the safe way to reach them. Only a finished
/// questionnaire has one.
pub async fn save_screen(
    state: &AppState,
    raw_token: &str,
    screen: &SafetyScreen,
    contact: &crate::domain::safe_contact::SafeContact,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Opened { submission, .. } = questionnaire::open(state, raw_token).await?;
    if submission.status != SubmissionStatus::Submitted {
        return Err(AppError::NotFound);
    }
    // Leaving (their own questionnaire only) makes any concern urgent.
    let leaving = crate::domain::couple::is_leaving(
        state
            .db
            .result(submission.id)
            .await?
            .and_then(|r| r.leaning),
    );
    // A positive check-in tells the practice, in the same transaction: a content-free message.
    let config = &state.config;
    let review = screen.is_positive().then(|| {
        templates::intake_needs_review(
            &config.practice_email,
            &config.mail.from,
            &config.public_base_url,
            &submission.reference,
            screen.tier_for(leaving) == Some(crate::domain::couple::CheckInTier::Urgent),
        )
    });
    if state
        .db
        .save_safety_screen(
            submission.id,
            screen,
            leaving,
            contact,
            review.as_ref(),
            now,
        )
        .await?
    {
        // Whether it was positive is never logged: logs are read by more people than notes.
        tracing::info!("private check-in answered");
    }
    Ok(())
}

//! Referral's use cases: admins keep the directory, a clinician refers one client out through
//! that client's own safe channel, and the loop is closed by the client's links or the practice.
//! See `docs/referral.md`.

use chrono::{DateTime, Utc};

use crate::domain::form;
use crate::domain::referral::{parse_csv, ClientAnswer, EntryDraft, ImportError, Outcome, Reason};
use crate::server::db::{
    Audit, AuditAction, BookingStatus, Clinician, DirectoryEntry, EntryId, NewReferral, Referral,
    ReferralId, Submission, SubmissionStatus,
};
use crate::server::email::templates::{self, ReferralLine};
use crate::server::error::{AppError, FieldError};
use crate::server::state::AppState;
use crate::server::tokens::ReferralToken;

/// The longest message a clinician can add to a referral.
pub const MESSAGE_MAX_CHARS: usize = 1000;

fn field_errors(errors: Vec<crate::domain::referral::EntryError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError {
            field: e.field.into(),
            message: e.message,
        })
        .collect()
}

/// Adds an entry (`id` `None`) or rewrites one, audited; refusals name their fields.
pub async fn save_entry(
    state: &AppState,
    admin: &Clinician,
    id: Option<EntryId>,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Result<EntryId, Vec<FieldError>>, AppError> {
    let draft = match EntryDraft::parse(fields) {
        Ok(draft) => draft,
        Err(errors) => return Ok(Err(field_errors(errors))),
    };
    match id {
        None => {
            let audit = Audit::new(admin.id, AuditAction::AddDirectoryEntry, None, now);
            let ids = state.db.add_directory_entries(&[draft], &audit).await?;
            Ok(Ok(ids[0]))
        }
        Some(id) => {
            let action = AuditAction::UpdateDirectoryEntry { entry: id.0 };
            let audit = Audit::new(admin.id, action, None, now);
            if !state.db.update_directory_entry(id, &draft, &audit).await? {
                return Err(AppError::NotFound);
            }
            Ok(Ok(id))
        }
    }
}

/// Imports a whole CSV: every row valid, or nothing imported and every bad row named.
pub async fn import(
    state: &AppState,
    admin: &Clinician,
    csv: &[u8],
    now: DateTime<Utc>,
) -> Result<Result<usize, Vec<ImportError>>, AppError> {
    let drafts = match parse_csv(csv) {
        Ok(drafts) => drafts,
        Err(errors) => return Ok(Err(errors)),
    };
    let action = AuditAction::ImportDirectory {
        entries: drafts.len(),
    };
    let audit = Audit::new(admin.id, action, None, now);
    state.db.add_directory_entries(&drafts, &audit).await?;
    Ok(Ok(drafts.len()))
}

/// Whether an entry has gone unchecked for longer than the practice allows.
pub fn is_stale(state: &AppState, entry: &DirectoryEntry, today: chrono::NaiveDate) -> bool {
    entry.draft.last_checked + chrono::Duration::days(state.config.directory_stale_days) < today
}

/// How a referral can reach this client: the safe email they gave at the private check-in,
/// the address of their newest booking (never confirmed safe: it may be a shared inbox), and
/// always on paper or read aloud.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralChannels {
    pub safe_email: Option<String>,
    pub booking_email: Option<String>,
}

/// Where a referral goes: an address, or paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination<'a> {
    Email(&'a str),
    Print,
}

/// The way a clinician chose (`channel` on the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralChannel {
    SafeEmail,
    BookingEmail,
    Print,
}

impl ReferralChannel {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "safe_email" => Some(Self::SafeEmail),
            "booking_email" => Some(Self::BookingEmail),
            "print" => Some(Self::Print),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SafeEmail => "safe_email",
            Self::BookingEmail => "booking_email",
            Self::Print => "print",
        }
    }
}

impl ReferralChannels {
    /// Where a channel delivers: `None` when this client has no such address.
    pub fn destination(&self, channel: ReferralChannel) -> Option<Destination<'_>> {
        match channel {
            ReferralChannel::SafeEmail => self.safe_email.as_deref().map(Destination::Email),
            ReferralChannel::BookingEmail => self.booking_email.as_deref().map(Destination::Email),
            ReferralChannel::Print => Some(Destination::Print),
        }
    }

    /// The way chosen unless the clinician picks another: the safe address when there is one,
    /// otherwise print. Never the booking address, which nobody said was safe.
    pub fn default_channel(&self) -> ReferralChannel {
        if self.safe_email.is_some() {
            ReferralChannel::SafeEmail
        } else {
            ReferralChannel::Print
        }
    }
}

/// The ways a referral for this client can go.
pub async fn referral_channels(
    state: &AppState,
    submission: &Submission,
) -> Result<ReferralChannels, AppError> {
    let safe_email = state
        .db
        .safe_contact(submission.id)
        .await?
        .and_then(|c| c.email);
    let booking_email = state
        .db
        .booking_for_submission(submission.id)
        .await?
        .filter(|b| b.status == BookingStatus::Booked || b.status == BookingStatus::Cancelled)
        .map(|b| b.client_email)
        .filter(|b| Some(b) != safe_email.as_ref());
    Ok(ReferralChannels {
        safe_email,
        booking_email,
    })
}

/// The lines of a referral's list, as the client reads them.
pub fn lines(entries: &[DirectoryEntry]) -> Vec<ReferralLine> {
    entries
        .iter()
        .map(|e| ReferralLine {
            name: e.draft.name.clone(),
            ways: [&e.draft.phone, &e.draft.email, &e.draft.website]
                .into_iter()
                .filter(|w| !w.is_empty())
                .cloned()
                .collect(),
            how_to_refer: e.draft.how_to_refer.clone(),
        })
        .collect()
}

/// Refers this client (never the couple) to the chosen entries, through their own channel.
pub async fn refer(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Result<ReferralId, Vec<FieldError>>, AppError> {
    let mut errors = Vec::new();
    let mut refuse = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    if submission.status != SubmissionStatus::Submitted {
        refuse("refer_form", "This questionnaire is not finished yet.");
    }
    let reason = Reason::parse(form::value(fields, "reason"));
    if reason.is_none() {
        refuse("reason", "Choose why this client is referred out.");
    }
    let mut entries: Vec<DirectoryEntry> = Vec::new();
    for (_, raw) in fields.iter().filter(|(k, _)| k == "entry") {
        let Ok(id) = raw.parse::<i64>() else { continue };
        if entries.iter().any(|e| e.id.0 == id) {
            continue;
        }
        if let Some(entry) = state.db.directory_entry(EntryId(id)).await? {
            if !entry.retired {
                entries.push(entry);
            }
        }
    }
    if entries.is_empty() {
        refuse(
            "entry",
            "Choose at least one service or clinician from the directory.",
        );
    }
    let message: String = form::value(fields, "message")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let message = message.trim();
    if message.chars().count() > MESSAGE_MAX_CHARS {
        refuse("message", "Please keep the message to 1,000 characters.");
    }
    let channels = referral_channels(state, submission).await?;
    let chosen = ReferralChannel::parse(form::value(fields, "channel"));
    let to = match chosen.map(|c| channels.destination(c)) {
        Some(Some(Destination::Email(to))) => Some(to.to_owned()),
        Some(Some(Destination::Print)) => None,
        Some(None) => {
            refuse(
                "channel",
                "This client has no such address. Choose another way.",
            );
            None
        }
        None => {
            refuse("channel", "Choose how the list reaches this client.");
            None
        }
    };
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let token = ReferralToken::generate();
    let base = &state.config.public_base_url;
    let page_url = format!("{base}/r/{}", token.as_str());
    let answers: Vec<(&str, String)> = ClientAnswer::ALL
        .iter()
        .map(|a| (a.label(), format!("{page_url}/{}", a.as_str())))
        .collect();
    let message = (!message.is_empty()).then_some(message);
    let email = to.map(|to| {
        templates::referral_list(
            &state.config.mail.from,
            &to,
            &state.config.practice_name,
            &lines(&entries),
            message,
            &page_url,
            &answers,
        )
    });
    let ids: Vec<EntryId> = entries.iter().map(|e| e.id).collect();
    let new = NewReferral {
        submission: submission.id,
        reason,
        message,
        token_hash: &token.hash(),
        email: email.as_ref(),
        entries: &ids,
        refer_out: form::value(fields, "keep_client") != "yes",
    };
    let audit = Audit::new(
        clinician.id,
        AuditAction::ReferClient,
        Some(submission.id),
        now,
    );
    let id = state.db.create_referral(&new, &audit).await?;
    tracing::info!("client referred out");
    Ok(Ok(id))
}

/// The referral a client's private link opens: until the practice closes it, and for
/// `REFERRAL_LINK_DAYS` after it was sent (the list names the services the person was
/// referred to, so it does not stay readable in an inbox for good).
pub async fn open(state: &AppState, raw_token: &str) -> Result<Referral, AppError> {
    let token = ReferralToken::parse(raw_token).ok_or(AppError::LinkNotFound)?;
    let referral = state
        .db
        .referral_by_token_hash(&token.hash())
        .await?
        .ok_or(AppError::LinkNotFound)?;
    let ends = referral.sent_at + chrono::Duration::days(state.config.referral_link_days);
    if referral.closed_at.is_some() || ends <= Utc::now() {
        return Err(AppError::LinkExpired);
    }
    Ok(referral)
}

/// The client says how it went, from their link (no login). It is recorded beside what the
/// practice recorded, never over it, and audited as the app's.
pub async fn client_answer(
    state: &AppState,
    raw_token: &str,
    answer: ClientAnswer,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let referral = open(state, raw_token).await?;
    state
        .db
        .record_client_answer(referral.id, referral.submission, answer, now)
        .await?;
    tracing::info!("a client answered from their referral link");
    Ok(())
}

/// What a clinician does to a referral on the submission page.
pub async fn staff_update(
    state: &AppState,
    clinician: &Clinician,
    submission: &Submission,
    referral: ReferralId,
    fields: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<FieldError>>, AppError> {
    let ours = state
        .db
        .referrals_of(submission.id)
        .await?
        .into_iter()
        .any(|r| r.id == referral);
    if !ours {
        return Err(AppError::NotFound);
    }
    let audit = Audit::new(
        clinician.id,
        AuditAction::UpdateReferral,
        Some(submission.id),
        now,
    );
    match form::value(fields, "action") {
        "follow_up" => state.db.mark_referral(referral, false, &audit).await?,
        "close" => state.db.mark_referral(referral, true, &audit).await?,
        "outcome" => {
            let Some(outcome) = Outcome::parse(form::value(fields, "outcome")) else {
                return Ok(Err(vec![FieldError {
                    field: "outcome".into(),
                    message: "Choose what came of the referral.".into(),
                }]));
            };
            let note = form::value(fields, "outcome_note").trim();
            if outcome == Outcome::NotConnected && note.is_empty() {
                return Ok(Err(vec![FieldError {
                    field: "outcome_note".into(),
                    message: "Say why not (in a few words): it tells the next person what to try."
                        .into(),
                }]));
            }
            if note.chars().count() > 500 {
                return Ok(Err(vec![FieldError {
                    field: "outcome_note".into(),
                    message: "Please keep this to 500 characters.".into(),
                }]));
            }
            let note = (!note.is_empty()).then_some(note);
            state
                .db
                .set_referral_outcome(referral, outcome, note, &audit)
                .await?;
        }
        _ => return Err(AppError::invalid("action", "Choose what to do.")),
    }
    Ok(Ok(()))
}

//! The audit log: who did what, when, about which submission.
//!
//! A change and the row that records it are written in one transaction: the mutations of the
//! workspace take an [`Audit`] and write it with [`write`] on their own transaction, so a
//! change is never left unrecorded, nor a record left without its change. Views (a submission
//! opened, the CSV exported) change nothing and are written on their own.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, Executor, IntoArguments, Type};

use super::{with_pool, ClinicianId, Db, SubmissionId};

/// What a clinician did, as the audit log names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAction {
    ViewSubmission,
    ViewConsults,
    ExportCsv,
    MoveWorkflow,
    AddNote,
    BookConsult,
    /// A client answered from their referral link (written by the app: no clinician).
    ReferralClientAnswer,
    /// A client changed or cleared how the practice can reach them, from their own link.
    SafeContactChanged,
    /// A joint consult booked while a safety hold is on (the reason is in `hold_overrides`).
    OverrideSafetyHold,
    /// A consult the practice booked with any free clinician, not one who fits.
    OverrideRouting,
    /// Names the clinician whose profile changed.
    SaveClinicianProfile {
        clinician: i64,
    },
    CancelConsult,
    RecordFirstContact,
    /// Names the reference: the row outlives the submission, and nothing else of it is kept.
    DeleteSubmission {
        reference: String,
    },
    /// Names the entry's id: the directory holds no client data.
    AddDirectoryEntry,
    UpdateDirectoryEntry {
        entry: i64,
    },
    RetireDirectoryEntry {
        entry: i64,
        retire: bool,
    },
    /// Counts only.
    ImportDirectory {
        entries: usize,
    },
    ReferClient,
    UpdateReferral,
    /// Names the new account.
    CreateClinician {
        clinician: i64,
    },
    /// Names the account.
    ReactivateClinician {
        clinician: i64,
    },
    /// Names the account.
    DeactivateClinician {
        clinician: i64,
    },
    ChangePassword,
    LogIn,
    LogOut,
    /// Written by the app (nobody is logged in): names the account tried, if the email is one,
    /// and whether the attempt locked it. Never the email or the password.
    FailedLogIn {
        clinician: Option<i64>,
        locked: bool,
    },
    /// The practice's consult length, buffer, notice and horizon.
    SetConsultRules,
    /// Names whose weekly hours changed.
    SetAvailability {
        clinician: i64,
    },
    /// Names the account: it is about no submission.
    UnlockClinician {
        clinician: i64,
    },
    /// Names the new owner's account id, or none.
    AssignOwner {
        owner: Option<i64>,
    },
    /// Names the new version of the intake form: it is about no submission.
    PublishIntakeForm {
        version: i32,
    },
    /// Two-step sign-in turned on for one's own account.
    EnableMfa,
    /// New recovery codes replaced the old ones.
    NewRecoveryCodes,
    /// A clinician made (or replaced) their calendar feed address.
    MakeCalendarFeed,
    /// A clinician stopped their calendar feed address.
    StopCalendarFeed,
    /// Names the account whose two-step sign-in was turned off (by its owner or an admin).
    DisableMfa {
        clinician: i64,
    },
    /// The retention purge, by the app itself: counts only.
    Purge(super::retention::Purged),
}

impl AuditAction {
    /// The name stored in `audit_events.action` (the audit page shows it with spaces).
    pub fn name(&self) -> Cow<'static, str> {
        let name = match self {
            AuditAction::ViewSubmission => "view_submission",
            AuditAction::ViewConsults => "view_consults",
            AuditAction::ExportCsv => "export_csv",
            AuditAction::MoveWorkflow => "move_workflow",
            AuditAction::AddNote => "add_note",
            AuditAction::BookConsult => "book_consult",
            AuditAction::OverrideSafetyHold => "override_safety_hold",
            AuditAction::ReferralClientAnswer => "referral_client_answer",
            AuditAction::SafeContactChanged => "safe_contact_changed",
            AuditAction::OverrideRouting => "override_routing",
            AuditAction::SaveClinicianProfile { clinician } => {
                return Cow::Owned(format!("save_clinician_profile {clinician}"))
            }
            AuditAction::CancelConsult => "cancel_consult",
            AuditAction::RecordFirstContact => "record_first_contact",
            AuditAction::DeleteSubmission { reference } => {
                return Cow::Owned(format!("delete_submission {reference}"))
            }
            AuditAction::AddDirectoryEntry => "add_directory_entry",
            AuditAction::UpdateDirectoryEntry { entry } => {
                return Cow::Owned(format!("update_directory_entry {entry}"))
            }
            AuditAction::RetireDirectoryEntry { entry, retire } => {
                let verb = if *retire { "retire" } else { "restore" };
                return Cow::Owned(format!("{verb}_directory_entry {entry}"));
            }
            AuditAction::ImportDirectory { entries } => {
                return Cow::Owned(format!("import_directory {entries} entries"))
            }
            AuditAction::ReferClient => "refer_client",
            AuditAction::UpdateReferral => "update_referral",
            AuditAction::CreateClinician { clinician } => {
                return Cow::Owned(format!("create_clinician {clinician}"))
            }
            AuditAction::ReactivateClinician { clinician } => {
                return Cow::Owned(format!("reactivate_clinician {clinician}"))
            }
            AuditAction::DeactivateClinician { clinician } => {
                return Cow::Owned(format!("deactivate_clinician {clinician}"))
            }
            AuditAction::ChangePassword => "change_password",
            AuditAction::LogIn => "log_in",
            AuditAction::LogOut => "log_out",
            AuditAction::FailedLogIn { clinician, locked } => {
                let lock = if *locked { " (now locked)" } else { "" };
                return Cow::Owned(match clinician {
                    Some(id) => format!("failed_login {id}{lock}"),
                    None => "failed_login (no such account)".to_owned(),
                });
            }
            AuditAction::SetConsultRules => "set_consult_rules",
            AuditAction::SetAvailability { clinician } => {
                return Cow::Owned(format!("set_availability {clinician}"))
            }
            AuditAction::UnlockClinician { clinician } => {
                return Cow::Owned(format!("unlock_clinician {clinician}"))
            }
            AuditAction::AssignOwner { owner } => {
                return Cow::Owned(match owner {
                    Some(owner) => format!("assign_owner {owner}"),
                    None => "unassign_owner".to_owned(),
                })
            }
            AuditAction::PublishIntakeForm { version } => {
                return Cow::Owned(format!("publish_intake_form {version}"))
            }
            AuditAction::EnableMfa => "enable_two_step",
            AuditAction::NewRecoveryCodes => "new_recovery_codes",
            AuditAction::MakeCalendarFeed => "make_calendar_feed",
            AuditAction::StopCalendarFeed => "stop_calendar_feed",
            AuditAction::DisableMfa { clinician } => {
                return Cow::Owned(format!("disable_two_step {clinician}"))
            }
            AuditAction::Purge(p) => {
                return Cow::Owned(format!(
                    "purge {} unfinished, {} closed, {} delivered messages emptied",
                    p.unfinished, p.closed, p.messages
                ))
            }
        };
        Cow::Borrowed(name)
    }
}

/// One row of the audit log, to be written.
#[derive(Debug, Clone)]
pub struct Audit {
    pub by: ClinicianId,
    pub action: AuditAction,
    /// The submission it concerns; `None` for account matters and for a deletion (whose row
    /// names the reference instead).
    pub submission: Option<SubmissionId>,
    pub at: DateTime<Utc>,
}

impl Audit {
    pub fn new(
        by: ClinicianId,
        action: AuditAction,
        submission: Option<SubmissionId>,
        at: DateTime<Utc>,
    ) -> Self {
        Audit {
            by,
            action,
            submission,
            at,
        }
    }
}

const INSERT: &str = "insert into audit_events (clinician_id, action, submission_id, created_at) \
                      values ($1, $2, $3, $4)";

/// Writes `audit` through `executor`: the transaction of the change it records (or a pool, for
/// a view). Generic over the backend, so every transaction of either database can call it.
pub(crate) async fn write<'e, E, DB>(executor: E, audit: &Audit) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(INSERT)
        .bind(audit.by.0)
        .bind(audit.action.name().into_owned())
        .bind(audit.submission.map(|s| s.0))
        .bind(audit.at)
        .execute(executor)
        .await?;
    Ok(())
}

/// Writes `action` as done by the app itself (no clinician), through `executor`.
pub(crate) async fn write_by_app<'e, E, DB>(
    executor: E,
    action: &AuditAction,
    submission: Option<SubmissionId>,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error>
where
    E: Executor<'e, Database = DB>,
    DB: Database,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(INSERT)
        .bind(None::<i64>)
        .bind(action.name().into_owned())
        .bind(submission.map(|s| s.0))
        .bind(at)
        .execute(executor)
        .await?;
    Ok(())
}

/// Who the audit page names for a row the app wrote itself.
pub const BY_APP: &str = "TrustBridge (automatic)";

/// One audit row as admins read it.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub who: String,
    pub action: String,
    pub reference: Option<String>,
}

impl Db {
    /// Records a view: something a clinician looked at, which changed nothing.
    pub async fn audit(&self, audit: &Audit) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => write(pool, audit).await)
    }

    /// Records something the app saw with no clinician behind it (a failed login).
    pub async fn audit_by_app(
        &self,
        action: &AuditAction,
        at: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => write_by_app(pool, action, None, at).await)
    }

    /// How many audit rows name a submission (for tests and the audit view).
    pub async fn audit_count(&self, submission: SubmissionId) -> Result<i64, sqlx::Error> {
        let sql = "select count(*) from audit_events where submission_id = $1";
        let n: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(submission.0).fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Audit rows newest first, below `before` (keyset), `limit` at a time.
    pub async fn audit_page(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let sql = "select a.id, a.created_at, c.display_name, a.action, s.reference \
                   from audit_events a left join clinicians c on c.id = a.clinician_id \
                   left join submissions s on s.id = a.submission_id \
                   where a.id < $1 order by a.id desc limit $2";
        type Row = (i64, DateTime<Utc>, Option<String>, String, Option<String>);
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(before.unwrap_or(i64::MAX))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, at, who, action, reference)| AuditEntry {
                id,
                at,
                who: who.unwrap_or_else(|| BY_APP.to_owned()),
                action,
                reference,
            })
            .collect())
    }
}

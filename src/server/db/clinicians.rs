//! Clinicians, their sessions and the audit trail.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::audit::{Audit, AuditAction};
use super::{with_pool, Db};

/// Primary key of a clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClinicianId(pub i64);

/// What a clinician may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Clinician,
    /// Sees and assigns submissions, books and refers; does not administer accounts (what a
    /// clinician may do, under another name, and no consults of their own unless given hours).
    Coordinator,
}

impl Role {
    /// A clinical account: the safety decisions (booking together through a hold, "spoke with
    /// them privately", booking outside the recommendation) are theirs, not an intake
    /// coordinator's (`docs/safety.md`).
    pub fn is_clinical(self) -> bool {
        matches!(self, Role::Admin | Role::Clinician)
    }

    /// The `role` column: a coordinator is a non-admin account.
    fn column(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinician | Role::Coordinator => "clinician",
        }
    }

    /// The `title` column.
    fn title(self) -> &'static str {
        match self {
            Role::Coordinator => "intake_coordinator",
            Role::Admin | Role::Clinician => "clinician",
        }
    }

    /// The form value and the name the workspace shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinician => "clinician",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Clinician => "Clinician",
            Role::Coordinator => "Intake coordinator",
        }
    }

    /// What the account creation form sends; anything unknown is the least privileged role.
    pub fn from_form(raw: &str) -> Self {
        match raw {
            "admin" => Role::Admin,
            "coordinator" => Role::Coordinator,
            _ => Role::Clinician,
        }
    }

    fn parse(role: &str, title: &str) -> Result<Self, sqlx::Error> {
        match (role, title) {
            ("admin", _) => Ok(Role::Admin),
            ("clinician", "intake_coordinator") => Ok(Role::Coordinator),
            ("clinician", _) => Ok(Role::Clinician),
            (other, _) => Err(sqlx::Error::Decode(
                format!("unknown role {other:?}").into(),
            )),
        }
    }
}

/// A clinician account. The password hash is deliberately not part of it.
#[derive(Debug, Clone)]
pub struct Clinician {
    pub id: ClinicianId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// What logging in needs to know about an account.
pub struct LoginRecord {
    pub clinician: Clinician,
    /// PHC string (`$argon2id$…`). Never logged, never sent anywhere.
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

// Not Debug-derived: the hash stays out of any log line.
impl std::fmt::Debug for LoginRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRecord")
            .field("clinician", &self.clinician)
            .finish_non_exhaustive()
    }
}

const CLINICIAN_COLUMNS: &str = "id, email, display_name, role, title, active";

fn clinician_from_row<R>(row: &R) -> Result<Clinician, sqlx::Error>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i16: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(Clinician {
        id: ClinicianId(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(
            &row.try_get::<String, _>("role")?,
            &row.try_get::<String, _>("title")?,
        )?,
        active: row.try_get::<i16, _>("active")? == 1,
    })
}

impl Db {
    /// Adds a clinician. Fails with a unique violation when the email is taken.
    /// Creates an account; `audit` (an admin's, or none from the command line) is written
    /// with it.
    pub async fn create_clinician(
        &self,
        email: &str,
        display_name: &str,
        password_hash: &str,
        role: Role,
        now: DateTime<Utc>,
        by: Option<ClinicianId>,
    ) -> Result<ClinicianId, sqlx::Error> {
        let sql = "insert into clinicians \
                   (email, display_name, password_hash, role, title, active, failed_logins, \
                   created_at, updated_at) \
                   values ($1, $2, $3, $4, $6, 1, 0, $5, $5) returning id";
        let id: i64 = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar(sql)
                .bind(email)
                .bind(display_name)
                .bind(password_hash)
                .bind(role.column())
                .bind(now)
                .bind(role.title())
                .fetch_one(&mut *tx)
                .await?;
            if let Some(by) = by {
                let action = AuditAction::CreateClinician { clinician: id };
                super::audit::write(&mut *tx, &Audit::new(by, action, None, now)).await?;
            }
            tx.commit().await?;
            id
        });
        Ok(ClinicianId(id))
    }

    /// The account an email logs in to, with what the login check needs.
    pub async fn login_record(&self, email: &str) -> Result<Option<LoginRecord>, sqlx::Error> {
        let sql = format!(
            "select {CLINICIAN_COLUMNS}, password_hash, failed_logins, locked_until \
             from clinicians where email = $1"
        );
        with_pool!(self, pool => {
            let Some(row) = sqlx::query(&sql).bind(email).fetch_optional(pool).await? else {
                return Ok(None);
            };
            Ok(Some(LoginRecord {
                clinician: clinician_from_row(&row)?,
                password_hash: row.try_get("password_hash")?,
                failed_logins: row.try_get("failed_logins")?,
                locked_until: row.try_get("locked_until")?,
            }))
        })
    }

    pub async fn clinician(&self, id: ClinicianId) -> Result<Option<Clinician>, sqlx::Error> {
        let sql = format!("select {CLINICIAN_COLUMNS} from clinicians where id = $1");
        with_pool!(self, pool => {
            match sqlx::query(&sql).bind(id.0).fetch_optional(pool).await? {
                Some(row) => Ok(Some(clinician_from_row(&row)?)),
                None => Ok(None),
            }
        })
    }

    /// Counts a failed login, atomically (parallel guesses each count), unless the account is
    /// locked now: failures during a lock neither count nor extend it, so a lock always ends
    /// on time. `lock_for(failures)` says how long the count locks the account; when a lock
    /// starts, `notice(until)` (the owner's message) is queued in the same transaction.
    /// Returns the new count, or `None` when it was locked.
    pub async fn record_failed_login(
        &self,
        id: ClinicianId,
        lock_for: impl Fn(i32) -> Option<chrono::Duration>,
        notice: impl Fn(DateTime<Utc>) -> Option<super::NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<Option<i32>, sqlx::Error> {
        let count = "update clinicians set failed_logins = failed_logins + 1, updated_at = $2 \
                     where id = $1 and (locked_until is null or locked_until <= $2) \
                     returning failed_logins";
        let lock = "update clinicians set locked_until = $2 where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let failures: Option<i32> = sqlx::query_scalar(count)
                .bind(id.0)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(until) = failures.and_then(&lock_for).map(|d| now + d) {
                sqlx::query(lock).bind(id.0).bind(until).execute(&mut *tx).await?;
                if let Some(email) = notice(until) {
                    super::outbox::queue(&mut *tx, &self.sealer, &email, now, (None, None)).await?;
                }
            }
            tx.commit().await?;
            Ok(failures)
        })
    }

    /// Lifts a lock (an admin, or the CLI with `audit` `None`).
    pub async fn unlock_clinician(
        &self,
        id: ClinicianId,
        now: DateTime<Utc>,
        audit: Option<&super::Audit>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update clinicians set failed_logins = 0, locked_until = null, updated_at = $2 \
                   where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql).bind(id.0).bind(now).execute(&mut *tx).await?;
            if let (1, Some(audit)) = (done.rows_affected(), audit) {
                super::audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// When each locked account's lock ends, by account (for the clinicians page).
    pub async fn locks(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(ClinicianId, DateTime<Utc>)>, sqlx::Error> {
        let sql = "select id, locked_until from clinicians where locked_until > $1";
        let rows: Vec<(i64, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(now).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, t)| (ClinicianId(id), t))
            .collect())
    }

    pub async fn reset_failed_logins(
        &self,
        id: ClinicianId,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "update clinicians set failed_logins = 0, locked_until = null, updated_at = $2 \
                   where id = $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(id.0).bind(now).execute(pool).await?;
        });
        Ok(())
    }
}

impl Db {
    /// Every account, admins first, then by name.
    pub async fn clinicians(&self) -> Result<Vec<Clinician>, sqlx::Error> {
        let sql =
            format!("select {CLINICIAN_COLUMNS} from clinicians order by role, display_name, id");
        with_pool!(self, pool => {
            let rows = sqlx::query(&sql).fetch_all(pool).await?;
            rows.iter().map(clinician_from_row).collect()
        })
    }

    /// Activates or deactivates an account, with its audit row.
    pub async fn set_clinician_active(
        &self,
        id: ClinicianId,
        active: bool,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "update clinicians set active = $2, updated_at = $3 where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(id.0).bind(i16::from(active)).bind(now).execute(&mut *tx).await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The stored hash, for checking the current password before a change.
    pub async fn password_hash(&self, id: ClinicianId) -> Result<Option<String>, sqlx::Error> {
        let sql = "select password_hash from clinicians where id = $1";
        let hash = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(id.0).fetch_optional(pool).await?
        });
        Ok(hash)
    }

    /// Sets a new password hash, with its audit row, and forgets the account's known browsers.
    pub async fn set_password_hash(
        &self,
        id: ClinicianId,
        hash: &str,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "update clinicians set password_hash = $2, updated_at = $3 where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql).bind(id.0).bind(hash).bind(now).execute(&mut *tx).await?;
            sqlx::query(super::devices::FORGET_DEVICES).bind(id.0).execute(&mut *tx).await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

impl Db {
    /// Every clinician's profile that has been written (others are [`Profile::default`]).
    pub async fn clinician_profiles(
        &self,
    ) -> Result<std::collections::HashMap<ClinicianId, crate::domain::routing::Profile>, sqlx::Error>
    {
        use crate::domain::routing::{ConsultFormat, Profile, Specialty};
        let sql = "select clinician_id, specialties, languages, accepting_couples = 1, \
                   consult_format, consult_place from clinician_profiles";
        type Row = (i64, String, String, bool, String, String);
        let rows: Vec<Row> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, specialties, languages, accepting, format, place)| {
                (
                    ClinicianId(id),
                    Profile {
                        specialties: Specialty::split(&specialties),
                        languages,
                        accepting_couples: accepting,
                        format: ConsultFormat::parse(&format).unwrap_or(ConsultFormat::InPerson),
                        place,
                    },
                )
            })
            .collect())
    }

    /// Writes a clinician's profile, with its audit row.
    pub async fn save_clinician_profile(
        &self,
        id: ClinicianId,
        profile: &crate::domain::routing::Profile,
        audit: &super::Audit,
    ) -> Result<(), sqlx::Error> {
        use crate::domain::routing::Specialty;
        let sql = "insert into clinician_profiles (clinician_id, specialties, languages, \
                   accepting_couples, consult_format, consult_place, updated_at) \
                   values ($1, $2, $3, $4, $5, $6, $7) on conflict (clinician_id) do update set \
                   specialties = excluded.specialties, languages = excluded.languages, \
                   accepting_couples = excluded.accepting_couples, \
                   consult_format = excluded.consult_format, \
                   consult_place = excluded.consult_place, updated_at = excluded.updated_at";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(id.0)
                .bind(Specialty::join(&profile.specialties))
                .bind(profile.languages.clone())
                .bind(i16::from(profile.accepting_couples))
                .bind(profile.format.as_str())
                .bind(profile.place.clone())
                .bind(audit.at)
                .execute(&mut *tx)
                .await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

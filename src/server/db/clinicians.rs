//! Clinicians, their sessions and the audit trail.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::audit::Audit;
use super::{with_pool, Db};

/// Primary key of a clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClinicianId(pub i64);

/// What a clinician may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Clinician,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinician => "clinician",
        }
    }

    fn parse(s: &str) -> Result<Self, sqlx::Error> {
        match s {
            "admin" => Ok(Role::Admin),
            "clinician" => Ok(Role::Clinician),
            other => Err(sqlx::Error::Decode(
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

const CLINICIAN_COLUMNS: &str = "id, email, display_name, role, active";

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
        role: Role::parse(&row.try_get::<String, _>("role")?)?,
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
        audit: Option<&Audit>,
    ) -> Result<ClinicianId, sqlx::Error> {
        let sql = "insert into clinicians \
                   (email, display_name, password_hash, role, active, failed_logins, created_at, updated_at) \
                   values ($1, $2, $3, $4, 1, 0, $5, $5) returning id";
        let id: i64 = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = sqlx::query_scalar(sql)
                .bind(email)
                .bind(display_name)
                .bind(password_hash)
                .bind(role.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            if let Some(audit) = audit {
                super::audit::write(&mut *tx, audit).await?;
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

    /// Counts a failed login and, past the threshold, locks the account until `locked_until`.
    pub async fn record_failed_login(
        &self,
        id: ClinicianId,
        failed_logins: i32,
        locked_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let sql = "update clinicians set failed_logins = $2, locked_until = $3, updated_at = $4 \
                   where id = $1";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(id.0)
                .bind(failed_logins)
                .bind(locked_until)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
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

    /// Sets a new password hash, with its audit row.
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
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

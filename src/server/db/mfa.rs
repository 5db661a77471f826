//! Two-step sign-in records: each account's secret (sealed) and its recovery codes (hashed).

use chrono::{DateTime, Utc};

use super::audit::{self, Audit};
use super::seal::Field;
use super::{with_pool, ClinicianId, Db};

/// An account's two-step sign-in, as stored.
#[derive(Debug, Clone)]
pub struct StoredMfa {
    /// Base32, as the authenticator app was given it.
    pub secret: String,
    /// When it was turned on; `None` while it is being set up.
    pub enabled_at: Option<DateTime<Utc>>,
}

impl Db {
    pub async fn mfa(&self, clinician: ClinicianId) -> Result<Option<StoredMfa>, sqlx::Error> {
        let sql = "select secret, enabled_at from clinician_mfa where clinician_id = $1";
        let row: Option<(String, Option<DateTime<Utc>>)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(clinician.0).fetch_optional(pool).await?
        });
        row.map(|(secret, enabled_at)| {
            Ok(StoredMfa {
                secret: self.sealer.open(Field::TotpSecret, secret)?,
                enabled_at,
            })
        })
        .transpose()
    }

    /// The accounts that sign in with a code as well as their password.
    pub async fn mfa_accounts(&self) -> Result<Vec<ClinicianId>, sqlx::Error> {
        let sql = "select clinician_id from clinician_mfa where enabled_at is not null";
        let ids: Vec<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(sql).fetch_all(pool).await?
        });
        Ok(ids.into_iter().map(ClinicianId).collect())
    }

    /// Whether the account signs in with a code as well as its password.
    pub async fn mfa_enabled(&self, clinician: ClinicianId) -> Result<bool, sqlx::Error> {
        Ok(self
            .mfa(clinician)
            .await?
            .is_some_and(|m| m.enabled_at.is_some()))
    }

    /// Starts setting up (or starts again with) `secret`; an account that has it on keeps
    /// its own.
    pub async fn begin_mfa(&self, clinician: ClinicianId, secret: &str) -> Result<(), sqlx::Error> {
        let sealed = self.sealer.seal(Field::TotpSecret, secret)?;
        let sql = "insert into clinician_mfa (clinician_id, secret, last_step) values ($1, $2, 0) \
                   on conflict (clinician_id) do update set secret = excluded.secret, last_step = 0 \
                   where clinician_mfa.enabled_at is null";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(clinician.0).bind(&sealed).execute(pool).await?;
        });
        Ok(())
    }

    /// Turns it on, with the step of the code that proved the app works and new recovery codes
    /// (their hashes), audited. `false` if it was not being set up.
    pub async fn enable_mfa(
        &self,
        clinician: ClinicianId,
        step: i64,
        code_hashes: &[String],
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        let enable = "update clinician_mfa set enabled_at = $2, last_step = $3 \
                      where clinician_id = $1 and enabled_at is null";
        let clear = "delete from recovery_codes where clinician_id = $1";
        let add = "insert into recovery_codes (clinician_id, code_hash) values ($1, $2)";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(enable)
                .bind(clinician.0)
                .bind(audit.at)
                .bind(step)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(clear).bind(clinician.0).execute(&mut *tx).await?;
            for hash in code_hashes {
                sqlx::query(add).bind(clinician.0).bind(hash).execute(&mut *tx).await?;
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Takes the code of `step` if no code of that step or a later one was taken before: the
    /// same code never works twice, even from two requests at once.
    pub async fn take_mfa_step(
        &self,
        clinician: ClinicianId,
        step: i64,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update clinician_mfa set last_step = $2 \
                   where clinician_id = $1 and enabled_at is not null and last_step < $2";
        let done = with_pool!(self, pool => {
            sqlx::query(sql).bind(clinician.0).bind(step).execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// Uses up the recovery code with `hash`, once.
    pub async fn take_recovery_code(
        &self,
        clinician: ClinicianId,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update recovery_codes set used_at = $3 \
                   where clinician_id = $1 and code_hash = $2 and used_at is null";
        let done = with_pool!(self, pool => {
            let query = sqlx::query(sql).bind(clinician.0).bind(hash).bind(now);
            query.execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// New recovery codes (their hashes) instead of the old ones.
    pub async fn replace_recovery_codes(
        &self,
        clinician: ClinicianId,
        code_hashes: &[String],
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let clear = "delete from recovery_codes where clinician_id = $1";
        let add = "insert into recovery_codes (clinician_id, code_hash) values ($1, $2)";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(clear).bind(clinician.0).execute(&mut *tx).await?;
            for hash in code_hashes {
                sqlx::query(add).bind(clinician.0).bind(hash).execute(&mut *tx).await?;
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Recovery codes not used yet.
    pub async fn recovery_codes_left(&self, clinician: ClinicianId) -> Result<i64, sqlx::Error> {
        let sql = "select count(*) from recovery_codes where clinician_id = $1 and used_at is null";
        let n = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(clinician.0).fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Turns it off (the owner, or an admin for an account whose phone is lost), audited; the
    /// account's known browsers are forgotten with it.
    pub async fn remove_mfa(
        &self,
        clinician: ClinicianId,
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        let remove = "delete from clinician_mfa where clinician_id = $1";
        let codes = "delete from recovery_codes where clinician_id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(remove).bind(clinician.0).execute(&mut *tx).await?;
            sqlx::query(codes).bind(clinician.0).execute(&mut *tx).await?;
            sqlx::query(super::devices::FORGET_DEVICES).bind(clinician.0).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(true)
    }
}

//! Who looks after each submission (a couple's two share one owner).

use super::{with_pool, Audit, ClinicianId, Db, SubmissionId};

impl Db {
    /// Gives a submission to `owner` (or to nobody), with its partner's when it is part of a
    /// couple (a couple has one owner), and writes `audit` in the same transaction. `false`
    /// when there is no such submission.
    pub async fn assign_owner(
        &self,
        submission: SubmissionId,
        owner: Option<ClinicianId>,
        audit: &Audit,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update submissions set owner_id = $2 where id = $1 \
                   or (couple_id is not null \
                   and couple_id = (select couple_id from submissions where id = $1))";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(sql)
                .bind(submission.0)
                .bind(owner.map(|o| o.0))
                .execute(&mut *tx)
                .await?;
            if changed.rows_affected() == 0 {
                return Ok(false);
            }
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Who owns a submission.
    pub async fn owner_of(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<ClinicianId>, sqlx::Error> {
        let sql = "select owner_id from submissions where id = $1";
        let owner: Option<Option<i64>> = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(submission.0).fetch_optional(pool).await?
        });
        Ok(owner.flatten().map(ClinicianId))
    }
}

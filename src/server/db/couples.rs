//! Couples, partner B's invitation, and each partner's private safety screen.
//!
//! Privacy rule: nothing here returns one partner's data to a query keyed by the other's
//! token. The client side only ever asks "which couple and role is *this* submission", and the
//! server decides what a partner may see from that (the joint summary, the booking offer).

use chrono::{DateTime, Utc};

use super::outbox;
use super::safety::{refresh_safety_flags, SUBMISSION_AND_PARTNER};
use super::seal::Field;
use super::submissions::SubmissionId;
use super::{with_pool, Db, NewEmail};
use crate::domain::couple::{CheckInTier, CheckInVersion, PartnerRole, SafetyScreen};
use crate::domain::safe_contact::SafeContact;

/// Primary key of a couple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoupleId(pub i64);

/// Partner B's invitation, as stored.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub couple: CoupleId,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    /// What its secret is derived from with partner A's link (`None`: made before nonces).
    pub nonce: Option<String>,
}

/// How asking to email an invitation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationEmail {
    Queued,
    /// Closed, or emailed as often as one invitation may be.
    InvitationLimit,
    /// The practice has sent as many invitations as it may in a day, or this device its share
    /// of them.
    DailyLimit,
}

/// How many partner invitations the practice emails in a day: in all, and for one device
/// (a tenth of that, at least five), so one device cannot use up everyone's.
pub fn invitation_share(per_day: i64) -> i64 {
    (per_day / 10).max(5)
}

/// How opening an invitation ended.
#[derive(Debug)]
pub enum JoinOutcome {
    /// Partner B's new submission.
    Joined(SubmissionId),
    /// Already used: partner B has their own private link.
    Used,
    Expired,
    NotFound,
}

type InvitationRow = (i64, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);

fn invitation_from_row((couple, expires_at, used_at, nonce): InvitationRow) -> Invitation {
    Invitation {
        couple: CoupleId(couple),
        expires_at,
        used: used_at.is_some(),
        nonce,
    }
}

fn role(raw: &str) -> Result<PartnerRole, sqlx::Error> {
    PartnerRole::parse(raw).ok_or_else(|| sqlx::Error::Decode(format!("partner {raw:?}").into()))
}

impl Db {
    /// Partner A's invitation for B: creates the couple on first use (A's submission becomes
    /// partner A), and renews an expired, unused invitation. A new or renewed invitation takes
    /// `fresh` (its nonce, and the hash of the secret derived from it), so it never reopens a
    /// link that was sent before. Returns the invitation as stored.
    pub async fn ensure_invitation(
        &self,
        submission: SubmissionId,
        fresh: (&str, &str),
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Invitation, sqlx::Error> {
        let (nonce, token_hash) = fresh;
        let couple_of = "select couple_id from submissions where id = $1";
        let new_couple = "insert into couples (created_at) values ($1) returning id";
        let join_a = "update submissions set couple_id = $2, partner = 'a' where id = $1";
        let existing = "select expires_at, used_at, nonce from invitations where couple_id = $1";
        let insert =
            "insert into invitations (couple_id, token_hash, nonce, expires_at, created_at) \
                      values ($1, $2, $3, $4, $5)";
        let renew = "update invitations set expires_at = $2, token_hash = $4, nonce = $5 \
                     where couple_id = $1 and used_at is null and expires_at <= $3";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // Writing first takes the write lock on SQLite, so two clicks cannot make two couples.
            sqlx::query("update submissions set updated_at = updated_at where id = $1")
                .bind(submission.0)
                .execute(&mut *tx)
                .await?;
            let couple: Option<i64> = sqlx::query_scalar(couple_of)
                .bind(submission.0)
                .fetch_one(&mut *tx)
                .await?;
            let couple = match couple {
                Some(id) => id,
                None => {
                    let id: i64 = sqlx::query_scalar(new_couple).bind(now).fetch_one(&mut *tx).await?;
                    sqlx::query(join_a).bind(submission.0).bind(id).execute(&mut *tx).await?;
                    id
                }
            };
            type Row = (DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);
            let row: Option<Row> =
                sqlx::query_as(existing).bind(couple).fetch_optional(&mut *tx).await?;
            let invitation = match row {
                None => {
                    sqlx::query(insert)
                        .bind(couple)
                        .bind(token_hash)
                        .bind(nonce)
                        .bind(expires_at)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    Invitation {
                        couple: CoupleId(couple),
                        expires_at,
                        used: false,
                        nonce: Some(nonce.to_owned()),
                    }
                }
                Some((old_expiry, used_at, old_nonce)) => {
                    let renewed = used_at.is_none() && old_expiry <= now;
                    if renewed {
                        sqlx::query(renew)
                            .bind(couple)
                            .bind(expires_at)
                            .bind(now)
                            .bind(token_hash)
                            .bind(nonce)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Invitation {
                        couple: CoupleId(couple),
                        expires_at: if renewed { expires_at } else { old_expiry },
                        used: used_at.is_some(),
                        nonce: if renewed { Some(nonce.to_owned()) } else { old_nonce },
                    }
                }
            };
            tx.commit().await?;
            Ok(invitation)
        })
    }

    /// The invitation of `couple`, if partner A has one.
    pub async fn invitation_of_couple(
        &self,
        couple: CoupleId,
    ) -> Result<Option<Invitation>, sqlx::Error> {
        let sql = "select couple_id, expires_at, used_at, nonce from invitations \
                   where couple_id = $1";
        let row: Option<InvitationRow> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(couple.0).fetch_optional(pool).await?
        });
        Ok(row.map(invitation_from_row))
    }

    /// Queues `email` (the invitation, to partner B) if the invitation is still open, has been
    /// emailed fewer than `per_invitation` times, and the practice has sent fewer than
    /// `per_day` invitations in the last 24 hours.
    pub async fn email_invitation(
        &self,
        token_hash: &str,
        (per_invitation, per_day): (i32, i64),
        sender: std::net::IpAddr,
        email: &NewEmail,
        now: DateTime<Utc>,
    ) -> Result<InvitationEmail, sqlx::Error> {
        let sender = self.sealer.address_tag(&sender.to_string());
        let from_sender = "select count(*) from outbox where kind = 'partner_invitation' \
                           and created_at > $1 and sender = $2";
        let tag = "update outbox set sender = $2 where message_id = $1";
        let count = "update invitations set emails_sent = emails_sent + 1 \
                     where token_hash = $1 and used_at is null and expires_at > $2 \
                     and emails_sent < $3";
        let today = "select count(*) from outbox where kind = 'partner_invitation' \
                     and created_at > $1";
        let inviter = "select s.id from invitations i join submissions s \
                       on s.couple_id = i.couple_id and s.partner = 'a' where i.token_hash = $1";
        with_pool!(self, pool => {
            // Writing first takes SQLite's write lock before anything is read.
            let mut tx = pool.begin().await?;
            let counted = sqlx::query(count)
                .bind(token_hash)
                .bind(now)
                .bind(per_invitation)
                .execute(&mut *tx)
                .await?;
            if counted.rows_affected() == 0 {
                return Ok(InvitationEmail::InvitationLimit);
            }
            let sent: i64 = sqlx::query_scalar(today)
                .bind(now - chrono::Duration::hours(24))
                .fetch_one(&mut *tx)
                .await?;
            let mine: i64 = sqlx::query_scalar(from_sender)
                .bind(now - chrono::Duration::hours(24))
                .bind(&sender)
                .fetch_one(&mut *tx)
                .await?;
            if sent >= per_day || mine >= invitation_share(per_day) {
                return Ok(InvitationEmail::DailyLimit);
            }
            // Tied to partner A's questionnaire, so it goes if either partner is erased.
            let inviter: Option<i64> = sqlx::query_scalar(inviter)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
            outbox::queue(&mut *tx, &self.sealer, email, now, (None, inviter)).await?;
            sqlx::query(tag).bind(&email.message_id).bind(&sender).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(InvitationEmail::Queued)
    }

    /// The invitation a secret's hash names, if any.
    pub async fn invitation_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, sqlx::Error> {
        let sql = "select couple_id, expires_at, used_at, nonce from invitations \
                   where token_hash = $1";
        let row: Option<InvitationRow> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await?
        });
        Ok(row.map(invitation_from_row))
    }

    /// Partner B accepts: the invitation is used up and B's own submission is created in the
    /// couple, atomically (two clicks make one partner B).
    pub async fn join_couple(
        &self,
        token_hash: &str,
        reference: &str,
        resume_token_hash: &str,
        instrument_version: u32,
        now: DateTime<Utc>,
    ) -> Result<JoinOutcome, sqlx::Error> {
        let claim = "update invitations set used_at = $2 \
                     where token_hash = $1 and used_at is null and expires_at > $2 \
                     returning couple_id";
        let create = "insert into submissions (reference, resume_token_hash, instrument_version, \
                      status, created_at, updated_at, couple_id, partner) \
                      values ($1, $2, $3, 'in_progress', $4, $4, $5, 'b') returning id";
        let version = i32::try_from(instrument_version)
            .map_err(|_| sqlx::Error::Decode("instrument version".into()))?;
        let joined: Option<i64> = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let couple: Option<i64> = sqlx::query_scalar(claim)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            match couple {
                None => None,
                Some(couple) => {
                    let id: i64 = sqlx::query_scalar(create)
                        .bind(reference)
                        .bind(resume_token_hash)
                        .bind(version)
                        .bind(now)
                        .bind(couple)
                        .fetch_one(&mut *tx)
                        .await?;
                    // Partner A's positive check-in flags B from the start.
                    sqlx::query(&refresh_safety_flags(SUBMISSION_AND_PARTNER))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Some(id)
                }
            }
        });
        if let Some(id) = joined {
            return Ok(JoinOutcome::Joined(SubmissionId(id)));
        }
        Ok(match self.invitation_by_hash(token_hash).await? {
            None => JoinOutcome::NotFound,
            Some(i) if i.used => JoinOutcome::Used,
            Some(_) => JoinOutcome::Expired,
        })
    }

    /// Dissolves a couple whose invitation is unused: the invitation and the couple go, and
    /// partner A's submission is on its own again. `false` when partner B has started.
    pub async fn withdraw_invitation(
        &self,
        couple: CoupleId,
        partner_a: SubmissionId,
    ) -> Result<bool, sqlx::Error> {
        let unused = "delete from invitations where couple_id = $1 and used_at is null";
        let alone = "update submissions set couple_id = null, partner = null where id = $1";
        let gone = "delete from couples where id = $1";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let deleted = sqlx::query(unused).bind(couple.0).execute(&mut *tx).await?;
            if deleted.rows_affected() == 0 {
                return Ok(false);
            }
            sqlx::query(alone).bind(partner_a.0).execute(&mut *tx).await?;
            sqlx::query(gone).bind(couple.0).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(true)
    }

    /// The couple and role of a submission, if it belongs to one.
    pub async fn couple_of(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<(CoupleId, PartnerRole)>, sqlx::Error> {
        let sql = "select couple_id, partner from submissions where id = $1 \
                   and couple_id is not null";
        let row: Option<(i64, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_optional(pool).await?
        });
        row.map(|(couple, partner)| Ok((CoupleId(couple), role(&partner)?)))
            .transpose()
    }

    /// The submission of `role` in `couple`, if that partner has started. Server-side only: a
    /// partner's pages use it for joint decisions, never to show the other's data.
    pub async fn partner_submission(
        &self,
        couple: CoupleId,
        role: PartnerRole,
    ) -> Result<Option<SubmissionId>, sqlx::Error> {
        let sql = "select id from submissions where couple_id = $1 and partner = $2";
        let id: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(couple.0).bind(role.as_str()).fetch_optional(pool).await?
        });
        Ok(id.map(SubmissionId))
    }

    /// Stores a client's private check-in, once, with the safe way to reach them (when they
    /// gave any of it); `review` (the practice's "needs review" message, for a positive one) is
    /// queued in the same transaction. `false` when one was stored already (then nothing is
    /// stored or queued). `leaving`: whether their own questionnaire says they are leaving,
    /// which the stored tier reads (`SafetyScreen::tier_for`).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_safety_screen(
        &self,
        submission: SubmissionId,
        screen: &SafetyScreen,
        leaving: bool,
        contact: &SafeContact,
        review: Option<&NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let answers = self.sealer.seal(Field::CheckIn, &screen.answers_json())?;
        let sql = "insert into safety_screens \
                   (submission_id, answers, positive, created_at, version, urgent) \
                   values ($1, $2, $3, $4, $5, $6) on conflict (submission_id) do nothing";
        let positive = i16::from(screen.is_positive());
        let urgent = i16::from(screen.tier_for(leaving) == Some(CheckInTier::Urgent));
        let done = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql)
                .bind(submission.0)
                .bind(&answers)
                .bind(positive)
                .bind(now)
                .bind(screen.version().number())
                .bind(urgent)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                if screen.is_positive() {
                    sqlx::query(&refresh_safety_flags(SUBMISSION_AND_PARTNER))
                        .bind(submission.0)
                        .execute(&mut *tx)
                        .await?;
                }
                if !contact.is_empty() {
                    super::safety::write_safe_contact(&mut *tx, &self.sealer, submission, contact, now).await?;
                }
                if let Some(email) = review {
                    outbox::queue(&mut *tx, &self.sealer, email, now, (None, Some(submission.0))).await?;
                }
            }
            tx.commit().await?;
            done
        });
        Ok(done == 1)
    }

    /// A partner's safety screen, if answered.
    /// When this submission's private check-in was given, if it was.
    pub async fn check_in_at(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        let sql = "select created_at from safety_screens where submission_id = $1";
        Ok(with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(submission.0).fetch_optional(pool).await?
        }))
    }

    pub async fn safety_screen(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<SafetyScreen>, sqlx::Error> {
        let sql = "select answers, version from safety_screens where submission_id = $1";
        let row: Option<(String, i32)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(submission.0).fetch_optional(pool).await?
        });
        row.map(|(answers, version)| {
            let answers = self.sealer.open(Field::CheckIn, answers)?;
            CheckInVersion::from_number(i64::from(version))
                .and_then(|version| SafetyScreen::from_stored(version, &answers))
                .ok_or_else(|| sqlx::Error::Decode("a stored check-in does not read".into()))
        })
        .transpose()
    }
}

/// One intake in the workspace's needs-review queue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewItem {
    pub reference: String,
    pub urgent: bool,
    /// When the check-in was answered.
    pub checked_in_at: DateTime<Utc>,
    /// Tries to reach them that did not (yet) get to speak with them.
    pub tries: i64,
}

/// A finished intake whose private check-in was never answered.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckInMissing {
    pub reference: String,
    pub submitted_at: DateTime<Utc>,
}

/// An urgent check-in that nobody has spoken with the client about, and that no escalation
/// has gone out for yet.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UrgentWaiting {
    pub submission_id: i64,
    pub reference: String,
    pub checked_in_at: DateTime<Utc>,
}

impl Db {
    /// Urgent check-ins still waiting for a first conversation, with no escalation sent, the
    /// longest waiting first (at most 200: there are never that many).
    pub async fn urgent_unescalated(&self) -> Result<Vec<UrgentWaiting>, sqlx::Error> {
        let sql = "select sc.submission_id, s.reference, sc.created_at as checked_in_at \
                   from safety_screens sc join submissions s on s.id = sc.submission_id \
                   where sc.positive = 1 and sc.urgent = 1 and sc.spoke = 0 \
                   and sc.escalated_at is null order by sc.created_at limit 200";
        Ok(with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_all(pool).await?
        }))
    }

    /// Marks an urgent check-in escalated and queues `email` in the same transaction, once:
    /// `false` when it was escalated already (by this instance or another), and then nothing
    /// is queued.
    pub async fn escalate_review(
        &self,
        submission: SubmissionId,
        email: &NewEmail,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update safety_screens set escalated_at = $1 \
                   where submission_id = $2 and escalated_at is null";
        Ok(with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(sql)
                .bind(now)
                .bind(submission.0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if done {
                outbox::queue(&mut *tx, &self.sealer, email, now, (None, Some(submission.0))).await?;
            }
            tx.commit().await?;
            done
        }))
    }

    /// Intakes finished between `after` and `before` whose private check-in was never
    /// answered, still open in the practice's workflow, the longest waiting first, `limit` at
    /// most. The window keeps the read to recent intakes (the index on `submitted_at`).
    pub async fn check_ins_missing(
        &self,
        after: DateTime<Utc>,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<CheckInMissing>, sqlx::Error> {
        let sql = format!(
            "select s.reference, s.submitted_at from submissions s \
             where s.status = 'submitted' and s.submitted_at > $1 and s.submitted_at <= $2 \
             and s.workflow not in ('referred_out', 'closed') \
             and not exists (select 1 from safety_screens sc where sc.submission_id = s.id) \
             order by s.submitted_at, s.id limit {limit}"
        );
        Ok(with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(after).bind(before).fetch_all(pool).await?
        }))
    }

    /// Intakes whose private check-in asks for a clinician's review and whose client no
    /// clinician has spoken with yet: urgent first, then the longest waiting, `limit` at most.
    pub async fn review_queue(&self, limit: u32) -> Result<Vec<ReviewItem>, sqlx::Error> {
        // The limit in the text, not bound, so PostgreSQL plans it once, not on every page (as
        // for the list, `submissions_page`).
        let sql = format!(
            "select s.reference, sc.urgent = 1 as urgent, sc.created_at as checked_in_at, \
             (select count(*) from first_contacts f where f.submission_id = s.id) as tries \
             from safety_screens sc join submissions s on s.id = sc.submission_id \
             where sc.positive = 1 and sc.spoke = 0 \
             order by sc.urgent desc, sc.created_at, sc.submission_id limit {limit}"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        Ok(rows)
    }
}

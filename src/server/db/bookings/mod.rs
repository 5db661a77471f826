//! Consult settings, clinicians' availability, and bookings.
//!
//! Double booking is impossible by construction. Every booking transaction first bumps the
//! clinician's `calendar_version`: on SQLite that write takes the database's write lock (waiting
//! through the busy timeout, never failing with SQLITE_BUSY, because no read came first); on
//! PostgreSQL it takes the clinician's row lock. Bookings of one calendar are therefore
//! serialised, and each re-checks the slot against the bookings committed before it. The partial
//! unique index `bookings_one_per_slot` backs this up in the schema itself.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

mod limits;
mod rows;

use super::clinicians::ClinicianId;
use super::constraint::Unique;
use super::outbox;
use super::seal::Field;
use super::submissions::SubmissionId;
use super::workflow;
use super::{with_pool, Audit, Db, NewEmail};
use crate::domain::booking::{Busy, ConsultRules, ConsultSlot, WeeklyHours};
use crate::domain::workflow::BookingChange;
use rows::{booking_from_row, calendar_from_row, corrupt, BookingRow, BOOKING_COLUMNS};

/// Primary key of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingId(pub i64);

/// Whether a booked consult still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingStatus {
    Booked,
    Cancelled,
}

/// A consult as the client's and the clinician's pages show it.
#[derive(Debug, Clone)]
pub struct Booking {
    pub id: BookingId,
    pub submission_id: SubmissionId,
    pub reference: String,
    pub clinician_id: ClinicianId,
    pub clinician_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub practice_zone: String,
    pub client_zone: String,
    pub client_name: String,
    pub client_email: String,
    pub client_phone: String,
    pub status: BookingStatus,
    /// The calendar file's SEQUENCE: 0 when booked, bumped at each change.
    pub sequence: i32,
    /// The key it was booked with; it also names the booking in calendar files.
    pub request_key: String,
    /// The couple's consult, together (else one client's own).
    pub for_couple: bool,
    /// Why it went to its clinician (`None` for consults booked before routing existed).
    pub routing: Option<crate::domain::routing::Routing>,
}

/// A clinician who offers consults, with their regular week.
#[derive(Debug, Clone)]
pub struct ClinicianCalendar {
    pub clinician_id: ClinicianId,
    pub weekly: WeeklyHours,
    pub days_off: BTreeSet<NaiveDate>,
}

/// What a new booking stores, besides the slot and the clinician (chosen in the transaction).
#[derive(Clone, Copy)]
pub struct NewBooking<'a> {
    pub submission_id: SubmissionId,
    pub practice_zone: &'a str,
    pub client_zone: &'a str,
    pub client_name: &'a str,
    pub client_email: &'a str,
    pub client_phone: &'a str,
    pub manage_token_hash: &'a str,
    pub request_key: &'a str,
    /// The clinician who booked it for the client (by phone, say); `None` when the client
    /// booked online.
    pub booked_by: Option<ClinicianId>,
    /// The couple's consult, together: it is the other partner's consult too (one per couple),
    /// shows on their pages and moves their workflow. Otherwise this client's own.
    pub for_couple: bool,
    /// The audit row of a booking the practice made, written in the booking's transaction.
    pub audit: Option<&'a Audit>,
    /// A joint consult the practice booked while a safety hold is on: the clinician's reason,
    /// recorded (and audited) in the booking's transaction.
    pub hold_override: Option<&'a str>,
    /// Why it goes to the clinician whose calendar is tried (set per attempt).
    pub routing: Option<crate::domain::routing::Routing>,
}

/// How an attempt to book one clinician's calendar ended.
#[derive(Debug)]
pub enum BookAttempt {
    /// Booked; these messages were queued with it.
    Booked(BookingId),
    /// This request was already booked (a double click or a retry): the first booking.
    AlreadyDone(BookingId),
    /// The questionnaire already has a live booking.
    SubmissionHasBooking,
    /// The slot is not offered by this clinician any more (taken, or out of hours).
    NotOffered,
    /// The booking to move was cancelled meanwhile.
    Gone,
    /// The other partner of the couple has booked their consult together.
    PartnerHasBooking,
}

/// Decides, inside the locked transaction, whether the picked slot is still offered, given
/// the clinician's week and the bookings committed so far.
pub type SlotCheck<'a> = &'a (dyn Fn(&ClinicianCalendar, &[Busy]) -> Option<ConsultSlot> + Sync);

/// A reminder that has not gone out is withdrawn when its booking is moved or cancelled. (One
/// already claimed by the worker at that instant may still go out: it says only the old time.)
const WITHDRAW_REMINDERS: &str = "delete from outbox where booking_id = $1 \
    and kind = 'consult_reminder' and status = 'pending'";

impl Db {
    /// The practice's consult rules; the documented defaults until an admin sets them.
    pub async fn consult_rules(&self) -> Result<ConsultRules, sqlx::Error> {
        let sql = "select length_minutes, buffer_after_minutes, min_notice_minutes, horizon_days \
                   from consult_settings where id = 1";
        let row: Option<(i32, i32, i32, i32)> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_optional(pool).await?
        });
        let Some((length, buffer, notice, horizon)) = row else {
            return Ok(ConsultRules::default());
        };
        let minutes = |v: i32| u32::try_from(v).map_err(|_| corrupt("negative minutes".into()));
        ConsultRules::from_minutes(
            minutes(length)?,
            minutes(buffer)?,
            minutes(notice)?,
            minutes(horizon)?,
        )
        .map_err(|e| corrupt(e.to_string()))
    }

    pub async fn set_consult_rules(
        &self,
        rules: &ConsultRules,
        now: DateTime<Utc>,
        audit: &Audit,
    ) -> Result<(), sqlx::Error> {
        let sql = "insert into consult_settings \
                   (id, length_minutes, buffer_after_minutes, min_notice_minutes, horizon_days, \
                    created_at, updated_at) values (1, $1, $2, $3, $4, $5, $5) \
                   on conflict (id) do update set length_minutes = excluded.length_minutes, \
                   buffer_after_minutes = excluded.buffer_after_minutes, \
                   min_notice_minutes = excluded.min_notice_minutes, \
                   horizon_days = excluded.horizon_days, updated_at = excluded.updated_at";
        let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(n(rules.length_minutes()))
                .bind(n(rules.buffer_after_minutes()))
                .bind(n(rules.min_notice_minutes()))
                .bind(n(rules.horizon_days()))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            super::audit::write(&mut *tx, audit).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A clinician's week, if they offer consults.
    pub async fn calendar(
        &self,
        clinician: ClinicianId,
    ) -> Result<Option<ClinicianCalendar>, sqlx::Error> {
        let sql = "select clinician_id, weekly_hours, days_off from availability \
                   where clinician_id = $1";
        let row: Option<(i64, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(clinician.0).fetch_optional(pool).await?
        });
        row.map(|(id, weekly, off)| calendar_from_row(id, &weekly, &off))
            .transpose()
    }

    /// Sets (or, with `None`, removes) the hours a clinician offers consults in; `audit`, when
    /// given, is written with the change (the CLI's `set-hours` has no clinician to name).
    pub async fn set_calendar(
        &self,
        clinician: ClinicianId,
        week: Option<(&WeeklyHours, &BTreeSet<NaiveDate>)>,
        now: DateTime<Utc>,
        audit: Option<&Audit>,
    ) -> Result<(), sqlx::Error> {
        let Some((weekly, days_off)) = week else {
            let sql = "delete from availability where clinician_id = $1";
            with_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                sqlx::query(sql).bind(clinician.0).execute(&mut *tx).await?;
                if let Some(audit) = audit {
                    super::audit::write(&mut *tx, audit).await?;
                }
                tx.commit().await?;
            });
            return Ok(());
        };
        let weekly = serde_json::to_string(weekly).map_err(|e| corrupt(e.to_string()))?;
        let days_off = serde_json::to_string(days_off).map_err(|e| corrupt(e.to_string()))?;
        let sql = "insert into availability \
                   (clinician_id, weekly_hours, days_off, created_at, updated_at) \
                   values ($1, $2, $3, $4, $4) \
                   on conflict (clinician_id) do update set weekly_hours = excluded.weekly_hours, \
                   days_off = excluded.days_off, updated_at = excluded.updated_at";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(clinician.0)
                .bind(&weekly)
                .bind(&days_off)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if let Some(audit) = audit {
                super::audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every active clinician who offers consults, by id.
    pub async fn bookable_calendars(&self) -> Result<Vec<ClinicianCalendar>, sqlx::Error> {
        let sql = "select a.clinician_id, a.weekly_hours, a.days_off from availability a \
                   join clinicians c on c.id = a.clinician_id where c.active = 1 \
                   order by a.clinician_id";
        let rows: Vec<(i64, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(sql).fetch_all(pool).await?
        });
        rows.iter()
            .map(|(id, weekly, off)| calendar_from_row(*id, weekly, off))
            .collect()
    }

    /// Live bookings overlapping `[from, to)`, by clinician.
    pub async fn busy_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<ClinicianId, Vec<Busy>>, sqlx::Error> {
        let sql = "select clinician_id, starts_at, ends_at from bookings \
                   where status = 'booked' and ends_at > $1 and starts_at < $2";
        let rows: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = with_pool!(self, pool => {
            sqlx::query_as(sql).bind(from).bind(to).fetch_all(pool).await?
        });
        let mut busy: HashMap<ClinicianId, Vec<Busy>> = HashMap::new();
        for (clinician, start, end) in rows {
            busy.entry(ClinicianId(clinician))
                .or_default()
                .push(Busy::new(start, end));
        }
        Ok(busy)
    }

    /// Books `clinician`'s calendar for `new`, if `check` still offers the slot once the
    /// calendar is locked; queues `emails` in the same transaction. With `reschedule`, moves
    /// that live booking instead of creating one (its own time does not count as busy).
    #[allow(clippy::too_many_arguments)]
    pub async fn book_consult(
        &self,
        clinician: ClinicianId,
        new: &NewBooking<'_>,
        reschedule: Option<BookingId>,
        check: SlotCheck<'_>,
        window: (DateTime<Utc>, DateTime<Utc>),
        emails: &[NewEmail],
        now: DateTime<Utc>,
    ) -> Result<BookAttempt, sqlx::Error> {
        let lock = "update availability set calendar_version = calendar_version + 1 \
                    where clinician_id = $1 returning clinician_id, weekly_hours, days_off";
        let by_key = "select id from bookings where request_key = $1";
        let live = "select id from bookings where submission_id = $1 and status = 'booked'";
        let busy = "select starts_at, ends_at from bookings where clinician_id = $1 \
                    and status = 'booked' and ends_at > $2 and starts_at < $3 and id <> $4";
        let insert = "insert into bookings (submission_id, clinician_id, starts_at, ends_at, \
                      practice_zone, client_zone, client_name, client_email, client_phone, \
                      manage_token_hash, request_key, for_couple, status, sequence, created_at, \
                      updated_at, routing) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                      $13, 'booked', 0, $12, $12, $14) returning id";
        let starts = "select starts_at from bookings where id = $1 and status = 'booked'";
        let couple_lock = "update couples set created_at = created_at \
                           where id = (select couple_id from submissions where id = $1)";
        let partner_live =
            "select b.id from bookings b join submissions p on p.id = b.submission_id \
                            where p.couple_id = (select couple_id from submissions where id = $1) \
                            and p.id <> $1 and b.status = 'booked' and b.for_couple";
        let moved = "update bookings set clinician_id = $2, starts_at = $3, ends_at = $4, \
                     client_zone = $5, sequence = sequence + 1, updated_at = $6 \
                     where id = $1 and status = 'booked'";
        // An async block, so that `?` and early returns end the attempt (rolling it back) and
        // a unique violation still reaches the mapping below.
        let sealed = (
            self.sealer.seal(Field::ClientName, new.client_name)?,
            self.sealer.seal(Field::ClientEmail, new.client_email)?,
            self.sealer.seal(Field::ClientPhone, new.client_phone)?,
        );
        let terms = self.sealer.name_terms(new.client_name);
        let insert_terms = super::rekey::name_terms_insert(terms.len());
        let outcome: Result<BookAttempt, sqlx::Error> = with_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            let row: Option<(i64, String, String)> =
                sqlx::query_as(lock).bind(clinician.0).fetch_optional(&mut *tx).await?;
            let Some((id, weekly, off)) = row else {
                return Ok(BookAttempt::NotOffered);
            };
            let calendar = calendar_from_row(id, &weekly, &off)?;
            // A new booking's key may have been used by a double click; a move keeps its key.
            if reschedule.is_none() {
                let done: Option<i64> = sqlx::query_scalar(by_key)
                    .bind(new.request_key)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(done) = done {
                    return Ok(BookAttempt::AlreadyDone(BookingId(done)));
                }
            }
            if reschedule.is_none() && new.for_couple {
                // One consult per couple: serialise the partners' bookings on the couple's row.
                sqlx::query(couple_lock).bind(new.submission_id.0).execute(&mut *tx).await?;
                let partner: Option<i64> = sqlx::query_scalar(partner_live)
                    .bind(new.submission_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if partner.is_some() {
                    return Ok(BookAttempt::PartnerHasBooking);
                }
            }
            let existing: Option<i64> =
                sqlx::query_scalar(live).bind(new.submission_id.0).fetch_optional(&mut *tx).await?;
            if existing.is_some() && existing != reschedule.map(|b| b.0) {
                return Ok(BookAttempt::SubmissionHasBooking);
            }
            let rows: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(busy)
                .bind(clinician.0)
                .bind(window.0)
                .bind(window.1)
                .bind(reschedule.map_or(0, |b| b.0))
                .fetch_all(&mut *tx)
                .await?;
            let taken: Vec<Busy> = rows.into_iter().map(|(s, e)| Busy::new(s, e)).collect();
            let Some(slot) = check(&calendar, &taken) else {
                return Ok(BookAttempt::NotOffered);
            };
            let id = match reschedule {
                Some(booking) => {
                    // A repeated move (double click) finds the booking already there.
                    let at: Option<DateTime<Utc>> = sqlx::query_scalar(starts)
                        .bind(booking.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if at == Some(slot.start) {
                        return Ok(BookAttempt::AlreadyDone(booking));
                    }
                    let done = sqlx::query(moved)
                        .bind(booking.0)
                        .bind(clinician.0)
                        .bind(slot.start)
                        .bind(slot.end)
                        .bind(new.client_zone)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    // Cancelled meanwhile: nothing to move, and no message to send.
                    if done.rows_affected() == 0 {
                        return Ok(BookAttempt::Gone);
                    }
                    booking.0
                }
                None => {
                    let by = new.booked_by.map(|c| c.0);
                    let (booked, scope) = (BookingChange::Booked, new.for_couple);
                    workflow::follow_booking(&mut tx, new.submission_id.0, booked, scope, by, now).await?;
                    let id: i64 = sqlx::query_scalar(insert)
                        .bind(new.submission_id.0)
                        .bind(clinician.0)
                        .bind(slot.start)
                        .bind(slot.end)
                        .bind(new.practice_zone)
                        .bind(new.client_zone)
                        .bind(&sealed.0)
                        .bind(&sealed.1)
                        .bind(&sealed.2)
                        .bind(new.manage_token_hash)
                        .bind(new.request_key)
                        .bind(now)
                        .bind(new.for_couple)
                        .bind(new.routing.map(|r| r.as_str()))
                        .fetch_one(&mut *tx)
                        .await?;
                    if !terms.is_empty() {
                        let mut query = sqlx::query(&insert_terms).bind(id);
                        for term in &terms {
                            query = query.bind(term);
                        }
                        query.execute(&mut *tx).await?;
                    }
                    id
                }
            };
            // A move withdraws the reminder for the old time; `emails` carries the new one.
            sqlx::query(WITHDRAW_REMINDERS).bind(id).execute(&mut *tx).await?;
            for email in emails {
                let about = (Some(id), Some(new.submission_id.0));
                outbox::queue(&mut *tx, &self.sealer, email, now, about).await?;
            }
            if let Some(audit) = new.audit {
                super::audit::write(&mut *tx, audit).await?;
                if let Some(reason) = new.hold_override {
                    let (submission, by, at) = (new.submission_id, audit.by, audit.at);
                    super::safety::write_override(&mut *tx, &self.sealer, submission, by, reason, at)
                        .await?;
                    let override_audit = Audit {
                        action: super::AuditAction::OverrideSafetyHold,
                        ..audit.clone()
                    };
                    super::audit::write(&mut *tx, &override_audit).await?;
                }
                if new.routing == Some(crate::domain::routing::Routing::Override) {
                    let routing_audit = Audit {
                        action: super::AuditAction::OverrideRouting,
                        ..audit.clone()
                    };
                    super::audit::write(&mut *tx, &routing_audit).await?;
                }
            }
            tx.commit().await?;
            Ok(BookAttempt::Booked(BookingId(id)))
        }
        .await);
        match outcome {
            Ok(attempt) => Ok(attempt),
            // Backstops: the transaction's own checks make these unreachable in practice.
            Err(e) => match Unique::violated_by(&e) {
                Some(Unique::BookingRequestKey) => {
                    let sql = "select id from bookings where request_key = $1";
                    let id: i64 = with_pool!(self, pool => {
                        sqlx::query_scalar(sql).bind(new.request_key).fetch_one(pool).await?
                    });
                    Ok(BookAttempt::AlreadyDone(BookingId(id)))
                }
                Some(Unique::OneBookingPerSubmission) => Ok(BookAttempt::SubmissionHasBooking),
                Some(Unique::OneBookingPerSlot) => Ok(BookAttempt::NotOffered),
                Some(Unique::ClinicianEmail) | None => Err(e),
            },
        }
    }

    /// The consult `key` booked, if it has since been cancelled.
    pub async fn cancelled_by_key(&self, key: &str) -> Result<Option<BookingId>, sqlx::Error> {
        let sql = "select id from bookings where request_key = $1 and status = 'cancelled'";
        let id: Option<i64> = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(key).fetch_optional(pool).await?
        });
        Ok(id.map(BookingId))
    }

    /// Cancels a live booking (only at calendar `sequence`, when given) and queues `emails` with
    /// it. `by` is the practice's audit row when a clinician cancelled it (its clinician is named
    /// in the workflow history), `None` when the client did. `false` when it was not live (or
    /// had moved on).
    pub async fn cancel_booking(
        &self,
        id: BookingId,
        sequence: Option<i32>,
        emails: &[NewEmail],
        by: Option<&Audit>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let sql = "update bookings set status = 'cancelled', cancelled_at = $2, updated_at = $2, \
                   sequence = sequence + 1 where id = $1 and status = 'booked' \
                   and sequence = coalesce($3, sequence) returning submission_id, for_couple";
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let done: Option<(i64, bool)> = sqlx::query_as(sql)
                .bind(id.0)
                .bind(now)
                .bind(sequence)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((submission, for_couple)) = done else {
                return Ok(false);
            };
            let (cancelled, clinician) = (BookingChange::Cancelled, by.map(|a| a.by.0));
            workflow::follow_booking(&mut tx, submission, cancelled, for_couple, clinician, now).await?;
            sqlx::query(WITHDRAW_REMINDERS).bind(id.0).execute(&mut *tx).await?;
            for email in emails {
                let about = (Some(id.0), Some(submission));
                outbox::queue(&mut *tx, &self.sealer, email, now, about).await?;
            }
            if let Some(audit) = by {
                super::audit::write(&mut *tx, audit).await?;
            }
            tx.commit().await?;
        });
        Ok(true)
    }

    pub async fn booking(&self, id: BookingId) -> Result<Option<Booking>, sqlx::Error> {
        self.one_booking("b.id = $1", Key::Id(id.0)).await
    }

    /// Live consults that have not ended by `from`, earliest first, at most `limit`; only
    /// `clinician`'s when given. Each says whether it was booked from a partner's
    /// questionnaire (a couple's).
    pub async fn upcoming_consults(
        &self,
        from: DateTime<Utc>,
        clinician: Option<ClinicianId>,
        limit: i64,
    ) -> Result<Vec<(Booking, bool)>, sqlx::Error> {
        const WHERE: &str = "b.status = 'booked' and b.ends_at > $1 \
                             and ($2 = 0 or b.clinician_id = $2)";
        let sql = format!(
            "select {BOOKING_COLUMNS}, s.couple_id is not null as in_couple from bookings b \
             join submissions s on s.id = b.submission_id \
             join clinicians c on c.id = b.clinician_id \
             where {WHERE} order by b.starts_at, b.id limit $3"
        );
        #[derive(sqlx::FromRow)]
        struct Upcoming {
            #[sqlx(flatten)]
            booking: BookingRow,
            in_couple: bool,
        }
        let only = clinician.map_or(0, |c| c.0);
        let rows: Vec<Upcoming> = with_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(from)
                .bind(only)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|row| Ok((booking_from_row(&self.sealer, row.booking)?, row.in_couple)))
            .collect()
    }

    /// The newest booking a manage link opens (live or cancelled).
    pub async fn booking_by_manage_hash(
        &self,
        manage_token_hash: &str,
    ) -> Result<Option<Booking>, sqlx::Error> {
        self.one_booking("b.manage_token_hash = $1", Key::Text(manage_token_hash))
            .await
    }

    /// The newest booking of a questionnaire (live or cancelled).
    pub async fn booking_for_submission(
        &self,
        submission: SubmissionId,
    ) -> Result<Option<Booking>, sqlx::Error> {
        self.one_booking("b.submission_id = $1", Key::Id(submission.0))
            .await
    }

    async fn one_booking(
        &self,
        condition: &str,
        key: Key<'_>,
    ) -> Result<Option<Booking>, sqlx::Error> {
        let sql = format!(
            "select {BOOKING_COLUMNS} from bookings b \
             join submissions s on s.id = b.submission_id \
             join clinicians c on c.id = b.clinician_id \
             where {condition} order by b.id desc limit 1"
        );
        let row: Option<BookingRow> = with_pool!(self, pool => {
            let query = sqlx::query_as(&sql);
            let query = match key {
                Key::Id(id) => query.bind(id),
                Key::Text(text) => query.bind(text),
            };
            query.fetch_optional(pool).await?
        });
        row.map(|row| booking_from_row(&self.sealer, row))
            .transpose()
    }
}

/// The one parameter of a single-booking lookup.
enum Key<'a> {
    Id(i64),
    Text(&'a str),
}

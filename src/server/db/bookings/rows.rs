//! Bookings as stored: the columns a booking is read with, and turning a row into a
//! [`Booking`] (its client's details opened) or a clinician's calendar.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::super::clinicians::ClinicianId;
use super::super::seal::{Field, Sealer};
use super::super::submissions::SubmissionId;
use super::{Booking, BookingId, BookingStatus, ClinicianCalendar};
use crate::domain::booking::WeeklyHours;

/// What [`BookingRow`] reads, from `bookings b` joined with `submissions s` and
/// `clinicians c`.
pub(super) const BOOKING_COLUMNS: &str = "b.id, b.submission_id, s.reference, b.clinician_id, \
    c.display_name as clinician_name, b.starts_at, b.ends_at, b.practice_zone, b.client_zone, \
    b.client_name, b.client_email, b.client_phone, b.status, b.sequence, b.request_key, \
    b.for_couple, b.routing";

/// A booking as stored, before its status is checked.
#[derive(sqlx::FromRow)]
pub(super) struct BookingRow {
    id: i64,
    submission_id: i64,
    reference: String,
    clinician_id: i64,
    clinician_name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    practice_zone: String,
    client_zone: String,
    client_name: String,
    client_email: String,
    client_phone: String,
    status: String,
    sequence: i32,
    request_key: String,
    for_couple: bool,
    routing: Option<String>,
}

/// A stored booking, its client's details opened with `sealer`.
pub(super) fn booking_from_row(sealer: &Sealer, row: BookingRow) -> Result<Booking, sqlx::Error> {
    let BookingRow {
        id,
        submission_id,
        reference,
        clinician_id,
        clinician_name,
        starts_at,
        ends_at,
        practice_zone,
        client_zone,
        client_name,
        client_email,
        client_phone,
        status,
        sequence,
        request_key,
        for_couple,
        routing,
    } = row;
    let status = match status.as_str() {
        "booked" => BookingStatus::Booked,
        "cancelled" => BookingStatus::Cancelled,
        other => return Err(corrupt(format!("unknown booking status {other:?}"))),
    };
    Ok(Booking {
        id: BookingId(id),
        submission_id: SubmissionId(submission_id),
        reference,
        clinician_id: ClinicianId(clinician_id),
        clinician_name,
        starts_at,
        ends_at,
        practice_zone,
        client_zone,
        client_name: sealer.open(Field::ClientName, client_name)?,
        client_email: sealer.open(Field::ClientEmail, client_email)?,
        client_phone: sealer.open(Field::ClientPhone, client_phone)?,
        status,
        sequence,
        request_key,
        for_couple,
        routing: routing
            .as_deref()
            .and_then(crate::domain::routing::Routing::parse),
    })
}

pub(super) fn corrupt(message: String) -> sqlx::Error {
    sqlx::Error::Decode(message.into())
}

pub(super) fn calendar_from_row(
    clinician_id: i64,
    weekly: &str,
    days_off: &str,
) -> Result<ClinicianCalendar, sqlx::Error> {
    // Stored JSON is validated on every read, so a bad row can never become bad slots.
    let weekly: WeeklyHours = serde_json::from_str(weekly)
        .map_err(|e| corrupt(format!("weekly hours of clinician {clinician_id}: {e}")))?;
    let days_off: BTreeSet<NaiveDate> = serde_json::from_str(days_off)
        .map_err(|e| corrupt(format!("days off of clinician {clinician_id}: {e}")))?;
    Ok(ClinicianCalendar {
        clinician_id: ClinicianId(clinician_id),
        weekly,
        days_off,
    })
}

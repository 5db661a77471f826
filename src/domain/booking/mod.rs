//! Booking: a clinician's availability → the consult slots a client may book.
//!
//! Everything here is a pure function over plain values; the practice's rules, DST
//! decisions and the algorithm are written out in `docs/booking.md`.
//!
//! # API
//!
//! - [`ConsultRules`] — consult length (default 50 min), buffer after (10 min), minimum notice
//!   (24 h) and booking horizon (28 days); [`ConsultRules::new`] / [`ConsultRules::from_minutes`]
//!   validate, [`Default`] gives the practice defaults.
//! - [`WorkingWindow`] — one local-time span `[start, end)` of a working day, whole minutes,
//!   `start < end` (a window cannot cross midnight).
//! - [`WeeklyHours`] — the windows of each weekday, sorted, never overlapping
//!   ([`WeeklyHours::with_day`]).
//! - [`Availability`] — the practice's IANA zone ([`parse_zone`]), weekly hours and days off
//!   (local dates).
//! - [`Busy`] — an existing booking (or any block) as UTC instants `[start, end)`.
//! - [`slots`]`(&Availability, &ConsultRules, &[Busy], now) -> Vec<ConsultSlot>` — the
//!   bookable consults, strictly increasing, as UTC instants.
//! - [`offered`]`(&[ConsultSlot], start) -> Option<ConsultSlot>` — is a start the client picked
//!   still among the slots (binary search)?
//! - [`render_in`]`(instant, viewer_zone) -> String` — "Tue 3 Mar, 14:00 (GMT+1)".
//! - [`BookingRuleError`] — why an admin's setting was refused.
//!
//! Instants are stored in UTC together with the practice's zone name
//! ([`Availability::zone_name`]); they are turned into wall-clock text only for display, in the
//! viewer's zone.
//!
//! No function here panics, whatever it is given: date arithmetic is checked, and an input
//! that would leave chrono's range yields no slots rather than an error.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

mod hours;
mod rules;
mod slots;
#[cfg(test)]
mod tests;
mod working_time;
mod zone;

pub use hours::*;
pub use rules::*;
pub use slots::*;
pub use working_time::*;
pub use zone::*;

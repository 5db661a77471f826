//! Availability and existing bookings → the consult slots a client may book.

use super::*;

/// When a clinician can be booked: weekly hours and days off, both in the practice's zone.
///
/// Serialised with the zone as its IANA name:
/// `{"zone":"Europe/Berlin","weekly":{...},"days_off":["2026-12-25"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// The practice's IANA zone; weekly hours and days off are wall-clock times there.
    #[serde(with = "zone_name")]
    pub zone: Tz,
    pub weekly: WeeklyHours,
    /// Local dates (in `zone`) with no consults, whatever the weekly hours say.
    #[serde(default)]
    pub days_off: BTreeSet<NaiveDate>,
}

impl Availability {
    /// Availability in `zone`.
    pub fn new(zone: Tz, weekly: WeeklyHours, days_off: BTreeSet<NaiveDate>) -> Self {
        Self {
            zone,
            weekly,
            days_off,
        }
    }

    /// The zone's IANA name, stored beside every booking's UTC instants.
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }
}

mod zone_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(zone: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(zone.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        super::parse_zone(&name).map_err(serde::de::Error::custom)
    }
}

/// Time the clinician is already taken, as UTC instants `[start, end)`: a booked consult, or
/// any other block. Its `buffer_after` is added by [`slots`]. A reversed interval
/// (`end < start`) is read as `[end, start)` — refusing it would risk a double booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Busy {
    /// Busy from `start` to `end` (UTC).
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self { start, end }
    }
}

/// A bookable consult, `[start, end)` in UTC; `end - start` is the consult length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConsultSlot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl From<ConsultSlot> for Busy {
    fn from(s: ConsultSlot) -> Self {
        Busy::new(s.start, s.end)
    }
}

/// The consults a client may book, strictly increasing by start.
///
/// For each local date and working window, candidate starts lie on a wall-clock grid
/// `window.start + k × (length + buffer_after)`. A candidate becomes a slot when
///
/// - its wall-clock time exists (none in a DST gap); a repeated wall-clock time (DST fold) is
///   offered at most once, at its first instance whose consult fits the window;
/// - at every instant of the consult, the practice's clock reads a time inside the window on
///   that date (so a window is measured in real elapsed time across a switch);
/// - `start ≥ now + min_notice` and `start < now + horizon`;
/// - `[start, end + buffer_after)` overlaps no `[busy.start, busy.end + buffer_after)`;
/// - it starts at least `buffer_after` after the previous slot offered ends.
///
/// Dates in `days_off` are skipped. Cost: O(b log b) to sort `busy` once, then
/// O(log b) per candidate.
pub fn slots(
    avail: &Availability,
    rules: &ConsultRules,
    busy: &[Busy],
    now: DateTime<Utc>,
) -> Vec<ConsultSlot> {
    let mut out = Vec::new();
    let (Some(earliest), Some(latest)) = (
        now.checked_add_signed(rules.min_notice()),
        now.checked_add_signed(rules.horizon()),
    ) else {
        return out;
    };
    if earliest >= latest {
        return out;
    }
    // A date's windows can only hold instants within a day of that date's midnight (offsets
    // stay within ±26 h), so one day either side of the range is enough.
    let (Some(first_day), Some(last_day)) = (
        local_reading(avail.zone, earliest).and_then(|t| t.date().pred_opt()),
        local_reading(avail.zone, latest).and_then(|t| t.date().succ_opt()),
    ) else {
        return out;
    };

    let mut offer = Offer {
        zone: avail.zone,
        length: rules.length(),
        buffer: rules.buffer_after(),
        earliest,
        latest,
        blocked: Blocked::new(busy, rules.buffer_after()),
        free_from: None,
    };
    let step = rules.step();
    let mut day = first_day;
    loop {
        if !avail.days_off.contains(&day) {
            for w in avail.weekly.windows(day.weekday()) {
                offer.window(
                    day.and_time(w.start()),
                    day.and_time(w.end()),
                    step,
                    &mut out,
                );
            }
        }
        match day.succ_opt() {
            Some(next) if next <= last_day => day = next,
            _ => break,
        }
    }
    out
}

/// The slot in `slots` (as returned by [`slots`], sorted) that starts at `start`, if any.
pub fn offered(slots: &[ConsultSlot], start: DateTime<Utc>) -> Option<ConsultSlot> {
    slots
        .binary_search_by(|s| s.start.cmp(&start))
        .ok()
        .and_then(|i| slots.get(i).copied())
}

/// Busy time with its buffer, merged into disjoint intervals sorted by start (so their ends
/// are sorted too, and one binary search answers "does this overlap anything?").
pub(super) struct Blocked(Vec<(DateTime<Utc>, DateTime<Utc>)>);

impl Blocked {
    fn new(busy: &[Busy], buffer: Duration) -> Self {
        let mut spans: Vec<_> = busy
            .iter()
            .map(|b| {
                let (lo, hi) = (b.start.min(b.end), b.start.max(b.end));
                let hi = hi
                    .checked_add_signed(buffer)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                (lo, hi)
            })
            .filter(|(lo, hi)| lo < hi)
            .collect();
        spans.sort_unstable();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
        for (lo, hi) in spans {
            match merged.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Self(merged)
    }

    fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let i = self.0.partition_point(|&(_, end)| end <= from);
        self.0.get(i).is_some_and(|&(start, _)| start < to)
    }
}

/// The state of one [`slots`] run.
pub(super) struct Offer {
    zone: Tz,
    length: Duration,
    buffer: Duration,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
    blocked: Blocked,
    /// The end of the last slot offered plus the buffer: the next slot may not start sooner.
    free_from: Option<DateTime<Utc>>,
}

impl Offer {
    fn window(
        &mut self,
        open: NaiveDateTime,
        close: NaiveDateTime,
        step: Duration,
        out: &mut Vec<ConsultSlot>,
    ) {
        let mut wall = open;
        while wall < close {
            // A wall-clock time repeated by a fold stands for its first instance at which the
            // whole consult fits the window; which one depends on the window alone, never on
            // bookings, so a slot never jumps an hour because of someone else's booking. A
            // time skipped by a gap has no instance and is no slot.
            let start = instances(self.zone, wall)
                .into_iter()
                .flatten()
                .find(|&s| self.fits(s, open, close));
            if let Some(slot) = start.and_then(|s| self.qualifies(s)) {
                self.free_from = Some(
                    slot.end
                        .checked_add_signed(self.buffer)
                        .unwrap_or(DateTime::<Utc>::MAX_UTC),
                );
                out.push(slot);
            }
            match wall.checked_add_signed(step) {
                Some(next) => wall = next,
                None => break,
            }
        }
    }

    fn fits(&self, start: DateTime<Utc>, open: NaiveDateTime, close: NaiveDateTime) -> bool {
        start
            .checked_add_signed(self.length)
            .is_some_and(|end| inside_window(self.zone, start, end, open, close))
    }

    /// Notice, horizon, the previous slot's buffer and existing bookings.
    fn qualifies(&self, start: DateTime<Utc>) -> Option<ConsultSlot> {
        if start < self.earliest || start >= self.latest {
            return None;
        }
        if self.free_from.is_some_and(|f| start < f) {
            return None;
        }
        let end = start.checked_add_signed(self.length)?;
        let occupied_until = end.checked_add_signed(self.buffer)?;
        if self.blocked.overlaps(start, occupied_until) {
            return None;
        }
        Some(ConsultSlot { start, end })
    }
}

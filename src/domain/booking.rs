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

/// Default consult length, in minutes.
pub const DEFAULT_LENGTH_MINUTES: u32 = 50;
/// Default break after each consult (notes, a breather), in minutes.
pub const DEFAULT_BUFFER_AFTER_MINUTES: u32 = 10;
/// Default minimum notice: a client cannot book a consult starting within the next 24 hours.
pub const DEFAULT_MIN_NOTICE_MINUTES: u32 = 24 * 60;
/// Default horizon: clients can book up to four weeks ahead.
pub const DEFAULT_HORIZON_DAYS: u32 = 28;

/// Longest consult an admin can set (12 hours); anything longer is a typo.
pub const MAX_LENGTH_MINUTES: u32 = 12 * 60;
/// Longest buffer after a consult (12 hours).
pub const MAX_BUFFER_AFTER_MINUTES: u32 = 12 * 60;
/// Longest minimum notice (90 days).
pub const MAX_MIN_NOTICE_MINUTES: u32 = 90 * 24 * 60;
/// Furthest horizon (a year, leap day included).
pub const MAX_HORIZON_DAYS: u32 = 366;

/// Why a booking setting was refused. The messages are written for the practice admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingRuleError {
    /// Consult length outside 1 minute ..= [`MAX_LENGTH_MINUTES`].
    ConsultLength,
    /// Buffer after outside 0 ..= [`MAX_BUFFER_AFTER_MINUTES`].
    BufferAfter,
    /// Minimum notice outside 0 ..= [`MAX_MIN_NOTICE_MINUTES`].
    MinNotice,
    /// Horizon outside 1 ..= [`MAX_HORIZON_DAYS`].
    Horizon,
    /// A duration that is not a whole number of minutes.
    NotWholeMinutes,
    /// A window boundary with seconds (or a leap second).
    WindowNotWholeMinutes,
    /// A window whose end is not after its start.
    EmptyWindow { start: NaiveTime, end: NaiveTime },
    /// Two windows of the same weekday overlap.
    OverlappingWindows { day: Weekday },
    /// Not an IANA time zone name known to the bundled tz database.
    UnknownZone(String),
}

impl fmt::Display for BookingRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConsultLength => write!(
                f,
                "a consult must last between 1 minute and {} hours",
                MAX_LENGTH_MINUTES / 60
            ),
            Self::BufferAfter => write!(
                f,
                "the break after a consult must be between 0 and {} hours",
                MAX_BUFFER_AFTER_MINUTES / 60
            ),
            Self::MinNotice => write!(
                f,
                "minimum notice must be between 0 and {} days",
                MAX_MIN_NOTICE_MINUTES / (24 * 60)
            ),
            Self::Horizon => write!(
                f,
                "clients can book between 1 and {MAX_HORIZON_DAYS} days ahead"
            ),
            Self::NotWholeMinutes => write!(f, "durations are set in whole minutes"),
            Self::WindowNotWholeMinutes => write!(f, "working hours are set in whole minutes"),
            Self::EmptyWindow { start, end } => write!(
                f,
                "working hours {}–{} end before they start (a window cannot cross midnight)",
                start.format("%H:%M"),
                end.format("%H:%M")
            ),
            Self::OverlappingWindows { day } => {
                write!(f, "two working-hour windows on {day} overlap")
            }
            Self::UnknownZone(name) => write!(f, "unknown time zone {name:?}"),
        }
    }
}

impl std::error::Error for BookingRuleError {}

/// Parses an IANA zone name such as `"Europe/Berlin"` (case-sensitive, as the tz database
/// spells it).
pub fn parse_zone(name: &str) -> Result<Tz, BookingRuleError> {
    name.parse::<Tz>()
        .map_err(|_| BookingRuleError::UnknownZone(name.to_owned()))
}

/// How consults are booked at a practice. Always valid: built by [`ConsultRules::new`],
/// [`ConsultRules::from_minutes`], [`Default`] or deserialisation, all of which validate.
///
/// Serialised as whole minutes:
/// `{"length_minutes":50,"buffer_after_minutes":10,"min_notice_minutes":1440,"horizon_days":28}`;
/// a missing field takes its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ConsultRulesRecord", into = "ConsultRulesRecord")]
pub struct ConsultRules {
    length_minutes: u32,
    buffer_after_minutes: u32,
    min_notice_minutes: u32,
    horizon_days: u32,
}

impl Default for ConsultRules {
    fn default() -> Self {
        Self {
            length_minutes: DEFAULT_LENGTH_MINUTES,
            buffer_after_minutes: DEFAULT_BUFFER_AFTER_MINUTES,
            min_notice_minutes: DEFAULT_MIN_NOTICE_MINUTES,
            horizon_days: DEFAULT_HORIZON_DAYS,
        }
    }
}

impl ConsultRules {
    /// Validated rules from durations, each a whole number of minutes.
    pub fn new(
        length: Duration,
        buffer_after: Duration,
        min_notice: Duration,
        horizon_days: u32,
    ) -> Result<Self, BookingRuleError> {
        Self::from_minutes(
            whole_minutes(length, BookingRuleError::ConsultLength)?,
            whole_minutes(buffer_after, BookingRuleError::BufferAfter)?,
            whole_minutes(min_notice, BookingRuleError::MinNotice)?,
            horizon_days,
        )
    }

    /// Validated rules from minutes (as an admin form or a database row holds them).
    pub fn from_minutes(
        length_minutes: u32,
        buffer_after_minutes: u32,
        min_notice_minutes: u32,
        horizon_days: u32,
    ) -> Result<Self, BookingRuleError> {
        if !(1..=MAX_LENGTH_MINUTES).contains(&length_minutes) {
            return Err(BookingRuleError::ConsultLength);
        }
        if buffer_after_minutes > MAX_BUFFER_AFTER_MINUTES {
            return Err(BookingRuleError::BufferAfter);
        }
        if min_notice_minutes > MAX_MIN_NOTICE_MINUTES {
            return Err(BookingRuleError::MinNotice);
        }
        if !(1..=MAX_HORIZON_DAYS).contains(&horizon_days) {
            return Err(BookingRuleError::Horizon);
        }
        Ok(Self {
            length_minutes,
            buffer_after_minutes,
            min_notice_minutes,
            horizon_days,
        })
    }

    /// How long a consult lasts (real elapsed time, DST or not).
    pub fn length(&self) -> Duration {
        Duration::minutes(i64::from(self.length_minutes))
    }

    /// The clinician's break after every consult and every existing booking.
    pub fn buffer_after(&self) -> Duration {
        Duration::minutes(i64::from(self.buffer_after_minutes))
    }

    /// A slot must start at least this long after "now".
    pub fn min_notice(&self) -> Duration {
        Duration::minutes(i64::from(self.min_notice_minutes))
    }

    /// How many days ahead a client can book.
    pub fn horizon_days(&self) -> u32 {
        self.horizon_days
    }

    /// The horizon as elapsed time: `horizon_days` × 24 h from "now".
    pub fn horizon(&self) -> Duration {
        Duration::days(i64::from(self.horizon_days))
    }

    /// [`Self::length`] in minutes, as stored.
    pub fn length_minutes(&self) -> u32 {
        self.length_minutes
    }

    /// [`Self::buffer_after`] in minutes, as stored.
    pub fn buffer_after_minutes(&self) -> u32 {
        self.buffer_after_minutes
    }

    /// [`Self::min_notice`] in minutes, as stored.
    pub fn min_notice_minutes(&self) -> u32 {
        self.min_notice_minutes
    }

    /// Distance between grid starts in a window: length + buffer.
    fn step(&self) -> Duration {
        Duration::minutes(i64::from(self.length_minutes) + i64::from(self.buffer_after_minutes))
    }
}

fn whole_minutes(d: Duration, out_of_range: BookingRuleError) -> Result<u32, BookingRuleError> {
    if d < Duration::zero() {
        return Err(out_of_range);
    }
    if d.subsec_nanos() != 0 || d.num_seconds() % 60 != 0 {
        return Err(BookingRuleError::NotWholeMinutes);
    }
    u32::try_from(d.num_minutes()).map_err(|_| out_of_range)
}

#[derive(Serialize, Deserialize)]
#[serde(default)]
struct ConsultRulesRecord {
    length_minutes: u32,
    buffer_after_minutes: u32,
    min_notice_minutes: u32,
    horizon_days: u32,
}

impl Default for ConsultRulesRecord {
    fn default() -> Self {
        ConsultRules::default().into()
    }
}

impl From<ConsultRules> for ConsultRulesRecord {
    fn from(r: ConsultRules) -> Self {
        Self {
            length_minutes: r.length_minutes,
            buffer_after_minutes: r.buffer_after_minutes,
            min_notice_minutes: r.min_notice_minutes,
            horizon_days: r.horizon_days,
        }
    }
}

impl TryFrom<ConsultRulesRecord> for ConsultRules {
    type Error = BookingRuleError;

    fn try_from(r: ConsultRulesRecord) -> Result<Self, Self::Error> {
        Self::from_minutes(
            r.length_minutes,
            r.buffer_after_minutes,
            r.min_notice_minutes,
            r.horizon_days,
        )
    }
}

/// One span of a working day in the practice's local time, `[start, end)`, whole minutes.
///
/// A window cannot cross midnight and cannot end at 24:00; use 23:59, or two windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "WindowRecord")]
pub struct WorkingWindow {
    start: NaiveTime,
    end: NaiveTime,
}

impl WorkingWindow {
    /// A window from `start` to `end`, both whole minutes, `start < end`.
    pub fn new(start: NaiveTime, end: NaiveTime) -> Result<Self, BookingRuleError> {
        for t in [start, end] {
            if t.second() != 0 || t.nanosecond() != 0 {
                return Err(BookingRuleError::WindowNotWholeMinutes);
            }
        }
        if start >= end {
            return Err(BookingRuleError::EmptyWindow { start, end });
        }
        Ok(Self { start, end })
    }

    /// Convenience for `(hour, minute)` pairs, e.g. `WorkingWindow::hm((9, 0), (17, 0))`.
    pub fn hm(start: (u32, u32), end: (u32, u32)) -> Result<Self, BookingRuleError> {
        let t = |(h, m): (u32, u32)| {
            NaiveTime::from_hms_opt(h, m, 0).ok_or(BookingRuleError::WindowNotWholeMinutes)
        };
        Self::new(t(start)?, t(end)?)
    }

    /// Local time the window opens.
    pub fn start(&self) -> NaiveTime {
        self.start
    }

    /// Local time the window closes (exclusive).
    pub fn end(&self) -> NaiveTime {
        self.end
    }
}

#[derive(Deserialize)]
struct WindowRecord {
    start: NaiveTime,
    end: NaiveTime,
}

impl TryFrom<WindowRecord> for WorkingWindow {
    type Error = BookingRuleError;

    fn try_from(r: WindowRecord) -> Result<Self, Self::Error> {
        Self::new(r.start, r.end)
    }
}

/// A clinician's regular week: for each weekday, its working windows in local time, sorted
/// and never overlapping (windows may touch: 09:00–12:00 and 12:00–13:00).
///
/// Serialised as `{"mon":[{"start":"09:00:00","end":"12:00:00"}],"tue":[],...}`; a missing day
/// is a day without hours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WeeklyHoursRecord", into = "WeeklyHoursRecord")]
pub struct WeeklyHours {
    /// Indexed by `Weekday::num_days_from_monday`.
    days: [Vec<WorkingWindow>; 7],
}

impl WeeklyHours {
    /// A week with no working hours.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces `day`'s windows; they are sorted, and refused if two overlap.
    pub fn with_day(
        mut self,
        day: Weekday,
        windows: impl IntoIterator<Item = WorkingWindow>,
    ) -> Result<Self, BookingRuleError> {
        let mut windows: Vec<WorkingWindow> = windows.into_iter().collect();
        windows.sort();
        if windows.windows(2).any(|w| w[1].start < w[0].end) {
            return Err(BookingRuleError::OverlappingWindows { day });
        }
        self.days[day_index(day)] = windows;
        Ok(self)
    }

    /// The same windows on each of `days`.
    pub fn with_days(
        mut self,
        days: &[Weekday],
        windows: &[WorkingWindow],
    ) -> Result<Self, BookingRuleError> {
        for &day in days {
            self = self.with_day(day, windows.iter().copied())?;
        }
        Ok(self)
    }

    /// `day`'s windows, sorted by start.
    pub fn windows(&self, day: Weekday) -> &[WorkingWindow] {
        &self.days[day_index(day)]
    }

    /// True when no weekday has working hours.
    pub fn is_closed(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

fn day_index(day: Weekday) -> usize {
    // 0..=6 by construction, so indexing `[_; 7]` cannot fail.
    day.num_days_from_monday() as usize
}

#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
struct WeeklyHoursRecord {
    mon: Vec<WorkingWindow>,
    tue: Vec<WorkingWindow>,
    wed: Vec<WorkingWindow>,
    thu: Vec<WorkingWindow>,
    fri: Vec<WorkingWindow>,
    sat: Vec<WorkingWindow>,
    sun: Vec<WorkingWindow>,
}

impl From<WeeklyHours> for WeeklyHoursRecord {
    fn from(w: WeeklyHours) -> Self {
        let [mon, tue, wed, thu, fri, sat, sun] = w.days;
        Self {
            mon,
            tue,
            wed,
            thu,
            fri,
            sat,
            sun,
        }
    }
}

impl TryFrom<WeeklyHoursRecord> for WeeklyHours {
    type Error = BookingRuleError;

    fn try_from(r: WeeklyHoursRecord) -> Result<Self, Self::Error> {
        WeeklyHours::new()
            .with_day(Weekday::Mon, r.mon)?
            .with_day(Weekday::Tue, r.tue)?
            .with_day(Weekday::Wed, r.wed)?
            .with_day(Weekday::Thu, r.thu)?
            .with_day(Weekday::Fri, r.fri)?
            .with_day(Weekday::Sat, r.sat)?
            .with_day(Weekday::Sun, r.sun)
    }
}

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
                offer.window(day.and_time(w.start), day.and_time(w.end), step, &mut out);
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

/// An instant as the viewer's clock shows it: `"Tue 3 Mar, 14:00 (GMT+1)"`.
pub fn render_in(instant: DateTime<Utc>, viewer: Tz) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let utc = instant.naive_utc();
    let offset = viewer.offset_from_utc_datetime(&utc).fix();
    let Some(local) = utc.checked_add_offset(offset) else {
        return format!("{utc} UTC");
    };
    let day = DAYS
        .get(local.weekday().num_days_from_monday() as usize)
        .unwrap_or(&"");
    let month = MONTHS.get(local.month0() as usize).unwrap_or(&"");
    let secs = offset.local_minus_utc();
    let gmt = match (secs.abs() / 3600, secs.abs() % 3600 / 60) {
        (0, 0) => "GMT".to_owned(),
        (h, 0) => format!("GMT{}{h}", if secs < 0 { '-' } else { '+' }),
        (h, m) => format!("GMT{}{h}:{m:02}", if secs < 0 { '-' } else { '+' }),
    };
    format!(
        "{day} {} {month}, {:02}:{:02} ({gmt})",
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// What the practice's clock reads at `t`; `None` only at the edges of chrono's range.
fn local_reading(zone: Tz, t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let utc = t.naive_utc();
    utc.checked_add_offset(zone.offset_from_utc_datetime(&utc).fix())
}

fn offset_seconds(zone: Tz, t: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&t.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The instants at which the clock reads `wall`, earliest first: none in a gap, two in a fold.
fn instances(zone: Tz, wall: NaiveDateTime) -> [Option<DateTime<Utc>>; 2] {
    match zone.from_local_datetime(&wall) {
        MappedLocalTime::Single(t) => [Some(t.with_timezone(&Utc)), None],
        MappedLocalTime::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            [Some(a.min(b)), Some(a.max(b))]
        }
        MappedLocalTime::None => [None, None],
    }
}

/// Whether the clock reads a time in `[open, close)` at every instant of `[start, end)`.
///
/// The span is cut at each offset change (found by bisection to the second; tz transitions
/// fall on whole seconds); within a piece the reading is `instant + offset`.
fn inside_window(
    zone: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    open: NaiveDateTime,
    close: NaiveDateTime,
) -> bool {
    // More offset changes than this inside one consult do not exist in the tz database.
    const MAX_PIECES: usize = 8;
    let Some(last) = end.checked_sub_signed(Duration::seconds(1)) else {
        return false;
    };
    if last < start {
        return false;
    }
    let last_offset = offset_seconds(zone, last);
    let mut from = start;
    for _ in 0..MAX_PIECES {
        let offset = offset_seconds(zone, from);
        let to = if offset == last_offset {
            end
        } else {
            match first_change(zone, from, last, offset) {
                Some(t) => t,
                None => return false,
            }
        };
        let shift = Duration::seconds(i64::from(offset));
        let (Some(a), Some(b)) = (
            from.naive_utc().checked_add_signed(shift),
            to.naive_utc().checked_add_signed(shift),
        ) else {
            return false;
        };
        if a < open || b > close {
            return false;
        }
        if to >= end {
            return true;
        }
        from = to;
    }
    false
}

/// The first whole second in `(from, last]` whose offset differs from `offset`, given that
/// `last`'s does.
fn first_change(
    zone: Tz,
    from: DateTime<Utc>,
    last: DateTime<Utc>,
    offset: i32,
) -> Option<DateTime<Utc>> {
    let (mut lo, mut hi) = (from.timestamp(), last.timestamp());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let t = DateTime::from_timestamp(mid, 0)?;
        if offset_seconds(zone, t) == offset {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    DateTime::from_timestamp(hi, 0).filter(|&t| t > from)
}

/// Busy time with its buffer, merged into disjoint intervals sorted by start (so their ends
/// are sorted too, and one binary search answers "does this overlap anything?").
struct Blocked(Vec<(DateTime<Utc>, DateTime<Utc>)>);

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
struct Offer {
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

/// Parses one weekday's hours as an admin types them: `"09:00-12:00, 13:00-17:00"`, or an
/// empty string for a day without hours. The message is written for the admin.
pub fn parse_day_windows(text: &str) -> Result<Vec<WorkingWindow>, String> {
    let time = |raw: &str| {
        NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| {
            format!(
                "{:?} is not a time; write hours like 09:00-12:00, 13:00-17:00",
                raw.trim()
            )
        })
    };
    let mut windows = Vec::new();
    for part in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (start, end) = part
            .split_once(['-', '–'])
            .ok_or_else(|| format!("{part:?} needs a start and an end, like 09:00-12:00"))?;
        windows.push(WorkingWindow::new(time(start)?, time(end)?).map_err(|e| e.to_string())?);
    }
    windows.sort();
    if windows.windows(2).any(|w| w[1].start < w[0].end) {
        return Err("two of these windows overlap".into());
    }
    Ok(windows)
}

/// One weekday's hours in the form [`parse_day_windows`] reads.
pub fn format_day_windows(windows: &[WorkingWindow]) -> String {
    windows
        .iter()
        .map(|w| format!("{}-{}", w.start.format("%H:%M"), w.end.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses days off as an admin types them: ISO dates separated by commas, spaces or lines.
pub fn parse_days_off(text: &str) -> Result<BTreeSet<NaiveDate>, String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| {
            NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .map_err(|_| format!("{p:?} is not a date; write dates like 2026-12-24"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::Index;

    const NEW_YORK: Tz = Tz::America__New_York;
    const BERLIN: Tz = Tz::Europe__Berlin;
    const LORD_HOWE: Tz = Tz::Australia__Lord_Howe;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn win(start: (u32, u32), end: (u32, u32)) -> WorkingWindow {
        WorkingWindow::hm(start, end).unwrap()
    }

    fn every_day(windows: &[WorkingWindow]) -> WeeklyHours {
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        WeeklyHours::new().with_days(&all, windows).unwrap()
    }

    /// Rules with no notice and a long horizon, so a test sees a whole day.
    fn rules(length: u32, buffer: u32) -> ConsultRules {
        ConsultRules::from_minutes(length, buffer, 0, 7).unwrap()
    }

    /// The slots of one local date, with "now" a day before it.
    fn day_slots(
        zone: Tz,
        windows: &[WorkingWindow],
        rules: &ConsultRules,
        busy: &[Busy],
        day: NaiveDate,
    ) -> Vec<ConsultSlot> {
        let avail = Availability::new(zone, every_day(windows), BTreeSet::new());
        let now = day
            .pred_opt()
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        slots(&avail, rules, busy, now)
            .into_iter()
            .filter(|s| s.start.with_timezone(&zone).date_naive() == day)
            .collect()
    }

    fn starts(slots: &[ConsultSlot]) -> Vec<DateTime<Utc>> {
        slots.iter().map(|s| s.start).collect()
    }

    /// Each slot's start as the practice's clock shows it, with the offset.
    fn wall(zone: Tz, slots: &[ConsultSlot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| s.start.with_timezone(&zone).format("%H:%M %:z").to_string())
            .collect()
    }

    fn assert_length(slots: &[ConsultSlot], minutes: i64) {
        for s in slots {
            assert_eq!(s.end - s.start, Duration::minutes(minutes), "{s:?}");
        }
    }

    // --- rules and hours -------------------------------------------------------------------

    #[test]
    fn defaults_are_the_practice_defaults() {
        let r = ConsultRules::default();
        assert_eq!(r.length(), Duration::minutes(50));
        assert_eq!(r.buffer_after(), Duration::minutes(10));
        assert_eq!(r.min_notice(), Duration::hours(24));
        assert_eq!(r.horizon_days(), 28);
        assert_eq!(r.horizon(), Duration::days(28));
        assert_eq!(
            ConsultRules::new(
                Duration::minutes(50),
                Duration::minutes(10),
                Duration::hours(24),
                28
            ),
            Ok(r)
        );
    }

    #[test]
    fn rules_refuse_nonsense() {
        let m = Duration::minutes;
        let e = |len, buf, notice, days| ConsultRules::new(len, buf, notice, days).unwrap_err();
        assert_eq!(e(m(0), m(10), m(0), 28), BookingRuleError::ConsultLength);
        assert_eq!(e(m(-50), m(10), m(0), 28), BookingRuleError::ConsultLength);
        assert_eq!(e(m(721), m(10), m(0), 28), BookingRuleError::ConsultLength);
        assert_eq!(
            e(Duration::MAX, m(10), m(0), 28),
            BookingRuleError::NotWholeMinutes
        );
        assert_eq!(e(m(50), m(-1), m(0), 28), BookingRuleError::BufferAfter);
        assert_eq!(e(m(50), m(721), m(0), 28), BookingRuleError::BufferAfter);
        assert_eq!(
            e(m(50), m(10), Duration::days(91), 28),
            BookingRuleError::MinNotice
        );
        assert_eq!(e(m(50), m(10), m(0), 0), BookingRuleError::Horizon);
        assert_eq!(e(m(50), m(10), m(0), 367), BookingRuleError::Horizon);
        assert_eq!(
            e(Duration::seconds(50 * 60 + 1), m(10), m(0), 28),
            BookingRuleError::NotWholeMinutes
        );
        assert_eq!(
            e(m(50), m(10), Duration::milliseconds(1), 28),
            BookingRuleError::NotWholeMinutes
        );
        assert_eq!(
            ConsultRules::from_minutes(u32::MAX, 0, 0, 1),
            Err(BookingRuleError::ConsultLength)
        );
        let widest = ConsultRules::from_minutes(720, 720, 90 * 24 * 60, 366).unwrap();
        assert_eq!(widest.length(), Duration::hours(12));
        assert!(!e(m(0), m(0), m(0), 1).to_string().is_empty());
    }

    #[test]
    fn windows_are_whole_minutes_and_not_empty() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap();
        assert!(WorkingWindow::new(t(9, 0, 0), t(17, 0, 0)).is_ok());
        assert_eq!(
            WorkingWindow::new(t(9, 0, 0), t(9, 0, 0)),
            Err(BookingRuleError::EmptyWindow {
                start: t(9, 0, 0),
                end: t(9, 0, 0)
            })
        );
        assert!(matches!(
            WorkingWindow::new(t(17, 0, 0), t(9, 0, 0)),
            Err(BookingRuleError::EmptyWindow { .. })
        ));
        assert_eq!(
            WorkingWindow::new(t(9, 0, 30), t(17, 0, 0)),
            Err(BookingRuleError::WindowNotWholeMinutes)
        );
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        assert_eq!(
            WorkingWindow::new(t(9, 0, 0), leap),
            Err(BookingRuleError::WindowNotWholeMinutes)
        );
        assert_eq!(
            WorkingWindow::hm((24, 0), (25, 0)),
            Err(BookingRuleError::WindowNotWholeMinutes)
        );
    }

    #[test]
    fn weekly_hours_sort_and_refuse_overlaps() {
        let w = WeeklyHours::new()
            .with_day(Weekday::Mon, [win((13, 0), (17, 0)), win((9, 0), (13, 0))])
            .unwrap();
        assert_eq!(
            w.windows(Weekday::Mon),
            &[win((9, 0), (13, 0)), win((13, 0), (17, 0))]
        );
        assert!(w.windows(Weekday::Tue).is_empty());
        assert!(!w.is_closed());
        assert!(WeeklyHours::new().is_closed());
        assert_eq!(
            WeeklyHours::new()
                .with_day(Weekday::Fri, [win((9, 0), (12, 1)), win((12, 0), (13, 0))]),
            Err(BookingRuleError::OverlappingWindows { day: Weekday::Fri })
        );
        assert_eq!(
            WeeklyHours::new().with_day(Weekday::Fri, [win((9, 0), (12, 0)), win((9, 0), (12, 0))]),
            Err(BookingRuleError::OverlappingWindows { day: Weekday::Fri })
        );
    }

    #[test]
    fn zones_parse_by_iana_name() {
        assert_eq!(parse_zone("Europe/Berlin"), Ok(BERLIN));
        assert_eq!(parse_zone("Australia/Lord_Howe"), Ok(LORD_HOWE));
        assert_eq!(
            parse_zone("Mars/Olympus_Mons"),
            Err(BookingRuleError::UnknownZone("Mars/Olympus_Mons".into()))
        );
        assert!(parse_zone("").is_err());
    }

    #[test]
    fn serde_round_trips_and_validates() {
        let rules = ConsultRules::from_minutes(45, 15, 60, 14).unwrap();
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(
            json,
            r#"{"length_minutes":45,"buffer_after_minutes":15,"min_notice_minutes":60,"horizon_days":14}"#
        );
        assert_eq!(serde_json::from_str::<ConsultRules>(&json).unwrap(), rules);
        assert_eq!(
            serde_json::from_str::<ConsultRules>("{}").unwrap(),
            ConsultRules::default()
        );
        assert!(serde_json::from_str::<ConsultRules>(r#"{"length_minutes":0}"#).is_err());

        let avail = Availability::new(
            LORD_HOWE,
            WeeklyHours::new()
                .with_day(Weekday::Tue, [win((9, 0), (12, 0)), win((13, 0), (17, 30))])
                .unwrap(),
            [date(2026, 12, 25)].into_iter().collect(),
        );
        let json = serde_json::to_string(&avail).unwrap();
        assert!(json.contains(r#""zone":"Australia/Lord_Howe""#), "{json}");
        assert_eq!(serde_json::from_str::<Availability>(&json).unwrap(), avail);
        assert_eq!(avail.zone_name(), "Australia/Lord_Howe");

        let typed =
            r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"17:00"}]}}"#;
        let parsed: Availability = serde_json::from_str(typed).unwrap();
        assert_eq!(parsed.weekly.windows(Weekday::Mon), &[win((9, 0), (17, 0))]);
        assert!(parsed.days_off.is_empty());

        for bad in [
            r#"{"zone":"Europe/Berlinn","weekly":{}}"#,
            r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"17:00","end":"09:00"}]}}"#,
            r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"12:00"},{"start":"11:00","end":"13:00"}]}}"#,
        ] {
            assert!(serde_json::from_str::<Availability>(bad).is_err(), "{bad}");
        }
    }

    // --- an ordinary day ---------------------------------------------------------------------

    #[test]
    fn an_ordinary_day_is_a_grid_of_length_plus_buffer() {
        // Tue 3 Mar 2026, Berlin on CET (+01:00).
        let got = day_slots(
            BERLIN,
            &[win((9, 0), (17, 0))],
            &ConsultRules::from_minutes(50, 10, 0, 7).unwrap(),
            &[],
            date(2026, 3, 3),
        );
        assert_eq!(
            wall(BERLIN, &got),
            [
                "09:00 +01:00",
                "10:00 +01:00",
                "11:00 +01:00",
                "12:00 +01:00",
                "13:00 +01:00",
                "14:00 +01:00",
                "15:00 +01:00",
                "16:00 +01:00"
            ]
        );
        assert_eq!(got[0].start, utc("2026-03-03T08:00:00Z"));
        assert_length(&got, 50);
        // The last consult ends at 16:50; its buffer may run past closing.
        let short = day_slots(
            BERLIN,
            &[win((9, 0), (16, 55))],
            &rules(50, 10),
            &[],
            date(2026, 3, 3),
        );
        assert_eq!(short.len(), 8);
        let shorter = day_slots(
            BERLIN,
            &[win((9, 0), (16, 49))],
            &rules(50, 10),
            &[],
            date(2026, 3, 3),
        );
        assert_eq!(shorter.len(), 7);
    }

    #[test]
    fn each_window_starts_its_own_grid() {
        let got = day_slots(
            BERLIN,
            &[win((9, 0), (12, 0)), win((13, 30), (15, 0))],
            &rules(50, 10),
            &[],
            date(2026, 3, 3),
        );
        assert_eq!(
            wall(BERLIN, &got),
            [
                "09:00 +01:00",
                "10:00 +01:00",
                "11:00 +01:00",
                "13:30 +01:00"
            ]
        );
        // Touching windows: the buffer after the first window's last consult still counts.
        let got = day_slots(
            BERLIN,
            &[win((9, 0), (10, 55)), win((10, 55), (13, 0))],
            &rules(50, 10),
            &[],
            date(2026, 3, 3),
        );
        assert_eq!(
            wall(BERLIN, &got),
            ["09:00 +01:00", "10:00 +01:00", "11:55 +01:00"]
        );
    }

    #[test]
    fn notice_and_horizon_are_measured_from_now() {
        let avail = Availability::new(BERLIN, every_day(&[win((9, 0), (17, 0))]), BTreeSet::new());
        let rules = ConsultRules::from_minutes(50, 10, 24 * 60, 2).unwrap();
        // Mon 2 Mar 2026, 09:00 CET.
        let now = utc("2026-03-02T08:00:00Z");
        let got = slots(&avail, &rules, &[], now);
        // Exactly now + notice is bookable; exactly now + horizon is not.
        assert_eq!(
            got.first().map(|s| s.start),
            Some(utc("2026-03-03T08:00:00Z"))
        );
        assert_eq!(
            got.last().map(|s| s.start),
            Some(utc("2026-03-03T15:00:00Z"))
        );
        assert_eq!(got.len(), 8);

        let got = slots(&avail, &rules, &[], now + Duration::seconds(1));
        assert_eq!(
            got.first().map(|s| s.start),
            Some(utc("2026-03-03T09:00:00Z"))
        );
        assert_eq!(
            got.last().map(|s| s.start),
            Some(utc("2026-03-04T08:00:00Z"))
        );
        assert_eq!(got.len(), 8);

        // Notice longer than the horizon leaves nothing.
        let closed = ConsultRules::from_minutes(50, 10, 3 * 24 * 60, 2).unwrap();
        assert!(slots(&avail, &closed, &[], now).is_empty());
    }

    #[test]
    fn bookings_block_with_their_buffer_on_both_sides() {
        let day = date(2026, 3, 3);
        let w = [win((9, 0), (13, 0))];
        let r = rules(50, 10);
        let booked = |from: &str, to: &str| {
            let b = [Busy::new(utc(from), utc(to))];
            wall(BERLIN, &day_slots(BERLIN, &w, &r, &b, day))
        };
        // Booked 10:00–10:50: 09:00 ends 09:50 and its buffer reaches exactly 10:00; 11:00
        // starts exactly 10 minutes after the booking ends.
        assert_eq!(
            booked("2026-03-03T09:00:00Z", "2026-03-03T09:50:00Z"),
            ["09:00 +01:00", "11:00 +01:00", "12:00 +01:00"]
        );
        // Booked 10:05–10:55: its buffer runs to 11:05, so 11:00 goes too.
        assert_eq!(
            booked("2026-03-03T09:05:00Z", "2026-03-03T09:55:00Z"),
            ["09:00 +01:00", "12:00 +01:00"]
        );
        // Booked 09:55–10:45: 09:00 would leave only 5 minutes before it.
        assert_eq!(
            booked("2026-03-03T08:55:00Z", "2026-03-03T09:45:00Z"),
            ["11:00 +01:00", "12:00 +01:00"]
        );
        // A reversed interval blocks the same time; an empty one (no buffer) blocks nothing.
        assert_eq!(
            booked("2026-03-03T09:50:00Z", "2026-03-03T09:00:00Z"),
            ["09:00 +01:00", "11:00 +01:00", "12:00 +01:00"]
        );
        let none = [Busy::new(
            utc("2026-03-03T09:00:00Z"),
            utc("2026-03-03T09:00:00Z"),
        )];
        assert_eq!(day_slots(BERLIN, &w, &rules(50, 0), &none, day).len(), 4);
        // …but a zero-length block still carries the buffer after it.
        assert_eq!(day_slots(BERLIN, &w, &r, &none, day).len(), 3);
    }

    #[test]
    fn busy_order_does_not_matter() {
        let day = date(2026, 3, 3);
        let w = [win((8, 0), (18, 0))];
        let mut busy = vec![
            Busy::new(utc("2026-03-03T13:00:00Z"), utc("2026-03-03T13:50:00Z")),
            Busy::new(utc("2026-03-03T08:30:00Z"), utc("2026-03-03T09:10:00Z")),
            Busy::new(utc("2026-03-03T08:40:00Z"), utc("2026-03-03T08:45:00Z")),
            Busy::new(utc("2026-03-03T10:00:00Z"), utc("2026-03-03T10:50:00Z")),
        ];
        let sorted = day_slots(BERLIN, &w, &rules(50, 10), &busy, day);
        busy.reverse();
        assert_eq!(day_slots(BERLIN, &w, &rules(50, 10), &busy, day), sorted);
        assert_eq!(
            wall(BERLIN, &sorted),
            [
                "08:00 +01:00",
                "12:00 +01:00",
                "13:00 +01:00",
                "15:00 +01:00",
                "16:00 +01:00",
                "17:00 +01:00"
            ]
        );
    }

    #[test]
    fn days_off_are_local_dates() {
        let mut avail = Availability::new(
            LORD_HOWE,
            every_day(&[win((9, 0), (10, 0))]),
            BTreeSet::new(),
        );
        let now = utc("2026-03-01T00:00:00Z");
        let r = ConsultRules::from_minutes(50, 10, 0, 3).unwrap();
        let local_days = |a: &Availability| {
            slots(a, &r, &[], now)
                .iter()
                .map(|s| s.start.with_timezone(&LORD_HOWE).date_naive())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            local_days(&avail),
            [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
        );
        // 09:00 on 3 Mar in Lord Howe is 22:00 UTC on 2 Mar: the day off is the local date.
        avail.days_off.insert(date(2026, 3, 3));
        assert_eq!(local_days(&avail), [date(2026, 3, 2), date(2026, 3, 4)]);
    }

    #[test]
    fn a_picked_start_is_looked_up_in_the_offer() {
        let got = day_slots(
            BERLIN,
            &[win((9, 0), (12, 0))],
            &rules(50, 10),
            &[],
            date(2026, 3, 3),
        );
        let picked = utc("2026-03-03T09:00:00Z");
        assert_eq!(
            offered(&got, picked),
            Some(ConsultSlot {
                start: picked,
                end: utc("2026-03-03T09:50:00Z")
            })
        );
        assert_eq!(offered(&got, utc("2026-03-03T09:30:00Z")), None);
        assert_eq!(offered(&[], picked), None);
        assert_eq!(
            Busy::from(got[1]),
            Busy::new(picked, utc("2026-03-03T09:50:00Z"))
        );
    }

    // --- DST regression dates ----------------------------------------------------------------

    const NIGHT: (u32, u32) = (0, 0);
    const DAWN: (u32, u32) = (4, 0);

    #[test]
    fn new_york_spring_gap_2026_03_08() {
        // 02:00 EST → 03:00 EDT: the window 00:00–04:00 lasts 3 real hours.
        let got = day_slots(
            NEW_YORK,
            &[win(NIGHT, DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 3, 8),
        );
        assert_eq!(
            starts(&got),
            [
                utc("2026-03-08T05:00:00Z"),
                utc("2026-03-08T06:00:00Z"),
                utc("2026-03-08T07:00:00Z")
            ]
        );
        assert_eq!(
            wall(NEW_YORK, &got),
            ["00:00 -05:00", "01:00 -05:00", "03:00 -04:00"]
        );
        assert_length(&got, 50);
    }

    #[test]
    fn new_york_a_consult_may_run_through_the_gap() {
        // 01:30 EST + 50 min ends at 03:20 EDT: 50 real minutes, all inside 01:30–04:00.
        // The 03:30 candidate would end at 04:20.
        let got = day_slots(
            NEW_YORK,
            &[win((1, 30), DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 3, 8),
        );
        assert_eq!(starts(&got), [utc("2026-03-08T06:30:00Z")]);
        assert_eq!(
            got[0]
                .end
                .with_timezone(&NEW_YORK)
                .format("%H:%M %:z")
                .to_string(),
            "03:20 -04:00"
        );
        // A window ending inside the gap ends when the clock jumps; one wholly inside the gap
        // is empty.
        let got = day_slots(
            NEW_YORK,
            &[win((1, 30), (2, 30))],
            &rules(20, 10),
            &[],
            date(2026, 3, 8),
        );
        assert_eq!(wall(NEW_YORK, &got), ["01:30 -05:00"]);
        let got = day_slots(
            NEW_YORK,
            &[win((2, 0), (2, 59))],
            &rules(20, 0),
            &[],
            date(2026, 3, 8),
        );
        assert!(got.is_empty());
    }

    #[test]
    fn new_york_autumn_fold_2026_11_01() {
        // 02:00 EDT → 01:00 EST: 01:00–02:00 happens twice; the window lasts 5 real hours,
        // and the wall-clock grid offers 01:00 once (its first instance).
        let got = day_slots(
            NEW_YORK,
            &[win(NIGHT, DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 11, 1),
        );
        assert_eq!(
            starts(&got),
            [
                utc("2026-11-01T04:00:00Z"),
                utc("2026-11-01T05:00:00Z"),
                utc("2026-11-01T07:00:00Z"),
                utc("2026-11-01T08:00:00Z")
            ]
        );
        assert_eq!(
            wall(NEW_YORK, &got),
            [
                "00:00 -04:00",
                "01:00 -04:00",
                "02:00 -05:00",
                "03:00 -05:00"
            ]
        );
        assert_length(&got, 50);
    }

    #[test]
    fn new_york_fold_uses_the_instance_that_fits_the_window() {
        let day = date(2026, 11, 1);
        // 01:30 EDT + 50 min would run past 02:00 EDT, where the clock falls back to 01:00 —
        // before the window opens. 01:30 EST fits, so that is the slot.
        let got = day_slots(NEW_YORK, &[win((1, 30), (3, 0))], &rules(50, 10), &[], day);
        assert_eq!(starts(&got), [utc("2026-11-01T06:30:00Z")]);
        assert_eq!(wall(NEW_YORK, &got), ["01:30 -05:00"]);

        // The instance depends on the window alone: booking the first 01:00 does not move the
        // slot to the second 01:00.
        let w = [win((1, 0), (2, 0))];
        let free = day_slots(NEW_YORK, &w, &rules(50, 10), &[], day);
        assert_eq!(wall(NEW_YORK, &free), ["01:00 -04:00"]);
        let booked = [Busy::new(
            utc("2026-11-01T05:00:00Z"),
            utc("2026-11-01T05:50:00Z"),
        )];
        assert!(day_slots(NEW_YORK, &w, &rules(50, 10), &booked, day).is_empty());
    }

    #[test]
    fn berlin_spring_gap_2026_03_29() {
        // 02:00 CET → 03:00 CEST.
        let got = day_slots(
            BERLIN,
            &[win(NIGHT, DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 3, 29),
        );
        assert_eq!(
            starts(&got),
            [
                utc("2026-03-28T23:00:00Z"),
                utc("2026-03-29T00:00:00Z"),
                utc("2026-03-29T01:00:00Z")
            ]
        );
        assert_eq!(
            wall(BERLIN, &got),
            ["00:00 +01:00", "01:00 +01:00", "03:00 +02:00"]
        );
        // Office hours on the switch day keep their wall-clock times.
        let office = day_slots(
            BERLIN,
            &[win((9, 0), (12, 0))],
            &rules(50, 10),
            &[],
            date(2026, 3, 29),
        );
        assert_eq!(
            wall(BERLIN, &office),
            ["09:00 +02:00", "10:00 +02:00", "11:00 +02:00"]
        );
    }

    #[test]
    fn berlin_autumn_fold_2026_10_25() {
        // 03:00 CEST → 02:00 CET: 02:00–03:00 happens twice.
        let got = day_slots(
            BERLIN,
            &[win(NIGHT, DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 10, 25),
        );
        assert_eq!(
            starts(&got),
            [
                utc("2026-10-24T22:00:00Z"),
                utc("2026-10-24T23:00:00Z"),
                utc("2026-10-25T00:00:00Z"),
                utc("2026-10-25T02:00:00Z")
            ]
        );
        assert_eq!(
            wall(BERLIN, &got),
            [
                "00:00 +02:00",
                "01:00 +02:00",
                "02:00 +02:00",
                "03:00 +01:00"
            ]
        );
    }

    #[test]
    fn lord_howe_autumn_half_hour_fold_2026_04_05() {
        // 02:00 +11:00 → 01:30 +10:30: 01:30–02:00 happens twice; the window lasts 4.5 h.
        let day = date(2026, 4, 5);
        let got = day_slots(LORD_HOWE, &[win(NIGHT, DAWN)], &rules(50, 10), &[], day);
        assert_eq!(
            starts(&got),
            [
                utc("2026-04-04T13:00:00Z"),
                utc("2026-04-04T14:00:00Z"),
                utc("2026-04-04T15:30:00Z"),
                utc("2026-04-04T16:30:00Z")
            ]
        );
        assert_eq!(
            wall(LORD_HOWE, &got),
            [
                "00:00 +11:00",
                "01:00 +11:00",
                "02:00 +10:30",
                "03:00 +10:30"
            ]
        );
        // On a half-hour grid the repeated 01:30 is offered once.
        let got = day_slots(LORD_HOWE, &[win(NIGHT, DAWN)], &rules(20, 10), &[], day);
        assert_eq!(
            wall(LORD_HOWE, &got),
            [
                "00:00 +11:00",
                "00:30 +11:00",
                "01:00 +11:00",
                "01:30 +11:00",
                "02:00 +10:30",
                "02:30 +10:30",
                "03:00 +10:30",
                "03:30 +10:30"
            ]
        );
        assert_length(&got, 20);
    }

    #[test]
    fn lord_howe_spring_half_hour_gap_2026_10_04() {
        // 02:00 +10:30 → 02:30 +11:00: the window lasts 3.5 h.
        let day = date(2026, 10, 4);
        let got = day_slots(LORD_HOWE, &[win(NIGHT, DAWN)], &rules(50, 10), &[], day);
        assert_eq!(
            starts(&got),
            [
                utc("2026-10-03T13:30:00Z"),
                utc("2026-10-03T14:30:00Z"),
                utc("2026-10-03T16:00:00Z")
            ]
        );
        assert_eq!(
            wall(LORD_HOWE, &got),
            ["00:00 +10:30", "01:00 +10:30", "03:00 +11:00"]
        );
        let got = day_slots(LORD_HOWE, &[win(NIGHT, DAWN)], &rules(20, 10), &[], day);
        assert_eq!(
            wall(LORD_HOWE, &got),
            [
                "00:00 +10:30",
                "00:30 +10:30",
                "01:00 +10:30",
                "01:30 +10:30",
                "02:30 +11:00",
                "03:00 +11:00",
                "03:30 +11:00"
            ]
        );
    }

    #[test]
    fn lord_howe_gap_can_bring_grid_starts_too_close() {
        // 01:45 +10:30 runs to 03:05 +11:00 (50 real minutes). The next grid start, 02:45
        // +11:00, is only 30 real minutes later, so it is not offered.
        let got = day_slots(
            LORD_HOWE,
            &[win((1, 45), DAWN)],
            &rules(50, 10),
            &[],
            date(2026, 10, 4),
        );
        assert_eq!(starts(&got), [utc("2026-10-03T15:15:00Z")]);
        assert_eq!(
            got[0]
                .end
                .with_timezone(&LORD_HOWE)
                .format("%H:%M %:z")
                .to_string(),
            "03:05 +11:00"
        );
    }

    // --- rendering ---------------------------------------------------------------------------

    #[test]
    fn render_in_the_viewers_zone() {
        let t = utc("2026-03-03T13:00:00Z");
        assert_eq!(render_in(t, BERLIN), "Tue 3 Mar, 14:00 (GMT+1)");
        assert_eq!(render_in(t, NEW_YORK), "Tue 3 Mar, 08:00 (GMT-5)");
        assert_eq!(render_in(t, Tz::UTC), "Tue 3 Mar, 13:00 (GMT)");
        assert_eq!(
            render_in(t, Tz::Asia__Kathmandu),
            "Tue 3 Mar, 18:45 (GMT+5:45)"
        );
        assert_eq!(
            render_in(t, Tz::America__St_Johns),
            "Tue 3 Mar, 09:30 (GMT-3:30)"
        );
        assert_eq!(
            render_in(utc("2026-04-04T15:30:00Z"), LORD_HOWE),
            "Sun 5 Apr, 02:00 (GMT+10:30)"
        );
        assert_eq!(
            render_in(utc("2026-04-04T14:30:00Z"), LORD_HOWE),
            "Sun 5 Apr, 01:30 (GMT+11)"
        );
        assert!(!render_in(DateTime::<Utc>::MAX_UTC, Tz::Pacific__Kiritimati).is_empty());
        assert!(!render_in(DateTime::<Utc>::MIN_UTC, Tz::America__Los_Angeles).is_empty());
    }

    // --- never panic -------------------------------------------------------------------------

    #[test]
    fn extreme_instants_give_no_slots_and_no_panic() {
        let widest = ConsultRules::from_minutes(720, 720, 90 * 24 * 60, 366).unwrap();
        let avail = Availability::new(
            Tz::Pacific__Kiritimati,
            every_day(&[win((0, 0), (23, 59))]),
            BTreeSet::new(),
        );
        let busy = [
            Busy::new(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
            Busy::new(DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC),
        ];
        for rules in [widest, ConsultRules::default()] {
            // The horizon runs past the end of time: nothing.
            let now = DateTime::<Utc>::MAX_UTC;
            assert!(slots(&avail, &rules, &[], now).is_empty());
            // The dawn of chrono's calendar is a valid, if odd, "now".
            let now = DateTime::<Utc>::MIN_UTC;
            for got in [
                slots(&avail, &rules, &[], now),
                slots(&avail, &rules, &busy, now),
            ] {
                assert!(got.iter().all(|s| s.start >= now + rules.min_notice()));
                assert!(got.windows(2).all(|p| p[0].end <= p[1].start));
            }
            assert!(slots(&avail, &rules, &busy[..1], now).is_empty());
        }
        // Everything blocked, everything after the edge of time: no slot, no panic.
        let now = utc("2026-03-01T00:00:00Z");
        assert!(slots(&avail, &widest, &busy, now).is_empty());
        let edge = [Busy::new(now, DateTime::<Utc>::MAX_UTC)];
        assert!(slots(&avail, &widest, &edge, now).is_empty());
    }

    // --- properties --------------------------------------------------------------------------

    const ZONES: [Tz; 3] = [NEW_YORK, BERLIN, LORD_HOWE];

    fn reading(zone: Tz, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&zone).naive_local()
    }

    /// Instants (midnight UTC) of the days in 2025–2030 on which `zone` changes offset.
    fn switch_days(zone: Tz) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut day = utc("2025-01-01T00:00:00Z");
        while day < utc("2031-01-01T00:00:00Z") {
            let next = day + Duration::days(1);
            if offset_seconds(zone, day) != offset_seconds(zone, next) {
                out.push(day);
            }
            day = next;
        }
        out
    }

    /// Whether the clock reads inside `[open, close)` at every minute of `[start, end)` and at
    /// its last second — independent of `inside_window`'s bisection.
    fn sampled_inside(
        zone: Tz,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        open: NaiveDateTime,
        close: NaiveDateTime,
    ) -> bool {
        let mut t = start;
        let mut samples = Vec::new();
        while t < end {
            samples.push(t);
            t += Duration::minutes(1);
        }
        samples.push(end - Duration::seconds(1));
        samples.iter().all(|&t| {
            let r = reading(zone, t);
            open <= r && r < close
        })
    }

    /// The (date, window) whose hours hold the whole consult, if any.
    fn holding_window(
        avail: &Availability,
        rules: &ConsultRules,
        start: DateTime<Utc>,
    ) -> Option<(NaiveDate, WorkingWindow)> {
        let day = reading(avail.zone, start).date();
        if avail.days_off.contains(&day) {
            return None;
        }
        avail
            .weekly
            .windows(day.weekday())
            .iter()
            .find(|w| {
                sampled_inside(
                    avail.zone,
                    start,
                    start + rules.length(),
                    day.and_time(w.start()),
                    day.and_time(w.end()),
                )
            })
            .map(|w| (day, *w))
    }

    fn clashes(rules: &ConsultRules, start: DateTime<Utc>, busy: &[Busy]) -> bool {
        let occupied = start + rules.length() + rules.buffer_after();
        busy.iter().any(|b| {
            let (lo, hi) = (
                b.start.min(b.end),
                b.start.max(b.end) + rules.buffer_after(),
            );
            lo < hi && start < hi && lo < occupied
        })
    }

    /// Every invariant of the issue, checked from first principles against the output.
    fn check_offer(
        avail: &Availability,
        rules: &ConsultRules,
        busy: &[Busy],
        now: DateTime<Utc>,
        got: &[ConsultSlot],
    ) -> Result<(), TestCaseError> {
        let zone = avail.zone;
        let step = rules.length() + rules.buffer_after();
        let earliest = now + rules.min_notice();
        let latest = now + rules.horizon();
        let mut walls = BTreeSet::new();
        for (i, s) in got.iter().enumerate() {
            // The consult lasts `length` of real time.
            prop_assert_eq!(s.end - s.start, rules.length());
            // Notice and horizon.
            prop_assert!(s.start >= earliest, "{:?} before notice", s);
            prop_assert!(s.start < latest, "{:?} beyond horizon", s);
            // Inside working hours at every instant, on a working day, on the window's grid
            // (so a start in a gap was not shifted onto another time).
            let held = holding_window(avail, rules, s.start);
            prop_assert!(
                held.is_some(),
                "{:?} ({}) outside hours",
                s,
                reading(zone, s.start)
            );
            if let Some((day, w)) = held {
                let offset = reading(zone, s.start) - day.and_time(w.start());
                prop_assert_eq!(
                    offset.num_seconds() % step.num_seconds(),
                    0,
                    "{:?} off grid",
                    s
                );
                // A repeated wall-clock time uses its first instance that fits the window.
                let wall_start = reading(zone, s.start);
                if let MappedLocalTime::Ambiguous(a, b) = zone.from_local_datetime(&wall_start) {
                    let first = a.min(b).with_timezone(&Utc);
                    if first != s.start {
                        prop_assert!(!sampled_inside(
                            zone,
                            first,
                            first + rules.length(),
                            day.and_time(w.start()),
                            day.and_time(w.end())
                        ));
                    }
                }
            }
            // Never two slots at the same wall-clock time (the repeated hour).
            prop_assert!(
                walls.insert(reading(zone, s.start)),
                "duplicate wall clock {:?}",
                s
            );
            // Existing bookings plus buffers.
            prop_assert!(
                !clashes(rules, s.start, busy),
                "{:?} clashes with a booking",
                s
            );
            // Strictly increasing, and any two slots could both be booked.
            if let Some(prev) = i.checked_sub(1).and_then(|p| got.get(p)) {
                prop_assert!(prev.start < s.start);
                prop_assert!(
                    s.start >= prev.end + rules.buffer_after(),
                    "{:?} then {:?}",
                    prev,
                    s
                );
            }
        }

        // Nothing eligible is left out: each grid time's instance that fits its window, if it
        // meets notice, horizon and bookings and no offered slot is within a step of it, is
        // offered.
        let mut day = reading(zone, earliest).date() - Duration::days(1);
        let last_day = reading(zone, latest).date() + Duration::days(1);
        while day <= last_day {
            if !avail.days_off.contains(&day) {
                for w in avail.weekly.windows(day.weekday()) {
                    let (open, close) = (day.and_time(w.start()), day.and_time(w.end()));
                    let mut wall_t = open;
                    while wall_t < close {
                        let candidates: Vec<DateTime<Utc>> = match zone.from_local_datetime(&wall_t)
                        {
                            MappedLocalTime::Single(t) => vec![t.with_timezone(&Utc)],
                            MappedLocalTime::Ambiguous(a, b) => {
                                vec![a.min(b).with_timezone(&Utc), a.max(b).with_timezone(&Utc)]
                            }
                            MappedLocalTime::None => vec![],
                        };
                        let fitting = candidates
                            .into_iter()
                            .find(|&t| sampled_inside(zone, t, t + rules.length(), open, close));
                        if let Some(t) = fitting {
                            let eligible = t >= earliest && t < latest && !clashes(rules, t, busy);
                            let crowded = got.iter().any(|q| (q.start - t).abs() < step);
                            if eligible && !crowded {
                                prop_assert!(
                                    offered(got, t).is_some(),
                                    "{} ({}) was left out",
                                    t,
                                    wall_t
                                );
                            }
                        }
                        wall_t += step;
                    }
                }
            }
            day += Duration::days(1);
        }
        Ok(())
    }

    fn day_windows() -> impl Strategy<Value = Vec<WorkingWindow>> {
        prop_oneof![
            1 => Just(vec![]),
            2 => Just(vec![win(NIGHT, DAWN)]),
            1 => Just(vec![win(NIGHT, (1, 30)), win((1, 30), DAWN)]),
            1 => Just(vec![win((1, 15), (2, 45)), win((9, 0), (17, 0))]),
            4 => prop::collection::btree_set(0u32..288, 2..=6).prop_map(|bounds| {
                let b: Vec<u32> = bounds.into_iter().collect();
                b.chunks_exact(2)
                    .map(|p| win((p[0] / 12, p[0] % 12 * 5), (p[1] / 12, p[1] % 12 * 5)))
                    .collect()
            }),
        ]
    }

    fn weekly() -> impl Strategy<Value = WeeklyHours> {
        prop::array::uniform7(day_windows()).prop_map(|days| {
            let mut w = WeeklyHours::new();
            for (i, windows) in days.into_iter().enumerate() {
                let day = Weekday::try_from(i as u8).unwrap();
                w = w.with_day(day, windows).unwrap();
            }
            w
        })
    }

    fn rules_strategy() -> impl Strategy<Value = ConsultRules> {
        (
            prop::sample::select(vec![15u32, 20, 25, 30, 45, 50, 60, 90]),
            prop::sample::select(vec![0u32, 5, 10, 15, 30]),
            prop_oneof![Just(0u32), 0u32..=3 * 24 * 60],
            1u32..=10,
        )
            .prop_map(|(l, b, n, h)| ConsultRules::from_minutes(l, b, n, h).unwrap())
    }

    /// "now": anywhere in 2025–2030, or in the four days before one of the zone's switches.
    #[derive(Debug, Clone)]
    enum When {
        Any(i64),
        BeforeSwitch(Index, i64),
    }

    fn when() -> impl Strategy<Value = When> {
        prop_oneof![
            (0i64..6 * 365 * 86_400).prop_map(When::Any),
            (any::<Index>(), 0i64..4 * 86_400).prop_map(|(i, s)| When::BeforeSwitch(i, s)),
        ]
    }

    fn resolve_now(zone: Tz, when: &When) -> DateTime<Utc> {
        match when {
            When::Any(s) => utc("2025-01-01T00:00:00Z") + Duration::seconds(*s),
            When::BeforeSwitch(i, s) => {
                let days = switch_days(zone);
                days[i.index(days.len())] - Duration::seconds(*s)
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// All invariants over 2025–2030 in New York, Berlin and Lord Howe, with random hours,
        /// days off, bookings (random ones, and ones placed on offered slots) and "now".
        #[test]
        fn offer_keeps_every_invariant(
            zone_i in 0usize..3,
            when in when(),
            weekly in weekly(),
            rules in rules_strategy(),
            days_off in prop::collection::vec(0i64..10, 0..3),
            random_busy in prop::collection::vec((-1440i64..12 * 1440, -30i64..240), 0..10),
            picks in prop::collection::vec((any::<Index>(), -15i64..=15), 0..6),
        ) {
            let zone = ZONES[zone_i];
            let now = resolve_now(zone, &when);
            let today = reading(zone, now).date();
            let avail = Availability::new(
                zone,
                weekly,
                days_off.iter().map(|&d| today + Duration::days(d)).collect(),
            );
            let free = slots(&avail, &rules, &[], now);
            check_offer(&avail, &rules, &[], now, &free)?;

            let mut busy: Vec<Busy> = random_busy
                .iter()
                .map(|&(at, len)| {
                    let start = now + Duration::minutes(at);
                    Busy::new(start, start + Duration::minutes(len))
                })
                .collect();
            let mut booked = Vec::new();
            if !free.is_empty() {
                for (i, shift) in &picks {
                    let s = free[i.index(free.len())];
                    let shift = Duration::minutes(*shift);
                    booked.push(Busy::new(s.start + shift, s.end + shift));
                }
            }
            busy.extend(&booked);
            let got = slots(&avail, &rules, &busy, now);
            check_offer(&avail, &rules, &busy, now, &got)?;
            // A booked slot is never offered again, nor anything overlapping it.
            for b in &booked {
                prop_assert!(got.iter().all(|s| s.end <= b.start || b.end <= s.start));
            }
        }

        /// Whatever the zone, instant, rules and bookings: no panic, and the output is sorted
        /// and inside notice and horizon.
        #[test]
        fn never_panics(
            zone_i in 0usize..chrono_tz::TZ_VARIANTS.len(),
            now_s in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            near in any::<bool>(),
            weekly in weekly(),
            len in 1u32..=MAX_LENGTH_MINUTES,
            buf in 0u32..=MAX_BUFFER_AFTER_MINUTES,
            notice in 0u32..=MAX_MIN_NOTICE_MINUTES,
            horizon in 1u32..=MAX_HORIZON_DAYS,
            busy in prop::collection::vec((any::<i64>(), any::<i64>()), 0..8),
        ) {
            let zone = chrono_tz::TZ_VARIANTS[zone_i];
            // Half the cases in living memory, where zones have rules; half anywhere.
            let now_s = if near { now_s.rem_euclid(200 * 365 * 86_400) + 1_000_000_000 - 100 * 365 * 86_400 } else { now_s };
            let now = DateTime::from_timestamp(now_s, 0).unwrap();
            let bound = |s: i64| {
                let lo = DateTime::<Utc>::MIN_UTC.timestamp();
                let hi = DateTime::<Utc>::MAX_UTC.timestamp();
                DateTime::from_timestamp(lo + s.rem_euclid(hi - lo), 0).unwrap()
            };
            let busy: Vec<Busy> = busy.into_iter().map(|(a, b)| Busy::new(bound(a), bound(b))).collect();
            let rules = ConsultRules::from_minutes(len, buf, notice, horizon).unwrap();
            let avail = Availability::new(zone, weekly, BTreeSet::new());
            let got = slots(&avail, &rules, &busy, now);
            for pair in got.windows(2) {
                prop_assert!(pair[0].end + rules.buffer_after() <= pair[1].start);
            }
            for s in &got {
                prop_assert!(s.start >= now + rules.min_notice() && s.start < now + rules.horizon());
                prop_assert!(!render_in(s.start, zone).is_empty());
            }
        }
    }

    #[test]
    fn admin_hours_text_round_trips() {
        let windows = parse_day_windows(" 13:00-17:00, 09:00 – 12:00 ").expect("valid");
        assert_eq!(format_day_windows(&windows), "09:00-12:00, 13:00-17:00");
        assert_eq!(parse_day_windows("").expect("empty day"), Vec::new());
        for bad in [
            "9-5",
            "09:00",
            "12:00-09:00",
            "09:00-12:00, 11:00-13:00",
            "25:00-26:00",
        ] {
            assert!(parse_day_windows(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn admin_days_off_text() {
        let days = parse_days_off("2026-12-24, 2026-12-25\n2026-12-24").expect("valid");
        assert_eq!(days.len(), 2);
        assert!(parse_days_off("24/12/2026").is_err());
        assert!(parse_days_off("  ").expect("none").is_empty());
    }
}

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
/// `{"length_minutes":50,"buffer_after_minutes":10,"min_notice_minutes":1440,"horizon_days":28}`.
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
///   offered at most once, at its first instance that qualifies;
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
            // A wall-clock time repeated by a fold is offered once: the first of its
            // instances that qualifies. One in a gap has no instance and is skipped.
            for start in instances(self.zone, wall).into_iter().flatten() {
                if let Some(slot) = self.qualifies(start, open, close) {
                    self.free_from = Some(
                        slot.end
                            .checked_add_signed(self.buffer)
                            .unwrap_or(DateTime::<Utc>::MAX_UTC),
                    );
                    out.push(slot);
                    break;
                }
            }
            match wall.checked_add_signed(step) {
                Some(next) => wall = next,
                None => break,
            }
        }
    }

    fn qualifies(
        &self,
        start: DateTime<Utc>,
        open: NaiveDateTime,
        close: NaiveDateTime,
    ) -> Option<ConsultSlot> {
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
        if !inside_window(self.zone, start, end, open, close) {
            return None;
        }
        Some(ConsultSlot { start, end })
    }
}

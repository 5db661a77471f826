//! Weekly hours: working windows per weekday, as stored and as an admin types them.

use super::*;

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
pub(super) struct WindowRecord {
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

pub(super) fn day_index(day: Weekday) -> usize {
    // 0..=6 by construction, so indexing `[_; 7]` cannot fail.
    day.num_days_from_monday() as usize
}

#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct WeeklyHoursRecord {
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

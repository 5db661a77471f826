//! The practice's consult rules (length, buffer, notice, horizon), their limits, and why an
//! admin's setting was refused.

use super::*;

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
    pub(super) fn step(&self) -> Duration {
        Duration::minutes(i64::from(self.length_minutes) + i64::from(self.buffer_after_minutes))
    }
}

pub(super) fn whole_minutes(
    d: Duration,
    out_of_range: BookingRuleError,
) -> Result<u32, BookingRuleError> {
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
pub(super) struct ConsultRulesRecord {
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

//! Wall-clock time in a zone, across DST changes: how an instant reads to a viewer, and the
//! practice clock's readings, gaps and folds that slot generation relies on.

use super::*;

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
pub(super) fn local_reading(zone: Tz, t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let utc = t.naive_utc();
    utc.checked_add_offset(zone.offset_from_utc_datetime(&utc).fix())
}

pub(super) fn offset_seconds(zone: Tz, t: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&t.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The instants at which the clock reads `wall`, earliest first: none in a gap, two in a fold.
pub(super) fn instances(zone: Tz, wall: NaiveDateTime) -> [Option<DateTime<Utc>>; 2] {
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
pub(super) fn inside_window(
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
pub(super) fn first_change(
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

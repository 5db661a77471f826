//! The practice's working hours (`PRACTICE_HOURS`): when someone reads what clients send, and
//! review targets counted in those hours rather than on the clock.
//!
//! A target of 4 hours set on Friday at 19:00 falls due on Monday at 13:00 when the practice
//! works 09:00–17:00 on weekdays: nobody reads the workspace at night, so a clock-hour target
//! would be overdue before anyone could meet it, and the client would be told nothing true.

use super::*;

/// Parses the week as an admin writes it: groups of days and their hours, separated by `;`.
/// `"mon-fri 09:00-17:00"`, `"mon-thu 09:00-12:00, 13:00-18:00; fri 09:00-13:00"`.
/// Days not named have no hours. The message is written for the admin.
pub fn parse_week(text: &str) -> Result<WeeklyHours, String> {
    let mut week = WeeklyHours::new();
    let mut named = [false; 7];
    for group in text.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let (days, hours) = group
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("{group:?} needs days and hours, like mon-fri 09:00-17:00"))?;
        let windows = parse_day_windows(hours)?;
        if windows.is_empty() {
            return Err(format!("{group:?} has no hours"));
        }
        for day in parse_days(days)? {
            let i = day_index(day);
            if named[i] {
                return Err(format!("{day} is named twice"));
            }
            named[i] = true;
            week = week
                .with_day(day, windows.iter().copied())
                .map_err(|e| e.to_string())?;
        }
    }
    if week.is_closed() {
        return Err("no working hours given; write them like mon-fri 09:00-17:00".into());
    }
    Ok(week)
}

/// `"mon-fri"`, `"sat"`, `"mon,wed,fri"`, `"fri-mon"` (a range may wrap past Sunday).
fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let day = |raw: &str| {
        raw.trim()
            .parse::<Weekday>()
            .map_err(|_| format!("{:?} is not a weekday; write mon, tue, … sun", raw.trim()))
    };
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once(['-', '–']) {
            Some((from, to)) => {
                let (mut d, to) = (day(from)?, day(to)?);
                out.push(d);
                while d != to {
                    d = d.succ();
                    out.push(d);
                }
            }
            None => out.push(day(part)?),
        }
    }
    Ok(out)
}

/// The week in words for a client: "Monday to Friday, 09:00–17:00; Saturday, 10:00–13:00".
/// Neighbouring days with the same hours are joined.
pub fn describe_week(week: &WeeklyHours) -> String {
    const NAMES: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let windows = |day: usize| week.windows(DAYS[day]);
    let hours = |day: usize| {
        windows(day)
            .iter()
            .map(|w| format!("{}–{}", w.start().format("%H:%M"), w.end().format("%H:%M")))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let mut groups: Vec<String> = Vec::new();
    let mut day = 0;
    while day < 7 {
        if windows(day).is_empty() {
            day += 1;
            continue;
        }
        let mut last = day;
        while last + 1 < 7 && windows(last + 1) == windows(day) {
            last += 1;
        }
        let days = match last - day {
            0 => NAMES[day].to_owned(),
            1 => format!("{} and {}", NAMES[day], NAMES[last]),
            _ => format!("{} to {}", NAMES[day], NAMES[last]),
        };
        groups.push(format!("{days}, {}", hours(day)));
        day = last + 1;
    }
    groups.join("; ")
}

/// The first instant at which the practice's clock reads `wall` or later: in a DST gap (a
/// wall time that never happens), the moment the gap ends.
fn first_instant_from(zone: Tz, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Gaps are at most a few hours long; a minute at a time finds their end.
    (0..=24 * 60).find_map(|m| instances(zone, wall.checked_add_signed(Duration::minutes(m))?)[0])
}

/// `amount` of working time after `start`: only the time inside `week`'s windows, in the
/// practice's `zone`, counts. With no hours (`None`, or a closed week) it is clock time.
pub fn add_working_time(
    start: DateTime<Utc>,
    amount: Duration,
    week: Option<&WeeklyHours>,
    zone: Tz,
) -> DateTime<Utc> {
    let clock = || start.checked_add_signed(amount).unwrap_or(start);
    let Some(week) = week.filter(|w| !w.is_closed()) else {
        return clock();
    };
    let Some(first_day) = local_reading(zone, start).map(|t| t.date()) else {
        return clock();
    };
    let mut remaining = amount;
    // A week with hours has some every 7 days, so any target is met within a year of days
    // for any target this product uses; past that, clock time.
    for date in first_day.iter_days().take(400) {
        for window in week.windows(date.weekday()) {
            let (Some(open), Some(close)) = (
                first_instant_from(zone, date.and_time(window.start())),
                first_instant_from(zone, date.and_time(window.end())),
            ) else {
                continue;
            };
            let from = open.max(start);
            if close <= from {
                continue;
            }
            let span = close - from;
            if span >= remaining {
                return from + remaining;
            }
            remaining -= span;
        }
    }
    clock()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn at(zone: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        zone.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .earliest()
            .expect("a real time")
            .with_timezone(&Utc)
    }

    fn weekdays() -> WeeklyHours {
        parse_week("mon-fri 09:00-17:00").expect("parses")
    }

    #[test]
    fn a_friday_evening_target_falls_due_on_monday() {
        // Friday 4 December 2026, 19:00 in New York: 4 working hours is Monday 13:00.
        let friday = at(New_York, 2026, 12, 4, 19, 0);
        let due = add_working_time(friday, Duration::hours(4), Some(&weekdays()), New_York);
        assert_eq!(due, at(New_York, 2026, 12, 7, 13, 0));
        // 24 working hours from Friday 16:00: one hour on Friday, then three days of eight
        // hours end on Wednesday 16:00.
        let late = at(New_York, 2026, 12, 4, 16, 0);
        let due = add_working_time(late, Duration::hours(24), Some(&weekdays()), New_York);
        assert_eq!(due, at(New_York, 2026, 12, 9, 16, 0));
    }

    #[test]
    fn inside_the_hours_it_is_clock_time() {
        let tuesday = at(New_York, 2026, 12, 8, 10, 30);
        let due = add_working_time(tuesday, Duration::hours(4), Some(&weekdays()), New_York);
        assert_eq!(due, at(New_York, 2026, 12, 8, 14, 30));
    }

    #[test]
    fn without_hours_it_is_clock_time() {
        let friday = at(New_York, 2026, 12, 4, 19, 0);
        let due = add_working_time(friday, Duration::hours(4), None, New_York);
        assert_eq!(due, friday + Duration::hours(4));
    }

    #[test]
    fn working_hours_follow_the_practice_clock_across_dst() {
        // Clocks go forward on Sunday 8 March 2026 in New York. Saturday 20:00 to Monday 11:00
        // is two working hours, whatever the offset did in between.
        let saturday = at(New_York, 2026, 3, 7, 20, 0);
        let due = add_working_time(saturday, Duration::hours(2), Some(&weekdays()), New_York);
        assert_eq!(due, at(New_York, 2026, 3, 9, 11, 0));
        // A window opening in the gap (02:30 does not exist that night) opens when it ends.
        let night = parse_week("sun 02:30-04:00").expect("parses");
        let before = at(New_York, 2026, 3, 8, 0, 0);
        let due = add_working_time(before, Duration::minutes(30), Some(&night), New_York);
        assert_eq!(due, at(New_York, 2026, 3, 8, 3, 30));
        // Clocks go back on 1 November 2026: Sunday 01:00–02:00 happens twice, so a window of
        // 00:00–03:00 that day holds four hours.
        let fold = parse_week("sun 00:00-03:00").expect("parses");
        let start = at(New_York, 2026, 11, 1, 0, 0);
        let due = add_working_time(start, Duration::hours(4), Some(&fold), New_York);
        assert_eq!(due, at(New_York, 2026, 11, 1, 3, 0));
    }

    #[test]
    fn the_week_is_read_as_written_and_said_in_words() {
        let week = parse_week("mon-thu 09:00-12:00, 13:00-18:00; fri 09:00-13:00").expect("ok");
        assert_eq!(
            describe_week(&week),
            "Monday to Thursday, 09:00–12:00 and 13:00–18:00; Friday, 09:00–13:00"
        );
        assert_eq!(
            describe_week(&parse_week("sat-sun 10:00-12:00").expect("ok")),
            "Saturday and Sunday, 10:00–12:00"
        );
        assert_eq!(
            describe_week(&parse_week("fri-mon 10:00-12:00").expect("ok")),
            "Monday, 10:00–12:00; Friday to Sunday, 10:00–12:00"
        );
        for bad in [
            "",
            "weekdays 09:00-17:00",
            "mon-fri",
            "mon-fri 17:00-09:00",
            "mon 09:00-12:00; mon 13:00-14:00",
        ] {
            assert!(parse_week(bad).is_err(), "{bad:?}");
        }
    }
}

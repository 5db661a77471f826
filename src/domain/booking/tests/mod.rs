#![cfg(test)]

use super::*;
use proptest::prelude::*;
use proptest::sample::Index;

mod dst;
mod props;

/// What a test returns: a failed step (a rule refused, JSON unread) fails it with its error.
type TestResult = Result<(), Box<dyn std::error::Error>>;

const NEW_YORK: Tz = Tz::America__New_York;
const BERLIN: Tz = Tz::Europe__Berlin;
const LORD_HOWE: Tz = Tz::Australia__Lord_Howe;
/// The night window the DST tests and properties use: 00:00–04:00.
const NIGHT: (u32, u32) = (0, 0);
const DAWN: (u32, u32) = (4, 0);

fn utc(s: &str) -> DateTime<Utc> {
    s.parse()
        .unwrap_or_else(|e| panic!("test instant {s:?}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("test date {y}-{m}-{d}"))
}

fn win(start: (u32, u32), end: (u32, u32)) -> WorkingWindow {
    WorkingWindow::hm(start, end).unwrap_or_else(|e| panic!("test window: {e:?}"))
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
    WeeklyHours::new()
        .with_days(&all, windows)
        .unwrap_or_else(|e| panic!("test hours: {e:?}"))
}

/// Rules with no notice and a long horizon, so a test sees a whole day.
fn rules(length: u32, buffer: u32) -> ConsultRules {
    ConsultRules::from_minutes(length, buffer, 0, 7).unwrap_or_else(|e| panic!("test rules: {e:?}"))
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
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_else(|| panic!("no day before {day}"))
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
    let widest = ConsultRules::from_minutes(720, 720, 90 * 24 * 60, 366)
        .unwrap_or_else(|e| panic!("the widest rules: {e:?}"));
    assert_eq!(widest.length(), Duration::hours(12));
    assert!(!e(m(0), m(0), m(0), 1).to_string().is_empty());
}

#[test]
fn windows_are_whole_minutes_and_not_empty() -> TestResult {
    let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap_or_else(|| panic!("{h}:{m}:{s}"));
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
    let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).ok_or("a leap second")?;
    assert_eq!(
        WorkingWindow::new(t(9, 0, 0), leap),
        Err(BookingRuleError::WindowNotWholeMinutes)
    );
    assert_eq!(
        WorkingWindow::hm((24, 0), (25, 0)),
        Err(BookingRuleError::WindowNotWholeMinutes)
    );
    Ok(())
}

#[test]
fn weekly_hours_sort_and_refuse_overlaps() -> TestResult {
    let w =
        WeeklyHours::new().with_day(Weekday::Mon, [win((13, 0), (17, 0)), win((9, 0), (13, 0))])?;
    assert_eq!(
        w.windows(Weekday::Mon),
        &[win((9, 0), (13, 0)), win((13, 0), (17, 0))]
    );
    assert!(w.windows(Weekday::Tue).is_empty());
    assert!(!w.is_closed());
    assert!(WeeklyHours::new().is_closed());
    assert_eq!(
        WeeklyHours::new().with_day(Weekday::Fri, [win((9, 0), (12, 1)), win((12, 0), (13, 0))]),
        Err(BookingRuleError::OverlappingWindows { day: Weekday::Fri })
    );
    assert_eq!(
        WeeklyHours::new().with_day(Weekday::Fri, [win((9, 0), (12, 0)), win((9, 0), (12, 0))]),
        Err(BookingRuleError::OverlappingWindows { day: Weekday::Fri })
    );
    Ok(())
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
fn serde_round_trips_and_validates() -> TestResult {
    let rules = ConsultRules::from_minutes(45, 15, 60, 14)?;
    let json = serde_json::to_string(&rules)?;
    assert_eq!(
        json,
        r#"{"length_minutes":45,"buffer_after_minutes":15,"min_notice_minutes":60,"horizon_days":14}"#
    );
    assert_eq!(serde_json::from_str::<ConsultRules>(&json)?, rules);
    assert_eq!(
        serde_json::from_str::<ConsultRules>("{}")?,
        ConsultRules::default()
    );
    assert!(serde_json::from_str::<ConsultRules>(r#"{"length_minutes":0}"#).is_err());

    let avail = Availability::new(
        LORD_HOWE,
        WeeklyHours::new()
            .with_day(Weekday::Tue, [win((9, 0), (12, 0)), win((13, 0), (17, 30))])?,
        [date(2026, 12, 25)].into_iter().collect(),
    );
    let json = serde_json::to_string(&avail)?;
    assert!(json.contains(r#""zone":"Australia/Lord_Howe""#), "{json}");
    assert_eq!(serde_json::from_str::<Availability>(&json)?, avail);
    assert_eq!(avail.zone_name(), "Australia/Lord_Howe");

    let typed = r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"17:00"}]}}"#;
    let parsed: Availability = serde_json::from_str(typed)?;
    assert_eq!(parsed.weekly.windows(Weekday::Mon), &[win((9, 0), (17, 0))]);
    assert!(parsed.days_off.is_empty());

    for bad in [
        r#"{"zone":"Europe/Berlinn","weekly":{}}"#,
        r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"17:00","end":"09:00"}]}}"#,
        r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"12:00"},{"start":"11:00","end":"13:00"}]}}"#,
    ] {
        assert!(serde_json::from_str::<Availability>(bad).is_err(), "{bad}");
    }
    Ok(())
}

// --- an ordinary day ---------------------------------------------------------------------

#[test]
fn an_ordinary_day_is_a_grid_of_length_plus_buffer() -> TestResult {
    // Tue 3 Mar 2026, Berlin on CET (+01:00).
    let got = day_slots(
        BERLIN,
        &[win((9, 0), (17, 0))],
        &ConsultRules::from_minutes(50, 10, 0, 7)?,
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
    Ok(())
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
fn notice_and_horizon_are_measured_from_now() -> TestResult {
    let avail = Availability::new(BERLIN, every_day(&[win((9, 0), (17, 0))]), BTreeSet::new());
    let rules = ConsultRules::from_minutes(50, 10, 24 * 60, 2)?;
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
    let closed = ConsultRules::from_minutes(50, 10, 3 * 24 * 60, 2)?;
    assert!(slots(&avail, &closed, &[], now).is_empty());
    Ok(())
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
fn days_off_are_local_dates() -> TestResult {
    let mut avail = Availability::new(
        LORD_HOWE,
        every_day(&[win((9, 0), (10, 0))]),
        BTreeSet::new(),
    );
    let now = utc("2026-03-01T00:00:00Z");
    let r = ConsultRules::from_minutes(50, 10, 0, 3)?;
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
    Ok(())
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

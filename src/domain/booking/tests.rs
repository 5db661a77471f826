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
        WeeklyHours::new().with_day(Weekday::Fri, [win((9, 0), (12, 1)), win((12, 0), (13, 0))]),
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

    let typed = r#"{"zone":"Europe/Berlin","weekly":{"mon":[{"start":"09:00","end":"17:00"}]}}"#;
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
                    let candidates: Vec<DateTime<Utc>> = match zone.from_local_datetime(&wall_t) {
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

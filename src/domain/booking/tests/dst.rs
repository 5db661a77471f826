//! Slots across DST changes (New York, Berlin, Lord Howe), rendering, and extreme inputs.

use super::*;

// --- DST regression dates ----------------------------------------------------------------

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
    let widest = ConsultRules::from_minutes(720, 720, 90 * 24 * 60, 366)
        .unwrap_or_else(|e| panic!("the widest rules: {e:?}"));
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

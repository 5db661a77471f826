//! Properties of slot generation over generated hours, bookings and instants.

use super::*;

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
    // `day_windows` makes valid days only, so nothing is filtered out in practice.
    prop::array::uniform7(day_windows()).prop_filter_map("valid weekly hours", |days| {
        let mut w = WeeklyHours::new();
        let mut day = Weekday::Mon;
        for windows in days {
            w = w.with_day(day, windows).ok()?;
            day = day.succ();
        }
        Some(w)
    })
}

fn rules_strategy() -> impl Strategy<Value = ConsultRules> {
    (
        prop::sample::select(vec![15u32, 20, 25, 30, 45, 50, 60, 90]),
        prop::sample::select(vec![0u32, 5, 10, 15, 30]),
        prop_oneof![Just(0u32), 0u32..=3 * 24 * 60],
        1u32..=10,
    )
        .prop_filter_map("valid rules", |(l, b, n, h)| {
            ConsultRules::from_minutes(l, b, n, h).ok()
        })
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
        let now = DateTime::from_timestamp(now_s, 0)
            .ok_or_else(|| TestCaseError::fail(format!("{now_s} is not a time")))?;
        let bound = |s: i64| {
            let lo = DateTime::<Utc>::MIN_UTC.timestamp();
            let hi = DateTime::<Utc>::MAX_UTC.timestamp();
            DateTime::<Utc>::MIN_UTC + chrono::TimeDelta::seconds(s.rem_euclid(hi - lo))
        };
        let busy: Vec<Busy> = busy.into_iter().map(|(a, b)| Busy::new(bound(a), bound(b))).collect();
        let rules = ConsultRules::from_minutes(len, buf, notice, horizon)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
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
fn admin_hours_text_round_trips() -> Result<(), Box<dyn std::error::Error>> {
    let windows = parse_day_windows(" 13:00-17:00, 09:00 – 12:00 ")?;
    assert_eq!(format_day_windows(&windows), "09:00-12:00, 13:00-17:00");
    assert_eq!(parse_day_windows("")?, Vec::new());
    for bad in [
        "9-5",
        "09:00",
        "12:00-09:00",
        "09:00-12:00, 11:00-13:00",
        "25:00-26:00",
    ] {
        assert!(parse_day_windows(bad).is_err(), "{bad}");
    }
    Ok(())
}

#[test]
fn admin_days_off_text() -> Result<(), Box<dyn std::error::Error>> {
    let days = parse_days_off("2026-12-24, 2026-12-25\n2026-12-24")?;
    assert_eq!(days.len(), 2);
    assert!(parse_days_off("24/12/2026").is_err());
    assert!(parse_days_off("  ")?.is_empty());
    Ok(())
}

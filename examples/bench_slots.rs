//! Slot computation time: one clinician, a 60-day horizon, 1,000 existing bookings.
//! Run by `scripts/bench` (`cargo run --release --features ssr --example bench_slots`).

use std::collections::BTreeSet;
use std::time::Instant;

use chrono::{Duration, TimeZone as _, Utc, Weekday};
use trustbridge::domain::booking::{
    slots, Availability, Busy, ConsultRules, WeeklyHours, WorkingWindow,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let zone: chrono_tz::Tz = "America/New_York".parse()?;
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    let weekly = WeeklyHours::new().with_days(
        &weekdays,
        &[
            WorkingWindow::hm((8, 0), (12, 0))?,
            WorkingWindow::hm((13, 0), (20, 0))?,
        ],
    )?;
    let availability = Availability::new(zone, weekly, BTreeSet::new());
    let rules = ConsultRules::from_minutes(50, 10, 24 * 60, 60)?;
    let now = Utc
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .ok_or("bad date")?;
    // 1,000 bookings spread over the horizon (some outside working hours, as real data has).
    let busy: Vec<Busy> = (0..1000)
        .map(|i| {
            let start = now + Duration::minutes(60 + i * 83);
            Busy::new(start, start + Duration::minutes(50))
        })
        .collect();
    let runs = 200;
    let mut times = Vec::with_capacity(runs);
    let mut offered = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let s = slots(&availability, &rules, &busy, now);
        times.push(t.elapsed());
        offered = s.len();
    }
    times.sort();
    let p50 = times[runs / 2];
    let p99 = times[runs * 99 / 100];
    println!(
        "slots(): 60-day horizon, 1,000 bookings, {offered} slots offered: p50 {:.3} ms, p99 {:.3} ms over {runs} runs",
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
    Ok(())
}

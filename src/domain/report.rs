//! The practice's monthly report: intakes by where people heard of the practice, referrals out
//! by reason and the share that connected, the median time from a private check-in to the
//! first contact, and from an intake to its consult. Pure: dated rows in, one row per month
//! out (the caller dates each row in the practice's zone).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

/// What happened, each dated by the day (practice time) it counts for.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// Each intake started, with the "how did you hear of us" answer if given.
    pub intakes: Vec<(NaiveDate, Option<String>)>,
    /// Each referral sent, with its reason and whether the client connected.
    pub referrals: Vec<(NaiveDate, String, bool)>,
    /// Each check-in that asked for review, with the time until a clinician first reached
    /// them (dated by the check-in).
    pub first_contacts: Vec<(NaiveDate, Duration)>,
    /// Each intake with a consult, with the time from the intake to the consult (dated by the
    /// intake).
    pub consults: Vec<(NaiveDate, Duration)>,
}

/// One month of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// The first day of the month.
    pub month: NaiveDate,
    pub intakes: usize,
    /// Intakes by source value (`""`: not answered).
    pub by_source: BTreeMap<String, usize>,
    pub referrals: usize,
    pub by_reason: BTreeMap<String, usize>,
    pub connected: usize,
    pub median_first_contact: Option<Duration>,
    pub median_to_consult: Option<Duration>,
}

impl Month {
    fn new(month: NaiveDate) -> Self {
        Month {
            month,
            intakes: 0,
            by_source: BTreeMap::new(),
            referrals: 0,
            by_reason: BTreeMap::new(),
            connected: 0,
            median_first_contact: None,
            median_to_consult: None,
        }
    }

    /// Connected referrals as a whole percentage of those sent (`None` when none were sent).
    pub fn connected_percent(&self) -> Option<u32> {
        (self.referrals > 0).then(|| {
            let share = self.connected * 100 / self.referrals;
            u32::try_from(share).unwrap_or(100)
        })
    }
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The middle value (the lower of the two middle ones for an even count, so it is always a
/// time that happened).
pub fn median(mut values: Vec<Duration>) -> Option<Duration> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    Some(values[(values.len() - 1) / 2])
}

/// One row per month that has anything, newest first.
pub fn monthly(events: &Events) -> Vec<Month> {
    let mut months: BTreeMap<NaiveDate, Month> = BTreeMap::new();
    fn at(months: &mut BTreeMap<NaiveDate, Month>, day: NaiveDate) -> &mut Month {
        let first = first_of_month(day);
        months.entry(first).or_insert_with(|| Month::new(first))
    }
    let mut contacts: BTreeMap<NaiveDate, Vec<Duration>> = BTreeMap::new();
    let mut consults: BTreeMap<NaiveDate, Vec<Duration>> = BTreeMap::new();
    for (day, source) in &events.intakes {
        let m = at(&mut months, *day);
        m.intakes += 1;
        *m.by_source
            .entry(source.clone().unwrap_or_default())
            .or_insert(0) += 1;
    }
    for (day, reason, connected) in &events.referrals {
        let m = at(&mut months, *day);
        m.referrals += 1;
        m.connected += usize::from(*connected);
        *m.by_reason.entry(reason.clone()).or_insert(0) += 1;
    }
    for (day, waited) in &events.first_contacts {
        contacts
            .entry(first_of_month(*day))
            .or_default()
            .push(*waited);
    }
    for (day, waited) in &events.consults {
        consults
            .entry(first_of_month(*day))
            .or_default()
            .push(*waited);
    }
    for (first, values) in contacts {
        at(&mut months, first).median_first_contact = median(values);
    }
    for (first, values) in consults {
        at(&mut months, first).median_to_consult = median(values);
    }
    months.into_values().rev().collect()
}

/// A duration in a few words: "45 min", "6 h", "3 d 4 h".
pub fn short(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    match (minutes / (24 * 60), minutes / 60 % 24, minutes % 60) {
        (0, 0, m) => format!("{m} min"),
        (0, h, _) => format!("{h} h"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn months_count_what_happened_in_them_newest_first() {
        let events = Events {
            intakes: vec![
                (day(2026, 10, 3), Some("friend".into())),
                (day(2026, 10, 30), None),
                (day(2026, 11, 1), Some("friend".into())),
                (day(2026, 11, 2), Some("search".into())),
            ],
            referrals: vec![
                (day(2026, 11, 5), "safety".into(), true),
                (day(2026, 11, 6), "no_capacity".into(), false),
                (day(2026, 11, 7), "safety".into(), false),
            ],
            first_contacts: vec![
                (day(2026, 11, 1), Duration::hours(2)),
                (day(2026, 11, 2), Duration::hours(30)),
                (day(2026, 11, 3), Duration::hours(5)),
            ],
            consults: vec![(day(2026, 10, 3), Duration::days(6))],
        };
        let rows = monthly(&events);
        assert_eq!(rows.len(), 2);
        let (nov, oct) = (&rows[0], &rows[1]);
        assert_eq!(nov.month, day(2026, 11, 1));
        assert_eq!(nov.intakes, 2);
        assert_eq!(nov.by_source.get("friend"), Some(&1));
        assert_eq!(nov.referrals, 3);
        assert_eq!(nov.by_reason.get("safety"), Some(&2));
        assert_eq!(nov.connected_percent(), Some(33));
        assert_eq!(nov.median_first_contact, Some(Duration::hours(5)));
        assert_eq!(nov.median_to_consult, None);
        assert_eq!(oct.intakes, 2);
        assert_eq!(
            oct.by_source.get(""),
            Some(&1),
            "not answered is counted too"
        );
        assert_eq!(oct.connected_percent(), None);
        assert_eq!(oct.median_to_consult, Some(Duration::days(6)));
    }

    #[test]
    fn the_median_is_a_time_that_happened() {
        assert_eq!(median(vec![]), None);
        let h = Duration::hours;
        assert_eq!(median(vec![h(9), h(1), h(5)]), Some(h(5)));
        assert_eq!(median(vec![h(4), h(1), h(9), h(2)]), Some(h(2)));
        assert_eq!(short(Duration::minutes(45)), "45 min");
        assert_eq!(short(Duration::hours(76)), "3 d 4 h");
    }
}

//! The directory's entries and CSV, and the referral loop's follow-ups.

use super::*;
use chrono::{TimeZone, Utc};

fn row(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn valid() -> Vec<(String, String)> {
    row(&[
        ("name", "Harbour Women's Aid"),
        ("kind", "organisation"),
        ("categories", "domestic_violence;shelter"),
        ("languages", "English; Spanish"),
        ("delivery", "both"),
        ("sliding_scale", "yes"),
        ("accepting_new_clients", "yes"),
        ("phone", "+1 555 010 0100"),
        ("assured_date", "2026-11-02"),
    ])
}

#[test]
fn a_valid_entry_reads_back_as_its_fields() {
    let draft = EntryDraft::parse(&valid()).expect("valid");
    assert_eq!(
        draft.categories,
        [Category::DomesticViolence, Category::Shelter]
    );
    assert_eq!(EntryDraft::parse(&draft.fields()), Ok(draft));
}

#[test]
fn each_refusal_names_its_field() {
    let errors = EntryDraft::parse(&row(&[
        ("kind", "company"),
        ("categories", "yoga"),
        ("delivery", "post"),
        ("email", "nope"),
        ("url", "example.org"),
        ("assured_date", "last week"),
    ]))
    .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            "name",
            "kind",
            "categories",
            "delivery",
            "email",
            "url",
            "assured_date"
        ]
    );
}

#[test]
fn a_csv_with_one_bad_row_imports_nothing_and_names_the_line() {
    let csv = "name,kind,categories,delivery,phone,assured_date,sliding_scale,accepting_new_clients\n\
               Harbour Aid,organisation,domestic_violence,both,555 0100,2026-11-02,no,yes\n\
               Bad Row,organisation,yoga,both,555 0101,2026-11-02,no,yes\n\
               \"Dr. Lee, PhD\",clinician,individual_therapy;discernment,telehealth,555 0102,2026-10-01,yes,no\n";
    let errors = parse_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.starts_with("categories:"), "{:?}", errors);
    let fixed = csv.replace("yoga", "financial");
    let drafts = parse_csv(fixed.as_bytes()).expect("valid");
    assert_eq!(drafts.len(), 3);
    assert_eq!(drafts[2].name, "Dr. Lee, PhD");
    assert_eq!(
        drafts[2].categories,
        [Category::IndividualTherapy, Category::Discernment]
    );
}

#[test]
fn a_header_without_the_needed_columns_is_refused_at_line_one() {
    let errors = parse_csv(b"title,phone\nX,1\n").unwrap_err();
    assert_eq!(errors[0].line, 1);
    assert!(errors[0]
        .message
        .contains("name, kind, categories, delivery, assured_date"));
}

#[test]
fn follow_ups_fall_due_at_7_and_14_days_until_recorded() {
    let sent = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let day = |d| sent + chrono::Duration::days(d);
    assert_eq!(follow_up_due(sent, None, day(6)), None);
    assert_eq!(follow_up_due(sent, None, day(7)), Some(7));
    assert_eq!(follow_up_due(sent, Some(day(8)), day(9)), None);
    assert_eq!(follow_up_due(sent, Some(day(8)), day(14)), Some(14));
    assert_eq!(follow_up_due(sent, None, day(20)), Some(14));
    assert_eq!(follow_up_due(sent, Some(day(15)), day(30)), None);
}

#[test]
fn categories_round_trip_through_their_stored_form() {
    let stored = Category::join(&[Category::Shelter, Category::LegalAid]);
    assert_eq!(stored, ";shelter;legal_aid;");
    assert_eq!(
        Category::split(&stored),
        [Category::Shelter, Category::LegalAid]
    );
}

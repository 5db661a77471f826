//! The practice's monthly report, as a clinician reads it: intakes by where people heard of
//! the practice, referrals out and the share connected, and the wait for a first contact.
//! Against SQLite and PostgreSQL.

use crate::common::{
    self, create_admin, db_execute, db_text, log_in_as, staff_html, texts, TestApp,
};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "correct horse battery staple";

async fn the_report_counts_this_month(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let empty = staff_html(&app, &cookie, "/staff/report").await;
    assert!(texts(&empty, "main")
        .concat()
        .contains("Nothing to count yet."));

    // Two heard of the practice from a friend, one did not say.
    for source in ["friend", "friend", ""] {
        let started = app
            .raw
            .post(app.url("/start"))
            .form(&[("agree", "yes")])
            .send()
            .await
            .expect("start");
        let about = common::location(&started);
        let saved = app
            .raw
            .post(app.url(&about))
            .form(&[("in_about_source", source), ("nav", "next")])
            .send()
            .await
            .expect("about");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    }
    // One finishes, asks for review at the private check-in, and a clinician reaches them.
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "3", "").await;
    common::check_in(&app, &token, "yes").await;
    let reference = db_text(
        &app,
        "select s.reference from submissions s join safety_screens ss on ss.submission_id = s.id",
    )
    .await;
    let spoke = app
        .raw
        .post(app.url(&format!("/staff/submissions/{reference}/first-contact")))
        .header("cookie", &cookie)
        .form(&[
            ("contact_channel", "safe_phone"),
            ("contact_outcome", "spoke"),
            ("contacted_at", ""),
        ])
        .send()
        .await
        .expect("first contact");
    assert_eq!(spoke.status(), StatusCode::SEE_OTHER);
    // Two referrals out for safety, one connected.
    let now = if app.database_url.starts_with("sqlite:") {
        "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
    } else {
        "now()"
    };
    db_execute(
        &app,
        &format!(
            "insert into referrals (submission_id, clinician_id, reason, token_hash, channel, \
             outcome, sent_at, updated_at) values \
             ((select min(id) from submissions), (select min(id) from clinicians), 'safety', \
              'h1', 'print', 'connected', {now}, {now}), \
             ((select min(id) from submissions), (select min(id) from clinicians), 'safety', \
              'h2', 'print', null, {now}, {now})"
        ),
    )
    .await;

    let html = staff_html(&app, &cookie, "/staff/report").await;
    let rows = texts(&html, "table.report tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    let cells = texts(&html, "table.report tbody tr > *");
    assert_eq!(cells[1], "4", "{cells:?}");
    assert_eq!(cells[2], "A friend or family member 2 · Not answered 2");
    assert_eq!(cells[3], "2");
    assert_eq!(cells[4], "Safety 2");
    assert_eq!(cells[5], "1 of 2 (50 %)");
    assert!(
        cells[6].ends_with("min") || cells[6].ends_with('h'),
        "{}",
        cells[6]
    );
    assert_eq!(cells[7], "—", "nobody has a consult yet");
    let csv = staff_html(&app, &cookie, "/staff/report.csv").await;
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("month,intakes,sources,referrals_out"));
    assert!(lines[1].contains(",4,A friend or family member 2 · Not answered 2,2,Safety 2,1,"));
}
on_both_databases!(monthly, the_report_counts_this_month);

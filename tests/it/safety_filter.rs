//! The workspace's safety filter reads a flag stored with each submission (its own or its
//! partner's private check-in is positive). The flag follows every change that moves it: a
//! check-in, partner B joining after A's, B's check-in flagging A, a partner erased. At each
//! step the list filters to exactly those, and the stored flag agrees with the one worked out
//! afresh for every row. Against SQLite and PostgreSQL.

use std::collections::BTreeSet;

use crate::common::{self, check_in, db_count, log_in_as, start_questionnaire, TestApp};
use crate::couples::{answer_all, invite, join, practice_with_hours, reference, ADMIN, PASSWORD};

/// Submissions whose stored flag differs from their check-ins' and their partner's.
const DISAGREEING: &str = "select count(*) from submissions s where s.safety_flag <> \
    case when exists (select 1 from safety_screens f where f.submission_id = s.id \
    and f.positive = 1) or exists (select 1 from submissions p join safety_screens f \
    on f.submission_id = p.id where p.couple_id = s.couple_id and f.positive = 1) \
    then 1 else 0 end";

/// The references the safety filter lists.
async fn flagged(app: &TestApp, cookie: &str) -> BTreeSet<String> {
    let html = common::staff_html(app, cookie, "/staff?flag=safety").await;
    common::texts(&html, "table.submissions tbody tr td:first-child")
        .into_iter()
        .map(|cell| {
            cell.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// Someone who answers and checks in (`"yes"` is positive, `"no"` clear).
async fn answered(app: &TestApp, token: &str, answer: &str) -> String {
    answer_all(app, token, true, "").await;
    check_in(app, token, answer).await;
    reference(app, token).await
}

async fn the_safety_filter_follows_check_ins_partners_and_erasure(app: TestApp) {
    practice_with_hours(&app).await;
    // A is positive; B joins afterwards and is clear.
    let a_token = start_questionnaire(&app).await;
    let a = answered(&app, &a_token, "yes").await;
    let b_token = join(&app, &invite(&app, &a_token).await).await;
    let b = answered(&app, &b_token, "no").await;
    // C is clear, then C's partner D is positive.
    let c_token = start_questionnaire(&app).await;
    let c = answered(&app, &c_token, "no").await;
    let d_token = join(&app, &invite(&app, &c_token).await).await;
    let d = answered(&app, &d_token, "yes").await;
    // Two on their own.
    let e_token = start_questionnaire(&app).await;
    let e = answered(&app, &e_token, "no").await;
    let f_token = start_questionnaire(&app).await;
    let f = answered(&app, &f_token, "yes").await;

    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let expected: BTreeSet<String> = [&a, &b, &c, &d, &f].into_iter().cloned().collect();
    assert_eq!(flagged(&app, &cookie).await, expected, "{e} is clear");
    assert_eq!(db_count(&app, DISAGREEING).await, 0);

    // A is erased: B, on their own now, answered clear.
    let deleted = app
        .raw
        .post(app.url(&format!("/staff/submissions/{a}/delete")))
        .header("cookie", &cookie)
        .form(&[("confirm_reference", a.as_str())])
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), reqwest::StatusCode::SEE_OTHER);
    let expected: BTreeSet<String> = [&c, &d, &f].into_iter().cloned().collect();
    assert_eq!(
        flagged(&app, &cookie).await,
        expected,
        "{b} is on their own"
    );
    assert_eq!(db_count(&app, DISAGREEING).await, 0);
    // The whole list still shows B, unflagged.
    let all = common::staff_html(&app, &cookie, "/staff").await;
    let row = common::texts(&all, "table.submissions tbody tr")
        .into_iter()
        .find(|r| r.contains(&b))
        .expect("B listed");
    assert!(!row.contains("Safety"), "{row}");
}
on_both_databases!(
    follows,
    the_safety_filter_follows_check_ins_partners_and_erasure
);

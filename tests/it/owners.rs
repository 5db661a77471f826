//! Ownership inside the practice: an intake coordinator (sees and assigns submissions, never
//! administers accounts), a couple's one owner, the "mine" and "unassigned" views, and the list
//! sorted unassigned first across pages. Against SQLite and PostgreSQL.

use crate::common::{
    self, create_admin, db_count, db_execute, db_text, log_in_as, staff_html, texts, TestApp,
};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const COORDINATOR: &str = "cy@harbour.example";
const PASSWORD: &str = "correct horse battery staple";

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

/// The reference of the `n`-th submission started (0-based).
async fn nth_reference(app: &TestApp, n: u32) -> String {
    db_text(
        app,
        &format!("select reference from submissions order by id limit 1 offset {n}"),
    )
    .await
}

/// A couple: partner A finished and invited B, who has started.
async fn couple(app: &TestApp) -> (String, String) {
    let a = common::start_questionnaire(app).await;
    common::answer_every_section(app, &a, |_| "3", "").await;
    common::check_in(app, &a, "no").await;
    app.raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    let html = app
        .raw
        .get(app.url(&format!("/q/{a}/result")))
        .send()
        .await
        .expect("result")
        .text()
        .await
        .expect("body");
    let url = texts(&html, "#invite-link").concat();
    let join = format!("/join/{}", url.split_once("/join/").expect("link").1);
    let joined = app.raw.post(app.url(&join)).send().await.expect("join");
    let b = common::token_of_consent_redirect(&joined);
    common::agree_to_policy(app, &b).await;
    (a, b)
}

async fn a_coordinator_assigns_a_couple_and_finds_it_under_mine(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let admin = log_in_as(&app, ADMIN, PASSWORD).await.expect("admin");
    let made = post(
        &app,
        &admin,
        "/staff/clinicians",
        &[
            ("name", "Cy Moreno"),
            ("email", COORDINATOR),
            ("password", "amber harbour kettle swing"),
            ("role", "coordinator"),
        ],
    )
    .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let accounts = staff_html(&app, &admin, "/staff/clinicians").await;
    assert!(texts(&accounts, "td").contains(&"Intake coordinator".to_owned()));
    let cy = log_in_as(&app, COORDINATOR, "amber harbour kettle swing")
        .await
        .expect("coordinator");
    // A coordinator does not administer accounts.
    for path in ["/staff/clinicians", "/staff/audit", "/staff/intake-form"] {
        let response = app
            .raw
            .get(app.url(path))
            .header("cookie", &cy)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }

    common::start_questionnaire(&app).await;
    couple(&app).await;
    let (solo_ref, a_ref, b_ref) = (
        nth_reference(&app, 0).await,
        nth_reference(&app, 1).await,
        nth_reference(&app, 2).await,
    );
    // Cy takes partner A's submission: the couple has one owner, so B's is Cy's too.
    let page = staff_html(&app, &cy, &format!("/staff/submissions/{a_ref}")).await;
    assert_eq!(
        texts(&page, ".owner-now"),
        vec!["Nobody looks after this submission yet.".to_owned()]
    );
    let cy_id = db_text(
        &app,
        &format!("select cast(id as text) from clinicians where email = '{COORDINATOR}'"),
    )
    .await;
    let assigned = post(
        &app,
        &cy,
        &format!("/staff/submissions/{a_ref}/owner"),
        &[("owner", &cy_id)],
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    let page = staff_html(&app, &cy, &format!("/staff/submissions/{b_ref}")).await;
    assert_eq!(
        texts(&page, ".owner-now"),
        vec!["Looked after by Cy Moreno.".to_owned()]
    );
    assert_eq!(
        db_count(
            &app,
            &format!("select count(*) from audit_events where action = 'assign_owner {cy_id}'")
        )
        .await,
        1
    );
    // "Mine" holds the couple; "Unassigned" the one on their own; the column says who.
    let mine = staff_html(&app, &cy, "/staff?owner=mine").await;
    assert!(mine.contains(&a_ref) && mine.contains(&b_ref) && !mine.contains(&solo_ref));
    let unassigned = staff_html(&app, &cy, "/staff?owner=unassigned").await;
    assert!(unassigned.contains(&solo_ref) && !unassigned.contains(&a_ref));
    let all = staff_html(&app, &cy, "/staff").await;
    let rows = texts(&all, "table.submissions tbody tr");
    let row = rows.iter().find(|r| r.contains(&a_ref)).expect("A's row");
    assert!(row.contains("Cy Moreno"), "{row}");
    // An account that does not exist is refused; nobody is a choice.
    let refused = post(
        &app,
        &cy,
        &format!("/staff/submissions/{a_ref}/owner"),
        &[("owner", "99999")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    post(
        &app,
        &cy,
        &format!("/staff/submissions/{a_ref}/owner"),
        &[("owner", "")],
    )
    .await;
    assert_eq!(
        db_count(
            &app,
            "select count(*) from submissions where owner_id is not null"
        )
        .await,
        0
    );
}
on_both_databases!(
    coordinator,
    a_coordinator_assigns_a_couple_and_finds_it_under_mine
);

async fn unassigned_first_pages_through_both_parts_once_each(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let admin = log_in_as(&app, ADMIN, PASSWORD).await.expect("admin");
    for _ in 0..53 {
        common::start_questionnaire(&app).await;
    }
    // The three oldest are nobody's; the fifty newer ones are Ana's.
    db_execute(
        &app,
        "update submissions set owner_id = (select min(id) from clinicians) \
         where id > (select min(id) + 2 from submissions)",
    )
    .await;
    let mut seen = Vec::new();
    let mut path = "/staff?sort=unassigned".to_owned();
    let mut first_page = true;
    loop {
        let html = staff_html(&app, &admin, &path).await;
        let rows = texts(&html, "table.submissions tbody tr");
        if first_page {
            assert_eq!(rows.len(), 50);
            for row in &rows[..3] {
                assert!(row.contains("Unassigned"), "{row}");
            }
            assert!(rows[3].contains("Ana Lima"), "{}", rows[3]);
            first_page = false;
        }
        seen.extend(
            rows.iter()
                .map(|r| r.split(' ').next().unwrap_or_default().to_owned()),
        );
        let doc = scraper::Html::parse_document(&html);
        let next = scraper::Selector::parse("a[rel=next]").expect("selector");
        match doc
            .select(&next)
            .next()
            .and_then(|a| a.value().attr("href"))
        {
            Some(href) => path = href.replace("&amp;", "&"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(seen.len(), 53, "every submission once: {seen:?}");
    assert_eq!(unique.len(), 53);
}
on_both_databases!(
    unassigned_first,
    unassigned_first_pages_through_both_parts_once_each
);

/// The booking form's open times on a submission page.
fn first_slot(html: &str) -> String {
    let html = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("select#slot option[value^='2']").expect("css");
    html.select(&selector)
        .find_map(|o| o.value().attr("value").map(str::to_owned))
        .expect("an open time")
}

async fn the_safety_decisions_are_a_clinicians(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let admin = log_in_as(&app, ADMIN, PASSWORD).await.expect("admin");
    let coordinator_password = "amber harbour kettle swing";
    post(
        &app,
        &admin,
        "/staff/clinicians",
        &[
            ("name", "Cy Moreno"),
            ("email", COORDINATOR),
            ("password", coordinator_password),
            ("role", "coordinator"),
        ],
    )
    .await;
    let cy = log_in_as(&app, COORDINATOR, coordinator_password)
        .await
        .expect("coordinator");
    // A couple on hold: B's private check-in is positive.
    let (_, b) = couple(&app).await;
    common::answer_every_section(&app, &b, |_| "3", "").await;
    common::check_in(&app, &b, "yes").await;
    let (a_ref, b_ref) = (nth_reference(&app, 0).await, nth_reference(&app, 1).await);
    let a_path = format!("/staff/submissions/{a_ref}");
    let page = staff_html(&app, &cy, &a_path).await;
    // The coordinator is not offered what is not theirs to decide.
    assert!(texts(&page, "#safety_assessed").is_empty());
    assert!(texts(&page, "#any_clinician").is_empty());
    assert!(texts(&page, ".arrange-form")
        .concat()
        .contains("Only a clinician can book this couple together"));
    let slot = first_slot(&page);
    let book = |extra: &[(&'static str, &'static str)]| {
        let mut form = vec![
            ("slot", slot.clone()),
            ("request_key", "00112233445566778899aabbccddeeff".to_owned()),
            ("name", "Alex".to_owned()),
            ("email", "alex@example.org".to_owned()),
            ("phone", "+1 555 010 0600".to_owned()),
            ("consent", "yes".to_owned()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        app.raw
            .post(app.url(&format!("{a_path}/book")))
            .header("cookie", &cy)
            .form(&form)
            .send()
    };
    // Booking together through the hold, even with the box ticked and a reason: refused.
    let together = book(&[
        ("for", "couple"),
        ("safety_assessed", "yes"),
        ("override_reason", "Spoke with both on the phone."),
    ])
    .await
    .expect("post");
    assert_eq!(together.status(), StatusCode::FORBIDDEN);
    assert!(together
        .text()
        .await
        .expect("body")
        .contains("Clinicians only"));
    // Booking outside the recommendation: refused too.
    let any = book(&[("for", "client"), ("any_clinician", "yes")])
        .await
        .expect("post");
    assert_eq!(any.status(), StatusCode::FORBIDDEN);
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);
    // "Spoke with them privately" would clear the needs-review queue: refused, and not offered.
    let b_path = format!("/staff/submissions/{b_ref}");
    let b_page = staff_html(&app, &cy, &b_path).await;
    let offered: Vec<String> = {
        let html = scraper::Html::parse_document(&b_page);
        let selector =
            scraper::Selector::parse("select[name=contact_outcome] option").expect("css");
        html.select(&selector)
            .filter_map(|e| e.value().attr("value").map(str::to_owned))
            .collect()
    };
    assert!(offered.contains(&"no_answer".to_owned()), "{offered:?}");
    assert!(!offered.contains(&"spoke".to_owned()), "{offered:?}");
    let contact = |cookie: &str, outcome: &'static str| {
        app.raw
            .post(app.url(&format!("{b_path}/first-contact")))
            .header("cookie", cookie.to_owned())
            .form(&[
                ("contact_channel", "safe_phone"),
                ("contact_outcome", outcome),
                ("contacted_at", ""),
            ])
            .send()
    };
    let spoke = contact(&cy, "spoke").await.expect("post");
    assert_eq!(spoke.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        db_count(&app, "select count(*) from first_contacts").await,
        0
    );
    // A try that did not reach them is the coordinator's to record.
    let tried = contact(&cy, "no_answer").await.expect("post");
    assert_eq!(tried.status(), StatusCode::SEE_OTHER);
    // A clinician may do all three.
    let spoke = contact(&admin, "spoke").await.expect("post");
    assert_eq!(spoke.status(), StatusCode::SEE_OTHER);
    let page = staff_html(&app, &admin, &a_path).await;
    assert!(!texts(&page, "#safety_assessed").is_empty());
    assert!(!texts(&page, "#any_clinician").is_empty());
}
on_both_databases!(clinical_decisions, the_safety_decisions_are_a_clinicians);

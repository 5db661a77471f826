//! A clinician's action and its audit row are one transaction: when the audit row cannot be
//! written, the action leaves nothing behind (no move, no note, no booking or cancellation, no
//! email queued) and the clinician sees the plain error page. Against SQLite and PostgreSQL.

use crate::common::{
    self, create_admin, db_count, db_execute, location, log_in_as, start_questionnaire, TestApp,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";

fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// From now on the database refuses every audit row but a view's (so pages still open).
async fn refuse_audit_rows(app: &TestApp) {
    let sql = if app.database_url.starts_with("sqlite:") {
        "create trigger audit_refused before insert on audit_events \
         when new.action not like 'view%' \
         begin select raise(abort, 'audit refused by the test'); end;"
    } else {
        "create or replace function audit_refused() returns trigger language plpgsql as $$ \
         begin if new.action not like 'view%' then \
         raise exception 'audit refused by the test'; end if; return new; end $$; \
         create trigger audit_refused before insert on audit_events \
         for each row execute function audit_refused();"
    };
    db_execute(app, sql).await;
}

async fn accept_audit_rows(app: &TestApp) {
    let sql = if app.database_url.starts_with("sqlite:") {
        "drop trigger audit_refused"
    } else {
        "drop trigger audit_refused on audit_events"
    };
    db_execute(app, sql).await;
}

/// A failed action answers the opaque error page: nothing of the cause shows.
async fn assert_failed_plainly(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = response.text().await.expect("body");
    assert!(body.contains("Something went wrong on our side"), "{body}");
    assert!(!body.contains("audit"), "internals shown: {body}");
}

async fn an_action_whose_audit_row_fails_changes_nothing(app: TestApp) {
    let created = create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    assert!(created.status.success(), "{created:?}");
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let token = start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "4", "").await;
    let checked = common::check_in(&app, &token, "no").await;
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let reference: String = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let path = format!("/staff/submissions/{reference}");
    let post = |to: String, form: Vec<(&'static str, String)>| {
        app.raw
            .post(app.url(&to))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    let workflow_is = |status: &'static str| {
        let sql = format!(
            "select count(*) from submissions where reference = '{reference}' \
             and workflow = '{status}'"
        );
        let app = &app;
        async move { db_count(app, &sql).await == 1 }
    };
    let emails = "select count(*) from outbox";
    let queued_before = db_count(&app, emails).await;

    refuse_audit_rows(&app).await;

    // A workflow move: the status stays where it was, with no history entry.
    let moved = post(
        format!("{path}/status"),
        vec![("from", "new".into()), ("to", "contacted".into())],
    )
    .await
    .expect("post");
    assert_failed_plainly(moved).await;
    assert!(workflow_is("new").await);
    assert_eq!(
        db_count(&app, "select count(*) from workflow_events").await,
        0
    );

    // A note: not kept.
    let noted = post(
        format!("{path}/notes"),
        vec![("body", "Called back; prefers evenings.".into())],
    )
    .await
    .expect("post");
    assert_failed_plainly(noted).await;
    assert_eq!(
        db_count(&app, "select count(*) from clinician_notes").await,
        0
    );

    // A consult booked for the client: no booking, no confirmation queued, no workflow move.
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let times = attrs(&staff, "select#slot option", "value");
    let key = attrs(&staff, "form.arrange-form input[name=request_key]", "value").concat();
    assert!(times.len() > 2, "{times:?}");
    let booking = vec![
        ("slot", times[1].clone()),
        ("request_key", key),
        ("name", "Robin Vale".into()),
        ("email", "robin@example.org".into()),
        ("phone", "+1 555 010 0300".into()),
        ("consent", "yes".into()),
    ];
    let booked = post(format!("{path}/book"), booking.clone())
        .await
        .expect("post");
    assert_failed_plainly(booked).await;
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);
    assert_eq!(db_count(&app, emails).await, queued_before);
    assert!(workflow_is("new").await);

    // With audit rows accepted again, the same booking goes through (so the refusals above were
    // the audit's, not the form's).
    accept_audit_rows(&app).await;
    let booked = post(format!("{path}/book"), booking).await.expect("post");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&booked), path);
    assert!(workflow_is("consult_booked").await);
    let queued_after_booking = db_count(&app, emails).await;
    assert!(queued_after_booking > queued_before);

    // The practice's cancellation: the consult stays booked, the client is not emailed.
    let staff = Html::parse_document(&common::staff_html(&app, &cookie, &path).await);
    let hidden = |name: &str| {
        attrs(
            &staff,
            &format!("form.cancel-consult input[name={name}]"),
            "value",
        )
        .concat()
    };
    let cancel = vec![
        ("confirm", "yes".into()),
        ("booking", hidden("booking")),
        ("sequence", hidden("sequence")),
    ];
    refuse_audit_rows(&app).await;
    let cancelled = post(format!("{path}/consult/cancel"), cancel)
        .await
        .expect("post");
    assert_failed_plainly(cancelled).await;
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
    assert_eq!(db_count(&app, emails).await, queued_after_booking);
    assert!(workflow_is("consult_booked").await);
}
on_both_databases!(
    audit_failure_rolls_back,
    an_action_whose_audit_row_fails_changes_nothing
);

async fn logins_and_admin_changes_are_in_the_audit_log_naming_their_target(app: TestApp) {
    assert!(create_admin(&app, ADMIN, "Ana Lima", PASSWORD)
        .await
        .status
        .success());
    // Guesses: an email that is no account, then Ana's with a wrong password until it locks.
    assert!(log_in_as(&app, "nobody@harbour.example", PASSWORD)
        .await
        .is_none());
    for _ in 0..5 {
        assert!(log_in_as(&app, ADMIN, "wrong wrong wrong wrong")
            .await
            .is_none());
    }
    db_execute(
        &app,
        "update clinicians set locked_until = null, failed_logins = 0",
    )
    .await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.raw
                .post(app.url(path))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let created = post(
        "/staff/clinicians",
        vec![
            ("name", "Sam Okafor"),
            ("email", "sam@harbour.example"),
            ("password", "amber kettle north willow"),
            ("role", "clinician"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let sam: i64 = db_count(
        &app,
        "select id from clinicians where email = 'sam@harbour.example'",
    )
    .await;
    let path: &'static str = Box::leak(format!("/staff/clinicians/{sam}/active").into_boxed_str());
    assert_eq!(
        post(path, vec![("active", "0")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let rules = vec![
        ("length", "50"),
        ("buffer", "10"),
        ("notice_hours", "24"),
        ("horizon_days", "30"),
    ];
    assert_eq!(
        post("/staff/availability/rules", rules).await.status(),
        StatusCode::SEE_OTHER
    );
    let hours = vec![("offers", "yes"), ("mon", "09:00-12:00")];
    assert_eq!(
        post("/staff/availability/hours", hours).await.status(),
        StatusCode::SEE_OTHER
    );
    let out = post("/staff/logout", vec![]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);

    let ana: i64 = db_count(
        &app,
        &format!("select id from clinicians where email = '{ADMIN}'"),
    )
    .await;
    let actions =
        |who: &str| format!("select count(*) from audit_events where {who} and action = ");
    let by_app = actions("clinician_id is null");
    let by_ana = actions(&format!("clinician_id = {ana}"));
    for (sql, action) in [
        (&by_app, "'failed_login (no such account)'".to_owned()),
        (&by_app, format!("'failed_login {ana}'")),
        (&by_app, format!("'failed_login {ana} (now locked)'")),
        (&by_ana, "'log_in'".to_owned()),
        (&by_ana, format!("'create_clinician {sam}'")),
        (&by_ana, format!("'deactivate_clinician {sam}'")),
        (&by_ana, "'set_consult_rules'".to_owned()),
        (&by_ana, format!("'set_availability {ana}'")),
        (&by_ana, "'log_out'".to_owned()),
    ] {
        assert!(
            db_count(&app, &format!("{sql}{action}")).await >= 1,
            "{action}"
        );
    }
    // No email or password is ever written there.
    let leaked =
        "select count(*) from audit_events where action like '%@%' or action like '%wrong%'";
    assert_eq!(db_count(&app, leaked).await, 0);
    // The audit page names the app for what nobody logged in did.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let page = common::staff_html(&app, &cookie, "/staff/audit").await;
    assert!(page.contains("TrustBridge (automatic)"));
}
on_both_databases!(
    logins_and_admin_changes,
    logins_and_admin_changes_are_in_the_audit_log_naming_their_target
);

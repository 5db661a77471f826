//! Retention: the purge (`trustbridge purge`, and hourly in the server from its start) removes
//! unfinished questionnaires once their link has expired, closed submissions after
//! `RETENTION_DAYS`, and the contents of delivered messages after `MAIL_KEEP_HOURS`; it keeps
//! everything else and records counts only. Against SQLite and PostgreSQL.

use std::process::Stdio;
use std::time::Duration;

use crate::common::{
    self, check_in, create_admin, db_count, db_execute, db_text, log_in_as, start_questionnaire,
    texts, TestApp,
};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
const LONG_AGO: &str = "2000-01-01T00:00:00+00:00";

/// `trustbridge purge` on the app's database, with `env`; its standard output.
async fn purge(app: &TestApp, env: &[(&str, &str)]) -> String {
    let output = app
        .cli()
        .arg("purge")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("run purge");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The reference of the newest submission.
async fn newest(app: &TestApp) -> String {
    db_text(
        app,
        "select reference from submissions order by id desc limit 1",
    )
    .await
}

/// A finished questionnaire; its reference.
async fn finished(app: &TestApp) -> String {
    let token = start_questionnaire(app).await;
    common::answer_every_section(app, &token, |_| "3", "").await;
    check_in(app, &token, "no").await;
    newest(app).await
}

async fn exists(app: &TestApp, reference: &str) -> bool {
    let sql = format!("select count(*) from submissions where reference = '{reference}'");
    db_count(app, &sql).await == 1
}

async fn the_purge_removes_only_what_the_practice_does_not_keep(app: TestApp) {
    assert!(create_admin(&app, ADMIN, "Ana Lima", PASSWORD)
        .await
        .status
        .success());
    // An unfinished questionnaire whose private link has expired, and one still open.
    let expired = start_questionnaire(&app).await;
    let expired_ref = newest(&app).await;
    db_execute(
        &app,
        &format!(
            "update submissions set created_at = '{LONG_AGO}' where reference = '{expired_ref}'"
        ),
    )
    .await;
    let open = start_questionnaire(&app).await;
    // Two finished long ago: one closed long ago, one still being worked on.
    let closed = finished(&app).await;
    let working = finished(&app).await;
    db_execute(
        &app,
        &format!(
            "update submissions set created_at = '{LONG_AGO}', workflow = 'closed' \
             where reference = '{closed}'; \
             insert into workflow_events (submission_id, from_status, to_status, created_at) \
             select id, 'new', 'closed', '{LONG_AGO}' from submissions where reference = '{closed}'; \
             update submissions set created_at = '{LONG_AGO}' where reference = '{working}'"
        ),
    )
    .await;
    // The practice's "new submission" messages go out (to files here); then they are old.
    let sent = "select count(*) from outbox where status = 'sent'";
    for _ in 0..100 {
        if db_count(&app, sent).await >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    db_execute(
        &app,
        &format!("update outbox set sent_at = '{LONG_AGO}' where status = 'sent'"),
    )
    .await;
    let aged =
        format!("select count(*) from outbox where status = 'sent' and sent_at = '{LONG_AGO}'");
    let delivered = db_count(&app, &aged).await;
    assert!(delivered >= 2, "{delivered}");
    let messages = db_count(&app, "select count(*) from outbox").await;

    // Without RETENTION_DAYS, closed submissions are kept.
    let out = purge(&app, &[]).await;
    assert_eq!(
        out.trim(),
        format!("Purged 1 unfinished questionnaires, 0 closed submissions; emptied {delivered} delivered messages.")
    );
    assert!(!exists(&app, &expired_ref).await);
    let gone = app
        .raw
        .get(app.url(&format!("/q/{expired}")))
        .send()
        .await
        .expect("get");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let still = app
        .raw
        .get(app.url(&format!("/q/{open}")))
        .send()
        .await
        .expect("get");
    assert_eq!(
        still.status(),
        StatusCode::SEE_OTHER,
        "the open link still works"
    );
    assert!(exists(&app, &closed).await && exists(&app, &working).await);
    // Delivered messages keep what they were and when, not to whom or what they said.
    assert_eq!(
        db_count(&app, "select count(*) from outbox").await,
        messages
    );
    let emptied = format!(
        "select count(*) from outbox where sent_at = '{LONG_AGO}' and recipient = '' \
         and subject = '' and body_text = '' and body_html = '' and kind <> ''"
    );
    assert_eq!(db_count(&app, &emptied).await, delivered);

    // With it, the one closed long ago goes; the one still being worked on stays.
    let out = purge(&app, &[("RETENTION_DAYS", "30")]).await;
    assert_eq!(
        out.trim(),
        "Purged 0 unfinished questionnaires, 1 closed submissions; emptied 0 delivered messages."
    );
    assert!(!exists(&app, &closed).await);
    assert!(exists(&app, &working).await);
    // Nothing left to do: no audit row for an empty run.
    purge(&app, &[("RETENTION_DAYS", "30")]).await;

    // The audit log says what went, in counts, by the app; never which.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let audit = common::staff_html(&app, &cookie, "/staff/audit").await;
    let rows: Vec<String> = texts(&audit, "tbody tr")
        .into_iter()
        .filter(|r| r.contains("purge"))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.contains("TrustBridge (automatic)")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r.contains(&format!(
        "purge 1 unfinished, 0 closed, {delivered} delivered"
    ))));
    assert!(!audit.contains(&expired_ref) && !audit.contains(&closed));
}
on_both_databases!(
    purge_cli,
    the_purge_removes_only_what_the_practice_does_not_keep
);

async fn the_server_purges_when_it_starts(mut app: TestApp) {
    start_questionnaire(&app).await;
    db_execute(
        &app,
        &format!("update submissions set created_at = '{LONG_AGO}'"),
    )
    .await;
    let unfinished = "select count(*) from submissions";
    assert_eq!(db_count(&app, unfinished).await, 1);
    app.restart(&[]).await;
    for _ in 0..100 {
        if db_count(&app, unfinished).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(db_count(&app, unfinished).await, 0);
    let audited = "select count(*) from audit_events where clinician_id is null \
                   and action like 'purge 1 unfinished%'";
    assert_eq!(db_count(&app, audited).await, 1);
}
on_both_databases!(purge_at_start, the_server_purges_when_it_starts);

async fn a_backlog_larger_than_a_batch_is_purged_whole_and_audited_once(mut app: TestApp) {
    // A database from before the purge existed: 450 unfinished questionnaires, long expired.
    let inserts: String = (0..450)
        .map(|i| {
            format!(
                "insert into submissions (reference, resume_token_hash, instrument_version, \
                 created_at, updated_at) values ('TB-OLD{i:04}', 'hash{i:060}', 1, \
                 '{LONG_AGO}', '{LONG_AGO}');"
            )
        })
        .collect();
    // The server would purge them too (its own hourly run): only the command counts here.
    app.stop().await;
    db_execute(&app, &inserts).await;
    let out = purge(&app, &[]).await;
    assert!(
        out.starts_with("Purged 450 unfinished questionnaires"),
        "{out}"
    );
    assert_eq!(db_count(&app, "select count(*) from submissions").await, 0);
    let audited = "select count(*) from audit_events where action like 'purge 450 unfinished%'";
    assert_eq!(db_count(&app, audited).await, 1);
}
on_both_databases!(
    purge_backlog,
    a_backlog_larger_than_a_batch_is_purged_whole_and_audited_once
);

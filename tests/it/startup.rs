//! Starting the server as an operator would: first run, bad settings.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn first_run_creates_the_sqlite_file_and_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("data").join("practice.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("SITE_ROOT", dir.path())
        .env("PRACTICE_COUNTRY", "ca")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let listening = async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.starts_with("listening on ") {
                return line;
            }
        }
        String::new()
    };
    let line = tokio::time::timeout(Duration::from_secs(60), listening)
        .await
        .expect("started in time");
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    assert!(db.exists(), "the database file was created");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&db).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner can read the database");
    }
    let base = line.trim_start_matches("listening on ").to_owned();
    let health = reqwest::get(format!("{base}/healthz")).await.expect("get");
    assert_eq!(health.text().await.expect("body"), "ok");
    let _ = child.start_kill();
}

#[tokio::test]
async fn a_bad_setting_stops_start_up_with_a_message_naming_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .env("BIND_ADDR", "not-an-address")
        .output()
        .await
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BIND_ADDR"), "{stderr}");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused_clearly() {
    let output = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", "mysql://somewhere/db")
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("DATABASE_URL must start with sqlite: or postgres:"),
        "{stderr}"
    );
    // The URL itself (which may hold a password) is never printed.
    assert!(!stderr.contains("somewhere"), "{stderr}");
}

/// `trustbridge check-config`: what the settings amount to, and what to fix before going live.
#[tokio::test]
async fn check_config_says_what_the_settings_amount_to_and_what_to_fix() {
    let run = |env: Vec<(&'static str, &'static str)>| async move {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trustbridge"));
        command.arg("check-config").env_remove("PRACTICE_COUNTRY");
        for (k, v) in env {
            command.env(k, v);
        }
        command.output().await.expect("run check-config")
    };
    let live = run(vec![
        ("PUBLIC_BASE_URL", "https://intake.example.org"),
        (
            "DATABASE_URL",
            "postgres://app:hunter2@db.internal/trustbridge?sslmode=verify-full",
        ),
    ])
    .await;
    assert!(live.status.success(), "{live:?}");
    let out = String::from_utf8_lossy(&live.stdout);
    assert!(out.contains("Database: PostgreSQL"), "{out}");
    assert!(!out.contains("hunter2"), "never the database URL");
    assert!(out.contains("warning: SMTP_HOST is not set"), "{out}");
    assert!(
        out.contains("warning: PRACTICE_COUNTRY is not set"),
        "{out}"
    );
    assert!(out.contains("Privacy policy: version "), "{out}");
    assert!(
        out.contains("warning: PostgreSQL needs DATA_KEY or DATA_KEY_FILE"),
        "{out}"
    );
    let ready = run(vec![
        ("PUBLIC_BASE_URL", "https://intake.example.org"),
        ("DATA_KEY_FILE", "/etc/trustbridge/data.key"),
        ("SMTP_HOST", "mail.example.org"),
        ("PRACTICE_COUNTRY", "ie"),
    ])
    .await;
    let out = String::from_utf8_lossy(&ready.stdout);
    assert!(!out.contains("warning:"), "{out}");
    // A setting that cannot work: exit 2, naming it.
    let bad = run(vec![
        ("SMTP_HOST", "mail.example.org"),
        ("SMTP_TLS", "none"),
    ])
    .await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("SMTP_TLS"));
}

/// A practice that never said which support lines its clients see is not served by oversight
/// (clinical N14): the server refuses, naming the setting and its choices; `none` on purpose
/// starts.
#[tokio::test]
async fn without_a_choice_of_support_lines_the_server_does_not_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .env("BIND_ADDR", "127.0.0.1:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("p.db").display()),
        )
        .env("SITE_ROOT", dir.path())
        .env_remove("PRACTICE_COUNTRY")
        .env_remove("SUPPORT_RESOURCES_FILE")
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("refused in time")
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PRACTICE_COUNTRY is not set"), "{stderr}");
    assert!(stderr.contains("PRACTICE_COUNTRY=none"), "{stderr}");
}

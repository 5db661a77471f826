//! One harness for every integration test: the real server binary on port 0 with a fresh
//! database (a temporary SQLite file, or a new PostgreSQL database), its logs captured, and a
//! client that keeps cookies.

#![allow(dead_code)]

mod stored;

pub use stored::*;

use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::Connection as _;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    /// Follows redirects, like a browser.
    pub client: reqwest::Client,
    /// Does not follow redirects, to look at them.
    pub raw: reqwest::Client,
    /// The app's own database, for tests that need to break it.
    pub database_url: String,
    dir_path: std::path::PathBuf,
    logs: Arc<Mutex<String>>,
    child: Child,
    _dir: tempfile::TempDir,
    pg_database: Option<String>,
}

fn pg_admin_url() -> String {
    std::env::var("TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "tb_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The data key every test instance on PostgreSQL shares (as a practice's instances would); on
/// SQLite the server makes its own key file beside the test's database.
pub const PG_DATA_KEY: &str = "dGVzdC1kYXRhLWtleS1mb3ItcG9zdGdyZXMtdGVzdHM=";

/// What the server needs besides `database_url` to open it.
pub fn key_env(database_url: &str) -> Option<(&'static str, &'static str)> {
    database_url
        .starts_with("postgres")
        .then_some(("DATA_KEY", PG_DATA_KEY))
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Like [`spawn_app`], with extra environment for the server (e.g. SMTP settings).
pub async fn spawn_app_with(backend: Backend, env: &[(&str, String)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg_database) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("test.db").display()),
            None,
        ),
        Backend::Postgres => {
            let name = unique_name();
            let mut admin = sqlx::PgConnection::connect(&pg_admin_url())
                .await
                .expect("PostgreSQL must be running for the integration tests (see scripts/test)");
            sqlx::query(&format!("create database {name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            let base = pg_admin_url();
            let url = match base.rsplit_once('/') {
                Some((prefix, _)) => format!("{prefix}/{name}"),
                None => panic!("TEST_PG_URL has no database part"),
            };
            (url, Some(name))
        }
    };
    start(dir, database_url, pg_database, env).await
}

/// Starts the server on a database the test made itself (e.g. its own PostgreSQL cluster); the
/// test cleans that database up.
pub async fn spawn_app_on(database_url: String, env: &[(&str, String)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    start(dir, database_url, None, env).await
}

async fn start(
    dir: tempfile::TempDir,
    database_url: String,
    pg_database: Option<String>,
    env: &[(&str, String)],
) -> TestApp {
    let (child, base, logs) = launch(&database_url, dir.path(), env).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        base,
        client,
        raw,
        database_url,
        dir_path: dir.path().to_owned(),
        logs,
        child,
        _dir: dir,
        pg_database,
    }
}

/// Starts the server binary and waits for the address it listens on.
async fn launch(
    database_url: &str,
    dir: &std::path::Path,
    env: &[(&str, String)],
) -> (Child, String, Arc<Mutex<String>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustbridge"))
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", database_url)
        .envs(key_env(database_url))
        .env("PRACTICE_NAME", "Harbour Couples Practice")
        .env("PRACTICE_EMAIL", "intake@harbour.example")
        .env("SITE_ROOT", dir)
        .env("RUST_LOG", "debug")
        .env("MAIL_DIR", dir.join("mail"))
        // Chosen on purpose, as the server requires; tests of the lines set a country.
        .env("PRACTICE_COUNTRY", "none")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server binary");

    let logs = Arc::new(Mutex::new(String::new()));
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    {
        let logs = logs.clone();
        tokio::spawn(async move {
            let mut addr_tx = Some(addr_tx);
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.strip_prefix("listening on ") {
                    if let Some(tx) = addr_tx.take() {
                        let _ = tx.send(rest.trim().to_owned());
                    }
                }
                push(&logs, &line);
            }
        });
    }
    {
        let logs = logs.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                push(&logs, &line);
            }
        });
    }
    let base = match tokio::time::timeout(Duration::from_secs(60), addr_rx).await {
        Ok(Ok(base)) => base,
        _ => panic!(
            "server did not start; its output:\n{}",
            logs.lock().map(|l| l.clone()).unwrap_or_default()
        ),
    };
    (child, base, logs)
}

fn push(logs: &Mutex<String>, line: &str) {
    if let Ok(mut l) = logs.lock() {
        l.push_str(line);
        l.push('\n');
    }
}

impl TestApp {
    /// The database this app runs on, to start a second app like it.
    pub fn backend(&self) -> Backend {
        if self.pg_database.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server binary, to run one of its commands on the app's database.
    pub fn cli(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trustbridge"));
        command
            .env("DATABASE_URL", &self.database_url)
            .envs(key_env(&self.database_url));
        command
    }

    /// The test's own folder (removed with the app), for files a test writes.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir_path
    }

    /// Everything the server printed so far.
    pub fn logs(&self) -> String {
        self.logs.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Starts the server again on the same database (after [`TestApp::stop`]).
    pub async fn restart(&mut self, env: &[(&str, String)]) {
        let (child, base, logs) = launch(&self.database_url, &self.dir_path, env).await;
        self.child = child;
        self.base = base;
        self.logs = logs;
    }

    /// Stops the server and waits for it, so its last log lines are flushed.
    /// Asks the server to stop as a service manager does (SIGTERM) and waits for it, at most
    /// `within`; `None` if it was still running then.
    pub async fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().expect("a running server").to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .expect("kill");
        assert!(sent.success());
        tokio::time::timeout(within, self.child.wait())
            .await
            .ok()
            .and_then(Result::ok)
    }

    pub async fn stop(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        if let Some(name) = self.pg_database.take() {
            // Drop runs outside async: clean up on a throwaway runtime in its own thread.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                        let _ =
                            sqlx::query(&format!("drop database if exists {name} with (force)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Creates an admin through the binary's own `create-admin` command, password on stdin.
pub async fn create_admin(
    app: &TestApp,
    email: &str,
    name: &str,
    password: &str,
) -> std::process::Output {
    use tokio::io::AsyncWriteExt as _;
    let mut child = app
        .cli()
        .args([
            "create-admin",
            "--email",
            email,
            "--name",
            name,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run create-admin");
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(format!("{password}\n").as_bytes())
            .await
            .expect("write password");
    }
    child.wait_with_output().await.expect("create-admin output")
}

/// The workspace's `Set-Cookie` header in a response, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tb_staff="))
        .map(str::to_owned)
}

/// `name=value` of a `Set-Cookie` header, ready to send back.
pub fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Runs the Python `script` with `input` on its standard input (a real library reading what the
/// app wrote: `icalendar`, `textstat`); its standard output. Fails the test if Python does.
pub fn python(script: &str, input: &str) -> String {
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
    }
    let out = child.wait_with_output().expect("run");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Logs in; the session cookie to send back, or `None` when refused.
pub async fn log_in_as(app: &TestApp, email: &str, password: &str) -> Option<String> {
    let response = app
        .raw
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("post login");
    session_cookie(&response).map(|c| cookie_value(&c))
}

/// Runs a test body once against SQLite and once against PostgreSQL.
macro_rules! on_both_databases {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $body($crate::common::spawn_app($crate::common::Backend::Sqlite).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $body($crate::common::spawn_app($crate::common::Backend::Postgres).await).await;
            }
        }
    };
}

/// Like [`on_both_databases!`], with extra server environment (`&[(&str, String)]`).
macro_rules! on_both_databases_with {
    ($name:ident, $body:path, $env:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let env: &[(&str, String)] = $env;
                $body($crate::common::spawn_app_with($crate::common::Backend::Sqlite, env).await)
                    .await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let env: &[(&str, String)] = $env;
                $body($crate::common::spawn_app_with($crate::common::Backend::Postgres, env).await)
                    .await;
            }
        }
    };
}

/// The private check-in after the questionnaire: "no" is the clear check-in (no to every
/// question, yes to feeling safe to speak freely); any other `answer` is given throughout.
pub fn check_in_form(answer: &str) -> Vec<(String, String)> {
    use trustbridge::domain::couple::{CheckInVersion, SafetyItem};
    CheckInVersion::CURRENT
        .items()
        .iter()
        .map(|item| {
            // "No" to everything is a clear check-in only if speaking freely would feel safe.
            let value = match (item, answer) {
                (SafetyItem::JointSafe, "no") => "yes",
                _ => answer,
            };
            (item.field_name(), value.to_owned())
        })
        .collect()
}

/// Posts the private check-in for the submission with `token`.
pub async fn check_in(app: &TestApp, token: &str, answer: &str) -> reqwest::Response {
    app.raw
        .post(app.url(&format!("/q/{token}/private")))
        .form(&check_in_form(answer))
        .send()
        .await
        .expect("post check-in")
}

/// Gives `email`'s account consult hours (`"09:00-12:00"`) every day of the week, through the
/// binary's own `set-hours` command.
pub async fn set_hours(app: &TestApp, email: &str, hours: &str) {
    let set = app
        .cli()
        .args([
            "set-hours",
            "--email",
            email,
            "--hours",
            hours,
            "--days",
            "mon,tue,wed,thu,fri,sat,sun",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("run set-hours");
    assert!(set.status.success(), "{set:?}");
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Clicks "Start the questionnaire", ticks "I agree" under the practice's policy and goes on;
/// the new private token.
pub async fn start_questionnaire(app: &TestApp) -> String {
    let response = app
        .raw
        .post(app.url("/start"))
        .form(&[("agree", "yes")])
        .send()
        .await
        .expect("start");
    let to = location(&response);
    let token = to
        .strip_prefix("/q/")
        .and_then(|rest| rest.strip_suffix("/about"))
        .unwrap_or_else(|| panic!("a redirect to the intake's first page, not {to:?}"))
        .to_owned();
    finish_intake(app, &token).await;
    token
}

/// Goes through the intake pages answering nothing ("Continue" on each).
pub async fn finish_intake(app: &TestApp, token: &str) {
    let done = app
        .raw
        .post(app.url(&format!("/q/{token}/about")))
        .form(&[("nav", "next")])
        .send()
        .await
        .expect("intake");
    assert_eq!(done.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(location(&done), format!("/q/{token}"));
}

/// The token of a redirect to a private link's consent page (`/q/<token>/consent`).
pub fn token_of_consent_redirect(response: &reqwest::Response) -> String {
    let to = location(response);
    to.strip_prefix("/q/")
        .and_then(|rest| rest.strip_suffix("/consent"))
        .unwrap_or_else(|| panic!("a redirect to the consent page, not {to:?}"))
        .to_owned()
}

/// Ticks "I have read this and agree" on the consent page, then goes through the intake.
pub async fn agree_to_policy(app: &TestApp, token: &str) {
    let agreed = app
        .raw
        .post(app.url(&format!("/q/{token}/consent")))
        .form(&[("agree", "yes")])
        .send()
        .await
        .expect("agree");
    assert_eq!(agreed.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(location(&agreed), format!("/q/{token}"));
    finish_intake(app, token).await;
}

/// Answers every statement of every section in order, `value(item)` each, with `note` on the
/// last section, as plain form posts; each must answer 303. The framing questions get their
/// first option ("Mostly something I did", "I want to work on it").
pub async fn answer_every_section(
    app: &TestApp,
    token: &str,
    value: impl Fn(&trustbridge::domain::questionnaire::Item) -> &'static str,
    note: &str,
) {
    answer_sections(app, token, value, &[], note).await;
}

/// [`answer_every_section`], choosing `framing` (question id, option number) where given.
pub async fn answer_sections(
    app: &TestApp,
    token: &str,
    value: impl Fn(&trustbridge::domain::questionnaire::Item) -> &'static str,
    framing: &[(&str, &str)],
    note: &str,
) {
    use trustbridge::domain::questionnaire::{Instrument, Question, SECTION_COUNT};
    for section in 1..=SECTION_COUNT {
        let questions = Instrument::CURRENT.questions_in_section(section);
        let mut form: Vec<(String, String)> = questions
            .into_iter()
            .map(|q| {
                let answer = match q {
                    Question::Item(item) => value(item),
                    Question::Framing(f) => framing
                        .iter()
                        .find(|(id, _)| *id == f.id)
                        .map_or("1", |(_, v)| v),
                };
                (q.field_name(), answer.to_owned())
            })
            .collect();
        if section == SECTION_COUNT && !note.is_empty() {
            form.push(("note".into(), note.into()));
        }
        form.push(("nav".into(), "next".into()));
        let response = app
            .raw
            .post(app.url(&format!("/q/{token}/s/{section}")))
            .form(&form)
            .send()
            .await
            .expect("post section");
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    }
}

/// A workspace page's HTML, fetched with a clinician's session cookie.
pub async fn staff_html(app: &TestApp, cookie: &str, path: &str) -> String {
    app.raw
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("workspace page")
        .text()
        .await
        .expect("body")
}

/// The directory form's fields for an organisation: `name`, its `categories` and the date its
/// details were last `checked`.
pub fn directory_entry<'a>(
    name: &'a str,
    categories: &'a str,
    checked: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("kind", "organisation"),
        ("categories", categories),
        ("languages", "English; Spanish"),
        ("delivery", "both"),
        ("sliding_scale", "yes"),
        ("accepting_new_clients", "yes"),
        ("phone", "+1 555 010 0100"),
        ("url", "https://aid.example.org"),
        (
            "application_process",
            "Call and ask for the advocate on duty.",
        ),
        ("assured_date", checked),
    ]
}

/// The text of each element `css` selects in `html`, whitespace collapsed.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).expect("selector");
    doc.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" "))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

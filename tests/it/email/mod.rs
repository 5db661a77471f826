//! The practice hears about every completed questionnaire by email, through a real SMTP
//! server on loopback (aiosmtpd), even when that server is down at the time. The consult's
//! messages are tested in `consult.rs`, the partner invitation in `invitations.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{self, Backend, TestApp};
use reqwest::StatusCode;

const CANARY: &str = "CANARY-we-argue-about-money-7c1d";

mod consult;
mod invitations;

/// A real SMTP server (Python's aiosmtpd) that stores what it receives in a maildir.
struct SmtpSink {
    child: tokio::process::Child,
    maildir: PathBuf,
}

impl SmtpSink {
    async fn start(port: u16, maildir: &Path) -> SmtpSink {
        Self::start_in_mode("normal", port, maildir).await
    }

    /// `tests/smtp_sink.py`: aiosmtpd, optionally refusing the first message or hanging.
    async fn start_in_mode(mode: &str, port: u16, maildir: &Path) -> SmtpSink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let child = tokio::process::Command::new("python3")
            .arg(script)
            .arg(mode)
            .arg(port.to_string())
            .arg(maildir)
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        SmtpSink {
            child,
            maildir: maildir.to_owned(),
        }
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// Every message received so far, raw.
    fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for entry in entries.flatten() {
                    if let Ok(text) = std::fs::read_to_string(entry.path()) {
                        out.push(text);
                    }
                }
            }
        }
        out
    }

    async fn wait_for(&self, count: usize, within: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let messages = self.messages();
            if messages.len() >= count || tokio::time::Instant::now() > deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("SMTP_HOST", "127.0.0.1".into()),
        ("SMTP_PORT", port.to_string()),
        ("SMTP_TLS", "none".into()),
        (
            "MAIL_FROM",
            "Harbour Intake <no-reply@harbour.example>".into(),
        ),
        ("MAIL_RETRY_BASE_SECONDS", "1".into()),
        ("SMTP_TIMEOUT_SECONDS", "5".into()),
    ]
}

/// A client answers every statement, with a canary in the note.
async fn answer_everything(app: &TestApp, token: &str) {
    common::answer_every_section(app, token, |_| "2", CANARY).await;
    common::check_in(app, token, "no").await;
}

/// A client answers everything (with a canary in the note) and sees their result; returns
/// their reference.
async fn complete(app: &TestApp) -> String {
    let token = common::start_questionnaire(app).await;
    answer_everything(app, &token).await;
    let result = app
        .client
        .get(app.url(&format!("/q/{token}/result")))
        .send()
        .await
        .expect("result");
    assert_eq!(
        result.status(),
        StatusCode::OK,
        "the client sees their result whatever the mail server does"
    );
    let body = result.text().await.expect("body");
    let start = body.find("TB-").expect("a reference");
    body[start..start + 11].to_owned()
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

async fn the_practice_gets_a_neutral_notification(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let app = common::spawn_app_with(backend, &smtp_env(port)).await;
    let reference = complete(&app).await;
    let messages = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(messages.len(), 1, "exactly one message");
    let m = &messages[0];
    assert_eq!(header(m, "To"), Some("intake@harbour.example"));
    assert_eq!(
        header(m, "Subject"),
        Some(format!("New intake received ({reference})").as_str())
    );
    assert!(header(m, "Message-ID").is_some_and(|id| id.ends_with("@harbour.example>")));
    assert!(m.contains("multipart/alternative"));
    assert!(m.contains("text/plain") && m.contains("text/html"));
    assert!(m.contains(&format!("/staff/submissions/{reference}")));
    // No health detail: not the note, not a score.
    assert!(!m.contains(CANARY), "the client's note leaked into email");
    for word in ["readiness", "Readiness", "/ 100", "band"] {
        assert!(!m.contains(word), "{word} in the email");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notification_sqlite() {
    the_practice_gets_a_neutral_notification(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notification_postgres() {
    the_practice_gets_a_neutral_notification(Backend::Postgres).await;
}

async fn mail_down_at_submit_is_delivered_later_exactly_once(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    // Nothing listens on `port` yet: the first attempts fail.
    let app = common::spawn_app_with(backend, &smtp_env(port)).await;
    complete(&app).await;
    // The first attempt comes within a second or two; a loaded machine may take longer.
    for _ in 0..150 {
        if app.logs().contains("email not sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        app.logs().contains("email not sent"),
        "a failed attempt is logged"
    );
    // Admins see the message waiting, with why (never its recipient or body).
    let cookie = admin_cookie(&app).await;
    let page = app
        .raw
        .get(app.url("/staff/email"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("submission received"), "{page}");
    assert!(
        !page.contains("intake@harbour.example"),
        "no recipients on the page"
    );
    // Why it failed is kept sealed (a mail server's reply may quote the address), and the log
    // says only what kind of failure it was.
    let why = common::db_text(
        &app,
        "select last_error from outbox where last_error is not null",
    )
    .await;
    assert!(why.starts_with("tb1:"), "{why}");
    let opened = common::sealer(&app)
        .open(trustbridge::server::db::seal::Field::MailError, why)
        .expect("opens");
    let shown = opened
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(page.contains(&shown), "the reason is on the page: {opened}");
    assert!(!app.logs().contains(&opened), "the reason is not logged");
    let sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let messages = sink.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(messages.len(), 1);
    // And it is not sent again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 1, "delivered exactly once");
}

/// Two app processes on one PostgreSQL database, both outbox workers running: a backlog
/// queued while the mail server was down goes out once it is back, every message exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_deliver_each_message_exactly_once() {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut env = smtp_env(port);
    env.push(("MAIL_RETRY_BASE_SECONDS", "1".into()));
    let first = common::spawn_app_with(Backend::Postgres, &env).await;
    let second = common::spawn_app_on(first.database_url.clone(), &env).await;
    let mut references = Vec::new();
    for i in 0..16 {
        references.push(complete(if i % 2 == 0 { &first } else { &second }).await);
    }
    let sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    sink.wait_for(references.len(), Duration::from_secs(90))
        .await;
    // Time for a second delivery of any message to show up, if there were one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = sink.messages();
    assert_eq!(
        messages.len(),
        references.len(),
        "one message per submission"
    );
    let mut ids: Vec<String> = messages.iter().map(|m| message_id(m)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), references.len(), "no message delivered twice");
    for reference in &references {
        let about = messages
            .iter()
            .filter(|m| header(m, "Subject").is_some_and(|s| s.contains(reference.as_str())))
            .count();
        assert_eq!(about, 1, "{reference}");
    }
    let sent = "select count(*) from outbox where status = 'sent'";
    assert_eq!(
        common::db_count(&first, sent).await,
        references.len() as i64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_down_sqlite() {
    mail_down_at_submit_is_delivered_later_exactly_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_down_postgres() {
    mail_down_at_submit_is_delivered_later_exactly_once(Backend::Postgres).await;
}

fn message_id(message: &str) -> String {
    header(message, "Message-ID").unwrap_or_default().to_owned()
}

async fn a_temporary_refusal_is_retried_once_and_delivered(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = SmtpSink::start_in_mode("tempfail-first", port, &dir.path().join("maildir")).await;
    let app = common::spawn_app_with(backend, &smtp_env(port)).await;
    complete(&app).await;
    let messages = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(messages.len(), 1);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 1, "one delivery after the 451");
    // The refusal is logged by its kind; the server's reply text stays out of the log.
    assert!(
        app.logs().contains("SMTP error (reason on the email page)"),
        "the refusal is logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tempfail_sqlite() {
    a_temporary_refusal_is_retried_once_and_delivered(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tempfail_postgres() {
    a_temporary_refusal_is_retried_once_and_delivered(Backend::Postgres).await;
}

async fn a_server_that_hangs_times_out_and_the_message_is_retried(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let maildir = dir.path().join("maildir");
    let stuck = SmtpSink::start_in_mode("hang", port, &maildir).await;
    let mut env = smtp_env(port);
    env.push(("SMTP_TIMEOUT_SECONDS", "2".into()));
    let app = common::spawn_app_with(backend, &env).await;
    complete(&app).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !app.logs().contains("SMTP server timed out") && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        app.logs().contains("SMTP server timed out"),
        "{}",
        app.logs()
    );
    // The stored reason says more (for the admins' email page).
    let why = common::db_text(
        &app,
        "select last_error from outbox where last_error is not null",
    )
    .await;
    let opened = common::sealer(&app)
        .open(trustbridge::server::db::seal::Field::MailError, why)
        .expect("opens");
    assert!(opened.contains("did not finish within 2s"), "{opened}");
    stuck.stop().await;
    let sink = SmtpSink::start(port, &maildir).await;
    assert_eq!(sink.wait_for(1, Duration::from_secs(30)).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_sqlite() {
    a_server_that_hangs_times_out_and_the_message_is_retried(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_postgres() {
    a_server_that_hangs_times_out_and_the_message_is_retried(Backend::Postgres).await;
}

async fn killed_between_claim_and_send_it_is_delivered_after_restart(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let maildir = dir.path().join("maildir");
    // The server hangs, so the worker is stuck mid-send with the message claimed…
    let stuck = SmtpSink::start_in_mode("hang", port, &maildir).await;
    let mut env = smtp_env(port);
    env.push(("SMTP_TIMEOUT_SECONDS", "60".into()));
    env.push(("MAIL_STALE_CLAIM_SECONDS", "2".into()));
    let mut app = common::spawn_app_with(backend, &env).await;
    complete(&app).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    // …when the app is killed.
    app.stop().await;
    stuck.stop().await;
    let sink = SmtpSink::start(port, &maildir).await;
    app.restart(&env).await;
    let messages = sink.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(messages.len(), 1, "delivered after the restart");
    assert!(message_id(&messages[0]).ends_with("@harbour.example>"));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_sqlite() {
    killed_between_claim_and_send_it_is_delivered_after_restart(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_postgres() {
    killed_between_claim_and_send_it_is_delivered_after_restart(Backend::Postgres).await;
}

async fn stopped_mid_send_it_records_the_try_instead_of_leaving_it_claimed(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let maildir = dir.path().join("maildir");
    // The server hangs, so the worker is mid-send with the message claimed…
    let stuck = SmtpSink::start_in_mode("hang", port, &maildir).await;
    let mut env = smtp_env(port);
    env.push(("SMTP_TIMEOUT_SECONDS", "3".into()));
    // Far longer than the test: only the graceful stop can free the claim in time.
    env.push(("MAIL_STALE_CLAIM_SECONDS", "600".into()));
    let mut app = common::spawn_app_with(backend, &env).await;
    complete(&app).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sending = "select count(*) from outbox where status = 'sending'";
    assert_eq!(
        common::db_count(&app, sending).await,
        1,
        "claimed, mid-send"
    );
    // …when the service manager stops the app: it finishes the try, within the send's limit.
    let exit = app.terminate(Duration::from_secs(10)).await;
    assert!(exit.is_some_and(|s| s.success()), "{exit:?}");
    assert_eq!(common::db_count(&app, sending).await, 0, "not left claimed");
    stuck.stop().await;
    // The next start delivers it at once, exactly once (no waiting out a stale claim).
    let sink = SmtpSink::start(port, &maildir).await;
    app.restart(&env).await;
    let messages = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(messages.len(), 1, "delivered after the restart");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_stop_sqlite() {
    stopped_mid_send_it_records_the_try_instead_of_leaving_it_claimed(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_stop_postgres() {
    stopped_mid_send_it_records_the_try_instead_of_leaving_it_claimed(Backend::Postgres).await;
}

/// Creates an admin with the binary's `create-admin` and logs in; returns the cookie.
async fn admin_cookie(app: &TestApp) -> String {
    let password = "copper meadow lantern tide";
    common::create_admin(app, "admin@harbour.example", "Admin", password).await;
    common::log_in_as(app, "admin@harbour.example", password)
        .await
        .expect("a session cookie")
}

/// The body of a raw message's first part of `content_type`, decoded (base64, quoted-printable
/// or plain).
fn decoded_part(message: &str, content_type: &str) -> Option<String> {
    let start = message.find(&format!("Content-Type: {content_type}"))?;
    let part = &message[start..];
    let (head, rest) = part
        .split_once("\r\n\r\n")
        .or_else(|| part.split_once("\n\n"))?;
    let body = rest.split("\n--").next().unwrap_or_default();
    if head.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine as _;
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .ok()?;
        return String::from_utf8(bytes).ok();
    }
    if head.contains("Content-Transfer-Encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "").replace("=\n", "");
        let mut bytes = Vec::new();
        let mut rest = joined.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            match (b, tail.get(..2)) {
                (b'=', Some(hex)) => {
                    let hex = std::str::from_utf8(hex).ok()?;
                    bytes.push(u8::from_str_radix(hex, 16).ok()?);
                    rest = &tail[2..];
                }
                _ => {
                    bytes.push(b);
                    rest = tail;
                }
            }
        }
        return String::from_utf8(bytes).ok();
    }
    Some(body.to_owned())
}

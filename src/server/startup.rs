//! Builds the application from configuration and serves it until asked to stop.

use std::sync::Arc;

use leptos::config::{Env, LeptosOptions};
use tokio::net::TcpListener;

use super::config::Config;
use super::db::{ConnectError, Db};
use super::http::routes::router;
use super::state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] ConnectError),
    #[error("email is not configured correctly")]
    Mail(#[from] super::email::MailerError),
    #[error("could not listen on the configured address")]
    Bind(#[source] std::io::Error),
    #[error(
        "PRACTICE_COUNTRY is not set, so clients in danger would see no line to call. Set it \
         (US, CA, GB, IE, AU, NZ), or SUPPORT_RESOURCES_FILE, or PRACTICE_COUNTRY=none to show \
         only \"call your local emergency number\""
    )]
    NoSupportLines,
}

/// Opens the database (applying migrations), binds, prints the URL and serves.
/// glibc raises its mmap threshold each time a large block is freed, up to 32 MiB, so after the
/// first login a password hash's working memory (several MiB) comes from an arena and stays
/// resident in every thread that ever hashed: the server's RSS grew by that much per worker
/// thread and never came back. A fixed threshold keeps large blocks mmapped, so they are
/// returned when freed. Measured on a debug build, 12 logins 4 at a time: RSS afterwards
/// 221 MB without, 46 MB with (`docs/deploy.md`).
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
    // of ours exists, and 256 KiB is a valid threshold.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

pub async fn run(config: Config) -> Result<(), StartError> {
    return_large_blocks();
    let db = Db::connect(&config.database_url, &config.data_key).await?;
    // After the database, so a setting it refuses is said first; before anyone is served.
    if !config.support_chosen {
        db.close().await;
        return Err(StartError::NoSupportLines);
    }
    let mailer = super::email::Mailer::from_config(&config.mail)?;
    let leptos = LeptosOptions::builder()
        .output_name("trustbridge")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .env(Env::PROD)
        .site_addr(config.bind_addr)
        .build();
    let listener = TcpListener::bind(config.bind_addr)
        .await
        .map_err(StartError::Bind)?;
    let local = listener.local_addr().map_err(StartError::Bind)?;
    let mail_settings = config.mail.clone();
    // An https address means a real deployment, not a try-out on a laptop.
    let public_https = config.secure_cookies();
    let app_support = config.support.clone();
    let retention = config.retention();
    let limits = super::serve::Limits {
        header_read: std::time::Duration::from_secs(config.header_read_seconds),
        max_connections: config.max_connections,
        per_address: config.max_connections_per_address,
        // Longer than any request may take (`http::routes`' 30-second limit).
        drain: std::time::Duration::from_secs(40),
    };
    let uncapped = config.trusted_proxies.clone();
    let state = AppState {
        config: Arc::new(config),
        db: db.clone(),
        leptos,
    };
    spawn_escalation(state.clone());
    let app = router(state);
    spawn_session_cleanup(db.clone());
    spawn_purge(db.clone(), retention);
    let worker =
        super::email::worker::spawn(db.clone(), std::sync::Arc::new(mailer), &mail_settings);
    tracing::info!(backend = db.backend(), "database ready");
    if state_has_no_support_lines(&app_support) {
        tracing::warn!(
            "PRACTICE_COUNTRY=none: clients' support panels show only \"call your local \
             emergency number\"; set a country (US, CA, GB, IE, AU, NZ) or \
             SUPPORT_RESOURCES_FILE to show the lines to call"
        );
    }
    if mail_settings.smtp.is_none() && public_https {
        tracing::warn!(
            "SMTP_HOST is not set: no email leaves this server. Confirmations, reminders, \
             referrals and the practice's alerts are written as files to MAIL_DIR instead; set \
             SMTP_HOST to send them"
        );
    }
    // Tests read this line to find the port the OS picked.
    println!("listening on http://{local}");
    super::serve::serve(listener, app, limits, uncapped, shutdown_signal()).await;
    // Requests are done; the message being sent (if any) is let finish, within one send's
    // time limit, so it is not left claimed.
    let grace = std::time::Duration::from_secs(mail_settings.timeout_seconds + 2);
    worker.stop(grace).await;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// The retention purge (`db::retention`): once at start, then every hour.
fn spawn_purge(db: Db, retention: super::db::Retention) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            // A backlog goes a batch a second, so requests keep their turn.
            let pause = std::time::Duration::from_secs(1);
            match db.purge(retention, chrono::Utc::now(), pause).await {
                Ok(p) if !p.is_empty() => tracing::info!(
                    unfinished = p.unfinished,
                    closed = p.closed,
                    messages = p.messages,
                    "purged"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "the retention purge failed; it runs again in an hour")
                }
            }
        }
    });
}

/// Overdue urgent reviews (`service::couples::escalate_overdue`), every
/// `REVIEW_ESCALATION_CHECK_SECONDS`; nothing to do without `REVIEW_ESCALATION_EMAIL`.
fn spawn_escalation(state: AppState) {
    if state.config.review_escalation_email.is_none() {
        return;
    }
    let every = std::time::Duration::from_secs(
        u64::try_from(state.config.review_escalation_check_seconds).unwrap_or(60),
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) =
                super::service::couples::escalate_overdue(&state, chrono::Utc::now()).await
            {
                tracing::warn!(error = %e, "could not look for overdue urgent reviews");
            }
        }
    });
}

/// Expired sessions already read as absent; this only keeps the table small.
fn spawn_session_cleanup(db: Db) {
    let store = super::auth::session_store::DbSessionStore(db);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
}

fn state_has_no_support_lines(support: &crate::domain::support::Resources) -> bool {
    support.lines().is_empty()
}

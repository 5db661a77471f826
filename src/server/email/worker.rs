//! Delivers the outbox: claim a due message, send it with a time limit, record the outcome;
//! retry with exponential backoff and jitter; dead-letter after the last attempt.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rand::Rng as _;

use super::Mailer;
use crate::server::config::MailConfig;
use crate::server::db::Db;

const IDLE_POLL: Duration = Duration::from_millis(500);

/// The wait before retry number `attempts` (1-based): base·2^(attempts−1), capped at an hour,
/// ±25 % jitter so many failed messages do not retry in lockstep.
pub fn backoff(attempts: i32, base_seconds: i64) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    let seconds = base_seconds.saturating_mul(1i64 << exponent).min(3600);
    let jitter = rand::rng().random_range(0.75..=1.25);
    chrono::Duration::milliseconds((seconds as f64 * 1000.0 * jitter) as i64)
}

/// The running worker, so shutting down can let it finish the message in hand.
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Stops claiming messages and waits, at most `grace`, for the one being sent to be sent or
    /// recorded as failed (and so retried), instead of leaving it claimed until another worker
    /// decides its sender died (`MAIL_STALE_CLAIM_SECONDS`).
    pub async fn stop(self, grace: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, self.task).await.is_err() {
            tracing::warn!("the email worker did not finish in time; its message is retried later");
        }
    }
}

/// Runs on the current runtime until [`Worker::stop`].
pub fn spawn(db: Db, mailer: Arc<Mailer>, settings: &MailConfig) -> Worker {
    let max_attempts = settings.max_attempts;
    let retry_base_seconds = settings.retry_base_seconds;
    // How long a claimed message may stay "sending" before a worker takes it over: its sender
    // crashed or was killed between claim and send. Longer than any send may take.
    let stale_claim = chrono::Duration::seconds(settings.stale_claim_seconds);
    let (stop, mut stopping) = tokio::sync::watch::channel(false);
    // A pause that ends early when the server is stopping.
    async fn pause(stopping: &mut tokio::sync::watch::Receiver<bool>, how_long: Duration) {
        tokio::select! {
            _ = tokio::time::sleep(how_long) => {}
            _ = stopping.changed() => {}
        }
    }
    let task = tokio::spawn(async move {
        while !*stopping.borrow() {
            match db.claim_email(Utc::now(), stale_claim).await {
                Ok(Some(email)) => {
                    let outcome = mailer.send(&email).await;
                    let recorded = match outcome {
                        Ok(()) => {
                            tracing::info!(message_id = %email.message_id, attempts = email.attempts, "email sent");
                            db.mark_email_sent(email.id, Utc::now()).await
                        }
                        Err(e) => {
                            let retry_at = (email.attempts < max_attempts)
                                .then(|| Utc::now() + backoff(email.attempts, retry_base_seconds));
                            tracing::warn!(
                                message_id = %email.message_id,
                                attempts = email.attempts,
                                dead = retry_at.is_none(),
                                error = e.kind(),
                                "email not sent"
                            );
                            db.mark_email_failed(email.id, &e.to_string(), retry_at)
                                .await
                        }
                    };
                    if let Err(e) = recorded {
                        tracing::error!(error = %e, "could not record an email's outcome");
                        pause(&mut stopping, IDLE_POLL).await;
                    }
                }
                Ok(None) => pause(&mut stopping, IDLE_POLL).await,
                Err(e) => {
                    tracing::error!(error = %e, "could not read the outbox");
                    pause(&mut stopping, Duration::from_secs(2)).await;
                }
            }
        }
    });
    Worker { stop, task }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempts in 1..=20 {
            let expected = (5i64 << (attempts - 1).min(16)).min(3600) as f64;
            let got = backoff(attempts, 5).num_milliseconds() as f64 / 1000.0;
            assert!(
                got >= expected * 0.75 - 0.001 && got <= expected * 1.25 + 0.001,
                "{attempts}: {got}"
            );
        }
    }
}

//! Email: templates (data first), the mail backends, and the outbox worker.
//!
//! A message is rendered and written to the outbox in the same transaction as the event that
//! causes it; [`worker`] delivers it. SMTP in production; with no `SMTP_HOST`, messages are
//! written as `.eml` files so development needs no mail server.

pub mod calendar;
pub mod templates;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret as _;

use super::config::{MailConfig, SmtpTls};
use super::db::QueuedEmail;

/// Where messages go.
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        timeout: Duration,
    },
    File {
        dir: PathBuf,
        from: Mailbox,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("MAIL_FROM is not an email address")]
    From(#[source] lettre::address::AddressError),
    #[error("SMTP settings are not usable")]
    Smtp(#[source] lettre::transport::smtp::Error),
}

/// Why one delivery attempt failed. The text is stored (sealed) as the message's last error;
/// the log gets only its [`SendError::kind`].
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the recipient address is not valid")]
    Recipient,
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the SMTP server did not finish within {0:?}")]
    Timeout(Duration),
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("could not write the message file: {0}")]
    File(String),
}

impl SendError {
    /// What kind of failure, for the log: a mail server's reply may quote the recipient's
    /// address, so its text goes only to the outbox row (sealed), which admins read on the
    /// email page.
    pub fn kind(&self) -> &'static str {
        match self {
            SendError::Recipient => "recipient address not valid",
            SendError::Build(_) => "message could not be built",
            SendError::Timeout(_) => "SMTP server timed out",
            SendError::Smtp(_) => "SMTP error (reason on the email page)",
            SendError::File(_) => "could not write the message file",
        }
    }
}

/// An SMTP server's reply often repeats the recipient ("550 <sam@example.org>: no such user");
/// the reply is logged and shown to admins, so every address in it is blanked.
pub fn redact_addresses(reply: &str) -> String {
    reply
        .split(' ')
        .map(|word| {
            if word.contains('@') {
                "<address>"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> Result<Self, MailerError> {
        let from: Mailbox = config.from.parse().map_err(MailerError::From)?;
        let Some(smtp) = &config.smtp else {
            return Ok(Mailer::File {
                dir: PathBuf::from(&config.dir),
                from,
            });
        };
        let timeout = Duration::from_secs(config.timeout_seconds);
        let builder = match smtp.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(MailerError::Smtp)?,
            SmtpTls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(MailerError::Smtp)?,
        };
        let mut builder = builder.port(smtp.port).timeout(Some(timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Mailer::Smtp {
            transport: builder.build(),
            from,
            timeout,
        })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::File { from, .. } => from,
        }
    }

    fn build(&self, email: &QueuedEmail) -> Result<Message, SendError> {
        let to: Mailbox = email.recipient.parse().map_err(|_| SendError::Recipient)?;
        let body =
            MultiPart::alternative_plain_html(email.body_text.clone(), email.body_html.clone());
        let body = match &email.calendar {
            None => body,
            Some(ics) => {
                let kind = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                    .map_err(|e| SendError::Build(e.to_string()))?;
                MultiPart::mixed()
                    .multipart(body)
                    .singlepart(Attachment::new("consult.ics".to_owned()).body(ics.clone(), kind))
            }
        };
        Message::builder()
            .message_id(Some(email.message_id.clone()))
            .from(self.from().clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(body)
            .map_err(|e| SendError::Build(e.to_string()))
    }

    /// One delivery attempt, bounded in time from connect to the server's final answer.
    pub async fn send(&self, email: &QueuedEmail) -> Result<(), SendError> {
        let message = self.build(email)?;
        match self {
            Mailer::Smtp {
                transport, timeout, ..
            } => match tokio::time::timeout(*timeout, transport.send(message)).await {
                Err(_) => Err(SendError::Timeout(*timeout)),
                Ok(Err(e)) => Err(SendError::Smtp(redact_addresses(&e.to_string()))),
                Ok(Ok(_)) => Ok(()),
            },
            Mailer::File { dir, .. } => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| SendError::File(e.to_string()))?;
                let name: String = email
                    .message_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect();
                tokio::fs::write(dir.join(format!("{name}.eml")), message.formatted())
                    .await
                    .map_err(|e| SendError::File(e.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_never_reach_an_error_text() {
        let reply = "permanent error (550): 5.1.1 <sam.rivera@example.org>: user unknown";
        let safe = redact_addresses(reply);
        assert!(
            !safe.contains("sam.rivera") && !safe.contains("example.org"),
            "{safe}"
        );
        assert!(safe.contains("550") && safe.contains("user unknown"));
    }
}

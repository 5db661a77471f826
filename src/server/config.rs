//! Configuration from the environment, with documented defaults (see `.env.example`).

use std::net::SocketAddr;

/// Everything the server needs to know about where it runs and whose practice it serves.
#[derive(Clone)]
pub struct Config {
    /// `BIND_ADDR`: where to listen. Port 0 picks a free port (tests do this).
    pub bind_addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite:…` (default, created on first run) or `postgres://…`.
    pub database_url: String,
    /// `DATA_KEY` or `DATA_KEY_FILE`: the key sensitive fields are sealed with (see
    /// `db::seal`); for SQLite without either, a key file beside the database.
    pub data_key: crate::server::db::KeySource,
    /// `REQUIRE_MFA` (default false): every staff account must turn on two-step sign-in before
    /// it can open anything else in the workspace.
    pub require_mfa: bool,
    /// `PRACTICE_NAME`: shown on every page.
    pub practice_name: String,
    /// `PRACTICE_EMAIL`: where clients can write, and (later) where notifications go.
    pub practice_email: String,
    /// `PUBLIC_BASE_URL`: the address clients reach, used for private resume links.
    pub public_base_url: String,
    /// `SITE_ROOT`: the folder cargo-leptos builds (holds `pkg/` with CSS, JS and WASM).
    pub site_root: String,
    /// `QUICK_EXIT_URL`: the neutral site "Quick exit" leaves for.
    pub quick_exit_url: String,
    /// How email leaves: SMTP when `SMTP_HOST` is set, otherwise `.eml` files in `MAIL_DIR`.
    pub mail: MailConfig,
    /// `PRACTICE_TIME_ZONE`: the IANA zone of the practice's working hours (default
    /// `America/New_York`). Every booking stores its instants in UTC with this zone's name.
    pub practice_zone: chrono_tz::Tz,
    /// The country whose support lines clients are shown (`PRACTICE_COUNTRY`), if set.
    pub practice_country: Option<crate::domain::support::Country>,
    /// Whether the practice chose its support lines: a country, its own file, or
    /// `PRACTICE_COUNTRY=none` on purpose. The server does not start without a choice, so no
    /// practice shows clients in danger no line at all by oversight (clinical N14).
    pub support_chosen: bool,
    /// The support lines every client page offers: the country's preset, a practice's own
    /// file (`SUPPORT_RESOURCES_FILE`, JSON), or only the neutral emergency line.
    pub support: crate::domain::support::Resources,
    /// What every client reads and agrees to before the first question: the practice's own
    /// text (`CONSENT_POLICY_FILE`) or the default, with the version an agreement records.
    pub consent: crate::domain::consent::Policy,
    /// `DIRECTORY_STALE_DAYS`: a directory entry not checked for this many days is flagged
    /// (default 180).
    pub directory_stale_days: i64,
    /// `TRUSTED_PROXIES`: the reverse proxies (addresses or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` names the client. Empty (the default): the peer address is the client,
    /// and the header is ignored, since anyone can send it.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Hours within which an urgent check-in should have had a clinician's first contact
    /// (`REVIEW_HOURS_URGENT`, default 4), and any other positive one (`REVIEW_HOURS`, 24).
    /// Both are counted in the practice's working hours when `PRACTICE_HOURS` is set.
    pub review_hours_urgent: i64,
    pub review_hours: i64,
    /// `PRACTICE_HOURS`: when someone reads the workspace, in the practice's zone
    /// (`"mon-fri 09:00-17:00"`); unset, review targets are clock hours.
    pub practice_hours: Option<crate::domain::booking::WeeklyHours>,
    /// What every client reads before the private check-in (and in the default policy): when
    /// a clinician reads what they send, that nobody watches around the clock, and what to do
    /// in danger now. Made from `PRACTICE_HOURS` and the support list.
    pub reading_notice: String,
    /// `REVIEW_ESCALATION_EMAIL`: where one message goes when an urgent check-in passes its
    /// target with no clinician having spoken with the client (an on-call address); unset, none.
    pub review_escalation_email: Option<String>,
    /// `REVIEW_ESCALATION_CHECK_SECONDS`: how often overdue urgent check-ins are looked for
    /// (default 60).
    pub review_escalation_check_seconds: i64,
    /// `BOOKING_CHANGE_CUTOFF_HOURS`: clients can move or cancel a consult online until this
    /// long before it starts (default 24); after that they call the practice.
    pub booking_change_cutoff_hours: i64,
    /// `BOOKINGS_PER_DAY`: consults one questionnaire may book online in 24 hours, counting
    /// cancelled ones (default 3); then the client writes to the practice.
    pub bookings_per_day: i64,
    /// `MOVES_PER_BOOKING`: times a client may move one consult online (default 5).
    pub moves_per_booking: i64,
    /// `BOOKING_BURST`: booking, moving and cancelling posts one client address may make at
    /// once, then one every 30 seconds (default 20; 0 turns it off, as for a load test).
    pub booking_burst: u32,
    /// `REMINDER_HOURS_BEFORE`: the client's reminder goes out this long before the consult
    /// (default 24). None is sent when the consult is booked closer than that.
    pub reminder_hours_before: i64,
    /// `RESUME_LINK_DAYS`: a client's private questionnaire link stops working this many days
    /// after the questionnaire was started (default 180). Invitations last 14 days; a manage
    /// link stops allowing changes at the booking's cut-off.
    pub resume_link_days: i64,
    /// `RESULT_LINK_DAYS`: the client's summary page opens for this many days after their
    /// private check-in (default 14), so a partner who finds the link later reads nothing of
    /// it; booking and the manage link go on as before.
    pub result_link_days: i64,
    /// `REFERRAL_LINK_DAYS`: a referral's page (`/r/<token>`) opens for this many days after
    /// it was sent (default 30), and not at all once the practice closes it.
    pub referral_link_days: i64,
    /// `RETENTION_DAYS`: a closed submission is erased this many days after it was closed
    /// (unset: kept until an admin deletes it). An unfinished questionnaire always goes once its
    /// link has expired.
    pub retention_days: Option<i64>,
    /// `START_BURST`: questionnaires one address can start at once (default 60; then one every
    /// 30 seconds). 0 turns the limit off (benchmarks, load tests).
    pub start_burst: u32,
    /// `MAIL_KEEP_HOURS`: a delivered message keeps its recipient, subject and body this long
    /// (default 24), then only its kind, status and times.
    pub mail_keep_hours: i64,
    /// `INVITE_EMAILS_PER_DAY`: invitations the practice emails to partners in 24 hours at most,
    /// whoever asks (default 200), so its mail server is nobody's way to write to strangers.
    pub invite_emails_per_day: i64,
    /// `JOINT_BOOKING`: `practice_contacts` (default: the practice contacts every couple, so no
    /// partner can ever tell a hold from the ordinary path) or `open` (couples with no flag pick
    /// a time themselves; then booking staying closed tells a partner that the other either
    /// does not lean in or checked in positive).
    pub joint_booking: crate::domain::couple::JointBookingPolicy,
    /// `JOINT_SUMMARY`: `clinician` (default: the couple's summary is for a session, not the
    /// clients' pages), `shown` (both partners see it once both have finished) or `off`.
    pub joint_summary: crate::domain::couple::JointSummaryMode,
    /// `SESSION_IDLE_MINUTES`: a clinician idle this long is logged out (default 120).
    pub session_idle_minutes: i64,
    /// `SESSION_MAX_HOURS`: a clinician session ends this long after login, however active
    /// (default 12: a working day).
    pub session_max_hours: i64,
    /// `HEADER_READ_TIMEOUT_SECONDS`: a client has this long to send a request's head
    /// (default 10); a connection that trickles it, or sends nothing, is closed.
    pub header_read_seconds: u64,
    /// `MAX_CONNECTIONS`: connections served at once (default 512); more wait their turn.
    pub max_connections: usize,
    /// `MAX_CONNECTIONS_PER_ADDRESS`: connections one client address may hold at once (default
    /// 64, 0 for none); `TRUSTED_PROXIES` are exempt.
    pub max_connections_per_address: usize,
}

/// How TLS is used with the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP: only for a server on loopback (development, tests).
    None,
    /// Upgrade with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Implicit,
}

/// `SMTP_HOST`, `SMTP_PORT`, `SMTP_TLS` (none | starttls | tls), `SMTP_USERNAME`,
/// `SMTP_PASSWORD`.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<secrecy::SecretString>,
}

// The password never reaches a log line.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `MAIL_FROM`: the sender address.
    pub from: String,
    /// `None`: development, messages go to `MAIL_DIR` as files.
    pub smtp: Option<SmtpConfig>,
    /// `MAIL_DIR` (default `data/mail`).
    pub dir: String,
    /// `SMTP_TIMEOUT_SECONDS` (default 20): the limit on one whole delivery, not just connecting.
    pub timeout_seconds: u64,
    /// `MAIL_MAX_ATTEMPTS` (default 8): then the message is dead-lettered.
    pub max_attempts: i32,
    /// `MAIL_RETRY_BASE_SECONDS` (default 5): the first retry's delay; it doubles each time.
    pub retry_base_seconds: i64,
    /// `MAIL_STALE_CLAIM_SECONDS` (default 120): a message claimed this long ago by a worker
    /// that never finished (crashed, killed) is taken over and sent again, with the same
    /// Message-ID. At least the SMTP timeout.
    pub stale_claim_seconds: i64,
}

impl Config {
    /// How long things are kept, for the purge.
    pub fn retention(&self) -> crate::server::db::Retention {
        crate::server::db::Retention {
            unfinished_days: self.resume_link_days,
            closed_days: self.retention_days,
            mail_keep_hours: self.mail_keep_hours,
        }
    }

    /// Cookies get `Secure` when clients reach the app over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}

// The URL may carry a database password: never print it.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind_addr", &self.bind_addr)
            .field("database_url", &"<redacted>")
            .field("practice_name", &self.practice_name)
            .field("public_base_url", &self.public_base_url)
            .field("site_root", &self.site_root)
            .finish_non_exhaustive()
    }
}

/// A setting that is present but unusable.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

/// Reads `TRUSTED_PROXIES`: addresses (`10.0.0.5`, `::1`) or ranges (`10.0.0.0/8`).
fn trusted_proxies(raw: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    raw.split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError {
                    name: "TRUSTED_PROXIES",
                    problem: format!(
                        "{p:?} is not an address or a range; example: 127.0.0.1, 10.0.0.0/8"
                    ),
                })
        })
        .collect()
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let bind_addr = get("BIND_ADDR", "127.0.0.1:3000")
            .parse::<SocketAddr>()
            .map_err(|e| ConfigError {
                name: "BIND_ADDR",
                problem: format!("not a socket address ({e}); example: 127.0.0.1:3000"),
            })?;
        let practice_email = get("PRACTICE_EMAIL", "hello@practice.example");
        if !practice_email.contains('@') {
            return Err(ConfigError {
                name: "PRACTICE_EMAIL",
                problem: "must be an email address".into(),
            });
        }
        let public_base_url = get("PUBLIC_BASE_URL", &format!("http://{bind_addr}"));
        if !(public_base_url.starts_with("http://") || public_base_url.starts_with("https://")) {
            return Err(ConfigError {
                name: "PUBLIC_BASE_URL",
                problem: "must start with http:// or https://".into(),
            });
        }
        let number = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            get(name, &default.to_string())
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError {
                    name,
                    problem: "must be a whole number above 0".into(),
                })
        };
        let database_url = get("DATABASE_URL", "sqlite://data/trustbridge.db");
        if let Some(problem) = crate::server::db::clear_text_to_remote(&database_url) {
            return Err(ConfigError {
                name: "DATABASE_URL",
                problem,
            });
        }
        let data_key = match (lookup("DATA_KEY"), lookup("DATA_KEY_FILE")) {
            (Some(key), _) if !key.trim().is_empty() => {
                let key =
                    crate::server::db::DataKey::parse(&key).map_err(|problem| ConfigError {
                        name: "DATA_KEY",
                        problem,
                    })?;
                crate::server::db::KeySource::Given(std::sync::Arc::new(key))
            }
            (_, Some(path)) if !path.trim().is_empty() => {
                crate::server::db::KeySource::File(path.trim().into())
            }
            _ => crate::server::db::KeySource::BesideDatabase,
        };
        let require_mfa = match get("REQUIRE_MFA", "false").to_lowercase().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => {
                return Err(ConfigError {
                    name: "REQUIRE_MFA",
                    problem: "must be true or false".into(),
                })
            }
        };
        let quick_exit_url = get("QUICK_EXIT_URL", "https://www.bbc.com/weather");
        if !quick_exit_url.starts_with("https://") && !quick_exit_url.starts_with("http://") {
            return Err(ConfigError {
                name: "QUICK_EXIT_URL",
                problem: "must be a full http(s) address".into(),
            });
        }
        let smtp = match lookup("SMTP_HOST")
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
        {
            None => None,
            Some(host) => {
                let tls = match get("SMTP_TLS", "starttls").as_str() {
                    "none" => SmtpTls::None,
                    "starttls" => SmtpTls::StartTls,
                    "tls" => SmtpTls::Implicit,
                    _ => {
                        return Err(ConfigError {
                            name: "SMTP_TLS",
                            problem: "must be none, starttls or tls".into(),
                        })
                    }
                };
                // Mail in clear text only to this machine (a local relay): anything else would
                // carry clients' addresses over the network unencrypted.
                let loopback = host == "localhost"
                    || host
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback());
                if tls == SmtpTls::None && !loopback {
                    return Err(ConfigError {
                        name: "SMTP_TLS",
                        problem: format!(
                            "none (no encryption) is only allowed to a relay on this machine \
                             (127.0.0.1, ::1 or localhost), not {host:?}; use starttls or tls"
                        ),
                    });
                }
                let default_port = match tls {
                    SmtpTls::None => "25",
                    SmtpTls::StartTls => "587",
                    SmtpTls::Implicit => "465",
                };
                let port =
                    get("SMTP_PORT", default_port)
                        .parse::<u16>()
                        .map_err(|_| ConfigError {
                            name: "SMTP_PORT",
                            problem: "must be a port number".into(),
                        })?;
                Some(SmtpConfig {
                    host,
                    port,
                    tls,
                    username: lookup("SMTP_USERNAME").filter(|u| !u.is_empty()),
                    password: lookup("SMTP_PASSWORD")
                        .filter(|p| !p.is_empty())
                        .map(secrecy::SecretString::from),
                })
            }
        };
        let mail = MailConfig {
            from: get("MAIL_FROM", "TrustBridge <no-reply@trustbridge.invalid>"),
            smtp,
            dir: get("MAIL_DIR", "data/mail"),
            timeout_seconds: number("SMTP_TIMEOUT_SECONDS", 20)? as u64,
            max_attempts: number("MAIL_MAX_ATTEMPTS", 8)? as i32,
            retry_base_seconds: number("MAIL_RETRY_BASE_SECONDS", 5)?,
            stale_claim_seconds: number("MAIL_STALE_CLAIM_SECONDS", 120)?,
        };
        let zone_name = get("PRACTICE_TIME_ZONE", "America/New_York");
        let practice_zone =
            crate::domain::booking::parse_zone(&zone_name).map_err(|_| ConfigError {
                name: "PRACTICE_TIME_ZONE",
                problem: format!(
                    "{zone_name:?} is not an IANA time zone name (example: Europe/Berlin)"
                ),
            })?;
        let joint_booking = match get("JOINT_BOOKING", "practice_contacts").as_str() {
            "open" => crate::domain::couple::JointBookingPolicy::OpenWhenClear,
            "practice_contacts" => {
                crate::domain::couple::JointBookingPolicy::PracticeContactsEveryCouple
            }
            _ => {
                return Err(ConfigError {
                    name: "JOINT_BOOKING",
                    problem: "must be open or practice_contacts".into(),
                })
            }
        };
        let joint_summary = match get("JOINT_SUMMARY", "clinician").as_str() {
            "clinician" => crate::domain::couple::JointSummaryMode::Clinician,
            "shown" => crate::domain::couple::JointSummaryMode::Shown,
            "off" => crate::domain::couple::JointSummaryMode::Off,
            _ => {
                return Err(ConfigError {
                    name: "JOINT_SUMMARY",
                    problem: "must be clinician, shown or off".into(),
                })
            }
        };
        let country_setting = get("PRACTICE_COUNTRY", "");
        let practice_country =
            match country_setting.trim() {
                "" => None,
                code if code.eq_ignore_ascii_case("none") => None,
                code => Some(crate::domain::support::Country::parse(code).ok_or_else(|| {
                    ConfigError {
                        name: "PRACTICE_COUNTRY",
                        problem: format!(
                        "{code:?} has no support lines here; use one of US, CA, GB, IE, AU, NZ, \
                         none, or SUPPORT_RESOURCES_FILE"
                    ),
                    }
                })?),
            };
        let support_file = get("SUPPORT_RESOURCES_FILE", "");
        let support_chosen = !country_setting.trim().is_empty() || !support_file.trim().is_empty();
        let support = match support_file.trim() {
            "" => practice_country
                .map(crate::domain::support::Resources::preset)
                .unwrap_or_else(crate::domain::support::Resources::neutral),
            path => {
                let problem = |problem: String| ConfigError {
                    name: "SUPPORT_RESOURCES_FILE",
                    problem,
                };
                let text = std::fs::read_to_string(path)
                    .map_err(|e| problem(format!("could not read {path}: {e}")))?;
                serde_json::from_str(&text)
                    .map_err(|e| problem(format!("{path} is not a valid support list: {e}")))?
            }
        };
        let practice_hours =
            match get("PRACTICE_HOURS", "").trim() {
                "" => None,
                text => Some(crate::domain::booking::parse_week(text).map_err(|problem| {
                    ConfigError {
                        name: "PRACTICE_HOURS",
                        problem,
                    }
                })?),
            };
        let reading_notice = support.reading_notice(
            practice_hours
                .as_ref()
                .map(|week| {
                    (
                        crate::domain::booking::describe_week(week),
                        zone_name.clone(),
                    )
                })
                .as_ref()
                .map(|(hours, zone)| (hours.as_str(), zone.as_str())),
        );
        let review_escalation_email = match get("REVIEW_ESCALATION_EMAIL", "").trim() {
            "" => None,
            address if address.contains('@') => Some(address.to_owned()),
            _ => {
                return Err(ConfigError {
                    name: "REVIEW_ESCALATION_EMAIL",
                    problem: "must be an email address".into(),
                })
            }
        };
        let resume_link_days = number("RESUME_LINK_DAYS", 180)?;
        let practice_name = get("PRACTICE_NAME", "Demo Couples Practice");
        let consent_text = match get("CONSENT_POLICY_FILE", "").trim() {
            "" => crate::domain::consent::default_text(
                &practice_name,
                resume_link_days,
                &reading_notice,
            ),
            path => std::fs::read_to_string(path).map_err(|e| ConfigError {
                name: "CONSENT_POLICY_FILE",
                problem: format!("could not read {path}: {e}"),
            })?,
        };
        let consent = crate::domain::consent::Policy {
            version: policy_version(&consent_text),
            sections: crate::domain::consent::parse(&consent_text).map_err(|e| ConfigError {
                name: "CONSENT_POLICY_FILE",
                problem: format!("the policy text cannot be shown: {e}"),
            })?,
        };
        let trusted_proxies = trusted_proxies(&get("TRUSTED_PROXIES", ""))?;
        Ok(Config {
            trusted_proxies,
            directory_stale_days: number("DIRECTORY_STALE_DAYS", 180)?,
            consent,
            review_hours_urgent: number("REVIEW_HOURS_URGENT", 4)?,
            review_hours: number("REVIEW_HOURS", 24)?,
            bookings_per_day: number("BOOKINGS_PER_DAY", 3)?,
            moves_per_booking: number("MOVES_PER_BOOKING", 5)?,
            booking_burst: match get("BOOKING_BURST", "20").trim() {
                "0" => 0,
                _ => u32::try_from(number("BOOKING_BURST", 20)?).map_err(|_| ConfigError {
                    name: "BOOKING_BURST",
                    problem: "must be a whole number from 0 to 4294967295".into(),
                })?,
            },
            practice_hours,
            reading_notice,
            review_escalation_email,
            review_escalation_check_seconds: number("REVIEW_ESCALATION_CHECK_SECONDS", 60)?,
            practice_country,
            support_chosen,
            support,
            joint_booking,
            joint_summary,
            mail,
            practice_zone,
            booking_change_cutoff_hours: number("BOOKING_CHANGE_CUTOFF_HOURS", 24)?,
            reminder_hours_before: number("REMINDER_HOURS_BEFORE", 24)?,
            resume_link_days,
            result_link_days: number("RESULT_LINK_DAYS", 14)?,
            referral_link_days: number("REFERRAL_LINK_DAYS", 30)?,
            retention_days: match get("RETENTION_DAYS", "").trim() {
                "" => None,
                _ => Some(number("RETENTION_DAYS", 1)?),
            },
            mail_keep_hours: number("MAIL_KEEP_HOURS", 24)?,
            start_burst: match get("START_BURST", "60").trim() {
                "0" => 0,
                _ => u32::try_from(number("START_BURST", 60)?).map_err(|_| ConfigError {
                    name: "START_BURST",
                    problem: "must be a whole number from 0 to 4294967295".into(),
                })?,
            },
            invite_emails_per_day: number("INVITE_EMAILS_PER_DAY", 200)?,
            quick_exit_url,
            session_idle_minutes: number("SESSION_IDLE_MINUTES", 120)?,
            session_max_hours: number("SESSION_MAX_HOURS", 12)?,
            header_read_seconds: number("HEADER_READ_TIMEOUT_SECONDS", 10)? as u64,
            max_connections: number("MAX_CONNECTIONS", 512)? as usize,
            max_connections_per_address: number("MAX_CONNECTIONS_PER_ADDRESS", 64)? as usize,
            bind_addr,
            database_url,
            data_key,
            require_mfa,
            practice_name,
            practice_email,
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
            site_root: get("SITE_ROOT", "target/site"),
        })
    }
}

/// The version an agreement records: the first 12 hex digits of the text's SHA-256, so a
/// changed word is a new version and the same words are always the same one.
fn policy_version(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(Sha256::digest(text.trim().as_bytes()));
    digest[..12].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_give_a_local_sqlite_demo_practice() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:3000");
        assert!(c.database_url.starts_with("sqlite:"));
        assert_eq!(c.practice_name, "Demo Couples Practice");
        assert_eq!(c.public_base_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn a_bad_bind_address_names_the_setting() {
        let err = config(&[("BIND_ADDR", "localhost")]).unwrap_err();
        assert_eq!(err.name, "BIND_ADDR");
    }

    #[test]
    fn the_database_url_never_appears_in_debug_output() {
        let c = config(&[("DATABASE_URL", "postgres://u:hunter2@db/x?sslmode=require")])
            .expect("valid");
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn postgresql_elsewhere_must_be_asked_for_tls() {
        for refused in [
            "postgres://u:hunter2@db.internal/x",
            "postgres://u@10.0.0.7:5432/x?sslmode=prefer",
            "postgresql://u@db.internal/x?sslmode=disable",
        ] {
            let err = config(&[("DATABASE_URL", refused)]).expect_err(refused);
            assert_eq!(err.name, "DATABASE_URL");
            assert!(err.problem.contains("sslmode=verify-full"), "{err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        for allowed in [
            "postgres://u@db.internal/x?sslmode=verify-full&sslrootcert=/etc/ca.crt",
            "postgres://u@db.internal/x?sslmode=require",
            "postgres://u@127.0.0.1:5432/x",
            "postgres://u@localhost/x?sslmode=disable",
            "postgres://u@[::1]:5432/x",
            "postgres://u@%2Frun%2Fpostgresql/x",
            "sqlite://data/trustbridge.db",
        ] {
            assert!(config(&[("DATABASE_URL", allowed)]).is_ok(), "{allowed}");
        }
    }

    #[test]
    fn the_practice_zone_must_be_an_iana_name() {
        assert_eq!(
            config(&[]).expect("valid").practice_zone.name(),
            "America/New_York"
        );
        let err = config(&[("PRACTICE_TIME_ZONE", "CET+1")]).unwrap_err();
        assert_eq!(err.name, "PRACTICE_TIME_ZONE");
    }

    #[test]
    fn the_consent_policy_is_the_default_or_the_practice_file_with_a_version_of_its_words() {
        let default = config(&[]).expect("valid").consent;
        assert_eq!(default.sections.len(), 6);
        assert_eq!(default.version.len(), 12);
        let renamed = config(&[("PRACTICE_NAME", "Other Practice")]).expect("valid");
        assert_ne!(
            renamed.consent.version, default.version,
            "new words, new version"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("policy.txt");
        std::fs::write(&path, "# Our policy\nWe keep what you say private.\n").unwrap();
        let own = config(&[("CONSENT_POLICY_FILE", path.to_str().unwrap())]).expect("valid");
        assert_eq!(own.consent.sections[0].heading, "Our policy");
        std::fs::write(&path, "no heading here\n").unwrap();
        let err = config(&[("CONSENT_POLICY_FILE", path.to_str().unwrap())]).unwrap_err();
        assert_eq!(err.name, "CONSENT_POLICY_FILE");
        assert!(err.problem.contains("line 1"), "{}", err.problem);
    }

    #[test]
    fn unencrypted_mail_is_only_allowed_to_a_local_relay() {
        let err = config(&[("SMTP_HOST", "mail.example.org"), ("SMTP_TLS", "none")]).unwrap_err();
        assert_eq!(err.name, "SMTP_TLS");
        for host in ["127.0.0.1", "::1", "localhost"] {
            assert!(
                config(&[("SMTP_HOST", host), ("SMTP_TLS", "none")]).is_ok(),
                "{host}"
            );
        }
        assert!(
            config(&[("SMTP_HOST", "mail.example.org")]).is_ok(),
            "starttls by default"
        );
    }

    #[test]
    fn trailing_slash_is_trimmed_from_the_public_url() {
        let c = config(&[("PUBLIC_BASE_URL", "https://intake.example.org/")]).expect("valid");
        assert_eq!(c.public_base_url, "https://intake.example.org");
    }
}

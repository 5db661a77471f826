//! Encryption of the most sensitive fields at rest (issue 12, review F7).
//!
//! A client's name, email and phone, their intake answers, note, private check-in and safe way
//! to be reached, clinicians' notes and the other columns of [`Field`] are stored sealed
//! (security review 3, N1): XChaCha20-Poly1305 under a key derived from
//! the practice's data key, with a fresh random nonce per value and the column's name as
//! associated data (so a sealed value cannot be moved to another column). A stored value reads
//! `tb1:<key id>:<base64 of nonce and ciphertext>`; the key id says which data key sealed it.
//!
//! Names stay searchable through a keyed blind index ([`Sealer::name_terms`]): an HMAC of each
//! word's prefixes, so the database holds no name and a search for "ana li" still finds
//! "Ana Lima"; the closed intake answers the workspace filters on carry a keyed tag
//! ([`Sealer::intake_tag`]). Scores, times, statuses and flags stay plain, so lists and filters
//! keep their speed (`docs/deploy.md`, "What stays plain, and why").

use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::Rng as _;
use sha2::Sha256;
use sqlx::sqlite::SqliteConnectOptions;
use zeroize::Zeroizing;

use super::ConnectError;

const PREFIX: &str = "tb1:";
const NONCE: usize = 24;
/// Words longer than this are indexed by their first this-many characters.
const LONGEST_TERM: usize = 24;
/// A name search reads at most this many words (and this many characters) of what was typed:
/// five words name one person, and each word is one more condition in the list's query
/// (security review 3, N16: thousands of them made a statement the database refused).
const SEARCH_WORDS: usize = 5;
const SEARCH_CHARS: usize = 200;

/// A column whose values are stored sealed. Its name is the associated data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    ClientName,
    ClientEmail,
    ClientPhone,
    ClientNote,
    CheckIn,
    ClinicianNote,
    SafePhone,
    SafeEmail,
    SafeTimes,
    SafeAskFor,
    MailRecipient,
    MailSubject,
    MailText,
    MailHtml,
    MailCalendar,
    TotpSecret,
    ReferralMessage,
    ReferralNote,
    MailError,
    IntakeAnswer,
    HoldReason,
    ReferralReason,
}

impl Field {
    /// The fields whose value decides where a message goes, what it says, or who can sign
    /// in: a value planted in clear there would redirect a client's mail or texts, or let
    /// someone add their own authenticator (security review 3, N10). Once the database is
    /// fully sealed, [`Sealer::open`] refuses such a value instead of using it.
    fn refuses_clear(self) -> bool {
        matches!(
            self,
            Field::ClientEmail
                | Field::ClientPhone
                | Field::SafeEmail
                | Field::SafePhone
                | Field::SafeAskFor
                | Field::MailRecipient
                | Field::MailSubject
                | Field::MailText
                | Field::MailHtml
                | Field::MailCalendar
                | Field::TotpSecret
        )
    }

    fn column(self) -> &'static str {
        match self {
            Field::ClientName => "bookings.client_name",
            Field::ClientEmail => "bookings.client_email",
            Field::ClientPhone => "bookings.client_phone",
            Field::ClientNote => "client_notes.body",
            Field::CheckIn => "safety_screens.answers",
            Field::ClinicianNote => "clinician_notes.body",
            Field::SafePhone => "safe_contacts.phone",
            Field::SafeEmail => "safe_contacts.email",
            Field::SafeTimes => "safe_contacts.safe_times",
            Field::SafeAskFor => "safe_contacts.ask_for",
            Field::MailRecipient => "outbox.recipient",
            Field::MailSubject => "outbox.subject",
            Field::MailText => "outbox.body_text",
            Field::MailHtml => "outbox.body_html",
            Field::MailCalendar => "outbox.calendar",
            Field::TotpSecret => "clinician_mfa.secret",
            Field::ReferralMessage => "referral_texts.message",
            Field::ReferralNote => "referral_texts.outcome_note",
            Field::MailError => "outbox.last_error",
            Field::IntakeAnswer => "intake_answers.value",
            Field::HoldReason => "hold_overrides.reason",
            Field::ReferralReason => "referrals.reason",
        }
    }

    /// Values of this column are padded before sealing to a multiple of this many bytes, so
    /// that a sealed value's length does not tell its contents: a check-in whose answers are
    /// "yes" is no longer than one of "no"s, and "yes" to a question no longer than "no".
    fn padded_to(self) -> Option<usize> {
        match self {
            Field::CheckIn => Some(512),
            Field::IntakeAnswer | Field::HoldReason | Field::ReferralReason => Some(64),
            _ => None,
        }
    }
}

/// Padding: NUL, which no stored text holds (every text field refuses control characters).
const PAD: char = '\0';

/// The practice's data key: 32 random bytes (`openssl rand -base64 32`).
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// Reads a key written as base64 (or 64 hex digits), ignoring surrounding white space.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let hex_digits = text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit());
        let bytes = if hex_digits {
            hex::decode(text).ok()
        } else {
            B64.decode(text.trim_end_matches('=')).ok()
        }
        .ok_or("is not base64 or hex; make one with `openssl rand -base64 32`")?;
        let bytes = Zeroizing::new(bytes);
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| format!("must be 32 bytes, not {}", bytes.len()))?;
        Ok(Self(Zeroizing::new(key)))
    }

    /// A new random key, and its text for a key file.
    pub fn generate() -> (Self, Zeroizing<String>) {
        let key: [u8; 32] = rand::rng().random();
        let text = Zeroizing::new(format!(
            "{}\n",
            base64::engine::general_purpose::STANDARD.encode(key)
        ));
        (Self(Zeroizing::new(key)), text)
    }
}

/// Where the data key comes from.
#[derive(Clone)]
pub enum KeySource {
    /// `DATA_KEY`: the key itself (base64), e.g. from a secret store.
    Given(Arc<DataKey>),
    /// `DATA_KEY_FILE`: a file holding it.
    File(PathBuf),
    /// Neither: for SQLite, a file beside the database (`<database>.key`), made on first run.
    /// PostgreSQL needs one key shared by every instance, so it must be given.
    BesideDatabase,
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Given(_) => f.write_str("DATA_KEY"),
            KeySource::File(path) => write!(f, "DATA_KEY_FILE {}", path.display()),
            KeySource::BesideDatabase => f.write_str("beside the database"),
        }
    }
}

impl KeySource {
    /// The key for the database at `url`, which records `stored` as its key's id (`None`: a
    /// new database, which may get a new key file).
    pub(super) async fn load(
        &self,
        url: &str,
        stored: Option<&str>,
    ) -> Result<Sealer, ConnectError> {
        let read = |path: &Path, text: &str| {
            DataKey::parse(text)
                .map(|key| Sealer::new(&key))
                .map_err(|why| {
                    ConnectError::Key(format!("the data key in {} {why}", path.display()))
                })
        };
        match self {
            KeySource::Given(key) => Ok(Sealer::new(key)),
            KeySource::File(path) => match tokio::fs::read_to_string(path).await {
                Ok(text) => read(path, &text),
                Err(e) => Err(ConnectError::Key(format!(
                    "DATA_KEY_FILE: cannot read {} ({e})",
                    path.display()
                ))),
            },
            KeySource::BesideDatabase => {
                if !url.starts_with("sqlite:") {
                    return Err(ConnectError::Key(
                        "DATA_KEY or DATA_KEY_FILE must be set for PostgreSQL: every instance \
                         needs the same data key (make one with `openssl rand -base64 32`)"
                            .into(),
                    ));
                }
                let options = SqliteConnectOptions::from_str(url)?;
                let database = options.get_filename();
                if database == Path::new(":memory:") {
                    return Ok(Sealer::new(&DataKey::generate().0));
                }
                let path = PathBuf::from(format!("{}.key", database.display()));
                match tokio::fs::read_to_string(&path).await {
                    Ok(text) => read(&path, &text),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => match stored {
                        Some(id) => Err(ConnectError::Key(format!(
                            "the data key is missing: this database is sealed with key {id}, \
                             and {} does not exist; put the key back there, or set DATA_KEY or \
                             DATA_KEY_FILE",
                            path.display()
                        ))),
                        None => write_new_key(&path).await,
                    },
                    Err(e) => Err(ConnectError::Key(format!(
                        "cannot read the data key {} ({e})",
                        path.display()
                    ))),
                }
            }
        }
    }
}

/// The key in the file at `path`, or, when there is no file, a new key written there (for
/// `rotate-key`).
pub async fn key_file(path: &Path) -> Result<Sealer, ConnectError> {
    match tokio::fs::read_to_string(path).await {
        Ok(text) => DataKey::parse(&text)
            .map(|key| Sealer::new(&key))
            .map_err(|why| ConnectError::Key(format!("the key in {} {why}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => write_new_key(path).await,
        Err(e) => Err(ConnectError::Key(format!(
            "cannot read {} ({e})",
            path.display()
        ))),
    }
}

/// First run: a new key file only its owner can read.
async fn write_new_key(path: &Path) -> Result<Sealer, ConnectError> {
    use tokio::io::AsyncWriteExt as _;
    let (key, text) = DataKey::generate();
    let failed = |e: std::io::Error| {
        ConnectError::Key(format!(
            "cannot write the data key {} ({e})",
            path.display()
        ))
    };
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .await
        .map_err(failed)?;
    file.write_all(text.as_bytes()).await.map_err(failed)?;
    file.sync_all().await.map_err(failed)?;
    tracing::info!("made a new data key; keep a copy apart from the database's backups");
    Ok(Sealer::new(&key))
}

/// Seals and opens field values, and makes the name index's terms, under one data key.
#[derive(Clone)]
pub struct Sealer(Arc<Keys>);

struct Keys {
    id: String,
    aead: XChaCha20Poly1305,
    index: Zeroizing<[u8; 32]>,
    /// Set once the database is known to be fully sealed ([`Sealer::require_sealed`]).
    strict: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer")
            .field("key_id", &self.0.id)
            .finish()
    }
}

/// Why a stored value could not be opened.
fn unreadable(field: Field, why: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{}: {why}", field.column()).into())
}

impl Sealer {
    pub fn new(key: &DataKey) -> Self {
        let derive = hkdf::Hkdf::<Sha256>::new(Some(b"trustbridge data key"), key.0.as_slice());
        let mut seal = Zeroizing::new([0u8; 32]);
        let mut index = Zeroizing::new([0u8; 32]);
        let mut id = [0u8; 6];
        // Each output is far below HKDF's limit (255 hash lengths), so these cannot fail.
        let _ = derive.expand(b"seal v1", seal.as_mut_slice());
        let _ = derive.expand(b"name index v1", index.as_mut_slice());
        let _ = derive.expand(b"key id v1", &mut id);
        Self(Arc::new(Keys {
            id: hex::encode(id),
            aead: XChaCha20Poly1305::new(seal.as_slice().into()),
            index,
            strict: std::sync::atomic::AtomicBool::new(false),
        }))
    }

    /// Names the data key without revealing it: stored beside the data, and in each value.
    pub fn key_id(&self) -> &str {
        &self.0.id
    }

    /// Whether `stored` was sealed under this key.
    pub fn sealed_here(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.0.id)
    }

    pub fn seal(&self, field: Field, plain: &str) -> Result<String, sqlx::Error> {
        let nonce: [u8; NONCE] = rand::rng().random();
        let mut msg = Zeroizing::new(plain.as_bytes().to_vec());
        if let Some(block) = field.padded_to() {
            let padded = (msg.len() / block + 1) * block;
            msg.resize(padded, PAD as u8);
        }
        let sealed = self
            .0
            .aead
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &msg,
                    aad: field.column().as_bytes(),
                },
            )
            .map_err(|_| sqlx::Error::Encode(format!("{}: cannot seal", field.column()).into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}:{}", self.0.id, B64.encode(bytes)))
    }

    pub fn seal_opt(
        &self,
        field: Field,
        plain: Option<&str>,
    ) -> Result<Option<String>, sqlx::Error> {
        plain.map(|p| self.seal(field, p)).transpose()
    }

    /// From now on a value in clear in a field that decides where messages go
    /// ([`Field::refuses_clear`]) is refused, not read: called once start-up has sealed every
    /// value of the sealed fields ([`super::Db::connect`]), so a clear one can only have been
    /// written by someone else (an address planted to redirect mail, security N10). An emptied
    /// value (the purge's) still reads as empty.
    pub fn require_sealed(&self) {
        self.0
            .strict
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The plain text of a stored value. A value stored before encryption (no `tb1:` prefix)
    /// reads as it is, except, once start-up has sealed everything, in a field that decides
    /// where messages go ([`Sealer::require_sealed`]).
    pub fn open(&self, field: Field, stored: String) -> Result<String, sqlx::Error> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            let strict = self.0.strict.load(std::sync::atomic::Ordering::Relaxed);
            if stored.is_empty() || !strict || !field.refuses_clear() {
                return Ok(stored);
            }
            return Err(unreadable(
                field,
                "in clear where a sealed value belongs (altered?)",
            ));
        };
        let (id, body) = rest
            .split_once(':')
            .ok_or_else(|| unreadable(field, "not a sealed value"))?;
        if id != self.0.id {
            return Err(unreadable(
                field,
                "sealed under another data key (DATA_KEY)",
            ));
        }
        let bytes = B64
            .decode(body)
            .map_err(|_| unreadable(field, "not a sealed value"))?;
        if bytes.len() < NONCE {
            return Err(unreadable(field, "not a sealed value"));
        }
        let (nonce, sealed) = bytes.split_at(NONCE);
        let plain = self
            .0
            .aead
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: field.column().as_bytes(),
                },
            )
            .map_err(|_| unreadable(field, "does not open (altered, or another column's)"))?;
        let mut plain = String::from_utf8(plain).map_err(|_| unreadable(field, "not text"))?;
        if field.padded_to().is_some() {
            plain.truncate(plain.trim_end_matches(PAD).len());
        }
        Ok(plain)
    }

    pub fn open_opt(
        &self,
        field: Field,
        stored: Option<String>,
    ) -> Result<Option<String>, sqlx::Error> {
        stored.map(|s| self.open(field, s)).transpose()
    }

    /// The blind index's terms for a client's name: one per prefix (two characters or more)
    /// of each word, so a search by the start of any word finds it.
    pub fn name_terms(&self, name: &str) -> Vec<String> {
        let mut terms: Vec<String> = words(name)
            .flat_map(|word| {
                let chars: Vec<char> = word.chars().take(LONGEST_TERM).collect();
                let shortest = chars.len().min(2);
                (shortest..=chars.len())
                    .map(move |n| chars[..n].iter().collect::<String>())
                    .collect::<Vec<_>>()
            })
            .map(|prefix| self.term(&prefix))
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }

    /// The terms a name search must all find: one per word typed, the longest word's first
    /// (a longer start of a word is usually rarer, and the search reads the first term's
    /// matches and looks the others up).
    pub fn search_terms(&self, query: &str) -> Vec<String> {
        let query: String = query.chars().take(SEARCH_CHARS).collect();
        let mut typed: Vec<String> = words(&query)
            .take(SEARCH_WORDS)
            .map(|word| word.chars().take(LONGEST_TERM).collect())
            .collect();
        typed.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
        let mut terms: Vec<String> = Vec::with_capacity(typed.len());
        for term in typed.iter().map(|word| self.term(word)) {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }

    /// The keyed tag of an answer to one of the intake's closed questions that the workspace
    /// filters on (`domain::intake::FILTERED`): equal answers to one question have equal tags,
    /// so a filter matches them without the answer being stored in clear.
    pub fn intake_tag(&self, question: &str, value: &str) -> String {
        self.term(&format!("intake {question}={value}"))
    }

    /// A keyed hash of a client's address, to count by without storing the address.
    pub fn address_tag(&self, address: &str) -> String {
        self.term(&format!("address {address}"))
    }

    fn term(&self, prefix: &str) -> String {
        // HMAC takes a key of any length, so this cannot fail.
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(self.0.index.as_slice()) else {
            return String::new();
        };
        mac.update(prefix.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..12])
    }
}

/// Lower-case words of a name: letters and digits, split at anything else.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::new(&DataKey::parse(&"ab".repeat(32)).expect("hex key"))
    }

    #[test]
    fn a_sealed_value_opens_to_what_was_sealed_and_shows_none_of_it() {
        let s = sealer();
        let sealed = s.seal(Field::ClientName, "Ana Lima").expect("seal");
        assert!(sealed.starts_with("tb1:"), "{sealed}");
        assert!(!sealed.contains("Ana"));
        assert_ne!(
            sealed,
            s.seal(Field::ClientName, "Ana Lima").expect("seal"),
            "fresh nonce"
        );
        assert_eq!(s.open(Field::ClientName, sealed).expect("open"), "Ana Lima");
    }

    #[test]
    fn a_value_does_not_open_in_another_column_or_under_another_key() {
        let s = sealer();
        let sealed = s.seal(Field::ClientPhone, "555 0100").expect("seal");
        assert!(s.open(Field::SafePhone, sealed.clone()).is_err());
        let other = Sealer::new(&DataKey::parse(&"cd".repeat(32)).expect("hex key"));
        assert!(other.open(Field::ClientPhone, sealed.clone()).is_err());
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(s.open(Field::ClientPhone, altered).is_err());
    }

    #[test]
    fn a_padded_value_is_as_long_as_any_other_of_its_size_and_opens_unpadded() {
        let s = sealer();
        let yes = s.seal(Field::IntakeAnswer, "yes").expect("seal");
        let no = s.seal(Field::IntakeAnswer, "no").expect("seal");
        assert_eq!(yes.len(), no.len());
        assert_eq!(s.open(Field::IntakeAnswer, yes).expect("open"), "yes");
        let safety = s.seal(Field::ReferralReason, "safety").expect("seal");
        let care = s
            .seal(Field::ReferralReason, "level_of_care")
            .expect("seal");
        assert_eq!(safety.len(), care.len());
        let all_no = r#"{"afraid":"no","hurt":"no"}"#;
        let all_yes = r#"{"afraid":"yes","hurt":"yes"}"#;
        let (a, b) = (
            s.seal(Field::CheckIn, all_no).expect("seal"),
            s.seal(Field::CheckIn, all_yes).expect("seal"),
        );
        assert_eq!(a.len(), b.len());
        assert_eq!(s.open(Field::CheckIn, b).expect("open"), all_yes);
        // A long answer still opens whole.
        let long = "a".repeat(2000);
        assert_eq!(
            s.open(
                Field::IntakeAnswer,
                s.seal(Field::IntakeAnswer, &long).expect("seal")
            )
            .expect("open"),
            long
        );
    }

    #[test]
    fn intake_tags_are_equal_for_equal_answers_only() {
        let s = sealer();
        assert_eq!(
            s.intake_tag("about_children", "yes"),
            s.intake_tag("about_children", "yes")
        );
        assert_ne!(
            s.intake_tag("about_children", "yes"),
            s.intake_tag("about_children", "no")
        );
        assert_ne!(
            s.intake_tag("about_children", "yes"),
            s.intake_tag("about_format", "yes")
        );
        let other = Sealer::new(&DataKey::parse(&"cd".repeat(32)).expect("hex key"));
        assert_ne!(
            s.intake_tag("about_children", "yes"),
            other.intake_tag("about_children", "yes")
        );
    }

    #[test]
    fn a_value_from_before_encryption_reads_as_it_is() {
        assert_eq!(
            sealer()
                .open(Field::ClientNote, "plain".into())
                .expect("open"),
            "plain"
        );
    }

    #[test]
    fn a_search_by_the_start_of_each_word_finds_the_name() {
        let s = sealer();
        let terms = s.name_terms("Ana María Lima-Souza");
        for query in ["ana", "lim", "ana li", "MARÍA", "souza", "lima souza"] {
            let wanted = s.search_terms(query);
            assert!(!wanted.is_empty());
            assert!(wanted.iter().all(|t| terms.contains(t)), "{query}");
        }
        for query in ["ima", "anab", "bob"] {
            assert!(
                !s.search_terms(query).iter().all(|t| terms.contains(t)),
                "{query}"
            );
        }
        assert!(s.search_terms(" - ").is_empty());
        assert_eq!(
            s.search_terms("ana souza ANA"),
            [s.search_terms("souza"), s.search_terms("ana")].concat(),
            "the longest word first, each once"
        );
    }

    #[test]
    fn a_search_reads_five_words_at_most() {
        let s = sealer();
        let many: String = (0..40_000).map(|i| format!("w{i} ")).collect();
        assert_eq!(s.search_terms(&many).len(), SEARCH_WORDS);
        assert!(s.search_terms(&"x".repeat(100_000)).len() == 1);
    }

    #[test]
    fn keys_are_read_as_base64_or_hex_of_32_bytes() {
        let (key, text) = DataKey::generate();
        let again = DataKey::parse(&text).expect("generated key reads back");
        assert_eq!(Sealer::new(&key).key_id(), Sealer::new(&again).key_id());
        assert!(DataKey::parse("c2hvcnQ=").is_err());
        assert!(DataKey::parse("not a key!").is_err());
    }
}

//! Unguessable secrets handed to clients, and the short references clinicians read aloud.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::Rng as _;
use sha2::{Digest, Sha256};

/// A private resume link's secret: 256 random bits, URL-safe.
///
/// Not `Debug`: it must never reach a log line.
pub struct ResumeToken(String);

impl ResumeToken {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::rng().random();
        ResumeToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts only strings that could be a token, so garbage never reaches the database.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.len() == 43
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| ResumeToken(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: the SHA-256 of the token, hex encoded.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The secret of the manage-booking link of the consult this questionnaire's own link
    /// booked with `request_key` (the booking form's one-time key, kept with the booking).
    ///
    /// Derived one way (a domain-separated SHA-256), so the resume link can find its booking's
    /// manage link again, while a manage link (which travels by email) never reveals the resume
    /// link and with it the answers. The key makes it one booking's: a later booking of the same
    /// questionnaire has another link, and the resume token alone (seen in a shared device's
    /// history, say) does not give it.
    pub fn manage_token(&self, request_key: &str) -> ManageToken {
        ManageToken(self.derive(b"trustbridge/manage-booking/v2\0", request_key))
    }

    /// The manage secret of a booking made before version 2 (without its key): such bookings
    /// keep working from their emailed link until they end, and ending the private link ends
    /// them.
    pub fn legacy_manage_token(&self) -> ManageToken {
        ManageToken(self.derive(b"trustbridge/manage-booking/v1\0", ""))
    }

    /// The secret of partner B's invitation, derived one way like [`Self::manage_token`] from
    /// the invitation's own random nonce (kept in its row): partner A can see their invitation
    /// link again, it never leads back to A's answers, and an invitation made after one was
    /// withdrawn or expired is a new secret. `None`: an invitation made before nonces.
    pub fn invite_token(&self, nonce: Option<&str>) -> InviteToken {
        InviteToken(match nonce {
            Some(nonce) => self.derive(b"trustbridge/invite-partner/v2\0", nonce),
            None => self.derive(b"trustbridge/invite-partner/v1\0", ""),
        })
    }

    fn derive(&self, purpose: &[u8], salt: &str) -> String {
        let mut digest = Sha256::new();
        digest.update(purpose);
        digest.update(self.0.as_bytes());
        if !salt.is_empty() {
            digest.update(b"\0");
            digest.update(salt.as_bytes());
        }
        URL_SAFE_NO_PAD.encode(digest.finalize())
    }
}

/// Partner B's invitation secret: lets its holder start their own questionnaire in the couple,
/// once, before it expires. Not `Debug`.
pub struct InviteToken(String);

impl InviteToken {
    pub fn parse(raw: &str) -> Option<Self> {
        ResumeToken::parse(raw).map(|t| InviteToken(t.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// A random secret handed out once, of which the server keeps only the SHA-256 (hex): generated
/// fresh (256 bits, URL-safe), parsed only from strings that could be one, never `Debug`, so it
/// cannot reach a log line.
macro_rules! hashed_secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name(String);

        impl $name {
            pub fn generate() -> Self {
                $name(ResumeToken::generate().0)
            }

            /// Accepts only strings that could be a token, so garbage never reaches the database.
            pub fn parse(raw: &str) -> Option<Self> {
                ResumeToken::parse(raw).map(|t| $name(t.0))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// What the database stores.
            pub fn hash(&self) -> String {
                hex::encode(Sha256::digest(self.0.as_bytes()))
            }
        }
    };
}

hashed_secret!(
    /// A private manage-booking link's secret: lets its holder see, move or cancel one consult,
    /// and nothing else. Fresh for a consult the practice books for a client (whose own token
    /// the server never holds); derived from the client's token otherwise
    /// ([`ResumeToken::manage_token`]).
    ManageToken
);

hashed_secret!(
    /// A client's private link to a referral's list: lets its holder read that list and say how
    /// it went, and nothing else.
    ReferralToken
);

hashed_secret!(
    /// A staff browser's own secret, kept in its `tb_device` cookie after a finished login: a
    /// lock after wrong passwords does not stop a browser the account has logged in on before
    /// (security F2).
    DeviceToken
);

hashed_secret!(
    /// A clinician's calendar feed address: lets whoever has it read the times, references and
    /// places of the consults booked with them, and nothing else.
    FeedToken
);

/// A fresh invitation's nonce (128 random bits, hex): what makes each invitation's secret new.
pub fn new_invitation_nonce() -> String {
    new_request_key()
}

/// A booking form's one-time key (128 random bits, hex), so a double click books once.
pub fn new_request_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// The key a re-shown booking form keeps: the one it was sent with if that is well formed,
/// else a new one.
pub fn request_key_or_new(sent: &str) -> String {
    if is_request_key(sent) {
        sent.to_owned()
    } else {
        new_request_key()
    }
}

/// The key a booking form carries once the consult its key booked was cancelled: the same for
/// the same form, and shaped like [`new_request_key`]'s.
pub fn next_request_key(key: &str, cancelled_booking: i64) -> String {
    let digest = Sha256::digest(format!("{key}/after-cancelled/{cancelled_booking}").as_bytes());
    hex::encode(&digest[..16])
}

/// Accepts only what [`new_request_key`] makes.
pub fn is_request_key(raw: &str) -> bool {
    raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A short reference like `TB-7KQ2M9XH` for a clinician to quote on the phone.
/// Unambiguous alphabet (no 0/O, 1/I/L).
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let code: String = (0..8)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("TB-{code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_and_differ() {
        let a = ResumeToken::generate();
        let b = ResumeToken::generate();
        assert!(ResumeToken::parse(a.as_str()).is_some());
        assert_ne!(a.as_str(), b.as_str());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for raw in [
            "",
            "short",
            &"a".repeat(44),
            &format!("{}!", "a".repeat(42)),
        ] {
            assert!(ResumeToken::parse(raw).is_none(), "{raw:?}");
        }
    }

    #[test]
    fn the_hash_is_not_the_token() {
        let t = ResumeToken::generate();
        assert_eq!(t.hash().len(), 64);
        assert!(!t.hash().contains(t.as_str()));
    }

    #[test]
    fn the_manage_token_is_stable_and_is_not_the_resume_token() {
        let t = ResumeToken::generate();
        let key = new_request_key();
        let m = t.manage_token(&key);
        assert_eq!(m.as_str(), t.manage_token(&key).as_str());
        assert_ne!(m.as_str(), t.as_str());
        assert!(ManageToken::parse(m.as_str()).is_some());
        assert_ne!(m.hash(), t.hash());
        // Another booking of the same questionnaire, and the old derivation: other secrets.
        assert_ne!(m.as_str(), t.manage_token(&new_request_key()).as_str());
        assert_ne!(m.as_str(), t.legacy_manage_token().as_str());
        let nonce = new_invitation_nonce();
        let i = t.invite_token(Some(&nonce));
        assert_eq!(i.as_str(), t.invite_token(Some(&nonce)).as_str());
        assert_ne!(
            i.as_str(),
            t.invite_token(Some(&new_invitation_nonce())).as_str()
        );
        assert_ne!(i.as_str(), t.invite_token(None).as_str());
        assert_ne!(i.as_str(), m.as_str());
        assert_ne!(i.as_str(), t.as_str());
        assert!(is_request_key(&new_request_key()));
        let key = new_request_key();
        let next = next_request_key(&key, 7);
        assert!(is_request_key(&next));
        assert_eq!(
            next,
            next_request_key(&key, 7),
            "the same form, the same key"
        );
        assert_ne!(next, next_request_key(&key, 8));
        assert_ne!(next, key);
        assert!(!is_request_key("not-a-key"));
    }

    #[test]
    fn links_emailed_before_version_2_still_open() {
        let t = ResumeToken::generate();
        let v1 = |purpose: &[u8]| {
            let mut digest = Sha256::new();
            digest.update(purpose);
            digest.update(t.as_str().as_bytes());
            URL_SAFE_NO_PAD.encode(digest.finalize())
        };
        assert_eq!(
            t.legacy_manage_token().as_str(),
            v1(b"trustbridge/manage-booking/v1\0")
        );
        assert_eq!(
            t.invite_token(None).as_str(),
            v1(b"trustbridge/invite-partner/v1\0")
        );
    }

    #[test]
    fn references_use_the_unambiguous_alphabet() {
        let r = new_reference();
        assert!(r.starts_with("TB-") && r.len() == 11);
        assert!(!r[3..].contains(['0', 'O', '1', 'I', 'L']));
    }
}

//! Two-step sign-in for staff: time-based codes (RFC 6238, the 6-digit codes of any
//! authenticator app) and one-time recovery codes for a lost phone.
//!
//! A code is accepted for the 30-second step it belongs to, one step either side (clock drift),
//! and only once: the step used is stored and an older or equal one is refused, so a code seen
//! over someone's shoulder cannot be used again.

use rand::Rng as _;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// Recovery codes given at set-up; each works once.
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), as base32.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::rng().random();
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str, account: &str, issuer: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', " "))
        .with_issuer(Some(issuer.replace(':', " ")))
        .build()
        .ok()
}

/// The `otpauth://` link an authenticator app reads (from the QR code, or typed).
pub fn setup_link(secret: &str, account: &str, issuer: &str) -> Option<String> {
    totp(secret, account, issuer)?.to_url().ok()
}

/// The link as a QR code, in SVG to put in the page.
pub fn qr_svg(link: &str) -> Option<String> {
    let code = qrcode::QrCode::new(link.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// The step `code` belongs to, if it is right for `secret` at `unix_time`.
pub fn matching_step(secret: &str, code: &str, unix_time: u64) -> Option<i64> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 {
        return None;
    }
    let step = totp(secret, "account", "TrustBridge")?.check(&code, unix_time)?;
    i64::try_from(step).ok()
}

/// New recovery codes, as shown once (`abcd-efgh-jkmn`, from letters and digits that cannot be
/// mistaken for each other).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of its letters and digits, lower-cased, so
/// it may be typed with or without dashes or spaces, in any case.
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_right_for_its_step_and_the_ones_beside_it_only() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = |t: u64| {
            totp(&secret, "a", "b")
                .map(|t2| t2.generate(t).to_string())
                .unwrap_or_default()
        };
        let step = (now / 30) as i64;
        assert_eq!(matching_step(&secret, &code(now), now), Some(step));
        assert_eq!(matching_step(&secret, &code(now - 30), now), Some(step - 1));
        assert_eq!(matching_step(&secret, &code(now - 90), now), None);
        let spaced = format!("{} {}", &code(now)[..3], &code(now)[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(step));
        assert_eq!(matching_step(&secret, "12345", now), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_however_they_are_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 14);
        assert_eq!(
            recovery_hash(code),
            recovery_hash(&code.replace('-', " ").to_uppercase())
        );
    }

    #[test]
    fn the_setup_link_names_the_practice_and_the_account() {
        let link =
            setup_link(&new_secret(), "ana@practice.example", "Harbour: Couples").expect("a link");
        assert!(link.starts_with("otpauth://totp/"), "{link}");
        assert!(link.contains("ana%40practice.example"), "{link}");
        assert!(qr_svg(&link).is_some_and(|svg| svg.contains("<svg")));
    }
}

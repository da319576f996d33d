//! PKCE values (RFC 7636) and the per-attempt `state` and `nonce`.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// 32 bytes from the thread's CSPRNG (ChaCha12, seeded and reseeded from
/// the OS: no system call per token), base64url: 43 characters, 256 bits.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    bytes.zeroize();
    token
}

/// The PKCE code verifier. Whoever holds it can redeem the authorization code,
/// so it prints redacted and is not `Clone`: one verifier, one request.
#[derive(PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CodeVerifier(String);

impl CodeVerifier {
    /// A fresh verifier; RFC 7636 §4.1 asks for 43 to 128 characters of
    /// `[A-Za-z0-9-._~]`, which 32 random bytes in base64url satisfy.
    pub fn generate() -> Self {
        let verifier = random_token();
        debug_assert!(Self::is_well_formed(&verifier));
        Self(verifier)
    }

    /// Wraps a verifier that a client handed over, if RFC 7636 §4.1 allows it.
    pub fn parse(value: &str) -> Option<Self> {
        Self::is_well_formed(value).then(|| Self(value.to_owned()))
    }

    fn is_well_formed(value: &str) -> bool {
        (43..=128).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    }

    /// The S256 challenge of RFC 7636 §4.2: BASE64URL(SHA256(ASCII(verifier))).
    pub fn challenge(&self) -> CodeChallenge {
        CodeChallenge(URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes())))
    }

    /// The raw verifier. Leaking it lets anyone who sees the code redeem it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier([redacted])")
    }
}

/// The S256 code challenge: public, it travels in the authorize URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Binds an authorization response to the request that asked for it
/// (RFC 6749 §10.12); 256 bits, so it cannot be guessed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct State(String);

impl State {
    pub fn generate() -> Self {
        Self(random_token())
    }

    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("State([redacted])")
    }
}

/// Binds the ID token to this attempt (OpenID Connect Core §3.1.2.1).
#[derive(Clone, PartialEq, Eq)]
pub struct Nonce(String);

impl Nonce {
    pub fn generate() -> Self {
        Self(random_token())
    }

    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nonce([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge().as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_values_are_long_fresh_and_well_formed() {
        let a = CodeVerifier::generate();
        let b = CodeVerifier::generate();
        assert_eq!(a.secret().len(), 43);
        assert_ne!(a.secret(), b.secret());
        assert!(CodeVerifier::parse(a.secret()).is_some());
        assert_ne!(State::generate(), State::generate());
        assert!(State::generate().as_str().len() >= 22, "at least 128 bits");
        assert!(Nonce::generate().as_str().len() >= 22, "at least 128 bits");
    }

    #[test]
    fn parse_enforces_rfc7636_length_and_alphabet() {
        assert!(CodeVerifier::parse(&"a".repeat(42)).is_none());
        assert!(CodeVerifier::parse(&"a".repeat(129)).is_none());
        assert!(CodeVerifier::parse(&format!("{}+", "a".repeat(43))).is_none());
        assert!(CodeVerifier::parse(&"a-._~".repeat(10)).is_some());
    }

    #[test]
    fn secrets_do_not_print() {
        let v = CodeVerifier::generate();
        assert_eq!(format!("{v:?}"), "CodeVerifier([redacted])");
        let s = State::generate();
        assert!(!format!("{s:?}").contains(s.as_str()));
    }
}

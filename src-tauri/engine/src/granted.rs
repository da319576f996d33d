//! The scope each refresh token handed to an API client was granted, so
//! the answer to its refresh names it where the provider does not: a
//! token answer leaves `scope` out when it is the one requested (RFC 6749
//! §5.1), a refresh that names no scope requests the one originally
//! granted (§6), and the older Pieces clients require `scope` in every
//! answer. Kept in memory by the token's digest, never the token.

use std::collections::VecDeque;
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::lock;
use super::secret::RefreshToken;

/// How many refresh tokens are remembered: the newest ones, since a
/// client refreshes with the last one it was given.
const KEPT: usize = 64;

/// Refresh tokens' digests and the scope each one carries, oldest first.
#[derive(Default)]
pub(super) struct GrantedScopes {
    kept: Mutex<VecDeque<([u8; 32], String)>>,
}

fn digest(token: &RefreshToken) -> [u8; 32] {
    Sha256::digest(token.secret().as_bytes()).into()
}

impl GrantedScopes {
    /// Notes that `token` carries `scope`.
    pub fn remember(&self, token: &RefreshToken, scope: &str) {
        let mut kept = lock(&self.kept);
        if kept.len() >= KEPT {
            kept.pop_front();
        }
        kept.push_back((digest(token), scope.to_owned()));
    }

    /// The scope `token` was granted, if it was handed out here.
    pub fn of(&self, token: &RefreshToken) -> Option<String> {
        let presented = digest(token);
        lock(&self.kept)
            .iter()
            .rev()
            .find(|(candidate, _)| bool::from(candidate.ct_eq(&presented)))
            .map(|(_, scope)| scope.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: &str) -> RefreshToken {
        RefreshToken::new(value.to_owned())
    }

    #[test]
    fn a_remembered_token_gives_its_scope_and_the_oldest_are_forgotten() {
        let granted = GrantedScopes::default();
        granted.remember(&token("rt-0"), "openid offline_access");
        assert_eq!(
            granted.of(&token("rt-0")).as_deref(),
            Some("openid offline_access")
        );
        assert_eq!(granted.of(&token("rt-unknown")), None);
        for n in 1..=KEPT {
            granted.remember(&token(&format!("rt-{n}")), "openid");
        }
        assert_eq!(granted.of(&token("rt-0")), None, "the oldest went first");
        assert_eq!(
            granted.of(&token(&format!("rt-{KEPT}"))).as_deref(),
            Some("openid")
        );
    }
}

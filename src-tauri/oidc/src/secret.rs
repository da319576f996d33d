//! Credentials that must never be printed: each prints as `Name([redacted])`,
//! is wiped from memory on drop, gives its value only through `secret()` and
//! has no `Serialize`, so no DTO can carry one by accident.

use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: String) -> Self {
                Self(value)
            }

            /// The raw value. Whoever sees it can act as the signed-in user.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// The one-time code of RFC 6749 §4.1.2, redeemable with the verifier.
    AuthorizationCode
);
secret_type!(
    /// Bearer credential for the APIs the user signed in to (RFC 6750).
    AccessToken
);
secret_type!(
    /// Long-lived credential that mints new access tokens (RFC 6749 §1.5).
    RefreshToken
);
secret_type!(
    /// The signed statement of who signed in (OpenID Connect Core §2).
    IdToken
);
secret_type!(
    /// What a device sign-in polls with until the person has signed in on
    /// another device (RFC 8628 §3.2): it buys the tokens.
    DeviceCode
);
secret_type!(
    /// The secret a provider gives an installed app that it still calls
    /// confidential (Google's desktop clients: "not treated as a secret"
    /// by Google's own documentation), sent in the body of every request
    /// that names the client (token, pushed request, device, revocation),
    /// never in a URL.
    ClientSecret
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let token = RefreshToken::new("rt-very-secret".into());
        assert_eq!(format!("{token:?}"), "RefreshToken([redacted])");
        assert_eq!(
            format!("{:?}", Some(AccessToken::new("at".into()))),
            "Some(AccessToken([redacted]))"
        );
    }
}

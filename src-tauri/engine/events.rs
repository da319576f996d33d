//! The session's state as every front door shows it: the tray, the window
//! and `GET /session` all render this one value, so they never disagree.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

/// Who is signed in, from the ID token's claims. Display data, no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
}

impl User {
    /// The name to show: the display name, else the email, else the subject.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .unwrap_or(&self.sub)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    SignedOut,
    SigningIn,
    SignedIn,
    Error,
}

/// The state of the session: never a token, so it can go anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub phase: Phase,
    pub user: Option<User>,
    /// When the access token expires, in Unix seconds.
    pub expires_at: Option<i64>,
    /// What went wrong or what just happened, in plain words.
    pub message: Option<String>,
    /// Set while the keychain cannot hold the session.
    pub keychain_warning: Option<String>,
    /// The provider's sign-in page of the attempt in progress, to open again.
    pub sign_in_url: Option<String>,
}

impl Status {
    pub fn signed_out(message: Option<String>) -> Self {
        Self {
            phase: Phase::SignedOut,
            user: None,
            expires_at: None,
            message,
            keychain_warning: None,
            sign_in_url: None,
        }
    }

    /// One line for the tray menu and the window's status.
    pub fn headline(&self) -> String {
        match (self.phase, &self.user) {
            (Phase::SignedIn, Some(user)) => format!("Signed in as {}", user.display_name()),
            (Phase::SignedIn, None) => "Signed in".into(),
            (Phase::SigningIn, _) => "Signing in…".into(),
            (Phase::Error, _) => "Sign-in failed".into(),
            (Phase::SignedOut, _) => "Signed out".into(),
        }
    }
}

/// The broadcast of the state: a watch channel, so a late subscriber gets
/// the current value at once and a slow one skips to the newest.
pub type StatusSender = watch::Sender<Status>;
pub type StatusReceiver = watch::Receiver<Status>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_names_the_user() {
        let mut status = Status::signed_out(None);
        assert_eq!(status.headline(), "Signed out");
        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "auth0|1".into(),
            name: None,
            email: Some("ada@example.com".into()),
            picture: None,
        });
        assert_eq!(status.headline(), "Signed in as ada@example.com");
    }
}

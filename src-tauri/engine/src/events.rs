//! The session's state as every front door shows it: the tray, the window
//! and `GET /session` all render this one value, so they never disagree.

use serde::Serialize;
use tokio::sync::watch;

use super::message::Message;

pub use pkce_tray_oidc::User;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    /// What went wrong or what just happened, in plain words; said in
    /// each front door's language, so not serialized as it is.
    #[serde(skip)]
    pub message: Option<Message>,
    /// Set while the keychain cannot hold the session.
    #[serde(skip)]
    pub keychain_warning: Option<Message>,
    /// The provider's sign-in page of the attempt in progress, to open again.
    pub sign_in_url: Option<String>,
    /// After a sign-out the provider did not confirm: where the person ends
    /// the session there themselves (its end-session page, or its address).
    pub provider_sign_out: Option<String>,
    /// The session ended without the person asking (expired, or refused
    /// by the provider): until they sign in again, it wants their eye.
    pub ended: bool,
}

impl Status {
    pub fn signed_out(message: Option<Message>) -> Self {
        Self {
            phase: Phase::SignedOut,
            user: None,
            expires_at: None,
            message,
            keychain_warning: None,
            sign_in_url: None,
            provider_sign_out: None,
            ended: false,
        }
    }

    /// Whether a usable session exists: also while a new sign-in is under
    /// way or after one failed, the session from before still serves.
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// Whether the person should look: a failed sign-in, or a session
    /// that ended on its own (a message, and no one signed in).
    pub fn needs_attention(&self) -> bool {
        self.phase == Phase::Error || self.ended
    }

    /// The same state with who is signed in, as the provider names them,
    /// escaped, as a person may be shown it (what is said is escaped as
    /// it is said).
    pub fn for_people(mut self) -> Self {
        let escape = |text: &mut String| *text = super::text::escaped(text).into_owned();
        if let Some(user) = &mut self.user {
            escape(&mut user.sub);
            user.name
                .iter_mut()
                .chain(user.email.iter_mut())
                .for_each(escape);
        }
        self
    }

    /// Who is signed in, by the name to show, made inert: what a line
    /// about this session names them by.
    pub fn who(&self) -> Option<String> {
        self.user
            .as_ref()
            .map(|user| super::text::escaped(user.display_name()).into_owned())
    }
}

/// One account as the front doors list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub name: String,
    /// The account the tray's icon and commands without `--account` are about.
    pub default: bool,
    pub status: Status,
    /// The redirect URIs to register at its provider.
    pub redirect_uris: Vec<String>,
}

/// Every account's state, in the configuration's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub accounts: Vec<AccountView>,
}

impl Overview {
    /// The default account's view.
    pub fn default_account(&self) -> Option<&AccountView> {
        self.accounts.iter().find(|account| account.default)
    }

    /// Whether an account other than the default needs the person: its
    /// sign-in failed, or its session ended with something to say.
    pub fn others_need_attention(&self) -> bool {
        self.accounts
            .iter()
            .filter(|account| !account.default)
            .any(|account| account.status.needs_attention())
    }
}

pub type OverviewReceiver = watch::Receiver<Overview>;

/// A sign-in that came to an end other than by being cancelled: the
/// app's own (tray, window, terminal, deep link) or an API client's. For
/// notifications, which the overview alone cannot tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInEnded {
    pub account: String,
    /// An API client's attempt: the client, not the session, got the code.
    pub by_client: bool,
    /// Why it failed; `None` when it succeeded.
    pub failure: Option<Message>,
}

/// The broadcast of the state: a watch channel, so a late subscriber gets
/// the current value at once and a slow one skips to the newest.
pub type StatusSender = watch::Sender<Status>;
pub type StatusReceiver = watch::Receiver<Status>;

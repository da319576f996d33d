//! What is worth a notification: a session that ended on its own, a
//! sign-in that ended while the window was closed, a keychain that would
//! not keep a session. Routine refreshes say nothing, and the same notice
//! is not repeated within a quiet period. Pure: the platform shows them.

use pkce_tray_i18n::Say;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use pkce_tray_engine::config::DEFAULT_ACCOUNT;
use pkce_tray_engine::events::{Overview, SignInEnded, Status};
use pkce_tray_i18n::Translation;

/// How long the same notice about the same account is not shown again.
pub const QUIET: Duration = Duration::from_secs(10 * 60);

/// One notification, its texts inert (provider text cannot pose as the
/// app's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub account: String,
    pub summary: String,
    pub body: String,
    /// Whether it offers **Sign in** for its account.
    pub sign_in: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    SessionEnded,
    SignedIn,
    SignInFailed,
    ClientSignedIn,
    KeychainRefused,
}

/// What was last seen of an account.
#[derive(Default)]
struct Seen {
    ended: bool,
    keychain_refused: bool,
    /// Who was signed in last, to name them once the session is gone.
    who: Option<String>,
}

/// The memory notices are decided with.
pub struct Notices {
    seen: HashMap<String, Seen>,
    said: HashMap<(String, Kind), Instant>,
    /// Names are shown only where there are several accounts, or one
    /// with a name of its own.
    several: bool,
    words: &'static Translation,
}

impl Notices {
    /// Starts from the state there is: nothing is said about it. The
    /// notices are in `words`' language.
    pub fn new(overview: &Overview, words: &'static Translation) -> Self {
        let mut notices = Self {
            seen: HashMap::new(),
            said: HashMap::new(),
            several: false,
            words,
        };
        notices.changed(overview, Instant::now());
        notices
    }

    /// What changed since the last overview that the person should hear.
    pub fn changed(&mut self, overview: &Overview, now: Instant) -> Vec<Notice> {
        self.several = overview.accounts.len() > 1
            || overview
                .accounts
                .iter()
                .any(|account| account.name != DEFAULT_ACCOUNT);
        let mut notices = Vec::new();
        for account in &overview.accounts {
            let status = account.status.clone().for_people();
            let seen = self.seen.entry(account.name.clone()).or_default();
            let ended = status.ended && !seen.ended;
            let refused = status.keychain_warning.is_some() && !seen.keychain_refused;
            seen.ended = status.ended;
            seen.keychain_refused = status.keychain_warning.is_some();
            let who = seen.who.clone();
            if let Some(shown) = status.who() {
                seen.who = Some(shown);
            }
            if ended {
                notices.extend(self.say(&account.name, Kind::SessionEnded, &status, who, now));
            }
            if refused {
                notices.extend(self.say(&account.name, Kind::KeychainRefused, &status, None, now));
            }
        }
        notices
    }

    /// What to say of a sign-in that ended: nothing while the window,
    /// which shows it, is open.
    pub fn sign_in_ended(
        &mut self,
        ended: &SignInEnded,
        overview: &Overview,
        window_open: bool,
        now: Instant,
    ) -> Option<Notice> {
        if window_open {
            return None;
        }
        let status = overview
            .accounts
            .iter()
            .find(|account| account.name == ended.account)?
            .status
            .clone()
            .for_people();
        let kind = match (&ended.failure, ended.by_client) {
            (Some(_), _) => Kind::SignInFailed,
            (None, true) => Kind::ClientSignedIn,
            (None, false) => Kind::SignedIn,
        };
        let mut status = status;
        if let Some(failure) = &ended.failure {
            status.message = Some(failure.clone());
        }
        let who = status.who();
        self.say(&ended.account, kind, &status, who, now)
    }

    fn say(
        &mut self,
        account: &str,
        kind: Kind,
        status: &Status,
        who: Option<String>,
        now: Instant,
    ) -> Option<Notice> {
        let key = (account.to_owned(), kind);
        if let Some(said) = self.said.get(&key) {
            if now.duration_since(*said) < QUIET {
                return None;
            }
        }
        self.said.insert(key, now);
        Some(self.words(account, kind, status, who))
    }

    fn words(&self, account: &str, kind: Kind, status: &Status, who: Option<String>) -> Notice {
        let words = self.words;
        let named = self.several.then_some(account);
        let title = |id: &str| match named {
            Some(name) => words.with(&format!("{id}-named"), &[("account", name.into())]),
            None => words.get(id),
        };
        let person = |id: &str, or: &str| match &who {
            Some(who) => words.with(id, &[("who", who.as_str().into())]),
            None => words.get(or),
        };
        // The engine's reason, after the app's words, where there is one.
        let why = match kind {
            Kind::KeychainRefused => status.keychain_warning.as_ref(),
            Kind::SessionEnded | Kind::SignInFailed => status.message.as_ref(),
            Kind::SignedIn | Kind::ClientSignedIn => None,
        }
        .map(|said| said.in_words(words))
        .unwrap_or_default();
        let (summary, said, sign_in) = match kind {
            Kind::SessionEnded => (
                title("notice-session-ended"),
                person("notice-session-ended-who", "notice-session-ended-you"),
                true,
            ),
            Kind::SignedIn => (
                title("notice-signed-in"),
                person("notice-signed-in-who", "notice-signed-in-done"),
                false,
            ),
            Kind::ClientSignedIn => (
                title("notice-client-signed-in"),
                words.get("notice-client-signed-in-body"),
                false,
            ),
            Kind::SignInFailed => (title("notice-sign-in-failed"), String::new(), true),
            Kind::KeychainRefused => (
                title("notice-not-saved"),
                words.get("notice-not-saved-body"),
                false,
            ),
        };
        let body = words.joined(
            "sentences-joined",
            [said, why].into_iter().filter(|part| !part.is_empty()),
        );
        Notice {
            account: account.to_owned(),
            summary,
            body,
            sign_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pkce_tray_engine::events::{AccountView, Phase, User};
    use pkce_tray_engine::message::Message;
    use pkce_tray_engine::vault::VaultError;

    fn english() -> &'static Translation {
        Box::leak(Box::new(Translation::of("en")))
    }

    fn overview(accounts: &[(&str, Status)]) -> Overview {
        Overview {
            accounts: accounts
                .iter()
                .enumerate()
                .map(|(i, (name, status))| AccountView {
                    name: (*name).to_owned(),
                    default: i == 0,
                    status: status.clone(),
                    redirect_uris: Vec::new(),
                })
                .collect(),
        }
    }

    fn signed_in(name: &str) -> Status {
        Status {
            phase: Phase::SignedIn,
            user: Some(User {
                sub: "1".into(),
                name: Some(name.into()),
                email: None,
                picture: None,
            }),
            expires_at: Some(1),
            ..Status::signed_out(None)
        }
    }

    fn ended(why: &'static str) -> Status {
        Status {
            ended: true,
            ..Status::signed_out(Some(Message::new(why)))
        }
    }

    #[test]
    fn a_session_that_ends_is_said_once_naming_who_and_why() {
        let start = Instant::now();
        let mut notices = Notices::new(
            &overview(&[("work", signed_in("Ada")), ("home", signed_in("Bob"))]),
            english(),
        );
        // A refresh: a new expiry, nothing to say.
        let mut refreshed = signed_in("Ada");
        refreshed.expires_at = Some(2);
        assert!(notices
            .changed(
                &overview(&[("work", refreshed), ("home", signed_in("Bob"))]),
                start
            )
            .is_empty());
        let gone = overview(&[
            ("work", signed_in("Ada")),
            ("home", ended("session-refused")),
        ]);
        let said = notices.changed(&gone, start);
        assert_eq!(
            said,
            [Notice {
                account: "home".into(),
                summary: "home: session ended".into(),
                body: "Bob is no longer signed in. Your session has ended: the provider no longer accepts it. Sign in again.".into(),
                sign_in: true,
            }]
        );
        assert!(notices.changed(&gone, start).is_empty(), "no repeat");
        // Signed in and ended again within the quiet period: quiet.
        let back = overview(&[("work", signed_in("Ada")), ("home", signed_in("Bob"))]);
        notices.changed(&back, start);
        assert!(notices.changed(&gone, start + QUIET / 2).is_empty());
        notices.changed(&back, start);
        assert_eq!(notices.changed(&gone, start + QUIET).len(), 1);
    }

    #[test]
    fn one_unnamed_account_is_not_named() {
        let mut notices = Notices::new(&overview(&[("default", signed_in("Ada"))]), english());
        let said = notices.changed(
            &overview(&[("default", ended("session-expired"))]),
            Instant::now(),
        );
        assert_eq!(said[0].summary, "Your session ended");
        assert_eq!(
            said[0].body,
            "Ada is no longer signed in. Your session has expired. Sign in again."
        );
        let german = Box::leak(Box::new(Translation::of("de")));
        let mut notices = Notices::new(&overview(&[("default", signed_in("Ada"))]), german);
        let said = notices.changed(
            &overview(&[("default", ended("session-expired"))]),
            Instant::now(),
        );
        assert_eq!(said[0].summary, "Ihre Sitzung ist beendet");
        assert_eq!(
            said[0].body,
            "Ada ist nicht mehr angemeldet. Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an."
        );
    }

    #[test]
    fn sign_ins_are_said_only_while_the_window_is_closed() {
        let now = Instant::now();
        let state = overview(&[
            ("work", signed_in("Ada")),
            ("home", Status::signed_out(None)),
        ]);
        let mut notices = Notices::new(&state, english());
        let ended = |account: &str, by_client, failure: Option<&str>| SignInEnded {
            account: account.into(),
            by_client,
            failure: failure.map(|why| Message::new("error-cancelled").with("description", why)),
        };
        assert!(notices
            .sign_in_ended(&ended("work", false, None), &state, true, now)
            .is_none());
        let done = notices
            .sign_in_ended(&ended("work", false, None), &state, false, now)
            .unwrap();
        assert_eq!(
            (done.summary.as_str(), done.body.as_str()),
            ("work: signed in", "Signed in as Ada.")
        );
        let failed = notices
            .sign_in_ended(
                &ended("home", false, Some("Denied\u{202e}.")),
                &state,
                false,
                now,
            )
            .unwrap();
        assert_eq!(failed.summary, "home: sign-in failed");
        assert!(failed.sign_in);
        assert!(
            !failed.body.contains('\u{202e}'),
            "inert: {:?}",
            failed.body
        );
        let client = notices
            .sign_in_ended(&ended("home", true, None), &state, false, now)
            .unwrap();
        assert_eq!(client.summary, "home: sign-in finished");
        assert!(notices
            .sign_in_ended(&ended("nobody", false, None), &state, false, now)
            .is_none());
    }

    #[test]
    fn a_keychain_that_refuses_is_said_once() {
        let now = Instant::now();
        let mut notices = Notices::new(&overview(&[("default", signed_in("Ada"))]), english());
        let mut refused = signed_in("Ada");
        refused.keychain_warning = Some(
            Message::new("session-memory-only")
                .because("why", VaultError::Unavailable("locked".into()).said()),
        );
        let said = notices.changed(&overview(&[("default", refused.clone())]), now);
        assert_eq!(said.len(), 1);
        assert_eq!(said[0].summary, "Session not saved");
        assert!(said[0].body.contains("is not available (locked)"));
        assert!(notices
            .changed(&overview(&[("default", refused)]), now)
            .is_empty());
    }
}

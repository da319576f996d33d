//! What the tray process and the window process say to each other, one
//! JSON object per line over the window's stdin and stdout. The window
//! process holds no engine and no secret: it shows what it is told and
//! hands every click back.
//!
//! Shared by the two processes' crates, `pkce-tray` and `pkce-tray-window`;
//! it imports the engine's state and the words, never Tauri or the apps.

use serde::{Deserialize, Serialize};

use pkce_tray_engine::events::{Overview, Status};
use pkce_tray_engine::message::Message;
use pkce_tray_i18n::{headline, Say, Translation};

/// What the window renders: the engine's state and its headline, so the
/// words are the engine's, not a copy in JavaScript.
#[derive(Clone, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    status: Status,
    headline: String,
    message: Option<String>,
    keychain_warning: Option<String>,
}

impl StatusView {
    /// The state with its headline and what it says in `words`' language.
    pub fn new(status: Status, words: &Translation) -> Self {
        let say = |said: &Option<Message>| said.as_ref().map(|said| said.in_words(words));
        Self {
            headline: headline(&status, words),
            message: say(&status.message),
            keychain_warning: say(&status.keychain_warning),
            status: status.for_people(),
        }
    }
}

/// One account in the window's list: its name, whether it is the
/// default, and its state in the window's words.
#[derive(Clone, Serialize)]
pub struct AccountItem {
    name: String,
    default: bool,
    #[serde(flatten)]
    status: StatusView,
    redirect_uris: Vec<String>,
}

/// Every account for the window's list, in `words`' language.
pub fn account_items(overview: &Overview, words: &Translation) -> Vec<AccountItem> {
    overview
        .accounts
        .iter()
        .map(|account| AccountItem {
            name: account.name.clone(),
            default: account.default,
            status: StatusView::new(account.status.clone(), words),
            redirect_uris: account.redirect_uris.clone(),
        })
        .collect()
}

/// Tray process → window process.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWindow {
    /// The default account's new state, already in the window's words (a
    /// [`StatusView`]).
    Status { view: serde_json::Value },
    /// Every account, for the list ([`AccountItem`]s).
    Accounts { accounts: serde_json::Value },
    /// An account's signed-in user's picture as a `data:` URL, fetched by
    /// the engine so the window loads nothing remote.
    Avatar {
        account: String,
        data_url: Option<String>,
    },
    /// What became of the account the window's form asked for, in plain
    /// words.
    AddAccount { added: bool, message: String },
    /// An action the window asked for failed, in plain words.
    Failure { message: String },
    /// The app's own settings: whether it starts at login, whether to
    /// offer that now (once, after the first sign-in), and whether it
    /// shows notifications.
    Preferences {
        start_at_login: bool,
        offer: bool,
        notifications: bool,
    },
    /// Bring the window to the front.
    Show,
}

/// Window process → tray process: the person's clicks, as the page names
/// them (`{"type": "sign_in"}`, `{"type": "sign_in", "account": "home"}`);
/// the window passes them on unread. Without an account, the default's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWindow {
    SignIn {
        #[serde(default)]
        account: Option<String>,
    },
    CancelSignIn {
        #[serde(default)]
        account: Option<String>,
    },
    ReopenSignIn {
        #[serde(default)]
        account: Option<String>,
    },
    SignOut {
        #[serde(default)]
        account: Option<String>,
    },
    SignOutAtProvider {
        #[serde(default)]
        account: Option<String>,
    },
    UseAsDefault {
        account: String,
    },
    /// The "Add account" form: checked through discovery before it is kept.
    AddAccount {
        name: String,
        issuer: String,
        client_id: String,
    },
    SetStartAtLogin {
        on: bool,
    },
    SetNotifications {
        on: bool,
    },
}

/// `pkce-tray-window`'s command line: the tray process starts it with the
/// API's address, to show in the window. Its manual page is made from
/// this (`examples/man.rs`).
pub fn window_command() -> clap::Command {
    clap::Command::new("pkce-tray-window")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The login window of pkce-tray, in a process of its own")
        .long_about(
            "The login window of pkce-tray, in a process of its own: the only program of \
             pkce-tray that links the webview. pkce-tray starts it when its window opens, \
             with a pipe on its standard input and output over which it is told what to \
             show and passes back what is clicked; it holds no token. It is not meant to \
             be started by hand: run pkce-tray, or pkce-tray --show.",
        )
        .arg(
            clap::Arg::new("api-url")
                .long("api-url")
                .value_name("URL")
                .required(true)
                .help("The address of the running pkce-tray's PKCE API, shown in the window"),
        )
}

/// One message as a line of the pipe.
pub fn encode<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).expect("pipe messages serialize");
    line.push('\n');
    line
}

/// The longest line the window reads: a state is a few KiB, a picture at
/// most 256 KiB, in base64 within its message.
pub const TO_WINDOW_LINE: usize = 512 * 1024;
/// The longest line the tray process reads: a click is a few bytes.
pub const FROM_WINDOW_LINE: usize = 4 * 1024;

/// Why a line of the pipe is not a message.
#[derive(Debug, thiserror::Error)]
pub enum BadLine {
    #[error("a line of more than {0} bytes")]
    TooLong(usize),
    #[error("not a message: {0}")]
    NotAMessage(#[from] serde_json::Error),
}

/// Cuts what comes down the pipe into lines of at most `limit` bytes. A
/// longer line is skipped whole, up to its newline; so is one that is not
/// UTF-8 or not a message. Either side keeps listening after a bad line.
pub struct Lines {
    limit: usize,
    line: Vec<u8>,
    too_long: bool,
}

impl Lines {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            line: Vec::new(),
            too_long: false,
        }
    }

    /// Takes the next bytes read; `each` gets every line they complete.
    pub fn push(&mut self, mut bytes: &[u8], mut each: impl FnMut(Result<&[u8], BadLine>)) {
        while !bytes.is_empty() {
            let end = bytes.iter().position(|&b| b == b'\n');
            let (part, rest) = match end {
                Some(at) => (&bytes[..at], &bytes[at + 1..]),
                None => (bytes, &[][..]),
            };
            if !self.too_long {
                if self.line.len() + part.len() > self.limit {
                    self.too_long = true;
                    self.line.clear();
                } else {
                    self.line.extend_from_slice(part);
                }
            }
            if end.is_some() {
                if self.too_long {
                    each(Err(BadLine::TooLong(self.limit)));
                } else {
                    each(Ok(&self.line));
                }
                self.line.clear();
                self.too_long = false;
            }
            bytes = rest;
        }
    }
}

/// A line as a message.
pub fn decode<T: serde::de::DeserializeOwned>(line: Result<&[u8], BadLine>) -> Result<T, BadLine> {
    Ok(serde_json::from_slice(line?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_single_tagged_lines() {
        let line = encode(&ToWindow::Avatar {
            account: "work".into(),
            data_url: None,
        });
        assert_eq!(
            line,
            "{\"type\":\"avatar\",\"account\":\"work\",\"data_url\":null}\n"
        );
        let cancel = FromWindow::CancelSignIn {
            account: Some("home".into()),
        };
        let back: FromWindow = serde_json::from_str(encode(&cancel).trim()).unwrap();
        assert_eq!(back, cancel);
        let plain: FromWindow = serde_json::from_str(r#"{"type":"sign_out"}"#).unwrap();
        assert_eq!(plain, FromWindow::SignOut { account: None });
        let toggle: FromWindow =
            serde_json::from_str(r#"{"type":"set_start_at_login","on":true}"#).unwrap();
        assert_eq!(toggle, FromWindow::SetStartAtLogin { on: true });
        let toggle: FromWindow =
            serde_json::from_str(r#"{"type":"set_notifications","on":false}"#).unwrap();
        assert_eq!(toggle, FromWindow::SetNotifications { on: false });
        let view = serde_json::to_value(StatusView::new(
            Status::signed_out(None),
            &Translation::of("en"),
        ))
        .unwrap();
        assert_eq!(view["phase"], "signed_out");
        assert!(view["headline"].is_string());
        assert!(!encode(&ToWindow::Status { view }).trim_end().contains('\n'));
    }

    #[test]
    fn the_engines_reasons_reach_the_window_in_its_words() {
        let status = Status {
            keychain_warning: Some(Message::new("error-keychain-damaged")),
            ..Status::signed_out(Some(
                Message::new("error-cancelled").with("description", "nein\u{202e}"),
            ))
        };
        let view = serde_json::to_value(StatusView::new(status, &Translation::of("de"))).unwrap();
        assert_eq!(
            view["message"],
            "Die Anmeldung wurde abgebrochen oder abgelehnt (nein\\u{202e})."
        );
        assert_eq!(
            view["keychain_warning"],
            "Der Eintrag im Schlüsselbund ist beschädigt und wurde übergangen"
        );
    }

    fn read(limit: usize, chunks: &[&[u8]]) -> Vec<Result<FromWindow, String>> {
        let mut lines = Lines::new(limit);
        let mut got = Vec::new();
        for chunk in chunks {
            lines.push(chunk, |line| {
                got.push(decode::<FromWindow>(line).map_err(|e| e.to_string()))
            });
        }
        got
    }

    #[test]
    fn bad_lines_are_skipped_and_the_reader_reads_on() {
        let sign_in = br#"{"type":"sign_in"}"#;
        let long = vec![b'x'; 100];
        let got = read(
            64,
            &[
                b"\xff\xfe not utf-8\n",
                &long,
                b"\n",
                b"{\"type\":\"sig",
                b"n_in\"}\n",
                b"{\"type\":\"nonsense\"}\n",
                sign_in,
                b"\n",
            ],
        );
        assert_eq!(got.len(), 5);
        assert!(got[0].is_err());
        assert!(got[1].as_ref().unwrap_err().contains("more than 64 bytes"));
        assert_eq!(
            got[2],
            Ok(FromWindow::SignIn { account: None }),
            "split across reads"
        );
        assert!(got[3].is_err());
        assert_eq!(got[4], Ok(FromWindow::SignIn { account: None }));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever comes down the pipe, in whatever pieces: no panic,
        /// one line per newline, none longer than the limit.
        #[test]
        fn the_line_reader_never_panics_nor_overflows(
            chunks in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 0..200),
                0..20,
            ),
            limit in 1usize..128,
        ) {
            let mut lines = Lines::new(limit);
            let mut count = 0;
            for chunk in &chunks {
                lines.push(chunk, |line| {
                    count += 1;
                    if let Ok(line) = line {
                        assert!(line.len() <= limit && !line.contains(&b'\n'));
                    }
                    let _ = decode::<FromWindow>(line);
                });
            }
            let newlines = chunks.iter().flatten().filter(|&&b| b == b'\n').count();
            prop_assert_eq!(count, newlines);
        }
    }
}

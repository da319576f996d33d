//! What the tray process and the window process say to each other, one
//! JSON object per line over the window's stdin and stdout. The window
//! process holds no engine and no secret: it shows what it is told and
//! hands every click back.

use serde::{Deserialize, Serialize};

use crate::engine::events::Status;

/// What the window renders: the engine's state and its headline, so the
/// words are the engine's, not a copy in JavaScript.
#[derive(Clone, Serialize)]
pub struct StatusView {
    #[serde(flatten)]
    status: Status,
    headline: String,
}

impl From<Status> for StatusView {
    fn from(status: Status) -> Self {
        Self {
            headline: status.headline(),
            status,
        }
    }
}

/// Tray process → window process.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWindow {
    /// A new state, already in the window's words (a [`StatusView`]).
    Status { view: serde_json::Value },
    /// The signed-in user's picture as a `data:` URL, fetched by the engine
    /// so the window loads nothing remote.
    Avatar { data_url: Option<String> },
    /// An action the window asked for failed, in plain words.
    Failure { message: String },
    /// The app's own settings: whether it starts at login, and whether to
    /// offer that now (once, after the first sign-in).
    Preferences { start_at_login: bool, offer: bool },
    /// Bring the window to the front.
    Show,
}

/// Window process → tray process: the person's clicks, as the page names
/// them (`{"type": "sign_in"}`); the window passes them on unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWindow {
    SignIn,
    CancelSignIn,
    ReopenSignIn,
    SignOut,
    SetStartAtLogin { on: bool },
}

/// One message as a line of the pipe.
pub fn encode<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).expect("pipe messages serialize");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_single_tagged_lines() {
        let line = encode(&ToWindow::Avatar { data_url: None });
        assert_eq!(line, "{\"type\":\"avatar\",\"data_url\":null}\n");
        let back: FromWindow =
            serde_json::from_str(encode(&FromWindow::CancelSignIn).trim()).unwrap();
        assert_eq!(back, FromWindow::CancelSignIn);
        let toggle: FromWindow =
            serde_json::from_str(r#"{"type":"set_start_at_login","on":true}"#).unwrap();
        assert_eq!(toggle, FromWindow::SetStartAtLogin { on: true });
        let view = serde_json::to_value(StatusView::from(Status::signed_out(None))).unwrap();
        assert_eq!(view["phase"], "signed_out");
        assert!(view["headline"].is_string());
        assert!(!encode(&ToWindow::Status { view }).trim_end().contains('\n'));
    }
}

//! What the terminal commands print: plain words on stderr for a person,
//! only what a script reads on stdout. What the provider said is made
//! inert first, and a closed pipe on either side ends nothing but the
//! output.

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::instance::wire::{AccountReport, AccountStatusReport, Reply, StatusReport};
use pkce_tray_engine::events::Phase;
use pkce_tray_engine::text::{escaped, escaped_json};

/// One line on stdout; `false` when it could not be written (the reader
/// went away), never a panic.
pub fn out(line: impl Display) -> bool {
    writeln!(std::io::stdout().lock(), "{line}").is_ok()
}

/// One line on stderr, for a person; lost quietly where nobody reads.
pub fn note(line: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Success when `written`, else failure: what stdout was to carry is lost.
pub fn exit(written: bool) -> ExitCode {
    if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `status`: a few lines, or the JSON object.
pub fn status(report: &StatusReport, json: bool) -> ExitCode {
    let mut lines = Vec::new();
    if json {
        let text = serde_json::to_string(report).unwrap_or_else(|_| "{}".into());
        lines.push(escaped_json(&text));
    } else {
        lines.push(headline(report));
        if let Some(expires_at) = report.expires_at.filter(|_| report.signed_in) {
            lines.push(format!("The access token {}.", until(expires_at)));
        }
        if report.signed_in && report.state == Phase::SigningIn {
            lines.push("A new sign-in is under way; this session serves until it ends.".into());
        }
        lines.extend(report.message.iter().map(|m| escaped(m).into_owned()));
        match &report.keychain_warning {
            Some(warning) => lines.push(escaped(warning).into_owned()),
            None if report.signed_in => lines.push("The session is kept in the keychain.".into()),
            None => {}
        }
        lines.push(match &report.api {
            Some(api) => format!("PKCE API: {}", escaped(api)),
            None => {
                "pkce-tray is not running: start it for the PKCE API and to stay signed in.".into()
            }
        });
    }
    let written = lines.iter().all(out);
    exit(written && report.signed_in)
}

/// `status --all`: a line or two per account, or the JSON array; exit 0
/// when every account is signed in.
pub fn statuses(accounts: &[AccountStatusReport], json: bool) -> ExitCode {
    let mut lines = Vec::new();
    if json {
        let text = serde_json::to_string(accounts).unwrap_or_else(|_| "[]".into());
        lines.push(escaped_json(&text));
    } else {
        for account in accounts {
            let report = &account.status;
            let mut line = format!(
                "{}{}: {}",
                escaped(&account.name),
                marked(account.default),
                headline(report)
            );
            if let Some(expires_at) = report.expires_at.filter(|_| report.signed_in) {
                line.push_str(&format!("; the access token {}", until(expires_at)));
            }
            lines.push(line);
            lines.extend(report.message.iter().map(|m| format!("  {}", escaped(m))));
            lines.extend(
                report
                    .keychain_warning
                    .iter()
                    .map(|w| format!("  {}", escaped(w))),
            );
        }
        if let Some(api) = accounts.first().and_then(|a| a.status.api.as_ref()) {
            lines.push(format!("PKCE API: {}", escaped(api)));
        }
    }
    let written = lines.iter().all(out);
    exit(written && accounts.iter().all(|a| a.status.signed_in))
}

/// `accounts`: one line per account, or the JSON array.
pub fn accounts(accounts: &[AccountReport], json: bool) -> ExitCode {
    let lines: Vec<String> = if json {
        vec![escaped_json(
            &serde_json::to_string(accounts).unwrap_or_else(|_| "[]".into()),
        )]
    } else {
        accounts
            .iter()
            .map(|account| {
                format!(
                    "{}{}\t{}\t{}",
                    escaped(&account.name),
                    marked(account.default),
                    escaped(&account.issuer),
                    if account.signed_in {
                        "signed in"
                    } else {
                        "signed out"
                    }
                )
            })
            .collect()
    };
    exit(lines.iter().all(out))
}

fn marked(default: bool) -> &'static str {
    if default {
        " (default)"
    } else {
        ""
    }
}

fn headline(report: &StatusReport) -> String {
    let who = report.user.as_ref().map(|user| {
        let name = escaped(user.name.as_deref().unwrap_or(&user.sub));
        match &user.email {
            Some(email) => format!("{name} <{}>", escaped(email)),
            None => name.into_owned(),
        }
    });
    match (report.signed_in, who) {
        (true, Some(who)) => format!("Signed in as {who}"),
        (true, None) => "Signed in".into(),
        (false, _) => match report.state {
            Phase::SigningIn => "Signing in…".into(),
            _ => "Signed out".into(),
        },
    }
}

/// "expires in 59 min (2026-11-27T23:59:59Z)", or "expired 2 min ago".
fn until(expires_at: i64) -> String {
    let at = UNIX_EPOCH + Duration::from_secs(expires_at.max(0) as u64);
    let stamp = humantime::format_rfc3339_seconds(at);
    let now = SystemTime::now();
    match at.duration_since(now) {
        Ok(left) => format!("expires in {} ({stamp})", rounded(left)),
        Err(past) => format!("expired {} ago ({stamp})", rounded(past.duration())),
    }
}

fn rounded(span: Duration) -> String {
    let seconds = span.as_secs();
    match seconds {
        0..=119 => format!("{seconds} s"),
        120..=7199 => format!("{} min", seconds / 60),
        _ => format!("{} h", seconds / 3600),
    }
}

/// The answers before the last: where to sign in.
pub fn interim(reply: &Reply) {
    match reply {
        Reply::Open { url } => {
            note("Open this address in a browser to sign in:");
            out(escaped(url));
            match callback_port(url) {
                Some(port) => note(format_args!("The browser comes back to 127.0.0.1:{port} on this machine; from another one over SSH, forward that port first (ssh -L {port}:127.0.0.1:{port} …). Waiting… (Ctrl-C stops)")),
                None => note("Waiting… (Ctrl-C stops)"),
            }
        }
        Reply::Device {
            verification_uri,
            verification_uri_complete,
            user_code,
            expires_in,
        } => {
            note("On a phone or another computer, open");
            out(escaped(verification_uri));
            note("and enter the code");
            out(escaped(user_code));
            if let Some(complete) = verification_uri_complete {
                if let Ok(code) = qrcode::QrCode::new(complete.as_bytes()) {
                    note(format_args!(
                        "or scan this code, which opens {}:",
                        escaped(complete)
                    ));
                    let picture = code
                        .render::<qrcode::render::unicode::Dense1x2>()
                        .quiet_zone(true)
                        .build();
                    note(picture);
                }
            }
            note(format_args!(
                "The code is valid for {}. Waiting… (Ctrl-C stops)",
                rounded(Duration::from_secs(*expires_in))
            ));
        }
        _ => {}
    }
}

/// The loopback port the sign-in page sends the browser back to.
fn callback_port(sign_in_url: &str) -> Option<u16> {
    let url = url::Url::parse(sign_in_url).ok()?;
    let (_, redirect) = url.query_pairs().find(|(name, _)| name == "redirect_uri")?;
    let redirect = url::Url::parse(&redirect).ok()?;
    (redirect.host_str() == Some("127.0.0.1")).then(|| redirect.port())?
}

/// `sign-in`: who is signed in now.
pub fn signed_in(report: &StatusReport) -> ExitCode {
    note(headline(report));
    exit(report.signed_in)
}

/// A failure in one line on stderr, exit 1.
pub fn failure(outcome: Result<Reply, super::to_instance::InstanceError>) -> ExitCode {
    let message = match outcome {
        Ok(Reply::Failed { message, .. }) => message,
        // Never printed whole: an answer may carry a token.
        Ok(_) => "the running pkce-tray answered something else than asked; is it another version? Restart it".into(),
        Err(error) => error.to_string(),
    };
    note(format_args!("pkce-tray: {}", escaped(&message)));
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_to_forward_is_the_loopback_callbacks() {
        let url = "https://id.example/authorize?client_id=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A39100%2Fpkce%2Fresponse%2Fcode";
        assert_eq!(callback_port(url), Some(39100));
        let deep = "https://id.example/authorize?redirect_uri=app.pkcetray.desktop%3A%2Fpkce%2Fresponse%2Fcode";
        assert_eq!(callback_port(deep), None);
        assert_eq!(callback_port("not a url"), None);
    }

    #[test]
    fn spans_read_as_a_person_says_them() {
        assert_eq!(rounded(Duration::from_secs(59)), "59 s");
        assert_eq!(rounded(Duration::from_secs(3540)), "59 min");
        assert_eq!(rounded(Duration::from_secs(3 * 3600)), "3 h");
    }
}

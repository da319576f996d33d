//! Opening the provider's sign-in page in the system browser (RFC 8252 §6:
//! never in an embedded web view).

use std::process::{Command, Stdio};

/// Opens a URL outside the app.
pub trait Browser: Send + Sync {
    fn open(&self, url: &str) -> Result<(), String>;
}

/// The browser the person chose (`browser` in the configuration,
/// `PKCE_TRAY_BROWSER`), on every platform; else `$BROWSER` on Unix, as
/// xdg-open reads it (a colon-separated list); else the platform's
/// opener. `$BROWSER` is not read on Windows, where a path has a colon
/// and the shell's own opener is the user's choice.
pub struct SystemBrowser<F> {
    chosen: Option<String>,
    fallback: F,
}

impl<F: Fn(&str) -> Result<(), String> + Send + Sync> SystemBrowser<F> {
    pub fn new(chosen: Option<String>, fallback: F) -> Self {
        Self { chosen, fallback }
    }
}

/// The opener of headless runs: the `open` crate (xdg-open, open, start).
pub fn platform_opener(url: &str) -> Result<(), String> {
    open::that_detached(url).map_err(|e| e.to_string())
}

/// A browser command's words, split at spaces as xdg-open splits
/// `$BROWSER`, `%s` standing for the URL (else the URL comes last).
fn command_line(entry: &str, url: &str) -> Option<Vec<String>> {
    let mut words: Vec<String> = entry.split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        return None;
    }
    if words.iter().any(|w| w.contains("%s")) {
        for word in &mut words {
            *word = word.replace("%s", url);
        }
    } else {
        words.push(url.to_owned());
    }
    Some(words)
}

impl<F: Fn(&str) -> Result<(), String> + Send + Sync> Browser for SystemBrowser<F> {
    /// Only a web address is opened: what starts with a dash, names a file
    /// or another program's scheme never reaches a command line.
    fn open(&self, url: &str) -> Result<(), String> {
        let url = super::text::web_address(url)?;
        if let Some(chosen) = &self.chosen {
            let words = command_line(chosen, url.as_str())
                .ok_or("the configured browser command is empty")?;
            return run(&words).map_err(|error| {
                format!("the browser command {:?} did not start: {error}", words[0])
            });
        }
        #[cfg(unix)]
        if from_browser_variable(url.as_str()) {
            return Ok(());
        }
        (self.fallback)(url.as_str())
    }
}

/// Starts a browser command without waiting for it, and reaps it when it
/// exits.
fn run(words: &[String]) -> std::io::Result<()> {
    let mut child = Command::new(&words[0])
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Runs the first command of `$BROWSER` that starts.
#[cfg(unix)]
fn from_browser_variable(url: &str) -> bool {
    let Ok(list) = std::env::var("BROWSER") else {
        return false;
    };
    list.split(':')
        .filter_map(|entry| command_line(entry, url))
        .any(|words| run(&words).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_entries_follow_xdg_open() {
        assert_eq!(
            command_line("firefox", "http://x").unwrap(),
            ["firefox", "http://x"]
        );
        assert_eq!(
            command_line("chromium --new-window %s", "http://x").unwrap(),
            ["chromium", "--new-window", "http://x"]
        );
        assert!(command_line("  ", "http://x").is_none());
    }

    #[test]
    fn what_is_not_a_web_address_is_never_opened() {
        let browser = SystemBrowser::new(None, |_: &str| -> Result<(), String> {
            panic!("the opener was called")
        });
        for url in ["--new-window=file:///etc/passwd", "file:///etc/passwd"] {
            assert!(browser.open(url).is_err(), "{url}");
        }
    }

    #[test]
    fn a_chosen_browser_that_cannot_start_is_said_and_not_replaced() {
        let browser = SystemBrowser::new(
            Some("/nonexistent/browser --profile work".into()),
            |_: &str| -> Result<(), String> { panic!("the opener was called") },
        );
        let error = browser.open("https://id.example/authorize").unwrap_err();
        assert!(
            error.contains("\"/nonexistent/browser\" did not start"),
            "{error}"
        );
    }
}

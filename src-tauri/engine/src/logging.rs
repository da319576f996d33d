//! Where both of pkce-tray's processes log, and how much.

/// What the app logs by default.
pub const APP_LOG: &str = "pkce_tray=info,warn";

/// Logs to `file`, or else to stderr, filtered by `PKCE_TRAY_LOG`, else by
/// `default` (the terminal's commands say less than the app); both
/// binaries log alike.
pub fn init_logging(default: &str, file: Option<std::fs::File>) {
    use std::io::IsTerminal;
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_env("PKCE_TRAY_LOG")
            .unwrap_or_else(|_| default.into()),
    );
    match file {
        Some(file) => logs
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .init(),
        None => logs
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
    }
}

/// Where the desktop app logs on Windows, which gives a GUI program no
/// stderr: `%LOCALAPPDATA%\pkce-tray\logs\pkce-tray.log`. Elsewhere the
/// app logs to stderr, which the desktop session keeps.
pub fn log_path() -> Option<std::path::PathBuf> {
    if !cfg!(windows) {
        return None;
    }
    Some(
        dirs::data_local_dir()?
            .join("pkce-tray")
            .join("logs")
            .join("pkce-tray.log"),
    )
}

/// The log file, appended to, where there is one; one grown past a
/// megabyte is kept as `pkce-tray.log.old` and a new one started.
pub fn log_file() -> Option<std::fs::File> {
    const KEEP: u64 = 1 << 20;
    let path = log_path()?;
    if std::fs::metadata(&path).is_ok_and(|meta| meta.len() > KEEP) {
        let _ = std::fs::rename(&path, path.with_extension("log.old"));
    }
    let opened = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
    match opened {
        Ok(file) => Some(file),
        Err(error) => {
            eprintln!("pkce-tray: cannot log to {}: {error}", path.display());
            None
        }
    }
}

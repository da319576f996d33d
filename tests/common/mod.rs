//! Shared set-up of the end-to-end tests, by job: the providers
//! (`provider`, `fake`), a private keychain (`keychain`), the app
//! (`app`, `terminal`, `api`), the engine in this process on a clock the
//! test moves (`in_process`), the desktop (`desktop`, `webdriver`,
//! `tray_host`, `notices`), the network (`network`), and child processes
//! with their waits (`process`). Every process is killed when its guard
//! drops; every wait has a time limit.

use std::path::{Path, PathBuf};

pub mod api;
pub mod app;
pub mod desktop;
pub mod fake;
pub mod in_process;
pub mod keychain;
pub mod network;
pub mod notices;
pub mod process;
mod provider;
pub mod terminal;
pub mod tray_host;
pub mod webdriver;

pub use api::*;
pub use app::*;
pub use desktop::*;
pub use in_process::InProcess;
pub use keychain::*;
pub use process::*;
pub use provider::{Kind, Provider, ProviderOptions};
pub use tray_host::*;
pub use webdriver::Driver;

/// Set by `tests/isolate`, which gives each test namespaces of its own.
const ISOLATED: &str = "PKCE_TRAY_TEST_ISOLATED";
/// For a machine with nothing else on it, where no namespaces are made
/// (the hosted macOS and Windows runners).
const UNISOLATED: &str = "PKCE_TRAY_TEST_UNISOLATED";

/// The app's binary, for a test that runs it: only in namespaces of the
/// test's own, as `cargo nextest run` makes them (`tests/isolate`).
/// Anywhere else the test would share this user's one instance with the
/// person's own pkce-tray and with the tests beside it.
pub fn program() -> &'static str {
    assert!(
        std::env::var_os(ISOLATED).is_some() || std::env::var_os(UNISOLATED).is_some(),
        "these tests run pkce-tray, each in namespaces of its own: run them with `cargo nextest run` (see CONTRIBUTING.md), not `cargo test`"
    );
    env!("CARGO_BIN_EXE_pkce-tray")
}

/// The client id the test provider registers (a public, native client).
pub const CLIENT_ID: &str = "pkce-tray-dev";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The window's binary, beside the tray's as the tray looks for it. It
/// belongs to another package of the workspace, which cargo does not build
/// for this one's tests: nextest's setup script does
/// (`.config/nextest.toml`), or `cargo build -p pkce-tray-window`.
pub fn window_binary() -> PathBuf {
    let binary = Path::new(program()).with_file_name("pkce-tray-window");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p pkce-tray-window` first",
        binary.display()
    );
    binary
}

pub(crate) fn provider_dir() -> PathBuf {
    repo().join("tests").join("provider")
}

/// The test browser, used as `$BROWSER`.
pub fn test_browser() -> PathBuf {
    provider_dir().join("browser")
}

/// Node.js by its full path, for a program that does not search the
/// tests' `PATH` (a Windows build under Wine).
pub fn node() -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("node"))
        .find(|path| path.is_file())
        .expect("Node.js is on the PATH")
}

/// Where the tests leave their screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

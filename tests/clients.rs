//! Byte-compatibility with a real generated Pieces OS client: the PyPI
//! `pieces_os_client` (strict pydantic models) drives the whole flow.

mod common;

use std::process::Command;

use common::{App, AppOptions, Provider, CLIENT_ID};

#[test]
fn the_pieces_python_client_signs_in_refreshes_and_clears() {
    let python = common::repo().join("tests/clients/.venv/bin/python");
    assert!(
        python.exists(),
        "the Pieces client is not installed: run the README's test command"
    );
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let output = Command::new(python)
        .arg(common::repo().join("tests/clients/pieces_flow.py"))
        // The generated clients' base URL names localhost.
        .env("PKCE_TRAY_URL", format!("http://localhost:{}", app.port))
        .env("PKCE_TRAY_CLIENT_ID", CLIENT_ID)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("clearPKCE ok"), "{stdout}");
}

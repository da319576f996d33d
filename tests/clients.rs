//! Byte-compatibility with a real generated Pieces OS client: the PyPI
//! `pieces_os_client` (strict pydantic models) drives the whole flow,
//! against each of the tests' providers.

mod common;

use std::process::Command;

use common::{App, AppOptions, Kind, Provider, ProviderOptions, CLIENT_ID};

fn pieces_flow(kind: Kind) {
    let python = common::repo().join("tests/clients/.venv/bin/python");
    assert!(
        python.exists(),
        "the Pieces client is not installed: run the README's test command"
    );
    // Glewlwyd matches redirect URIs exactly: the app's port is registered.
    let port = common::free_port();
    let provider = Provider::start_with(ProviderOptions {
        kind,
        app_port: Some(port),
        ..ProviderOptions::default()
    });
    let mut options = AppOptions::new(&provider.issuer);
    options.port = Some(port);
    let app = App::start(options);
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

#[test]
fn the_pieces_python_client_signs_in_refreshes_and_clears() {
    pieces_flow(Kind::OidcProvider);
}

#[test]
fn the_pieces_python_client_does_the_same_with_glewlwyd() {
    pieces_flow(Kind::Glewlwyd);
}

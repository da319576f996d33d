//! Byte-compatibility with every published Pieces OS client: the latest
//! release of each major version of the PyPI `pieces_os_client` (strict
//! pydantic models, each its own: `tests/clients/pieces-N.txt`) and the
//! npm `@pieces.app/pieces-os-client` drive the whole flow, against each
//! of the tests' providers.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use common::{App, AppOptions, Kind, Provider, ProviderOptions, CLIENT_ID};

/// Every client, as the command that runs its flow.
fn clients() -> Vec<(String, Command)> {
    let dir = common::repo().join("tests/clients");
    let mut releases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    releases.sort();
    assert!(releases.len() >= 5, "the clients 1.x to 5.x: {releases:?}");
    let mut clients: Vec<(String, Command)> = releases
        .iter()
        .map(|release| {
            let name = release.file_stem().unwrap().to_string_lossy().into_owned();
            let python = dir.join(format!(".venv-{name}/bin/python"));
            assert!(
                python.exists(),
                "{name} is not installed: run the README's test command"
            );
            let mut command = Command::new(python);
            command.arg(dir.join("pieces_flow.py"));
            (name, command)
        })
        .collect();
    let mut node = Command::new("node");
    node.arg(dir.join("pieces_flow.mjs"));
    clients.push(("the TypeScript client".into(), node));
    clients
}

/// Runs every client's flow in turn against one app, and names each one
/// that failed with what it printed.
fn every_client_signs_in_refreshes_and_clears(kind: Kind) {
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
    let mut failed = Vec::new();
    for (name, mut command) in clients() {
        let output = command
            // The generated clients' base URL names localhost.
            .env("PKCE_TRAY_URL", format!("http://localhost:{}", app.port))
            .env("PKCE_TRAY_CLIENT_ID", CLIENT_ID)
            .output()
            .expect("the client runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() || !stdout.contains("clearPKCE ok") {
            failed.push(format!(
                "{name}:\n{stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_pieces_client_signs_in_refreshes_and_clears() {
    every_client_signs_in_refreshes_and_clears(Kind::OidcProvider);
}

#[test]
fn every_pieces_client_does_the_same_with_glewlwyd() {
    every_client_signs_in_refreshes_and_clears(Kind::Glewlwyd);
}

//! The parts of a real network in the tests: a private CA with a server
//! certificate (made by `openssl`), and a forwarding proxy.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{provider_dir, wait_for_line, Guard};

/// A server certificate and its key, issued by a test CA.
#[derive(Clone)]
pub struct ServerCertificate {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A private CA of the kind a company runs: `ca` is what a client must
/// trust; the server certificate names `provider.test`, `localhost` and
/// 127.0.0.1.
pub struct TestCa {
    pub ca: PathBuf,
    pub server: ServerCertificate,
    _dir: tempfile::TempDir,
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("openssl runs (the README's test command installs it)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl TestCa {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        let mut ca = vec!["req", "-x509", "-nodes", "-days", "2"];
        ca.extend(p256);
        ca.extend([
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=pkce-tray test CA",
        ]);
        openssl(dir.path(), &ca);
        let mut request = vec!["req", "-nodes"];
        request.extend(p256);
        request.extend([
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=provider.test",
        ]);
        openssl(dir.path(), &request);
        std::fs::write(
            dir.path().join("server.ext"),
            "subjectAltName=DNS:provider.test,DNS:localhost,IP:127.0.0.1\n\
             basicConstraints=CA:FALSE\n\
             extendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(
            dir.path(),
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.pem",
            ],
        );
        Self {
            ca: dir.path().join("ca.pem"),
            server: ServerCertificate {
                cert: dir.path().join("server.pem"),
                key: dir.path().join("server.key"),
            },
            _dir: dir,
        }
    }
}

/// The test proxy (tests/provider/proxy.mjs) on a free loopback port. It
/// alone resolves `provider.test`, to 127.0.0.1.
pub struct Proxy {
    pub url: String,
    log: PathBuf,
    _process: Guard,
    _dir: tempfile::TempDir,
}

impl Proxy {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("proxy.log");
        let mut child = Command::new("node")
            .arg(provider_dir().join("proxy.mjs"))
            .arg("--log")
            .arg(&log)
            .args(["--map", "provider.test=127.0.0.1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs");
        let stdout = child.stdout.take().unwrap();
        let process = Guard(child);
        let port = wait_for_line(stdout, Duration::from_secs(30), "the test proxy", |line| {
            line.strip_prefix("READY ").map(str::to_owned)
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            log,
            _process: process,
            _dir: dir,
        }
    }

    /// The requests it forwarded, one line each.
    pub fn requests(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

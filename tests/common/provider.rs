//! The real OpenID providers on loopback: oidc-provider (the tests' first,
//! `provider.mjs`) and Glewlwyd (a second, written by others in C, from
//! Debian's packages, `glewlwyd.mjs`), started alike and read alike.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::{first_line, network, output, provider_dir, Guard, CLIENT_ID};

/// Which provider implementation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    /// oidc-provider (npm), set up as an Auth0 native application behaves.
    #[default]
    OidcProvider,
    /// Glewlwyd 2.7, in its defaults but for what a public PKCE client
    /// needs; it matches redirect URIs exactly, port included.
    Glewlwyd,
}

/// Options of the test provider.
#[derive(Clone, Default)]
pub struct ProviderOptions {
    pub kind: Kind,
    /// The app's port, registered in the redirect URIs (Glewlwyd only:
    /// oidc-provider takes any loopback port, as RFC 8252 §7.3 asks).
    pub app_port: Option<u16>,
    /// Users besides `ada` whom the provider knows (Glewlwyd; oidc-provider
    /// signs in any name).
    pub users: Vec<&'static str>,
    /// Glewlwyd: refuse revocation with an access token too, as it does
    /// in its defaults (only a confidential client may revoke then).
    pub no_bearer_revocation: bool,
    pub access_ttl: Option<u32>,
    /// How long a grant lasts (oidc-provider): its refresh tokens are
    /// refused after that.
    pub refresh_ttl: Option<u32>,
    /// Profile and email claims from UserInfo only (oidc-provider's default).
    pub claims_in_userinfo: bool,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<network::ServerCertificate>,
    /// The issuer's host name, where not 127.0.0.1.
    pub host: Option<String>,
    /// Hold every token endpoint answer back this long.
    pub token_delay_ms: Option<u32>,
    /// Refuse every authorization request that was not pushed (RFC 9126).
    pub require_par: bool,
    /// An API (RFC 8707 resource) a sign-in may ask a grant for
    /// (oidc-provider).
    pub resource: Option<String>,
    /// Leave RFC 9207's `iss` out of authorization responses and
    /// discovery, as many large providers do (oidc-provider).
    pub no_iss: bool,
}

/// The names the tests give accounts: every test provider registers each
/// one's own redirect URIs (`/pkce/response/code/NAME`), besides the
/// account `default`'s.
pub const ACCOUNT_NAMES: [&str; 7] = ["work", "home", "play", "ada", "grace", "alan", "edsger"];

/// The real OpenID provider on a free loopback port.
pub struct Provider {
    pub issuer: String,
    pub kind: Kind,
    _process: Guard,
    _log: tempfile::NamedTempFile,
}

impl Provider {
    /// What the provider said on stderr so far (its terse event log).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self._log.path()).unwrap_or_default()
    }

    /// The keychain item's account of the app signed in here.
    pub fn account(&self) -> String {
        format!("{CLIENT_ID}@{}", self.issuer)
    }

    /// The provider's discovery document.
    async fn discovery(&self) -> serde_json::Value {
        super::http()
            .get(format!("{}/.well-known/openid-configuration", self.issuer))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The provider's UserInfo answer for a bearer token (at the endpoint
    /// its discovery names): whether the token is live, and whose.
    pub async fn userinfo(&self, token: &str) -> Option<serde_json::Value> {
        let discovery = self.discovery().await;
        let response = super::http()
            .get(discovery["userinfo_endpoint"].as_str().unwrap())
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        if !response.status().is_success() {
            return None;
        }
        Some(response.json().await.unwrap())
    }

    /// A refresh_token grant sent straight to the provider's token
    /// endpoint, as anyone holding the token could: the answer's status
    /// and body.
    pub async fn refresh(&self, refresh_token: &str) -> (u16, Vec<u8>) {
        let discovery = self.discovery().await;
        let response = super::http()
            .post(discovery["token_endpoint"].as_str().unwrap())
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", CLIENT_ID),
                ("refresh_token", refresh_token),
            ])
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// Revokes a refresh token and its grant at oidc-provider (RFC 7009),
    /// behind the app's back, as the provider's dashboard would. With
    /// curl, blocking: the desktop tests, which block, call it as the async
    /// ones do.
    pub fn revoke(&self, refresh_token: &str) {
        let mut revoke = Command::new("curl");
        revoke.args(["-fsS", "-o", "/dev/null", "--data-urlencode"]);
        revoke.arg(format!("client_id={CLIENT_ID}"));
        revoke.args(["--data-urlencode", &format!("token={refresh_token}")]);
        revoke.arg(format!("{}/oauth/revoke", self.issuer));
        let revoked = output(revoke, Duration::from_secs(60));
        assert!(
            revoked.status.success(),
            "{}",
            String::from_utf8_lossy(&revoked.stderr)
        );
    }

    /// How many refresh_token grants the provider answered. Glewlwyd logs
    /// an access token for every grant and an ID token for all but
    /// refreshes.
    pub fn refreshes(&self) -> usize {
        let log = self.log_text();
        match self.kind {
            Kind::OidcProvider => log.matches("token issued (refresh_token)").count(),
            Kind::Glewlwyd => {
                log.matches("Access token generated").count()
                    - log.matches("id_token generated").count()
            }
        }
    }

    pub fn start() -> Self {
        Self::start_with(ProviderOptions::default())
    }

    pub fn start_with(options: ProviderOptions) -> Self {
        assert!(
            provider_dir().join("node_modules").is_dir(),
            "the test provider's npm packages are missing: run the README's test command (or `npm ci` in tests/provider)"
        );
        // Node on this kind of machine now and then stops before it
        // listens (about one start in fifty, seen under load, with nothing
        // said); a start that hangs is ended and made again, at most thrice.
        let limit = Duration::from_secs(20);
        let mut said = String::new();
        for attempt in 1..=3 {
            let log = tempfile::NamedTempFile::new().unwrap();
            let mut child = Self::command(&options)
                .stderr(log.reopen().unwrap())
                .spawn()
                .expect("node runs");
            let stdout = child.stdout.take().unwrap();
            let mut process = Guard(child);
            if let Some(issuer) = first_line(stdout, limit, |line| {
                line.strip_prefix("READY ").map(str::to_owned)
            }) {
                return Self {
                    issuer,
                    kind: options.kind,
                    _process: process,
                    _log: log,
                };
            }
            let exited = process.0.try_wait().ok().flatten();
            said = std::fs::read_to_string(log.path()).unwrap_or_default();
            eprintln!(
                "the test provider did not start within {limit:?} (attempt {attempt}, exit: {exited:?}); it said:\n{said}"
            );
        }
        panic!("the test provider did not start in three attempts; it said last:\n{said}");
    }

    fn command(options: &ProviderOptions) -> Command {
        let mut command = Command::new("node");
        command
            .arg(provider_dir().join(match options.kind {
                Kind::OidcProvider => "provider.mjs",
                Kind::Glewlwyd => "glewlwyd.mjs",
            }))
            .args(["--port", "0", "--client-id", CLIENT_ID])
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        if options.kind == Kind::Glewlwyd {
            let port = options
                .app_port
                .expect("Glewlwyd registers the app's port: set app_port");
            let paths = std::iter::once(String::new())
                .chain(ACCOUNT_NAMES.iter().map(|name| format!("/{name}")));
            for path in paths {
                for host in ["127.0.0.1", "localhost"] {
                    command.args([
                        "--redirect",
                        &format!("http://{host}:{port}/pkce/response/code{path}"),
                    ]);
                }
                command.args([
                    "--redirect",
                    &format!("app.pkcetray.desktop:/pkce/response/code{path}"),
                ]);
            }
            command.args(["--verbose", "--user", "ada"]);
            for user in &options.users {
                command.args(["--user", user]);
            }
            if let Some(ttl) = options.access_ttl {
                command.args(["--access-ttl", &ttl.to_string()]);
            }
            if options.require_par {
                command.arg("--require-par");
            }
            if options.no_bearer_revocation {
                command.args(["--revoke-scope", ""]);
            }
            return command;
        }
        if let Some(ttl) = options.access_ttl {
            command.args(["--access-ttl", &ttl.to_string()]);
        }
        if let Some(ttl) = options.refresh_ttl {
            command.args(["--refresh-ttl", &ttl.to_string()]);
        }
        if options.claims_in_userinfo {
            command.args(["--claims", "userinfo"]);
        }
        if let Some(tls) = &options.tls {
            command
                .arg("--tls-cert")
                .arg(&tls.cert)
                .arg("--tls-key")
                .arg(&tls.key);
        }
        if let Some(host) = &options.host {
            command.args(["--host", host]);
        }
        if let Some(delay) = options.token_delay_ms {
            command.args(["--token-delay-ms", &delay.to_string()]);
        }
        if options.require_par {
            command.arg("--require-par");
        }
        if let Some(resource) = &options.resource {
            command.args(["--resource", resource]);
        }
        if options.no_iss {
            command.arg("--no-iss");
        }
        for name in ACCOUNT_NAMES {
            command.args(["--account", name]);
        }
        command
    }
}

//! How pkce-tray reaches a provider on a real network: through the
//! proxy the environment names, never for loopback, trusting the system's
//! CAs and those of `SSL_CERT_FILE`, and reading bounded answers.

use std::error::Error as _;
use std::time::Duration;

use reqwest::redirect::Policy;
use reqwest::{Certificate, NoProxy, Proxy};

/// The most a provider's answer may weigh: discovery, JWKS, token and
/// UserInfo answers are a few KiB; anything near this is not one of them.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Loopback is this machine: a proxy elsewhere cannot reach it, so it is
/// never proxied, whatever `NO_PROXY` says.
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

/// The client a provider's OAuth requests go through: 30 s, no redirects.
/// The engine makes one for every account (one connection pool, one set
/// of trusted roots).
pub fn oauth_client() -> reqwest::Client {
    client(Duration::from_secs(30), 0)
}

/// An HTTP client for the provider and the hosts it names.
///
/// Proxies come from `HTTPS_PROXY`, `HTTP_PROXY` and `ALL_PROXY` (either
/// case), with `NO_PROXY` honoured, as curl reads them. `SSL_CERT_FILE`
/// adds its certificates to the trusted roots on every platform (OpenSSL
/// reads it on Linux anyway; the macOS and Windows stores do not).
/// `redirects`: how many to follow (none on the OAuth endpoints).
pub fn client(timeout: Duration, redirects: usize) -> reqwest::Client {
    let builder = || {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(timeout)
            .redirect(match redirects {
                0 => Policy::none(),
                n => Policy::limited(n),
            })
            .user_agent(concat!("pkce-tray/", env!("CARGO_PKG_VERSION")))
            .no_proxy();
        for proxy in proxies(&|name| std::env::var(name).ok()) {
            builder = builder.proxy(proxy);
        }
        builder
    };
    match builder().tls_certs_merge(extra_roots()).build() {
        Ok(client) => client,
        // A certificate the TLS backend will not take must not stop the app.
        Err(error) => {
            tracing::warn!("SSL_CERT_FILE's certificates cannot be used ({error}); trusting the system's alone");
            builder().build().expect("the TLS backend initialises")
        }
    }
}

/// The first of the upper- and lower-case variable that is set and not empty.
fn variable(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    [name.to_owned(), name.to_lowercase()]
        .iter()
        .find_map(|n| env(n).filter(|v| !v.trim().is_empty()))
}

/// The proxies the environment asks for, each sparing loopback and
/// `NO_PROXY`. A variable that is not a proxy URL is skipped with a warning.
fn proxies(env: &dyn Fn(&str) -> Option<String>) -> Vec<Proxy> {
    let no_proxy = match variable(env, "NO_PROXY") {
        Some(listed) => format!("{listed},{LOOPBACK}"),
        None => LOOPBACK.to_owned(),
    };
    ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"]
        .into_iter()
        .filter_map(|name| {
            let url = variable(env, name)?;
            let made = match name {
                "HTTPS_PROXY" => Proxy::https(url),
                "HTTP_PROXY" => Proxy::http(url),
                _ => Proxy::all(url),
            };
            match made {
                Ok(proxy) => Some(proxy.no_proxy(NoProxy::from_string(&no_proxy))),
                Err(error) => {
                    tracing::warn!("{name} is not a proxy URL ({error}); not using it");
                    None
                }
            }
        })
        .collect()
}

/// The certificates of `SSL_CERT_FILE`, for private CAs.
fn extra_roots() -> Vec<Certificate> {
    let Some(path) = std::env::var_os("SSL_CERT_FILE") else {
        return Vec::new();
    };
    let loaded = std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|pem| Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string()));
    match loaded {
        Ok(certificates) => certificates,
        Err(error) => {
            tracing::warn!(
                "SSL_CERT_FILE {} holds no usable certificate ({error})",
                std::path::Path::new(&path).display()
            );
            Vec::new()
        }
    }
}

/// Why a request never got an answer, in the terms a person can act on.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    TimedOut,
    /// The TLS handshake failed on the certificate.
    Untrusted,
    Unreachable,
}

/// Told apart by the errors' types and codes, never their words: a
/// Windows or a macOS in another language words them differently.
pub fn failure(error: &reqwest::Error) -> Failure {
    if error.is_timeout() {
        return Failure::TimedOut;
    }
    let mut source = error.source();
    while let Some(cause) = source {
        if is_untrusted_certificate(cause) {
            return Failure::Untrusted;
        }
        source = cause.source();
    }
    Failure::Unreachable
}

/// OpenSSL's error stack says the peer's certificate failed verification:
/// `ERR_LIB_SSL` (20), `SSL_R_CERTIFICATE_VERIFY_FAILED` (134), as its
/// `err.h` and `sslerr.h` number them. Another TLS failure (a server that
/// speaks no TLS, no common protocol) is no certificate's fault.
#[cfg(not(any(target_os = "macos", windows)))]
fn is_untrusted_certificate(cause: &(dyn std::error::Error + 'static)) -> bool {
    const ERR_LIB_SSL: i32 = 20;
    const SSL_R_CERTIFICATE_VERIFY_FAILED: i32 = 134;
    cause
        .downcast_ref::<openssl::error::ErrorStack>()
        .is_some_and(|stack| {
            stack.errors().iter().any(|error| {
                error.library_code() == ERR_LIB_SSL
                    && error.reason_code() == SSL_R_CERTIFICATE_VERIFY_FAILED
            })
        })
}

/// Schannel's and Secure Transport's codes stay inside native-tls's error,
/// which exposes none: a failed handshake there is taken for a
/// certificate this machine does not trust, by far its usual cause.
#[cfg(any(target_os = "macos", windows))]
fn is_untrusted_certificate(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.is::<native_tls::Error>()
}

/// Reads an answer's body, refusing one over `BODY_LIMIT` without reading
/// further. `Err(None)` for a body too large, `Err(Some(_))` for a
/// transport failure on the way.
pub async fn body(mut response: reqwest::Response) -> Result<Vec<u8>, Option<reqwest::Error>> {
    if response
        .content_length()
        .is_some_and(|length| length > BODY_LIMIT as u64)
    {
        return Err(None);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Some)? {
        if bytes.len() + chunk.len() > BODY_LIMIT {
            return Err(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn proxies_come_from_either_case_and_empty_ones_are_ignored() {
        assert_eq!(proxies(&env(&[])).len(), 0);
        assert_eq!(proxies(&env(&[("HTTPS_PROXY", "")])).len(), 0);
        assert_eq!(
            proxies(&env(&[("https_proxy", "http://proxy:3128")])).len(),
            1
        );
        assert_eq!(
            proxies(&env(&[
                ("HTTPS_PROXY", "http://proxy:3128"),
                ("http_proxy", "http://proxy:3128"),
                ("ALL_PROXY", "http://proxy:3129"),
            ]))
            .len(),
            3
        );
        assert_eq!(
            proxies(&env(&[("HTTPS_PROXY", "http://[not a url")])).len(),
            0
        );
    }

    #[test]
    fn variables_prefer_upper_case() {
        let vars = env(&[("NO_PROXY", "a.example"), ("no_proxy", "b.example")]);
        assert_eq!(variable(&vars, "NO_PROXY").as_deref(), Some("a.example"));
        let vars = env(&[("no_proxy", "b.example")]);
        assert_eq!(variable(&vars, "NO_PROXY").as_deref(), Some("b.example"));
    }
}

//! An issuer as a person writes it (an Auth0 domain, or a URL), made the
//! URL exact issuer comparison needs, over https unless on this machine.

use url::Url;

use super::ConfigError;

/// An Auth0 tenant is often known by its domain alone; its issuer is
/// `https://<domain>/`, with the slash that exact issuer comparison needs.
pub fn parse_issuer(value: &str) -> Result<Url, ConfigError> {
    let candidate = if value.contains("://") {
        value.to_owned()
    } else {
        format!("https://{}/", value.trim_end_matches('/'))
    };
    let url = Url::parse(&candidate)
        .ok()
        .filter(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
        .ok_or_else(|| ConfigError::BadIssuer(value.to_owned()))?;
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(ConfigError::InsecureIssuer(value.to_owned()));
    }
    Ok(url)
}

/// This machine, whatever its name: tokens sent there cross no network.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

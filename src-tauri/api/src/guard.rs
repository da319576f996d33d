//! The defences of a server that every web page on the machine can reach:
//! a foreign `Host` (DNS rebinding) or a foreign `Origin` (a page driving a
//! flow) is refused before any handler runs.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use pkce_tray_engine::is_callback_path;

/// The names this server answers to: loopback only, as the API listens.
const LOCAL_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `host:port` must name this server exactly; no port means port 80.
fn is_local_authority(authority: &str, port: u16) -> bool {
    let (name, given_port) = match authority.rsplit_once(':') {
        Some((name, p)) => match p.parse::<u16>() {
            Ok(p) => (name, p),
            Err(_) => return false,
        },
        None => (authority, 80),
    };
    LOCAL_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) && given_port == port
}

fn is_local_origin(origin: &str, port: u16) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|authority| is_local_authority(authority, port))
}

/// The check itself: `None` lets the request through.
pub fn refusal(headers: &HeaderMap, path: &str, port: u16) -> Option<ApiError> {
    let host_ok =
        header_str(headers, header::HOST).is_some_and(|host| is_local_authority(host, port));
    if !host_ok {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_host",
            "this server answers to 127.0.0.1, [::1] and localhost only",
        ));
    }
    // The provider's form_post page posts the callback from its own origin;
    // the single-use state protects the callbacks instead.
    if is_callback_path(path) {
        return None;
    }
    match header_str(headers, header::ORIGIN) {
        Some(origin) if !is_local_origin(origin, port) => Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden_origin",
            "requests from web pages of other origins are refused",
        )),
        _ => None,
    }
}

/// The middleware; its state is the port the server is bound to.
pub async fn guard(State(port): State<u16>, request: Request, next: Next) -> Response {
    match refusal(request.headers(), request.uri().path(), port) {
        Some(error) => error.into_response(),
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use pkce_tray_engine::config::CALLBACK_PATH;

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        h
    }

    #[test]
    fn hostile_hosts_are_refused() {
        for host in [
            "evil.com:1000",
            "localhost.evil.com:1000",
            "127.0.0.10:1000",
            "127.0.0.1.nip.io:1000",
            "localhost:1001",
            "localhost",
            "[::1]:1001",
            "[::1]",
            "[::2]:1000",
            "[::ffff:127.0.0.1]:1000",
            "::1:1000",
            "localhost:x",
            "0.0.0.0:1000",
        ] {
            assert!(
                refusal(&headers(host, None), "/pkce/challenge", 1000).is_some(),
                "{host}"
            );
        }
        assert!(
            refusal(&HeaderMap::new(), "/pkce/challenge", 1000).is_some(),
            "no Host"
        );
        for host in [
            "localhost:1000",
            "127.0.0.1:1000",
            "LOCALHOST:1000",
            "[::1]:1000",
        ] {
            assert!(
                refusal(&headers(host, None), "/pkce/challenge", 1000).is_none(),
                "{host}"
            );
        }
    }

    #[test]
    fn foreign_origins_are_refused_except_at_the_callback() {
        for origin in [
            "https://evil.com",
            "http://localhost.evil.com:1000",
            "null",
            "http://localhost:1001",
            "https://localhost:1000",
        ] {
            assert!(
                refusal(
                    &headers("localhost:1000", Some(origin)),
                    "/pkce/clear",
                    1000
                )
                .is_some(),
                "{origin}"
            );
            for callback in [CALLBACK_PATH, "/pkce/response/code/work"] {
                assert!(
                    refusal(&headers("localhost:1000", Some(origin)), callback, 1000).is_none(),
                    "{origin} {callback}"
                );
            }
        }
        assert!(refusal(
            &headers("localhost:1000", Some("http://localhost:1000")),
            "/pkce/clear",
            1000
        )
        .is_none());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use axum::http::HeaderValue;
    use proptest::prelude::*;

    fn host() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            Just("localhost".to_owned()),
            Just("LocalHost".to_owned()),
            Just("127.0.0.1".to_owned()),
            Just("[::1]".to_owned()),
            Just("[::2]".to_owned()),
            Just("localhost.evil.example".to_owned()),
            "[a-z0-9.:\\[\\]-]{0,24}",
        ];
        let port = prop_oneof![
            Just(Some(1000u32)),
            Just(None),
            (0u32..70000).prop_map(Some)
        ];
        (name, port, "[a-z:/]{0,3}").prop_map(|(name, port, tail)| match port {
            Some(port) => format!("{name}:{port}{tail}"),
            None => format!("{name}{tail}"),
        })
    }

    proptest! {
        /// Whatever the Host and Origin, no panic, and what is let through
        /// names this server exactly.
        #[test]
        fn only_an_exact_local_host_gets_through(host in host(), origin in proptest::option::of(host())) {
            let mut headers = HeaderMap::new();
            let Ok(value) = HeaderValue::from_str(&host) else { return Ok(()) };
            headers.insert(header::HOST, value);
            if let Some(origin) = &origin {
                if let Ok(value) = HeaderValue::from_str(&format!("http://{origin}")) {
                    headers.insert(header::ORIGIN, value);
                }
            }
            if refusal(&headers, "/pkce/challenge", 1000).is_none() {
                let allowed = ["localhost:1000", "127.0.0.1:1000", "[::1]:1000"];
                prop_assert!(allowed.contains(&host.to_ascii_lowercase().as_str()), "{}", host);
            }
        }
    }
}

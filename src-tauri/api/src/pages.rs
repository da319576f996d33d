//! The pages a person's browser lands on at the callback.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// Whether the caller prefers HTML: browsers list `text/html` first;
/// generated clients send `application/json, text/html`.
pub fn wants_html(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let position = |media: &str| accept.find(media);
    match (position("text/html"), position("application/json")) {
        (Some(html), Some(json)) => html < json,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Text as HTML: markup escaped, and what the provider sent made inert
/// (a direction override would reorder the page's words).
fn escape(text: &str) -> String {
    pkce_tray_engine::text::escaped(text)
        .chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c => c.to_string(),
        })
        .collect()
}

fn page(language: &str, title: &str, message: &str, ok: bool) -> Response {
    let mark = if ok { "✓" } else { "!" };
    let tone = if ok { "ok" } else { "bad" };
    let body = format!(
        r#"<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title} · pkce-tray</title>
<style>
:root{{color-scheme:light dark;font-family:system-ui,sans-serif}}
body{{display:grid;place-items:center;min-height:90vh;margin:0;background:Canvas;color:CanvasText}}
main{{max-width:28rem;padding:2rem;text-align:center}}
.mark{{font-size:2.5rem;width:4rem;height:4rem;line-height:4rem;border-radius:50%;margin:0 auto 1rem;color:#fff}}
.ok{{background:#2e7d32}}.bad{{background:#c62828}}
h1{{font-size:1.4rem;margin:.2rem 0}}p{{opacity:.8}}
</style></head>
<body><main><div class="mark {tone}" aria-hidden="true">{mark}</div><h1>{title}</h1><p>{message}</p></main></body></html>"#,
        language = escape(language),
        title = escape(title),
        message = escape(message),
    );
    let mut response = Html(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    response
}

/// The page of a sign-in that went through, in the person's language.
pub fn success() -> Response {
    let words = pkce_tray_i18n::words();
    page(
        words.language(),
        &words.get("page-success-title"),
        &words.get("page-success-text"),
        true,
    )
}

/// The page of a sign-in that did not: the app's title in the person's
/// language, the reason as the engine gives it.
pub fn failure(description: &str) -> Response {
    let words = pkce_tray_i18n::words();
    page(
        words.language(),
        &words.get("page-failure-title"),
        description,
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn browsers_get_pages_and_clients_get_json() {
        assert!(wants_html(&accept(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        )));
        assert!(!wants_html(&accept("application/json, text/html")));
        assert!(!wants_html(&HeaderMap::new()));
    }

    #[test]
    fn messages_are_escaped() {
        assert_eq!(escape("<script>&'\""), "&lt;script&gt;&amp;&#39;&quot;");
    }
}

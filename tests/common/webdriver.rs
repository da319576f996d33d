//! The window through WebDriver: every call within a time limit, and what
//! the tests ask of it again and again.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

/// A WebDriver call, with a time limit: a hung webview fails the test.
pub async fn within<T>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
) -> T {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within 30 s"))
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Waits until `#status` says something that starts with `expected`.
pub async fn status_becomes(client: &Client, expected: &str) {
    text_becomes(client, "#status", expected).await;
}

/// Clicks the element; found again where the page replaced it between
/// finding and clicking, or while finding it (a list re-rendered by a new
/// state: WebKitWebDriver says the element was not found, or is stale).
pub async fn click(client: &Client, selector: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let replaced = |error: &fantoccini::error::CmdError| {
        let said = error.to_string();
        said.contains("was not found") || said.contains("Stale element")
    };
    loop {
        let found =
            tokio::time::timeout(Duration::from_secs(30), client.find(Locator::Css(selector)))
                .await
                .unwrap_or_else(|_| panic!("{selector}: no answer within 30 s"));
        let clicked = match found {
            Ok(element) => tokio::time::timeout(Duration::from_secs(30), element.click())
                .await
                .unwrap_or_else(|_| panic!("{selector}: no answer within 30 s"))
                .map(drop),
            Err(error) => Err(error),
        };
        match clicked {
            Ok(()) => return,
            Err(error) if replaced(&error) => {
                assert!(Instant::now() < deadline, "{selector}: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("{selector}: {error}"),
        }
    }
}

/// Lets the webview paint the current state (two animation frames), then
/// saves a PNG of the window.
pub async fn screenshot(client: &Client, name: &str) {
    within(
        "paint",
        client.execute_async(
            "requestAnimationFrame(() => requestAnimationFrame(arguments[0]))",
            vec![],
        ),
    )
    .await;
    let png = within("screenshot", client.screenshot()).await;
    std::fs::write(super::screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// Whether the element is shown.
pub async fn displayed(client: &Client, selector: &str) -> bool {
    let element = within(selector, client.find(Locator::Css(selector))).await;
    within(selector, element.is_displayed()).await
}

/// The element's text.
pub async fn text(client: &Client, selector: &str) -> String {
    let element = within(selector, client.find(Locator::Css(selector))).await;
    within(selector, element.text()).await
}

/// Waits until the element's text starts with `expected`.
pub async fn text_becomes(client: &Client, selector: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            last = element.text().await.unwrap_or_default();
            if last.starts_with(expected) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{selector} stayed {last:?}, expected {expected:?}");
}

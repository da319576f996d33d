//! The person's picture, fetched by the app so the window never loads
//! remote content itself.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{http, Provider};
use crate::text;

impl Provider {
    /// The user's picture as a `data:` URL, so the window shows it without
    /// loading remote content. Images only, 256 KiB at most; redirects are
    /// followed (pictures live on CDNs), unlike on the OAuth endpoints.
    pub async fn picture_data_url(&self, url: &str) -> Option<String> {
        const LIMIT: usize = 256 * 1024;
        let url = text::web_address(url).ok()?;
        let client = http::client(Duration::from_secs(10), 3);
        let mut response = client.get(url).send().await.ok()?.error_for_status().ok()?;
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()?
            .split(';')
            .next()?
            .trim()
            .to_owned();
        if !media_type.starts_with("image/") {
            return None;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.ok()? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > LIMIT {
                return None;
            }
        }
        Some(format!(
            "data:{media_type};base64,{}",
            STANDARD.encode(&bytes)
        ))
    }
}

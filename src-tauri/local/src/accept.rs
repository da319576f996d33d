//! Accepting connections without spinning when accepts fail.

use std::io;
use std::time::Duration;

/// Pauses after failed accepts (out of descriptors, say), longer each
/// time in a row, so a listener waits for room rather than spin.
pub struct AcceptBackoff(Duration);

impl Default for AcceptBackoff {
    fn default() -> Self {
        Self(Self::FIRST)
    }
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(1);

    /// What an accept gave: the connection, or `None` after waiting out
    /// a failure.
    pub async fn accepted<T>(&mut self, accepted: io::Result<T>) -> Option<T> {
        match accepted {
            Ok(connection) => {
                self.0 = Self::FIRST;
                Some(connection)
            }
            Err(error) => {
                tracing::debug!("accept failed: {error}");
                tokio::time::sleep(self.0).await;
                self.0 = (self.0 * 2).min(Self::MAX);
                None
            }
        }
    }
}

//! Keeping the session fresh: refreshes, one at a time however many ask,
//! the background refresher, and the rotated-away tokens clients still
//! present.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Message, Session, SessionError};
use crate::lock;
use crate::provider::Tokens;
use crate::secret::{AccessToken, RefreshToken};
use crate::vault::StoredSession;

/// Refresh when this share of the access token's lifetime has passed.
const REFRESH_AT: f64 = 0.8;
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(300);

/// When a token set is due for refresh, in Unix seconds.
pub(super) fn refresh_due(session: &StoredSession) -> i64 {
    let lifetime = (session.expires_at - session.issued_at).max(0) as f64;
    session.issued_at + (lifetime * REFRESH_AT) as i64
}

/// When a refresh is wanted. Callers that queued behind another refresh
/// find the work done rather than refreshing again.
#[derive(Debug, Clone, Copy)]
pub enum Refresh {
    /// At 80 % of the access token's lifetime (the background refresher).
    IfDue,
    /// Now, unless the session no longer holds the refresh token with this
    /// digest: someone else refreshed it meanwhile (a client's request).
    IfStillHolding([u8; 32]),
}

/// The least time between two refreshes by the background refresher,
/// whatever lifetimes the provider hands out.
const REFRESH_SPACING: Duration = Duration::from_secs(5);

/// How many rotated-away refresh tokens are remembered.
const SUPERSEDED_KEPT: usize = 8;

fn digest(token: &RefreshToken) -> [u8; 32] {
    Sha256::digest(token.secret().as_bytes()).into()
}

impl Session {
    /// Renews the access token, one refresh at a time however many ask: a
    /// caller that waited finds the work done. With rotation, the new
    /// refresh token is stored before the old one is let go.
    pub async fn refresh(&self, when: Refresh) -> Result<(), SessionError> {
        let _work = self.token_work().await;
        let _single_flight = self.refresh_lock.lock().await;
        let current = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        let needed = match when {
            Refresh::IfDue => self.clock.unix_now() >= refresh_due(&current),
            Refresh::IfStillHolding(presented) => current
                .refresh_token
                .as_ref()
                .is_some_and(|t| bool::from(digest(t)[..].ct_eq(&presented[..]))),
        };
        if !needed {
            return Ok(());
        }
        let Some(refresh_token) = current.refresh_token.clone() else {
            if self.clock.unix_now() >= current.expires_at {
                self.end(Message::new("session-expired")).await;
            }
            return Ok(());
        };
        match self.provider.refresh(&self.client_id, &refresh_token).await {
            Ok(tokens) => {
                // The old refresh token may be dead already (rotation): the
                // new set is kept whatever its ID token says, unless it names
                // someone else (OpenID Connect Core §12.2).
                let mut user = current.user.clone();
                if let Some(id_token) = &tokens.id_token {
                    match self
                        .provider
                        .verify_id_token(id_token, &self.client_id, None)
                        .await
                    {
                        Ok(claims) if claims.sub != current.user.sub => {
                            self.end(Message::new("session-other-user")).await;
                            return Ok(());
                        }
                        // A refreshed ID token may carry fewer claims than
                        // the first; what it leaves out is kept.
                        Ok(claims) => user = user.updated_by(claims.into()).unwrap_or(user),
                        Err(error) => tracing::warn!("kept the display name: {error}"),
                    }
                }
                if tokens.id_token.is_none() || user.is_incomplete() {
                    user = self.profile(&tokens.access_token, user).await;
                }
                let issued_at = self.clock.unix_now();
                if tokens
                    .refresh_token
                    .as_ref()
                    .is_some_and(|new| *new != refresh_token)
                {
                    self.supersede(&refresh_token);
                }
                let renewed = StoredSession {
                    access_token: tokens.access_token,
                    refresh_token: tokens.refresh_token.or(Some(refresh_token)),
                    issued_at,
                    expires_at: issued_at.saturating_add(tokens.expires_in as i64),
                    user,
                };
                tracing::info!("refreshed the access token");
                self.keep(renewed).await;
                Ok(())
            }
            Err(error) if error.ends_the_grant() => {
                self.end(Message::new("session-refused")).await;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Remembers a refresh token the provider rotated away, so a client
    /// that still holds it is answered from the session.
    fn supersede(&self, token: &RefreshToken) {
        let mut superseded = lock(&self.superseded);
        superseded.push_back((digest(token), self.clock.now()));
        if superseded.len() > SUPERSEDED_KEPT {
            superseded.pop_front();
        }
    }

    /// The access token, renewed first when it expires within `min_valid`
    /// (the terminal's `token`, git's credential helper). However many ask
    /// at once, the provider sees one refresh; a token still valid for
    /// that long is answered without asking the provider at all.
    pub async fn access_token(
        &self,
        min_valid: Duration,
    ) -> Result<(AccessToken, i64), SessionError> {
        let min_valid = i64::try_from(min_valid.as_secs()).unwrap_or(i64::MAX);
        let current = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        if current.expires_at.saturating_sub(self.clock.unix_now()) >= min_valid {
            return Ok((current.access_token, current.expires_at));
        }
        let held = current.refresh_token.as_ref().map(digest);
        if let Some(held) = held {
            self.refresh(Refresh::IfStillHolding(held)).await?;
        }
        let renewed = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        let left = renewed.expires_at.saturating_sub(self.clock.unix_now());
        // A set renewed just now is the freshest there is, even when the
        // provider hands out shorter lifetimes than asked for.
        if left >= min_valid || (renewed.access_token != current.access_token && left > 0) {
            Ok((renewed.access_token, renewed.expires_at))
        } else {
            Err(SessionError::CannotRenew(left.max(0)))
        }
    }

    /// A client's refresh of this session's grant (generateToken with the
    /// session's refresh token, current or rotated away) goes through the
    /// session: one owner, one rotation chain, the same tokens for both.
    /// `None` when the token is not this session's.
    pub async fn refresh_for_client(
        &self,
        presented: &RefreshToken,
    ) -> Option<Result<Tokens, SessionError>> {
        let current = lock(&self.tokens).clone()?;
        let presented = digest(presented);
        let same = |candidate: &[u8; 32]| bool::from(candidate[..].ct_eq(&presented[..]));
        let is_current = current
            .refresh_token
            .as_ref()
            .is_some_and(|t| same(&digest(t)));
        let superseded_since = lock(&self.superseded)
            .iter()
            .find(|(candidate, _)| same(candidate))
            .map(|(_, when)| self.clock.since(*when));
        if !is_current && superseded_since.is_none() {
            return None;
        }
        if let Some(age) = superseded_since.filter(|age| *age > self.reuse_interval) {
            tracing::warn!(
                "refused a refresh token that was replaced {} s ago (reuse interval {} s): a leaked old token buys nothing",
                age.as_secs(),
                self.reuse_interval.as_secs()
            );
            return Some(Err(SessionError::Superseded(age.as_secs())));
        }
        let when = if is_current {
            Refresh::IfStillHolding(presented)
        } else {
            Refresh::IfDue
        };
        if let Err(error) = self.refresh(when).await {
            return Some(Err(error));
        }
        let renewed = lock(&self.tokens).clone();
        Some(
            renewed
                .ok_or(SessionError::NotSignedIn)
                .map(|stored| Tokens {
                    expires_in: (stored.expires_at - self.clock.unix_now()).max(0) as u64,
                    access_token: stored.access_token.clone(),
                    refresh_token: stored.refresh_token.clone(),
                    id_token: None,
                    scope: None,
                }),
        )
    }

    /// A token narrower than the session's, or for another API, from the
    /// session's refresh token (see `Provider::refresh_narrowed`). The
    /// session's own access token is left as it is; a refresh token the
    /// provider rotated meanwhile replaces the session's, kept before it is
    /// used again. A refusal is the provider's word, and ends nothing.
    pub async fn narrowed(
        &self,
        scope: Option<&str>,
        resource: Option<&str>,
    ) -> Result<Tokens, SessionError> {
        let _work = self.token_work().await;
        let _single_flight = self.refresh_lock.lock().await;
        let current = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        let refresh_token = current
            .refresh_token
            .clone()
            .ok_or(SessionError::CannotNarrow)?;
        let mut tokens = self
            .provider
            .refresh_narrowed(&self.client_id, &refresh_token, scope, resource)
            .await?;
        if let Some(rotated) = tokens
            .refresh_token
            .take()
            .filter(|new| *new != refresh_token)
        {
            self.supersede(&refresh_token);
            self.keep(StoredSession {
                refresh_token: Some(rotated),
                ..current
            })
            .await;
        }
        Ok(tokens)
    }

    /// Keeps the session fresh in the background for as long as the app runs.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let session = self.clone();
        tokio::spawn(async move {
            let mut backoff = RETRY_FIRST;
            loop {
                let due = lock(&session.tokens)
                    .as_ref()
                    .map(|stored| match stored.refresh_token {
                        Some(_) => refresh_due(stored),
                        None => stored.expires_at,
                    });
                let Some(due) = due else {
                    session.changed.notified().await;
                    continue;
                };
                let spaced = lock(&session.last_refresh)
                    .map(|last| REFRESH_SPACING.saturating_sub(session.clock.since(last)))
                    .unwrap_or_default();
                let wait =
                    Duration::from_secs((due - session.clock.unix_now()).max(0) as u64).max(spaced);
                tokio::select! {
                    _ = session.changed.notified() => continue,
                    () = session.clock.sleep(wait) => {}
                }
                *lock(&session.last_refresh) = Some(session.clock.now());
                match session.refresh(Refresh::IfDue).await {
                    Ok(()) => backoff = RETRY_FIRST,
                    Err(error) => {
                        tracing::warn!(
                            "refresh failed, retrying in {}s: {error}",
                            backoff.as_secs()
                        );
                        tokio::select! {
                            _ = session.changed.notified() => {}
                            () = session.clock.sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(RETRY_MAX);
                    }
                }
            }
        })
    }
}

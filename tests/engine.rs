//! The session over time, in process: the engine and its API against the
//! real provider (oidc-provider, which rotates refresh tokens and revokes
//! a grant whose rotated-away token is replayed), on a clock the test
//! moves forward instead of waiting for tokens to expire
//! (`common::in_process`). What the person and other programs see of the
//! same session (the keychain, the terminal, the window) is tested on the
//! real binary in the other modules.

use crate::common;

use std::time::Duration;

use common::{refresh_request, refresh_token_of, Api, InProcess, Provider, Reply};
use pkce_tray_engine::events::{Phase, Status};
use serde_json::Value;

/// How long a change the clock brought about may take to show: the
/// provider's answer, on a slow shared machine.
const SHOWS_WITHIN: Duration = Duration::from_secs(60);

/// The provider's access tokens' lifetime (`provider.mjs`' default).
const ACCESS_TTL: Duration = Duration::from_secs(3600);

/// Waits until the account's state satisfies `done`, within `SHOWS_WITHIN`.
async fn state_until(rig: &InProcess, what: &str, done: impl FnMut(&Status) -> bool) -> Status {
    let mut states = rig.account().subscribe();
    let status = tokio::time::timeout(SHOWS_WITHIN, states.wait_for(done))
        .await
        .unwrap_or_else(|_| panic!("{what}: not within {SHOWS_WITHIN:?}"))
        .expect("the engine runs")
        .clone();
    status
}

/// A client's generateToken with a refresh token.
async fn refresh(api: &Api, refresh_token: &str) -> Reply {
    api.post_json("/pkce/token", &refresh_request(refresh_token))
        .await
}

fn expires_at(rig: &InProcess) -> i64 {
    rig.account().status().expires_at.expect("signed in")
}

/// 80 % of the access token's lifetime and a second: when the background
/// refresher renews it.
fn refresh_due() -> Duration {
    ACCESS_TTL.mul_f64(0.8) + Duration::from_secs(1)
}

#[tokio::test]
async fn the_access_token_is_refreshed_once_ahead_of_its_expiry() {
    let provider = Provider::start();
    let rig = InProcess::start(&provider.issuer).await;
    rig.sign_in().await;
    let first = expires_at(&rig);
    let (token, _) = rig.account().access_token(Duration::ZERO).await.unwrap();

    // Not due yet: asking for the token costs the provider nothing.
    rig.clock.advance(ACCESS_TTL / 2);
    let (same, _) = rig.account().access_token(Duration::ZERO).await.unwrap();
    assert!(same == token, "the token still valid is answered");
    assert_eq!(provider.refreshes(), 0);

    rig.clock.advance(refresh_due() - ACCESS_TTL / 2);
    let renewed = state_until(&rig, "the token renewed", |status| {
        status.expires_at.is_some_and(|at| at > first)
    })
    .await;
    assert_eq!(renewed.phase, Phase::SignedIn);
    assert_eq!(provider.refreshes(), 1, "{}", provider.log_text());
    let (fresh, _) = rig
        .account()
        .access_token(Duration::from_secs(60))
        .await
        .unwrap();
    assert!(fresh != token, "the renewed token is answered");
    assert_eq!(provider.refreshes(), 1, "and not renewed again");
}

#[tokio::test]
async fn a_rotated_away_refresh_token_is_answered_within_the_reuse_interval_and_refused_after() {
    let provider = Provider::start();
    let rig = InProcess::start(&provider.issuer).await;
    let api = Api::at(&rig.url);
    let (_, token) = api.sign_in().await;
    let first = refresh_token_of(&token);

    let second = refresh(&api, &first).await;
    assert_eq!(second.status, 200, "{}", second.text);
    let second = refresh_token_of(&second.json());
    assert_ne!(second, first, "the provider rotated the token");
    // Replaying the rotated-away token at the provider would make it
    // revoke the whole grant; within the reuse interval (10 s by default)
    // the session answers it with the current tokens instead.
    let replay = refresh(&api, &first).await;
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(refresh_token_of(&replay.json()), second);

    // The session's own refresher goes on along the same chain.
    let before = expires_at(&rig);
    rig.clock.advance(refresh_due());
    let renewed = state_until(&rig, "the session renewed", |status| {
        status.expires_at.is_some_and(|at| at > before)
    })
    .await;
    assert_eq!(renewed.phase, Phase::SignedIn, "the grant holds");

    // Long past the interval, the old token buys nothing.
    let late = refresh(&api, &first).await;
    assert_eq!(late.status, 400, "{}", late.text);
    assert_eq!(late.error(), "invalid_grant");
    let current: Value = api.get("/session").await.json();
    assert_eq!(current["signed_in"], true, "{current}");
    assert!(!late.text.contains(&second));
}

#[tokio::test]
async fn a_grant_revoked_at_the_provider_ends_the_session_at_its_next_refresh() {
    let provider = Provider::start();
    let rig = InProcess::start(&provider.issuer).await;
    let (_, token) = Api::at(&rig.url).sign_in().await;
    provider.revoke(&refresh_token_of(&token));

    rig.clock.advance(refresh_due());
    let ended = state_until(&rig, "the session ended", |status| status.ended).await;
    assert_eq!(ended.phase, Phase::SignedOut);
    assert_eq!(
        ended.message.as_ref().map(|message| message.id()),
        Some("session-refused")
    );
}

#[tokio::test]
async fn callers_of_a_token_near_its_end_all_get_one_renewal() {
    let provider = Provider::start();
    let rig = InProcess::start(&provider.issuer).await;
    rig.sign_in().await;
    let (first, _) = rig.account().access_token(Duration::ZERO).await.unwrap();
    // Ten seconds left; the callers want a minute.
    rig.clock.advance(ACCESS_TTL - Duration::from_secs(10));
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let account = rig.account();
        callers.spawn(async move { account.access_token(Duration::from_secs(60)).await });
    }
    let tokens: Vec<_> = callers
        .join_all()
        .await
        .into_iter()
        .map(|answer| answer.expect("a renewed token").0)
        .collect();
    assert!(
        tokens.iter().all(|token| *token == tokens[0]),
        "the same for all"
    );
    assert!(tokens[0] != first, "a new one");
    assert_eq!(provider.refreshes(), 1, "one refresh for ten callers");
}

#[tokio::test]
async fn a_narrower_token_is_kept_until_it_nears_its_end_then_asked_for_again() {
    let provider = Provider::start();
    let rig = InProcess::start(&provider.issuer).await;
    rig.sign_in().await;
    let account = rig.account();
    let narrow = || account.narrowed_token(Some("openid email"), None, Duration::from_secs(60));
    let (first, _) = narrow().await.expect("a narrower token");
    assert_eq!(provider.refreshes(), 1, "asked for once");
    let (kept, _) = narrow().await.unwrap();
    assert!(kept == first, "kept while it lasts");
    assert_eq!(provider.refreshes(), 1);

    // Within a minute of its end (the session's own token renewed on the
    // way, at 80 % of its life): asked for again.
    let before = expires_at(&rig);
    rig.clock.advance(ACCESS_TTL - Duration::from_secs(30));
    state_until(&rig, "the session renewed", |status| {
        status.expires_at.is_some_and(|at| at > before)
    })
    .await;
    let refreshes = provider.refreshes();
    let (renewed, _) = narrow().await.unwrap();
    assert!(renewed != first, "a new one");
    assert_eq!(provider.refreshes(), refreshes + 1);
}

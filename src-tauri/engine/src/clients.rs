//! The sign-ins that API clients drive (the Pieces PKCE contract):
//! getChallenge, generateCode, generateToken and clearPKCE.

use std::sync::Arc;

use url::Url;

use super::flows::{FlowError, Flows};
use super::pkce::{CodeChallenge, CodeVerifier, Nonce, State};
use super::provider::{AuthorizeRequest, Tokens};
use super::secret::{AuthorizationCode, RefreshToken};
use super::{invalid, lock, Account, Engine, EngineError};

/// A fresh PKCE pair with its state and nonce, registered as pending.
pub struct Challenge {
    pub state: State,
    pub nonce: Nonce,
    pub verifier: CodeVerifier,
    pub challenge: CodeChallenge,
}

/// The seed of an authorization request, as a client sends it (generateCode).
#[derive(Debug)]
pub struct CodeRequest {
    pub client_id: String,
    pub state: State,
    pub nonce: Nonce,
    pub challenge: CodeChallenge,
    pub redirect_uri: Option<String>,
    /// The authorize endpoint the client expects.
    pub domain: Option<String>,
    pub scopes: Vec<String>,
    pub response_mode: Option<String>,
    pub audience: Option<String>,
    pub extra: Vec<(String, String)>,
}

/// A client's attempt while its request waits for the browser. A request
/// that is dropped (the client hung up) abandons its attempt and gives the
/// window and the tray back, and nothing else.
struct Pending<'a> {
    account: &'a Account,
    state: State,
    shown: bool,
    ended: bool,
}

impl Pending<'_> {
    /// The attempt ended with the request still there.
    fn finish<T>(mut self, outcome: &Result<T, EngineError>) {
        if self.shown {
            self.account.release_shown(outcome);
        }
        self.account.tell_sign_in_ended(outcome, true);
        self.ended = true;
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        tracing::info!(
            "a client went away while its sign-in was pending; the attempt is abandoned"
        );
        self.account.common.flows.cancel(&self.state);
        if self.shown {
            lock(&self.account.shown_attempt).take();
            self.account.session.settle(None, false);
        }
    }
}

/// What generateToken hands back: the account the tokens are for, the
/// tokens, and the scope they carry, named even where the provider left
/// it out (RFC 6749 §5.1), since the older Pieces clients require it.
pub struct Exchanged {
    pub account: Arc<Account>,
    pub tokens: Tokens,
    pub scope: String,
}

/// The grants of generateToken.
pub enum Grant {
    AuthorizationCode {
        code: AuthorizationCode,
        verifier: CodeVerifier,
        redirect_uri: String,
    },
    RefreshToken(RefreshToken),
}

/// A fresh attempt; the app's own (`own`) cannot be pushed out by API
/// traffic.
pub(super) fn new_attempt(flows: &Flows, own: bool) -> Challenge {
    let (state, nonce, verifier) = (
        State::generate(),
        Nonce::generate(),
        CodeVerifier::generate(),
    );
    if own {
        flows.register_own(state.clone(), nonce.clone(), &verifier);
    } else {
        flows.register(state.clone(), nonce.clone(), &verifier);
    }
    Challenge {
        challenge: verifier.challenge(),
        state,
        nonce,
        verifier,
    }
}

impl Engine {
    /// getChallenge: a fresh attempt (RFC 7636 §4.1, §4.2), for whichever
    /// account the client's generateCode names.
    pub fn challenge(&self) -> Challenge {
        new_attempt(&self.common.flows, false)
    }

    /// The account a client's request is for: the one configured with its
    /// client id (and, where it names one, its provider), the default
    /// account first among several.
    async fn account_for_client(
        &self,
        client_id: &str,
        domain: Option<&str>,
    ) -> Result<Arc<Account>, EngineError> {
        let default = self.default_account();
        let mut candidates: Vec<Arc<Account>> = self
            .accounts()
            .into_iter()
            .filter(|account| account.config.client_id == client_id)
            .collect();
        candidates.sort_by_key(|account| !Arc::ptr_eq(account, &default));
        let Some(first) = candidates.first().cloned() else {
            return Err(EngineError::Invalid(
                "unauthorized_client",
                format!("client_id {client_id:?} is not the client this app is configured for"),
            ));
        };
        let Some(domain) = domain else {
            return Ok(first);
        };
        for account in &candidates {
            if account.check_domain(domain).await.is_ok() {
                return Ok(account.clone());
            }
        }
        first.check_domain(domain).await.map(|()| first)
    }

    /// generateCode: sends the user to the provider and waits for its answer.
    pub async fn authorize(&self, request: CodeRequest) -> Result<AuthorizationCode, EngineError> {
        let account = self
            .account_for_client(&request.client_id, request.domain.as_deref())
            .await?;
        account.authorize(request).await
    }

    /// generateToken. A code from an attempt the engine saw has its ID token
    /// checked against that attempt's nonce and becomes its account's
    /// session; a refresh token an account's session holds is refreshed
    /// by that session.
    pub async fn exchange(
        &self,
        client_id: &str,
        grant: Grant,
        audience: Option<&str>,
    ) -> Result<Exchanged, EngineError> {
        let (account, tokens, asked) = match grant {
            Grant::AuthorizationCode {
                code,
                verifier,
                redirect_uri,
            } => {
                let redeemed = self.common.flows.redeem(&code);
                let seen = redeemed
                    .as_ref()
                    .and_then(|r| self.account(&r.asked.account).ok())
                    .filter(|account| account.config.client_id == client_id);
                let account = match seen {
                    Some(account) => account,
                    None => self.account_for_client(client_id, None).await?,
                };
                let tokens = {
                    let _work = account.session.token_work().await;
                    let tokens = account
                        .provider
                        .exchange_code(client_id, &code, &verifier, &redirect_uri, audience)
                        .await?;
                    if let (Some(redeemed), Some(id_token)) = (&redeemed, &tokens.id_token) {
                        let claims = account
                            .provider
                            .verify_id_token(id_token, client_id, Some(&redeemed.nonce))
                            .await?;
                        account.session.adopt(&tokens, claims).await?;
                    }
                    tokens
                };
                (account, tokens, redeemed.map(|r| r.asked.scope))
            }
            Grant::RefreshToken(token) => {
                let asked = self.common.granted.of(&token);
                let first = self.account_for_client(client_id, None).await?;
                let mut refreshed = None;
                for account in self.accounts() {
                    if account.config.client_id != client_id {
                        continue;
                    }
                    if let Some(tokens) = account.session.refresh_for_client(&token).await {
                        refreshed = Some((account, tokens?));
                        break;
                    }
                }
                let (account, tokens) = match refreshed {
                    Some(refreshed) => refreshed,
                    None => {
                        let tokens = first.provider.refresh(client_id, &token).await?;
                        (first, tokens)
                    }
                };
                (account, tokens, asked)
            }
        };
        // The provider's word first, then what was asked; where neither is
        // known (a code or a refresh token from elsewhere, or from before
        // a restart), what this app asks for the account at sign-in.
        let scope = tokens
            .scope
            .clone()
            .or(asked)
            .unwrap_or_else(|| account.config.scopes.join(" "));
        if let Some(refresh_token) = &tokens.refresh_token {
            self.common.granted.remember(refresh_token, &scope);
        }
        Ok(Exchanged {
            account,
            tokens,
            scope,
        })
    }

    /// clearPKCE: abandons every attempt; every waiter returns at once.
    pub fn clear(&self) {
        self.common.flows.clear();
    }
}

impl Account {
    /// `domain` may name the authorize endpoint as a URL or, Auth0-style,
    /// the tenant's host; anything else is another provider.
    async fn check_domain(&self, domain: &str) -> Result<(), EngineError> {
        let endpoint = self
            .provider
            .metadata()
            .await?
            .authorization_endpoint
            .clone();
        let same_endpoint = Url::parse(domain).ok().is_some_and(|url| {
            url.scheme() == endpoint.scheme()
                && url.host_str() == endpoint.host_str()
                && url.port_or_known_default() == endpoint.port_or_known_default()
                && url.path().trim_end_matches('/') == endpoint.path().trim_end_matches('/')
        });
        let same_host = Some(domain.trim_end_matches('/')) == endpoint.host_str();
        if same_endpoint || same_host {
            Ok(())
        } else {
            Err(invalid(format!(
                "domain {domain:?} is not this app's provider ({endpoint})"
            )))
        }
    }

    /// A client's generateCode for this account.
    async fn authorize(&self, request: CodeRequest) -> Result<AuthorizationCode, EngineError> {
        let redirect_uri = match request.redirect_uri {
            Some(uri) if self.own_callbacks().contains(&uri) => uri,
            Some(uri) => {
                return Err(invalid(format!(
                    "redirect_uri {uri:?} is not one of this app's callbacks: {}",
                    self.own_callbacks().join(", ")
                )))
            }
            None => self.loopback_callback(),
        };
        // Only answers this app can receive: a fragment never reaches a
        // server, and a private-scheme redirect cannot receive a POST.
        let loopback = redirect_uri.starts_with("http");
        let response_mode =
            match request.response_mode.as_deref() {
                None if loopback => "form_post",
                None => "query",
                Some("form_post") if !loopback => return Err(invalid(
                    "a private-scheme redirect cannot receive form_post; use response_mode query",
                )),
                Some(mode @ ("form_post" | "query")) => mode,
                Some(other) => {
                    return Err(invalid(format!(
                        "response_mode {other} cannot reach this app; use form_post or query"
                    )))
                }
            };
        let state = request.state.clone();
        let (waiter, url) = self
            .begin(AuthorizeRequest {
                client_id: request.client_id,
                redirect_uri,
                state: request.state,
                nonce: request.nonce,
                challenge: request.challenge,
                scopes: request.scopes,
                response_mode: Some(response_mode.to_owned()),
                audience: request.audience.or_else(|| self.config.audience.clone()),
                extra: request.extra,
            })
            .await?;
        // Every front door shows one state: a client's sign-in too, when
        // the window and the tray have none of their own.
        let shown = self.claim_shown(&state);
        let pending = Pending {
            account: self,
            state,
            shown,
            ended: false,
        };
        if shown {
            self.session.set_signing_in(url.to_string());
        }
        self.open_browser(url.as_str(), "the sign-in page");
        let answer = waiter
            .answer(self.common.code_timeout)
            .await
            .map_err(EngineError::from);
        pending.finish(&answer);
        answer
    }

    /// Takes the window and the tray for an attempt, unless one holds them.
    pub(super) fn claim_shown(&self, state: &State) -> bool {
        let mut shown = lock(&self.shown_attempt);
        if shown.is_some() {
            return false;
        }
        *shown = Some(state.clone());
        true
    }

    /// Gives them back, showing how the attempt ended.
    pub(super) fn release_shown<T>(&self, outcome: &Result<T, EngineError>) {
        lock(&self.shown_attempt).take();
        match outcome {
            Ok(_) | Err(EngineError::Flow(FlowError::Cleared)) => self.session.settle(None, false),
            Err(error) => self.session.settle(Some(error.said()), true),
        }
    }
}

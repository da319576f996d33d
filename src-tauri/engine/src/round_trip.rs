//! The browser's round trip: the authorization URL it is sent to, the
//! redirect URIs it comes back to, and the answer it brings (a loopback
//! callback or a deep link), handed to the attempt that waits for it.

use url::Url;

use super::config::{
    callback_path, RedirectMode, CALLBACK_PATH, DEEP_LINK_CALLBACK, DEEP_LINK_SCHEME,
};
use super::flows::{Asked, FlowError, Waiter};
use super::provider::{AuthorizeRequest, ProviderError};
use super::secret::AuthorizationCode;
use super::{invalid, text, Account, Engine, EngineError};

/// What the provider sent to the redirect URI (RFC 6749 §4.1.2, RFC 9207).
/// No `Debug`: it carries the code.
#[derive(Default)]
pub struct Callback {
    /// The path it came back to: [`CALLBACK_PATH`] or an account's own
    /// below it (see [`callback_path`]).
    pub path: String,
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl Account {
    /// The loopback callback (RFC 8252 §7.3), with the literal 127.0.0.1.
    pub(super) fn loopback_callback(&self) -> String {
        format!("{}{}", self.common.api_url(), callback_path(self.name()))
    }

    /// The deep-link callback, under the app's private scheme.
    fn deep_link_callback(&self) -> String {
        format!("{DEEP_LINK_SCHEME}:{}", callback_path(self.name()))
    }

    /// The redirect URI of the engine's own sign-in.
    pub fn redirect_uri(&self) -> String {
        match self.config.redirect {
            RedirectMode::Loopback => self.loopback_callback(),
            RedirectMode::DeepLink => self.deep_link_callback(),
        }
    }

    /// The redirect URIs to register at the provider for this account:
    /// its loopback callback on the port the API listens on, and its deep
    /// link.
    pub fn redirect_uris(&self) -> [String; 2] {
        [self.loopback_callback(), self.deep_link_callback()]
    }

    /// Whether `redirect_uri` is this app's loopback callback on a port
    /// other than the configured one (the fallback), which a provider that
    /// matches redirect URIs exactly has never heard of.
    fn on_fallback_port(&self, redirect_uri: &str) -> bool {
        self.common.port != self.common.wanted_port
            && self.common.wanted_port != 0
            && self.loopback_callbacks().contains(&redirect_uri.to_owned())
    }

    /// The loopback callbacks, by address and by name.
    fn loopback_callbacks(&self) -> [String; 2] {
        [
            self.loopback_callback(),
            format!(
                "http://localhost:{}{}",
                self.common.port,
                callback_path(self.name())
            ),
        ]
    }

    /// The callbacks this account's sign-ins answer at: a client may pick
    /// any of them, and no other, so a sign-in never lands at a foreign
    /// host, nor at another account's callback.
    pub(super) fn own_callbacks(&self) -> [String; 3] {
        let [by_address, by_name] = self.loopback_callbacks();
        [by_address, by_name, self.deep_link_callback()]
    }

    /// What an attempt of this account asks for `scopes`.
    pub(super) fn asked(&self, scopes: &[String]) -> Asked {
        Asked {
            account: self.name().to_owned(),
            scope: scopes.join(" "),
        }
    }

    /// Waits on the attempt's state and builds its authorize URL; an
    /// attempt cancelled meanwhile opens no browser.
    pub(super) async fn begin(
        &self,
        request: AuthorizeRequest,
    ) -> Result<(Waiter, Url), EngineError> {
        let waiter = self.common.flows.wait_for(
            &request.state,
            &request.nonce,
            &request.challenge,
            self.asked(&request.scopes),
        )?;
        let moved = self.on_fallback_port(&request.redirect_uri);
        let refused = |cause: ProviderError| {
            if moved && cause.refuses_the_request() {
                EngineError::RedirectRefused {
                    redirect_uri: request.redirect_uri.clone(),
                    port: self.common.port,
                    wanted: self.common.wanted_port,
                    cause,
                }
            } else {
                cause.into()
            }
        };
        let authorization = self
            .provider
            .authorize_url(&request, self.config.par)
            .await
            .map_err(refused)?;
        // A pushed request had its redirect URI checked at the push, and
        // its request_uri is for the browser's one use (RFC 9126 §4).
        if moved && !authorization.pushed {
            self.provider
                .try_authorize(&authorization.url)
                .await
                .map_err(refused)?;
        }
        let url = authorization.url;
        if !self.common.flows.is_waiting(request.state.as_str()) {
            return Err(FlowError::Cleared.into());
        }
        Ok((waiter, url))
    }

    /// Opens `what` (a page named for the log) in the system browser, or
    /// says where it is.
    pub(super) fn open_browser(&self, url: &str, what: &str) {
        match self.common.browser.open(url) {
            Ok(()) => tracing::info!("opened {what} in the browser"),
            Err(error) => {
                tracing::warn!("no browser could be opened ({error}); open {what} yourself: {url}")
            }
        }
    }
}

/// Whether `path` is the callback's or one below it (an account's).
pub fn is_callback_path(path: &str) -> bool {
    path == CALLBACK_PATH
        || path
            .strip_prefix(CALLBACK_PATH)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

impl Engine {
    /// respondWithCode and deep links: hands the provider's answer to the
    /// waiting attempt. A wrong or unknown state changes nothing.
    pub async fn callback(&self, callback: Callback) -> Result<(), EngineError> {
        let state = callback
            .state
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("state is required"))?;
        let account = self
            .common
            .flows
            .account_waiting(&state)
            .ok_or(FlowError::UnknownState)?;
        let account = self.account(&account)?;
        // RFC 9700 §4.4.2: an answer counts only at the callback its
        // attempt's account sent the browser to; one at another account's
        // came from a provider that was not asked (a mix-up), and leaves
        // the attempt waiting for the genuine answer.
        if callback.path != callback_path(account.name()) {
            tracing::warn!(
                "an answer for a sign-in to {} came back to another account's callback; refused (a provider may be sending people on to another's)",
                account.name()
            );
            return Err(FlowError::WrongCallback.into());
        }
        tracing::debug!("the provider answered at the callback");
        // RFC 9207 §2.4: errors too must come from the attempt's provider.
        account
            .provider
            .check_response_issuer(callback.iss.as_deref())
            .await?;
        if let Some(error) = callback.error {
            let description = callback.error_description.unwrap_or_else(|| error.clone());
            self.common
                .flows
                .answer(&state, Err(FlowError::Provider { error, description }))?;
            return Ok(());
        }
        let code = callback
            .code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| invalid("code is required"))?;
        if !text::is_token_value(&code) {
            return Err(invalid(
                "code holds characters no code may have (RFC 6749 Appendix A)",
            ));
        }
        self.common
            .flows
            .answer(&state, Ok(AuthorizationCode::new(code)))?;
        Ok(())
    }

    /// An `app.pkcetray.desktop:/pkce/response/code[/<account>]?...` link
    /// handed over by the OS.
    pub async fn deep_link(&self, link: &str) -> Result<(), EngineError> {
        let url = Url::parse(link).map_err(|_| invalid("the link is not a URL"))?;
        let mut bare = url.clone();
        bare.set_query(None);
        let path = bare
            .as_str()
            .strip_prefix(DEEP_LINK_SCHEME)
            .and_then(|rest| rest.strip_prefix(':'))
            .filter(|path| is_callback_path(path))
            .ok_or_else(|| invalid(format!("this app's links go to {DEEP_LINK_CALLBACK}")))?;
        let mut callback = Callback {
            path: path.to_owned(),
            ..Callback::default()
        };
        for (name, value) in url.query_pairs() {
            let slot = match name.as_ref() {
                "code" => &mut callback.code,
                "state" => &mut callback.state,
                "iss" => &mut callback.iss,
                "error" => &mut callback.error,
                "error_description" => &mut callback.error_description,
                _ => continue,
            };
            *slot = Some(value.into_owned());
        }
        self.callback(callback).await
    }
}

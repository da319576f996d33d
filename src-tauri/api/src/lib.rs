//! The PKCE API of the Pieces OS client SDKs, plus `/session`, on
//! 127.0.0.1. Handlers parse, call the engine, and shape the answer.
//!
//! Below it the engine, the words and the local connections' helpers; it
//! may not import the apps (`pkce-tray`, `pkce-tray-window`) or Tauri.

mod error;
#[cfg(windows)]
#[allow(unsafe_code)] // setsockopt has no safe wrapper
mod exclusive;
mod guard;
pub mod models;
mod pages;
pub(crate) mod server;

use pkce_tray_i18n::Say;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

pub use error::ApiError;
use models::{
    Auth0, Auth0Redirects, ChallengeMethod, ChallengedPkce, GrantType, OAuthGroup, OAuthToken,
    Pkce, Prompt, ResponseType, ResultedPkce, ScreenHint, SeededPkce, TokenType, TokenizedPkce,
};
pub use server::{bind, serve};

use pkce_tray_engine::config::CALLBACK_PATH;
use pkce_tray_engine::events::{Phase, User};
use pkce_tray_engine::flows::FlowError;
use pkce_tray_engine::pkce::{CodeChallenge, CodeVerifier, Nonce, State as OAuthState};
use pkce_tray_engine::secret::{AuthorizationCode, RefreshToken};
use pkce_tray_engine::{Account, Callback, CodeRequest, Engine, EngineError, Exchanged, Grant};

/// Requests are small JSON or form bodies; anything larger is refused.
const BODY_LIMIT: usize = 16 * 1024;

/// The OpenAPI 3 document of this API, kept beside the code.
pub const OPENAPI: &str = include_str!("openapi.json");

/// JSON bodies whose rejections speak the API's error format.
#[derive(FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
struct ApiJson<T>(T);

/// Queries whose rejections speak the API's error format.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
struct ApiQuery<T>(T);

/// The routes, with the guard and the body cap.
pub fn router(engine: Arc<Engine>, port: u16) -> Router {
    Router::new()
        .route("/pkce/challenge", get(challenge))
        .route("/pkce/code", post(code))
        .route(CALLBACK_PATH, post(callback_form).get(callback_query))
        // Each account's own (engine::config::callback_path).
        .route(
            &format!("{CALLBACK_PATH}/{{account}}"),
            post(callback_form).get(callback_query),
        )
        .route("/pkce/token", post(token))
        .route("/pkce/clear", post(clear))
        .route("/session", get(session))
        .route("/session/sign-out", post(sign_out))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // A client that stops sending its body mid-way is let go.
        .layer(RequestBodyTimeoutLayer::new(server::BODY_TIMEOUT))
        // Challenges and tokens must not be cached (RFC 6749 §5.1).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // No answer is to be sniffed into something else, and no page
        // (the callback's included) tells another site where it came from.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(axum::middleware::from_fn_with_state(port, guard::guard))
        .with_state(engine)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see /openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /openapi.json",
    )
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// getChallenge.
async fn challenge(State(engine): State<Arc<Engine>>) -> Json<Pkce> {
    let attempt = engine.challenge();
    Json(Pkce {
        challenge: Some(ChallengedPkce {
            schema: None,
            state: attempt.state.as_str().to_owned(),
            nonce: attempt.nonce.as_str().to_owned(),
            challenge: attempt.challenge.as_str().to_owned(),
            method: ChallengeMethod::S256,
            verifier: attempt.verifier.secret().to_owned(),
        }),
        ..Pkce::new()
    })
}

/// Turns a seed into the engine's request, refusing what the contract or
/// RFC 9700 rules out.
fn code_request(seed: &SeededPkce) -> Result<CodeRequest, ApiError> {
    match seed.response_type {
        ResponseType::Code => {}
        ResponseType::Token | ResponseType::IdToken => return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_response_type",
            "only response_type=code is supported: the implicit flow is unsafe (RFC 9700 §2.1.2)",
        )),
        ResponseType::Unknown => return Err(ApiError::bad_request("response_type must be code")),
    }
    if seed.code_challenge_method != ChallengeMethod::S256 {
        return Err(ApiError::bad_request("code_challenge_method must be S256"));
    }
    for (name, value) in [
        ("state", &seed.state),
        ("nonce", &seed.nonce),
        ("code_challenge", &seed.code_challenge),
        ("client_id", &seed.client_id),
    ] {
        if value.is_empty() {
            return Err(ApiError::bad_request(format!("{name} must not be empty")));
        }
    }
    let scopes: Vec<String> = seed
        .scope
        .iter()
        .filter_map(|s| s.given())
        .map(str::to_owned)
        .collect();
    if scopes.is_empty() {
        return Err(ApiError::bad_request("scope must name at least one scope"));
    }
    let additional = seed.additional_parameters.as_ref();
    let extra = [
        ("screen_hint", seed.screen_hint.and_then(ScreenHint::given)),
        ("prompt", seed.prompt.and_then(Prompt::given)),
        ("organization", seed.organization.as_deref()),
        ("invitation", seed.invitation.as_deref()),
        (
            "access_type",
            additional.and_then(|p| p.access_type?.given()),
        ),
        ("display", additional.and_then(|p| p.display?.given())),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        Some((name.to_owned(), value.filter(|v| !v.is_empty())?.to_owned()))
    })
    .collect();
    let given = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    Ok(CodeRequest {
        client_id: seed.client_id.clone(),
        state: OAuthState::new(seed.state.clone()),
        nonce: Nonce::new(seed.nonce.clone()),
        challenge: CodeChallenge::new(seed.code_challenge.clone()),
        redirect_uri: given(&seed.redirect_uri),
        domain: given(&seed.domain),
        scopes,
        response_mode: seed
            .response_mode
            .and_then(|m| m.given())
            .map(str::to_owned),
        audience: given(&seed.audience),
        extra,
    })
}

/// generateCode: waits for the browser's round trip.
async fn code(
    State(engine): State<Arc<Engine>>,
    ApiJson(seed): ApiJson<SeededPkce>,
) -> Result<Json<Pkce>, ApiError> {
    let request = code_request(&seed)?;
    let state = seed.state.clone();
    let code = engine.authorize(request).await?;
    Ok(Json(Pkce {
        seed: Some(seed),
        result: Some(ResultedPkce {
            schema: None,
            code: code.secret().to_owned(),
            state,
        }),
        ..Pkce::new()
    }))
}

/// The redirect's parameters, from a form_post body or a query string.
/// No `Debug`: it carries the code.
#[derive(Deserialize)]
struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback_form(
    State(engine): State<Arc<Engine>>,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CallbackParams>, FormRejection>,
) -> Response {
    match form {
        Ok(Form(params)) => respond_to_callback(&engine, uri.path(), &headers, params).await,
        Err(rejection) => ApiError::from(rejection).into_response_for(&headers),
    }
}

async fn callback_query(
    State(engine): State<Arc<Engine>>,
    uri: Uri,
    headers: HeaderMap,
    query: Result<Query<CallbackParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match query {
        Ok(Query(params)) => respond_to_callback(&engine, uri.path(), &headers, params).await,
        Err(rejection) => ApiError::from(rejection).into_response_for(&headers),
    }
}

/// respondWithCode: a page for the person's browser, `PKCE` for a client.
async fn respond_to_callback(
    engine: &Engine,
    path: &str,
    headers: &HeaderMap,
    params: CallbackParams,
) -> Response {
    let provider_error = params.error.clone().map(|error| FlowError::Provider {
        description: params
            .error_description
            .clone()
            .unwrap_or_else(|| error.clone()),
        error,
    });
    let result = params.code.clone().zip(params.state.clone());
    let outcome = engine
        .callback(Callback {
            path: path.to_owned(),
            code: params.code,
            state: params.state,
            iss: params.iss,
            error: params.error,
            error_description: params.error_description,
        })
        .await;
    match (outcome, provider_error, result) {
        (Err(error), _, _) => ApiError::from(error).into_response_for(headers),
        // The waiting request has the provider's error; the browser hears it too.
        (Ok(()), Some(error), _) => {
            ApiError::from(EngineError::from(error)).into_response_for(headers)
        }
        (Ok(()), None, _) if pages::wants_html(headers) => pages::success(),
        (Ok(()), None, Some((code, state))) => Json(Pkce {
            result: Some(ResultedPkce {
                schema: None,
                code,
                state,
            }),
            ..Pkce::new()
        })
        .into_response(),
        (Ok(()), None, None) => {
            ApiError::bad_request("code and state are required").into_response_for(headers)
        }
    }
}

/// The tokens as generateToken hands them over: the one place a token
/// becomes JSON for a client.
fn tokens_answer(exchanged: Exchanged, audience: Option<String>) -> Pkce {
    let Exchanged {
        account,
        tokens,
        scope,
    } = exchanged;
    let issuer = account.provider().issuer();
    let domain = match issuer.port() {
        Some(port) => format!("{}:{port}", issuer.host_str().unwrap_or_default()),
        None => issuer.host_str().unwrap_or_default().to_owned(),
    };
    Pkce {
        auth0: Some(Auth0 {
            schema: None,
            domain,
            client: account.config().client_id.clone(),
            audience: audience
                .or_else(|| account.config().audience.clone())
                .unwrap_or_default(),
            redirects: Auth0Redirects::default(),
            oauth: OAuthGroup {
                schema: None,
                token: Some(OAuthToken {
                    schema: None,
                    access_token: tokens.access_token.secret().to_owned(),
                    // The provider client accepts bearer tokens only, in any
                    // case; the contract's enum knows only "Bearer".
                    token_type: TokenType::Bearer,
                    expires_in: tokens.expires_in as i64,
                    scope,
                    refresh_token: tokens.refresh_token.as_ref().map(|t| t.secret().to_owned()),
                    id_token: tokens.id_token.as_ref().map(|t| t.secret().to_owned()),
                }),
            },
        }),
        ..Pkce::new()
    }
}

/// generateToken.
async fn token(
    State(engine): State<Arc<Engine>>,
    ApiJson(request): ApiJson<TokenizedPkce>,
) -> Result<Json<Pkce>, ApiError> {
    if request.code.is_empty() {
        return Err(ApiError::bad_request("code must not be empty"));
    }
    let audience = request.audience.clone().filter(|a| !a.is_empty());
    let grant = match request.grant_type {
        GrantType::AuthorizationCode => Grant::AuthorizationCode {
            code: AuthorizationCode::new(request.code),
            verifier: CodeVerifier::parse(&request.code_verifier).ok_or_else(|| {
                ApiError::bad_request(
                    "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)",
                )
            })?,
            redirect_uri: request.redirect_uri,
        },
        GrantType::RefreshToken => Grant::RefreshToken(RefreshToken::new(request.code)),
        GrantType::Unknown => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be authorization_code or refresh_token",
            ))
        }
    };
    let exchanged = {
        let (engine, audience) = (engine.clone(), audience.clone());
        to_the_end(async move {
            engine
                .exchange(&request.client_id, grant, audience.as_deref())
                .await
        })
        .await?
    };
    Ok(Json(tokens_answer(exchanged, audience)))
}

/// Runs an exchange with the provider whose result must be kept whatever
/// the client does: a token rotated by a refresh, a sign-in adopted, a
/// revocation. Dropping a request (the client hung up) does not cancel a
/// spawned task.
async fn to_the_end<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T, EngineError>> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::spawn(work).await {
        Ok(outcome) => Ok(outcome?),
        Err(error) => {
            tracing::error!("an exchange with the provider failed unexpectedly: {error}");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "the exchange with the provider failed unexpectedly; try again",
            ))
        }
    }
}

/// clearPKCE.
async fn clear(State(engine): State<Arc<Engine>>) -> StatusCode {
    engine.clear();
    StatusCode::NO_CONTENT
}

/// What `/session` shows: the default account (who is signed in, never a
/// token), and every account in brief.
#[derive(Serialize)]
struct SessionView {
    signed_in: bool,
    state: Phase,
    user: Option<User>,
    expires_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keychain_warning: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked: Option<bool>,
    /// The account described above.
    account: String,
    accounts: Vec<AccountSummary>,
}

/// One account in `/session`'s list.
#[derive(Serialize)]
struct AccountSummary {
    name: String,
    default: bool,
    issuer: String,
    signed_in: bool,
    state: Phase,
    user: Option<User>,
    expires_at: Option<i64>,
}

fn session_view(engine: &Engine, account: &Account, revoked: Option<bool>) -> SessionView {
    let status = account.status();
    SessionView {
        signed_in: status.signed_in(),
        state: status.phase,
        user: status.user,
        expires_at: status.expires_at,
        message: status.message.map(|said| said.english()),
        keychain_warning: status.keychain_warning.map(|said| said.english()),
        revoked,
        account: account.name().to_owned(),
        accounts: engine
            .accounts_marked()
            .into_iter()
            .map(|(each, default)| {
                let status = each.status();
                AccountSummary {
                    name: each.name().to_owned(),
                    default,
                    issuer: each.config().issuer.to_string(),
                    signed_in: status.signed_in(),
                    state: status.phase,
                    user: status.user,
                    expires_at: status.expires_at,
                }
            })
            .collect(),
    }
}

/// `?account=NAME`: which account a `/session` call is about (the
/// default one without it).
#[derive(Deserialize)]
struct Addressed {
    account: Option<String>,
}

async fn session(
    State(engine): State<Arc<Engine>>,
    ApiQuery(addressed): ApiQuery<Addressed>,
) -> Result<Json<SessionView>, ApiError> {
    let account = engine.account_or_default(addressed.account.as_deref())?;
    Ok(Json(session_view(&engine, &account, None)))
}

async fn sign_out(
    State(engine): State<Arc<Engine>>,
    ApiQuery(addressed): ApiQuery<Addressed>,
) -> Result<Json<SessionView>, ApiError> {
    let account = engine.account_or_default(addressed.account.as_deref())?;
    let outcome = {
        let account = account.clone();
        to_the_end(async move { account.sign_out().await }).await?
    };
    Ok(Json(session_view(&engine, &account, Some(outcome.revoked))))
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            ".{0,20}".prop_map(serde_json::Value::from),
            Just(serde_json::json!(["openid", "email"])),
            Just(serde_json::json!("code")),
            Just(serde_json::json!("S256")),
            Just(serde_json::json!("form_post")),
            Just(serde_json::json!({"access_type": "offline"})),
        ]
    }

    proptest! {
        /// generateCode bodies of any shape: parsed or refused, never a
        /// panic; a seed that parses becomes a request or a clear error.
        #[test]
        fn any_seeded_pkce_body_is_parsed_or_refused(
            fields in proptest::collection::btree_map(
                prop_oneof![
                    Just("response_type"), Just("state"), Just("nonce"),
                    Just("code_challenge"), Just("code_challenge_method"),
                    Just("scope"), Just("client_id"), Just("redirect_uri"),
                    Just("domain"), Just("response_mode"), Just("prompt"),
                    Just("screen_hint"), Just("additionalParameters"), Just("audience"),
                ],
                value(),
                0..14,
            ),
            noise in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let body = serde_json::to_vec(&fields).unwrap();
            if let Ok(seed) = serde_json::from_slice::<SeededPkce>(&body) {
                if let Err(error) = code_request(&seed) {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
            let _ = serde_json::from_slice::<SeededPkce>(&noise);
        }
    }
}

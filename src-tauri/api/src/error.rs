//! The one mapping from every failure to an HTTP answer: a status and a JSON
//! body `{error, error_description}` (RFC 6749 §5.2's shape), or a page for
//! a person's browser.

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pkce_tray_i18n::Say;
use serde::Serialize;

use super::pages;
use pkce_tray_engine::flows::FlowError;
use pkce_tray_engine::provider::ProviderError;
use pkce_tray_engine::session::SessionError;
use pkce_tray_engine::vault::VaultError;
use pkce_tray_engine::EngineError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{description}")]
    Request {
        status: StatusCode,
        error: &'static str,
        description: String,
    },
}

/// The HTTP status of each of the engine's failures, exhaustive.
fn status(error: &EngineError) -> StatusCode {
    use StatusCode as S;
    let provider = |provider: &ProviderError| match provider {
        ProviderError::OAuth { status, .. } => S::from_u16(*status).unwrap_or(S::BAD_REQUEST),
        ProviderError::TimedOut(_) => S::GATEWAY_TIMEOUT,
        ProviderError::Unreachable(_)
        | ProviderError::Untrusted(_)
        | ProviderError::Answered { .. }
        | ProviderError::BadResponse(_)
        | ProviderError::NoRevocation
        | ProviderError::NoDeviceFlow
        | ProviderError::NoPushedRequests
        | ProviderError::InvalidIdToken(_) => S::BAD_GATEWAY,
    };
    match error {
        EngineError::Invalid(..) => S::BAD_REQUEST,
        EngineError::Busy => S::CONFLICT,
        EngineError::UnknownAccount { .. } => S::NOT_FOUND,
        EngineError::Config(_) => S::INTERNAL_SERVER_ERROR,
        EngineError::RedirectRefused { .. } => S::BAD_GATEWAY,
        EngineError::Flow(flow) => match flow {
            FlowError::UnknownState | FlowError::WrongCallback | FlowError::ChallengeMismatch => {
                S::BAD_REQUEST
            }
            FlowError::AlreadyWaiting | FlowError::Cleared => S::CONFLICT,
            FlowError::TooManyWaiting => S::TOO_MANY_REQUESTS,
            FlowError::TimedOut(_) => S::REQUEST_TIMEOUT,
            FlowError::Provider { error, .. } if error == "access_denied" => S::FORBIDDEN,
            FlowError::Provider { .. } => S::BAD_REQUEST,
        },
        EngineError::Provider(error) => provider(error),
        EngineError::Session(session) => match session {
            SessionError::Provider(error) => provider(error),
            SessionError::Vault(VaultError::Unavailable(_) | VaultError::Corrupt) => {
                S::SERVICE_UNAVAILABLE
            }
            SessionError::NotSignedIn
            | SessionError::CannotRenew(_)
            | SessionError::CannotNarrow => S::CONFLICT,
            SessionError::Superseded(_) => S::BAD_REQUEST,
        },
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self::Request {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// Status and OAuth-style error code (the engine's one map of codes).
    fn parts(&self) -> (StatusCode, &str) {
        match self {
            Self::Request { status, error, .. } => (*status, error),
            Self::Engine(error) => (status(error), error.code()),
        }
    }

    /// The provider's own description where it gave one, else ours.
    fn description(&self) -> String {
        match self {
            Self::Engine(EngineError::Flow(FlowError::Provider { description, .. }))
            | Self::Engine(EngineError::Provider(ProviderError::OAuth { description, .. })) => {
                description.clone()
            }
            other => other.to_string(),
        }
    }

    /// A page for a person's browser (the engine's reason in their
    /// language), JSON for a program.
    pub fn into_response_for(self, headers: &HeaderMap) -> Response {
        if pages::wants_html(headers) {
            let (status, _) = self.parts();
            let reason = match &self {
                Self::Engine(error) => error.said().for_person(),
                Self::Request { description, .. } => description.clone(),
            };
            (status, pages::failure(&reason)).into_response()
        } else {
            self.into_response()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = self.parts();
        let description = self.description();
        if status.is_server_error() {
            tracing::warn!("{status}: {description}");
        }
        let body = ErrorBody {
            error,
            error_description: &description,
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body stays unread and the server drops the
            // connection: say so, or a client reuses it and fails.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let error = match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => "request_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_request",
        };
        let status = match rejection.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        Self::new(status, error, rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::bad_request(rejection.body_text())
    }
}

impl From<FormRejection> for ApiError {
    fn from(rejection: FormRejection) -> Self {
        let status = match rejection.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        Self::new(status, "invalid_request", rejection.body_text())
    }
}

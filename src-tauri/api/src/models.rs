//! The wire models of the PKCE API, named and shaped as the Pieces OS
//! client SDKs generate them (the contract's OpenAPI document is
//! `src-tauri/api/src/openapi.json`, described in `docs/pkce-api.md`).
//! Strict clients parse these: every required field present, enums exact.

use serde::{Deserialize, Serialize};

/// `EmbeddedModelSchema`, carried by every model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub migration: i64,
    pub semantic: String,
}

impl Schema {
    pub fn current() -> Self {
        Self {
            migration: 0,
            semantic: "MAJOR_0_MINOR_0_PATCH_1".into(),
        }
    }
}

/// The envelope of every answer. The models that carry a verifier, a code
/// or a token have no `Debug`, so none can reach a log by accident.
#[derive(Default, Serialize, Deserialize)]
pub struct Pkce {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<ChallengedPkce>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<SeededPkce>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultedPkce>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenizedPkce>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth0: Option<Auth0>,
}

impl Pkce {
    pub fn new() -> Self {
        Self {
            schema: Some(Schema::current()),
            ..Self::default()
        }
    }
}

/// Generated enums all carry `UNKNOWN`, which clients send as a default;
/// it means "not given".
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
            #[serde(rename = "UNKNOWN")]
            Unknown,
        }

        impl $name {
            /// The wire value, or `None` for `UNKNOWN`.
            pub fn given(self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some($wire),)+
                    Self::Unknown => None,
                }
            }
        }
    };
}

wire_enum!(ChallengeMethod { S256 = "S256" });
wire_enum!(ResponseType { Code = "code", Token = "token", IdToken = "id_token" });
wire_enum!(Scope { OpenId = "openid", Profile = "profile", Email = "email", OfflineAccess = "offline_access" });
wire_enum!(ScreenHint { Signup = "signup" });
wire_enum!(Prompt { Login = "login", None = "none" });
wire_enum!(ResponseMode { FormPost = "form_post", Query = "query", Fragment = "fragment", WebMessage = "web_message" });
wire_enum!(AccessType { Offline = "offline" });
wire_enum!(Display { Popup = "popup" });
wire_enum!(GrantType { AuthorizationCode = "authorization_code", RefreshToken = "refresh_token" });
wire_enum!(TokenType { Bearer = "Bearer" });

/// `ChallengedPKCE`: the answer of getChallenge.
#[derive(Serialize, Deserialize)]
pub struct ChallengedPkce {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub state: String,
    pub nonce: String,
    pub challenge: String,
    pub method: ChallengeMethod,
    pub verifier: String,
}

/// `SeededPKCEADDITIONALPARAMETERS`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdditionalParameters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_type: Option<AccessType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<Display>,
}

/// `SeededPKCE`: the seed of an authorization request (generateCode).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeededPkce {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub response_type: ResponseType,
    pub state: String,
    pub nonce: String,
    pub code_challenge: String,
    pub code_challenge_method: ChallengeMethod,
    pub scope: Vec<Scope>,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screen_hint: Option<ScreenHint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Prompt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_mode: Option<ResponseMode>,
    #[serde(
        rename = "ADDITIONAL_PARAMETERS",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_parameters: Option<AdditionalParameters>,
}

/// `ResultedPKCE`: the code and the state it answers.
#[derive(Serialize, Deserialize)]
pub struct ResultedPkce {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub code: String,
    pub state: String,
}

/// `TokenizedPKCE`: the request of generateToken.
#[derive(Serialize, Deserialize)]
pub struct TokenizedPkce {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub grant_type: GrantType,
    pub client_id: String,
    /// The code, or for `refresh_token` the refresh token.
    pub code: String,
    pub redirect_uri: String,
    pub code_verifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// `Auth0Redirects`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Auth0Redirects {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unauthenticated: Option<String>,
}

/// `OAuthToken`.
#[derive(Serialize, Deserialize)]
pub struct OAuthToken {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub access_token: String,
    pub token_type: TokenType,
    pub expires_in: i64,
    /// Optional in the newest clients, required in 1.x to 3.x: always sent.
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// `OAuthGroup`.
#[derive(Serialize, Deserialize)]
pub struct OAuthGroup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<OAuthToken>,
}

/// `Auth0`: how generateToken hands the tokens over.
#[derive(Serialize, Deserialize)]
pub struct Auth0 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub domain: String,
    pub client: String,
    pub audience: String,
    pub redirects: Auth0Redirects,
    #[serde(rename = "oAuth")]
    pub oauth: OAuthGroup,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_clients_seed_parses_with_unknown_defaults() {
        let seed: SeededPkce = serde_json::from_value(serde_json::json!({
            "schema": {"migration": 0, "semantic": "MAJOR_0_MINOR_0_PATCH_1"},
            "response_type": "code", "state": "s", "nonce": "n",
            "code_challenge": "c", "code_challenge_method": "S256",
            "scope": ["openid", "email", "offline_access"], "client_id": "id",
            "screen_hint": "UNKNOWN", "prompt": "none", "response_mode": "UNKNOWN",
            "ADDITIONAL_PARAMETERS": {"access_type": "offline", "display": "UNKNOWN"}
        }))
        .unwrap();
        assert_eq!(seed.prompt.and_then(Prompt::given), Some("none"));
        assert_eq!(seed.screen_hint.and_then(ScreenHint::given), None);
        assert_eq!(seed.scope.len(), 3);
        let back = serde_json::to_value(&seed).unwrap();
        assert_eq!(back["ADDITIONAL_PARAMETERS"]["access_type"], "offline");
        assert!(
            back.get("redirect_uri").is_none(),
            "absent optionals stay absent"
        );
    }

    #[test]
    fn enum_values_outside_the_contract_are_refused() {
        assert!(serde_json::from_str::<ChallengeMethod>("\"plain\"").is_err());
        assert!(serde_json::from_str::<TokenType>("\"bearer\"").is_err());
    }

    #[test]
    fn tokens_travel_in_the_auth0_shape() {
        let answer = Pkce {
            auth0: Some(Auth0 {
                schema: None,
                domain: "tenant.example".into(),
                client: "id".into(),
                audience: "".into(),
                redirects: Auth0Redirects::default(),
                oauth: OAuthGroup {
                    schema: None,
                    token: Some(OAuthToken {
                        schema: None,
                        access_token: "at".into(),
                        token_type: TokenType::Bearer,
                        expires_in: 60,
                        scope: "openid offline_access".into(),
                        refresh_token: Some("rt".into()),
                        id_token: None,
                    }),
                },
            }),
            ..Pkce::new()
        };
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["auth0"]["oAuth"]["token"]["token_type"], "Bearer");
        assert_eq!(json["auth0"]["oAuth"]["token"]["expires_in"], 60);
        assert_eq!(
            json["auth0"]["oAuth"]["token"]["scope"],
            "openid offline_access"
        );
        assert_eq!(json["auth0"]["redirects"], serde_json::json!({}));
        assert_eq!(json["schema"]["semantic"], "MAJOR_0_MINOR_0_PATCH_1");
    }
}

//! Who is signed in, as the provider describes them: the ID token's
//! claims, completed by UserInfo.

use serde::{Deserialize, Serialize};

use crate::provider::IdClaims;

/// Who is signed in, from the ID token's claims. Display data, no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
}

impl User {
    /// Whether a claim worth showing is missing: a provider may serve them
    /// from UserInfo alone (OpenID Connect Core §5.4).
    pub fn is_incomplete(&self) -> bool {
        self.name.is_none() || self.email.is_none() || self.picture.is_none()
    }

    /// These claims brought up to date by a UserInfo answer; `None` when
    /// the answer describes someone else (OpenID Connect Core §5.3.2).
    pub fn updated_by(&self, info: User) -> Option<User> {
        (info.sub == self.sub).then(|| User {
            name: info.name.or_else(|| self.name.clone()),
            email: info.email.or_else(|| self.email.clone()),
            picture: info.picture.or_else(|| self.picture.clone()),
            sub: info.sub,
        })
    }

    /// The name to show: the display name, else the email, else the subject.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .unwrap_or(&self.sub)
    }
}

/// The person an ID token names.
impl From<IdClaims> for User {
    fn from(claims: IdClaims) -> Self {
        Self {
            sub: claims.sub,
            name: claims.name,
            email: claims.email,
            picture: claims.picture,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_completes_the_profile_of_the_same_subject_only() {
        let from_id_token = User {
            sub: "alice".into(),
            name: None,
            email: Some("old@example.com".into()),
            picture: Some("https://example.com/a.png".into()),
        };
        assert!(from_id_token.is_incomplete());
        let info = User {
            sub: "alice".into(),
            name: Some("Alice".into()),
            email: Some("alice@example.com".into()),
            picture: None,
        };
        let updated = from_id_token.updated_by(info.clone()).unwrap();
        assert_eq!(updated.name.as_deref(), Some("Alice"));
        assert_eq!(updated.email.as_deref(), Some("alice@example.com"));
        assert_eq!(updated.picture, from_id_token.picture);
        assert!(!updated.is_incomplete());
        let someone_else = User {
            sub: "mallory".into(),
            ..info
        };
        assert!(from_id_token.updated_by(someone_else).is_none());
    }
}

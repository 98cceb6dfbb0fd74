//! Who may call the APIs: HTTP Basic users with roles (from `--users FILE` or
//! the built-in demo users), and a bearer token for the widget served from this
//! origin. Tenios routes are not here: Tenios authenticates by `access_key`.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use wrapup_core::servicenow::ServiceNowError;

use crate::wire::{Format, encode};

/// A user allowed to call the APIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The Basic auth user name.
    pub name: String,
    /// The Basic auth password.
    pub password: String,
    /// The roles the user holds (see [`Realm::roles`]); `admin` holds all.
    pub roles: Vec<String>,
}

/// The route families, each guarded by its own roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Realm {
    /// The Wrap Up API under `/api/now/.../wrapup`.
    ServiceNow,
    /// The openframe API under `/api/now/openframe`.
    Openframe,
    /// Genesys Context Services.
    Genesys,
    /// The CTI simulator and event streams.
    Cti,
}

impl Realm {
    /// The roles that open this realm (besides `admin`). ServiceNow's are the
    /// ones its docs require.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            Self::ServiceNow => &["interaction_integration_user"],
            Self::Openframe => &["sn_openframe_api_user", "sn_openframe_user"],
            Self::Genesys => &["context_services_user"],
            Self::Cti => &["cti_user"],
        }
    }
}

/// Everyone who may call, and how.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Basic auth users.
    pub users: Vec<User>,
    /// A bearer token that opens every realm, for the widget page.
    pub widget_token: Option<String>,
}

/// The widget token of the demo; never use it outside a demo.
pub const DEMO_WIDGET_TOKEN: &str = "demo-widget-token";

impl AuthConfig {
    /// The demo users: `admin`/`admin` and `username`/`password` (the spec curls'
    /// credentials), both admins, and `username`/`pasword` for openframe only,
    /// because the spec's PATCH voice-interaction example misspells it.
    pub fn demo() -> Self {
        let user = |name: &str, password: &str, roles: &[&str]| User {
            name: name.to_owned(),
            password: password.to_owned(),
            roles: roles.iter().map(|role| (*role).to_owned()).collect(),
        };
        Self {
            users: vec![
                user("admin", "admin", &["admin"]),
                user("username", "password", &["admin"]),
                user("username", "pasword", &["sn_openframe_api_user"]),
            ],
            widget_token: Some(DEMO_WIDGET_TOKEN.to_owned()),
        }
    }

    /// Reads users from a file of `name:password:role,role` lines; blank
    /// lines and lines starting with `#` are skipped.
    pub fn users_from_file(path: &Path) -> Result<Vec<User>, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read users file {}: {error}", path.display()))?;
        parse_users(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    fn admits(&self, authorization: Option<&HeaderValue>, realm: Realm) -> Admission {
        let Some(value) = authorization.and_then(|value| value.to_str().ok()) else {
            return Admission::Unauthenticated;
        };
        if let Some(token) = value.strip_prefix("Bearer ") {
            return match &self.widget_token {
                Some(expected) if constant_time_eq(token.trim(), expected) => Admission::Allowed,
                _ => Admission::Unauthenticated,
            };
        }
        let Some((name, password)) = value
            .strip_prefix("Basic ")
            .and_then(|encoded| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()
            })
            .and_then(|decoded| String::from_utf8(decoded).ok())
            .and_then(|pair| {
                pair.split_once(':')
                    .map(|(name, password)| (name.to_owned(), password.to_owned()))
            })
        else {
            return Admission::Unauthenticated;
        };
        let mut authenticated = false;
        for user in &self.users {
            if user.name == name && constant_time_eq(&user.password, &password) {
                authenticated = true;
                if user
                    .roles
                    .iter()
                    .any(|role| role == "admin" || realm.roles().contains(&role.as_str()))
                {
                    return Admission::Allowed;
                }
            }
        }
        if authenticated {
            Admission::Forbidden
        } else {
            Admission::Unauthenticated
        }
    }
}

enum Admission {
    Allowed,
    Unauthenticated,
    Forbidden,
}

fn parse_users(text: &str) -> Result<Vec<User>, String> {
    let mut users = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, ':');
        let (Some(name), Some(password)) = (parts.next(), parts.next()) else {
            return Err(format!(
                "line {}: expected name:password:role,role",
                number + 1
            ));
        };
        if name.is_empty() || password.is_empty() {
            return Err(format!(
                "line {}: name and password must not be empty",
                number + 1
            ));
        }
        let roles = parts
            .next()
            .unwrap_or("admin")
            .split(',')
            .map(str::trim)
            .filter(|role| !role.is_empty())
            .map(str::to_owned)
            .collect();
        users.push(User {
            name: name.to_owned(),
            password: password.to_owned(),
            roles,
        });
    }
    Ok(users)
}

/// Compares secrets without stopping at the first difference, so response
/// time does not reveal how much of a guess was right.
pub fn constant_time_eq(left: &str, right: &str) -> bool {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    let mut difference = left.len() ^ right.len();
    for (index, byte) in left.iter().enumerate() {
        difference |= usize::from(byte ^ right.get(index).copied().unwrap_or(0));
    }
    difference == 0
}

/// The challenge of a 401, in the scheme the client tried: a wrong bearer
/// token gets a `Bearer` challenge (RFC 6750), which no browser answers with
/// a password dialog — a widget whose token is wrong must show its own
/// message, not the browser's prompt. Anything else gets the `Basic` one.
fn challenge(authorization: Option<&HeaderValue>) -> HeaderValue {
    let bearer = authorization
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_whitespace().next())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"));
    HeaderValue::from_static(if bearer {
        "Bearer realm=\"wrapup-server\", error=\"invalid_token\""
    } else {
        "Basic realm=\"wrapup-server\""
    })
}

/// Middleware: lets a request through only with credentials for `realm`.
/// Event streams may also pass the token as `?access_token=` because a
/// browser's `EventSource` cannot set headers.
pub async fn require(
    State((auth, realm)): State<(Arc<AuthConfig>, Realm)>,
    request: Request,
    next: Next,
) -> Response {
    // Only the event stream takes a token in its URL: elsewhere a header can
    // carry it, and URLs end up in logs.
    let query_token = request
        .uri()
        .query()
        .filter(|_| request.uri().path().ends_with("/events"))
        .and_then(|query| crate::wire::query_param(query, "access_token"))
        .and_then(|token| HeaderValue::from_str(&format!("Bearer {token}")).ok());
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .or(query_token.as_ref());
    let format = Format::accepted(request.headers());
    match auth.admits(authorization, realm) {
        Admission::Allowed => next.run(request).await,
        Admission::Unauthenticated => {
            let mut response = encode(
                format,
                StatusCode::UNAUTHORIZED,
                &ServiceNowError::new(
                    "User Not Authenticated",
                    Some("Required to provide Auth information".to_owned()),
                ),
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge(authorization));
            response
        }
        Admission::Forbidden => encode(
            format,
            StatusCode::FORBIDDEN,
            &ServiceNowError::new(
                "Insufficient rights",
                Some(format!(
                    "this route needs one of the roles {}",
                    realm.roles().join(", ")
                )),
            ),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_users_with_default_admin_role() {
        let users = parse_users("# comment\nalice:secret:cti_user,genesys\nbob:pw\n").unwrap();
        assert_eq!(users[0].roles, ["cti_user", "genesys"]);
        assert_eq!(users[1].roles, ["admin"]);
        assert!(parse_users("nopassword\n").is_err());
    }

    #[test]
    fn compares_secrets_exactly() {
        assert!(constant_time_eq("password", "password"));
        assert!(!constant_time_eq("password", "pasword"));
        assert!(!constant_time_eq("", "x"));
    }
}

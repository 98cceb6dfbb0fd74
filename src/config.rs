//! The widget's configuration: the page URL's query, over `/config.json`,
//! over defaults that work with the reference server.
//!
//! `http://127.0.0.1:8080/?agent=<agent_id>&lang=de` is all an agent needs:
//! the server (with `--demo`) serves `/config.json` with the demo's widget
//! token, Tenios key and agent e-mails, and the server base is the page's own
//! origin. A query parameter always wins over the file, so a CRM admin can
//! override any setting per embedding.

use litemap::LiteMap;
use serde_json::Value;
use wrapup_core::record::{FromJson, ReadError, Record};

use crate::i18n::Language;

/// The extension step when none is configured: 30 seconds.
pub const DEFAULT_EXTEND_STEP_SECONDS: u32 = 30;

/// `seconds` as an extension step, clamped into what the extend rule allows
/// ([`MIN_EXTENSION`] to [`MAX_EXTENSION`]), so that a mistyped `?extend=`
/// cannot make every Extend a refusal.
///
/// [`MIN_EXTENSION`]: wrapup_core::extension::MIN_EXTENSION
/// [`MAX_EXTENSION`]: wrapup_core::extension::MAX_EXTENSION
pub fn extend_step(seconds: i64) -> u32 {
    use wrapup_core::extension::{MAX_EXTENSION, MIN_EXTENSION};
    let clamped = seconds.clamp(MIN_EXTENSION.num_seconds(), MAX_EXTENSION.num_seconds());
    u32::try_from(clamped).unwrap_or(DEFAULT_EXTEND_STEP_SECONDS)
}

/// Which backend the wrap-up is submitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackendProfile {
    /// ServiceNow Wrap Up API (segment update) — the default.
    #[default]
    ServiceNow,
    /// Genesys Context Services (complete service): the wrap-up from the
    /// call data, saved as `POST /services/{service_id}/end`.
    Genesys,
}

impl BackendProfile {
    /// Reads `servicenow` / `genesys`; anything else is the default.
    pub fn from_name(name: &str) -> Self {
        if name.eq_ignore_ascii_case("genesys") {
            Self::Genesys
        } else {
            Self::ServiceNow
        }
    }
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Reads `light` / `dark` / `auto`; anything else is `auto`.
    pub fn from_name(name: &str) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::Auto,
        }
    }

    /// The name, for a `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// `/config.json`: every field optional; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// The server base URL (default: the page's origin).
    pub server: Option<String>,
    /// The agent (rarely set in a file; usually the query's `agent`).
    pub agent: Option<String>,
    /// `en` / `de`.
    pub lang: Option<String>,
    /// `servicenow` / `genesys`.
    pub backend: Option<String>,
    /// `light` / `dark` / `auto`.
    pub theme: Option<String>,
    /// The bearer token the widget sends (a token for this widget, never a
    /// user's password).
    pub token: Option<String>,
    /// Seconds one Extend adds (`extendStep`).
    pub extend_step: Option<u32>,
    /// The Tenios `access_key` for extend / cancel (`teniosAccessKey`).
    pub tenios_access_key: Option<String>,
    /// The agent's e-mail for Tenios, when there is one agent per deployment
    /// (`agentEmail`).
    pub agent_email: Option<String>,
    /// The agents' e-mails by agent id (`agentEmails`; the demo serves its agent's).
    pub agent_emails: LiteMap<String, String>,
}

impl FromJson for ConfigFile {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct ConfigFile")?;
        Ok(Self {
            server: record.optional("server")?,
            agent: record.optional("agent")?,
            lang: record.optional("lang")?,
            backend: record.optional("backend")?,
            theme: record.optional("theme")?,
            token: record.optional("token")?,
            extend_step: record.optional("extendStep")?,
            tenios_access_key: record.optional("teniosAccessKey")?,
            agent_email: record.optional("agentEmail")?,
            agent_emails: record.or_default("agentEmails")?,
        })
    }
}

/// Settings of one widget instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The server the widget talks to, without a trailing slash.
    pub server: String,
    /// The agent whose workitems the widget follows (`agent` query parameter).
    pub agent_id: Option<String>,
    /// The language of the user interface (`lang` query parameter).
    pub language: Language,
    /// The backend profile (`backend`).
    pub backend: BackendProfile,
    /// The theme (`theme`).
    pub theme: Theme,
    /// The bearer token (`token`).
    pub token: Option<String>,
    /// Seconds one Extend adds (`extend`).
    pub extend_step_seconds: u32,
    /// The Tenios access key (`tenios_key`).
    pub tenios_access_key: Option<String>,
    /// The agent's e-mail for Tenios (`email`).
    pub agent_email: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: String::new(),
            agent_id: None,
            language: Language::English,
            backend: BackendProfile::ServiceNow,
            theme: Theme::Auto,
            token: None,
            extend_step_seconds: DEFAULT_EXTEND_STEP_SECONDS,
            tenios_access_key: None,
            agent_email: None,
        }
    }
}

impl Config {
    /// Parses a URL query string such as `?agent=abc&lang=de` alone. Unknown
    /// parameters are ignored so a CRM can add its own.
    pub fn from_query(query: &str) -> Self {
        Self::resolve(query, None, "")
    }

    /// The configuration from `query` over `file` over the defaults, with
    /// `origin` (the page's) as the default server.
    pub fn resolve(query: &str, file: Option<&ConfigFile>, origin: &str) -> Self {
        let file = file.cloned().unwrap_or_default();
        let mut config = Config {
            server: file.server.clone().unwrap_or_else(|| origin.to_owned()),
            agent_id: file.agent.clone().filter(|agent| !agent.is_empty()),
            language: file
                .lang
                .as_deref()
                .map_or(Language::English, Language::from_tag),
            backend: file
                .backend
                .as_deref()
                .map_or_else(BackendProfile::default, BackendProfile::from_name),
            theme: file
                .theme
                .as_deref()
                .map_or_else(Theme::default, Theme::from_name),
            token: file.token.clone(),
            extend_step_seconds: file
                .extend_step
                .map_or(DEFAULT_EXTEND_STEP_SECONDS, |seconds| {
                    extend_step(seconds.into())
                }),
            tenios_access_key: file.tenios_access_key.clone(),
            agent_email: None,
        };
        let mut email = file.agent_email.clone();
        for (key, value) in query_pairs(query) {
            match key.as_str() {
                "agent" if !value.is_empty() => config.agent_id = Some(value),
                "lang" => config.language = Language::from_tag(&value),
                "server" if !value.is_empty() => config.server = value,
                "backend" => config.backend = BackendProfile::from_name(&value),
                "theme" => config.theme = Theme::from_name(&value),
                "token" if !value.is_empty() => config.token = Some(value),
                // Not a number: the default (or the file's) step stays.
                "extend" => {
                    if let Ok(seconds) = value.trim().parse::<i64>() {
                        config.extend_step_seconds = extend_step(seconds);
                    }
                }
                "tenios_key" if !value.is_empty() => config.tenios_access_key = Some(value),
                "email" if !value.is_empty() => email = Some(value),
                _ => {}
            }
        }
        config.server = config.server.trim_end_matches('/').to_owned();
        config.agent_email = email.or_else(|| {
            config
                .agent_id
                .as_ref()
                .and_then(|agent| file.agent_emails.get(agent).cloned())
        });
        config
    }
}

/// The current page's query string and origin.
pub fn page_query_and_origin() -> (String, String) {
    let location = web_sys::window().map(|window| window.location());
    let query = location
        .as_ref()
        .and_then(|location| location.search().ok())
        .unwrap_or_default();
    let origin = location
        .as_ref()
        .and_then(|location| location.origin().ok())
        .unwrap_or_default();
    (query, origin)
}

fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
}

/// Decodes `+` and `%XX` escapes of a query component; malformed escapes are
/// kept as they are rather than rejected, as browsers do.
fn decode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => match (
                hex_digit(bytes.get(index + 1)),
                hex_digit(bytes.get(index + 2)),
            ) {
                (Some(high), Some(low)) => {
                    decoded.push(high << 4 | low);
                    index += 2;
                }
                _ => decoded.push(b'%'),
            },
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_digit(byte: Option<&u8>) -> Option<u8> {
    char::from(*byte?)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wrapup_core::parse::read;

    #[test]
    fn reads_agent_and_language() {
        let config = Config::from_query("?agent=123412345678567890ab90abcdefcdef&lang=de");
        assert_eq!(
            config.agent_id.as_deref(),
            Some("123412345678567890ab90abcdefcdef")
        );
        assert_eq!(config.language, Language::German);
    }

    #[test]
    fn decodes_escapes_and_keeps_malformed_ones() {
        let config = Config::from_query("agent=a%40b+c%2&other=1");
        assert_eq!(config.agent_id.as_deref(), Some("a@b c%2"));
    }

    #[test]
    fn empty_agent_means_none() {
        assert_eq!(Config::from_query("?agent=").agent_id, None);
    }

    #[test]
    fn query_wins_over_file_and_file_over_defaults() {
        let file = ConfigFile {
            token: Some("file-token".into()),
            lang: Some("de".into()),
            extend_step: Some(60),
            agent_emails: LiteMap::from_iter([("a1".to_owned(), "a1@test.com".to_owned())]),
            ..ConfigFile::default()
        };
        let config = Config::resolve("?agent=a1&lang=en&theme=dark", Some(&file), "http://h:1/");
        assert_eq!(config.server, "http://h:1");
        assert_eq!(config.token.as_deref(), Some("file-token"));
        assert_eq!(config.language, Language::English);
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(config.extend_step_seconds, 60);
        assert_eq!(config.agent_email.as_deref(), Some("a1@test.com"));
        assert_eq!(config.backend, BackendProfile::ServiceNow);
    }

    #[test]
    fn the_backend_comes_from_the_file_or_the_query() {
        let file = ConfigFile {
            backend: Some("Genesys".into()),
            ..ConfigFile::default()
        };
        assert_eq!(
            Config::resolve("?agent=a1", Some(&file), "").backend,
            BackendProfile::Genesys
        );
        assert_eq!(
            Config::resolve("?backend=servicenow", Some(&file), "").backend,
            BackendProfile::ServiceNow
        );
        assert_eq!(
            Config::from_query("?backend=genesys").backend,
            BackendProfile::Genesys
        );
        let parsed: ConfigFile = read(r#"{"backend": "genesys"}"#).unwrap();
        assert_eq!(parsed.backend.as_deref(), Some("genesys"));
    }

    #[test]
    fn the_file_is_read_by_its_camel_case_names_and_a_wrong_field_is_named() {
        let parsed: ConfigFile = read(
            r#"{"extendStep": 60, "teniosAccessKey": "k", "agentEmail": "a@test.com",
                "agentEmails": {"a1": "a1@test.com"}, "token": null, "unknown": [1]}"#,
        )
        .unwrap();
        assert_eq!(parsed.extend_step, Some(60));
        assert_eq!(parsed.tenios_access_key.as_deref(), Some("k"));
        assert_eq!(parsed.agent_email.as_deref(), Some("a@test.com"));
        assert_eq!(
            parsed.agent_emails.get("a1").map(String::as_str),
            Some("a1@test.com")
        );
        assert_eq!(parsed.token, None);

        let error = read::<ConfigFile>(r#"{"agentEmails": {"a1": 7}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "agentEmails.a1: invalid type: integer `7`, expected a string"
        );
        let error = read::<ConfigFile>(r#"{"extendStep": -5}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "extendStep: invalid value: integer `-5`, expected u32"
        );
    }

    #[test]
    fn the_extend_step_is_clamped_to_the_extend_rule() {
        assert_eq!(Config::from_query("?extend=1").extend_step_seconds, 5);
        assert_eq!(Config::from_query("?extend=-30").extend_step_seconds, 5);
        assert_eq!(Config::from_query("?extend=3600").extend_step_seconds, 900);
        assert_eq!(Config::from_query("?extend=60").extend_step_seconds, 60);
        assert_eq!(Config::from_query("?extend=abc").extend_step_seconds, 30);
        assert_eq!(Config::from_query("?extend=").extend_step_seconds, 30);
    }
}

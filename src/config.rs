//! The widget's configuration: the page URL's query, over `/config.json`,
//! over defaults that work with the reference server.
//!
//! `http://127.0.0.1:8080/?agent=<agent_id>&lang=de` is all an agent needs:
//! the server serves `/config.json` with its widget token (and, with
//! `--demo`, the demo's Tenios key and agent e-mails), and the server base
//! is the page's own origin. A query parameter always wins over the file,
//! so a CRM admin can override any setting per embedding.
//!
//! A value the widget does not know is never taken quietly: a cosmetic one
//! (`lang`, `theme`, the extend step) falls back and is warned of once in
//! the console ([`Config::bad_values`]); an unknown `backend` would send
//! wrap-ups to a system the admin did not choose, so the widget says so and
//! starts nothing ([`Config::refused`]).

use litemap::LiteMap;
use wrapup_core::json::Value;
use wrapup_core::record::{Fields, FromJson, ReadError};

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

/// A configuration value the widget does not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    /// The parameter as the admin wrote it (`backend`, `lang`, `extendStep`, …).
    pub parameter: &'static str,
    /// What was given.
    pub value: String,
    /// The values the parameter accepts.
    pub accepted: &'static str,
    /// What the widget does instead.
    pub instead: Instead,
}

/// What the widget does in place of a [`BadValue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instead {
    /// It uses this value.
    Uses(String),
    /// It leaves the value out.
    Ignores,
    /// Nothing can stand in for it: the widget starts nothing.
    StartsNothing,
}

impl BadValue {
    /// The console's words for it, for the admin.
    pub fn warning(&self) -> String {
        let Self {
            parameter,
            value,
            accepted,
            instead,
        } = self;
        let (instead, used) = match instead {
            Instead::Uses(used) => ("the widget uses ", used.as_str()),
            Instead::Ignores => ("the widget ignores it", ""),
            Instead::StartsNothing => ("the widget follows no calls and sends no wrap-ups", ""),
        };
        format!(
            "wrapup-gadget: {parameter} \"{value}\" is not accepted ({accepted}): {instead}{used}"
        )
    }
}

const ACCEPTED_BACKENDS: &str = "servicenow, genesys";
const ACCEPTED_STEPS: &str = "whole seconds from 5 to 900";

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
    /// Reads `servicenow` / `genesys` in any case; anything else is none.
    pub fn from_name(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("genesys") {
            Some(Self::Genesys)
        } else if name.eq_ignore_ascii_case("servicenow") {
            Some(Self::ServiceNow)
        } else {
            None
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
    /// Reads `light` / `dark` / `auto` in any case; anything else is none.
    /// (Compared in place, as the backend's name is: no lower-cased copy.)
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Light, Self::Dark, Self::Auto]
            .into_iter()
            .find(|theme| name.eq_ignore_ascii_case(theme.as_str()))
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
    /// Design tokens set on the page (`tokens`): custom properties named
    /// `--wg-…` and their CSS values, to theme the widget.
    pub tokens: LiteMap<String, String>,
}

impl FromJson for ConfigFile {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        // Read field by field with no `?` between them (see `Fields`).
        let mut fields = Fields::new(value, "struct ConfigFile")?;
        let file = Self {
            server: fields.optional("server"),
            agent: fields.optional("agent"),
            lang: fields.optional("lang"),
            backend: fields.optional("backend"),
            theme: fields.optional("theme"),
            token: fields.optional("token"),
            extend_step: fields.optional("extendStep"),
            tenios_access_key: fields.optional("teniosAccessKey"),
            agent_email: fields.optional("agentEmail"),
            agent_emails: fields.or_default("agentEmails"),
            tokens: fields.or_default("tokens"),
        };
        fields.finish(file)
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
    /// The file's design tokens (`tokens`), to set on the page: those
    /// whose name [`is_token`].
    pub tokens: LiteMap<String, String>,
    /// The values the widget did not accept, in the order read, each once.
    pub bad_values: Vec<BadValue>,
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
            tokens: LiteMap::new(),
            bad_values: Vec::new(),
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
    /// `origin` (the page's) as the default server. A value the widget does
    /// not accept is named in [`Config::bad_values`] and leaves the file's
    /// value (or the default) in place; the file's value the query
    /// overrides is not judged.
    pub fn resolve(query: &str, file: Option<&ConfigFile>, origin: &str) -> Self {
        let mut file = file.cloned().unwrap_or_default();
        let mut config = Config {
            server: file.server.clone().unwrap_or_else(|| origin.to_owned()),
            agent_id: file.agent.clone().filter(|agent| !agent.is_empty()),
            token: file.token.clone(),
            tenios_access_key: file.tenios_access_key.clone(),
            ..Config::default()
        };
        // Each setting as the file, then the query, give it.
        let mut lang = [file.lang.clone().map(|value| ("lang", value)), None];
        let mut theme = [file.theme.clone().map(|value| ("theme", value)), None];
        let mut backend = [file.backend.clone().map(|value| ("backend", value)), None];
        let mut step = [
            file.extend_step
                .map(|seconds| ("extendStep", seconds.to_string())),
            None,
        ];
        let mut email = file.agent_email.clone();
        for (key, value) in query_pairs(query) {
            match key.as_str() {
                "agent" if !value.is_empty() => config.agent_id = Some(value),
                "lang" => lang[1] = Some(("lang", value)),
                "server" if !value.is_empty() => config.server = value,
                "backend" => backend[1] = Some(("backend", value)),
                "theme" => theme[1] = Some(("theme", value)),
                "token" if !value.is_empty() => config.token = Some(value),
                "extend" => step[1] = Some(("extend", value)),
                "tenios_key" if !value.is_empty() => config.tenios_access_key = Some(value),
                "email" if !value.is_empty() => email = Some(value),
                _ => {}
            }
        }
        let uses = |value: &str| Instead::Uses(value.to_owned());
        let mut bad = |(parameter, value), accepted, instead| {
            config.bad_values.push(BadValue {
                parameter,
                value,
                accepted,
                instead,
            });
        };
        let [language, wrong] = pick(lang, |tag| Language::parse(tag).is_some());
        config.language = language
            .and_then(|(_, tag)| Language::parse(&tag))
            .unwrap_or_default();
        if let Some(wrong) = wrong {
            let used = uses(config.language.tag());
            bad(wrong, "en, de, or a tag of them: de-CH", used);
        }
        let [theme, wrong] = pick(theme, |name| Theme::from_name(name).is_some());
        config.theme = theme
            .and_then(|(_, name)| Theme::from_name(&name))
            .unwrap_or_default();
        if let Some(wrong) = wrong {
            bad(wrong, "light, dark, auto", uses(config.theme.as_str()));
        }
        // An unknown backend falls back to nothing, not even to the file's:
        // the widget refuses to start ([`Config::refused`]).
        let [profile, wrong] = pick(backend, |name| BackendProfile::from_name(name).is_some());
        config.backend = profile
            .and_then(|(_, name)| BackendProfile::from_name(&name))
            .unwrap_or_default();
        if let Some(wrong) = wrong {
            bad(wrong, ACCEPTED_BACKENDS, Instead::StartsNothing);
        }
        let [seconds, wrong] = pick(step, |text| text.trim().parse::<i64>().is_ok());
        let seconds = seconds.map(|(parameter, text)| {
            let seconds = text.trim().parse::<i64>().unwrap_or_default();
            ((parameter, text), seconds)
        });
        config.extend_step_seconds = seconds
            .as_ref()
            .map_or(DEFAULT_EXTEND_STEP_SECONDS, |(_, seconds)| {
                extend_step(*seconds)
            });
        let used = uses(&config.extend_step_seconds.to_string());
        match (wrong, seconds) {
            (Some(wrong), _) => bad(wrong, ACCEPTED_STEPS, used),
            (None, Some((given, seconds))) if seconds != i64::from(config.extend_step_seconds) => {
                bad(given, ACCEPTED_STEPS, used);
            }
            _ => {}
        }
        for name in file.tokens.keys() {
            if !is_token(name) {
                let name = ("tokens", name.clone());
                bad(name, "custom properties named --wg-…", Instead::Ignores);
            }
        }
        config.tokens = std::mem::take(&mut file.tokens);
        config.server = config.server.trim_end_matches('/').to_owned();
        config.agent_email = email.or_else(|| {
            config
                .agent_id
                .as_ref()
                .and_then(|agent| file.agent_emails.get(agent).cloned())
        });
        config
    }

    /// The value that keeps the widget from starting: an unknown backend,
    /// to which no wrap-up may go.
    pub fn refused(&self) -> Option<&BadValue> {
        self.bad_values
            .iter()
            .find(|bad| bad.instead == Instead::StartsNothing)
    }
}

/// Whether `name` is one of the widget's design tokens, which `tokens` may
/// set: a custom property `--wg-…` (not any property of the page).
pub fn is_token(name: &str) -> bool {
    name.starts_with("--wg-")
}

/// A setting given as `given` (the file's, then the query's): the last value
/// `accepts` takes, as the parameter and text it came as, and the value
/// given after it that `accepts` refuses, if any. An empty value is no value.
/// (Not generic over the value read: one copy of it in the wasm.)
fn pick(
    given: [Option<(&'static str, String)>; 2],
    accepts: fn(&str) -> bool,
) -> [Option<(&'static str, String)>; 2] {
    let mut picked = [None, None];
    for (parameter, value) in given.into_iter().flatten() {
        if value.trim().is_empty() {
            continue;
        }
        picked = if accepts(&value) {
            [Some((parameter, value)), None]
        } else {
            [picked[0].take(), Some((parameter, value))]
        };
    }
    picked
}

/// The origin (`scheme://host[:port]`) of the absolute URL `url` as the
/// browser reads it, without path or credentials; `url` as it is when it
/// is not one. (The browser's parser: far less wasm than one of our own.)
pub fn origin_of(url: &str) -> String {
    web_sys::Url::new(url).map_or_else(|_| url.to_owned(), |url| url.origin())
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
mod tests;

//! The widget's configuration, read from the page URL.
//!
//! `http://127.0.0.1:8080/?agent=<agent_id>&lang=de` is all an agent needs;
//! every other setting has a default that works with the reference server.

use crate::i18n::Language;

/// Settings of one widget instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The agent whose workitems the widget follows (`agent` query parameter).
    pub agent_id: Option<String>,
    /// The language of the user interface (`lang` query parameter).
    pub language: Language,
}

impl Config {
    /// Parses a URL query string such as `?agent=abc&lang=de`. Unknown
    /// parameters are ignored so a CRM can add its own.
    pub fn from_query(query: &str) -> Self {
        let mut config = Config {
            agent_id: None,
            language: Language::English,
        };
        for (key, value) in query_pairs(query) {
            match key.as_str() {
                "agent" if !value.is_empty() => config.agent_id = Some(value),
                "lang" => config.language = Language::from_tag(&value),
                _ => {}
            }
        }
        config
    }

    /// The configuration of the current page.
    pub fn from_location() -> Self {
        let query = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .unwrap_or_default();
        Self::from_query(&query)
    }
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
}

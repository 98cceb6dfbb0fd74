//! The message catalog: every string the widget shows, in English and German.
//!
//! Components never hold literal UI text; they name a [`Message`] and render
//! `message.text(language)`, so a missing translation is a compile error.

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    German,
}

impl Language {
    /// Maps a BCP 47 tag (`de`, `de-CH`, `en-US`) to a supported language,
    /// falling back to English.
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Language::German
        } else {
            Language::English
        }
    }

    /// The BCP 47 tag for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }
}

/// A piece of user-interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    WidgetTitle,
    AgentLabel,
    NoAgentConfigured,
    NoActiveCalls,
}

impl Message {
    /// The text of this message in `language`.
    pub fn text(self, language: Language) -> &'static str {
        use Language::{English, German};
        match (self, language) {
            (Message::WidgetTitle, English) => "Wrap-up",
            (Message::WidgetTitle, German) => "Nachbearbeitung",
            (Message::AgentLabel, English) => "Agent",
            (Message::AgentLabel, German) => "Agent",
            (Message::NoAgentConfigured, English) => {
                "No agent configured. Open the widget with ?agent=<agent id> in the address."
            }
            (Message::NoAgentConfigured, German) => {
                "Kein Agent konfiguriert. Öffnen Sie das Widget mit ?agent=<Agent-ID> in der Adresse."
            }
            (Message::NoActiveCalls, English) => "No active calls",
            (Message::NoActiveCalls, German) => "Keine aktiven Anrufe",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_language_tags() {
        assert_eq!(Language::from_tag("de-CH"), Language::German);
        assert_eq!(Language::from_tag("DE"), Language::German);
        assert_eq!(Language::from_tag("fr"), Language::English);
        assert_eq!(Language::from_tag(""), Language::English);
    }
}

//! The wrap-up configuration, whatever the backend: which codes the agent may
//! choose, which is the default, whether one is required, and how long the
//! wrap-up may last.

use chrono::TimeDelta;

use super::notes::NotesLimit;

/// A wrap-up code the agent may choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupCode {
    /// The code as the backend knows it (what is submitted).
    pub code: String,
    /// The code's label in the agent's language, when the backend has one.
    pub translated_label: Option<String>,
}

impl WrapupCode {
    /// A code without a translation.
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            translated_label: None,
        }
    }

    /// A code with its label in the agent's language.
    pub fn translated(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            translated_label: Some(label.into()),
        }
    }

    /// What the picker shows: the translation if there is one, else the code.
    pub fn label(&self) -> &str {
        self.translated_label.as_deref().unwrap_or(&self.code)
    }
}

/// How a wrap-up works, as the backend configured it (ServiceNow's
/// `wrap_up_configuration`, or a Genesys / Tenios profile's settings).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WrapupConfig {
    /// The codes the agent may choose.
    pub allowed_codes: Vec<WrapupCode>,
    /// The code preselected, and submitted on expiry when nothing else is selected.
    pub default_code: Option<String>,
    /// Whether the agent must select a code before submitting.
    pub enable_codes: bool,
    /// How long the wrap-up may last from `opened_on`; `None` means no time
    /// limit: no deadline, no countdown, never expires.
    pub duration: Option<TimeDelta>,
    /// The most characters of notes the backend keeps; `None` for no limit.
    pub notes_limit: Option<NotesLimit>,
    /// Whether the backend accepts a code that is not among `allowed_codes`
    /// (a custom reason set by an integrator or the CTI system). A ServiceNow
    /// segment with allowed codes answers 400 to any other code, so the shell
    /// sets this to `false` for it, and to `true` when the list is empty.
    /// Defaults to `false`: a custom reason is then still shown selected, but
    /// the submission sends the allowed fallback and keeps the reason in the
    /// notes (see the Desk's module documentation).
    pub custom_codes_allowed: bool,
}

impl WrapupConfig {
    /// Whether `code` is one the agent may choose: an allowed code, or the
    /// default code (a default is always acceptable, even if the backend
    /// forgot to list it).
    pub fn allows(&self, code: &str) -> bool {
        self.default_code.as_deref() == Some(code)
            || self
                .allowed_codes
                .iter()
                .any(|allowed| allowed.code == code)
    }

    /// The allowed code `code`, with its translation.
    pub fn find(&self, code: &str) -> Option<&WrapupCode> {
        self.allowed_codes
            .iter()
            .find(|allowed| allowed.code == code)
    }

    /// What the agent reads for `code`: its translated label if the
    /// configuration lists it, else the code itself.
    pub fn label_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.find(code).map_or(code, WrapupCode::label)
    }
}

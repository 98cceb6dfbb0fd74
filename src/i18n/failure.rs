//! Why a backend request failed, in the agent's words. The runtime names the
//! failure with a [`BackendFailure`]; what the server said (in whatever
//! language it speaks) is kept only as a detail after it.

use super::Language;

/// What went wrong with a request to a backend, as the agent is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendFailure {
    /// No answer: offline, server down, timed out.
    Unreachable,
    /// The server answered with an error of its own (5xx, rate limit).
    ServerError,
    /// The answer could not be read.
    Unreadable,
    /// The server refused the request (a 4xx that will not change).
    Refused,
    /// Neither the wrap-up segment nor its interaction is known.
    SegmentUnknown,
    /// The call data names no Genesys service to end.
    ServiceUnknown,
    /// Genesys refused the wrap-up (a 4xx with Genesys' error body).
    GenesysRefused,
    /// Extend and cancel need the agent's e-mail and the Tenios access key.
    ExtendNotConfigured,
    /// Tenios does not know the agent.
    TeniosAgentUnknown,
    /// Tenios says the call is no longer in wrap-up.
    TeniosNotInWrapup,
    /// Tenios: an extension must add at least 5 seconds.
    ExtensionTooShort,
    /// Tenios: an extension may add at most 15 minutes.
    ExtensionTooLong,
    /// Tenios did not understand the new end time.
    ExtensionEndNotUnderstood,
    /// The CTI system refused to change the agent's state.
    AgentStateRefused,
    /// The server did not accept the widget's sign-in (401, 403): its token
    /// is wrong or expired.
    NotSignedIn,
}

impl BackendFailure {
    /// The text in `language`.
    pub fn text(self, language: Language) -> &'static str {
        let (english, german) = match self {
            Self::Unreachable => (
                "The server could not be reached",
                "Der Server ist nicht erreichbar",
            ),
            Self::ServerError => (
                "The server reported an error",
                "Der Server hat einen Fehler gemeldet",
            ),
            Self::Unreadable => (
                "The server's answer could not be read",
                "Die Antwort des Servers war nicht lesbar",
            ),
            Self::Refused => (
                "The server refused the request",
                "Der Server hat die Anfrage abgelehnt",
            ),
            Self::SegmentUnknown => (
                "The wrap-up segment is unknown",
                "Das Nachbearbeitungssegment ist unbekannt",
            ),
            Self::ServiceUnknown => (
                "The call names no Genesys service to save the wrap-up to",
                "Der Anruf nennt keinen Genesys-Service, in dem die Nachbearbeitung gespeichert werden kann",
            ),
            Self::GenesysRefused => (
                "Genesys did not accept the wrap-up",
                "Genesys hat die Nachbearbeitung nicht angenommen",
            ),
            Self::ExtendNotConfigured => (
                "Extend and cancel are not set up for this widget",
                "Verlängern und Abbrechen sind für dieses Widget nicht eingerichtet",
            ),
            Self::TeniosAgentUnknown => (
                "The wrap-up service does not know this agent",
                "Der Nachbearbeitungsdienst kennt diesen Agenten nicht",
            ),
            Self::TeniosNotInWrapup => (
                "The wrap-up service says this call is no longer in wrap-up",
                "Laut Nachbearbeitungsdienst ist dieser Anruf nicht mehr in der Nachbearbeitung",
            ),
            Self::ExtensionTooShort => (
                "An extension must add at least 5 seconds",
                "Eine Verlängerung muss mindestens 5 Sekunden betragen",
            ),
            Self::ExtensionTooLong => (
                "An extension may add at most 15 minutes at a time",
                "Eine Verlängerung darf höchstens 15 Minuten auf einmal betragen",
            ),
            Self::ExtensionEndNotUnderstood => (
                "The new end time was not understood",
                "Die neue Endzeit wurde nicht verstanden",
            ),
            Self::AgentStateRefused => (
                "Your status could not be changed",
                "Ihr Status konnte nicht geändert werden",
            ),
            Self::NotSignedIn => (
                "The server did not accept this widget's sign-in: its token is wrong or has expired. Ask your administrator to check it",
                "Der Server hat die Anmeldung dieses Widgets nicht angenommen: Sein Token ist falsch oder abgelaufen. Bitte lassen Sie es von Ihrer Administration prüfen",
            ),
        };
        match language {
            Language::English => english,
            Language::German => german,
        }
    }
}

/// What becomes of a failed request, as the agent is told after its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NextStep {
    /// Nothing to add: a refusal stands until something changes.
    #[default]
    Nothing,
    /// The widget keeps sending it (a queued submission).
    RetryingInBackground,
    /// A queued submission waits for the server to accept the widget's
    /// sign-in, and is sent then.
    AfterSignIn,
    /// It was tried once and may well succeed again: the agent's to repeat
    /// (extend, cancel).
    TryAgain,
}

/// A failure as the agent reads it: the typed reason, the server's own words
/// as a detail, and what becomes of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureReport {
    /// What went wrong.
    pub failure: BackendFailure,
    /// What the server said, untranslated.
    pub detail: Option<String>,
    /// What becomes of the request.
    pub next: NextStep,
}

impl FailureReport {
    /// A report of `failure` with `detail`.
    pub fn new(failure: BackendFailure, detail: Option<String>) -> Self {
        Self {
            failure,
            detail: detail.filter(|detail| !detail.trim().is_empty()),
            next: NextStep::Nothing,
        }
    }

    /// The report of a request the agent asked for once and nothing
    /// repeats: a passing failure (no answer, a server error) is worth
    /// trying again, and the agent is told so.
    pub fn of_one_off(mut self) -> Self {
        if matches!(
            self.failure,
            BackendFailure::Unreachable | BackendFailure::ServerError
        ) {
            self.next = NextStep::TryAgain;
        }
        self
    }

    /// The text in `language`: `Reason (detail); what comes next`.
    pub fn text(&self, language: Language) -> String {
        let mut text = self.failure.text(language).to_owned();
        if let Some(detail) = &self.detail {
            text.push_str(&format!(" ({detail})"));
        }
        let next = match (self.next, language) {
            (NextStep::Nothing, _) => "",
            (NextStep::RetryingInBackground, Language::English) => "; still retrying",
            (NextStep::RetryingInBackground, Language::German) => "; wird weiter versucht",
            (NextStep::AfterSignIn, Language::English) => {
                "; the wrap-up is sent as soon as the server accepts the sign-in"
            }
            (NextStep::AfterSignIn, Language::German) => {
                "; die Nachbearbeitung wird gesendet, sobald der Server die Anmeldung annimmt"
            }
            (NextStep::TryAgain, Language::English) => "; please try again",
            (NextStep::TryAgain, Language::German) => "; bitte versuchen Sie es erneut",
        };
        text.push_str(next);
        text
    }
}

//! The message catalog: every string the widget shows, in English and German.
//!
//! Components never hold literal UI text; they name a [`Message`] and render
//! `message.text(language)`, so a missing translation is a compile error.
//! Texts with values in them (counts, durations, reasons) are [`Phrase`]s;
//! the Desk's refusals are translated by [`refusal_text`].

mod failure;
mod phrase;

pub use failure::{BackendFailure, FailureReport, NextStep};
pub use phrase::{Phrase, refusal_text};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    German,
}

impl Language {
    /// The supported language a BCP 47 tag (`de`, `de-CH`, `en-US`) names,
    /// if it names one.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Some(Language::German)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::English)
        } else {
            None
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
    UnknownBackend,
    NoActiveCalls,
    OpenElsewhere,
    UseHere,
    // Agent header.
    AgentStateLabel,
    AgentStateReady,
    AgentStateNotReady,
    AgentStateActive,
    AgentStateWrapup,
    AgentStateLogout,
    AgentStateOffline,
    AgentStateUnknown,
    TimeInState,
    GoReady,
    GoNotReady,
    NotReadyAfterCall,
    ReadyAfterCall,
    AfterCall,
    NotReadyReason,
    NoReason,
    ChangeReason,
    ConnectionIdle,
    ConnectionLive,
    ConnectionReconnecting,
    OutboxLastError,
    StorageNotKept,
    OpenElsewhereUnknown,
    // Workitem cards.
    CallsHeading,
    UnknownCaller,
    DirectionIncoming,
    DirectionOutgoing,
    ClassificationCustomer,
    ClassificationConsultation,
    ClassificationConference,
    ClassificationTransfer,
    ClassificationInternal,
    ClassificationUnknown,
    WorkitemDialling,
    WorkitemRinging,
    WorkitemTalking,
    WorkitemOnHold,
    WorkitemWrapup,
    WorkitemEnded,
    WorkitemUnknown,
    TalkTime,
    OnHoldFor,
    TimeOnHold,
    Queue,
    // Wrap-up panel.
    WrapupHeading,
    WrapupOpening,
    NewWrapupBelow,
    NewWrapupAbove,
    TimeLeft,
    BandGreen,
    BandYellow,
    BandOrange,
    BandRed,
    CodeLabel,
    FilterCodes,
    NoMatchingCodes,
    CustomCodeTag,
    DefaultCodeTag,
    CodeRequiredReason,
    CodeShortcutsHint,
    NotesLabel,
    Submit,
    SubmitShortcut,
    CancelWrapup,
    Extending,
    Cancelling,
    Cancelled,
    SubmissionSaving,
    SubmissionSent,
    SubmissionConfirmed,
    SubmissionFailed,
    SubmittedAutomatically,
    Retry,
    ChangeSubmission,
    InputKept,
    ExpiredChooseCode,
    ExpiredSubmitByHand,
    Dismiss,
    UnsavedNotes,
    DismissQuestion,
    KeepIt,
    CancelWrapupQuestion,
    KeepWrappingUp,
}

impl Message {
    /// The text of this message in `language`.
    pub fn text(self, language: Language) -> &'static str {
        let (english, german) = self.texts();
        match language {
            Language::English => english,
            Language::German => german,
        }
    }

    /// The English and German texts, side by side so that a translation is
    /// reviewed next to its source.
    fn texts(self) -> (&'static str, &'static str) {
        use Message as M;
        match self {
            M::WidgetTitle => ("Wrap-up", "Nachbearbeitung"),
            M::AgentLabel => ("Agent", "Agent"),
            M::NoAgentConfigured => (
                "No agent configured. Open the widget with ?agent=<agent id> in the address.",
                "Kein Agent konfiguriert. Öffnen Sie das Widget mit ?agent=<Agent-ID> in der Adresse.",
            ),
            M::UnknownBackend => (
                "The widget is set up wrongly: its backend setting is neither servicenow nor \
                 genesys. It follows no calls and sends no wrap-ups until your administrator \
                 corrects it.",
                "Das Widget ist falsch eingerichtet: Seine Einstellung backend ist weder \
                 servicenow noch genesys. Es folgt keinen Anrufen und sendet keine \
                 Nachbearbeitungen, bis Ihr Administrator das korrigiert.",
            ),
            M::NoActiveCalls => ("No active calls", "Keine aktiven Anrufe"),
            M::OpenElsewhere => (
                "The widget is open for this agent in another tab or window. Only one can work at a time, so that no wrap-up is sent twice or overwritten. Using it here stops the other.",
                "Das Widget ist für diesen Agenten in einem anderen Tab oder Fenster geöffnet. Es kann immer nur eines arbeiten, damit keine Nachbearbeitung doppelt gesendet oder überschrieben wird. Wenn Sie es hier verwenden, hält das andere an.",
            ),
            M::UseHere => ("Use it here", "Hier verwenden"),
            M::AgentStateLabel => ("Your status", "Ihr Status"),
            M::AgentStateReady => ("Ready", "Bereit"),
            M::AgentStateNotReady => ("Not ready", "Nicht bereit"),
            M::AgentStateActive => ("On a call", "Im Gespräch"),
            M::AgentStateWrapup => ("Wrapping up", "In Nachbearbeitung"),
            M::AgentStateLogout => ("Logged out", "Abgemeldet"),
            M::AgentStateOffline => ("Offline", "Offline"),
            M::AgentStateUnknown => ("Status unknown", "Status unbekannt"),
            M::TimeInState => ("Time in status", "Zeit im Status"),
            M::GoReady => ("Go ready", "Bereit melden"),
            M::GoNotReady => ("Go not ready", "Nicht bereit melden"),
            M::NotReadyAfterCall => ("Not ready after the call", "Nach dem Anruf nicht bereit"),
            M::ReadyAfterCall => ("Ready after the call", "Nach dem Anruf bereit"),
            M::AfterCall => ("After the call", "Nach dem Anruf"),
            M::NotReadyReason => ("Not-ready reason", "Grund für Nicht bereit"),
            M::NoReason => ("No reason", "Kein Grund"),
            M::ChangeReason => ("Change reason", "Grund ändern"),
            M::ConnectionIdle => ("Not connected", "Nicht verbunden"),
            M::ConnectionLive => ("Connected", "Verbunden"),
            M::ConnectionReconnecting => ("Reconnecting…", "Verbindung wird wiederhergestellt…"),
            M::OutboxLastError => ("Last sending error", "Letzter Sendefehler"),
            M::StorageNotKept => (
                "This browser does not store the widget's data here: a reload loses notes \
                 in progress and wrap-ups not yet sent.",
                "Dieser Browser speichert die Daten des Widgets hier nicht: Beim Neuladen \
                 gehen begonnene Notizen und noch nicht gesendete Nachbearbeitungen verloren.",
            ),
            M::OpenElsewhereUnknown => (
                "The widget cannot tell here whether it is open in another tab or window as \
                 well: use it in one only, so that no wrap-up is sent twice or overwritten.",
                "Das Widget kann hier nicht erkennen, ob es auch in einem anderen Tab oder \
                 Fenster geöffnet ist: Verwenden Sie es nur in einem, damit keine \
                 Nachbearbeitung doppelt gesendet oder überschrieben wird.",
            ),
            M::CallsHeading => ("Calls", "Anrufe"),
            M::UnknownCaller => ("Unknown caller", "Unbekannter Anrufer"),
            M::DirectionIncoming => ("Incoming", "Eingehend"),
            M::DirectionOutgoing => ("Outgoing", "Ausgehend"),
            M::ClassificationCustomer => ("Customer", "Kunde"),
            M::ClassificationConsultation => ("Consultation", "Rückfrage"),
            M::ClassificationConference => ("Conference", "Konferenz"),
            M::ClassificationTransfer => ("Transfer", "Weiterleitung"),
            M::ClassificationInternal => ("Internal", "Intern"),
            M::ClassificationUnknown => ("Other", "Sonstige"),
            M::WorkitemDialling => ("Dialling", "Wählt"),
            M::WorkitemRinging => ("Ringing", "Klingelt"),
            M::WorkitemTalking => ("Talking", "Im Gespräch"),
            M::WorkitemOnHold => ("On hold", "Gehalten"),
            M::WorkitemWrapup => ("Wrap-up", "Nachbearbeitung"),
            M::WorkitemEnded => ("Ended", "Beendet"),
            M::WorkitemUnknown => ("Unknown", "Unbekannt"),
            M::TalkTime => ("Talk time", "Gesprächszeit"),
            M::OnHoldFor => ("On hold for", "Gehalten seit"),
            M::TimeOnHold => ("Time on hold", "Haltezeit"),
            M::Queue => ("Queue", "Warteschlange"),
            M::WrapupHeading => ("Wrap-up", "Nachbearbeitung"),
            M::WrapupOpening => ("Opening the wrap-up…", "Nachbearbeitung wird geöffnet…"),
            M::NewWrapupBelow => ("New wrap-up below", "Neue Nachbearbeitung unten"),
            M::NewWrapupAbove => ("New wrap-up above", "Neue Nachbearbeitung oben"),
            M::TimeLeft => ("Time left", "Verbleibende Zeit"),
            M::BandGreen => ("On time", "Im Zeitplan"),
            M::BandYellow => ("Half time", "Halbzeit"),
            M::BandOrange => ("Hurry", "Knapp"),
            M::BandRed => ("Time's up", "Zeit abgelaufen"),
            M::CodeLabel => ("Wrap-up code", "Abschlusscode"),
            M::FilterCodes => ("Filter codes", "Codes filtern"),
            M::NoMatchingCodes => ("No code matches", "Kein Code passt"),
            M::CustomCodeTag => ("set by integration", "von Integration gesetzt"),
            M::DefaultCodeTag => ("default", "Standard"),
            M::CodeRequiredReason => (
                "Choose a wrap-up code to submit.",
                "Wählen Sie einen Abschlusscode, um abzuschließen.",
            ),
            M::CodeShortcutsHint => (
                "Arrow keys and Enter choose a code; in the list, keys 1 to 9 pick one directly.",
                "Pfeiltasten und Eingabe wählen einen Code; in der Liste wählen die Tasten 1 bis 9 direkt.",
            ),
            M::NotesLabel => ("Notes", "Notizen"),
            M::Submit => ("Submit", "Abschließen"),
            M::SubmitShortcut => ("Ctrl+Enter", "Strg+Eingabe"),
            M::CancelWrapup => ("Cancel wrap-up", "Nachbearbeitung abbrechen"),
            M::Extending => ("Asking for more time…", "Mehr Zeit wird angefragt…"),
            M::Cancelling => (
                "Cancelling the wrap-up…",
                "Nachbearbeitung wird abgebrochen…",
            ),
            M::Cancelled => ("Wrap-up cancelled", "Nachbearbeitung abgebrochen"),
            M::SubmissionSaving => ("Saving…", "Wird gespeichert…"),
            M::SubmissionSent => ("Sending to the server…", "Wird an den Server gesendet…"),
            M::SubmissionConfirmed => ("Saved", "Gespeichert"),
            M::SubmissionFailed => ("Not saved yet", "Noch nicht gespeichert"),
            M::SubmittedAutomatically => (
                "Submitted automatically when the time ran out.",
                "Automatisch abgeschlossen, als die Zeit ablief.",
            ),
            M::Retry => ("Retry", "Erneut versuchen"),
            M::ChangeSubmission => ("Change code or notes", "Code oder Notizen ändern"),
            M::InputKept => (
                "Your code and notes are kept.",
                "Ihr Code und Ihre Notizen bleiben erhalten.",
            ),
            M::ExpiredChooseCode => (
                "No code was chosen in time, so the wrap-up was not submitted. Choose a code \
                 and submit, or dismiss it.",
                "Es wurde nicht rechtzeitig ein Code gewählt, daher wurde die Nachbearbeitung \
                 nicht abgeschlossen. Wählen Sie einen Code und schließen Sie ab, oder verwerfen \
                 Sie sie.",
            ),
            M::ExpiredSubmitByHand => (
                "The time is over. Your wrap-up is sent when you submit it.",
                "Die Zeit ist abgelaufen. Ihre Nachbearbeitung wird gesendet, wenn Sie sie abschließen.",
            ),
            M::Dismiss => ("Dismiss", "Verwerfen"),
            M::UnsavedNotes => ("Your notes, to copy", "Ihre Notizen zum Kopieren"),
            M::DismissQuestion => (
                "Discard this wrap-up? It is not saved, and its code and notes are deleted.",
                "Diese Nachbearbeitung verwerfen? Sie wird nicht gespeichert, Code und Notizen werden gelöscht.",
            ),
            M::KeepIt => ("Keep it", "Behalten"),
            M::CancelWrapupQuestion => (
                "Cancel this wrap-up? The code and notes you entered are not saved.",
                "Diese Nachbearbeitung abbrechen? Code und Notizen werden nicht gespeichert.",
            ),
            M::KeepWrappingUp => ("Keep wrapping up", "Weiter bearbeiten"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_language_tags() {
        assert_eq!(Language::parse("de-CH"), Some(Language::German));
        assert_eq!(Language::parse("DE"), Some(Language::German));
        assert_eq!(Language::parse("en-US"), Some(Language::English));
        assert_eq!(Language::parse("fr"), None);
        assert_eq!(Language::parse(""), None);
    }
}

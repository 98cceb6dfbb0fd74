//! Texts with values in them, and the Desk's refusals in the agent's words.

use wrapup_core::desk::{Announcement, Refusal};
use wrapup_core::extension::ExtensionError;

use super::{Language, Message};

/// A text with values in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phrase {
    /// The notes counter: characters used, and the limit if there is one.
    NotesCount { used: usize, limit: Option<usize> },
    /// A paste did not fit the notes limit.
    PasteCut { cut_chars: usize },
    /// The event stream is reconnecting (attempt number).
    Reconnecting { attempt: u32 },
    /// The event stream's server has not answered a few attempts: its
    /// origin, and the page's when it is another (whose security policy
    /// may allow only itself).
    Unreachable {
        server: String,
        attempt: u32,
        page: Option<String>,
    },
    /// Wrap-ups in the outbox waiting for the backend.
    OutboxPending { count: usize },
    /// A wrap-up the backend refused, which no panel shows (its call is no
    /// longer told): when it was submitted, its code, why it was refused.
    RefusedUnshown {
        time: String,
        code: Option<String>,
        reason: String,
    },
    /// The Extend button's visible text.
    ExtendButton { seconds: i64 },
    /// The Extend button's accessible name.
    ExtendLabel { seconds: i64 },
    /// A screen-reader announcement of the time left.
    TimeAnnouncement(Announcement),
    /// The countdown's accessible text (`1:15 left`).
    ClockLeft { clock: String },
    /// A wrap-up appeared out of the agent's sight, below or above what
    /// they see: its cue's words, then the call (caller and time).
    NewWrapupOutOfSight { cue: Message, call: String },
    /// When the agent's state began, as a local clock time.
    Since { time: String },
    /// The CTI system knows no agent of the id the widget was given.
    UnknownAgent { agent: String },
    /// The reason the outbox gave up.
    FailedBecause { reason: String },
    /// The last wrap-up saved: its code, the caller, when it was submitted.
    Saved {
        code: Option<String>,
        caller: Option<String>,
        time: String,
    },
    /// The selected custom reason is saved in the notes, with this code (if any).
    CustomReasonInNotes { code: Option<String> },
    /// A wrap-up closed without what the agent entered: who the call was
    /// with, the code saved instead, the code the agent had chosen.
    Unsaved {
        caller: Option<String>,
        saved: Option<String>,
        chosen: Option<String>,
        two_visits: bool,
    },
}

impl Phrase {
    /// The text in `language`.
    pub fn text(&self, language: Language) -> String {
        let german = language == Language::German;
        match self {
            Self::NotesCount { used, limit } => match (limit, german) {
                (Some(limit), false) => format!("{used} / {limit} characters"),
                (Some(limit), true) => format!("{used} / {limit} Zeichen"),
                (None, false) => format!("{used} characters"),
                (None, true) => format!("{used} Zeichen"),
            },
            Self::PasteCut { cut_chars } => {
                if german {
                    format!(
                        "Der eingefügte Text war zu lang: {cut_chars} Zeichen wurden weggelassen."
                    )
                } else {
                    format!("The pasted text was too long: {cut_chars} characters were left out.")
                }
            }
            Self::Reconnecting { attempt } => {
                if german {
                    format!("Verbindung wird wiederhergestellt (Versuch {attempt})…")
                } else {
                    format!("Reconnecting (attempt {attempt})…")
                }
            }
            Self::Unreachable {
                server,
                attempt,
                page,
            } => {
                let (unreachable, policy) = if german {
                    (
                        format!(
                            "{server} ist nicht erreichbar (Versuch {attempt}), neuer Versuch folgt…"
                        ),
                        " Die Sicherheitsrichtlinie dieser Seite erlaubt womöglich nur ihren eigenen Server,",
                    )
                } else {
                    (
                        format!("Cannot reach {server} (attempt {attempt}), trying again…"),
                        " This page's security policy may allow only its own server,",
                    )
                };
                match page {
                    Some(page) => format!("{unreachable}{policy} {page}."),
                    None => unreachable,
                }
            }
            Self::OutboxPending { count } => match (count, german) {
                (1, false) => "1 wrap-up waiting to be sent".to_owned(),
                (1, true) => "1 Nachbearbeitung wartet auf das Senden".to_owned(),
                (count, false) => format!("{count} wrap-ups waiting to be sent"),
                (count, true) => format!("{count} Nachbearbeitungen warten auf das Senden"),
            },
            Self::RefusedUnshown { time, code, reason } => {
                let code = code
                    .as_ref()
                    .map_or_else(String::new, |code| format!(" ({code})"));
                if german {
                    format!(
                        "Nicht gespeichert: Ihre Nachbearbeitung von {time}{code}. Grund: \
                         {reason}. Sie bleibt in diesem Browser und wird beim nächsten Laden \
                         des Widgets erneut gesendet."
                    )
                } else {
                    format!(
                        "Not saved: your wrap-up from {time}{code}. Reason: {reason}. It stays in \
                         this browser and is sent again the next time the widget loads."
                    )
                }
            }
            Self::ExtendButton { seconds } => format!("+{seconds} s"),
            Self::ExtendLabel { seconds } => {
                if german {
                    format!("Um {seconds} Sekunden verlängern")
                } else {
                    format!("Extend by {seconds} seconds")
                }
            }
            Self::TimeAnnouncement(announcement) => {
                let seconds = announcement.seconds();
                match (announcement, german) {
                    (Announcement::SixtySeconds, false) => "One minute left to wrap up".to_owned(),
                    (Announcement::SixtySeconds, true) => {
                        "Noch eine Minute für die Nachbearbeitung".to_owned()
                    }
                    (_, false) => format!("{seconds} seconds left to wrap up"),
                    (_, true) => format!("Noch {seconds} Sekunden für die Nachbearbeitung"),
                }
            }
            Self::ClockLeft { clock } => {
                if german {
                    format!("noch {clock}")
                } else {
                    format!("{clock} left")
                }
            }
            Self::NewWrapupOutOfSight { cue, call } => format!("{}: {call}", cue.text(language)),
            Self::Since { time } => {
                if german {
                    format!("seit {time}")
                } else {
                    format!("since {time}")
                }
            }
            Self::UnknownAgent { agent } => {
                if german {
                    format!(
                        "Die CTI-Anlage kennt keinen Agenten „{agent}“: Die Adresse des Widgets \
                         nennt einen falschen Agenten (agent=). Es folgt keinen Anrufen, bis Ihr \
                         Administrator das korrigiert."
                    )
                } else {
                    format!(
                        "The CTI system knows no agent “{agent}”: the widget's address names a \
                         wrong agent (agent=). It follows no calls until your administrator \
                         corrects it."
                    )
                }
            }
            Self::Unsaved {
                caller,
                saved,
                chosen,
                two_visits,
            } => {
                let (call, saved, chosen) = if german {
                    (
                        caller.as_ref().map_or_else(
                            || "des Anrufs".to_owned(),
                            |caller| format!("des Anrufs mit {caller}"),
                        ),
                        saved.as_deref().unwrap_or("keinen Code"),
                        chosen.as_ref().map_or_else(String::new, |code| {
                            format!(" Sie hatten {code} gewählt.")
                        }),
                    )
                } else {
                    (
                        caller.as_ref().map_or_else(
                            || "the call".to_owned(),
                            |caller| format!("the call with {caller}"),
                        ),
                        saved.as_deref().unwrap_or("no code"),
                        chosen
                            .as_ref()
                            .map_or_else(String::new, |code| format!(" You had chosen {code}.")),
                    )
                };
                if *two_visits && german {
                    format!(
                        "Nicht gespeichert: Die Nachbearbeitung {call} wurde bei zwei Besuchen \
                         dieser Seite erledigt. Gespeichert wird die mit {saved}, nicht diese \
                         Notizen.{chosen}"
                    )
                } else if *two_visits {
                    format!(
                        "Not saved: {call} was wrapped up in two visits to this page. The \
                         wrap-up saved is the one with {saved}, not these notes.{chosen}"
                    )
                } else if german {
                    format!(
                        "Nicht gespeichert: Die Zeit für die Nachbearbeitung {call} lief ab, \
                         während das Widget geschlossen war. Der Server hat stattdessen {saved} \
                         gespeichert.{chosen}"
                    )
                } else {
                    format!(
                        "Not saved: the time to wrap up {call} ran out while the widget was \
                         closed, and the server saved {saved} instead.{chosen}"
                    )
                }
            }
            Self::Saved { code, caller, time } => {
                let what: Vec<&str> = [code, caller]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let what = what.join(" · ");
                match (what.is_empty(), german) {
                    (false, false) => format!("Last wrap-up saved at {time}: {what}"),
                    (false, true) => {
                        format!("Letzte Nachbearbeitung um {time} gespeichert: {what}")
                    }
                    (true, false) => format!("Last wrap-up saved at {time}"),
                    (true, true) => format!("Letzte Nachbearbeitung um {time} gespeichert"),
                }
            }
            Self::CustomReasonInNotes { code } => match (code, german) {
                (Some(code), false) => format!(
                    "This reason is saved at the start of the notes, with the code “{code}”."
                ),
                (Some(code), true) => format!(
                    "Dieser Grund wird am Anfang der Notizen gespeichert, mit dem Code „{code}“."
                ),
                (None, false) => {
                    "This reason is saved at the start of the notes, without a code.".to_owned()
                }
                (None, true) => {
                    "Dieser Grund wird am Anfang der Notizen gespeichert, ohne Code.".to_owned()
                }
            },
            Self::FailedBecause { reason } => {
                if german {
                    format!("Grund: {reason}")
                } else {
                    format!("Reason: {reason}")
                }
            }
        }
    }
}

/// Why an action did not happen, in the agent's language. The reasons a
/// backend gave (`ExtensionRefused`, `CancelRefused`) are quoted as they came.
pub fn refusal_text(refusal: &Refusal, language: Language) -> String {
    let german = language == Language::German;
    let fixed = |english: &str, deutsch: &str| if german { deutsch } else { english }.to_owned();
    match refusal {
        Refusal::NoWrapup => fixed(
            "There is no wrap-up in progress for this call.",
            "Für diesen Anruf läuft keine Nachbearbeitung.",
        ),
        Refusal::ConfigurationPending => fixed(
            "The wrap-up is still being opened; try again in a moment.",
            "Die Nachbearbeitung wird noch geöffnet; versuchen Sie es gleich noch einmal.",
        ),
        Refusal::UnknownCode(code) => {
            if german {
                format!("„{code}“ ist kein wählbarer Abschlusscode.")
            } else {
                format!("“{code}” is not one of the wrap-up codes you can choose.")
            }
        }
        Refusal::CodeRequired => fixed(
            "Choose a wrap-up code before submitting.",
            "Wählen Sie vor dem Abschließen einen Abschlusscode.",
        ),
        Refusal::AlreadySubmitted => fixed(
            "The wrap-up was already submitted.",
            "Die Nachbearbeitung wurde bereits abgeschlossen.",
        ),
        Refusal::Cancelled => fixed(
            "The wrap-up was cancelled.",
            "Die Nachbearbeitung wurde abgebrochen.",
        ),
        Refusal::CancelPending => fixed(
            "The wrap-up is being cancelled.",
            "Die Nachbearbeitung wird gerade abgebrochen.",
        ),
        Refusal::NoDeadline => fixed(
            "This wrap-up has no time limit to extend.",
            "Diese Nachbearbeitung hat kein Zeitlimit, das verlängert werden könnte.",
        ),
        Refusal::Expired => fixed(
            "The wrap-up time is over.",
            "Die Zeit für die Nachbearbeitung ist abgelaufen.",
        ),
        Refusal::ExtensionPending => fixed(
            "More time is already being requested.",
            "Mehr Zeit wird bereits angefragt.",
        ),
        Refusal::Extension(ExtensionError::TooShort) => fixed(
            "An extension must add at least 5 seconds.",
            "Eine Verlängerung muss mindestens 5 Sekunden betragen.",
        ),
        Refusal::Extension(ExtensionError::TooLong) => fixed(
            "An extension may add at most 15 minutes.",
            "Eine Verlängerung darf höchstens 15 Minuten betragen.",
        ),
        Refusal::ExtensionRefused(reason) => {
            if german {
                format!("Die Nachbearbeitung konnte nicht verlängert werden: {reason}")
            } else {
                format!("The wrap-up could not be extended: {reason}")
            }
        }
        Refusal::CancelRefused(reason) => {
            if german {
                format!("Die Nachbearbeitung konnte nicht abgebrochen werden: {reason}")
            } else {
                format!("The wrap-up could not be cancelled: {reason}")
            }
        }
        // The wrap-up panel's own message says this; the refusal says the same.
        Refusal::NoCodeAtExpiry => Message::ExpiredChooseCode.text(language).to_owned(),
        Refusal::StillOpen => fixed(
            "The wrap-up is still open; submit or cancel it.",
            "Die Nachbearbeitung ist noch offen; schließen Sie sie ab oder brechen Sie sie ab.",
        ),
        Refusal::NotesTruncated { limit, cut_chars } => {
            if german {
                format!(
                    "Die Notizen wurden auf {limit} Zeichen gekürzt ({cut_chars} Zeichen entfernt)."
                )
            } else {
                format!(
                    "The notes were cut to {limit} characters ({cut_chars} characters removed)."
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_translated() {
        let english = refusal_text(&Refusal::CodeRequired, Language::English);
        let german = refusal_text(&Refusal::CodeRequired, Language::German);
        assert_ne!(english, german);
        assert!(german.contains("Abschlusscode"));
    }

    #[test]
    fn the_notes_counter_names_the_limit() {
        let counter = Phrase::NotesCount {
            used: 12,
            limit: Some(64),
        };
        assert_eq!(counter.text(Language::English), "12 / 64 characters");
        assert_eq!(counter.text(Language::German), "12 / 64 Zeichen");
    }

    #[test]
    fn a_wrapup_closed_without_the_agents_entry_says_what_was_saved() {
        let unsaved = Phrase::Unsaved {
            caller: Some("+4930123456".to_owned()),
            saved: Some("Billing Issue".to_owned()),
            chosen: None,
            two_visits: false,
        };
        assert_eq!(
            unsaved.text(Language::German),
            "Nicht gespeichert: Die Zeit für die Nachbearbeitung des Anrufs mit +4930123456 lief \
             ab, während das Widget geschlossen war. Der Server hat stattdessen Billing \
             Issue gespeichert."
        );
        let unknown = Phrase::Unsaved {
            caller: None,
            saved: None,
            chosen: Some("Sales".to_owned()),
            two_visits: false,
        };
        assert_eq!(
            unknown.text(Language::English),
            "Not saved: the time to wrap up the call ran out while the widget was closed, and \
             the server saved no code instead. You had chosen Sales."
        );
        // A CRM page that connected late to a widget which had started alone
        // (runtime::host_copy): the wrap-up was done in both visits.
        let twice = Phrase::Unsaved {
            caller: Some("+4930123456".to_owned()),
            saved: Some("Store Issue".to_owned()),
            chosen: Some("Billing Issue".to_owned()),
            two_visits: true,
        };
        assert_eq!(
            twice.text(Language::English),
            "Not saved: the call with +4930123456 was wrapped up in two visits to this page. \
             The wrap-up saved is the one with Store Issue, not these notes. You had chosen \
             Billing Issue."
        );
        assert_eq!(
            twice.text(Language::German),
            "Nicht gespeichert: Die Nachbearbeitung des Anrufs mit +4930123456 wurde bei zwei \
             Besuchen dieser Seite erledigt. Gespeichert wird die mit Store Issue, nicht diese \
             Notizen. Sie hatten Billing Issue gewählt."
        );
    }
}

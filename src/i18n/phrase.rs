//! Texts with values in them, and the Desk's refusals in the agent's words.

use std::fmt::{self, Write as _};

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
        let words = |english: &'static str, german: &'static str| match language {
            Language::English => english,
            Language::German => german,
        };
        match self {
            Self::NotesCount { used, limit } => {
                let unit = words("characters", "Zeichen");
                match limit {
                    Some(limit) => fill("{} / {} {}", &[used, limit, &unit]),
                    None => fill("{} {}", &[used, &unit]),
                }
            }
            Self::PasteCut { cut_chars } => fill(
                words(
                    "The pasted text was too long: {} characters were left out.",
                    "Der eingefügte Text war zu lang: {} Zeichen wurden weggelassen.",
                ),
                &[cut_chars],
            ),
            Self::Reconnecting { attempt } => fill(
                words(
                    "Reconnecting (attempt {})…",
                    "Verbindung wird wiederhergestellt (Versuch {})…",
                ),
                &[attempt],
            ),
            Self::Unreachable {
                server,
                attempt,
                page,
            } => {
                let mut text = fill(
                    words(
                        "Cannot reach {} (attempt {}), trying again…",
                        "{} ist nicht erreichbar (Versuch {}), neuer Versuch folgt…",
                    ),
                    &[server, attempt],
                );
                if let Some(page) = page {
                    text.push_str(&fill(
                        words(
                            " This page's security policy may allow only its own server, {}.",
                            " Die Sicherheitsrichtlinie dieser Seite erlaubt womöglich nur ihren \
                             eigenen Server, {}.",
                        ),
                        &[page],
                    ));
                }
                text
            }
            Self::OutboxPending { count: 1 } => words(
                "1 wrap-up waiting to be sent",
                "1 Nachbearbeitung wartet auf das Senden",
            )
            .to_owned(),
            Self::OutboxPending { count } => fill(
                words(
                    "{} wrap-ups waiting to be sent",
                    "{} Nachbearbeitungen warten auf das Senden",
                ),
                &[count],
            ),
            Self::RefusedUnshown { time, code, reason } => {
                let code = code
                    .as_ref()
                    .map_or_else(String::new, |code| fill(" ({})", &[code]));
                fill(
                    words(
                        "Not saved: your wrap-up from {}{}. Reason: {}. It stays in this browser \
                         and is sent again the next time the widget loads.",
                        "Nicht gespeichert: Ihre Nachbearbeitung von {}{}. Grund: {}. Sie bleibt \
                         in diesem Browser und wird beim nächsten Laden des Widgets erneut \
                         gesendet.",
                    ),
                    &[time, &code, reason],
                )
            }
            Self::ExtendButton { seconds } => fill("+{} s", &[seconds]),
            Self::ExtendLabel { seconds } => fill(
                words("Extend by {} seconds", "Um {} Sekunden verlängern"),
                &[seconds],
            ),
            Self::TimeAnnouncement(Announcement::SixtySeconds) => words(
                "One minute left to wrap up",
                "Noch eine Minute für die Nachbearbeitung",
            )
            .to_owned(),
            Self::TimeAnnouncement(announcement) => fill(
                words(
                    "{} seconds left to wrap up",
                    "Noch {} Sekunden für die Nachbearbeitung",
                ),
                &[&announcement.seconds()],
            ),
            Self::ClockLeft { clock } => fill(words("{} left", "noch {}"), &[clock]),
            Self::NewWrapupOutOfSight { cue, call } => fill("{}: {}", &[&cue.text(language), call]),
            Self::Since { time } => fill(words("since {}", "seit {}"), &[time]),
            Self::UnknownAgent { agent } => fill(
                words(
                    "The CTI system knows no agent “{}”: the widget's address names a wrong \
                     agent (agent=). It follows no calls until your administrator corrects it.",
                    "Die CTI-Anlage kennt keinen Agenten „{}“: Die Adresse des Widgets nennt \
                     einen falschen Agenten (agent=). Es folgt keinen Anrufen, bis Ihr \
                     Administrator das korrigiert.",
                ),
                &[agent],
            ),
            Self::Unsaved {
                caller,
                saved,
                chosen,
                two_visits,
            } => {
                let call = match caller {
                    Some(caller) => fill(words("the call with {}", "des Anrufs mit {}"), &[caller]),
                    None => words("the call", "des Anrufs").to_owned(),
                };
                let saved = saved.as_deref().unwrap_or(words("no code", "keinen Code"));
                let chosen = chosen.as_ref().map_or_else(String::new, |code| {
                    fill(
                        words(" You had chosen {}.", " Sie hatten {} gewählt."),
                        &[code],
                    )
                });
                let template = if *two_visits {
                    words(
                        "Not saved: {} was wrapped up in two visits to this page. The wrap-up \
                         saved is the one with {}, not these notes.{}",
                        "Nicht gespeichert: Die Nachbearbeitung {} wurde bei zwei Besuchen \
                         dieser Seite erledigt. Gespeichert wird die mit {}, nicht diese \
                         Notizen.{}",
                    )
                } else {
                    words(
                        "Not saved: the time to wrap up {} ran out while the widget was closed, \
                         and the server saved {} instead.{}",
                        "Nicht gespeichert: Die Zeit für die Nachbearbeitung {} lief ab, während \
                         das Widget geschlossen war. Der Server hat stattdessen {} \
                         gespeichert.{}",
                    )
                };
                fill(template, &[&call, &saved, &chosen])
            }
            Self::Saved { code, caller, time } => {
                let mut text = fill(
                    words(
                        "Last wrap-up saved at {}",
                        "Letzte Nachbearbeitung um {} gespeichert",
                    ),
                    &[time],
                );
                // `: code · caller`, of those known.
                let mut what = String::new();
                for (index, part) in [code, caller].into_iter().flatten().enumerate() {
                    if index > 0 {
                        what.push_str(" · ");
                    }
                    what.push_str(part);
                }
                if !what.is_empty() {
                    text.push_str(": ");
                    text.push_str(&what);
                }
                text
            }
            Self::CustomReasonInNotes { code: Some(code) } => fill(
                words(
                    "This reason is saved at the start of the notes, with the code “{}”.",
                    "Dieser Grund wird am Anfang der Notizen gespeichert, mit dem Code „{}“.",
                ),
                &[code],
            ),
            Self::CustomReasonInNotes { code: None } => words(
                "This reason is saved at the start of the notes, without a code.",
                "Dieser Grund wird am Anfang der Notizen gespeichert, ohne Code.",
            )
            .to_owned(),
            Self::FailedBecause { reason } => fill(words("Reason: {}", "Grund: {}"), &[reason]),
        }
    }
}

/// `template` with each `{}` replaced by the next of `values`.
///
/// Every text with values goes through this one function, its template
/// chosen by language, rather than through a `format!` of its own for each
/// language: each `format!` is code in the widget's wasm, a template only
/// text (the wasm is smaller).
fn fill(template: &str, values: &[&dyn fmt::Display]) -> String {
    // Split at the placeholders' `{` (the texts have no other), each piece
    // after one beginning with its `}`: a search for a character rather
    // than for text (the wasm then holds no searcher of text).
    let mut pieces = template.split('{');
    let mut text = pieces.next().unwrap_or_default().to_owned();
    for (value, piece) in values.iter().zip(pieces) {
        // Writing to a `String` does not fail.
        let _ = write!(text, "{value}");
        text.push_str(piece.strip_prefix('}').unwrap_or(piece));
    }
    text
}

/// Why an action did not happen, in the agent's language. The reasons a
/// backend gave (`ExtensionRefused`, `CancelRefused`) are quoted as they came.
pub fn refusal_text(refusal: &Refusal, language: Language) -> String {
    let words = |english: &'static str, german: &'static str| match language {
        Language::English => english,
        Language::German => german,
    };
    let fixed = |english, german| words(english, german).to_owned();
    match refusal {
        Refusal::NoWrapup => fixed(
            "There is no wrap-up in progress for this call.",
            "Für diesen Anruf läuft keine Nachbearbeitung.",
        ),
        Refusal::ConfigurationPending => fixed(
            "The wrap-up is still being opened; try again in a moment.",
            "Die Nachbearbeitung wird noch geöffnet; versuchen Sie es gleich noch einmal.",
        ),
        Refusal::UnknownCode(code) => fill(
            words(
                "“{}” is not one of the wrap-up codes you can choose.",
                "„{}“ ist kein wählbarer Abschlusscode.",
            ),
            &[code],
        ),
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
        Refusal::ExtensionRefused(reason) => fill(
            words(
                "The wrap-up could not be extended: {}",
                "Die Nachbearbeitung konnte nicht verlängert werden: {}",
            ),
            &[reason],
        ),
        Refusal::CancelRefused(reason) => fill(
            words(
                "The wrap-up could not be cancelled: {}",
                "Die Nachbearbeitung konnte nicht abgebrochen werden: {}",
            ),
            &[reason],
        ),
        // The wrap-up panel's own message says this; the refusal says the same.
        Refusal::NoCodeAtExpiry => Message::ExpiredChooseCode.text(language).to_owned(),
        Refusal::StillOpen => fixed(
            "The wrap-up is still open; submit or cancel it.",
            "Die Nachbearbeitung ist noch offen; schließen Sie sie ab oder brechen Sie sie ab.",
        ),
        Refusal::NotesTruncated { limit, cut_chars } => fill(
            words(
                "The notes were cut to {} characters ({} characters removed).",
                "Die Notizen wurden auf {} Zeichen gekürzt ({} Zeichen entfernt).",
            ),
            &[limit, cut_chars],
        ),
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

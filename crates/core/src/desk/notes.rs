//! The notes limit: how much text a backend keeps, counted the way that
//! backend counts, and what happens to a paste that does not fit.
//!
//! Limits never count bytes: an agent writing "Müller" has used six
//! characters, not seven. What a "character" is depends on the backend
//! ([`NotesUnit`]): ServiceNow counts Unicode scalar values; Genesys counts
//! UTF-16 code units, as [`crate::genesys::text_length`] does (one emoji
//! counts two). Cutting never splits a character, in either unit.

use crate::genesys;
use crate::text::part;

/// ServiceNow keeps at most 4000 characters of wrap-up notes.
pub const SERVICENOW_NOTES_LIMIT: usize = 4000;

/// Genesys keeps at most 64 UTF-16 code units of `disposition_desc`.
pub const GENESYS_DISPOSITION_DESC_LIMIT: usize = genesys::DISPOSITION_DESC_MAX_CHARS;

/// How a backend counts the length of notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotesUnit {
    /// Unicode scalar values (Rust `char`s): ServiceNow.
    Chars,
    /// UTF-16 code units, as Java and a browser's `maxlength` count: Genesys.
    Utf16,
}

impl NotesUnit {
    /// The length of `text` in this unit.
    pub fn length(self, text: &str) -> usize {
        match self {
            Self::Chars => text.chars().count(),
            Self::Utf16 => genesys::text_length(text),
        }
    }

    /// The length of one character in this unit.
    fn char_length(self, character: char) -> usize {
        match self {
            Self::Chars => 1,
            Self::Utf16 => character.len_utf16(),
        }
    }
}

/// The most notes a backend keeps, in its own unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotesLimit {
    max_chars: usize,
    unit: NotesUnit,
}

/// Text cut to fit a [`NotesLimit`], and how much was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittedText {
    /// The part that fits.
    pub text: String,
    /// How much was cut off the end, in the limit's unit (0 when everything fit).
    pub cut_chars: usize,
}

impl FittedText {
    /// Whether anything was cut, so the widget can say so.
    pub fn was_cut(&self) -> bool {
        self.cut_chars > 0
    }
}

impl NotesLimit {
    /// The ServiceNow profile's limit.
    pub const SERVICENOW: Self = Self::new(SERVICENOW_NOTES_LIMIT);
    /// The Genesys profile's limit: `disposition_desc`, as Genesys counts it.
    pub const GENESYS: Self = Self::utf16(genesys::DISPOSITION_DESC_MAX_CHARS);

    /// A limit of `max_chars` characters (Unicode scalar values).
    pub const fn new(max_chars: usize) -> Self {
        Self {
            max_chars,
            unit: NotesUnit::Chars,
        }
    }

    /// A limit of `max_units` UTF-16 code units.
    pub const fn utf16(max_units: usize) -> Self {
        Self {
            max_chars: max_units,
            unit: NotesUnit::Utf16,
        }
    }

    /// The most allowed, in [`NotesLimit::unit`].
    pub fn max_chars(self) -> usize {
        self.max_chars
    }

    /// How this limit counts.
    pub fn unit(self) -> NotesUnit {
        self.unit
    }

    /// How many characters `text` has, counted as Unicode scalar values
    /// whatever the limit. To measure text against a limit, use
    /// [`NotesLimit::length`].
    pub fn count(text: &str) -> usize {
        NotesUnit::Chars.length(text)
    }

    /// The length of `text` as this limit counts it.
    pub fn length(self, text: &str) -> usize {
        self.unit.length(text)
    }

    /// How much may still be added to `text` (0 when at or over).
    pub fn remaining(self, text: &str) -> usize {
        self.max_chars.saturating_sub(self.length(text))
    }

    /// Whether `text` fits.
    pub fn fits(self, text: &str) -> bool {
        self.length(text) <= self.max_chars
    }

    /// `text` cut to the limit.
    pub fn fit(self, text: &str) -> FittedText {
        self.take(text, self.max_chars)
    }

    /// The part of `pasted` that fits after `current` (wherever the widget
    /// inserts it: only the length matters).
    pub fn fit_paste(self, current: &str, pasted: &str) -> FittedText {
        self.take(pasted, self.remaining(current))
    }

    /// The longest start of `text` at most `room` long, cut at a character
    /// boundary (a surrogate pair is never split).
    fn take(self, text: &str, room: usize) -> FittedText {
        let mut used = 0;
        for (byte_index, character) in text.char_indices() {
            used += self.unit.char_length(character);
            if used > room {
                return FittedText {
                    text: part(text, ..byte_index).to_owned(),
                    cut_chars: self.length(part(text, byte_index..)),
                };
            }
        }
        FittedText {
            text: text.to_owned(),
            cut_chars: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(NotesLimit::count("Müller"), 6);
        assert_eq!(NotesLimit::count("日本語"), 3);
        assert!(NotesLimit::new(3).fits("日本語"));
        assert!(!NotesLimit::new(2).fits("日本語"));
    }

    #[test]
    fn fits_cut_at_a_character_boundary_and_say_how_much_was_cut() {
        let fitted = NotesLimit::new(2).fit("äöü");
        assert_eq!(fitted.text, "äö");
        assert_eq!(fitted.cut_chars, 1);
        assert!(fitted.was_cut());
        assert!(!NotesLimit::new(3).fit("äöü").was_cut());
    }

    #[test]
    fn a_paste_is_cut_to_the_room_left() {
        let limit = NotesLimit::GENESYS;
        let current = "x".repeat(60);
        let fitted = limit.fit_paste(&current, "abcdefgh");
        assert_eq!(fitted.text, "abcd");
        assert_eq!(fitted.cut_chars, 4);
        let full = "x".repeat(70);
        assert_eq!(limit.fit_paste(&full, "ab").text, "");
        assert_eq!(limit.remaining(&full), 0);
    }

    #[test]
    fn the_backend_limits_are_the_documented_numbers() {
        assert_eq!(NotesLimit::SERVICENOW.max_chars(), 4000);
        assert_eq!(NotesLimit::SERVICENOW.unit(), NotesUnit::Chars);
        assert_eq!(NotesLimit::GENESYS.max_chars(), 64);
        assert_eq!(NotesLimit::GENESYS.unit(), NotesUnit::Utf16);
    }

    /// Regression: the Genesys notes limit counted `char`s while Genesys (and
    /// `genesys::text_length`) counts UTF-16 units, so 64 emoji passed the
    /// Desk and were refused by the backend.
    #[test]
    fn the_genesys_limit_counts_as_genesys_does() {
        let emoji = "😀".repeat(40);
        assert_eq!(NotesLimit::GENESYS.length(&emoji), 80);
        assert!(!NotesLimit::GENESYS.fits(&emoji));
        let fitted = NotesLimit::GENESYS.fit(&emoji);
        assert_eq!(fitted.text, "😀".repeat(32));
        assert_eq!(fitted.cut_chars, 16);
        assert!(genesys::text_length(&fitted.text) <= genesys::DISPOSITION_DESC_MAX_CHARS);
    }

    #[test]
    fn a_surrogate_pair_is_never_split() {
        let limit = NotesLimit::utf16(5);
        let fitted = limit.fit("ab😀😀");
        assert_eq!(
            fitted.text, "ab😀",
            "the second emoji would need units 5 and 6"
        );
        assert_eq!(fitted.cut_chars, 2);
        let pasted = limit.fit_paste("abcd", "😀x");
        assert_eq!(pasted.text, "", "one unit left: no room for half an emoji");
        assert_eq!(pasted.cut_chars, 3);
        assert_eq!(limit.fit_paste("abc", "😀x").text, "😀");
    }
}

//! The notes limit: how many characters a backend keeps, and what happens to
//! a paste that does not fit.
//!
//! Limits count characters (Unicode scalar values), never bytes: an agent
//! writing "Müller" has used six of them, not seven.

/// ServiceNow keeps at most 4000 characters of wrap-up notes.
pub const SERVICENOW_NOTES_LIMIT: usize = 4000;

/// Genesys keeps at most 64 characters of `disposition_desc`.
pub const GENESYS_DISPOSITION_DESC_LIMIT: usize = 64;

/// The most characters of notes a backend keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotesLimit {
    max_chars: usize,
}

/// Text cut to fit a [`NotesLimit`], and how much was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittedText {
    /// The part that fits.
    pub text: String,
    /// How many characters were cut off the end (0 when everything fit).
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
    /// The Genesys profile's limit.
    pub const GENESYS: Self = Self::new(GENESYS_DISPOSITION_DESC_LIMIT);

    /// A limit of `max_chars` characters.
    pub const fn new(max_chars: usize) -> Self {
        Self { max_chars }
    }

    /// The most characters allowed.
    pub fn max_chars(self) -> usize {
        self.max_chars
    }

    /// How many characters `text` has, as this limit counts them.
    pub fn count(text: &str) -> usize {
        text.chars().count()
    }

    /// How many characters may still be added to `text` (0 when at or over).
    pub fn remaining(self, text: &str) -> usize {
        self.max_chars.saturating_sub(Self::count(text))
    }

    /// Whether `text` fits.
    pub fn fits(self, text: &str) -> bool {
        Self::count(text) <= self.max_chars
    }

    /// `text` cut to the limit.
    pub fn fit(self, text: &str) -> FittedText {
        Self::take_chars(text, self.max_chars)
    }

    /// The part of `pasted` that fits after `current` (wherever the widget
    /// inserts it: only the number of characters matters).
    pub fn fit_paste(self, current: &str, pasted: &str) -> FittedText {
        Self::take_chars(pasted, self.remaining(current))
    }

    fn take_chars(text: &str, max_chars: usize) -> FittedText {
        match text.char_indices().nth(max_chars) {
            None => FittedText {
                text: text.to_owned(),
                cut_chars: 0,
            },
            Some((byte_index, _)) => FittedText {
                text: text[..byte_index].to_owned(),
                cut_chars: text[byte_index..].chars().count(),
            },
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
        assert_eq!(NotesLimit::GENESYS.max_chars(), 64);
    }
}

//! Text cut at byte indices, without Rust's indexing of `str`.
//!
//! `&text[range]` panics when the range cuts a character, and that panic
//! formats the character with `{:?}`, which brings Rust's Unicode tables
//! of printable characters and their escaping into every binary that slices
//! a string: 4 KB of the widget's gzip-compressed wasm, which needs them for
//! nothing else. The core and the widget therefore deny
//! `clippy::string_slice` and cut text with [`part`].

use std::slice::SliceIndex;

/// `text[range]`, for a range on character boundaries, as indexing requires
/// (the callers find their indices by scanning the text). A range that
/// cuts a character panics, with a plain message.
pub fn part<R: SliceIndex<str, Output = str>>(text: &str, range: R) -> &str {
    text.get(range)
        .expect("a range of text on character boundaries")
}

#[cfg(test)]
mod tests {
    use super::part;

    #[test]
    fn a_part_is_what_indexing_gives() {
        let text = "aü😀b";
        assert_eq!(part(text, 1..3), "ü");
        assert_eq!(part(text, 3..), "😀b");
        assert_eq!(part(text, ..1), "a");
        assert_eq!(part(text, 7..), "b");
        assert_eq!(part(text, 8..), "");
    }

    #[test]
    #[should_panic(expected = "a range of text on character boundaries")]
    fn a_range_that_cuts_a_character_panics() {
        part("aü", 2..);
    }
}

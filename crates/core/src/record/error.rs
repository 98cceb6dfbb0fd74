//! The error of a reader: where in the JSON value it is (a path of
//! fields and indices, added as it travels up) and what is wrong, in serde's
//! words as serde_json writes them.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{self, Expected, Unexpected};

use crate::bs::wire;
use crate::json::{Number, Value};
use crate::parse::ParseError;

/// A JSON value that cannot be read as the type: where it is, and what
/// is wrong with it, in serde's words.
///
/// Boxed: a reader's result then carries one pointer for its error, which
/// each `?` of each field passes on (the wasm is smaller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub(super) Box<ErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ErrorDetail {
    /// The path from the innermost segment outwards: segments are added as
    /// the error travels up from the field to the body.
    reversed_path: Vec<Segment>,
    pub(super) message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A field's name, or a key of a map whose keys are data.
    Key(Cow<'static, str>),
    Index(usize),
}

impl de::Error for ReadError {
    /// An error about the value itself, in `message`'s words; no path yet.
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(Box::new(ErrorDetail {
            reversed_path: Vec::new(),
            message: message.to_string(),
        }))
    }

    /// serde's words, with a value named as serde_json names it.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {expected}",
            JsonUnexpected(unexpected)
        ))
    }

    /// serde's words, with a value named as serde_json names it.
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {expected}",
            JsonUnexpected(unexpected)
        ))
    }
}

/// A value in an error as serde_json words it: `null` rather than serde's
/// "unit value", a float as JSON writes it (not through Rust's float
/// formatting, which serde's words would add to the widget's wasm), and a
/// string quoted by [`write_quoted`].
struct JsonUnexpected<'a>(Unexpected<'a>);

impl fmt::Display for JsonUnexpected<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Unit => formatter.write_str("null"),
            Unexpected::Str(text) => {
                formatter.write_str("string ")?;
                write_quoted(formatter, text)
            }
            Unexpected::Float(float) => {
                formatter.write_str("floating point `")?;
                match Number::from_f64(float) {
                    Some(number) => number.fmt(formatter)?,
                    None if float.is_nan() => formatter.write_str("NaN")?,
                    None if float > 0.0 => formatter.write_str("inf")?,
                    None => formatter.write_str("-inf")?,
                }
                formatter.write_str("`")
            }
            other => other.fmt(formatter),
        }
    }
}

/// `text` quoted as serde's `{:?}` quotes it (serde words a string in an
/// error so), for every ASCII character and control: `"`, `\` and the
/// controls escaped as Rust escapes them. Any other character is written as
/// it is, where `{:?}` escapes those Rust's Unicode tables call unprintable
/// or combining: the tables are 4 KB of the widget's wasm ([`crate::text`]),
/// and the character itself reads better in an error.
fn write_quoted(formatter: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    formatter.write_char('"')?;
    for character in text.chars() {
        match character {
            '"' => formatter.write_str("\\\"")?,
            '\\' => formatter.write_str("\\\\")?,
            '\0' => formatter.write_str("\\0")?,
            '\t' => formatter.write_str("\\t")?,
            '\r' => formatter.write_str("\\r")?,
            '\n' => formatter.write_str("\\n")?,
            '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                write!(formatter, "\\u{{{:x}}}", u32::from(character))?;
            }
            _ => formatter.write_char(character)?,
        }
    }
    formatter.write_char('"')
}

impl ReadError {
    /// An error about the value itself, in `message`'s words.
    pub fn custom(message: impl fmt::Display) -> Self {
        <Self as de::Error>::custom(message)
    }

    pub(super) fn at_key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.0.reversed_path.push(Segment::Key(key.into()));
        self
    }

    /// [`ReadError::at_key`] for a field's name. Not inlined: each reader of
    /// each type calls it on error (the wasm is smaller).
    #[inline(never)]
    pub(super) fn at_field(self, key: &'static str) -> Self {
        self.at_key(key)
    }

    pub(super) fn at_index(mut self, index: usize) -> Self {
        self.0.reversed_path.push(Segment::Index(index));
        self
    }
}

impl ReadError {
    /// The path as `serde_path_to_error` writes it (`associations[0].id`);
    /// empty for the value itself.
    pub(super) fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.0.reversed_path.iter().rev() {
            match segment {
                Segment::Key(key) if path.is_empty() => path.push_str(key),
                Segment::Key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }
}

impl fmt::Display for ReadError {
    /// `path: message`, or the message alone for the value itself.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if !path.is_empty() {
            formatter.write_str(&path)?;
            formatter.write_str(": ")?;
        }
        formatter.write_str(&self.0.message)
    }
}

impl From<ReadError> for ParseError {
    /// The same error as [`crate::parse`] reports it: the path (`.` for the
    /// value itself) and serde's message.
    fn from(error: ReadError) -> Self {
        ParseError::new(error.path(), error.0.message)
    }
}

impl std::error::Error for ReadError {}

/// The error serde_json gives for `value` where `expected` should be.
pub(crate) fn invalid_type(value: &Value, expected: &str) -> ReadError {
    de::Error::invalid_type(wire::unexpected(value), &expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> String {
        JsonUnexpected(Unexpected::Str(text)).to_string()
    }

    /// A string of ASCII and controls in an error reads as serde's `{:?}` of
    /// it: quotes, backslashes and every control escaped as Rust escapes them.
    #[test]
    fn ascii_is_quoted_as_debug_quotes_it() {
        let every_ascii: String = (0..=0x9f_u8).map(char::from).collect();
        for text in [
            "",
            "plain text",
            "\"quoted\" and 'quoted'",
            "back\\slash",
            &every_ascii,
        ] {
            assert_eq!(quoted(text), format!("string {text:?}"));
        }
        for character in every_ascii.chars() {
            let text = character.to_string();
            assert_eq!(quoted(&text), format!("string {text:?}"));
        }
    }

    /// Any other character is written as it is, also those Rust's `{:?}`
    /// would escape: combining marks, joiners, unassigned code points.
    #[test]
    fn other_characters_are_written_as_they_are() {
        for text in [
            "caf\u{e9}",
            "e\u{301}",
            "\u{1f44d}\u{1f3fd}\u{200d}",
            "\u{ad}\u{378}\u{10ffff}",
        ] {
            assert_eq!(quoted(text), format!("string \"{text}\""));
        }
    }
}

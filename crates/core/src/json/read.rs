//! JSON text into a [`Value`], as serde_json reads it into its own value:
//! the same values, and the same errors at the same line and column.
//!
//! The widget reads every body, event and request this way
//! ([`crate::parse::read`]): serde_json's reader of text, its errors and
//! their words are then not in its wasm, nor its reader of a number
//! (`number.rs` reads each as it does). The server and the tests read
//! through serde as before.

use std::fmt;

use super::{Map, Value};
use crate::text::part;

/// Reads `text`, one JSON value with whitespace around it at most.
pub fn from_str(text: &str) -> Result<Value, SyntaxError> {
    let mut reader = Reader {
        text,
        index: 0,
        remaining_depth: 128,
    };
    let value = reader.value()?;
    match reader.whitespace() {
        Some(_) => Err(reader.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    }
}

/// Text that is not JSON: what serde_json says of it, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    message: &'static str,
    line: usize,
    column: usize,
}

impl SyntaxError {
    /// The line of the byte the error is about, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The byte on its line the error is about, from 1 (0 before the
    /// line's first byte).
    pub fn column(&self) -> usize {
        self.column
    }

    /// Whether the text ended before the value did.
    pub fn is_eof(&self) -> bool {
        self.message.starts_with("EOF ")
    }
}

impl fmt::Display for SyntaxError {
    /// serde_json's words: `expected value at line 1 column 5`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for SyntaxError {}

// serde_json's messages.
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// Where in the text the reader is: `index` is the next byte to read.
struct Reader<'a> {
    text: &'a str,
    index: usize,
    /// How many more lists and objects may open, as serde_json allows.
    remaining_depth: u8,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.index).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.index += 1;
        Some(byte)
    }

    /// The next byte that is not whitespace, not taken.
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.index += 1;
        }
        self.peek()
    }

    /// An error about the byte just taken (at the end: after the last byte).
    fn error(&self, message: &'static str) -> SyntaxError {
        self.error_at(self.index, message)
    }

    /// An error about the byte not yet taken (at the end: after the last byte).
    fn peek_error(&self, message: &'static str) -> SyntaxError {
        self.error_at((self.index + 1).min(self.text.len()), message)
    }

    /// serde_json's position for `index`: the line, and the column of the
    /// byte before `index` on it.
    fn error_at(&self, index: usize, message: &'static str) -> SyntaxError {
        let before = &self.text.as_bytes()[..index];
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        SyntaxError {
            message,
            line: 1 + before[..line_start]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count(),
            column: index - line_start,
        }
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        let Some(peek) = self.whitespace() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match peek {
            b'n' => self.word("null", Value::Null),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            b'"' => {
                self.index += 1;
                self.string().map(Value::String)
            }
            b'[' | b'{' => {
                self.remaining_depth -= 1;
                if self.remaining_depth == 0 {
                    return Err(self.peek_error(RECURSION_LIMIT));
                }
                self.index += 1;
                let value = if peek == b'[' {
                    self.list()
                } else {
                    self.object()
                };
                self.remaining_depth += 1;
                value
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    /// `null`, `true` or `false`, whose first letter was seen.
    fn word(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        for expected in word.bytes() {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(byte) if byte != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    /// The items of a list whose `[` was taken, and its `]`.
    fn list(&mut self) -> Result<Value, SyntaxError> {
        let mut items = Vec::new();
        loop {
            match self.whitespace() {
                None => return Err(self.peek_error(EOF_LIST)),
                Some(b']') => {
                    self.index += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) if items.is_empty() => {}
                Some(b',') => {
                    self.index += 1;
                    match self.whitespace() {
                        Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => {}
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END)),
            }
            items.push(self.value()?);
        }
    }

    /// The fields of an object whose `{` was taken, and its `}`.
    fn object(&mut self) -> Result<Value, SyntaxError> {
        let mut fields = Map::new();
        loop {
            match self.whitespace() {
                None => return Err(self.peek_error(EOF_OBJECT)),
                Some(b'}') => {
                    self.index += 1;
                    return Ok(Value::Object(fields));
                }
                Some(b'"') if fields.is_empty() => {}
                Some(_) if fields.is_empty() => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                Some(b',') => {
                    self.index += 1;
                    match self.whitespace() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                        Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                        None => return Err(self.peek_error(EOF_VALUE)),
                    }
                }
                Some(_) => return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END)),
            }
            self.index += 1;
            let key = self.string()?;
            match self.whitespace() {
                Some(b':') => self.index += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            fields.insert(key, value);
        }
    }

    /// The text of a string whose `"` was taken, and its closing `"`.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let mut text = String::new();
        let mut start = self.index;
        loop {
            let Some(byte) = self.next() else {
                return Err(self.error(EOF_STRING));
            };
            match byte {
                b'"' | b'\\' => {
                    // Both are ASCII, so the text up to them is whole characters.
                    text.push_str(part(self.text, start..self.index - 1));
                    if byte == b'"' {
                        return Ok(text);
                    }
                    self.escape(&mut text)?;
                    start = self.index;
                }
                0..=0x1f => return Err(self.error(CONTROL_CHARACTER)),
                _ => {}
            }
        }
    }

    /// The character of an escape whose `\` was taken.
    fn escape(&mut self, text: &mut String) -> Result<(), SyntaxError> {
        let Some(byte) = self.next() else {
            return Err(self.error(EOF_STRING));
        };
        text.push(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(text),
            _ => return Err(self.error(INVALID_ESCAPE)),
        });
        Ok(())
    }

    /// The character of a `\u` escape whose `\u` was taken: one UTF-16 unit,
    /// or a surrogate pair of two escapes. A lone surrogate is an error.
    fn unicode_escape(&mut self, text: &mut String) -> Result<(), SyntaxError> {
        let unit = self.hex_escape()?;
        let code_point = match unit {
            0xDC00..=0xDFFF => return Err(self.error(LONE_SURROGATE)),
            0xD800..=0xDBFF => {
                for expected in [b'\\', b'u'] {
                    let Some(byte) = self.peek() else {
                        return Err(self.error(EOF_STRING));
                    };
                    self.index += 1;
                    if byte != expected {
                        return Err(self.error(END_OF_HEX_ESCAPE));
                    }
                }
                let low = self.hex_escape()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error(LONE_SURROGATE));
                }
                0x1_0000 + (((unit - 0xD800) << 10) | (low - 0xDC00))
            }
            _ => unit,
        };
        text.push(char::from_u32(code_point).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    /// The four hex digits of a `\u` escape.
    fn hex_escape(&mut self) -> Result<u32, SyntaxError> {
        let Some(digits) = self.text.as_bytes().get(self.index..self.index + 4) else {
            self.index = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.index += 4;
        digits
            .iter()
            .try_fold(0, |unit, &digit| {
                Some((unit << 4) | char::from(digit).to_digit(16)?)
            })
            .ok_or_else(|| self.error(INVALID_ESCAPE))
    }
}

mod number;

#[cfg(test)]
mod tests;

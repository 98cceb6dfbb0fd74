//! How the widget and the server read a JSON body: strict, with
//! errors that name the field that is wrong.
//!
//! Plain `serde_json::from_str` says "invalid type: string, expected a
//! boolean at line 3 column 17", which an integrator cannot map back to a
//! field of a nested body. Routing the deserializer through
//! `serde_path_to_error` makes the same error read
//! `segment.external: invalid type: string "yes", expected a boolean`.
//!
//! The widget uses [`read`]: every body into a JSON value
//! ([`crate::json::from_str`], which reads as [`from_json_untracked`] does:
//! the path worked out from the text on a syntax error instead of tracked
//! while parsing), then the value read by hand ([`FromJson`]), the same
//! messages with the same paths.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::record::FromJson;
use crate::text::part;

/// A body that could not be read as the expected API type.
///
/// Boxed: a reader's result then carries one pointer for its error (the
/// wasm is smaller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(Box<ErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorDetail {
    path: String,
    message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&describe(&self.0.path, &self.0.message))
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// The error at `path` (empty or `.` for the body itself) with serde's `message`.
    pub(crate) fn new(path: String, message: String) -> Self {
        Self(Box::new(ErrorDetail {
            path: non_empty_path(path),
            message,
        }))
    }

    /// Where in the body the error is, as `segment.wrap_up_configuration.allowed_codes[0].code`,
    /// or `.` for the body itself (a syntax error, or a missing top-level field).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What is wrong there, as serde says it.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

fn describe(path: &str, message: &str) -> String {
    // serde_path_to_error renders the root as "."; "message" alone reads better than ".: message".
    if path == "." {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

/// Parses a JSON body into an API type, naming the offending field on error.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    finish(&mut deserializer)
}

/// Parses a JSON body given as bytes (as a server receives it), naming the offending field on error.
pub fn from_json_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    finish(&mut deserializer)
}

fn finish<'de, R, T>(deserializer: &mut serde_json::Deserializer<R>) -> Result<T, ParseError>
where
    R: serde_json::de::Read<'de>,
    T: DeserializeOwned,
{
    let value = serde_path_to_error::deserialize(&mut *deserializer)
        .map_err(|error| ParseError::new(error.path().to_string(), message_of(error.inner())))?;
    // Trailing garbage after a valid body is a malformed request, not something to ignore.
    deserializer
        .end()
        .map_err(|error| ParseError::new(".".to_owned(), error.to_string()))?;
    Ok(value)
}

/// The path of an error under a top-level key that is the empty string
/// (`{"": …}`) renders as nothing; such a body is read as a whole, so its
/// error is about the body: `.`, as [`from_json_untracked`] says too.
fn non_empty_path(path: String) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

/// Parses a JSON body like [`from_json`], but without `serde_path_to_error`'s
/// tracking wrapper: only on error is the path worked out, from the text at
/// the position serde_json reports ([`path_at`]). [`read`] reads a body
/// into a JSON value the same way, with its own reader of the text.
/// Paths inside values serde reads from a buffer (such as a `CilEvent`'s
/// body) are `.` in both functions, and so is a truncated body's.
pub fn from_json_untracked<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    serde_json::from_str(json).map_err(|error| untracked_error(json, &error))
}

/// Parses a JSON body into a type read by hand ([`FromJson`]): the text into
/// a JSON value ([`crate::json::from_str`], as [`from_json_untracked`] reads
/// it), then the value field by field. An error's path is the field's, as
/// [`from_json`] names it for a derived type; through `from_json` a hand-read
/// type's error is one message about the body.
pub fn read<T: FromJson>(json: &str) -> Result<T, ParseError> {
    // Matched rather than `map_err`: the value is moved once (smaller code).
    match T::from_json(read_value(json)?) {
        Ok(value) => Ok(value),
        Err(error) => Err(error.into()),
    }
}

/// The text of [`read`] as a JSON value: kept apart from the generic
/// [`read`] so that it is compiled once rather than once per type read.
#[inline(never)]
fn read_value(json: &str) -> Result<crate::json::Value, ParseError> {
    crate::json::from_str(json).map_err(|error| {
        located_error(
            json,
            error.line(),
            error.column(),
            error.is_eof(),
            error.to_string(),
        )
    })
}

fn untracked_error(json: &str, error: &serde_json::Error) -> ParseError {
    located_error(
        json,
        error.line(),
        error.column(),
        error.is_eof(),
        message_of(error),
    )
}

/// The error `message` at `line` and `column` of `json`, as serde_json
/// counts them, under the path of the value there.
fn located_error(json: &str, line: usize, column: usize, eof: bool, message: String) -> ParseError {
    // A body cut short ends where no field is wrong: it gets no path.
    if line == 0 || eof {
        return ParseError::new(".".to_owned(), message);
    }
    let line_start: usize = json
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    // serde_json's column is one past the byte it stopped at.
    let path = path_at(json, line_start + column.saturating_sub(1));
    ParseError::new(path, message)
}

/// The path (`segment.allowed_codes[0].code`, as `serde_path_to_error`
/// writes it) of the value at byte `offset` of `json`: the keys and indices of
/// the objects and arrays open there. Empty at the top level.
pub fn path_at(json: &str, offset: usize) -> String {
    enum Frame<'a> {
        Object(Option<&'a str>),
        Array(usize),
    }
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut expecting_key = false;
    let mut string_start = None;
    let mut escaped = false;
    for (index, byte) in json.bytes().enumerate().take(offset) {
        if let Some(start) = string_start {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    string_start = None;
                    if expecting_key && let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(part(json, start..index));
                        expecting_key = false;
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => string_start = Some(index + 1),
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(position)) => *position += 1,
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(position) => path.push_str(&format!("[{position}]")),
        }
    }
    path
}

/// serde_json's message, without the position when the path already says where:
/// "at line 1 column 20" helps find a syntax error, not a wrong value.
fn message_of(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.is_data() {
        let position = format!(" at line {} column {}", error.line(), error.column());
        if let Some(bare) = message.strip_suffix(&position) {
            return bare.to_owned();
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        flag: bool,
    }

    #[test]
    fn names_the_nested_field() {
        let error = from_json::<Outer>(r#"{"inner": {"flag": 3}}"#).expect_err("3 is no bool");
        assert_eq!(error.path(), "inner.flag");
        assert!(
            error
                .to_string()
                .starts_with("inner.flag: invalid type: integer `3`")
        );
    }

    #[test]
    fn a_missing_top_level_field_has_no_path_prefix() {
        let error = from_json::<Outer>("{}").expect_err("inner is required");
        assert_eq!(error.to_string(), "missing field `inner`");
    }

    #[test]
    fn trailing_content_is_refused() {
        let error = from_json_slice::<Inner>(br#"{"flag": true} {"#).expect_err("trailing");
        assert!(error.message().contains("trailing characters"), "{error}");
    }

    #[test]
    fn untracked_parsing_names_the_same_field() {
        for json in [
            r#"{"inner": {"flag": 3}}"#,
            "{\n  \"inner\": {\n    \"flag\": \"yes\"\n  }\n}",
            r#"{"inner": {}}"#,
            "{}",
            r#"{"inner": {"flag": true}} {"#,
            r#"{"inner": {"flag": tru}}"#,
        ] {
            let tracked = from_json::<Outer>(json).expect_err(json);
            let untracked = from_json_untracked::<Outer>(json).expect_err(json);
            assert_eq!(untracked.path(), tracked.path(), "{json}");
            assert_eq!(untracked.to_string(), tracked.to_string(), "{json}");
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        note: Option<String>,
        items: Vec<Inner>,
    }

    #[test]
    fn untracked_parsing_names_array_elements_like_tracked() {
        for json in [
            r#"{"note": "a,[b", "items": [{"flag": true}, {"flag": 1}]}"#,
            r#"{"items": [{"flag": true}, {}]}"#,
            r#"{"items": [{"flag": true}, {"flag": false}], "note": 5}"#,
            r#"{"items": {"flag": true}}"#,
        ] {
            let tracked = from_json::<List>(json).expect_err(json);
            let untracked = from_json_untracked::<List>(json).expect_err(json);
            assert_eq!(untracked.to_string(), tracked.to_string(), "{json}");
        }
    }

    #[test]
    fn a_truncated_body_is_an_error_without_a_path() {
        let error = from_json_untracked::<List>(r#"{"items": [{"flag": true}"#).expect_err("cut");
        assert_eq!(error.path(), ".");
        assert!(error.message().starts_with("EOF while parsing"), "{error}");
    }

    #[test]
    fn the_widget_s_reader_names_the_same_place_of_a_syntax_error() {
        for json in [
            r#"{"inner": {"flag": tru}}"#,
            "{\n  \"items\": [1,\n    2,\n    x]\n}",
            r#"{"inner": {"flag": true}} {"#,
            r#"{"items": [{"flag": true}"#,
            r#"{"": %}"#,
            r#"{"a": "\q"}"#,
        ] {
            let serde = from_json_untracked::<crate::json::Value>(json).expect_err(json);
            let widget = read::<crate::json::Value>(json).expect_err(json);
            assert_eq!(widget, serde, "{json}");
        }
    }

    #[test]
    fn paths_count_array_elements_and_skip_strings() {
        let json = r#"{"a": [{"b": "x,}"}, {"b": 1, "c": [0, 5]}]}"#;
        let offset = json.find('5').expect("5");
        assert_eq!(path_at(json, offset), "a[1].c[1]");
        assert_eq!(path_at(json, 0), "");
    }

    #[test]
    fn an_error_under_an_empty_top_level_key_is_about_the_body() {
        // Found by the fuzz targets: `{"": …}` gave an empty path, and the
        // message read ": expected value at line 1 column 5".
        for json in [
            r#"{"": %}"#,
            r#"{"": "unterminated"#,
            r#"{"inner": {"flag": true}, "": x}"#,
        ] {
            let tracked = from_json::<Outer>(json).expect_err(json);
            assert_eq!(tracked.path(), ".", "{json}");
            assert!(!tracked.to_string().starts_with(':'), "{tracked}");
            let untracked = from_json_untracked::<Outer>(json).expect_err(json);
            assert_eq!(untracked.path(), tracked.path(), "{json}");
            assert_eq!(untracked.to_string(), tracked.to_string(), "{json}");
        }
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let error = from_json::<Inner>("{\"flag\": tru}").expect_err("syntax");
        assert!(error.message().contains("at line 1 column"), "{error}");
    }
}

//! What the fuzz targets share: the properties every parser of untrusted
//! input must keep, written once.
//!
//! A fuzz target fails by panicking, so every property is an `assert!` with
//! a message that says which rule broke and on what value.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wrapup_core::parse::{ParseError, from_json, from_json_slice};
use wrapup_core::record::FromJson;

/// The input as text: bodies are UTF-8 JSON, so other bytes are not worth a
/// run (the byte readers are fuzzed where the server reads bytes).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// `value` written as JSON, as the server answers and the widget sends.
pub fn to_json<T: Serialize + Debug>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|error| panic!("a parsed value must serialise: {error}; {value:?}"))
}

/// A value read from untrusted JSON is written back and read again to an
/// equal value: what one side parses, the other side can parse the same.
pub fn assert_round_trip<T>(value: &T) -> String
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = to_json(value);
    let again: T = from_json(&json)
        .unwrap_or_else(|error| panic!("written {json} does not parse again: {error}"));
    assert_eq!(
        &again, value,
        "the round trip through {json} changed the value"
    );
    json
}

/// Reads `data` as the server does ([`from_json_slice`]) and checks that
/// the text reader ([`from_json`]) and the widget's untracked reader
/// ([`wrapup_core::parse::from_json_untracked`]) agree with it: same value, or
/// the same error.
pub fn read_everywhere<T>(data: &[u8]) -> Result<T, ParseError>
where
    T: DeserializeOwned + PartialEq + Debug,
{
    let from_bytes = from_json_slice::<T>(data);
    if let Some(json) = text(data) {
        let from_text = from_json::<T>(json);
        assert_eq!(from_text, from_bytes, "text and byte readers disagree");
        let untracked = wrapup_core::parse::from_json_untracked::<T>(json);
        match (&from_bytes, &untracked) {
            (Ok(tracked), Ok(untracked)) => assert_eq!(tracked, untracked),
            (Err(tracked), Err(untracked)) => {
                assert_eq!(tracked.message(), untracked.message(), "messages differ");
            }
            _ => panic!("tracked and untracked readers disagree: {from_bytes:?} vs {untracked:?}"),
        }
    }
    if let Err(error) = &from_bytes {
        assert_error_is_actionable(error);
    }
    from_bytes
}

/// Reads `data` like [`read_everywhere`], and checks that the widget's
/// reader of a type read by hand ([`wrapup_core::parse::read`]: a JSON value,
/// then the type's `FromJson`) agrees: the same value, or an error (the same
/// one on JSON).
pub fn read_as_the_widget_does<T>(data: &[u8]) -> Result<T, ParseError>
where
    T: FromJson + DeserializeOwned + PartialEq + Debug,
{
    let from_bytes = read_everywhere::<T>(data);
    if let Some(json) = text(data) {
        let widget = wrapup_core::parse::read::<T>(json);
        match (&from_bytes, &widget) {
            (Ok(server), Ok(widget)) => assert_eq!(server, widget),
            (Err(server), Err(widget)) => {
                // On text that is not JSON, the widget tells the first syntax
                // error, while the server may stop earlier at a value of the
                // wrong type. On JSON, an error about a value reads the same
                // (its path in the message through serde).
                if serde_json::from_str::<serde_json::Value>(json).is_ok() {
                    assert_eq!(server.to_string(), widget.to_string(), "errors differ");
                }
                assert_error_is_actionable(widget);
            }
            _ => panic!("the server's and the widget's readers disagree: {from_bytes:?} vs {widget:?}"),
        }
    }
    from_bytes
}

/// A parse error says where (a path, `.` for the body) and what.
pub fn assert_error_is_actionable(error: &ParseError) {
    assert!(
        !error.path().is_empty(),
        "an error without a path: {error:?}"
    );
    assert!(
        !error.message().is_empty(),
        "an error without a message: {error:?}"
    );
    let shown = error.to_string();
    if error.path() != "." {
        assert!(
            shown.starts_with(error.path()),
            "the message does not start with the field: {shown}"
        );
    }
}

/// A validation error names a field: its message contains `field` as the
/// integrator wrote it.
pub fn assert_names_field(message: &str, field: &str) {
    assert!(
        !field.is_empty(),
        "an error names an empty field: {message}"
    );
    assert!(
        message.contains(field),
        "the error does not name `{field}`: {message}"
    );
}

/// The value at `path` (`configuration.allowed_codes[1].code`, as validation
/// errors write it) in `body`; `None` when the body has nothing there.
pub fn value_at<'a>(body: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut at = body;
    for segment in path.split('.') {
        let (key, indices) = segment.split_once('[').unwrap_or((segment, ""));
        at = at.get(key)?;
        for index in indices.split('[').filter(|index| !index.is_empty()) {
            let index: usize = index.trim_end_matches(']').parse().ok()?;
            at = at.get(index)?;
        }
    }
    Some(at)
}

/// Whether a "required" error is right about `path`: the body has nothing
/// there, or only `null`, `""`, `[]` or `{}`.
pub fn assert_missing(body: &serde_json::Value, path: &str, message: &str) {
    use serde_json::Value;
    let blank = match value_at(body, path) {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(fields)) => fields.is_empty(),
        Some(Value::Bool(_) | Value::Number(_)) => false,
    };
    assert!(
        blank,
        "`{message}`, but {path} is {:?}",
        value_at(body, path)
    );
}

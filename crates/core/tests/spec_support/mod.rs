//! What the spec example tests share: the fixtures (the specs' bodies
//! verbatim) and the round-trip check.

#![allow(dead_code)] // each test binary uses its own subset

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wrapup_core::parse::from_json;

/// The text of `tests/fixtures/<path>`.
pub fn fixture(path: &str) -> String {
    let path = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Parses a fixture with the production entry point and checks that it
/// serializes back to the same JSON content, and parses back to the same value.
pub fn round_trip<T>(path: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let text = fixture(path);
    let parsed: T = from_json(&text).unwrap_or_else(|error| panic!("{path}: {error}"));
    let expected: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let written = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(written, expected, "{path} does not round-trip");
    let reparsed: T = from_json(&written.to_string()).expect("own output parses");
    assert_eq!(reparsed, parsed);
    parsed
}

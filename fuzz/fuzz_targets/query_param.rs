//! The reference server's own query-string reader,
//! `wrapup_server::wire::query_param` (the SSE stream's `last_event_id` and
//! `access_token`, where `EventSource` cannot send headers). The input is a
//! raw query, a newline, a parameter name, a newline and its value.
//!
//! Holds: reading any query never panics; a value percent-encoded (spaces
//! as `+`) and put first in a query reads back exactly, whatever follows it.
#![no_main]

use std::fmt::Write;

use libfuzzer_sys::fuzz_target;
use wrapup_fuzz::text;
use wrapup_server::wire::query_param;

fuzz_target!(|data: &[u8]| {
    let Some(input) = text(data) else {
        return;
    };
    let mut parts = input.splitn(3, '\n');
    let raw = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    let value = parts.next().unwrap_or_default();
    let _ = query_param(raw, name);
    if name.is_empty() || name.contains(['&', '=']) {
        return;
    }
    let query = format!("{name}={}&{raw}", encode(value));
    assert_eq!(
        query_param(&query, name).as_deref(),
        Some(value),
        "?{query} read {name} wrong"
    );
});

/// Percent-encodes everything but unreserved characters, a space as `+`.
fn encode(value: &str) -> String {
    let mut encoded = String::new();
    for byte in value.bytes() {
        match byte {
            b' ' => encoded.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(char::from(byte));
            }
            _ => write!(encoded, "%{byte:02X}").expect("writing to a String"),
        }
    }
    encoded
}

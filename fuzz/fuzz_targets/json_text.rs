//! JSON text as the widget reads it (`wrapup_core::json::from_str`): every
//! body, event, request and stored value goes through it before its type
//! reads it.
//!
//! Holds: it reads what serde_json reads, into the same value (serde_json's
//! reader of the value, through serde, as the server reads it; a float as
//! serde_json rounds it in the widget's build, a few steps from the exact
//! rounding the server's build makes), and refuses
//! what serde_json refuses, in the same words at the same line and column;
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::json::{Value, from_str};
use wrapup_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else {
        return;
    };
    let widget = from_str(text).map_err(|error| (error.to_string(), error.is_eof()));
    let serde =
        serde_json::from_str::<Value>(text).map_err(|error| (error.to_string(), error.is_eof()));
    // The widget rounds a float as serde_json without `float_roundtrip` (its
    // build); the server, built with this target, turns it on, and the two
    // roundings differ in the last steps of long numbers.
    if let (Ok(a), Ok(b)) = (&widget, &serde)
        && wrapup_core::json::serde_json_rounds_exactly()
    {
        assert!(
            a.same_but_float_rounding(b, 8),
            "the widget's reader and serde_json's disagree"
        );
        return;
    }
    assert_eq!(
        widget, serde,
        "the widget's reader and serde_json's disagree"
    );
});

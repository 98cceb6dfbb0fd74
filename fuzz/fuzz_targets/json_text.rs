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
    if widget != serde && serde_json_rounds_exactly() {
        // The widget rounds a float as serde_json without `float_roundtrip`
        // (its build); the server, built with this target, turns it on, and
        // the two roundings differ in the last steps of long numbers.
        let floats = |value: &Result<Value, _>| value.as_ref().ok().and_then(Value::as_f64);
        let (Some(ours), Some(theirs)) = (floats(&widget), floats(&serde)) else {
            panic!("the widget's reader and serde_json's disagree: {widget:?} against {serde:?}");
        };
        let steps = ours.to_bits().abs_diff(theirs.to_bits());
        assert!(
            steps <= 8,
            "the widget's float is far from serde_json's: {ours:e} against {theirs:e}"
        );
        return;
    }
    assert_eq!(
        widget, serde,
        "the widget's reader and serde_json's disagree"
    );
});

/// Whether the serde_json linked rounds floats exactly (`float_roundtrip`).
fn serde_json_rounds_exactly() -> bool {
    let text = "0.000000000000000000000000000000123456789012345678901234";
    serde_json::from_str::<f64>(text).ok() == text.parse::<f64>().ok()
}

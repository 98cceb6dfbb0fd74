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
use wrapup_core::json::disagreement_with_serde_json;
use wrapup_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else {
        return;
    };
    if let Some(disagreement) = disagreement_with_serde_json(text) {
        panic!("the widget's reader and serde_json's disagree: {disagreement}");
    }
});

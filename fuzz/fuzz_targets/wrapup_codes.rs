//! ServiceNow `POST /now/wrapup/code` body: `CodePostRequest` read as the
//! server reads JSON, then validated code by code as the server does.
//!
//! Holds: the three readers agree; a read body is written back and read
//! equal; validation never panics, a refusal names a field that really is
//! missing or empty, and a body is valid exactly when each of its codes is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::servicenow::CodePostRequest;
use wrapup_fuzz::{assert_missing, assert_names_field, assert_round_trip, read_everywhere};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = read_everywhere::<CodePostRequest>(data) else {
        return;
    };
    let json = assert_round_trip(&request);
    let validated = request.validate();
    if let Err(error) = &validated {
        let message = error.to_string();
        assert_names_field(&message, &error.field);
        assert!(error.field.starts_with("codes["), "{message}");
        let body = serde_json::from_str(&json).expect("written JSON parses");
        assert_missing(&body, &error.field, &message);
    }
    // The server creates the valid codes of a body one by one (a 207 for the rest).
    let each_valid = request.codes.iter().all(|code| {
        CodePostRequest {
            codes: vec![code.clone()],
        }
        .validate()
        .is_ok()
    });
    assert_eq!(
        validated.is_ok(),
        each_valid,
        "body and per-code validation disagree"
    );
});

//! ServiceNow openframe `POST` / `PATCH /now/openframe/voice-interaction`
//! body: `VoiceInteractionRequest` read as the server reads JSON, then
//! validated for a create and for an update.
//!
//! Holds: the three readers agree; a read body is written back and read
//! equal; validation never panics, and a refusal names a field that is
//! missing, or a phone number that is not E.164; what a create accepts, an
//! update accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::servicenow::ValidationError;
use wrapup_core::servicenow::VoiceInteractionRequest;
use wrapup_fuzz::{assert_missing, assert_names_field, assert_round_trip, read_everywhere};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = read_everywhere::<VoiceInteractionRequest>(data) else {
        return;
    };
    let json = assert_round_trip(&request);
    let body: serde_json::Value = serde_json::from_str(&json).expect("written JSON parses");
    let check = |error: &ValidationError| {
        let message = error.to_string();
        assert_names_field(&message, &error.field);
        if error.reason.contains("E.164") {
            let number = wrapup_fuzz::value_at(&body, &error.field)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_else(|| panic!("`{message}` names no number"));
            assert_names_field(&message, &format!("`{number}`"));
        } else {
            assert_missing(&body, &error.field, &message);
        }
    };
    let create = request.validate_create();
    let update = request.validate_update();
    if let Err(error) = &create {
        check(error);
    }
    if let Err(error) = &update {
        check(error);
        assert!(create.is_err(), "a create accepts what an update refuses");
    }
});

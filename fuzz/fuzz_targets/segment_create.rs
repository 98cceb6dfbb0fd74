//! ServiceNow `POST /now/wrapup/segment/create` body: `SegmentCreateRequest`
//! read as the server reads JSON, then validated.
//!
//! Holds: the three readers agree; a read body is written back and read
//! equal (the lenient `"true"` / `"30"` keep their form); validation never
//! panics, and a refusal names a field that really is missing or empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::servicenow::SegmentCreateRequest;
use wrapup_fuzz::{assert_missing, assert_names_field, assert_round_trip, read_everywhere};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = read_everywhere::<SegmentCreateRequest>(data) else {
        return;
    };
    let json = assert_round_trip(&request);
    if let Err(error) = request.validate() {
        let message = error.to_string();
        assert_names_field(&message, &error.field);
        assert!(error.reason.starts_with("required"), "{message}");
        let body = serde_json::from_str(&json).expect("written JSON parses");
        assert_missing(&body, &error.field, &message);
    }
    if let Some(duration) = request.configuration.as_ref().and_then(|c| c.duration) {
        // A limit is never negative, whatever was sent.
        if let Some(limit) = duration.limit() {
            assert!(limit.num_seconds() >= 0, "negative limit {limit}");
        }
    }
});

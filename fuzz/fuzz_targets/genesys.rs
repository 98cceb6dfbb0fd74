//! Genesys `POST /services/{service_id}/end` body: `CompleteServiceRequest`
//! (the Service End Event with its service extensions) read as the server
//! reads it, then validated against the documented length limits.
//!
//! Holds: the three readers agree; a read body is written back and read
//! equal (extensions included); validation refuses exactly the bodies with
//! a field over its limit, naming that field with its true length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::genesys::{
    CompleteServiceRequest, DISPOSITION_DESC_MAX_CHARS, INTERACTION_ID_MAX_CHARS,
    SESSION_ID_MAX_CHARS, text_length,
};
use wrapup_fuzz::{assert_names_field, assert_round_trip, read_everywhere};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = read_everywhere::<CompleteServiceRequest>(data) else {
        return;
    };
    assert_round_trip(&request);
    let limits = [
        ("session_id", &request.session_id, SESSION_ID_MAX_CHARS),
        (
            "interaction_id",
            &request.interaction_id,
            INTERACTION_ID_MAX_CHARS,
        ),
        (
            "disposition_desc",
            &request.disposition_desc,
            DISPOSITION_DESC_MAX_CHARS,
        ),
    ];
    let first_too_long = limits.iter().find_map(|(field, value, max)| {
        let length = value.as_deref().map_or(0, text_length);
        (length > *max).then_some((*field, length, *max))
    });
    match (request.validate(), first_too_long) {
        (Ok(()), None) => {}
        (Err(error), Some((field, length, max))) => {
            assert_eq!((error.field, error.length, error.max), (field, length, max));
            assert_names_field(&error.to_string(), field);
        }
        (validated, expected) => panic!("validation {validated:?}, but over a limit: {expected:?}"),
    }
});

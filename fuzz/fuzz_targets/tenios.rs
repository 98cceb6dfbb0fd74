//! Tenios `POST /wrap-up/extend` and `/wrap-up/cancel` bodies, read as the
//! server reads them (a body that is no JSON object counts as empty, so the
//! answer names the first required field), then validated. The input's first
//! byte chooses the endpoint (even: extend, odd: cancel), the rest is the body.
//!
//! Holds: reading and validating never panic; a read body is written back
//! and read equal; a refusal is a documented error body naming exactly one
//! field, the first one missing or malformed; an accepted extend's `end_time`
//! is the Tenios date-time it was sent as, and is written in the same format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::datetime::IsoMillisDateTime;
use wrapup_core::tenios::{CancelRequest, ExtendRequest, TeniosError, TeniosErrorCode};
use wrapup_fuzz::{assert_names_field, assert_round_trip};

fuzz_target!(|data: &[u8]| {
    let Some((endpoint, body)) = data.split_first() else {
        return;
    };
    if endpoint % 2 == 0 {
        let request: ExtendRequest = serde_json::from_slice(body).unwrap_or_default();
        assert_round_trip(&request);
        let fields = [
            ("access_key", &request.access_key),
            ("agent_email", &request.agent_email),
            ("end_time", &request.end_time),
        ];
        match request.validate() {
            Ok(valid) => {
                let sent = request.end_time.as_deref().expect("validated");
                assert_eq!(sent.parse::<IsoMillisDateTime>(), Ok(valid.end_time));
                let written = valid.end_time.to_string();
                assert_eq!(written.parse::<IsoMillisDateTime>(), Ok(valid.end_time));
            }
            Err(error) => check_refusal(&error, &fields),
        }
    } else {
        let request: CancelRequest = serde_json::from_slice(body).unwrap_or_default();
        assert_round_trip(&request);
        let fields = [
            ("access_key", &request.access_key),
            ("agent_email", &request.agent_email),
        ];
        if let Err(error) = request.validate() {
            check_refusal(&error, &fields);
        }
    }
});

/// A refusal names the first field that is missing or empty, or else a
/// malformed `end_time`, with the documented code.
fn check_refusal(error: &TeniosError, fields: &[(&str, &Option<String>)]) {
    let missing = fields
        .iter()
        .find(|(_, value)| value.as_deref().is_none_or(str::is_empty))
        .map(|(name, _)| *name);
    let (code, field) = match missing {
        Some(field) => (TeniosErrorCode::FieldIsRequired, field),
        None => (TeniosErrorCode::WrapUpDateParseError, "end_time"),
    };
    assert_eq!(error.code(), Some(code), "{error:?}");
    assert_eq!(error.fields, [field], "{error:?}");
    assert_names_field(&error.error_message, field);
}

//! The Tenios wrap-up API examples (tenios-wrap-up-api.txt), one test each:
//! every documented request and answer parses into its core type and
//! serializes back with the same content, and every documented error body is
//! what its constructor produces, byte for byte (whitespace aside), including
//! the `WRAP_UP_EXCEEDED_LIMIT` body whose `error_code` and `error_message`
//! the spec swaps.
//!
//! The request examples of the errors also go through the checks that produce
//! them: `validate()` for the stateless ones, and the shared extension rule
//! for the two limits.

mod spec_support;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wrapup_core::datetime::{IsoMillisDateTime, TENIOS_END_TIME_FORMAT_ERROR};
use wrapup_core::extension::{ExtensionError, check_extension};
use wrapup_core::parse::{from_json, read};
use wrapup_core::tenios::{
    CancelRequest, CancelResponse, ExtendRequest, ExtendResponse, TeniosError, TeniosErrorCode,
};

fn fixture(name: &str) -> String {
    spec_support::fixture(&format!("tenios/{name}"))
}

fn round_trip<T>(name: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    spec_support::round_trip(&format!("tenios/{name}"))
}

/// The JSON text without the whitespace between tokens, so that key order and
/// every character of every string are compared, but not the layout.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The error fixture round-trips, and the constructor writes exactly its bytes.
fn documented_error(name: &str, constructed: TeniosError) -> TeniosError {
    let parsed: TeniosError = round_trip(name);
    assert_eq!(parsed, constructed, "{name}");
    let written = serde_json::to_string(&constructed).expect("serializes");
    assert_eq!(written, minify(&fixture(name)), "{name} is not byte-exact");
    parsed
}

fn valid_extend(name: &str) -> ExtendRequest {
    let request: ExtendRequest = round_trip(name);
    assert!(
        request.validate().is_ok(),
        "{name} passes the stateless checks"
    );
    request
}

fn valid_cancel(name: &str) -> CancelRequest {
    let request: CancelRequest = round_trip(name);
    assert!(
        request.validate().is_ok(),
        "{name} passes the stateless checks"
    );
    request
}

/// The wrap-up end the error examples imply: the successful example extends
/// to 09:00, so a request for 09:00 again adds nothing and one for 09:20 adds 20 minutes.
fn current_end() -> DateTime<Utc> {
    "2020-01-01T09:00:00.000Z"
        .parse::<IsoMillisDateTime>()
        .expect("documented")
        .get()
}

fn requested_end(request: &ExtendRequest) -> DateTime<Utc> {
    request.validate().expect("valid").end_time.get()
}

#[test]
fn extend_request() {
    let request = valid_extend("extend_request.json");
    let valid = request.validate().expect("valid");
    assert_eq!(valid.agent_email, "agent@test.com");
    assert_eq!(valid.end_time.to_string(), "2020-01-01T09:00:00.000Z");
    assert_eq!(
        ExtendRequest::new(&valid.access_key, &valid.agent_email, valid.end_time),
        request
    );
}

#[test]
fn extend_response() {
    let response: ExtendResponse = round_trip("extend_response.json");
    let end = "2020-01-01T09:00:00.000Z".parse().expect("documented");
    assert_eq!(response, ExtendResponse::extended_to(end));
}

#[test]
fn extend_request_missing_agent_email() {
    let request: ExtendRequest = round_trip("extend_request_missing_agent_email.json");
    let expected: TeniosError =
        from_json(&fixture("extend_error_field_is_required.json")).expect("documented");
    assert_eq!(request.validate(), Err(expected));
}

#[test]
fn extend_request_empty_agent_email() {
    let request: ExtendRequest = round_trip("extend_request_empty_agent_email.json");
    assert_eq!(
        request.validate(),
        Err(TeniosError::field_is_required("agent_email"))
    );
}

#[test]
fn extend_error_field_is_required() {
    let error = documented_error(
        "extend_error_field_is_required.json",
        TeniosError::field_is_required("agent_email"),
    );
    assert_eq!(error.code(), Some(TeniosErrorCode::FieldIsRequired));
}

#[test]
fn extend_request_agent_not_found() {
    // Unknown agents are a server-state check: the stateless checks pass.
    valid_extend("extend_request_agent_not_found.json");
}

#[test]
fn extend_error_agent_not_found() {
    let error = documented_error(
        "extend_error_agent_not_found.json",
        TeniosError::agent_not_found(),
    );
    assert_eq!(error.code(), Some(TeniosErrorCode::AgentNotFound));
}

#[test]
fn extend_request_agent_not_in_wrap_up() {
    valid_extend("extend_request_agent_not_in_wrap_up.json");
}

#[test]
fn extend_error_agent_not_in_wrap_up() {
    let error = documented_error(
        "extend_error_agent_not_in_wrap_up.json",
        TeniosError::agent_not_in_wrap_up(),
    );
    assert_eq!(error.code(), Some(TeniosErrorCode::AgentNotInWrapUp));
}

#[test]
fn extend_request_date_parse_error() {
    let request: ExtendRequest = round_trip("extend_request_date_parse_error.json");
    assert_eq!(
        request.end_time.as_deref(),
        Some("01-01-20020T09:00:00.000")
    );
    let expected: TeniosError =
        from_json(&fixture("extend_error_date_parse_error.json")).expect("documented");
    assert_eq!(request.validate(), Err(expected));
}

#[test]
fn extend_error_date_parse_error() {
    let error = documented_error(
        "extend_error_date_parse_error.json",
        TeniosError::wrap_up_date_parse_error(),
    );
    assert_eq!(error.error_message, TENIOS_END_TIME_FORMAT_ERROR);
    assert_eq!(error.code(), Some(TeniosErrorCode::WrapUpDateParseError));
}

#[test]
fn extend_request_invalid_extend_time_amount() {
    let request = valid_extend("extend_request_invalid_extend_time_amount.json");
    let refused = check_extension(current_end(), requested_end(&request)).expect_err("0 s");
    assert_eq!(refused, ExtensionError::TooShort);
    let expected: TeniosError =
        from_json(&fixture("extend_error_invalid_extend_time_amount.json")).expect("documented");
    assert_eq!(TeniosError::from(refused), expected);
}

#[test]
fn extend_error_invalid_extend_time_amount() {
    let error = documented_error(
        "extend_error_invalid_extend_time_amount.json",
        TeniosError::wrap_up_invalid_extend_time_amount(),
    );
    assert_eq!(
        error.code(),
        Some(TeniosErrorCode::WrapUpInvalidExtendTimeAmount)
    );
}

#[test]
fn extend_request_exceeded_limit() {
    let request = valid_extend("extend_request_exceeded_limit.json");
    let refused = check_extension(current_end(), requested_end(&request)).expect_err("20 min");
    assert_eq!(refused, ExtensionError::TooLong);
    let expected: TeniosError =
        from_json(&fixture("extend_error_exceeded_limit.json")).expect("documented");
    assert_eq!(TeniosError::from(refused), expected);
}

#[test]
fn extend_error_exceeded_limit() {
    let error = documented_error(
        "extend_error_exceeded_limit.json",
        TeniosError::wrap_up_exceeded_limit(),
    );
    // Swapped in the spec, and kept swapped: the code is in error_message.
    assert_eq!(
        error.error_code,
        "Requested WrapUp Extension time is too high"
    );
    assert_eq!(error.error_message, "WRAP_UP_EXCEEDED_LIMIT");
    assert_eq!(
        serde_json::to_string(&error).expect("serializes"),
        r#"{"error_code":"Requested WrapUp Extension time is too high","error_message":"WRAP_UP_EXCEEDED_LIMIT","fields":[]}"#
    );
    assert_eq!(error.code(), Some(TeniosErrorCode::WrapUpExceededLimit));
}

#[test]
fn cancel_request() {
    let request = valid_cancel("cancel_request.json");
    assert_eq!(
        CancelRequest::new("***************************", "agent@test.com"),
        request
    );
}

#[test]
fn cancel_response() {
    let response: CancelResponse = round_trip("cancel_response.json");
    assert_eq!(response, CancelResponse::SUCCEEDED);
}

#[test]
fn cancel_request_missing_agent_email() {
    let request: CancelRequest = round_trip("cancel_request_missing_agent_email.json");
    let expected: TeniosError =
        from_json(&fixture("cancel_error_field_is_required.json")).expect("documented");
    assert_eq!(request.validate(), Err(expected));
}

#[test]
fn cancel_request_empty_agent_email() {
    let request: CancelRequest = round_trip("cancel_request_empty_agent_email.json");
    let expected: TeniosError =
        from_json(&fixture("cancel_error_field_is_required.json")).expect("documented");
    assert_eq!(request.validate(), Err(expected));
}

#[test]
fn cancel_error_field_is_required() {
    documented_error(
        "cancel_error_field_is_required.json",
        TeniosError::field_is_required("agent_email"),
    );
}

#[test]
fn cancel_request_agent_not_found() {
    valid_cancel("cancel_request_agent_not_found.json");
}

#[test]
fn cancel_error_agent_not_found() {
    documented_error(
        "cancel_error_agent_not_found.json",
        TeniosError::agent_not_found(),
    );
}

#[test]
fn cancel_request_agent_not_in_wrap_up() {
    valid_cancel("cancel_request_agent_not_in_wrap_up.json");
}

#[test]
fn cancel_error_agent_not_in_wrap_up() {
    documented_error(
        "cancel_error_agent_not_in_wrap_up.json",
        TeniosError::agent_not_in_wrap_up(),
    );
}

#[test]
fn every_mandatory_field_is_checked_in_the_documented_order() {
    let request = ExtendRequest {
        access_key: None,
        agent_email: Some(String::new()),
        end_time: None,
    };
    assert_eq!(
        request.validate(),
        Err(TeniosError::field_is_required("access_key"))
    );
    let request = ExtendRequest {
        access_key: Some("key".into()),
        agent_email: Some("agent@test.com".into()),
        end_time: Some(String::new()),
    };
    let error = request.validate().expect_err("no end_time");
    assert_eq!(error.error_message, "Parameter 'end_time' is required");
    assert_eq!(error.fields, ["end_time"]);
}

#[test]
fn end_time_accepts_an_offset_and_answers_in_utc() {
    let request = ExtendRequest {
        access_key: Some("key".into()),
        agent_email: Some("agent@test.com".into()),
        end_time: Some("2020-01-01T10:00:00.000+01:00".into()),
    };
    let valid = request.validate().expect("an offset is a time zone");
    let answer = ExtendResponse::extended_to(valid.end_time);
    assert_eq!(
        serde_json::to_string(&answer).expect("serializes"),
        r#"{"success":true,"wrap_up_end_time":"2020-01-01T09:00:00.000Z"}"#
    );
}

#[test]
fn end_time_without_milliseconds_or_zone_is_a_date_parse_error() {
    for end_time in [
        "2020-01-01T09:00:00Z",
        "2020-01-01T09:00:00.000",
        "tomorrow",
    ] {
        let request = ExtendRequest {
            access_key: Some("key".into()),
            agent_email: Some("agent@test.com".into()),
            end_time: Some(end_time.into()),
        };
        assert_eq!(
            request.validate(),
            Err(TeniosError::wrap_up_date_parse_error()),
            "{end_time}"
        );
    }
}

#[test]
fn a_wrongly_typed_field_is_a_parse_error_naming_it() {
    let error = from_json::<ExtendRequest>(r#"{"agent_email": 42}"#).expect_err("not a string");
    assert_eq!(error.path(), "agent_email");

    // The examples send `success` as a JSON boolean: a string is not read as one.
    // The answers are read as the widget reads them.
    let error = read::<ExtendResponse>(
        r#"{"success": "true", "wrap_up_end_time": "2020-01-01T09:00:00.000Z"}"#,
    )
    .expect_err("strict");
    assert_eq!(error.path(), "success");
    let error =
        read::<ExtendResponse>(r#"{"success": true, "wrap_up_end_time": "2020-01-01 09:00:00"}"#)
            .expect_err("not ISO-8601 with milliseconds");
    assert_eq!(error.path(), "wrap_up_end_time");
    let error = read::<CancelResponse>(r#"{"success": "true"}"#).expect_err("strict");
    assert_eq!(error.path(), "success");
    let error = read::<TeniosError>(
        r#"{"error_code": "AGENT_NOT_FOUND", "error_message": "Agent not found.", "fields": "agent_email"}"#,
    )
    .expect_err("fields is a list");
    assert_eq!(error.path(), "fields");
}

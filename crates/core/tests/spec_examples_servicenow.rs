//! The ServiceNow Wrap Up API examples (servicenow-wrap-up-api.txt), one test
//! each: every documented body parses into its core type and serializes back
//! with the same content. The fixtures are the spec's bodies verbatim (the
//! curl `--data` strings unescaped); the reference server's tests reuse them.
//!
//! The rules around them are in `servicenow_rules.rs`.

mod spec_support;

use spec_support::{fixture, round_trip};

use chrono::{TimeDelta, TimeZone, Utc};
use wrapup_core::datetime::ServiceNowDateTime;
use wrapup_core::lenient::Lenient;
use wrapup_core::servicenow::{
    CodeGetResponse, CodePostRequest, CodePostResponse, SegmentChangeResponse,
    SegmentCreateRequest, SegmentGetResponse, SegmentKey, SegmentState, SegmentUpdateQuery,
    SegmentUpdateRequest, WrapUpDuration,
};

fn servicenow_time(text: &str) -> ServiceNowDateTime {
    text.parse().expect("ServiceNow date-time")
}

#[test]
fn code_get_response() {
    let response: CodeGetResponse = round_trip("servicenow/code_get_response.json");
    let code = &response.result.result_map.wrap_up_code;
    assert!(response.result.success);
    assert_eq!(code.sys_id, "49c27b679f201210c89656effa0a1cd7");
    assert_eq!(code.display_label(), "Abrechnungsproblem");
    assert_eq!(
        code.translated_description,
        "Ein code für Abrechnungsprobleme"
    );
}

#[test]
fn segment_get_response() {
    let response: SegmentGetResponse = round_trip("servicenow/segment_get_response.json");
    assert_eq!(response.segment_id, "dgajbcef12345678defdbxef123435678");
    let segment = &response.segment;
    assert_eq!(segment.state, SegmentState::Closed);
    assert!(segment.external && segment.segmented);
    assert_eq!(segment.awaiting_confirmation, Some(false));
    assert_eq!(
        segment.opened_on.map(|at| at.get()),
        Utc.with_ymd_and_hms(2024, 9, 16, 17, 52, 1).single()
    );
    let configuration = &segment.wrap_up_configuration;
    assert!(configuration.enable_codes);
    assert_eq!(configuration.allowed_codes.len(), 2);
    // The spec's translation carries a leading space; the label shown is trimmed.
    assert_eq!(
        configuration.allowed_codes[1].translated_code,
        " Einkaufsproblem"
    );
    assert_eq!(
        configuration.allowed_codes[1].display_label(),
        "Einkaufsproblem"
    );
    assert_eq!(
        configuration
            .default_code
            .as_ref()
            .map(|code| code.code.as_str()),
        Some("Billing Issue")
    );
}

#[test]
fn segment_get_by_agent_interaction_response() {
    let response: SegmentGetResponse =
        round_trip("servicenow/segment_get_by_agent_interaction_response.json");
    assert_eq!(response.segment.agent, "123412345678567890ab90abcdefcdef");
    assert_eq!(
        response.segment.interaction,
        "213412345678567890ab90abcdefcdef"
    );
}

#[test]
fn code_post_request() {
    let request: CodePostRequest = round_trip("servicenow/code_post_request.json");
    assert_eq!(request.validate(), Ok(()));
    let translations = request.codes[0].translations.as_deref().unwrap_or_default();
    assert_eq!(translations[0].language, "de");
    assert_eq!(
        request.codes[0].active, None,
        "absent means the default, true"
    );
}

#[test]
fn code_post_response() {
    let response: CodePostResponse = round_trip("servicenow/code_post_response.json");
    assert_eq!(response.result.result_map.created_wrap_up_codes.len(), 1);
}

#[test]
fn segment_create_request() {
    let request: SegmentCreateRequest = round_trip("servicenow/segment_create_request.json");
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(request.external, Some(Lenient::as_string(true)));
    assert!(request.is_external() && request.is_segmented());
    assert_eq!(request.external_segment_id.as_deref(), Some("PL_402548"));
    assert_eq!(
        request.opened_on,
        Some(servicenow_time("2024-09-16 17:52:01"))
    );
    let configuration = request.configuration.expect("documented");
    assert_eq!(configuration.duration, Some(WrapUpDuration::seconds(30)));
    assert_eq!(
        configuration.duration.and_then(|duration| duration.limit()),
        Some(TimeDelta::seconds(30))
    );
    assert_eq!(configuration.show_timer, Some(true));
    assert_eq!(configuration.default_code.as_deref(), Some("Billing Issue"));
    let allowed = configuration.allowed_codes.unwrap_or_default();
    let translation = allowed[1].translation.as_ref().expect("documented");
    assert_eq!(translation.code, "Einkaufsproblem");
}

#[test]
fn segment_create_response() {
    let response: SegmentChangeResponse = round_trip("servicenow/segment_create_response.json");
    assert_eq!(response.sys_id, "98769876543254321fed1fedcba0cba0");
    assert_eq!(response.segment.state, SegmentState::Open);
    assert_eq!(response.segment.submitted_on, None);
    assert_eq!(response.segment.awaiting_confirmation, None);
}

#[test]
fn segment_update_request() {
    let request: SegmentUpdateRequest = round_trip("servicenow/segment_update_request.json");
    assert_eq!(request.wrap_up_code.as_deref(), Some("Billing Issue"));
    assert_eq!(
        request.confirmed_on,
        Some(servicenow_time("2024-09-16 18:52:01"))
    );
}

#[test]
fn segment_update_response() {
    let response: SegmentChangeResponse = round_trip("servicenow/segment_update_response.json");
    let segment = &response.segment;
    assert_eq!(segment.state, SegmentState::Closed);
    assert_eq!(
        segment.code.as_ref().map(|code| code.code.as_str()),
        Some("Billing Issue")
    );
    assert_eq!(
        segment.notes.as_deref(),
        Some("Customer's credit card expired. Had to switch to another one.")
    );
    assert_eq!(
        segment.submitted_on,
        Some(servicenow_time("2024-09-16 18:51:59"))
    );
}

/// The query string of the documented segment/update curl, read the way
/// axum's `Query` extractor reads it.
#[test]
fn segment_update_query() {
    let text = fixture("servicenow/segment_update_query.txt");
    let text = text.trim_end();
    let query: SegmentUpdateQuery = serde_urlencoded::from_str(text).expect("documented query");
    // segment_sys_id wins, even though agent and interaction are given too.
    assert_eq!(
        query.resolve(),
        Ok(SegmentKey::SegmentSysId(
            "98769876543254321fed1fedcba0cba0".into()
        ))
    );
    assert_eq!(
        serde_urlencoded::to_string(&query).expect("serializes"),
        text
    );
}

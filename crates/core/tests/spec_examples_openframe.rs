//! The ServiceNow openframe API examples (servicenow-openframe-api.txt), one
//! test each: every documented body parses into its core type and serializes
//! back with the same content. Then the POST / PATCH required rules.

mod spec_support;

use spec_support::round_trip;

use serde_json::json;
use wrapup_core::parse::from_json;
use wrapup_core::servicenow::{OpenframeStatus, VoiceInteractionRequest, VoiceInteractionResponse};

#[test]
fn voice_interaction_post_request() {
    let request: VoiceInteractionRequest =
        round_trip("openframe/voice_interaction_post_request.json");
    assert_eq!(request.validate_create(), Ok(()));
    assert_eq!(
        request.interaction.user_phone_number.as_deref(),
        Some("+1303506536")
    );
    assert_eq!(
        request.interaction.client_session_id.as_deref(),
        Some("a545t65678")
    );
    assert_eq!(request.phone_logs.as_ref().map(Vec::len), Some(3));
    let related = request.related_records.unwrap_or_default();
    assert_eq!(related[0].document_table, "csm_consumer");
}

#[test]
fn voice_interaction_post_response() {
    let response: VoiceInteractionResponse =
        round_trip("openframe/voice_interaction_post_response.json");
    assert_eq!(
        response,
        VoiceInteractionResponse::created("12961fff7fb2d2102d0cd3cf8c86652b", "IMS0000052")
    );
}

#[test]
fn voice_interaction_patch_request() {
    let request: VoiceInteractionRequest =
        round_trip("openframe/voice_interaction_patch_request.json");
    assert_eq!(request.validate_update(), Ok(()));
    // The PATCH example has no userPhoneNumber, which only a POST requires.
    let error = request
        .validate_create()
        .expect_err("POST needs userPhoneNumber");
    assert_eq!(error.field, "interaction.userPhoneNumber");
}

#[test]
fn voice_interaction_patch_response() {
    let response: VoiceInteractionResponse =
        round_trip("openframe/voice_interaction_patch_response.json");
    assert_eq!(response, VoiceInteractionResponse::updated());
    assert_eq!(response.result.status, OpenframeStatus::Success);
}

#[test]
fn interaction_must_pass_at_least_one_parameter() {
    let request: VoiceInteractionRequest =
        from_json(&json!({"interaction": {}}).to_string()).expect("parses");
    let error = request.validate_update().expect_err("empty interaction");
    assert_eq!(error.field, "interaction");

    let error = from_json::<VoiceInteractionRequest>("{}").expect_err("interaction is required");
    assert_eq!(error.to_string(), "missing field `interaction`");
}

#[test]
fn phone_numbers_are_e164() {
    for (number, valid) in [
        ("+14089965744", true),
        ("+1303506536", true),
        ("14089965744", false),
        ("+1 408 996 5744", false),
        ("+0123", false),
        ("+1234567890123456", false),
    ] {
        let body = json!({"interaction": {"userPhoneNumber": number}});
        let request: VoiceInteractionRequest = from_json(&body.to_string()).expect("parses");
        assert_eq!(request.validate_create().is_ok(), valid, "{number}");
    }
}

#[test]
fn related_records_name_the_missing_field() {
    let body = json!({"interaction": {"clientSessionId": "a"},
        "relatedRecords": [{"documentTable": "sys_user"}]});
    let error = from_json::<VoiceInteractionRequest>(&body.to_string()).expect_err("no id");
    assert_eq!(error.path(), "relatedRecords[0]");
    assert!(error.message().contains("documentId"), "{error}");
}

#[test]
fn other_statuses_are_kept() {
    let body = json!({"result": {"status": "FAILURE"}});
    let response: VoiceInteractionResponse = from_json(&body.to_string()).expect("parses");
    assert_eq!(response.result.status, OpenframeStatus::Failure);
    let body = json!({"result": {"status": "PARTIAL"}});
    let response: VoiceInteractionResponse = from_json(&body.to_string()).expect("parses");
    assert_eq!(serde_json::to_value(&response).expect("serializes"), body);
}

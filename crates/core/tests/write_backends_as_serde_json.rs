//! The backends' requests the widget writes with `wrapup_core::json::write`
//! (ServiceNow segment update, openframe, Tenios) come out byte for byte as
//! serde_json writes them: on the specs' examples and on objects of their
//! fields read by property. The segment/create and Genesys bodies are written
//! from borrowed parts, compared with serde_json's text of the requests they
//! stand for in `backend_bodies.rs`.

mod write_support;

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use wrapup_core::json::ToJson;
use wrapup_core::servicenow::{SegmentUpdateRequest, VoiceInteractionRequest};
use wrapup_core::tenios::{CancelRequest, ExtendRequest};
use write_support::assert_written_alike;

/// Reads `text` through serde (as the server does) and checks that both
/// writers write it alike; `false` if the type refuses it.
fn deserialize_and_compare<T: DeserializeOwned + ToJson + Serialize>(text: &str) -> bool {
    match serde_json::from_str::<T>(text) {
        Ok(read) => {
            assert_written_alike(&read);
            true
        }
        Err(_) => false,
    }
}

fn fixture(path: &str) -> String {
    let path = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn the_backends_requests_are_written_as_serde_json_writes_them() {
    let segment_updates = [
        fixture("servicenow/segment_update_request.json"),
        json!({}).to_string(),
        json!({"wrap_up_code": "Sale", "notes": "line\nline\t\u{1}😀",
               "confirmed_on": "2024-09-16 17:52:01"})
        .to_string(),
    ];
    for text in &segment_updates {
        assert!(
            deserialize_and_compare::<SegmentUpdateRequest>(text),
            "{text}"
        );
    }
    for text in [
        fixture("openframe/voice_interaction_post_request.json"),
        fixture("openframe/voice_interaction_patch_request.json"),
        json!({"interaction": {}}).to_string(),
        json!({"interaction": {"inboundId": "in\u{7f}", "additionalParams": {}},
               "phoneLogs": [], "relatedRecords": []})
        .to_string(),
    ] {
        assert!(
            deserialize_and_compare::<VoiceInteractionRequest>(&text),
            "{text}"
        );
    }
    for text in [
        fixture("tenios/extend_request.json"),
        fixture("tenios/extend_request_missing_agent_email.json"),
        json!({"access_key": "k\\", "agent_email": "a@b", "end_time": "2016-01-01T09:00:00.000Z"})
            .to_string(),
    ] {
        assert!(deserialize_and_compare::<ExtendRequest>(&text), "{text}");
    }
    for text in [fixture("tenios/cancel_request.json"), json!({}).to_string()] {
        assert!(deserialize_and_compare::<CancelRequest>(&text), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_request_read_is_written_as_serde_json_writes_it(fields in request_like()) {
        let text = fields.to_string();
        deserialize_and_compare::<SegmentUpdateRequest>(&text);
        deserialize_and_compare::<VoiceInteractionRequest>(&text);
        deserialize_and_compare::<ExtendRequest>(&text);
        deserialize_and_compare::<CancelRequest>(&text);
    }
}

/// Objects with the fields of the backends' requests, holding values of
/// several shapes: those the readers accept are compared.
fn request_like() -> impl Strategy<Value = serde_json::Value> {
    let names = prop::sample::select(vec![
        "agent_sys_id",
        "interaction_sys_id",
        "external",
        "segmented",
        "configuration",
        "enable_codes",
        "allowed_codes",
        "code",
        "translation",
        "language",
        "duration",
        "opened_on",
        "wrap_up_code",
        "notes",
        "confirmed_on",
        "interaction",
        "userPhoneNumber",
        "additionalParams",
        "phoneLogs",
        "relatedRecords",
        "documentTable",
        "documentId",
        "session_id",
        "application_id",
        "media_type",
        "disposition",
        "disposition_desc",
        "timestamp",
        "Feedback",
        "access_key",
        "agent_email",
        "end_time",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
        Just(json!("2024-09-16 17:52:01")),
        Just(json!("2016-01-01T09:00:00.000Z")),
        Just(json!("true")),
        Just(json!("30")),
        Just(json!("")),
    ];
    leaf.prop_recursive(3, 40, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec((names.clone(), inner), 0..10).prop_map(|fields| {
                serde_json::Value::Object(
                    fields
                        .into_iter()
                        .map(|(name, value)| (name.to_owned(), value))
                        .collect(),
                )
            }),
        ]
    })
}

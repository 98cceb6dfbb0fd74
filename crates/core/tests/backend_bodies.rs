//! What the widget sends to the backends beyond the ServiceNow segment: the
//! Genesys Service End Event of a wrap-up, the openframe PATCH of changed
//! call data, and the wrap-up a CTI system announces in call data.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use wrapup_core::bs::CtiData;
use wrapup_core::cti_wrapup::{self, CtiWrapup, genesys_service_id};
use wrapup_core::desk::NotesLimit;
use wrapup_core::genesys::{CompleteServiceRequest, GenesysError, LongOrString, WrapupServiceEnd};
use wrapup_core::servicenow::{ExternalSegmentCreate, VoiceInteractionRequest};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 time")
}

#[test]
fn a_genesys_wrapup_sends_code_notes_interaction_and_a_millisecond_utc_timestamp() {
    let body = CompleteServiceRequest::wrapup(
        Some("Billing Issue"),
        "Callback tomorrow",
        "sim-0123456789ab",
        at("2025-03-04T05:06:07.891234Z"),
    );
    assert_eq!(body.validate(), Ok(()));
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "interaction_id": "sim-0123456789ab",
            "disposition": "Billing Issue",
            "disposition_desc": "Callback tomorrow",
            "timestamp": "2025-03-04T05:06:07.891Z",
        })
    );
}

#[test]
fn empty_notes_and_an_overlong_interaction_id_are_left_out() {
    let body =
        CompleteServiceRequest::wrapup(None, "", &"x".repeat(51), at("2025-01-01T00:00:00Z"));
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({ "timestamp": "2025-01-01T00:00:00.000Z" }),
        "a cut interaction id would name another interaction"
    );
    let fifty = "y".repeat(50);
    let body = CompleteServiceRequest::wrapup(None, "", &fifty, at("2025-01-01T00:00:00Z"));
    assert_eq!(body.interaction_id.as_deref(), Some(fifty.as_str()));
}

#[test]
fn the_borrowed_service_end_writes_what_the_request_writes() {
    let long = "z".repeat(51);
    let fifty = "y".repeat(50);
    let codes = [
        None,
        Some("Billing Issue"),
        Some("10"),
        Some("007"),
        Some(""),
    ];
    let notes = ["", "Callback tomorrow", "line\n\"quoted\" ✓"];
    let ids = ["", "sim-0123456789ab", fifty.as_str(), long.as_str()];
    let times = [
        at("2025-03-04T05:06:07.891234Z"),
        at("2025-01-01T00:00:00Z"),
    ];
    for code in codes {
        for notes in notes {
            for id in ids {
                for completed_at in times {
                    let borrowed = WrapupServiceEnd {
                        code,
                        notes,
                        interaction_id: id,
                        completed_at,
                    };
                    let built = CompleteServiceRequest::wrapup(code, notes, id, completed_at);
                    assert_eq!(
                        wrapup_core::json::write::to_string(&borrowed),
                        serde_json::to_string(&built).expect("serializes"),
                        "{code:?} {notes:?} {id:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_borrowed_segment_create_writes_what_its_request_writes() {
    let wrapups = [
        CtiWrapup::default(),
        CtiWrapup {
            codes: vec!["Sale".into(), "No \"sale\" ✓".into()],
            default_code: Some("Sale".into()),
            duration_seconds: Some(90),
            opened_on: None,
        },
        CtiWrapup {
            codes: vec!["Sale".into()],
            default_code: None,
            duration_seconds: Some(0),
            opened_on: None,
        },
        CtiWrapup {
            codes: Vec::new(),
            default_code: Some("Sale".into()),
            duration_seconds: None,
            opened_on: None,
        },
    ];
    for announced in &wrapups {
        for interaction_sys_id in ["i-1", "w-1"] {
            let body = ExternalSegmentCreate {
                agent_sys_id: "agent-1",
                interaction_sys_id,
                external_segment_id: "w-1",
                announced,
                opened_on: at("2025-03-04T05:06:07.891Z"),
            };
            let built = body.request();
            assert_eq!(built.validate(), Ok(()), "{announced:?}");
            assert_eq!(
                wrapup_core::json::write::to_string(&body),
                serde_json::to_string(&built).expect("serializes"),
                "{announced:?}"
            );
        }
    }
}

#[test]
fn a_numeric_code_is_a_business_attribute_id_and_anything_else_a_name() {
    assert_eq!(LongOrString::from_code("10"), LongOrString::Long(10));
    assert_eq!(
        LongOrString::from_code("007"),
        LongOrString::String("007".into()),
        "leading zeros are part of a name"
    );
    assert_eq!(
        LongOrString::from_code("Store Issue"),
        LongOrString::String("Store Issue".into())
    );
    assert_eq!(
        LongOrString::from_code("99999999999999999999"),
        LongOrString::String("99999999999999999999".into())
    );
}

#[test]
fn the_genesys_error_body_reads_back() {
    let error: GenesysError =
        serde_json::from_str(r#"{"code": 400, "message": "service_id `x` is not an integer"}"#)
            .unwrap();
    assert_eq!(error.code, 400);
    assert_eq!(error.to_string(), "service_id `x` is not an integer");
}

#[test]
fn changed_call_data_patches_the_interaction_context_and_names_the_call() {
    let mut cti = CtiData {
        call_variable1: Some("12345".into()),
        wrap_up_reason: Some("Documentation".into()),
        queue_name: Some("Billing".into()),
        ..CtiData::default()
    };
    cti.set_ecc_variable("eccVar1", "999999");
    let patch = VoiceInteractionRequest::call_data_update("w1", Some(&cti));
    assert_eq!(patch.validate_update(), Ok(()));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({
            "interaction": { "clientSessionId": "w1" },
            "interactionContext": {
                "callVariable1": "12345",
                "wrapUpReason": "Documentation",
                "user.eccVar1": "999999",
            },
        }),
        "the call variables only (not the queue), and no phone logs: each one sent \
         would be a new record"
    );
    let empty = VoiceInteractionRequest::call_data_update("w1", None);
    assert_eq!(empty.validate_update(), Ok(()));
    assert_eq!(
        empty.interaction_context,
        Some(wrapup_core::json::Map::new())
    );
}

#[test]
fn the_announced_wrapup_round_trips_through_call_data() {
    let announced = CtiWrapup {
        codes: vec!["Billing Issue".into(), "Store Issue".into()],
        default_code: Some("Billing Issue".into()),
        duration_seconds: Some(120),
        opened_on: Some(at("2025-03-04T05:06:07.891Z")),
    };
    let mut cti = CtiData::default();
    announced.write(&mut cti);
    assert_eq!(
        cti.ecc_variable(cti_wrapup::CODES),
        Some("Billing Issue,Store Issue")
    );
    assert_eq!(
        cti.ecc_variable(cti_wrapup::OPENED_ON),
        Some("2025-03-04T05:06:07.891Z")
    );
    assert_eq!(CtiWrapup::read(Some(&cti)), announced);
    assert_eq!(CtiWrapup::read(None), CtiWrapup::default());
}

#[test]
fn malformed_announcements_are_absent_not_fatal() {
    let mut cti = CtiData::default();
    cti.set_ecc_variable(cti_wrapup::CODES, " , A ,, B ");
    cti.set_ecc_variable(cti_wrapup::DURATION, "soon");
    cti.set_ecc_variable(cti_wrapup::OPENED_ON, "yesterday");
    cti.set_ecc_variable(cti_wrapup::DEFAULT_CODE, "  ");
    let read = CtiWrapup::read(Some(&cti));
    assert_eq!(read.codes, ["A", "B"]);
    assert_eq!(read.duration_seconds, None);
    assert_eq!(read.opened_on, None);
    assert_eq!(read.default_code, None);
    assert!(
        !read.enable_codes(),
        "without a default there is nothing to require"
    );
}

#[test]
fn a_genesys_wrapup_takes_any_disposition_and_64_characters_of_notes() {
    let config = CtiWrapup {
        codes: vec!["10".into(), "20".into()],
        default_code: Some("10".into()),
        duration_seconds: Some(90),
        opened_on: None,
    }
    .genesys_config();
    assert_eq!(config.notes_limit, Some(NotesLimit::GENESYS));
    assert!(config.custom_codes_allowed);
    assert!(config.enable_codes);
    assert_eq!(config.duration, Some(TimeDelta::seconds(90)));
    assert_eq!(config.allowed_codes.len(), 2);
    let unlimited = CtiWrapup::default().genesys_config();
    assert_eq!(unlimited.duration, None);
    assert!(!unlimited.enable_codes);
}

#[test]
fn the_service_id_is_a_positive_integer() {
    let with = |value: &str| {
        let mut cti = CtiData::default();
        cti.set_ecc_variable(cti_wrapup::GENESYS_SERVICE_ID, value);
        genesys_service_id(Some(&cti))
    };
    assert_eq!(with("36981723"), Some(36_981_723));
    assert_eq!(with(" 42 "), Some(42));
    assert_eq!(with("0"), None);
    assert_eq!(with("-3"), None);
    assert_eq!(with("abc"), None);
    assert_eq!(genesys_service_id(None), None);
}

//! Property tests of the parsers every untrusted input goes through: CTI
//! events and b+s requests (from the event stream, a host page or an
//! integrator) and the REST bodies the reference server accepts. Whatever
//! the input, parsing returns a value or an error naming what is wrong; it
//! never panics, and the widget's cheap parse path agrees with the tracked one.

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wrapup_core::bs::{CilEvent, CilRequest};
use wrapup_core::genesys::CompleteServiceRequest;
use wrapup_core::parse::{from_json, from_json_untracked};
use wrapup_core::servicenow::{
    CodePostRequest, SegmentCreateRequest, SegmentUpdateRequest, VoiceInteractionRequest,
};
use wrapup_core::tenios::{CancelRequest, ExtendRequest};

/// Both parse paths: same success, and the same message on failure.
fn parses_consistently<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    let tracked = from_json::<T>(text);
    let untracked = from_json_untracked::<T>(text);
    match (&tracked, &untracked) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => {
            assert!(!a.to_string().is_empty());
            assert!(!b.to_string().is_empty());
        }
        _ => panic!("the parse paths disagree on {text:?}: {tracked:?} vs {untracked:?}"),
    }
}

/// The widget's reader of JSON text says what serde_json's says: the same
/// value, or the same error at the same line and column
/// (`json::disagreement_with_serde_json`: built with the workspace, whose
/// serde_json has the server's `float_roundtrip`, a float may differ in its
/// last few steps).
fn reads_as_serde_json(text: &str) {
    if let Some(disagreement) = wrapup_core::json::disagreement_with_serde_json(text) {
        panic!("the readers disagree on {text:?}: {disagreement}");
    }
}

/// Text made of JSON's tokens and near misses, in any order: every branch of
/// a JSON reader, and its errors, in a few tokens.
fn json_like_text() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\"",
        "\\",
        "\\u",
        "d83d",
        "DE00",
        "00e9",
        "zz",
        "0",
        "1",
        "9",
        "-",
        ".",
        "e",
        "E",
        "+",
        "99999999999",
        "18446744073709551616",
        "null",
        "nul",
        "true",
        "fals",
        "x",
        "é",
        "\u{1}",
        "\"k\":",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|tokens| tokens.concat())
}

fn every_parser(text: &str) {
    reads_as_serde_json(text);
    parses_consistently::<CilEvent>(text);
    parses_consistently::<CilRequest>(text);
    parses_consistently::<SegmentCreateRequest>(text);
    parses_consistently::<SegmentUpdateRequest>(text);
    parses_consistently::<CodePostRequest>(text);
    parses_consistently::<VoiceInteractionRequest>(text);
    parses_consistently::<ExtendRequest>(text);
    parses_consistently::<CancelRequest>(text);
    parses_consistently::<CompleteServiceRequest>(text);
}

/// JSON values of any shape, with the field names the parsers look for so
/// that deep paths are reached, and hostile strings.
fn json_value() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "event",
        "request",
        "id",
        "state",
        "ctiData",
        "callVariable1",
        "user.ecc",
        "wrapUpReason",
        "channelId",
        "workitemId",
        "updatedData",
        "agent_sys_id",
        "configuration",
        "allowed_codes",
        "code",
        "duration",
        "external",
        "opened_on",
        "wrap_up_code",
        "notes",
        "access_key",
        "agent_email",
        "end_time",
        "disposition",
        "disposition_desc",
        "interaction",
        "userPhoneNumber",
        "phoneLogs",
        "timestamp",
    ]);
    let text = prop_oneof![
        Just("workitemCreate".to_owned()),
        Just("setWrapupReason".to_owned()),
        Just("2024-09-16 17:52:01".to_owned()),
        Just("2020-01-01T09:00:00.000Z".to_owned()),
        Just("true".to_owned()),
        Just("30".to_owned()),
        Just("\u{202e}\u{0}\u{fffd}<script>".to_owned()),
        ".{0,40}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text.prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..8).prop_map(|fields| {
                Value::Object(
                    fields
                        .into_iter()
                        .map(|(name, value)| (name.to_owned(), value))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_parsed_or_refused_never_a_panic(text in ".{0,200}") {
        every_parser(&text);
    }

    #[test]
    fn json_like_text_is_read_as_serde_json_reads_it(text in json_like_text()) {
        reads_as_serde_json(&text);
    }

    #[test]
    fn any_json_shape_is_parsed_or_refused_never_a_panic(value in json_value()) {
        every_parser(&value.to_string());
    }

    #[test]
    fn a_cti_event_with_any_workitem_fields_is_parsed_or_refused(
        event in prop::sample::select(vec![
            "workitemCreate", "workitemConnect", "workitemPause", "workitemResume",
            "workitemWrapup", "workitemEnd", "callVariableChanged", "wrapupDataChanged",
            "agentStateChange", "queueDataUpdate", "error", "noSuchEvent",
        ]),
        fields in json_value(),
    ) {
        let mut object = match fields {
            Value::Object(object) => object,
            other => [("id".to_owned(), other)].into_iter().collect(),
        };
        object.insert("event".to_owned(), Value::from(event));
        parses_consistently::<CilEvent>(&Value::Object(object).to_string());
    }

    #[test]
    fn a_truncated_or_corrupted_spec_example_never_panics(
        cut in 0usize..2000,
        flip in 0usize..2000,
        byte in any::<u8>(),
    ) {
        let example = include_str!("fixtures/servicenow/segment_create_request.json");
        let mut bytes = example.as_bytes()[..cut.min(example.len())].to_vec();
        if !bytes.is_empty() {
            let at = flip % bytes.len();
            bytes[at] = byte;
        }
        every_parser(&String::from_utf8_lossy(&bytes));
    }
}

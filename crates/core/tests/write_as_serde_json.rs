//! The widget writes JSON with `wrapup_core::json::write` rather than
//! serde_json: every value and type it writes must come out byte for byte
//! as serde_json writes it through the type's `Serialize` impl. These are the
//! values, `cil` events and requests; the backends' requests are in
//! `write_backends_as_serde_json.rs`.

mod write_support;

use write_support::assert_written_alike;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::json;
use wrapup_core::bs::{CilEvent, CilRequest, WrapupState};
use wrapup_core::json::{self, ToJson};
use wrapup_core::record::FromJson;

/// Strings serde_json escapes in every way it does, and those it leaves.
const HOSTILE: &[&str] = &[
    "",
    "plain",
    "quote \" backslash \\ slash /",
    "\u{0}\u{1}\u{7}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{e}\u{1f}\u{20}\u{7f}",
    "ünïcödé – “quotes” 😀 \u{2028}\u{2029} \u{202e}\u{fffd}",
    "<script>alert('x')</script>&amp;",
];

#[test]
fn values_are_written_as_serde_json_writes_them() {
    let values = [
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(9_007_199_254_740_993_u64),
        json!(0.1),
        json!(-0.0),
        json!(1e300),
        json!(1.5e-7),
        json!(1e16),
        json!(123_456.789),
        json!(f64::MAX),
        json!(f64::MIN_POSITIVE),
        json!([]),
        json!({}),
        json!([1, "two", [3.0, {"four": null}], {}]),
        json!({"b": 1, "a": {"z": [true, false], "y": "\n"}, "": ""}),
    ];
    for value in values {
        let value = json::Value::from(value);
        assert_written_alike(&value);
        assert_eq!(value.to_string(), serde_json::to_string(&value).unwrap());
    }
    for text in HOSTILE {
        assert_written_alike(&json::Value::from(*text));
        let object: json::Value = json::Value::from(json!({ *text: *text }));
        assert_written_alike(&object);
    }
}

#[test]
fn every_byte_below_0x80_is_escaped_as_serde_json_escapes_it() {
    let text: String = (0_u8..0x80).map(char::from).collect();
    assert_written_alike(&text);
}

/// Any JSON value, with strings of any characters and numbers of every kind.
fn any_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|fields| serde_json::Value::Object(fields.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_value_is_written_as_serde_json_writes_it(value in any_value()) {
        let expected = serde_json::to_string(&value).unwrap();
        let value = json::Value::from(value);
        prop_assert_eq!(json::write::to_string(&value), expected);
    }
}

/// Reads `value` as `T` (as the widget reads what it writes) and checks that
/// both writers write it alike; `false` if `T` refuses it.
fn read_and_compare<T: FromJson + ToJson + Serialize>(value: &serde_json::Value) -> bool {
    match wrapup_core::parse::read::<T>(&value.to_string()) {
        Ok(read) => {
            assert_written_alike(&read);
            true
        }
        Err(_) => false,
    }
}

/// A workitem with every field the spec lists, unknown ones (`event` among
/// them, which is never written back), and text to escape.
fn full_workitem() -> serde_json::Value {
    json!({
        "version": "1.0",
        "requestId": "r\"1",
        "activity": {"id": "a1", "recordType": "phonecall", "custom": [1, 2.5]},
        "agentId": "agent\\1",
        "ani": "+41 44 000 00 00",
        "associatedParticipant": {"id": "c1", "name": "Zoë “Q”", "recordType": "contact", "x": {}},
        "associations": [{"id": "r1"}, {"name": "n", "more": null}],
        "capabilities": ["hold", "transfer", "\u{1}"],
        "channelId": "voice_5000",
        "channelType": "voice",
        "classification": "Consult",
        "connectedAt": "2020-07-28T09:51:17.696Z",
        "ctiData": {
            "callKeyCallId": 17,
            "callKeyPrefix": "150",
            "callType": "PREROUTE_ACD_IN",
            "callVariable1": "one", "callVariable2": "two", "callVariable3": "3",
            "callVariable4": "4", "callVariable5": "5", "callVariable6": "6",
            "callVariable7": "7", "callVariable8": "8", "callVariable9": "9",
            "callVariable10": "ten\n",
            "dialedNumber": "1000",
            "DNIS": "2000",
            "mediaId": "m",
            "outboundClassification": "ANS_MACHINE",
            "queueName": "Support",
            "queueNumber": "42",
            "wrapUpReason": "Documentation",
            "user.ecc": "😀",
            "event": "not written back"
        },
        "direction": "Inbound",
        "id": "w1",
        "participants": [{"address": "1000", "role": "agent"}, {}],
        "participantLookupResult": [{"id": "p1", "recordType": "account"}],
        "state": "SomethingNew",
        "aaa": "first unknown field",
        "zzz": {"nested": [true, false, null]}
    })
}

#[test]
fn cil_events_are_written_as_serde_json_writes_them() {
    let workitem = full_workitem();
    let events = [
        "workitemCreate",
        "workitemConnect",
        "workitemPause",
        "workitemResume",
        "workitemWrapup",
        "workitemEnd",
        "callVariableChanged",
        "wrapupDataChanged",
    ];
    for event in events {
        let mut full = workitem.clone();
        full["event"] = json!(event);
        assert!(read_and_compare::<CilEvent>(&full), "{event}");
        let bare = json!({"event": event, "id": "w2", "state": "Active"});
        assert!(read_and_compare::<CilEvent>(&bare), "{event}");
    }
    let others = [
        json!({
            "event": "agentStateChange", "version": "1.0", "requestId": "r",
            "channelType": "voice", "channelId": "voice_1", "newState": "NotReady",
            "newReasonCode": -7, "newReasonCodeLabel": "Lunch",
            "newStateChangeTime": 1_595_929_877_696_i64, "oldState": "Ready",
            "oldReasonCode": "12", "oldReasonCodeLabel": "",
            "oldStateChangeTime": "2020-07-28T11:51:17+02:00", "extra": [1]
        }),
        json!({"event": "agentStateChange", "newState": "Ready"}),
        json!({
            "event": "queueDataUpdate", "version": "1.0", "dataState": "UPDATED",
            "queueData": [
                {"id": "q1", "name": "Support", "channel": "voice", "escalationLevel": "Warn",
                 "statistics": {"agentsNotReady": 1, "agentsReady": "2", "agentsTalkingInbound": 3,
                    "agentsTalkingInternal": 4, "agentsTalkingOutbound": 5,
                    "agentsWrapUpNotReady": 6, "agentsWrapUpReady": 7,
                    "callsInQueue": 18_446_744_073_709_551_615_u64,
                    "startTimeOfLongestCallInQueue": "2020-07-28T09:51:17Z", "more": "x"},
                 "other": 1.5},
                {"id": 2}
            ],
            "unknown": "kept"
        }),
        json!({"event": "error", "version": "1.0", "requestId": "", "message": "Failed: \"x\"", "code": 7}),
        json!({"event": "error", "message": "m"}),
    ];
    for event in others {
        assert!(read_and_compare::<CilEvent>(&event), "{event}");
    }
}

#[test]
fn cil_requests_are_written_as_serde_json_writes_them() {
    let requests = [
        json!({"request": "setAgentState", "channelId": "voice_1", "state": "NotReady",
               "reasonCode": "12", "requestId": "r1"}),
        json!({"request": "setAgentState", "channelId": "voice_1", "state": "Ready"}),
        json!({"request": "directTransfer", "channelId": "voice_1", "address": "1000",
               "workitemId": "w", "requestId": "r"}),
        json!({"request": "singleStepConference", "channelId": "voice_1", "address": "1000"}),
        json!({"request": "dialOrConsult", "channelId": "voice_1", "address": "+41\t", "requestId": "r"}),
        json!({"request": "getReasonCodeList", "channelId": "voice_1", "reasonType": "NotReady"}),
        json!({"request": "getReasonCodeList", "channelId": "voice_1"}),
        json!({"request": "getChannel", "channelId": "voice_1"}),
        json!({"request": "sendDtmf", "dtmf": "12#", "requestId": "r"}),
        json!({"request": "isSendDtmfEnabled"}),
        json!({"request": "updateWorkitemData", "channelId": "voice_1", "workitemId": "w",
               "updatedData": {"callVariable1": "ü", "user.ecc": "\"", "wrapUpReason": "Sale"},
               "requestId": "r"}),
        json!({"request": "isUpdateWorkitemDataEnabled", "channelId": "voice_1", "workitemId": "w"}),
        json!({"request": "setWrapupReason", "channelId": "voice_1", "workitemId": "w",
               "wrapUpReason": "Sale", "requestId": "r"}),
    ];
    for request in requests {
        assert!(read_and_compare::<CilRequest>(&request), "{request}");
    }
}

#[test]
fn a_wrapup_state_is_written_as_serde_json_writes_it() {
    let states = [
        json!({"workitemId": "w", "inWrapup": true, "deadline": "2020-07-28T09:51:17.696Z",
               "selectedCode": "Sale", "notes": "a\nb", "submission": "failed", "failure": "x"}),
        json!({"workitemId": "w", "inWrapup": false, "notes": "", "submission": "none"}),
    ];
    for state in states {
        let state: WrapupState = serde_json::from_value(state).unwrap();
        assert_written_alike(&state);
    }
    for submission in ["none", "saving", "sent", "confirmed", "failed"] {
        let state =
            json!({"workitemId": "w", "inWrapup": true, "notes": "", "submission": submission});
        let state: WrapupState = serde_json::from_value(state).unwrap();
        assert_written_alike(&state);
    }
}

/// Objects with the fields of the events and requests, holding values of
/// several shapes: those the readers accept are compared.
fn event_like() -> impl Strategy<Value = serde_json::Value> {
    let names = prop::sample::select(vec![
        "version",
        "requestId",
        "activity",
        "agentId",
        "ani",
        "associatedParticipant",
        "associations",
        "capabilities",
        "channelId",
        "channelType",
        "classification",
        "connectedAt",
        "ctiData",
        "direction",
        "id",
        "participants",
        "participantLookupResult",
        "state",
        "newState",
        "newReasonCode",
        "oldState",
        "newStateChangeTime",
        "dataState",
        "queueData",
        "message",
        "address",
        "workitemId",
        "reasonCode",
        "reasonType",
        "dtmf",
        "updatedData",
        "wrapUpReason",
        "callVariable1",
        "DNIS",
        "recordType",
        "name",
        "statistics",
        "callsInQueue",
        "unknown",
        "event",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
        Just(json!("2020-07-28T09:51:17.696Z")),
        Just(json!("Active")),
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_event_or_request_read_is_written_as_serde_json_writes_it(
        fields in event_like(),
        event in prop::sample::select(vec![
            "workitemCreate", "workitemEnd", "agentStateChange", "queueDataUpdate", "error",
        ]),
        request in prop::sample::select(vec![
            "setAgentState", "directTransfer", "getReasonCodeList", "updateWorkitemData",
            "setWrapupReason", "isSendDtmfEnabled", "sendDtmf",
        ]),
    ) {
        let mut object = match fields {
            serde_json::Value::Object(object) => object,
            other => [("id".to_owned(), other)].into_iter().collect(),
        };
        object.insert("event".to_owned(), json!(event));
        read_and_compare::<CilEvent>(&serde_json::Value::Object(object.clone()));
        object.insert("request".to_owned(), json!(request));
        read_and_compare::<CilRequest>(&serde_json::Value::Object(object));
    }
}

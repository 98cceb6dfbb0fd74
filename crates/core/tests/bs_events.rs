//! The b+s Connects workitem events read and write exactly the spec's JSON
//! shape (the other events: `bs_channel_events.rs`).

use serde_json::{Value, json};
use wrapup_core::bs::{
    ChannelType, CilEvent, Classification, Direction, OutboundClassification, Workitem,
    WorkitemEventKind, WorkitemState,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A workitem event with every field of the data reference filled in.
fn full_workitem_event(event: &str, state: &str) -> Value {
    json!({
        "event": event,
        "version": "1.0",
        "requestId": "req-42",
        "activity": { "id": "a1b2c3d4", "recordType": "phonecall" },
        "agentId": "agent007",
        "ani": "+41445551234",
        "associatedParticipant": { "id": "c0ffee", "name": "Anna Muster", "recordType": "contact" },
        "associations": [
            { "id": "a1b2c3d4", "name": "Call from +41445551234", "recordType": "phonecall" }
        ],
        "capabilities": ["hold", "transfer", "conference", "sendDtmf"],
        "channelId": "voice_5000",
        "channelType": "Voice",
        "classification": "Customer",
        "connectedAt": "2020-07-28T09:51:17.696Z",
        "ctiData": {
            "callKeyCallId": "16777302",
            "callKeyPrefix": "153520",
            "callType": "PREROUTE_ACD_IN",
            "callVariable1": "12345",
            "callVariable2": "two",
            "callVariable3": "three",
            "callVariable4": "four",
            "callVariable5": "five",
            "callVariable6": "six",
            "callVariable7": "seven",
            "callVariable8": "eight",
            "callVariable9": "nine",
            "callVariable10": "ten",
            "dialedNumber": "8001",
            "DNIS": "8001",
            "mediaId": "1",
            "outboundClassification": "VOICE",
            "queueName": "Billing",
            "queueNumber": "5012",
            "user.eccVar1": "999999",
            "user.customerTier": "gold",
            "wrapUpReason": "Documentation"
        },
        "direction": "Incoming",
        "id": "16777302",
        "participants": [{ "address": "+41445551234" }, { "address": "1001" }],
        "participantLookupResult": [
            { "id": "c0ffee", "name": "Anna Muster", "recordType": "contact" },
            { "id": "beef01", "name": "Anna Muster (old)", "recordType": "contact" }
        ],
        "state": state
    })
}

#[test]
fn every_workitem_event_round_trips_with_every_field() -> TestResult {
    let kinds = [
        ("workitemCreate", "Offered", WorkitemEventKind::Create),
        ("workitemConnect", "Active", WorkitemEventKind::Connect),
        ("workitemPause", "Paused", WorkitemEventKind::Pause),
        ("workitemResume", "Active", WorkitemEventKind::Resume),
        ("workitemWrapup", "Wrapup", WorkitemEventKind::Wrapup),
        ("workitemEnd", "EndedTransferred", WorkitemEventKind::End),
        (
            "callVariableChanged",
            "Active",
            WorkitemEventKind::CallVariableChanged,
        ),
        (
            "wrapupDataChanged",
            "Wrapup",
            WorkitemEventKind::WrapupDataChanged,
        ),
    ];
    for (name, state, kind) in kinds {
        let original = full_workitem_event(name, state);
        let event: CilEvent = serde_json::from_value(original.clone())?;
        assert_eq!(event.name(), name);
        let Some((parsed_kind, workitem)) = event.workitem() else {
            return Err(format!("{name} is not a workitem event").into());
        };
        assert_eq!(parsed_kind, kind);
        assert_eq!(workitem.id, "16777302");
        assert_eq!(workitem.state.as_str(), state);
        assert_eq!(
            unlisted_fields(workitem),
            ["user.customerTier", "user.eccVar1"],
            "every documented field is read into its own field; ECC variables are kept as they came"
        );
        assert_eq!(
            serde_json::to_value(&event)?,
            original,
            "{name} round-trips"
        );
    }
    Ok(())
}

/// The fields of `workitem` and its parts that landed in an `extra` map:
/// a documented field found there was read under the wrong name (and would
/// still round-trip, unnoticed).
fn unlisted_fields(workitem: &Workitem) -> Vec<&str> {
    let records = workitem
        .associated_participant
        .iter()
        .chain(&workitem.associations)
        .chain(&workitem.participant_lookup_result);
    let mut names: Vec<&str> = workitem
        .extra
        .keys()
        .chain(
            workitem
                .activity
                .iter()
                .flat_map(|activity| activity.extra.keys()),
        )
        .chain(workitem.cti_data.iter().flat_map(|data| data.extra.keys()))
        .chain(records.flat_map(|record| record.extra.keys()))
        .chain(
            workitem
                .participants
                .iter()
                .flat_map(|participant| participant.extra.keys()),
        )
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn every_workitem_state_of_the_spec_keeps_its_spelling() -> TestResult {
    let spec = [
        "Unknown",
        "Initiated",
        "Offered",
        "Active",
        "Paused",
        "Wrapup",
        "Ended",
        "EndedAbandoned",
        "EndedTransferred",
        "EndedUnknown",
    ];
    assert_eq!(WorkitemState::DOCUMENTED, spec);
    for spelling in spec {
        let original = json!({ "event": "workitemCreate", "id": "1", "state": spelling });
        let event: CilEvent = serde_json::from_value(original)?;
        let Some((_, workitem)) = event.workitem() else {
            return Err("not a workitem event".into());
        };
        assert!(workitem.state.is_documented(), "{spelling}");
        assert_eq!(workitem.state.as_str(), spelling);
        assert_eq!(workitem.state.is_ended(), spelling.starts_with("Ended"));
        assert_eq!(serde_json::to_value(&event)?["state"], spelling);
    }
    Ok(())
}

#[test]
fn a_workitem_reads_into_typed_fields() -> TestResult {
    let event: CilEvent = serde_json::from_value(full_workitem_event("workitemConnect", "Active"))?;
    let Some((_, workitem)) = event.workitem() else {
        return Err("not a workitem event".into());
    };
    assert_eq!(workitem.channel_type, Some(ChannelType::Voice));
    assert_eq!(workitem.classification, Some(Classification::Customer));
    assert_eq!(workitem.direction, Some(Direction::Incoming));
    assert_eq!(workitem.state, WorkitemState::Active);
    assert_eq!(
        workitem
            .connected_at
            .map(|instant| instant.timestamp_millis()),
        Some(1_595_929_877_696)
    );
    let cti = workitem.cti_data.as_ref().ok_or("no ctiData")?;
    assert_eq!(cti.call_variable(10), Some("ten"));
    assert_eq!(cti.dnis.as_deref(), Some("8001"));
    assert_eq!(
        cti.outbound_classification,
        Some(OutboundClassification::Voice)
    );
    assert_eq!(cti.ecc_variable("eccVar1"), Some("999999"));
    assert_eq!(cti.ecc_variable("customerTier"), Some("gold"));
    assert_eq!(workitem.wrap_up_reason(), Some("Documentation"));
    assert_eq!(
        workitem
            .activity
            .as_ref()
            .and_then(|activity| activity.record_type.as_deref()),
        Some("phonecall")
    );
    assert_eq!(workitem.participants.len(), 2);
    Ok(())
}

#[test]
fn the_event_name_is_written_once() -> TestResult {
    let event: CilEvent = serde_json::from_value(full_workitem_event("workitemEnd", "Ended"))?;
    let text = serde_json::to_string(&event)?;
    assert_eq!(text.matches("\"event\"").count(), 1);
    assert!(text.starts_with("{\"event\":\"workitemEnd\""));
    Ok(())
}

#[test]
fn a_minimal_create_without_activity_is_read() -> TestResult {
    // "It is possible that the activity is undefined for the workitemCreate event."
    let event: CilEvent = serde_json::from_value(json!({
        "event": "workitemCreate", "id": "1", "state": "Offered", "activity": null
    }))?;
    let Some((_, workitem)) = event.workitem() else {
        return Err("not a workitem event".into());
    };
    assert_eq!(workitem.activity, None);
    assert_eq!(
        serde_json::to_value(&event)?,
        json!({
            "event": "workitemCreate", "id": "1", "state": "Offered",
            "associations": [], "capabilities": [], "participants": [],
            "participantLookupResult": []
        })
    );
    Ok(())
}

#[test]
fn unknown_fields_and_words_are_kept_and_never_fatal() -> TestResult {
    let original = json!({
        "event": "workitemConnect",
        "id": 42,
        "state": "Ringing",
        "channelType": "Video",
        "connectedAt": null,
        "bridgeSequence": 7,
        "ctiData": { "user.eccVar9": "x", "callVariable1": 5, "somethingNew": { "a": 1 } }
    });
    let event: CilEvent = serde_json::from_value(original)?;
    let Some((_, workitem)) = event.workitem() else {
        return Err("not a workitem event".into());
    };
    assert_eq!(workitem.id, "42");
    assert_eq!(workitem.state, WorkitemState::Other("Ringing".to_owned()));
    assert_eq!(
        workitem.channel_type,
        Some(ChannelType::Other("Video".to_owned()))
    );
    assert_eq!(workitem.connected_at, None, "null is absent");
    assert_eq!(workitem.extra.get("bridgeSequence"), Some(&7_u64.into()));
    let written = serde_json::to_value(&event)?;
    assert_eq!(written["state"], "Ringing");
    assert_eq!(written["channelType"], "Video");
    assert_eq!(written["bridgeSequence"], 7);
    assert_eq!(written["ctiData"]["callVariable1"], "5");
    assert_eq!(written["ctiData"]["somethingNew"], json!({ "a": 1 }));
    Ok(())
}

/// Ids may come as numbers and `null` means absent, but a value that cannot
/// be its field makes the event unreadable, and the error names the field.
#[test]
fn values_that_cannot_be_their_field_are_refused_naming_it() {
    let workitem = |field: &str, value: Value| {
        let mut event = json!({ "event": "workitemConnect", "id": "w1", "state": "Active" });
        let (outer, inner) = field.split_once('.').unwrap_or((field, ""));
        if inner.is_empty() {
            event[outer] = value;
        } else {
            event[outer] = json!({ inner: value });
        }
        event
    };
    let cases = [
        (
            workitem("state", json!(42)),
            "state: invalid type: integer `42`, expected a string",
        ),
        (
            workitem("id", json!({})),
            "id: invalid type: map, expected a string or a number",
        ),
        (
            workitem("id", Value::Null),
            "id: invalid type: null, expected a string or a number",
        ),
        (
            workitem("connectedAt", json!("not a time")),
            "connectedAt: invalid value: string \"not a time\", expected an ISO 8601 date-time",
        ),
        (
            workitem("ctiData.callVariable1", json!([1])),
            "ctiData.callVariable1: invalid type: sequence, expected a string or a number",
        ),
        (
            json!({ "event": "agentStateChange", "newState": "NotReady", "newReasonCode": "lunch" }),
            "newReasonCode: invalid value: string \"lunch\", expected a reason code",
        ),
        (
            json!({
                "event": "queueDataUpdate",
                "dataState": "Full",
                "queueData": [{ "id": "q1", "statistics": { "callsInQueue": "many" } }]
            }),
            "queueData[0].statistics.callsInQueue: invalid value: string \"many\", expected a count",
        ),
    ];
    for (event, expected) in cases {
        let text = event.to_string();
        for read in [
            wrapup_core::parse::from_json::<CilEvent>,
            wrapup_core::parse::from_json_untracked::<CilEvent>,
        ] {
            let error = read(&text).expect_err(&text).to_string();
            assert!(error.starts_with(expected), "{text}: {error}");
        }
    }
}

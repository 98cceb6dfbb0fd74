//! The b+s Connects events beyond the workitem's (agent state, queue data,
//! errors), every event's name and API version, and `getChannel`'s answer:
//! read and written in exactly the spec's JSON shape.

use serde_json::json;
use wrapup_core::bs::{API_VERSION, AgentState, CilEvent, DataState, EscalationLevel, ReasonCode};
use wrapup_core::record::FromJson;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn agent_state_change_round_trips() -> TestResult {
    let original = json!({
        "event": "agentStateChange",
        "version": "1.0",
        "requestId": "r-7",
        "channelType": "Voice",
        "channelId": "voice_5000",
        "newState": "NotReady",
        "newReasonCode": 32762,
        "newReasonCodeLabel": "Lunch",
        "newStateChangeTime": "2020-07-28T09:55:00.000Z",
        "oldState": "Ready",
        "oldReasonCode": -1,
        "oldReasonCodeLabel": "",
        "oldStateChangeTime": "2020-07-28T09:00:00.000Z"
    });
    let event: CilEvent = serde_json::from_value(original.clone())?;
    let CilEvent::AgentStateChange(change) = &event else {
        return Err("not an agentStateChange".into());
    };
    assert_eq!(change.new_state, AgentState::NotReady);
    assert_eq!(
        change.new_reason_code.and_then(ReasonCode::get),
        Some(32762)
    );
    assert_eq!(
        change.old_reason_code.and_then(ReasonCode::get),
        None,
        "negative: no code"
    );
    assert_eq!(serde_json::to_value(&event)?, original);
    Ok(())
}

#[test]
fn queue_data_update_round_trips_for_every_data_state() -> TestResult {
    let updated = json!({
        "event": "queueDataUpdate",
        "version": "1.0",
        "dataState": "UPDATED",
        "queueData": [{
            "id": "5012",
            "name": "Billing",
            "channel": "Voice",
            "escalationLevel": "Warn",
            "statistics": {
                "agentsNotReady": 2,
                "agentsReady": 3,
                "agentsTalkingInbound": 4,
                "agentsTalkingInternal": 0,
                "agentsTalkingOutbound": 1,
                "agentsWrapUpNotReady": 1,
                "agentsWrapUpReady": 0,
                "callsInQueue": 6,
                "startTimeOfLongestCallInQueue": "2020-07-28T09:50:00.000Z"
            }
        }]
    });
    let event: CilEvent = serde_json::from_value(updated.clone())?;
    let CilEvent::QueueDataUpdate(update) = &event else {
        return Err("not a queueDataUpdate".into());
    };
    assert_eq!(update.data_state, DataState::Updated);
    assert_eq!(
        update.queue_data[0].escalation_level,
        Some(EscalationLevel::Warn)
    );
    assert_eq!(
        update.queue_data[0]
            .statistics
            .as_ref()
            .and_then(|s| s.calls_in_queue),
        Some(6)
    );
    let queue = &update.queue_data[0];
    let statistics = queue.statistics.as_ref().ok_or("no statistics")?;
    assert!(
        update.extra.is_empty() && queue.extra.is_empty() && statistics.extra.is_empty(),
        "every documented field is read into its own field"
    );
    assert_eq!(serde_json::to_value(&event)?, updated);

    let deleted = json!({ "event": "queueDataUpdate", "dataState": "DELETED", "queueData": [{ "id": "5012" }] });
    assert_eq!(
        serde_json::to_value(serde_json::from_value::<CilEvent>(deleted.clone())?)?,
        deleted
    );
    for state in ["ENABLED", "ADDED", "DISABLED"] {
        let event = json!({ "event": "queueDataUpdate", "dataState": state, "queueData": [] });
        let parsed: CilEvent = serde_json::from_value(event.clone())?;
        let CilEvent::QueueDataUpdate(update) = &parsed else {
            return Err("not a queueDataUpdate".into());
        };
        assert!(update.data_state.is_documented(), "{state}");
        assert_eq!(serde_json::to_value(&parsed)?, event);
    }
    Ok(())
}

#[test]
fn error_event_round_trips_and_keeps_an_empty_request_id() -> TestResult {
    let original =
        json!({ "event": "error", "version": "1.0", "requestId": "", "message": "No active call" });
    let event: CilEvent = serde_json::from_value(original.clone())?;
    let CilEvent::Error(error) = &event else {
        return Err("not an error event".into());
    };
    assert!(error.extra.is_empty(), "{:?}", error.extra);
    assert_eq!(serde_json::to_value(&event)?, original);
    assert_eq!(
        serde_json::to_value(CilEvent::error(Some("r1"), "setWrapupReason: failed"))?,
        json!({ "event": "error", "version": API_VERSION, "requestId": "r1", "message": "setWrapupReason: failed" }),
        "the widget's own error events say the API version, as the spec lists it"
    );
    Ok(())
}

/// Regression: the simulator's events carried no `version`, which the spec
/// lists for every event ("version | API version").
#[test]
fn an_event_of_the_api_version_says_it_whatever_its_kind() -> TestResult {
    for name in CilEvent::NAMES {
        let event: CilEvent = serde_json::from_value(json!({
            "event": name, "id": "1", "dataState": "ENABLED", "message": "", "version": "0.9"
        }))?;
        let written = serde_json::to_value(event.of_api_version())?;
        assert_eq!(written["version"], API_VERSION, "{name}");
    }
    Ok(())
}

/// Regression: an event from a CTI source that sent no `version` (the spec's
/// examples have none) reached integrators without one.
#[test]
fn an_event_for_integrators_keeps_the_version_given_else_says_the_api_version() -> TestResult {
    for name in CilEvent::NAMES {
        let without = json!({ "event": name, "id": "1", "dataState": "ENABLED", "message": "" });
        let event: CilEvent = serde_json::from_value(without)?;
        let written = serde_json::to_value(event.versioned())?;
        assert_eq!(written["version"], API_VERSION, "{name}");

        let given = json!({ "event": name, "id": "1", "dataState": "ENABLED", "message": "", "version": "0.9" });
        let event: CilEvent = serde_json::from_value(given)?;
        assert_eq!(
            serde_json::to_value(event.versioned())?["version"],
            "0.9",
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn every_event_name_of_the_spec_is_known() {
    assert_eq!(CilEvent::NAMES.len(), 11);
    for name in CilEvent::NAMES {
        let parsed: Result<CilEvent, _> = serde_json::from_value(json!({
            "event": name, "id": "1", "dataState": "ENABLED", "message": ""
        }));
        assert_eq!(parsed.map(|event| event.name()).ok(), Some(*name));
    }
}

#[test]
fn a_channel_and_its_workitems_round_trip() -> TestResult {
    let original = json!({
        "activeDeviceId": "SEP0011223344",
        "channel": {
            "id": "voice_5000",
            "type": "Voice",
            "state": "Active",
            "reasonCode": -1,
            "reasonCodeLabel": "",
            "stateChangeTime": "2020-07-28T09:51:17.696Z",
            "workitems": [{ "id": "16777302", "state": "Active", "associations": [], "capabilities": [], "participants": [], "participantLookupResult": [] }]
        },
        "extension": "1001",
        "firstName": "Anna",
        "agentId": "agent007",
        "lastName": "Agent",
        "loginName": "aagent",
        "teamId": "7"
    });
    let result: wrapup_core::bs::GetChannelResult = serde_json::from_value(original.clone())?;
    let channel = result.channel.as_ref().ok_or("no channel")?;
    assert_eq!(channel.workitems.len(), 1);
    assert!(
        result.extra.is_empty() && channel.extra.is_empty(),
        "every documented field is read into its own field"
    );
    assert_eq!(serde_json::to_value(&result)?, original);
    let wrong = json!({ "channel": { "workitems": [{ "id": "1" }, { "id": {} }] } });
    let error =
        wrapup_core::bs::GetChannelResult::from_json(wrong.into()).expect_err("an object is no id");
    assert_eq!(
        error.to_string(),
        "channel.workitems[1].id: invalid type: map, expected a string or a number"
    );
    let codes: Vec<wrapup_core::bs::ReasonCodeEntry> = serde_json::from_value(
        json!([{ "label": "Lunch", "id": 32762 }, { "label": "Break", "id": "5" }]),
    )?;
    assert_eq!(codes[0].id, "32762");
    Ok(())
}

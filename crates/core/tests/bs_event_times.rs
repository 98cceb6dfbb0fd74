//! The time a b+s event says it happened (`CilEvent::occurred_at`), which
//! the widget uses to tell how far the browser's clock is from the CTI
//! system's: only events whose time is of their own moment have one.

use chrono::{DateTime, Utc};
use serde_json::json;
use wrapup_core::bs::CilEvent;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn read(value: serde_json::Value) -> Result<CilEvent, serde_json::Error> {
    serde_json::from_value(value)
}

fn time(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc))
}

fn workitem_event(event: &str) -> serde_json::Value {
    json!({
        "event": event,
        "id": "w1",
        "state": "Active",
        "channelType": "Voice",
        "connectedAt": "2026-11-22T09:51:17.696Z",
        "ctiData": { "user.wrapupOpenedOn": "2026-11-22T09:55:02.000Z" }
    })
}

#[test]
fn a_connection_a_wrapup_and_a_state_change_say_when_they_happened() -> TestResult {
    let connect = read(workitem_event("workitemConnect"))?;
    assert_eq!(
        connect.occurred_at(),
        Some(time("2026-11-22T09:51:17.696Z")?)
    );

    let wrapup = read(workitem_event("workitemWrapup"))?;
    assert_eq!(wrapup.occurred_at(), Some(time("2026-11-22T09:55:02Z")?));

    let state = read(json!({
        "event": "agentStateChange",
        "channelType": "Voice",
        "newState": "NotReady",
        "newStateChangeTime": "2026-11-22T09:56:00.123Z",
        "oldState": "Wrapup",
        "oldStateChangeTime": "2026-11-22T09:55:02.000Z"
    }))?;
    assert_eq!(state.occurred_at(), Some(time("2026-11-22T09:56:00.123Z")?));
    Ok(())
}

#[test]
fn events_whose_times_are_of_earlier_moments_say_nothing() -> TestResult {
    // A call variable changed during the call: its connectedAt is the
    // connection's, not this event's.
    for event in [
        "workitemCreate",
        "callVariableChanged",
        "workitemPause",
        "workitemEnd",
    ] {
        assert_eq!(read(workitem_event(event))?.occurred_at(), None, "{event}");
    }
    // A wrap-up the CTI system did not date, and a state change without its time.
    let mut undated = workitem_event("workitemWrapup");
    undated["ctiData"] = json!({});
    assert_eq!(read(undated)?.occurred_at(), None);
    let state = read(json!({ "event": "agentStateChange", "newState": "Ready" }))?;
    assert_eq!(state.occurred_at(), None);
    Ok(())
}

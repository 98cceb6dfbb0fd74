//! A simulated call driven through its whole lifecycle by HTTP alone, as the
//! widget and a CTI system would drive it, its events read from the SSE
//! stream in order — across a dropped connection, resumed after the last
//! event id seen.

mod common;

use common::sse::Stream;
use common::{TestServer, USER, json, temp_db};
use serde_json::Value;

const AGENT: &str = "agent-lifecycle";

async fn post(server: &TestServer, path: &str, body: Option<&str>) -> Value {
    let (status, text) = server.send("POST", path, body).await;
    assert!(status < 300, "POST {path}: {status} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        json(&text)
    }
}

/// Reads the next events, asserting their names and that their ids follow
/// `last` without a gap; returns the events and the last id.
async fn expect_events(stream: &mut Stream, last: &mut i64, names: &[&str]) -> Vec<Value> {
    let mut events = Vec::new();
    for name in names {
        let (id, event) = stream.next().await;
        assert_eq!(id, *last + 1, "{name}: ids follow one another");
        assert_eq!(event["event"], *name, "{event}");
        *last = id;
        events.push(event);
    }
    events
}

#[tokio::test]
async fn a_call_from_offer_to_submitted_wrapup_across_a_dropped_stream() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    let mut last = 0;
    expect_events(&mut stream, &mut last, &["agentStateChange"]).await;
    let requests = format!("/cti/v1/agents/{AGENT}/requests");
    post(
        &server,
        &requests,
        Some(r#"{"request": "setAgentState", "channelId": "voice", "state": "Ready"}"#),
    )
    .await;
    let ready = expect_events(&mut stream, &mut last, &["agentStateChange"]).await;
    assert_eq!(ready[0]["newState"], "Ready");

    let created = post(
        &server,
        "/sim/v1/calls",
        Some(&format!(
            r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming", "queue": "Billing",
                "agent_email": "lifecycle@test.com",
                "wrapup": {{"duration": 60, "allowed_codes": ["Billing Issue", "Store Issue"],
                           "default_code": "Billing Issue", "enable_codes": true}}}}"#
        )),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let offered = expect_events(&mut stream, &mut last, &["workitemCreate"]).await;
    assert_eq!(offered[0]["state"], "Offered");
    assert_eq!(offered[0]["id"], id.as_str());

    // The widget, on connect: the openframe interaction record of the call.
    post(&server, &format!("/sim/v1/calls/{id}/connect"), None).await;
    // The agent's state follows the call: Ready, then Active.
    let connected = expect_events(
        &mut stream,
        &mut last,
        &["workitemConnect", "agentStateChange"],
    )
    .await;
    assert_eq!(connected[0]["state"], "Active");
    assert!(connected[0]["connectedAt"].is_string());
    assert_eq!(connected[1]["oldState"], "Ready");
    assert_eq!(connected[1]["newState"], "Active");
    let interaction = post(
        &server,
        "/api/now/openframe/voice-interaction",
        Some(&format!(
            r#"{{"interaction": {{"userPhoneNumber": "+4930123456", "clientSessionId": "{id}"}}}}"#
        )),
    )
    .await["result"]["sysId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Call data changes; the widget PATCHes the record's context.
    post(
        &server,
        &requests,
        Some(&format!(
            r#"{{"request": "updateWorkitemData", "channelId": "voice", "workitemId": "{id}",
                "updatedData": {{"callVariable1": "12345"}}}}"#
        )),
    )
    .await;
    expect_events(&mut stream, &mut last, &["callVariableChanged"]).await;
    let (status, text) = server
        .send(
            "PATCH",
            &format!("/api/now/openframe/voice-interaction/{interaction}"),
            Some(&format!(
                r#"{{"interaction": {{"clientSessionId": "{id}"}}, "interactionContext": {{"callVariable1": "12345"}}}}"#
            )),
        )
        .await;
    assert_eq!(status, 200, "{text}");

    post(&server, &format!("/sim/v1/calls/{id}/hold"), None).await;
    expect_events(&mut stream, &mut last, &["workitemPause"]).await;

    // The connection drops. The call goes on meanwhile.
    drop(stream);
    post(&server, &format!("/sim/v1/calls/{id}/resume"), None).await;
    post(&server, &format!("/sim/v1/calls/{id}/hangup"), None).await;

    // The widget reconnects as an EventSource can: the token and the last id
    // in the URL. It gets what it missed, once, in order.
    let response = server
        .client()
        .get(server.url(&format!(
            "/cti/v1/agents/{AGENT}/events?access_token=demo-widget-token&last_event_id={last}"
        )))
        .send()
        .await
        .unwrap();
    let mut stream = Stream::from_response(response);
    let missed = expect_events(
        &mut stream,
        &mut last,
        &["workitemResume", "workitemWrapup", "agentStateChange"],
    )
    .await;
    let wrapup = &missed[1];
    assert_eq!(missed[2]["newState"], "Wrapup");
    assert_eq!(wrapup["state"], "Wrapup");
    let segment_sys_id = wrapup["ctiData"]["user.wrapupSegmentSysId"]
        .as_str()
        .unwrap()
        .to_owned();

    // The widget finds the segment by agent + its interaction record.
    let (status, text) = server
        .send(
            "GET",
            &format!("/api/now/wrapup/segment/agent/{AGENT}/interaction/{interaction}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let segment = json(&text);
    assert_eq!(segment["segment_id"], segment_sys_id.as_str());
    assert_eq!(segment["segment"]["state"], "open");
    assert_eq!(
        segment["segment"]["wrap_up_configuration"]["duration"],
        "60"
    );

    // Picking a reason, extending through Tenios, submitting: the call ends
    // with the submitted code as its wrap-up reason.
    post(
        &server,
        &requests,
        Some(&format!(
            r#"{{"request": "setWrapupReason", "channelId": "voice", "workitemId": "{id}", "wrapUpReason": "Store Issue"}}"#
        )),
    )
    .await;
    expect_events(&mut stream, &mut last, &["wrapupDataChanged"]).await;
    let end_time = (server.clock_now() + chrono::TimeDelta::seconds(90))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let response = server
        .client()
        .post(server.url("/wrap-up/extend"))
        .json(&serde_json::json!({
            "access_key": wrapup_server::DEMO_TENIOS_ACCESS_KEY,
            "agent_email": "lifecycle@test.com", "end_time": end_time,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (status, text) = server
        .send(
            "PUT",
            &format!("/api/now/wrapup/segment/update?agent_sys_id={AGENT}&interaction_sys_id={interaction}"),
            Some(r#"{"wrap_up_code": "Store Issue", "notes": "Card replaced.", "confirmed_on": "2024-09-16 18:52:30"}"#),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(json(&text)["sys_id"], segment_sys_id.as_str());
    let ended = expect_events(&mut stream, &mut last, &["workitemEnd", "agentStateChange"]).await;
    assert_eq!(ended[0]["state"], "Ended");
    assert_eq!(ended[0]["ctiData"]["wrapUpReason"], "Store Issue");
    assert_eq!(ended[1]["oldState"], "Wrapup");
    assert_eq!(
        ended[1]["newState"], "Ready",
        "back to the state before the call"
    );

    // What every backend recorded about the call.
    let (_, text) = server
        .send("GET", &format!("/sim/v1/calls/{id}"), None)
        .await;
    let view = json(&text);
    assert_eq!(view["state"], "Ended");
    assert_eq!(view["segments"][0]["state"], "closed");
    assert_eq!(view["segments"][0]["notes"], "Card replaced.");
    assert_eq!(view["interactions"][0]["sys_id"], interaction.as_str());
    assert_eq!(
        view["interactions"][0]["context"],
        serde_json::json!({ "callVariable1": "12345" })
    );

    // A third connection, with the header a browser's EventSource sends on
    // its own reconnect, replays nothing already seen: the next event is new.
    drop(stream);
    let response = server
        .client()
        .get(server.url(&format!("/cti/v1/agents/{AGENT}/events")))
        .basic_auth(USER.0, Some(USER.1))
        .header("Last-Event-ID", last.to_string())
        .send()
        .await
        .unwrap();
    let mut stream = Stream::from_response(response);
    post(
        &server,
        &requests,
        Some(r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "1"}"#),
    )
    .await;
    let not_ready = expect_events(&mut stream, &mut last, &["agentStateChange"]).await;
    assert_eq!(not_ready[0]["newReasonCodeLabel"], "Break");
}

#[tokio::test]
async fn a_genesys_call_is_ended_by_its_service_end() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    let mut last = 0;
    expect_events(&mut stream, &mut last, &["agentStateChange"]).await;
    let id = post(
        &server,
        "/sim/v1/calls",
        Some(&format!(
            r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming",
                "wrapup": {{"duration": 30, "allowed_codes": ["10", "20"], "default_code": "10"}}}}"#
        )),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(&server, &format!("/sim/v1/calls/{id}/connect"), None).await;
    post(&server, &format!("/sim/v1/calls/{id}/hangup"), None).await;
    let events = expect_events(
        &mut stream,
        &mut last,
        &["workitemCreate", "workitemConnect", "workitemWrapup"],
    )
    .await;
    let service = events[0]["ctiData"]["user.genesysServiceId"]
        .as_str()
        .unwrap();
    let wrapup = &events[2]["ctiData"];
    assert_eq!(
        wrapup["user.genesysServiceId"], service,
        "the same service all along"
    );
    assert_eq!(wrapup["user.wrapupCodes"], "10,20");
    assert_eq!(wrapup["user.wrapupDuration"], "30");
    let (status, text) = server
        .send(
            "POST",
            &format!("/genesys/1/cs/services/{service}/end"),
            Some(&format!(
                r#"{{"disposition": "20", "disposition_desc": "Callback", "interaction_id": "{id}", "timestamp": "2024-09-16T18:52:10.000Z"}}"#
            )),
        )
        .await;
    assert_eq!(status, 204, "{text}");
    let ended = expect_events(&mut stream, &mut last, &["workitemEnd"]).await;
    assert_eq!(ended[0]["ctiData"]["wrapUpReason"], "20");
}

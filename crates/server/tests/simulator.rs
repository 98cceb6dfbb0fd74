//! The CTI simulator driven by HTTP alone, its events read from the SSE stream.

mod common;

use chrono::TimeDelta;
use common::agent::expect_state_change;
use common::sse::{AGENT, Stream};
use common::{TestServer, json, temp_db};
use serde_json::Value;

async fn post(server: &TestServer, path: &str, body: &str) -> (u16, Value) {
    let (status, text) = server.send("POST", path, Some(body)).await;
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            json(&text)
        },
    )
}

async fn start_call(server: &TestServer, duration: u64) -> String {
    let body = format!(
        r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming", "queue": "Billing",
            "wrapup": {{"duration": {duration}, "allowed_codes": ["Billing Issue", "Store Issue"],
                       "default_code": "Billing Issue", "enable_codes": true}}}}"#
    );
    let (status, body) = post(server, "/sim/v1/calls", &body).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_call_through_its_whole_lifecycle_ended_by_a_segment_update() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, None).await;
    stream.expect_login().await;
    let id = start_call(&server, 60).await;
    for action in ["connect", "hold", "resume", "hangup"] {
        let (status, body) = post(&server, &format!("/sim/v1/calls/{id}/{action}"), "").await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    let mut names = Vec::new();
    let mut last_id = 0;
    let mut segment = String::new();
    for _ in 0..5 {
        let (event_id, event) = stream.next().await;
        assert!(event_id > last_id, "ids grow");
        last_id = event_id;
        assert_eq!(event["id"], id.as_str());
        names.push(event["event"].as_str().unwrap().to_owned());
        if event["event"] == "workitemCreate" {
            assert_eq!(event["ctiData"]["queueName"], "Billing");
            assert_eq!(event["classification"], "Customer");
        }
        if event["event"] == "workitemWrapup" {
            assert_eq!(event["state"], "Wrapup");
            segment = event["ctiData"]["user.wrapupSegmentSysId"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_default();
        }
    }
    assert_eq!(
        names,
        [
            "workitemCreate",
            "workitemConnect",
            "workitemPause",
            "workitemResume",
            "workitemWrapup"
        ]
    );
    // The widget finds the segment by the external id (the call id) and submits it.
    let (status, text) = server
        .send("GET", &format!("/api/now/wrapup/segment/{id}"), None)
        .await;
    assert_eq!(status, 200, "{text}");
    let found = json(&text);
    assert_eq!(
        found["segment_id"],
        segment.as_str(),
        "the workitem names its segment"
    );
    let (status, text) = server
        .send(
            "PUT",
            &format!("/api/now/wrapup/segment/update?external_segment_id={id}"),
            Some(r#"{"wrap_up_code": "Store Issue", "notes": "done"}"#),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let (_, end) = stream.next().await;
    assert_eq!(end["event"], "workitemEnd");
    assert_eq!(end["state"], "Ended");
}

#[tokio::test]
async fn an_expired_wrapup_ends_the_call_and_tenios_extend_moves_the_deadline() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    // Close the demo's Tenios wrap-up so the call's is the agent's only one.
    let cancel =
        r#"{"access_key": "***************************", "agent_email": "agent@test.com"}"#;
    let (status, _) = post(&server, "/wrap-up/cancel", cancel).await;
    assert_eq!(status, 200);
    let id = start_call(&server, 30).await;
    post(&server, &format!("/sim/v1/calls/{id}/connect"), "").await;
    post(&server, &format!("/sim/v1/calls/{id}/hangup"), "").await;
    // The deadline is now + 30 s; extend it to now + 60 s.
    let end = (server.clock_now() + TimeDelta::seconds(60)).format("%Y-%m-%dT%H:%M:%S%.3fZ");
    let extend = format!(
        r#"{{"access_key": "***************************", "agent_email": "agent@test.com", "end_time": "{end}"}}"#
    );
    let (status, body) = post(&server, "/wrap-up/extend", &extend).await;
    assert_eq!(status, 200, "{body}");
    // A client rebuilding the deadline as opened_on + duration (the widget
    // after a reload) finds the extended one.
    let (_, segment) = server
        .send("GET", &format!("/api/now/wrapup/segment/{id}"), None)
        .await;
    assert_eq!(
        json(&segment)["segment"]["wrap_up_configuration"]["duration"],
        "60"
    );
    server.clock.advance(TimeDelta::seconds(45));
    let (_, expired) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(
        expired["expired"],
        serde_json::json!([]),
        "extended: not yet"
    );
    server.clock.advance(TimeDelta::seconds(20));
    let (_, expired) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(expired["expired"], serde_json::json!([id.as_str()]));
    let (_, segment) = server
        .send("GET", &format!("/api/now/wrapup/segment/{id}"), None)
        .await;
    let segment = json(&segment);
    assert_eq!(segment["segment"]["state"], "closed");
    assert_eq!(segment["segment"]["code"]["code"], "Billing Issue");
}

#[tokio::test]
async fn an_automatic_call_answers_and_hangs_up_by_itself_on_the_servers_clock() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, None).await;
    stream.expect_login().await;
    let body = format!(
        r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming", "auto": true,
            "wrapup": {{"duration": 30, "allowed_codes": ["Billing Issue"], "default_code": "Billing Issue"}}}}"#
    );
    let (status, created) = post(&server, "/sim/v1/calls", &body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(stream.next().await.1["event"], "workitemCreate");

    // Nothing is due before the answer time.
    server.clock.advance(TimeDelta::milliseconds(1999));
    let (_, tick) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(tick["moved"], serde_json::json!([]));

    server.clock.advance(TimeDelta::milliseconds(1));
    let (_, tick) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(tick["moved"], serde_json::json!([id.as_str()]));
    assert_eq!(stream.next().await.1["event"], "workitemConnect");

    server.clock.advance(TimeDelta::seconds(10));
    post(&server, "/sim/v1/tick", "").await;
    let (_, wrapup) = stream.next().await;
    assert_eq!(wrapup["event"], "workitemWrapup");
    assert_eq!(wrapup["id"], id.as_str());

    // Done by itself: later ticks move it no further (the wrap-up waits for
    // the agent or its deadline).
    server.clock.advance(TimeDelta::seconds(10));
    let (_, tick) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(tick["moved"], serde_json::json!([]));
}

#[tokio::test]
async fn an_automatic_call_driven_by_hand_stops_running_by_itself() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let body = format!(
        r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming", "auto": true}}"#
    );
    let (_, created) = post(&server, "/sim/v1/calls", &body).await;
    let id = created["id"].as_str().unwrap().to_owned();
    post(&server, &format!("/sim/v1/calls/{id}/hangup"), "").await;
    server.clock.advance(TimeDelta::seconds(30));
    let (_, tick) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(tick["moved"], serde_json::json!([]));
}

#[tokio::test]
async fn events_replay_after_last_event_id_even_after_a_restart() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let id = start_call(&server, 60).await;
    post(&server, &format!("/sim/v1/calls/{id}/connect"), "").await;
    let mut stream = Stream::open(&server, None).await;
    let (first, _) = stream.next().await;
    drop(stream);
    post(&server, &format!("/sim/v1/calls/{id}/hold"), "").await;
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, Some(first)).await;
    let (second, connect) = stream.next().await;
    assert_eq!(second, first + 1);
    assert_eq!(connect["event"], "workitemConnect");
    // The login the first stream caused, then what happened while no
    // stream was open, across the restart.
    let (third, login) = stream.next().await;
    assert_eq!(third, first + 2);
    assert_eq!(login["event"], "agentStateChange");
    let (fourth, pause) = stream.next().await;
    assert_eq!(fourth, first + 3);
    assert_eq!(pause["event"], "workitemPause");
}

#[tokio::test]
async fn bs_requests_are_validated_and_streamed() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let id = start_call(&server, 60).await;
    post(&server, &format!("/sim/v1/calls/{id}/connect"), "").await;
    post(&server, &format!("/sim/v1/calls/{id}/hangup"), "").await;
    let mut stream = Stream::open(&server, Some(3)).await;
    stream.expect_login().await;
    let path = format!("/cti/v1/agents/{AGENT}/requests");
    let set = format!(
        r#"{{"request": "setWrapupReason", "channelId": "voice_-1", "workitemId": "{id}", "wrapUpReason": "Store Issue", "requestId": "r1"}}"#
    );
    let (status, body) = post(&server, &path, &set).await;
    assert_eq!(status, 200, "{body}");
    let (_, changed) = stream.next().await;
    assert_eq!(changed["event"], "wrapupDataChanged");
    let (status, body) = post(
        &server,
        &path,
        r#"{"request": "sendDtmf", "dtmf": "", "requestId": "r2"}"#,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (_, error) = stream.next().await;
    assert_eq!(error["event"], "error");
    assert_eq!(error["requestId"], "r2");
    let (status, body) = post(
        &server,
        &path,
        r#"{"request": "getReasonCodeList", "channelId": "voice_-1", "reasonType": "NotReady"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"][1],
        serde_json::json!({"label": "Lunch", "id": "2"})
    );

    // NotReady with a reason: the event carries its label and the old state.
    let (status, body) = post(&server, &path, r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "2"}"#).await;
    assert_eq!(status, 200, "{body}");
    let (_, state) = stream.next().await;
    assert_eq!(state["newState"], "NotReady");
    assert_eq!(state["newReasonCode"], 2);
    assert_eq!(state["newReasonCodeLabel"], "Lunch");
    assert_eq!(state["oldState"], "NotReady");
    assert_eq!(state["oldReasonCode"], -1);
    let (status, body) = post(&server, &path, r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "99", "requestId": "r4"}"#).await;
    assert_eq!(status, 400, "{body}");
    let (_, error) = stream.next().await;
    assert_eq!(error["event"], "error");
    assert_eq!(error["requestId"], "r4");

    // getChannel: the channel reference of the spec, with the live workitem
    // (in CCX an agent in NotReady keeps it through their calls).
    let (status, body) = post(
        &server,
        &path,
        r#"{"request": "getChannel", "channelId": "voice"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let channel = &body["result"]["channel"];
    assert_eq!(channel["id"], "voice_-1");
    assert_eq!(channel["type"], "Voice");
    assert_eq!(channel["state"], "NotReady");
    assert_eq!(channel["reasonCodeLabel"], "Lunch");
    assert_eq!(channel["workitems"][0]["id"], id.as_str());
    assert_eq!(channel["workitems"][0]["state"], "Wrapup");
    assert_eq!(body["result"]["agentId"], AGENT);

    // Ready: the event carries the request's id; the call in wrap-up then
    // makes the agent Wrapup at once.
    let (status, body) = post(&server, &path, r#"{"request": "setAgentState", "channelId": "voice_-1", "state": "Ready", "requestId": "r3"}"#).await;
    assert_eq!(status, 200, "{body}");
    let (_, state) = stream.next().await;
    assert_eq!(state["event"], "agentStateChange");
    assert_eq!(state["requestId"], "r3");
    assert_eq!(state["oldState"], "NotReady");
    assert_eq!(state["newState"], "Ready");
    assert_eq!(state["channelId"], "voice_-1");
    expect_state_change(&mut stream, "Ready", "Wrapup").await;
}

/// Regression: events published concurrently reached live streams out of
/// order, and the stream dropped the one that came late — lost for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_events_reach_a_live_stream_in_order_without_gaps() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, None).await;
    stream.expect_login().await;
    let path = format!("/cti/v1/agents/{AGENT}/requests");
    let requests = (0..100).map(|index| {
        let state = if index % 2 == 0 { "Ready" } else { "NotReady" };
        let body =
            format!(r#"{{"request": "setAgentState", "channelId": "voice", "state": "{state}"}}"#);
        let (server, path) = (&server, &path);
        async move { post(server, path, &body).await }
    });
    for (status, body) in futures_util::future::join_all(requests).await {
        assert_eq!(status, 200, "{body}");
    }
    let mut previous = 1;
    for _ in 0..100 {
        let (id, event) = stream.next().await;
        assert_eq!(id, previous + 1, "no gap, no reordering");
        assert_eq!(event["event"], "agentStateChange");
        previous = id;
    }
}

#[tokio::test]
async fn a_last_event_id_from_another_database_replays_the_stream_from_its_start() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let id = start_call(&server, 60).await;
    let mut stream = Stream::open(&server, Some(99_999)).await;
    let (first, create) = stream.next().await;
    assert_eq!(first, 1);
    assert_eq!(create["event"], "workitemCreate");
    assert_eq!(create["id"], id.as_str());
}

/// A client new to the stream (no `Last-Event-ID`) hears the agent's
/// present: the calls still alive and the latest state, not the calls that
/// are over, which a CRM page without storage would otherwise hear of again
/// on every load. `Last-Event-ID: 0` still replays everything.
#[tokio::test]
async fn a_new_client_hears_the_live_calls_and_the_latest_state_not_the_history() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let over = start_call(&server, 30).await;
    post(&server, &format!("/sim/v1/calls/{over}/connect"), "").await;
    post(&server, &format!("/sim/v1/calls/{over}/hangup"), "").await;
    server.clock.advance(TimeDelta::seconds(31));
    let (_, tick) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(tick["expired"], serde_json::json!([over.as_str()]));
    let live = start_call(&server, 30).await;
    post(&server, &format!("/sim/v1/calls/{live}/connect"), "").await;
    let ready = r#"{"request": "setAgentState", "channelId": "voice", "state": "Ready"}"#;
    let (status, body) = post(&server, &format!("/cti/v1/agents/{AGENT}/requests"), ready).await;
    assert_eq!(status, 200, "{body}");

    let (history, end) = Stream::open(&server, Some(0)).await.replay().await;
    let names = |events: &[(i64, Value)], workitem: &str| -> Vec<String> {
        events
            .iter()
            .filter(|(_, event)| event["id"] == workitem)
            .map(|(_, event)| event["event"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert!(names(&history, &over).contains(&"workitemEnd".to_owned()));
    assert_eq!(end, history.last().map_or(0, |(id, _)| *id));

    let (present, heard) = Stream::open(&server, None).await.replay().await;
    assert_eq!(
        heard, end,
        "the client has heard of everything up to the stream's end"
    );
    assert_eq!(
        names(&present, &over),
        Vec::<String>::new(),
        "the call that is over"
    );
    assert_eq!(
        names(&present, &live),
        ["workitemCreate", "workitemConnect"]
    );
    let states: Vec<&Value> = present
        .iter()
        .map(|(_, event)| event)
        .filter(|event| event["event"] == "agentStateChange")
        .collect();
    assert_eq!(states.len(), 1, "only the latest state: {states:?}");
    assert_eq!(
        states[0]["newState"], "Active",
        "Ready, which the live call made Active"
    );
    let ids: Vec<i64> = present.iter().map(|(id, _)| *id).collect();
    assert!(ids.is_sorted(), "in the order they were stored: {ids:?}");
}

/// Regression: two hang-ups at once both read the call as talking, so the
/// call opened two wrap-up segments and streamed two `workitemWrapup`s.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_hangups_wrap_up_once() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let id = start_call(&server, 60).await;
    post(&server, &format!("/sim/v1/calls/{id}/connect"), "").await;
    let hangup = format!("/sim/v1/calls/{id}/hangup");
    let attempts = (0..8).map(|_| post(&server, &hangup, ""));
    let mut statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
    let mut stream = Stream::open(&server, Some(2)).await;
    let (_, wrapup) = stream.next().await;
    assert_eq!(wrapup["event"], "workitemWrapup");
    stream.expect_login().await;
    // One segment: the next event is the end after its update, not a second wrap-up.
    let (status, _) = server
        .send(
            "PUT",
            &format!("/api/now/wrapup/segment/update?external_segment_id={id}"),
            Some(r#"{"wrap_up_code": "Billing Issue"}"#),
        )
        .await;
    assert_eq!(status, 200);
    let (_, end) = stream.next().await;
    assert_eq!(end["event"], "workitemEnd");
}

/// Regression: the widget asks getChannel while its stream opens; an agent
/// the simulator did not know was reported logged out, then logged in —
/// two state changes for one login.
#[tokio::test]
async fn get_channel_and_the_stream_log_a_new_agent_in_once() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let path = format!("/cti/v1/agents/{AGENT}/requests");
    let (status, body) = post(
        &server,
        &path,
        r#"{"request": "getChannel", "channelId": "voice"}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["channel"]["state"], "NotReady");
    let mut stream = Stream::open(&server, None).await;
    stream.expect_login().await;
    let id = start_call(&server, 60).await;
    let (_, next) = stream.next().await;
    assert_eq!(next["event"], "workitemCreate", "no second login");
    assert_eq!(next["id"], id.as_str());
}

#[tokio::test]
async fn a_wrapup_opens_on_a_whole_second_that_its_segment_call_data_and_expiry_share() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let id = start_call(&server, 30).await;
    post(&server, &format!("/sim/v1/calls/{id}/connect"), "").await;
    // Hung up 700 ms into a second: ServiceNow's `opened_on` cannot say so.
    server.clock.advance(TimeDelta::milliseconds(700));
    let (_, workitem) = post(&server, &format!("/sim/v1/calls/{id}/hangup"), "").await;
    assert_eq!(
        workitem["ctiData"]["user.wrapupOpenedOn"], "2024-09-16T18:51:59.000Z",
        "the call data names the whole second"
    );
    let (_, segment) = server
        .send("GET", &format!("/api/now/wrapup/segment/{id}"), None)
        .await;
    assert_eq!(
        json(&segment)["segment"]["opened_on"],
        "2024-09-16 18:51:59"
    );
    // opened_on + 30 s is the end: 300 ms before it nothing expires, at it
    // the wrap-up does — not 700 ms later.
    server.clock.advance(TimeDelta::milliseconds(29_000));
    let (_, expired) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(expired["expired"], serde_json::json!([]));
    server.clock.advance(TimeDelta::milliseconds(300));
    let (_, expired) = post(&server, "/sim/v1/tick", "").await;
    assert_eq!(expired["expired"], serde_json::json!([id.as_str()]));
}

//! `setAgentState` while the agent's calls own their state (Active, Wrapup,
//! which an agent in Ready enters with a call): Ready or NotReady is kept as
//! the state to return to, applied when the calls are over (as a pending
//! state in Cisco Finesse: the request succeeds and no `agentStateChange` is
//! streamed now; the one that applies it carries the request's
//! `requestId`); Logout is refused with an `error` event, as the simulator
//! refuses other requests. (An agent in NotReady during a call: see
//! `ccx_not_ready_during_calls.rs`.) Read from the agent's stream in order,
//! so "no event" means the next event is the next action's.

mod common;

use common::agent::{
    act, channel, expect_event, expect_logout_refused, expect_state_change, request, set_state,
    start_call, submit_wrapup,
};
use common::sse::Stream;
use common::{TestServer, temp_db};

const AGENT: &str = "agent-state-during-calls";

/// A demo server and the agent's stream, past the login (NotReady) and the
/// agent's switch to Ready.
async fn ready(db: &std::path::Path) -> (TestServer, Stream) {
    let server = TestServer::demo(db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    set_state(&server, AGENT, "Ready", None).await;
    expect_state_change(&mut stream, "NotReady", "Ready").await;
    (server, stream)
}

/// Offers and connects a call with a wrap-up, which takes the agent from
/// Ready to Active.
async fn connected_call(server: &TestServer, stream: &mut Stream) -> String {
    let id = start_call(server, AGENT, true).await;
    act(server, &id, "connect").await;
    expect_event(stream, "workitemCreate", Some(&id)).await;
    expect_event(stream, "workitemConnect", Some(&id)).await;
    expect_state_change(stream, "Ready", "Active").await;
    id
}

/// The reason of a state asked for during a call comes back with it.
#[tokio::test]
async fn not_ready_with_a_reason_asked_for_during_a_call_is_applied_when_it_is_over() {
    let (_dir, db) = temp_db();
    let (server, mut stream) = ready(&db).await;
    let id = connected_call(&server, &mut stream).await;

    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "2", "requestId": "p1"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success"], true);
    let talking = channel(&server, AGENT).await;
    assert_eq!(talking["state"], "Active", "the call owns the state");
    assert_eq!(talking["reasonCode"], -1);

    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    let wrapup = expect_state_change(&mut stream, "Active", "Wrapup").await;
    assert_eq!(wrapup["newReasonCode"], -1, "Wrapup takes no reason");
    assert_eq!(channel(&server, AGENT).await["state"], "Wrapup");
    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    let lunch = expect_state_change(&mut stream, "Wrapup", "NotReady").await;
    assert_eq!(lunch["newReasonCode"], 2);
    assert_eq!(lunch["newReasonCodeLabel"], "Lunch");
    // Regression: this change carried no requestId, so an integrator could
    // not match it to the request that asked for it.
    assert_eq!(
        lunch["requestId"], "p1",
        "the change the request asked for carries its requestId"
    );
    assert!(
        wrapup["requestId"].is_null(),
        "the call moved the agent into Wrapup, not the request"
    );
    let after = channel(&server, AGENT).await;
    assert_eq!(after["state"], "NotReady");
    assert_eq!(after["reasonCode"], 2);
    assert_eq!(after["reasonCodeLabel"], "Lunch");
    assert_eq!(after["stateChangeTime"], lunch["newStateChangeTime"]);
}

#[tokio::test]
async fn the_last_state_asked_for_during_the_calls_wins_with_its_reason() {
    let (_dir, db) = temp_db();
    let (server, mut stream) = ready(&db).await;
    let id = connected_call(&server, &mut stream).await;
    set_state(&server, AGENT, "NotReady", Some("1")).await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;

    // A reason NotReady does not have is refused during a call as at any
    // other time, and the state asked for before it stays.
    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "11", "requestId": "bad"}"#,
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let error = expect_event(&mut stream, "error", None).await;
    assert_eq!(error["requestId"], "bad");
    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "3", "requestId": "meeting"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(channel(&server, AGENT).await["state"], "Wrapup");

    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    let back = expect_state_change(&mut stream, "Wrapup", "NotReady").await;
    assert_eq!(back["newReasonCode"], 3);
    assert_eq!(back["newReasonCodeLabel"], "Meeting");
    assert_eq!(back["requestId"], "meeting", "the last request's id");
    let after = channel(&server, AGENT).await;
    assert_eq!(after["state"], "NotReady");
    assert_eq!(after["reasonCodeLabel"], "Meeting");
}

#[tokio::test]
async fn logout_is_refused_during_a_call_and_its_wrapup() {
    let (_dir, db) = temp_db();
    let (server, mut stream) = ready(&db).await;
    let id = connected_call(&server, &mut stream).await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-talking").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Active");
    act(&server, &id, "hold").await;
    expect_event(&mut stream, "workitemPause", Some(&id)).await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-on-hold").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-wrapping-up").await;

    // The refusals left the state to return to alone, and gave it no requestId.
    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    let back = expect_state_change(&mut stream, "Wrapup", "Ready").await;
    assert!(back["requestId"].is_null(), "{back}");
    set_state(&server, AGENT, "Logout", Some("11")).await;
    let out = expect_state_change(&mut stream, "Ready", "Logout").await;
    assert_eq!(out["newReasonCodeLabel"], "End of Shift");
}

/// The state asked for during a call is kept on disk with its requestId: a
/// restart in between changes nothing of what the integrator hears.
#[tokio::test]
async fn the_state_asked_for_during_a_call_keeps_its_request_id_across_a_restart() {
    let (_dir, db) = temp_db();
    let (server, mut stream) = ready(&db).await;
    let id = connected_call(&server, &mut stream).await;
    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "1", "requestId": "break"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    drop(stream);
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    // A client new to the stream hears the present: the live call's events
    // and the latest state.
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    let on_break = expect_state_change(&mut stream, "Wrapup", "NotReady").await;
    assert_eq!(on_break["newReasonCodeLabel"], "Break");
    assert_eq!(on_break["requestId"], "break");
}

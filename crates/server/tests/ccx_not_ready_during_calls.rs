//! An agent in NotReady during their calls. The simulator is CCX (channel
//! `voice_-1`), of which the API document says, under "Receive a call in
//! Not Ready state": "When a call is received/placed and the agent state is
//! Not Ready, no agentStateChange (Active) event will be dispatched in CCX."
//! So the agent keeps NotReady, and its reason, through the call and its
//! wrap-up; only asking for Ready moves them, and then at once into the
//! state their calls make (Active or Wrapup). Read from the agent's stream
//! in order, so "no event" means the next event is the next action's.

mod common;

use chrono::TimeDelta;
use common::agent::{
    act, channel, expect_event, expect_logout_refused, expect_state_change, request, set_state,
    start_call, submit_wrapup,
};
use common::sse::Stream;
use common::{TestServer, temp_db};
use serde_json::Value;

const AGENT: &str = "agent-ccx-not-ready";

/// A demo server and the agent's stream, past the login (NotReady) and the
/// agent's going to lunch (NotReady, reason 2), whose `agentStateChange` is
/// returned.
async fn at_lunch(db: &std::path::Path) -> (TestServer, Stream, Value) {
    let server = TestServer::demo(db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    set_state(&server, AGENT, "NotReady", Some("2")).await;
    let lunch = expect_state_change(&mut stream, "NotReady", "NotReady").await;
    assert_eq!(lunch["newReasonCodeLabel"], "Lunch");
    (server, stream, lunch)
}

/// [`at_lunch`], then on a call (its id last) whose connection was told.
async fn at_lunch_on_a_call(db: &std::path::Path) -> (TestServer, Stream, Value, String) {
    let (server, mut stream, lunch) = at_lunch(db).await;
    let id = start_call(&server, AGENT, true).await;
    act(&server, &id, "connect").await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    (server, stream, lunch, id)
}

/// `getChannel` must tell the agent still at lunch since `lunch`.
async fn expect_still_at_lunch(server: &TestServer, lunch: &Value, when: &str) {
    let channel = channel(server, AGENT).await;
    assert_eq!(channel["state"], "NotReady", "{when}: {channel}");
    assert_eq!(channel["reasonCode"], 2, "{when}: {channel}");
    assert_eq!(channel["reasonCodeLabel"], "Lunch", "{when}: {channel}");
    assert_eq!(
        channel["stateChangeTime"], lunch["newStateChangeTime"],
        "{when}: {channel}"
    );
}

/// Sends `setAgentState` Ready with `request_id`, which must succeed.
async fn ask_for_ready(server: &TestServer, request_id: &str) {
    let body = format!(
        r#"{{"request": "setAgentState", "channelId": "voice", "state": "Ready", "requestId": "{request_id}"}}"#
    );
    let (status, answer) = request(server, AGENT, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["success"], true, "{answer}");
}

#[tokio::test]
async fn a_call_received_or_placed_in_not_ready_dispatches_no_agent_state_change_in_ccx() {
    let (_dir, db) = temp_db();
    let (server, mut stream, lunch) = at_lunch(&db).await;

    // Received: every step of the call is followed by the next step's
    // event, never by an agentStateChange.
    let id = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    server.clock.advance(TimeDelta::seconds(5));
    for (action, event) in [
        ("connect", "workitemConnect"),
        ("hold", "workitemPause"),
        ("resume", "workitemResume"),
        ("hangup", "workitemWrapup"),
    ] {
        act(&server, &id, action).await;
        expect_event(&mut stream, event, Some(&id)).await;
        expect_still_at_lunch(&server, &lunch, action).await;
        server.clock.advance(TimeDelta::seconds(10));
    }
    submit_wrapup(&server, &id).await;
    let end = expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    assert_eq!(end["state"], "Ended");
    expect_still_at_lunch(&server, &lunch, "the wrap-up's end").await;

    // Placed: the agent dials out, talks and hangs up.
    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "dialOrConsult", "channelId": "voice", "address": "+4930999"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let placed = answer["result"]["workitemId"].as_str().unwrap().to_owned();
    let create = expect_event(&mut stream, "workitemCreate", Some(&placed)).await;
    assert_eq!(create["direction"], "Outgoing", "{create}");
    act(&server, &placed, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&placed)).await;
    expect_still_at_lunch(&server, &lunch, "the placed call connected").await;
    act(&server, &placed, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&placed)).await;
    expect_still_at_lunch(&server, &lunch, "the placed call over").await;

    // The next agentStateChange is the agent's own, from the lunch they
    // never left.
    ask_for_ready(&server, "back").await;
    let ready = expect_state_change(&mut stream, "NotReady", "Ready").await;
    assert_eq!(ready["requestId"], "back");
    assert_eq!(ready["oldReasonCode"], 2);
    assert_eq!(ready["oldReasonCodeLabel"], "Lunch");
    assert_eq!(ready["oldStateChangeTime"], lunch["newStateChangeTime"]);
}

#[tokio::test]
async fn ready_asked_for_in_not_ready_during_a_call_makes_the_agent_ready_then_active() {
    let (_dir, db) = temp_db();
    let (server, mut stream, lunch, id) = at_lunch_on_a_call(&db).await;

    server.clock.advance(TimeDelta::seconds(5));
    ask_for_ready(&server, "mid-call").await;
    let talking = channel(&server, AGENT).await;
    assert_eq!(talking["state"], "Active", "{talking}");
    assert_eq!(talking["reasonCode"], -1);
    let ready = expect_state_change(&mut stream, "NotReady", "Ready").await;
    assert_eq!(ready["requestId"], "mid-call");
    assert_eq!(ready["oldReasonCodeLabel"], "Lunch");
    assert_eq!(ready["oldStateChangeTime"], lunch["newStateChangeTime"]);
    let active = expect_state_change(&mut stream, "Ready", "Active").await;
    assert!(active["requestId"].is_null(), "the call moved the agent");
    assert_eq!(active["oldStateChangeTime"], ready["newStateChangeTime"]);
    assert_eq!(talking["stateChangeTime"], active["newStateChangeTime"]);

    // From there the agent follows the call, and comes back to Ready.
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
}

#[tokio::test]
async fn ready_asked_for_in_not_ready_during_a_wrapup_makes_the_agent_ready_then_wrapup() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = at_lunch(&db).await;
    let id = start_call(&server, AGENT, true).await;
    act(&server, &id, "connect").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;

    ask_for_ready(&server, "in-wrapup").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Wrapup");
    let ready = expect_state_change(&mut stream, "NotReady", "Ready").await;
    assert_eq!(ready["requestId"], "in-wrapup");
    expect_state_change(&mut stream, "Ready", "Wrapup").await;

    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
}

/// The refusal looks at the calls, not at the state: an agent in NotReady
/// with a call cannot log out either.
#[tokio::test]
async fn logout_is_refused_in_not_ready_during_a_call_and_its_wrapup() {
    let (_dir, db) = temp_db();
    let (server, mut stream, lunch) = at_lunch(&db).await;
    let id = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    act(&server, &id, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-talking").await;
    act(&server, &id, "hold").await;
    expect_event(&mut stream, "workitemPause", Some(&id)).await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-on-hold").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_logout_refused(&server, &mut stream, AGENT, "out-wrapping-up").await;
    expect_still_at_lunch(&server, &lunch, "after the refusals").await;

    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    set_state(&server, AGENT, "Logout", Some("11")).await;
    let out = expect_state_change(&mut stream, "NotReady", "Logout").await;
    assert_eq!(out["oldReasonCodeLabel"], "Lunch");
    assert_eq!(out["newReasonCodeLabel"], "End of Shift");
}

/// Changing the reason of NotReady is a change of state like any other
/// (b+s `setAgentState` NotReady with another `reasonCode`, as agents do in
/// CCX and CCE), also during a call, which leaves an agent in NotReady
/// where they are: the new reason at once, with its own time.
#[tokio::test]
async fn an_agent_in_not_ready_changes_the_reason_also_during_a_call() {
    let (_dir, db) = temp_db();
    let (server, mut stream, lunch, _call) = at_lunch_on_a_call(&db).await;

    server.clock.advance(TimeDelta::seconds(5));
    set_state(&server, AGENT, "NotReady", Some("3")).await;
    let meeting = expect_state_change(&mut stream, "NotReady", "NotReady").await;
    assert_eq!(meeting["oldReasonCode"], 2, "{meeting}");
    assert_eq!(meeting["oldReasonCodeLabel"], "Lunch");
    assert_eq!(meeting["oldStateChangeTime"], lunch["newStateChangeTime"]);
    assert_eq!(meeting["newReasonCode"], 3, "{meeting}");
    assert_eq!(meeting["newReasonCodeLabel"], "Meeting");
    assert_ne!(meeting["newStateChangeTime"], lunch["newStateChangeTime"]);
    let channel = channel(&server, AGENT).await;
    assert_eq!(channel["state"], "NotReady", "{channel}");
    assert_eq!(channel["reasonCodeLabel"], "Meeting", "{channel}");
    assert_eq!(channel["stateChangeTime"], meeting["newStateChangeTime"]);
}

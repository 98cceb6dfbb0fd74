//! Regression: the simulator never moved the agent's state with their calls,
//! so an agent in Ready answered, talked, hung up and wrapped up while the
//! widget's header said "Ready" throughout. As a CTI system does, an agent
//! in Ready is now Active while a call is connected or on hold, Wrapup while
//! one is in wrap-up, and back in Ready (or the state asked for meanwhile)
//! when their calls are over — each change one `agentStateChange`, streamed
//! after the workitem event that caused it. (An agent in NotReady keeps it,
//! as in CCX: see `ccx_not_ready_during_calls.rs`.) Read from the agent's
//! stream in order, so "no event" means the next event is the next action's.

mod common;

use chrono::TimeDelta;
use common::agent::{
    act, channel, expect_event, expect_state_change, request, set_state, start_call, submit_wrapup,
};
use common::sse::Stream;
use common::{TestServer, temp_db};
use serde_json::Value;

const AGENT: &str = "agent-follows-calls";

/// A demo server and the agent's stream, past the login (NotReady) and the
/// agent's switch to Ready, whose `agentStateChange` is returned.
async fn ready(db: &std::path::Path) -> (TestServer, Stream, Value) {
    let server = TestServer::demo(db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    set_state(&server, AGENT, "Ready", None).await;
    let ready = expect_state_change(&mut stream, "NotReady", "Ready").await;
    (server, stream, ready)
}

#[tokio::test]
async fn ready_through_a_call_and_its_wrapup_and_back() {
    let (_dir, db) = temp_db();
    let (server, mut stream, ready) = ready(&db).await;

    let id = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    assert_eq!(
        channel(&server, AGENT).await["state"],
        "Ready",
        "a ringing call does not move the agent"
    );
    server.clock.advance(TimeDelta::seconds(5));
    act(&server, &id, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    let active = expect_state_change(&mut stream, "Ready", "Active").await;
    assert_eq!(active["oldReasonCode"], -1);
    assert_eq!(
        active["oldStateChangeTime"], ready["newStateChangeTime"],
        "the old state is the one the agent was in since going Ready"
    );
    assert_eq!(active["newReasonCode"], -1, "Active takes no reason");
    assert!(active["newReasonCodeLabel"].is_null(), "{active}");
    assert_ne!(active["newStateChangeTime"], ready["newStateChangeTime"]);
    assert!(active["requestId"].is_null(), "no request moved the agent");
    assert_eq!(active["channelId"], "voice_-1");
    assert_eq!(active["channelType"], "Voice");
    let talking = channel(&server, AGENT).await;
    assert_eq!(talking["state"], "Active");
    assert_eq!(talking["stateChangeTime"], active["newStateChangeTime"]);

    // On hold the agent is still busy with the call: no change.
    act(&server, &id, "hold").await;
    expect_event(&mut stream, "workitemPause", Some(&id)).await;
    assert_eq!(channel(&server, AGENT).await["state"], "Active");
    act(&server, &id, "resume").await;
    expect_event(&mut stream, "workitemResume", Some(&id)).await;

    server.clock.advance(TimeDelta::seconds(30));
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    let wrapup = expect_state_change(&mut stream, "Active", "Wrapup").await;
    assert_eq!(wrapup["oldStateChangeTime"], active["newStateChangeTime"]);
    assert_eq!(wrapup["newReasonCode"], -1);
    assert_eq!(channel(&server, AGENT).await["state"], "Wrapup");

    server.clock.advance(TimeDelta::seconds(10));
    submit_wrapup(&server, &id).await;
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    let back = expect_state_change(&mut stream, "Wrapup", "Ready").await;
    assert_eq!(back["newReasonCode"], -1);
    assert_eq!(back["oldStateChangeTime"], wrapup["newStateChangeTime"]);
    let after = channel(&server, AGENT).await;
    assert_eq!(after["state"], "Ready");
    assert_eq!(after["stateChangeTime"], back["newStateChangeTime"]);
}

#[tokio::test]
async fn a_call_without_wrapup_returns_straight_to_ready() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let id = start_call(&server, AGENT, false).await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    act(&server, &id, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    act(&server, &id, "hangup").await;
    let end = expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    assert_eq!(end["state"], "Ended");
    let back = expect_state_change(&mut stream, "Active", "Ready").await;
    assert_eq!(back["newReasonCode"], -1);
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
}

#[tokio::test]
async fn a_connected_call_keeps_the_agent_active_while_another_is_wrapped_up() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let first = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&first)).await;
    act(&server, &first, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&first)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    act(&server, &first, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&first)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;

    // A second call rings (no change), is answered during the first's
    // wrap-up (Active), and hangs up while that wrap-up goes on (Wrapup).
    let second = start_call(&server, AGENT, false).await;
    expect_event(&mut stream, "workitemCreate", Some(&second)).await;
    act(&server, &second, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&second)).await;
    expect_state_change(&mut stream, "Wrapup", "Active").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Active");
    act(&server, &second, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&second)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Wrapup");

    submit_wrapup(&server, &first).await;
    expect_event(&mut stream, "workitemEnd", Some(&first)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
}

#[tokio::test]
async fn a_second_call_answered_during_a_call_changes_nothing_until_both_are_over() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let first = start_call(&server, AGENT, true).await;
    let second = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&first)).await;
    expect_event(&mut stream, "workitemCreate", Some(&second)).await;
    act(&server, &first, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&first)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    act(&server, &second, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&second)).await;
    // One call on hold, one in wrap-up: the agent is still busy with one.
    act(&server, &second, "hold").await;
    expect_event(&mut stream, "workitemPause", Some(&second)).await;
    act(&server, &first, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&first)).await;
    act(&server, &second, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&second)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    submit_wrapup(&server, &second).await;
    expect_event(&mut stream, "workitemEnd", Some(&second)).await;
    submit_wrapup(&server, &first).await;
    expect_event(&mut stream, "workitemEnd", Some(&first)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
}

#[tokio::test]
async fn a_ringing_call_that_is_abandoned_changes_nothing() {
    let (_dir, db) = temp_db();
    let (server, mut stream, ready) = ready(&db).await;
    let ringing = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&ringing)).await;
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
    server.clock.advance(TimeDelta::seconds(20));
    act(&server, &ringing, "hangup").await;
    let end = expect_event(&mut stream, "workitemEnd", Some(&ringing)).await;
    assert_eq!(end["state"], "EndedAbandoned");

    // The next change is the agent's own, from the Ready they went to.
    set_state(&server, AGENT, "NotReady", Some("1")).await;
    let on_break = expect_state_change(&mut stream, "Ready", "NotReady").await;
    assert_eq!(on_break["oldStateChangeTime"], ready["newStateChangeTime"]);
}

#[tokio::test]
async fn a_ringing_call_does_not_keep_the_agent_busy_once_the_talking_is_over() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let talking = start_call(&server, AGENT, false).await;
    expect_event(&mut stream, "workitemCreate", Some(&talking)).await;
    act(&server, &talking, "connect").await;
    expect_event(&mut stream, "workitemConnect", Some(&talking)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    let ringing = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&ringing)).await;
    act(&server, &talking, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&talking)).await;
    expect_state_change(&mut stream, "Active", "Ready").await;
    act(&server, &ringing, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&ringing)).await;
    set_state(&server, AGENT, "NotReady", None).await;
    expect_state_change(&mut stream, "Ready", "NotReady").await;
}

/// A transfer ends the agent's call without a wrap-up (`directTransfer`).
#[tokio::test]
async fn a_call_transferred_away_returns_the_agent_to_ready() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let id = start_call(&server, AGENT, true).await;
    act(&server, &id, "connect").await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    let (status, answer) = request(
        &server,
        AGENT,
        r#"{"request": "directTransfer", "channelId": "voice", "address": "+4930555"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
    let end = expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    assert_eq!(end["state"], "EndedTransferred");
    expect_state_change(&mut stream, "Active", "Ready").await;
}

#[tokio::test]
async fn a_wrapup_cancelled_through_tenios_returns_the_agent_to_the_state_before_the_call() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let call = format!(
        r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming",
            "agent_email": "follows@test.com", "wrapup": {{"duration": 60}}}}"#
    );
    let (status, text) = server.send("POST", "/sim/v1/calls", Some(&call)).await;
    assert_eq!(status, 201, "{text}");
    let id = common::json(&text)["id"].as_str().unwrap().to_owned();
    act(&server, &id, "connect").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    let cancel = format!(
        r#"{{"access_key": "{}", "agent_email": "follows@test.com"}}"#,
        wrapup_server::DEMO_TENIOS_ACCESS_KEY
    );
    let (status, _, text) = server.post_anonymous("/wrap-up/cancel", &cancel).await;
    assert_eq!(status, 200, "{text}");
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
}

#[tokio::test]
async fn an_expired_wrapup_returns_the_agent_to_the_state_before_the_call() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    let id = start_call(&server, AGENT, true).await;
    act(&server, &id, "connect").await;
    act(&server, &id, "hangup").await;
    expect_event(&mut stream, "workitemCreate", Some(&id)).await;
    expect_event(&mut stream, "workitemConnect", Some(&id)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;
    expect_event(&mut stream, "workitemWrapup", Some(&id)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    server.clock.advance(TimeDelta::seconds(61));
    let (status, text) = server.send("POST", "/sim/v1/tick", None).await;
    assert_eq!(status, 200, "{text}");
    expect_event(&mut stream, "workitemEnd", Some(&id)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
}

/// Calls answered and hung up at the same moment move the agent once, each
/// change right after the workitem event that caused it: the state follows
/// the calls under the lock the call actions take.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_call_actions_move_the_agent_once() {
    let (_dir, db) = temp_db();
    let (server, mut stream, _) = ready(&db).await;
    for _ in 0..5 {
        let calls = [
            start_call(&server, AGENT, false).await,
            start_call(&server, AGENT, false).await,
        ];
        for call in &calls {
            expect_event(&mut stream, "workitemCreate", Some(call)).await;
        }
        for (action, workitem_event, states) in [
            ("connect", "workitemConnect", ("Ready", "Active")),
            ("hangup", "workitemEnd", ("Active", "Ready")),
        ] {
            let actions = calls.iter().map(|call| act(&server, call, action));
            futures_util::future::join_all(actions).await;
            let mut names = Vec::new();
            for _ in 0..3 {
                let (_, event) = stream.next().await;
                if event["event"] == "agentStateChange" {
                    assert_eq!(event["oldState"], states.0, "{event}");
                    assert_eq!(event["newState"], states.1, "{event}");
                }
                names.push(event["event"].as_str().unwrap_or_default().to_owned());
            }
            // Connected: the first call moves the agent. Hung up: the last.
            let expected = if action == "connect" {
                [workitem_event, "agentStateChange", workitem_event]
            } else {
                [workitem_event, workitem_event, "agentStateChange"]
            };
            assert_eq!(names, expected, "{action}");
        }
    }
}

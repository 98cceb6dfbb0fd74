//! `dialOrConsult`: "This request initiates a new call. A consultation call
//! is created when the agent already has a call." As a Finesse consult
//! does, the call in progress goes on hold (`workitemPause`) before the
//! consultation is created (`workitemCreate`, classification
//! `Consultation`); both events carry the request's `requestId`, as the
//! `agentStateChange` of `setAgentState` does. Read from the agent's stream
//! in order, so "no event" means the next event is the next action's.

mod common;

use common::agent::{
    act, channel, expect_event, expect_state_change, request, set_state, start_call, submit_wrapup,
};
use common::sse::Stream;
use common::{TestServer, temp_db};

const AGENT: &str = "agent-dial-or-consult";

/// Sends `dialOrConsult` to `address` with `request_id`, which must
/// succeed; the new workitem's id.
async fn dial(server: &TestServer, address: &str, request_id: &str) -> String {
    let body = format!(
        r#"{{"request": "dialOrConsult", "channelId": "voice", "address": "{address}", "requestId": "{request_id}"}}"#
    );
    let (status, answer) = request(server, AGENT, &body).await;
    assert_eq!(status, 200, "{body}: {answer}");
    answer["result"]["workitemId"].as_str().unwrap().to_owned()
}

/// Regression: with a call Active, `dialOrConsult` created a workitem
/// classified `Customer` and left the first call Active.
#[tokio::test]
async fn a_call_placed_during_a_call_is_a_consultation_and_holds_the_call() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    set_state(&server, AGENT, "Ready", None).await;
    expect_state_change(&mut stream, "NotReady", "Ready").await;
    let first = start_call(&server, AGENT, true).await;
    act(&server, &first, "connect").await;
    expect_event(&mut stream, "workitemCreate", Some(&first)).await;
    expect_event(&mut stream, "workitemConnect", Some(&first)).await;
    expect_state_change(&mut stream, "Ready", "Active").await;

    let consult = dial(&server, "+4913", "c1").await;
    let held = expect_event(&mut stream, "workitemPause", Some(&first)).await;
    assert_eq!(held["state"], "Paused", "{held}");
    assert_eq!(held["requestId"], "c1", "{held}");
    let created = expect_event(&mut stream, "workitemCreate", Some(&consult)).await;
    assert_eq!(created["classification"], "Consultation", "{created}");
    assert_eq!(created["direction"], "Outgoing", "{created}");
    assert_eq!(created["ani"], "+4913", "{created}");
    assert_eq!(created["requestId"], "c1", "{created}");
    let talking = channel(&server, AGENT).await;
    assert_eq!(
        talking["state"], "Active",
        "a call on hold keeps the agent Active"
    );
    let states: Vec<(&str, &str)> = talking["workitems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|workitem| {
            (
                workitem["state"].as_str().unwrap(),
                workitem["classification"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("Paused", "Customer"), ("Offered", "Consultation")],
        "{talking}"
    );

    // The consultation runs its course; its events, and the first call's
    // resumption, are the calls' own, not the request's.
    act(&server, &consult, "connect").await;
    let connected = expect_event(&mut stream, "workitemConnect", Some(&consult)).await;
    assert!(connected["requestId"].is_null(), "{connected}");
    assert_eq!(connected["classification"], "Consultation", "{connected}");
    act(&server, &consult, "hangup").await;
    let ended = expect_event(&mut stream, "workitemEnd", Some(&consult)).await;
    assert_eq!(ended["state"], "Ended", "{ended}");
    act(&server, &first, "resume").await;
    let resumed = expect_event(&mut stream, "workitemResume", Some(&first)).await;
    assert_eq!(resumed["state"], "Active", "{resumed}");
    assert!(resumed["requestId"].is_null(), "{resumed}");

    // The agent was Active all along: the next state change is the wrap-up's.
    act(&server, &first, "hangup").await;
    expect_event(&mut stream, "workitemWrapup", Some(&first)).await;
    expect_state_change(&mut stream, "Active", "Wrapup").await;
    submit_wrapup(&server, &first).await;
    expect_event(&mut stream, "workitemEnd", Some(&first)).await;
    expect_state_change(&mut stream, "Wrapup", "Ready").await;
}

/// A call on hold is a call the agent has: a call placed then is a
/// consultation too, and nothing is put on hold again.
#[tokio::test]
async fn a_call_placed_while_the_call_is_on_hold_is_a_consultation() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    let first = start_call(&server, AGENT, false).await;
    act(&server, &first, "connect").await;
    act(&server, &first, "hold").await;
    expect_event(&mut stream, "workitemCreate", Some(&first)).await;
    expect_event(&mut stream, "workitemConnect", Some(&first)).await;
    expect_event(&mut stream, "workitemPause", Some(&first)).await;

    let consult = dial(&server, "+4913", "c2").await;
    let created = expect_event(&mut stream, "workitemCreate", Some(&consult)).await;
    assert_eq!(created["classification"], "Consultation", "{created}");
    assert_eq!(created["requestId"], "c2", "{created}");
}

/// Without a call, or with one only ringing or in wrap-up, the agent places
/// a customer call, and nothing is put on hold.
#[tokio::test]
async fn a_call_placed_without_a_call_in_progress_is_a_customer_call() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;

    let placed = dial(&server, "+4913", "p1").await;
    let created = expect_event(&mut stream, "workitemCreate", Some(&placed)).await;
    assert_eq!(created["classification"], "Customer", "{created}");
    assert_eq!(created["requestId"], "p1", "{created}");
    act(&server, &placed, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&placed)).await;

    let ringing = start_call(&server, AGENT, true).await;
    expect_event(&mut stream, "workitemCreate", Some(&ringing)).await;
    let placed = dial(&server, "+4914", "p2").await;
    let created = expect_event(&mut stream, "workitemCreate", Some(&placed)).await;
    assert_eq!(created["classification"], "Customer", "{created}");
    act(&server, &placed, "hangup").await;
    expect_event(&mut stream, "workitemEnd", Some(&placed)).await;

    act(&server, &ringing, "connect").await;
    act(&server, &ringing, "hangup").await;
    expect_event(&mut stream, "workitemConnect", Some(&ringing)).await;
    expect_event(&mut stream, "workitemWrapup", Some(&ringing)).await;
    let placed = dial(&server, "+4915", "p3").await;
    let created = expect_event(&mut stream, "workitemCreate", Some(&placed)).await;
    assert_eq!(created["classification"], "Customer", "{created}");
}

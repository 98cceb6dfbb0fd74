//! The simulated agent and their calls driven over HTTP: b+s requests, call
//! actions, the wrap-up submitted as the widget submits it, and the agent's
//! state as `getChannel` and the event stream tell it.

use serde_json::Value;

use super::sse::Stream;
use super::{TestServer, json};

/// Sends the b+s request `body` as `agent`: the status and the answer.
pub async fn request(server: &TestServer, agent: &str, body: &str) -> (u16, Value) {
    let (status, text) = server
        .send(
            "POST",
            &format!("/cti/v1/agents/{agent}/requests"),
            Some(body),
        )
        .await;
    (status, json(&text))
}

/// `setAgentState` to `state` (with `reason`), which must succeed.
pub async fn set_state(server: &TestServer, agent: &str, state: &str, reason: Option<&str>) {
    let reason = reason.map_or(String::new(), |code| format!(r#", "reasonCode": "{code}""#));
    let body = format!(
        r#"{{"request": "setAgentState", "channelId": "voice", "state": "{state}"{reason}}}"#
    );
    let (status, answer) = request(server, agent, &body).await;
    assert_eq!(status, 200, "{body}: {answer}");
    assert_eq!(answer["success"], true, "{body}: {answer}");
}

/// The agent's voice channel, as `getChannel` answers it.
pub async fn channel(server: &TestServer, agent: &str) -> Value {
    let (status, answer) = request(
        server,
        agent,
        r#"{"request": "getChannel", "channelId": "voice"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    answer["result"]["channel"].clone()
}

/// Offers a call to `agent`; with `wrapup`, hanging up opens a 60 s wrap-up.
pub async fn start_call(server: &TestServer, agent: &str, wrapup: bool) -> String {
    let wrapup = if wrapup {
        r#", "wrapup": {"duration": 60, "allowed_codes": ["Billing Issue"], "default_code": "Billing Issue"}"#
    } else {
        ""
    };
    let body = format!(
        r#"{{"agent_id": "{agent}", "ani": "+4930123456", "direction": "Incoming"{wrapup}}}"#
    );
    let (status, text) = server.send("POST", "/sim/v1/calls", Some(&body)).await;
    assert_eq!(status, 201, "{text}");
    json(&text)["id"].as_str().unwrap().to_owned()
}

/// Applies `action` (connect, hold, resume, hangup) to call `id`.
pub async fn act(server: &TestServer, id: &str, action: &str) {
    let (status, text) = server
        .send("POST", &format!("/sim/v1/calls/{id}/{action}"), None)
        .await;
    assert_eq!(status, 200, "{action} {id}: {text}");
}

/// Submits the wrap-up of call `id` as the widget does, by updating its
/// segment (found by the call id), which ends the call.
pub async fn submit_wrapup(server: &TestServer, id: &str) {
    let (status, text) = server
        .send(
            "PUT",
            &format!("/api/now/wrapup/segment/update?external_segment_id={id}"),
            Some(r#"{"wrap_up_code": "Billing Issue", "notes": "done"}"#),
        )
        .await;
    assert_eq!(status, 200, "{text}");
}

/// The next event, which must be `name` (about workitem `id`, when given).
pub async fn expect_event(stream: &mut Stream, name: &str, id: Option<&str>) -> Value {
    let (_, event) = stream.next().await;
    assert_eq!(event["event"], name, "{event}");
    if let Some(id) = id {
        assert_eq!(event["id"], id, "{event}");
    }
    event
}

/// The next event, which must be the agent's state moving from `old` to `new`.
pub async fn expect_state_change(stream: &mut Stream, old: &str, new: &str) -> Value {
    let change = expect_event(stream, "agentStateChange", None).await;
    assert_eq!(change["oldState"], old, "{change}");
    assert_eq!(change["newState"], new, "{change}");
    change
}

/// Sends `Logout` as `agent`, which must be refused with a 400 and an `error` event
/// for `request_id` whose message names the request.
pub async fn expect_logout_refused(
    server: &TestServer,
    stream: &mut Stream,
    agent: &str,
    request_id: &str,
) {
    let body = format!(
        r#"{{"request": "setAgentState", "channelId": "voice", "state": "Logout", "reasonCode": "11", "requestId": "{request_id}"}}"#
    );
    let (status, answer) = request(server, agent, &body).await;
    assert_eq!(status, 400, "{answer}");
    let error = expect_event(stream, "error", None).await;
    assert_eq!(error["requestId"], request_id);
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("setAgentState: "), "{message}");
    assert!(message.contains("log out"), "{message}");
    assert_eq!(
        answer["error"], message,
        "the answer says what the event says"
    );
}

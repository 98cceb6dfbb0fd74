//! The b+s Connects requests the simulator answers, each with the event the
//! spec promises on success ("an agentStateChange / onWorkitemEnd /
//! onWorkitemCreate event will be raised") and the `error` event carrying its
//! `requestId` on failure ("If the request fails, an error event will be
//! dispatched"), read from the agent's stream in order.

mod common;

use common::sse::Stream;
use common::{TestServer, json, temp_db};
use serde_json::Value;

const AGENT: &str = "agent-bs-requests";

async fn request(server: &TestServer, body: &str) -> (u16, Value) {
    let (status, text) = server
        .send(
            "POST",
            &format!("/cti/v1/agents/{AGENT}/requests"),
            Some(body),
        )
        .await;
    (status, json(&text))
}

async fn act(server: &TestServer, id: &str, action: &str) {
    let (status, text) = server
        .send("POST", &format!("/sim/v1/calls/{id}/{action}"), None)
        .await;
    assert_eq!(status, 200, "{action}: {text}");
}

async fn start_call(server: &TestServer) -> String {
    let call = format!(
        r#"{{"agent_id": "{AGENT}", "ani": "+4930123456", "direction": "Incoming",
            "wrapup": {{"duration": 60, "allowed_codes": ["Billing Issue"], "default_code": "Billing Issue"}}}}"#
    );
    let (status, text) = server.send("POST", "/sim/v1/calls", Some(&call)).await;
    assert_eq!(status, 201, "{text}");
    json(&text)["id"].as_str().unwrap().to_owned()
}

/// Sends `body`, which must fail: a 400 and an `error` event naming `request_id`.
/// Sends `body`, which must be refused with a 400 and an `error` event for
/// `request_id`; returns the event's message.
async fn expect_refused(
    server: &TestServer,
    stream: &mut Stream,
    body: &str,
    request_id: &str,
) -> String {
    let (status, answer) = request(server, body).await;
    assert_eq!(status, 400, "{body}: {answer}");
    let (_, event) = stream.next().await;
    assert_eq!(event["event"], "error", "{body}");
    assert_eq!(event["requestId"], request_id, "{body}");
    let message = event["message"].as_str().unwrap_or_default().to_owned();
    assert!(!message.is_empty(), "{event}");
    message
}

#[tokio::test]
async fn requests_about_a_call_fail_with_an_error_event_when_there_is_none() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    for (body, request_id) in [
        (
            r#"{"request": "directTransfer", "channelId": "voice", "address": "+4930999", "requestId": "t1"}"#,
            "t1",
        ),
        (
            r#"{"request": "directTransfer", "channelId": "voice", "address": "+4930999", "workitemId": "nope", "requestId": "t2"}"#,
            "t2",
        ),
        (
            r#"{"request": "singleStepConference", "channelId": "voice", "address": "+4930999", "requestId": "c1"}"#,
            "c1",
        ),
        (
            r#"{"request": "sendDtmf", "dtmf": "12#", "requestId": "d1"}"#,
            "d1",
        ),
        (
            r#"{"request": "updateWorkitemData", "channelId": "voice", "workitemId": "nope", "updatedData": {"callVariable1": "1"}, "requestId": "u1"}"#,
            "u1",
        ),
        (
            r#"{"request": "setWrapupReason", "channelId": "voice", "workitemId": "nope", "wrapUpReason": "Sale", "requestId": "w1"}"#,
            "w1",
        ),
        (r#"{"request": "noSuchRequest", "requestId": "n1"}"#, ""),
    ] {
        let message = expect_refused(&server, &mut stream, body, request_id).await;
        // Each refusal names its request, as the widget's own refusals do.
        let name = json(body)["request"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if name != "noSuchRequest" {
            assert!(message.starts_with(&format!("{name}: ")), "{message}");
        }
    }
    let (status, answer) = request(&server, r#"{"request": "isSendDtmfEnabled"}"#).await;
    assert_eq!(status, 200);
    assert_eq!(answer["result"], false, "no call to send DTMF on");
    let (_, answer) = request(
        &server,
        r#"{"request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "nope"}"#,
    )
    .await;
    assert_eq!(answer["result"], false, "no such workitem");
}

#[tokio::test]
async fn requests_on_live_calls_raise_their_events_in_order() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    let id = start_call(&server).await;
    assert_eq!(stream.next().await.1["event"], "workitemCreate");

    // Alerting is not a call in progress yet.
    let (_, answer) = request(&server, r#"{"request": "isSendDtmfEnabled"}"#).await;
    assert_eq!(answer["result"], false);
    act(&server, &id, "connect").await;
    assert_eq!(stream.next().await.1["event"], "workitemConnect");
    let (_, answer) = request(&server, r#"{"request": "isSendDtmfEnabled"}"#).await;
    assert_eq!(answer["result"], true);
    let (status, _) = request(&server, r#"{"request": "sendDtmf", "dtmf": "12#"}"#).await;
    assert_eq!(status, 200);
    let (_, answer) = request(
        &server,
        &format!(r#"{{"request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "{id}"}}"#),
    )
    .await;
    assert_eq!(answer["result"], true);

    // The spec's updateWorkitemData example, then setWrapupReason.
    let (status, answer) = request(
        &server,
        &format!(
            r#"{{"request": "updateWorkitemData", "channelId": "voice", "workitemId": "{id}",
                "updatedData": {{"callVariable1": "12345", "user.eccVar1": "999999", "wrapUpReason": "Documentation"}},
                "requestId": "u1"}}"#
        ),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, changed) = stream.next().await;
    assert_eq!(changed["event"], "callVariableChanged");
    assert_eq!(changed["id"], id.as_str());
    assert_eq!(changed["ctiData"]["callVariable1"], "12345");
    assert_eq!(changed["ctiData"]["user.eccVar1"], "999999");
    assert_eq!(changed["ctiData"]["wrapUpReason"], "Documentation");
    let (status, _) = request(
        &server,
        &format!(r#"{{"request": "setWrapupReason", "channelId": "voice_-1", "workitemId": "{id}", "wrapUpReason": "Sale"}}"#),
    )
    .await;
    assert_eq!(status, 200);
    let (_, changed) = stream.next().await;
    assert_eq!(changed["event"], "wrapupDataChanged");
    assert_eq!(changed["ctiData"]["wrapUpReason"], "Sale");

    // One Active call: a conference without a workitemId means it.
    let (status, _) = request(
        &server,
        r#"{"request": "singleStepConference", "channelId": "voice", "address": "+4930777"}"#,
    )
    .await;
    assert_eq!(status, 200);

    // dialOrConsult during the call starts a consultation: the call goes on
    // hold, then the consultation is created, outgoing (dial_or_consult.rs).
    let (status, answer) = request(
        &server,
        r#"{"request": "dialOrConsult", "channelId": "voice", "address": "+4930999", "requestId": "d1"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let consult = answer["result"]["workitemId"].as_str().unwrap().to_owned();
    let (_, held) = stream.next().await;
    assert_eq!(held["event"], "workitemPause");
    assert_eq!(held["id"], id.as_str());
    let (_, created) = stream.next().await;
    assert_eq!(created["event"], "workitemCreate");
    assert_eq!(created["id"], consult.as_str());
    assert_eq!(created["direction"], "Outgoing");
    assert_eq!(created["ani"], "+4930999");

    // The consultation is alerting and the first call on hold: no workitem
    // is Active, so a transfer must name its call. A call on hold may be
    // transferred by name, and ends, transferred.
    expect_refused(
        &server,
        &mut stream,
        r#"{"request": "directTransfer", "channelId": "voice", "address": "+4930555", "requestId": "t0"}"#,
        "t0",
    )
    .await;
    let (status, _) = request(
        &server,
        &format!(r#"{{"request": "directTransfer", "channelId": "voice", "address": "+4930555", "workitemId": "{id}", "requestId": "t1"}}"#),
    )
    .await;
    assert_eq!(status, 200);
    let (_, ended) = stream.next().await;
    assert_eq!(ended["event"], "workitemEnd");
    assert_eq!(ended["id"], id.as_str());
    assert_eq!(ended["state"], "EndedTransferred");

    // Ended: no more changes, no second end.
    let (_, answer) = request(
        &server,
        &format!(r#"{{"request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "{id}"}}"#),
    )
    .await;
    assert_eq!(answer["result"], false);
    for (body, request_id) in [
        (
            format!(r#"{{"request": "directTransfer", "channelId": "voice", "address": "1", "workitemId": "{id}", "requestId": "t2"}}"#),
            "t2",
        ),
        (
            format!(r#"{{"request": "setWrapupReason", "channelId": "voice", "workitemId": "{id}", "wrapUpReason": "Late", "requestId": "w2"}}"#),
            "w2",
        ),
        (
            r#"{"request": "directTransfer", "channelId": "voice", "address": "1", "requestId": "t3"}"#.to_owned(),
            "t3",
        ),
    ] {
        expect_refused(&server, &mut stream, &body, request_id).await;
    }

    // Connected, the consultation is the one Active workitem: a transfer
    // without workitemId ends it.
    act(&server, &consult, "connect").await;
    assert_eq!(stream.next().await.1["event"], "workitemConnect");
    let (status, _) = request(
        &server,
        r#"{"request": "directTransfer", "channelId": "voice", "address": "1"}"#,
    )
    .await;
    assert_eq!(status, 200);
    let (_, ended) = stream.next().await;
    assert_eq!(ended["event"], "workitemEnd");
    assert_eq!(ended["id"], consult.as_str());
}

#[tokio::test]
async fn a_transfer_without_workitem_id_needs_exactly_one_active_call() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    for _ in 0..2 {
        let id = start_call(&server).await;
        act(&server, &id, "connect").await;
        assert_eq!(stream.next().await.1["event"], "workitemCreate");
        assert_eq!(stream.next().await.1["event"], "workitemConnect");
    }
    for body in [
        r#"{"request": "directTransfer", "channelId": "voice", "address": "1", "requestId": "two"}"#,
        r#"{"request": "singleStepConference", "channelId": "voice", "address": "1", "requestId": "two"}"#,
    ] {
        expect_refused(&server, &mut stream, body, "two").await;
    }
}

/// The `(label, id)` pairs `getReasonCodeList` answers for `reason_type`.
async fn reasons(server: &TestServer, reason_type: &str) -> Vec<(String, String)> {
    let (status, answer) = request(
        server,
        &format!(r#"{{"request": "getReasonCodeList", "channelId": "voice", "reasonType": "{reason_type}"}}"#),
    )
    .await;
    assert_eq!(status, 200, "{reason_type}: {answer}");
    answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
            (text("label"), text("id"))
        })
        .collect()
}

/// Regression: `getReasonCodeList` answered the NotReady reasons whatever
/// `reasonType` asked for, so a CRM's wrap-up dropdown offered Break and Lunch.
#[tokio::test]
async fn reason_code_lists_answer_the_kind_asked_for() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(label, id)| ((*label).to_owned(), (*id).to_owned()))
            .collect()
    };
    assert_eq!(
        reasons(&server, "NotReady").await,
        pairs(&[("Break", "1"), ("Lunch", "2"), ("Meeting", "3")])
    );
    assert_eq!(
        reasons(&server, "Logout").await,
        pairs(&[
            ("End of Shift", "11"),
            ("Training", "12"),
            ("Technical Issue", "13")
        ])
    );
    assert_eq!(
        reasons(&server, "Wrapup").await,
        pairs(&[
            ("Billing Issue", "49c27b679f201210c89656effa0a1cd7"),
            ("Store Issue", "54327b679f201210c89656effa0a1cd7")
        ]),
        "the demo's wrap-up codes"
    );

    // Each state takes the codes of its own list.
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    let (status, answer) = request(
        &server,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "Logout", "reasonCode": "11"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, change) = stream.next().await;
    assert_eq!(change["newState"], "Logout");
    assert_eq!(change["newReasonCodeLabel"], "End of Shift");
    expect_refused(
        &server,
        &mut stream,
        r#"{"request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "11", "requestId": "n1"}"#,
        "n1",
    )
    .await;
}

/// A demo server whose agent has a call connected, with the agent's stream
/// read past the call's create and connect; the call's id.
async fn with_a_connected_call() -> (tempfile::TempDir, TestServer, Stream, String) {
    let (dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    stream.expect_login().await;
    let id = start_call(&server).await;
    assert_eq!(stream.next().await.1["event"], "workitemCreate");
    act(&server, &id, "connect").await;
    assert_eq!(stream.next().await.1["event"], "workitemConnect");
    (dir, server, stream, id)
}

/// Regression: `getChannel('voice_5')` answered with the agent's `voice_-1`
/// channel and `setAgentState('voice_5', 'Ready')` changed it, though the
/// spec has `voice_<peripheral_id>` name one channel ("Make sure the channel
/// is uniquely identified by this id"). Every request naming a peripheral
/// that is not the agent's is refused, and changes nothing; the generic ids
/// (`voice`, `telephony`) and the agent's own `voice_-1` are taken.
#[tokio::test]
async fn a_request_naming_another_voice_channel_is_refused() {
    let (_dir, server, mut stream, id) = with_a_connected_call().await;

    for (body, request_id) in [
        (
            r#"{"request": "getChannel", "channelId": "voice_5"}"#.to_owned(),
            "",
        ),
        (
            r#"{"request": "setAgentState", "channelId": "voice_5", "state": "Ready", "requestId": "s1"}"#.to_owned(),
            "s1",
        ),
        (
            r#"{"request": "getReasonCodeList", "channelId": "voice_5", "reasonType": "NotReady"}"#.to_owned(),
            "",
        ),
        (
            r#"{"request": "dialOrConsult", "channelId": "voice_5", "address": "+4930999", "requestId": "d1"}"#.to_owned(),
            "d1",
        ),
        (
            r#"{"request": "directTransfer", "channelId": "voice_5", "address": "1", "requestId": "t1"}"#.to_owned(),
            "t1",
        ),
        (
            r#"{"request": "singleStepConference", "channelId": "voice_5", "address": "1", "requestId": "c1"}"#.to_owned(),
            "c1",
        ),
        (
            format!(r#"{{"request": "setWrapupReason", "channelId": "voice_7", "workitemId": "{id}", "wrapUpReason": "Sale", "requestId": "w1"}}"#),
            "w1",
        ),
        (
            format!(r#"{{"request": "updateWorkitemData", "channelId": "voice_7", "workitemId": "{id}", "updatedData": {{"callVariable1": "1"}}, "requestId": "u1"}}"#),
            "u1",
        ),
        (
            format!(r#"{{"request": "isUpdateWorkitemDataEnabled", "channelId": "voice_7", "workitemId": "{id}"}}"#),
            "",
        ),
    ] {
        let message = expect_refused(&server, &mut stream, &body, request_id).await;
        let name = json(&body)["request"].as_str().unwrap().to_owned();
        let asked = json(&body)["channelId"].as_str().unwrap().to_owned();
        assert_eq!(
            message,
            format!(
                "{name}: channelId: the agent is on channel `voice_-1`, not `{asked}`; \
                 use `voice_-1` or `voice`"
            )
        );
    }

    // Nothing changed: the agent is still logged in NotReady, the call is
    // still the one Active workitem, its data as it was.
    for channel_id in ["voice", "voice_-1", "telephony"] {
        let (status, answer) = request(
            &server,
            &format!(r#"{{"request": "getChannel", "channelId": "{channel_id}"}}"#),
        )
        .await;
        assert_eq!(status, 200, "{channel_id}: {answer}");
        let channel = &answer["result"]["channel"];
        assert_eq!(channel["id"], "voice_-1", "{channel_id}: {channel}");
        assert_eq!(channel["state"], "NotReady", "{channel_id}: {channel}");
        let workitems = channel["workitems"].as_array().unwrap();
        assert_eq!(workitems.len(), 1, "{channel_id}: {channel}");
        assert_eq!(workitems[0]["state"], "Active", "{channel_id}: {channel}");
        assert!(
            workitems[0]["ctiData"].get("callVariable1").is_none(),
            "{channel}"
        );
        assert!(
            workitems[0]["ctiData"].get("wrapUpReason").is_none(),
            "{channel}"
        );
    }
    // The agent's own channel, named either way, is taken.
    let (status, answer) = request(
        &server,
        r#"{"request": "setAgentState", "channelId": "voice_-1", "state": "Ready", "requestId": "s2"}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, ready) = stream.next().await;
    assert_eq!(ready["event"], "agentStateChange", "{ready}");
    assert_eq!(ready["requestId"], "s2", "{ready}");
    assert_eq!(ready["newState"], "Ready", "{ready}");
}

/// Regression: the simulated system is CCX (`voice_-1`), yet it sent
/// `sendDtmf('ABCD')`, and its refusal of a wrong character offered A-D.
/// The spec: "Possible characters are: CCE: 0-9, *, #, A-D. CCX: 0-9, *, #".
#[tokio::test]
async fn dtmf_on_the_ccx_channel_has_no_a_to_d() {
    let (_dir, server, mut stream, _id) = with_a_connected_call().await;

    for (dtmf, character, position) in [("ABCD", 'A', 1), ("12#D", 'D', 4), ("1x", 'x', 2)] {
        let body = format!(r#"{{"request": "sendDtmf", "dtmf": "{dtmf}", "requestId": "{dtmf}"}}"#);
        let message = expect_refused(&server, &mut stream, &body, dtmf).await;
        assert_eq!(
            message,
            format!(
                "sendDtmf: `dtmf` has `{character}` at position {position}, which is not a \
                 DTMF character on CCX; use 0-9, * or #"
            )
        );
    }
    // Every CCX character; digits sent as a number are text, as ids are.
    for body in [
        r#"{"request": "sendDtmf", "dtmf": "0123456789*#"}"#,
        r#"{"request": "sendDtmf", "dtmf": 1234}"#,
    ] {
        let (status, answer) = request(&server, body).await;
        assert_eq!(status, 200, "{body}: {answer}");
    }
}

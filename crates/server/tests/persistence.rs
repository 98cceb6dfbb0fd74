//! Restart persistence: what every API wrote is there after the server
//! stops and starts again on the same SQLite file (with `--demo` loaded
//! again, which keeps what exists). The SIGKILL case is `durability.rs`.

mod common;

use common::agent::{act, channel, set_state};
use common::{TestServer, json, temp_db};
use serde_json::json as body;
use wrapup_server::DEMO_TENIOS_ACCESS_KEY as KEY;

/// POSTs the Tenios `body`; the status and the answer's JSON.
async fn tenios(
    server: &TestServer,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let (status, _, text) = server.post_anonymous(path, &body.to_string()).await;
    (status, json(&text))
}

#[tokio::test]
async fn segments_interactions_and_tenios_wrapups_survive_a_restart() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    // A segment opened and closed, one left open.
    let create = |interaction: &str, external: &str| {
        body!({
            "agent_sys_id": "agent-restart", "interaction_sys_id": interaction,
            "external": true, "external_segment_id": external,
            "configuration": { "enable_codes": true, "allowed_codes": [{ "code": "Store Issue" }],
                               "default_code": "Store Issue" },
        })
        .to_string()
    };
    for (interaction, external) in [("restart-1", "RESTART_1"), ("restart-2", "RESTART_2")] {
        let (status, text) = server
            .send(
                "POST",
                "/api/now/wrapup/segment/create",
                Some(&create(interaction, external)),
            )
            .await;
        assert_eq!(status, 200, "{text}");
    }
    let (status, closed) = server
        .send(
            "PUT",
            "/api/now/wrapup/segment/update?external_segment_id=RESTART_1",
            Some(r#"{"notes": "before the restart", "confirmed_on": "2024-09-16 18:52:01"}"#),
        )
        .await;
    assert_eq!(status, 200, "{closed}");
    // An interaction record, patched.
    let (_, created) = server
        .send(
            "POST",
            "/api/now/openframe/voice-interaction",
            Some(r#"{"interaction": {"userPhoneNumber": "+1303506536"}}"#),
        )
        .await;
    let interaction = json(&created)["result"]["sysId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(json(&created)["result"]["number"], "IMS0000052");
    // The demo Tenios wrap-up, extended to 09:00.
    let (status, _) = tenios(
        &server,
        "/wrap-up/extend",
        body!({ "access_key": KEY, "agent_email": "agent@test.com", "end_time": "2020-01-01T09:00:00.000Z" }),
    )
    .await;
    assert_eq!(status, 200);
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let (status, text) = server
        .send("GET", "/api/now/wrapup/segment/RESTART_1", None)
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(json(&text), {
        let mut answer = json(&closed);
        answer["message"] = body!("Wrap up segment retrieved successfully.");
        answer["segment_id"] = answer["sys_id"].take();
        answer.as_object_mut().unwrap().remove("sys_id");
        answer
    });
    let (_, text) = server
        .send("GET", "/api/now/wrapup/segment/RESTART_2", None)
        .await;
    assert_eq!(json(&text)["segment"]["state"], "open");
    // The numbers go on where they were; the record is still there to patch.
    let (_, created) = server
        .send(
            "POST",
            "/api/now/openframe/voice-interaction",
            Some(r#"{"interaction": {"userPhoneNumber": "+1303506536"}}"#),
        )
        .await;
    assert_eq!(json(&created)["result"]["number"], "IMS0000053");
    let (status, _) = server
        .send(
            "PATCH",
            &format!("/api/now/openframe/voice-interaction/{interaction}"),
            Some(r#"{"interaction": {"inboundId": "after"}}"#),
        )
        .await;
    assert_eq!(status, 200);
    // The demo's reserved sys_id was used before the restart and is not
    // handed out again.
    let (_, text) = server
        .send(
            "POST",
            "/api/now/wrapup/segment/create",
            Some(&create("restart-3", "RESTART_3")),
        )
        .await;
    assert_ne!(json(&text)["sys_id"], "98769876543254321fed1fedcba0cba0");
    // The Tenios wrap-up still ends at 09:00: extending to 09:00 again is
    // less than 5 s; cancelling ends it, and that too is kept.
    let (status, answer) = tenios(
        &server,
        "/wrap-up/extend",
        body!({ "access_key": KEY, "agent_email": "agent@test.com", "end_time": "2020-01-01T09:00:00.000Z" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error_code"], "WRAP_UP_INVALID_EXTEND_TIME_AMOUNT");
    let (status, _) = tenios(
        &server,
        "/wrap-up/cancel",
        body!({ "access_key": KEY, "agent_email": "agent@test.com" }),
    )
    .await;
    assert_eq!(status, 200);
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let (status, answer) = tenios(
        &server,
        "/wrap-up/cancel",
        body!({ "access_key": KEY, "agent_email": "agent@test.com" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error_code"], "AGENT_NOT_IN_WRAP_UP");
}

/// The agent of the restart test.
const AGENT: &str = "agent-restart";

#[tokio::test]
async fn calls_agent_states_and_genesys_ends_survive_a_restart() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    set_state(&server, AGENT, "Ready", None).await;
    let (_, created) = server
        .send(
            "POST",
            "/sim/v1/calls",
            Some(
                r#"{"agent_id": "agent-restart", "ani": "+4930123456", "direction": "Incoming",
                     "wrapup": {"duration": 30, "allowed_codes": ["10"], "default_code": "10"}}"#,
            ),
        )
        .await;
    let id = json(&created)["id"].as_str().unwrap().to_owned();
    for action in ["connect", "hangup"] {
        act(&server, &id, action).await;
    }
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let voice = channel(&server, AGENT).await;
    assert_eq!(voice["state"], "Wrapup", "the agent wraps the call up");
    assert_eq!(voice["workitems"][0]["id"], id.as_str());
    assert_eq!(voice["workitems"][0]["state"], "Wrapup");
    // The call goes on after the restart: its Genesys service ends it.
    let (_, text) = server
        .send("GET", &format!("/sim/v1/calls/{id}"), None)
        .await;
    let service = json(&text)["genesys_service_id"].as_i64().unwrap();
    let (status, _) = server
        .send(
            "POST",
            &format!("/services/{service}/end"),
            Some(r#"{"disposition": 10}"#),
        )
        .await;
    assert_eq!(status, 204);
    server.stop().await;

    let server = TestServer::demo(&db).await;
    let (_, text) = server
        .send("GET", &format!("/sim/v1/calls/{id}"), None)
        .await;
    let view = json(&text);
    assert_eq!(view["state"], "Ended");
    assert_eq!(view["genesys_service_ends"][0]["disposition"], 10);
    assert_eq!(view["segments"][0]["state"], "closed");
    // The state the agent was in before the call outlived both restarts.
    assert_eq!(channel(&server, AGENT).await["state"], "Ready");
}

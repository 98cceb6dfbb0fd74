//! The simulator and the backends beyond the ServiceNow segment: every call is
//! a Genesys service named in its call data, a Genesys service end finishes
//! the call's wrap-up, the interaction record follows a PATCH, and a call can
//! register its agent's e-mail for Tenios. Read back over `GET /sim/v1/calls/{id}`.

mod common;

use common::{TestServer, json, temp_db};
use serde_json::{Value, json as body};

async fn post(server: &TestServer, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) = server.send("POST", path, Some(&body.to_string())).await;
    let answer = if text.is_empty() {
        Value::Null
    } else {
        json(&text)
    };
    (status, answer)
}

async fn call(server: &TestServer, id: &str) -> Value {
    let (status, text) = server
        .send("GET", &format!("/sim/v1/calls/{id}"), None)
        .await;
    assert_eq!(status, 200, "{text}");
    json(&text)
}

/// Starts a call for `agent` and takes it into wrap-up; returns its id and
/// the wrap-up event's workitem.
async fn call_in_wrapup(server: &TestServer, agent: &str, email: Option<&str>) -> (String, Value) {
    let (status, created) = post(
        server,
        "/sim/v1/calls",
        &body!({
            "agent_id": agent, "ani": "+4930123456", "direction": "Incoming",
            "agent_email": email,
            "wrapup": { "duration": 90, "allowed_codes": ["10", "20"], "default_code": "10",
                        "enable_codes": true },
        }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    for action in ["connect", "hangup"] {
        let (status, _) = post(
            server,
            &format!("/sim/v1/calls/{id}/{action}"),
            &Value::Null,
        )
        .await;
        assert_eq!(status, 200);
    }
    let workitem = call(server, &id).await["workitem"].clone();
    (id, workitem)
}

#[tokio::test]
async fn a_call_names_its_genesys_service_and_announces_its_wrapup() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (id, workitem) = call_in_wrapup(&server, "agent-g1", None).await;
    let cti = &workitem["ctiData"];
    let service: i64 = cti["user.genesysServiceId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        service > 0 && service < 1 << 53,
        "JavaScript reads it exactly"
    );
    assert_eq!(cti["user.wrapupCodes"], "10,20");
    assert_eq!(cti["user.wrapupDefaultCode"], "10");
    assert_eq!(cti["user.wrapupDuration"], "90");
    assert_eq!(
        cti["user.wrapupOpenedOn"], "2024-09-16T18:51:59.000Z",
        "the server's clock, with milliseconds"
    );
    let view = call(&server, &id).await;
    assert_eq!(view["state"], "Wrapup");
    let segments = view["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 1);
    assert_eq!(segments[0]["sys_id"], cti["user.wrapupSegmentSysId"]);
    assert_eq!(segments[0]["state"], "open");
    assert_eq!(view["genesys_service_id"], service);
    assert_eq!(view["genesys_service_ends"], body!([]));
}

#[tokio::test]
async fn a_genesys_service_end_finishes_the_wrapup_once() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (id, workitem) = call_in_wrapup(&server, "agent-g2", Some("g2@test.com")).await;
    let service = workitem["ctiData"]["user.genesysServiceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let end = body!({
        "interaction_id": id, "disposition": 20, "disposition_desc": "Rückruf morgen",
        "timestamp": "2024-09-16T18:52:10.123Z",
    });
    // Sent twice, as a retry after a lost answer would: one record.
    for _ in 0..2 {
        let (status, answer) = post(
            &server,
            &format!("/genesys/1/cs/services/{service}/end"),
            &end,
        )
        .await;
        assert_eq!(status, 204, "{answer}");
    }
    let view = call(&server, &id).await;
    assert_eq!(view["genesys_service_ends"], body!([end]));
    assert_eq!(view["state"], "Ended");
    assert_eq!(view["workitem"]["ctiData"]["wrapUpReason"], "20");
    // The wrap-up is over for Tenios too.
    let (status, answer) = post(
        &server,
        "/wrap-up/cancel",
        &body!({ "access_key": wrapup_server::DEMO_TENIOS_ACCESS_KEY, "agent_email": "g2@test.com" }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["error_code"], "AGENT_NOT_IN_WRAP_UP");
}

#[tokio::test]
async fn a_genesys_extension_number_is_stored_as_sent() {
    // Found by the genesys fuzz target: a number of more than 19 digits in a
    // service extension was read one step off the nearest float, so what the
    // server stored and shows differed from what any exact JSON reader reads.
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (id, workitem) = call_in_wrapup(&server, "agent-g3", None).await;
    let service = workitem["ctiData"]["user.genesysServiceId"]
        .as_str()
        .unwrap()
        .to_owned();
    let rating = "1922337203686803685472";
    let (status, text) = server
        .send(
            "POST",
            &format!("/genesys/1/cs/services/{service}/end"),
            Some(&format!(r#"{{"survey": [{{"rating": {rating}}}]}}"#)),
        )
        .await;
    assert_eq!(status, 204, "{text}");
    let view = call(&server, &id).await;
    let stored = view["genesys_service_ends"][0]["survey"][0]["rating"].as_f64();
    assert_eq!(stored, Some(rating.parse::<f64>().unwrap()));
}

#[tokio::test]
async fn a_genesys_error_is_the_json_error_body() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (status, answer) = post(
        &server,
        "/genesys/1/cs/services/1/end",
        &body!({ "disposition_desc": "x".repeat(65) }),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(answer["code"], 400);
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("disposition_desc"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_call_registers_its_agents_email_for_tenios() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (id, _) = call_in_wrapup(&server, "agent-t1", Some("t1@e2e.test")).await;
    let (status, answer) = post(
        &server,
        "/wrap-up/extend",
        &body!({
            "access_key": wrapup_server::DEMO_TENIOS_ACCESS_KEY, "agent_email": "t1@e2e.test",
            "end_time": "2024-09-16T18:54:00.000Z",
        }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = post(
        &server,
        "/wrap-up/cancel",
        &body!({ "access_key": wrapup_server::DEMO_TENIOS_ACCESS_KEY, "agent_email": "t1@e2e.test" }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(call(&server, &id).await["state"], "Ended");

    // Another agent cannot take the e-mail.
    let (status, answer) = post(
        &server,
        "/sim/v1/calls",
        &body!({ "agent_id": "agent-t2", "ani": "+4930123456", "direction": "Incoming",
                 "agent_email": "T1@e2e.test" }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        answer["error"].as_str().unwrap().contains("agent-t1"),
        "{answer}"
    );
}

#[tokio::test]
async fn the_interaction_record_of_a_call_shows_its_patched_context() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (id, _) = call_in_wrapup(&server, "agent-o1", None).await;
    let (status, created) = post(
        &server,
        "/api/now/openframe/voice-interaction",
        &body!({ "interaction": { "userPhoneNumber": "+4930123456", "clientSessionId": id },
                 "interactionContext": { "callVariable1": "before" } }),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let sys_id = created["result"]["sysId"].as_str().unwrap();
    let (status, text) = server
        .send(
            "PATCH",
            &format!("/api/now/openframe/voice-interaction/{sys_id}"),
            Some(
                &body!({ "interaction": { "clientSessionId": id },
                         "interactionContext": { "callVariable1": "after", "user.eccVar1": "9" } })
                .to_string(),
            ),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let view = call(&server, &id).await;
    let interactions = view["interactions"].as_array().unwrap();
    assert_eq!(interactions.len(), 1);
    assert_eq!(interactions[0]["sys_id"], sys_id);
    assert_eq!(
        interactions[0]["context"],
        body!({ "callVariable1": "after", "user.eccVar1": "9" })
    );
}

#[tokio::test]
async fn an_unknown_call_is_404() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (status, text) = server.send("GET", "/sim/v1/calls/sim-nope", None).await;
    assert_eq!(status, 404, "{text}");
}

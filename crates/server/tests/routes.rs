//! Every endpoint at its default URL and at any versioned one
//! (`/api/now/{api_version}/…`, `/api/now/openframe/{api_version}/…`), and
//! `/openapi.json` naming exactly the routes the server answers.

mod common;

use std::collections::BTreeSet;

use common::{TestServer, json, temp_db};
use serde_json::json as body;

/// The URL prefixes of one API: default, and versions a client may name.
const WRAPUP_PREFIXES: [&str; 3] = [
    "/api/now/wrapup",
    "/api/now/v1/wrapup",
    "/api/now/v2/wrapup",
];
const OPENFRAME_PREFIXES: [&str; 3] = [
    "/api/now/openframe/voice-interaction",
    "/api/now/openframe/v1/voice-interaction",
    "/api/now/openframe/v2/voice-interaction",
];

#[tokio::test]
async fn every_wrapup_and_openframe_endpoint_answers_at_the_default_and_versioned_urls() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    // Reads answer the same whatever the version.
    for suffix in [
        "/code/49c27b679f201210c89656effa0a1cd7",
        "/segment/dgajbcef12345678defdbxef123435678",
        "/segment/PL_402548",
        "/segment/agent/123412345678567890ab90abcdefcdef/interaction/213412345678567890ab90abcdefcdef",
    ] {
        let mut answers = Vec::new();
        for prefix in WRAPUP_PREFIXES {
            let (status, text) = server.send("GET", &format!("{prefix}{suffix}"), None).await;
            assert_eq!(status, 200, "{prefix}{suffix}: {text}");
            answers.push(json(&text));
        }
        assert!(
            answers.windows(2).all(|pair| pair[0] == pair[1]),
            "{suffix}"
        );
    }
    // Writes work at each, and what one wrote the others read.
    for (index, prefix) in WRAPUP_PREFIXES.iter().enumerate() {
        let codes = body!({ "codes": [{ "code": format!("Versioned {index}") }] });
        let (status, text) = server
            .send("POST", &format!("{prefix}/code"), Some(&codes.to_string()))
            .await;
        assert_eq!(status, 200, "{prefix}/code: {text}");
        let code = json(&text)["result"]["result_map"]["created_wrap_up_codes"][0]["sys_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let other = WRAPUP_PREFIXES[(index + 1) % WRAPUP_PREFIXES.len()];
        let (status, _) = server
            .send("GET", &format!("{other}/code/{code}"), None)
            .await;
        assert_eq!(status, 200, "{other}/code/{code}");

        let create = body!({
            "agent_sys_id": "versioned-agent", "interaction_sys_id": format!("versioned-{index}"),
            "external": true, "external_segment_id": format!("VERSIONED_{index}"),
            "configuration": { "enable_codes": false },
        });
        let (status, text) = server
            .send(
                "POST",
                &format!("{prefix}/segment/create"),
                Some(&create.to_string()),
            )
            .await;
        assert_eq!(status, 200, "{prefix}/segment/create: {text}");
        let (status, text) = server
            .send(
                "PUT",
                &format!("{other}/segment/update?external_segment_id=VERSIONED_{index}"),
                Some(r#"{"notes": "versioned"}"#),
            )
            .await;
        assert_eq!(status, 200, "{other}/segment/update: {text}");
        assert_eq!(json(&text)["segment"]["state"], "closed");
    }
    // openframe: each POST is the next interaction number, whatever its URL.
    for (index, prefix) in OPENFRAME_PREFIXES.iter().enumerate() {
        let create = body!({ "interaction": { "userPhoneNumber": "+1303506536" } });
        let (status, text) = server.send("POST", prefix, Some(&create.to_string())).await;
        assert_eq!(status, 200, "{prefix}: {text}");
        let result = &json(&text)["result"];
        assert_eq!(
            result["number"],
            format!("IMS{:07}", 52 + index),
            "{prefix}"
        );
        let sys_id = result["sysId"].as_str().unwrap();
        let other = OPENFRAME_PREFIXES[(index + 1) % OPENFRAME_PREFIXES.len()];
        let (status, text) = server
            .send(
                "PATCH",
                &format!("{other}/{sys_id}"),
                Some(r#"{"interaction": {"inboundId": "versioned"}}"#),
            )
            .await;
        assert_eq!(status, 200, "{other}/{sys_id}: {text}");
        assert_eq!(json(&text), body!({ "result": { "status": "SUCCESS" } }));
    }
}

/// Every route the server answers, as `/openapi.json` must name it.
fn served_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for version in ["", "/{api_version}"] {
        for path in [
            "/code",
            "/code/{code_id}",
            "/segment/{segment_id}",
            "/segment/agent/{agent_id}/interaction/{interaction_id}",
            "/segment/create",
            "/segment/update",
        ] {
            routes.insert(format!("/api/now{version}/wrapup{path}"));
        }
        routes.insert(format!("/api/now/openframe{version}/voice-interaction"));
        routes.insert(format!(
            "/api/now/openframe{version}/voice-interaction/{{sys_id}}"
        ));
    }
    for path in [
        "/wrap-up/extend",
        "/wrap-up/cancel",
        "/services/{service_id}/end",
        "/genesys/1/cs/services/{service_id}/end",
        "/sim/v1/calls",
        "/sim/v1/calls/{id}",
        "/sim/v1/calls/{id}/{action}",
        "/sim/v1/tick",
        "/sim/v1/faults",
        "/cti/v1/agents/{agent_id}/events",
        "/cti/v1/agents/{agent_id}/requests",
        "/healthz",
        "/openapi.json",
        "/config.json",
    ] {
        routes.insert(path.to_owned());
    }
    routes
}

#[tokio::test]
async fn openapi_documents_every_route_and_no_other() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let response = reqwest::get(server.url("/openapi.json")).await.unwrap();
    assert_eq!(response.status(), 200, "public, no credentials");
    let document = json(&response.text().await.unwrap());
    assert_eq!(document["openapi"], "3.0.3");
    let paths = document["paths"].as_object().expect("paths");
    let documented: BTreeSet<String> = paths.keys().cloned().collect();
    assert_eq!(documented, served_routes());
    // Each operation says what it answers, and names its path parameters.
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            assert!(operation["summary"].is_string(), "{method} {path}");
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            let parameters: BTreeSet<&str> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|parameter| parameter["in"] == "path")
                .filter_map(|parameter| parameter["name"].as_str())
                .collect();
            let in_path: BTreeSet<&str> = path
                .split('/')
                .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(parameters, in_path, "{method} {path}");
        }
    }
}

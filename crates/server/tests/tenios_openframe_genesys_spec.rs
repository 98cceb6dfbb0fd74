//! The Tenios, openframe and Genesys examples against a `--demo` server.
//!
//! Tenios: the spec shows AGENT_NOT_IN_WRAP_UP for the very body that also
//! succeeds, so that example runs after the cancel example has ended the
//! wrap-up; every other example runs in the documented order. Error bodies are
//! compared as exact strings (the documented JSON, compacted).

mod common;

use common::{TestServer, assert_documented, fixture, json, temp_db};

fn compact(text: &str) -> String {
    serde_json::to_string(&json(text)).unwrap()
}

#[tokio::test]
async fn tenios_examples_byte_for_byte() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let steps = [
        (
            "/wrap-up/extend",
            "extend_request.json",
            200,
            "extend_response.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_missing_agent_email.json",
            400,
            "extend_error_field_is_required.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_empty_agent_email.json",
            400,
            "extend_error_field_is_required.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_agent_not_found.json",
            400,
            "extend_error_agent_not_found.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_date_parse_error.json",
            400,
            "extend_error_date_parse_error.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_invalid_extend_time_amount.json",
            400,
            "extend_error_invalid_extend_time_amount.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_exceeded_limit.json",
            400,
            "extend_error_exceeded_limit.json",
        ),
        (
            "/wrap-up/cancel",
            "cancel_request.json",
            200,
            "cancel_response.json",
        ),
        (
            "/wrap-up/extend",
            "extend_request_agent_not_in_wrap_up.json",
            400,
            "extend_error_agent_not_in_wrap_up.json",
        ),
        (
            "/wrap-up/cancel",
            "cancel_request_missing_agent_email.json",
            400,
            "cancel_error_field_is_required.json",
        ),
        (
            "/wrap-up/cancel",
            "cancel_request_empty_agent_email.json",
            400,
            "cancel_error_field_is_required.json",
        ),
        (
            "/wrap-up/cancel",
            "cancel_request_agent_not_found.json",
            400,
            "cancel_error_agent_not_found.json",
        ),
        (
            "/wrap-up/cancel",
            "cancel_request_agent_not_in_wrap_up.json",
            400,
            "cancel_error_agent_not_in_wrap_up.json",
        ),
    ];
    for (path, request, status, response) in steps {
        let (actual_status, _, body) = server
            .post_anonymous(path, &fixture(&format!("tenios/{request}")))
            .await;
        assert_eq!(actual_status, status, "{request}: {body}");
        assert_eq!(
            body,
            compact(&fixture(&format!("tenios/{response}"))),
            "{request}"
        );
    }
}

#[tokio::test]
async fn tenios_refuses_a_wrong_access_key() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let body = r#"{"access_key": "wrong", "agent_email": "agent@test.com"}"#;
    let (status, _, text) = server.post_anonymous("/wrap-up/cancel", body).await;
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("access_key"), "{text}");
}

#[tokio::test]
async fn openframe_examples_in_order() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    // The PATCH example comes first in the spec, and misspells the password.
    let response = server
        .client()
        .patch(server.url("/api/now/openframe/voice-interaction/12961fff7fb2d2102d0cd3cf8c86652b"))
        .basic_auth("username", Some("pasword"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .body(fixture("openframe/voice_interaction_patch_request.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        json(&response.text().await.unwrap()),
        json(&fixture("openframe/voice_interaction_patch_response.json"))
    );
    let (status, text) = server
        .send(
            "POST",
            "/api/now/openframe/voice-interaction",
            Some(&fixture("openframe/voice_interaction_post_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let body = json(&text);
    assert_documented(
        &body,
        &json(&fixture("openframe/voice_interaction_post_response.json")),
        &["sysId"],
        "",
    );
    assert_eq!(body["result"]["sysId"].as_str().unwrap().len(), 32);
    // Versioned URL, unknown id, bad input.
    let (status, _) = server
        .send(
            "PATCH",
            "/api/now/openframe/v1/voice-interaction/unknown",
            Some(r#"{"interaction": {"inboundId": "x"}}"#),
        )
        .await;
    assert_eq!(status, 404);
    let (status, text) = server
        .send(
            "POST",
            "/api/now/openframe/v1/voice-interaction",
            Some(r#"{"interaction": {}}"#),
        )
        .await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("userPhoneNumber"), "{text}");
}

#[tokio::test]
async fn genesys_complete_service() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    for path in [
        "/services/36981723/end",
        "/genesys/1/cs/services/36981723/end",
    ] {
        let (status, text) = server
            .send(
                "POST",
                path,
                Some(&fixture("genesys/complete_service_request.json")),
            )
            .await;
        assert_eq!(status, 204, "{path}: {text}");
    }
    let too_long = format!(r#"{{"disposition_desc": "{}"}}"#, "x".repeat(65));
    let (status, text) = server
        .send("POST", "/services/1/end", Some(&too_long))
        .await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("disposition_desc"), "{text}");
    let (status, _) = server.send("POST", "/services/abc/end", Some("{}")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn every_api_family_needs_credentials() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let routes = [
        (
            "GET",
            "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7",
        ),
        (
            "GET",
            "/api/now/v1/wrapup/segment/dgajbcef12345678defdbxef123435678",
        ),
        ("POST", "/api/now/openframe/voice-interaction"),
        ("POST", "/services/1/end"),
        ("POST", "/genesys/1/cs/services/1/end"),
        ("POST", "/sim/v1/calls"),
        ("GET", "/cti/v1/agents/a/events"),
        ("POST", "/cti/v1/agents/a/requests"),
    ];
    for (method, path) in routes {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let none = server
            .client()
            .request(method.clone(), server.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(none.status(), 401, "{path} without credentials");
        let wrong = server
            .client()
            .request(method.clone(), server.url(path))
            .basic_auth("username", Some("wrong"))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{path} with a wrong password");
        let body = json(&wrong.text().await.unwrap());
        assert_eq!(body["status"], "failure");
    }
    // The widget's bearer token opens the APIs; health and OpenAPI stay public.
    let response = server
        .client()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .bearer_auth("demo-widget-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The token may ride in the URL only on the event stream.
    let response = server
        .client()
        .get(server.url(
            "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7?access_token=demo-widget-token",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let openapi = server
        .client()
        .get(server.url("/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(openapi.status(), 200);
    let document = json(&openapi.text().await.unwrap());
    assert_eq!(document["openapi"], "3.0.3");
    assert!(document["paths"]["/wrap-up/extend"].is_object());
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let big = format!(
        r#"{{"codes": [{{"code": "{}"}}]}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, body) = server
        .send("POST", "/api/now/wrapup/code", Some(&big))
        .await;
    assert_eq!(status, 413);
    let body = json(&body);
    assert_eq!(body["status"], "failure");
    assert_eq!(body["error"]["message"], "Request body too large");
}

/// Every path of `/openapi.json` is served: called with its documented
/// method, none answers 405 or the router's "no route" 404. (The event
/// stream never ends, so it is checked by the simulator tests instead.)
#[tokio::test]
async fn every_documented_route_exists() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let document = json(
        &server
            .client()
            .get(server.url("/openapi.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 20, "{} paths documented", paths.len());
    for (path, operations) in paths.iter().filter(|(path, _)| !path.ends_with("/events")) {
        // Path parameters become placeholders the handlers answer for.
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "v1" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in operations.as_object().expect("operations").keys() {
            let (status, body) = server
                .send(&method.to_uppercase(), &concrete, Some("{}"))
                .await;
            assert_ne!(status, 405, "{method} {path}: {body}");
            assert!(
                !(status == 404 && body.contains("no route has this path")),
                "{method} {path} is documented but not routed"
            );
        }
    }
}

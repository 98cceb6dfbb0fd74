//! Who may call: HTTP Basic on every API route (the ServiceNow error shape
//! with 401 when credentials are missing or wrong), the roles of each realm,
//! and the widget's bearer token, in the URL on the event stream only.

mod common;

use common::{TestServer, USER, json, servicenow_error_detail, temp_db};
use wrapup_server::auth::User;

/// Routes that are not behind Basic auth: Tenios checks its `access_key`
/// (see `tenios_rules.rs`), the rest are public.
const NOT_BASIC: [&str; 5] = [
    "/wrap-up/extend",
    "/wrap-up/cancel",
    "/healthz",
    "/openapi.json",
    "/config.json",
];

/// Every documented operation behind Basic auth, path parameters filled in.
async fn guarded_operations(server: &TestServer) -> Vec<(reqwest::Method, String)> {
    let document = json(
        &reqwest::get(server.url("/openapi.json"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    let mut operations = Vec::new();
    for (path, methods) in document["paths"].as_object().unwrap() {
        if NOT_BASIC.contains(&path.as_str()) {
            continue;
        }
        let concrete: String = path
            .split('/')
            .map(|part| if part.starts_with('{') { "v1" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in methods.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            operations.push((method, concrete.clone()));
        }
    }
    operations
}

#[tokio::test]
async fn every_api_route_answers_401_without_or_with_wrong_credentials() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let operations = guarded_operations(&server).await;
    assert!(operations.len() >= 27, "{} operations", operations.len());
    for (method, path) in operations {
        let attempts = [
            ("no credentials", None),
            ("a wrong password", Some((USER.0, "wrong"))),
            ("an unknown user", Some(("nobody", USER.1))),
            ("an empty password", Some((USER.0, ""))),
        ];
        for (case, credentials) in attempts {
            let mut request = server
                .client()
                .request(method.clone(), server.url(&path))
                .header("Content-Type", "application/json")
                .body("{}");
            if let Some((user, password)) = credentials {
                request = request.basic_auth(user, Some(password));
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 401, "{method} {path} with {case}");
            assert_eq!(
                response.headers()["www-authenticate"],
                "Basic realm=\"wrapup-server\"",
                "{method} {path}"
            );
            servicenow_error_detail(&response.text().await.unwrap());
        }
        // Neither is a broken Authorization header, nor a wrong token.
        for header in [
            "Basic !!!",
            "Basic dXNlcm5hbWU=",
            "Bearer wrong",
            "Digest x",
        ] {
            let response = server
                .client()
                .request(method.clone(), server.url(&path))
                .header("Authorization", header)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 401, "{method} {path} with {header}");
            // A browser would prompt for a password on a Basic challenge;
            // a wrong token is answered in its own scheme.
            let challenge = if header.starts_with("Bearer") {
                "Bearer realm=\"wrapup-server\", error=\"invalid_token\""
            } else {
                "Basic realm=\"wrapup-server\""
            };
            assert_eq!(
                response.headers()["www-authenticate"],
                challenge,
                "{header}"
            );
        }
    }
}

#[tokio::test]
async fn each_realm_needs_its_role() {
    let (_dir, db) = temp_db();
    let user = |name: &str, roles: &[&str]| User {
        name: name.to_owned(),
        password: "secret".to_owned(),
        roles: roles.iter().map(|role| (*role).to_owned()).collect(),
    };
    let server = TestServer::start_with(&db, |config| {
        config.demo = true;
        config.auth.users = vec![
            user("wrapup", &["interaction_integration_user"]),
            user("frame", &["sn_openframe_user"]),
            user("genesys", &["context_services_user"]),
            user("cti", &["cti_user"]),
        ];
    })
    .await;
    let routes = [
        (
            "GET",
            "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7",
            "",
            "wrapup",
        ),
        (
            "POST",
            "/api/now/openframe/voice-interaction",
            r#"{"interaction": {"userPhoneNumber": "+1303506536"}}"#,
            "frame",
        ),
        ("POST", "/services/36981723/end", "{}", "genesys"),
        (
            "POST",
            "/cti/v1/agents/a/requests",
            r#"{"request": "getChannel", "channelId": "voice"}"#,
            "cti",
        ),
    ];
    for (method, path, body, owner) in routes {
        for name in ["wrapup", "frame", "genesys", "cti"] {
            let response = server
                .client()
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    server.url(path),
                )
                .basic_auth(name, Some("secret"))
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            if name == owner {
                assert!(status < 300, "{name} on {path}: {status}");
            } else {
                assert_eq!(status, 403, "{name} on {path}");
                servicenow_error_detail(&response.text().await.unwrap());
            }
        }
    }
}

#[tokio::test]
async fn the_widget_token_rides_in_the_url_on_the_event_stream_only() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let stream = server
        .client()
        .get(server.url("/cti/v1/agents/a/events?access_token=demo-widget-token"))
        .send()
        .await
        .unwrap();
    let mut stream = common::sse::Stream::from_response(stream);
    stream.expect_login().await;
    for path in [
        "/cti/v1/agents/a/events?access_token=wrong",
        "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7?access_token=demo-widget-token",
        "/sim/v1/calls/x?access_token=demo-widget-token",
    ] {
        let response = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
    }
    // In a header it opens every realm.
    for path in [
        "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7",
        "/api/now/v1/wrapup/segment/PL_402548",
    ] {
        let response = server
            .client()
            .get(server.url(path))
            .bearer_auth("demo-widget-token")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn without_users_nobody_may_call() {
    let (_dir, db) = temp_db();
    let server = TestServer::start_with(&db, |config| {
        config.demo = true;
        config.auth.users = Vec::new();
        config.auth.widget_token = None;
    })
    .await;
    let (status, text) = server
        .send(
            "GET",
            "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7",
            None,
        )
        .await;
    assert_eq!(status, 401, "{text}");
    let response = server
        .client()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .bearer_auth("demo-widget-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

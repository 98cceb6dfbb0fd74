//! The ServiceNow Wrap Up API examples, run in the documented order against a
//! `--demo` server (only the host changed), and its documented errors.

mod common;

use common::{TestServer, assert_documented, fixture, json, temp_db};

#[tokio::test]
async fn every_documented_example_in_order() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;

    let (status, body) = server
        .send(
            "GET",
            "/api/now/v1/wrapup/code/49c27b679f201210c89656effa0a1cd7",
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_documented(
        &json(&body),
        &json(&fixture("servicenow/code_get_response.json")),
        &[],
        "",
    );

    let (status, body) = server
        .send(
            "GET",
            "/api/now/v1/wrapup/segment/dgajbcef12345678defdbxef123435678",
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_documented(
        &json(&body),
        &json(&fixture("servicenow/segment_get_response.json")),
        &[],
        "",
    );

    let (status, body) = server
        .send(
            "GET",
            "/api/now/v1/wrapup/segment/agent/123412345678567890ab90abcdefcdef/interaction/213412345678567890ab90abcdefcdef",
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_documented(
        &json(&body),
        &json(&fixture(
            "servicenow/segment_get_by_agent_interaction_response.json",
        )),
        &[],
        "",
    );

    let (status, body) = server
        .send(
            "POST",
            "/api/now/v1/wrapup/code",
            Some(&fixture("servicenow/code_post_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_documented(
        &json(&body),
        &json(&fixture("servicenow/code_post_response.json")),
        &[],
        "",
    );

    let (status, body) = server
        .send(
            "POST",
            "/api/now/v1/wrapup/segment/create",
            Some(&fixture("servicenow/segment_create_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_documented(
        &json(&body),
        &json(&fixture("servicenow/segment_create_response.json")),
        &[],
        "",
    );

    let query = fixture("servicenow/segment_update_query.txt");
    let (status, body) = server
        .send(
            "PUT",
            &format!("/api/now/v1/wrapup/segment/update?{}", query.trim()),
            Some(&fixture("servicenow/segment_update_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // The documented answer shows the segment's sys_id as dgajbcef… inside and
    // 98769876… outside; it is one record, and ours says 98769876… in both.
    // submitted_on is the server's "now".
    let body = json(&body);
    assert_documented(
        &body,
        &json(&fixture("servicenow/segment_update_response.json")),
        &["sys_id", "submitted_on"],
        "",
    );
    assert_eq!(body["sys_id"], "98769876543254321fed1fedcba0cba0");
    assert_eq!(body["segment"]["submitted_on"], "2024-09-16 18:51:59");
}

#[tokio::test]
async fn documented_failures_have_the_servicenow_error_shape() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let cases = [
        ("GET", "/api/now/wrapup/code/0000", None, 404),
        ("GET", "/api/now/wrapup/segment/nope", None, 404),
        (
            "POST",
            "/api/now/wrapup/code",
            Some("{\"codes\": [{\"code\": 3}]}"),
            400,
        ),
        ("POST", "/api/now/wrapup/code", Some("{\"codes\": []}"), 400),
        ("POST", "/api/now/wrapup/code", Some("not json"), 400),
        (
            "POST",
            "/api/now/wrapup/segment/create",
            Some("{\"agent_sys_id\": \"a\"}"),
            400,
        ),
        (
            "POST",
            "/api/now/wrapup/segment/create",
            Some("{\"agent_sys_id\": \"a\", \"interaction_sys_id\": \"i\", \"external\": true}"),
            400,
        ),
        ("PUT", "/api/now/wrapup/segment/update", Some("{}"), 400),
        (
            "PUT",
            "/api/now/wrapup/segment/update?segment_sys_id=unknown",
            Some("{}"),
            404,
        ),
        (
            "PUT",
            "/api/now/wrapup/segment/update?segment_sys_id=dgajbcef12345678defdbxef123435678",
            Some("{\"wrap_up_code\": \"No Such Code\"}"),
            400,
        ),
    ];
    for (method, path, body, expected) in cases {
        let (status, text) = server.send(method, path, body).await;
        assert_eq!(status, expected, "{method} {path}: {text}");
        let body = json(&text);
        assert_eq!(body["status"], "failure", "{text}");
        assert!(body["error"]["message"].is_string(), "{text}");
        assert!(body["error"]["detail"].is_string(), "{text}");
    }
    // The malformed field is named.
    let (_, text) = server
        .send(
            "POST",
            "/api/now/wrapup/code",
            Some("{\"codes\": [{\"code\": 3}]}"),
        )
        .await;
    assert!(
        json(&text)["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("codes[0].code"),
        "{text}"
    );
}

#[tokio::test]
async fn some_invalid_codes_answer_207_listing_them() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let body = r#"{"codes": [{"code": "Refund"}, {"code": ""}]}"#;
    let (status, text) = server
        .send("POST", "/api/now/wrapup/code", Some(body))
        .await;
    assert_eq!(status, 207, "{text}");
    let body = json(&text);
    assert_eq!(
        body["result"]["result_map"]["created_wrap_up_codes"][0]["code"],
        "Refund"
    );
    assert_eq!(
        body["result"]["result_map"]["failed_wrap_up_codes"][0]["index"],
        1
    );
}

#[tokio::test]
async fn update_without_code_uses_the_default_and_external_id_finds_it() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (status, text) = server
        .send(
            "POST",
            "/api/now/wrapup/segment/create",
            Some(&fixture("servicenow/segment_create_request.json")),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let (status, text) = server
        .send(
            "PUT",
            "/api/now/wrapup/segment/update?external_segment_id=PL_402548",
            Some("{}"),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let body = json(&text);
    assert_eq!(body["segment"]["code"]["code"], "Billing Issue");
    assert_eq!(body["segment"]["state"], "closed");
    assert_eq!(body["segment"]["awaiting_confirmation"], true);
}

#[tokio::test]
async fn xml_responses_and_requests() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let response = server
        .client()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .basic_auth("username", Some("password"))
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("<response><result>"), "{text}");
    assert!(text.contains("<code>Billing Issue</code>"), "{text}");

    let xml = "<request><codes><code>Refund</code><description>Money back</description></codes></request>";
    let response = server
        .client()
        .post(server.url("/api/now/wrapup/code"))
        .basic_auth("username", Some("password"))
        .header("Content-Type", "application/xml")
        .body(xml)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        json(&text)["result"]["result_map"]["created_wrap_up_codes"][0]["code"],
        "Refund"
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (status, text) = server
        .send(
            "POST",
            "/api/now/wrapup/code",
            Some(r#"{"codes": [{"code": "Refund"}]}"#),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    let sys_id = json(&text)["result"]["result_map"]["created_wrap_up_codes"][0]["sys_id"]
        .as_str()
        .unwrap()
        .to_owned();
    server.stop().await;

    // Loading the demo again keeps what was written.
    let server = TestServer::demo(&db).await;
    let (status, text) = server
        .send("GET", &format!("/api/now/wrapup/code/{sys_id}"), None)
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        json(&text)["result"]["result_map"]["wrap_up_code"]["code"],
        "Refund"
    );
}

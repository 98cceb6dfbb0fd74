//! Bad input never makes the server fail: whatever body, content type or id
//! reaches an API route — malformed JSON or XML, wrong types, unknown enums,
//! huge strings, odd Unicode — the answer is a 2xx or a 4xx, never a 5xx.

mod common;

use common::{TestServer, USER, temp_db};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The API routes that take a body, with a method.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/now/wrapup/code"),
    ("POST", "/api/now/v1/wrapup/segment/create"),
    (
        "PUT",
        "/api/now/wrapup/segment/update?segment_sys_id=dgajbcef12345678defdbxef123435678",
    ),
    ("PUT", "/api/now/wrapup/segment/update"),
    ("POST", "/api/now/openframe/voice-interaction"),
    (
        "PATCH",
        "/api/now/openframe/voice-interaction/12961fff7fb2d2102d0cd3cf8c86652b",
    ),
    ("POST", "/wrap-up/extend"),
    ("POST", "/wrap-up/cancel"),
    ("POST", "/services/36981723/end"),
    ("POST", "/genesys/1/cs/services/36981723/end"),
    ("POST", "/sim/v1/calls"),
    (
        "POST",
        "/cti/v1/agents/123412345678567890ab90abcdefcdef/requests",
    ),
];

fn body() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "codes",
        "code",
        "translations",
        "language",
        "agent_sys_id",
        "interaction_sys_id",
        "external",
        "configuration",
        "allowed_codes",
        "default_code",
        "duration",
        "opened_on",
        "wrap_up_code",
        "notes",
        "confirmed_on",
        "interaction",
        "userPhoneNumber",
        "access_key",
        "agent_email",
        "end_time",
        "disposition_desc",
        "session_id",
        "request",
        "channelId",
        "state",
        "workitemId",
        "wrapUpReason",
        "updatedData",
        "agent_id",
        "ani",
        "direction",
        "wrapup",
    ]);
    let value = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-1".to_owned()),
        Just("1e309".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just(r#""2024-13-45 25:61:61""#.to_owned()),
        Just(r#""\u0000\u202e\ud800""#.to_owned()),
        Just(format!("\"{}\"", "x".repeat(70_000))),
        Just(format!("\"{}\"", "é".repeat(5_000))),
        "[a-zA-Z0-9 ]{0,12}".prop_map(|text| format!("\"{text}\"")),
    ];
    let object = prop::collection::vec((field, value), 0..6).prop_map(|fields| {
        let members: Vec<String> = fields
            .into_iter()
            .map(|(name, value)| format!("\"{name}\": {value}"))
            .collect();
        format!("{{{}}}", members.join(", "))
    });
    prop_oneof![
        4 => object.clone(),
        1 => object.prop_map(|json| format!("{{\"codes\": [{json}], \"interaction\": {json}, \"configuration\": {json}}}")),
        1 => ".{0,300}",
        1 => Just("<request><codes><code>x</code></codes>".to_owned()),
        1 => Just("<?xml version=\"1.0\"?><request><notes>\u{202e}</notes></request>".to_owned()),
        1 => Just("{\"a\":".repeat(200)),
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        Some("application/json"),
        Some("application/xml"),
        Some("text/plain"),
        Some("application/json; charset=latin1"),
        None,
    ])
}

#[test]
fn no_body_makes_an_api_route_answer_5xx() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (_dir, db) = temp_db();
    let server = runtime.block_on(TestServer::demo(&db));
    let client = server.client();
    let mut runner = TestRunner::new(Config::with_cases(600));
    let strategy = (
        prop::sample::select(ROUTES.to_vec()),
        content_type(),
        body(),
    );
    runner
        .run(&strategy, |((method, path), content_type, body)| {
            let status = runtime.block_on(async {
                let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
                let mut request = client
                    .request(method, server.url(path))
                    .basic_auth(USER.0, Some(USER.1))
                    .body(body.clone());
                if let Some(content_type) = content_type {
                    request = request.header("Content-Type", content_type);
                }
                request.send().await.expect("an answer").status().as_u16()
            });
            prop_assert!(
                status < 500,
                "{method} {path} [{content_type:?}] answered {status} to {body:.200}"
            );
            Ok(())
        })
        .expect("no 5xx");
}

#[test]
fn odd_ids_in_paths_are_4xx_not_5xx() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (_dir, db) = temp_db();
    let server = runtime.block_on(TestServer::demo(&db));
    let client = server.client();
    let mut runner = TestRunner::new(Config::with_cases(300));
    let id = prop_oneof![
        ".{1,40}",
        Just("x".repeat(5_000)),
        Just("%00%ff%fe".to_owned())
    ];
    let template = prop::sample::select(vec![
        "/api/now/wrapup/code/{}",
        "/api/now/wrapup/segment/{}",
        "/api/now/v2/wrapup/segment/agent/{}/interaction/{}",
    ]);
    runner
        .run(&(template, id), |(template, id)| {
            let encoded: String = id
                .bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() {
                        (byte as char).to_string()
                    } else {
                        format!("%{byte:02X}")
                    }
                })
                .collect();
            let path = template.replace("{}", &encoded);
            let status = runtime.block_on(async {
                client
                    .get(server.url(&path))
                    .basic_auth(USER.0, Some(USER.1))
                    .send()
                    .await
                    .expect("an answer")
                    .status()
                    .as_u16()
            });
            prop_assert!(status < 500, "GET {path:.200} answered {status}");
            Ok(())
        })
        .expect("no 5xx");
}

/// Regression: a wrap-up duration beyond the calendar's range made the
/// server panic computing the deadline (a 500 and a poisoned database lock).
#[tokio::test]
async fn an_absurd_wrapup_duration_is_refused_not_a_panic() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let create = r#"{"agent_sys_id": "123412345678567890ab90abcdefcdef", "interaction_sys_id": "i-huge",
        "external": "true", "external_segment_id": "huge",
        "configuration": {"enable_codes": false, "duration": "9223372036854775807", "show_timer": true},
        "opened_on": "2024-09-16 17:52:01"}"#;
    let (status, body) = server
        .send("POST", "/api/now/wrapup/segment/create", Some(create))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("configuration.duration"), "{body}");
    let call = r#"{"agent_id": "a", "ani": "1", "direction": "Incoming", "wrapup": {"duration": 18446744073709551615}}"#;
    let (status, body) = server.send("POST", "/sim/v1/calls", Some(call)).await;
    assert_eq!(status, 400, "{body}");
    // The server still answers: nothing panicked while holding the database.
    let (status, _) = server
        .send(
            "GET",
            "/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7",
            None,
        )
        .await;
    assert_eq!(status, 200);
}

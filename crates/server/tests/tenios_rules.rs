//! Tenios beyond its examples: callers authenticate by `access_key` alone
//! (no Basic auth), the extension limits hold to the millisecond, and the
//! answers are the documented JSON.

mod common;

use common::{TestServer, fixture, json, temp_db};
use wrapup_server::DEMO_TENIOS_ACCESS_KEY as KEY;

fn extend(key: &str, end_time: &str) -> String {
    format!(
        r#"{{"access_key": "{key}", "agent_email": "agent@test.com", "end_time": "{end_time}"}}"#
    )
}

#[tokio::test]
async fn the_access_key_is_required_and_must_match() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    for path in ["/wrap-up/extend", "/wrap-up/cancel"] {
        let (status, _, text) = server
            .post_anonymous(path, &extend("wrong", "2020-01-01T09:00:00.000Z"))
            .await;
        assert_eq!(status, 401, "{path}: {text}");
        let answer = json(&text);
        assert_eq!(answer["error_code"], "INVALID_ACCESS_KEY");
        assert_eq!(answer["fields"], serde_json::json!(["access_key"]));
        for body in [
            r#"{"agent_email": "agent@test.com", "end_time": "2020-01-01T09:00:00.000Z"}"#,
            r#"{"access_key": "", "agent_email": "agent@test.com", "end_time": "2020-01-01T09:00:00.000Z"}"#,
        ] {
            let (status, _, text) = server.post_anonymous(path, body).await;
            assert_eq!(status, 400, "{path} {body}: {text}");
            assert_eq!(
                text,
                r#"{"error_code":"FIELD_IS_REQUIRED","error_message":"Parameter 'access_key' is required","fields":["access_key"]}"#
            );
        }
    }
    // The refused calls changed nothing: the documented extend still succeeds.
    let (status, content_type, text) = server
        .post_anonymous("/wrap-up/extend", &fixture("tenios/extend_request.json"))
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(content_type, "application/json");
    assert_eq!(
        text,
        r#"{"success":true,"wrap_up_end_time":"2020-01-01T09:00:00.000Z"}"#
    );
}

#[tokio::test]
async fn a_configured_key_replaces_the_demo_key_and_no_key_refuses_everyone() {
    let (_dir, db) = temp_db();
    let server = TestServer::start_with(&db, |config| {
        config.demo = true;
        config.tenios_access_key = "k-7f3a".to_owned();
    })
    .await;
    let (status, _, _) = server
        .post_anonymous("/wrap-up/extend", &extend(KEY, "2020-01-01T09:00:00.000Z"))
        .await;
    assert_eq!(status, 401);
    let (status, _, text) = server
        .post_anonymous(
            "/wrap-up/extend",
            &extend("k-7f3a", "2020-01-01T09:00:00.000Z"),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    server.stop().await;

    let server = TestServer::start_with(&db, |config| {
        config.demo = true;
        config.tenios_access_key = String::new();
    })
    .await;
    // An empty configured key matches nothing, not even an empty one sent.
    for (key, status) in [(KEY, 401), ("", 400), ("k-7f3a", 401)] {
        let body = format!(r#"{{"access_key": "{key}", "agent_email": "agent@test.com"}}"#);
        let (actual, _, text) = server.post_anonymous("/wrap-up/cancel", &body).await;
        assert_eq!(actual, status, "{key:?}: {text}");
    }
}

/// The demo wrap-up of agent@test.com ends at 08:59:00.000; an extension
/// moves it by at least 5 s and at most 15 min (`core::extension`).
#[tokio::test]
async fn extension_limits_hold_to_the_millisecond() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let steps = [
        (
            "2020-01-01T08:59:04.999Z",
            400,
            "WRAP_UP_INVALID_EXTEND_TIME_AMOUNT",
        ),
        (
            "2020-01-01T08:58:00.000Z",
            400,
            "WRAP_UP_INVALID_EXTEND_TIME_AMOUNT",
        ),
        ("2020-01-01T08:59:05.000Z", 200, ""),
        (
            "2020-01-01T09:14:05.001Z",
            400,
            "Requested WrapUp Extension time is too high",
        ),
        ("2020-01-01T09:14:05.000Z", 200, ""),
        // Time zones other than Z name the same instant.
        ("2020-01-01T10:14:10.000+01:00", 200, ""),
    ];
    for (end_time, status, error_code) in steps {
        let (actual, _, text) = server
            .post_anonymous("/wrap-up/extend", &extend(KEY, end_time))
            .await;
        assert_eq!(actual, status, "{end_time}: {text}");
        let answer = json(&text);
        if status == 200 {
            assert_eq!(answer["success"], true);
        } else {
            assert_eq!(answer["error_code"], error_code, "{end_time}");
        }
    }
    // The answer names the new end in UTC with milliseconds.
    let (_, _, text) = server
        .post_anonymous("/wrap-up/extend", &extend(KEY, "2020-01-01T09:14:15.000Z"))
        .await;
    assert_eq!(
        text,
        r#"{"success":true,"wrap_up_end_time":"2020-01-01T09:14:15.000Z"}"#
    );
    // Malformed bodies get the documented errors, not a 5xx.
    for (body, error_code) in [
        ("not json", "FIELD_IS_REQUIRED"),
        ("", "FIELD_IS_REQUIRED"),
        (
            &extend(KEY, "2020-01-01 09:20:00") as &str,
            "WRAP_UP_DATE_PARSE_ERROR",
        ),
        (
            &format!(r#"{{"access_key": "{KEY}", "agent_email": "agent@test.com"}}"#) as &str,
            "FIELD_IS_REQUIRED",
        ),
    ] {
        let (status, _, text) = server.post_anonymous("/wrap-up/extend", body).await;
        assert_eq!(status, 400, "{body}: {text}");
        assert_eq!(json(&text)["error_code"], error_code, "{body}");
    }
}

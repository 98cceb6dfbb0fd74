//! Fault injection over real HTTP: rules set through `/sim/v1/faults`, and
//! `--faults RATE` failing API requests in mixed ways.

mod common;

use std::time::Duration;

use common::{TestServer, USER, json, temp_db};
use wrapup_server::faults::Faults;

const UPDATE: &str = "/api/now/wrapup/segment/update";
const DEMO_SEGMENT: &str = "dgajbcef12345678defdbxef123435678";

/// Opens a segment for a fresh interaction; returns its sys_id.
async fn open_segment(server: &TestServer, interaction: &str) -> String {
    let body = format!(
        r#"{{"agent_sys_id": "123412345678567890ab90abcdefcdef", "interaction_sys_id": "{interaction}",
            "external": "true", "external_segment_id": "ext-{interaction}",
            "configuration": {{"enable_codes": true, "allowed_codes": [{{"code": "Billing Issue"}}],
                               "default_code": "Billing Issue", "duration": "30", "show_timer": true}},
            "opened_on": "2024-09-16 18:51:00"}}"#
    );
    let (status, answer) = server
        .send("POST", "/api/now/wrapup/segment/create", Some(&body))
        .await;
    assert_eq!(status, 200, "{answer}");
    json(&answer)["sys_id"].as_str().unwrap().to_owned()
}

const SUBMISSION: &str =
    r#"{"wrap_up_code": "Billing Issue", "notes": "n", "confirmed_on": "2024-09-16 18:52:01"}"#;

async fn set_rules(server: &TestServer, rules: &str) {
    let (status, answer) = server
        .send(
            "POST",
            "/sim/v1/faults",
            Some(&format!(r#"{{"rules": {rules}}}"#)),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_counted_rule_fails_that_many_requests_then_lets_them_through() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let sys_id = open_segment(&server, "fault-count").await;
    set_rules(
        &server,
        &format!(r#"[{{"path": "{UPDATE}", "method": "PUT", "kind": "503", "remaining": 2}}]"#),
    )
    .await;
    let path = format!("{UPDATE}?segment_sys_id={sys_id}");
    for _ in 0..2 {
        let (status, answer) = server.send("PUT", &path, Some(SUBMISSION)).await;
        assert_eq!(status, 503);
        assert_eq!(json(&answer)["status"], "failure");
    }
    let (status, _) = server.send("PUT", &path, Some(SUBMISSION)).await;
    assert_eq!(status, 200);
    // Other routes were never affected, and the used-up rule is gone.
    let (status, rules) = server.send("GET", "/sim/v1/faults", None).await;
    assert_eq!(status, 200);
    assert_eq!(json(&rules)["rules"], serde_json::json!([]));
}

#[tokio::test]
async fn a_reset_after_the_write_loses_the_answer_but_not_the_write() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let sys_id = open_segment(&server, "fault-reset").await;
    set_rules(
        &server,
        &format!(r#"[{{"path": "{UPDATE}", "kind": "reset", "remaining": 1}}]"#),
    )
    .await;
    let url = server.url(&format!("{UPDATE}?segment_sys_id={sys_id}"));
    let sent = server
        .client()
        .put(&url)
        .basic_auth(USER.0, Some(USER.1))
        .header("Content-Type", "application/json")
        .body(SUBMISSION)
        .send()
        .await;
    let answered = match sent {
        Ok(response) => response.text().await.is_ok(),
        Err(_) => false,
    };
    assert!(!answered, "the client must not get an answer");

    let (_, segment) = server
        .send("GET", &format!("/api/now/wrapup/segment/{sys_id}"), None)
        .await;
    let segment = json(&segment)["segment"].clone();
    assert_eq!(segment["state"], "closed", "the write happened");
    // The client's retry is answered and changes nothing: the update is idempotent.
    let (status, retried) = server
        .send(
            "PUT",
            &format!("{UPDATE}?segment_sys_id={sys_id}"),
            Some(SUBMISSION),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        json(&retried)["segment"]["submitted_on"],
        segment["submitted_on"]
    );
}

#[tokio::test]
async fn rules_can_be_listed_and_cleared_and_bad_rates_are_refused() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    set_rules(
        &server,
        r#"[{"path": "/wrap-up/extend", "kind": "slow", "rate": 0.5}]"#,
    )
    .await;
    let (_, rules) = server.send("GET", "/sim/v1/faults", None).await;
    assert_eq!(json(&rules)["rules"][0]["kind"], "slow");
    assert_eq!(json(&rules)["rules"][0]["rate"], 0.5);

    let (status, answer) = server
        .send(
            "POST",
            "/sim/v1/faults",
            Some(r#"{"rules": [{"path": "/x", "kind": "500", "rate": 2}]}"#),
        )
        .await;
    assert_eq!(status, 400);
    assert!(answer.contains("rate 2"), "{answer}");
    let (status, _) = server
        .send(
            "POST",
            "/sim/v1/faults",
            Some(r#"{"rules": [{"path": "/x", "kind": "melt"}]}"#),
        )
        .await;
    assert_eq!(status, 400);

    let (status, _) = server.send("DELETE", "/sim/v1/faults", None).await;
    assert_eq!(status, 204);
    let (_, rules) = server.send("GET", "/sim/v1/faults", None).await;
    assert_eq!(json(&rules)["rules"], serde_json::json!([]));
}

#[tokio::test]
async fn a_fault_rate_fails_that_share_of_api_requests_in_mixed_ways() {
    let (_dir, db) = temp_db();
    let faults =
        Faults::new(0.3, 42).with_delays(Duration::from_millis(20), Duration::from_millis(5));
    let server = TestServer::start_with_faults(&db, true, faults).await;
    let mut statuses = std::collections::BTreeMap::<String, u32>::new();
    for _ in 0..200 {
        let sent = server
            .client()
            .get(server.url(&format!("/api/now/wrapup/segment/{DEMO_SEGMENT}")))
            .basic_auth(USER.0, Some(USER.1))
            .send()
            .await;
        let outcome = match sent {
            Ok(response) => {
                let status = response.status().as_u16().to_string();
                if response.text().await.is_ok() {
                    status
                } else {
                    "reset".to_owned()
                }
            }
            Err(_) => "reset".to_owned(),
        };
        *statuses.entry(outcome).or_default() += 1;
    }
    let ok = statuses.get("200").copied().unwrap_or_default();
    // About 30 % fail (slow answers succeed), in more than one way; the
    // health probe and the static files are never hit.
    assert!((120..=175).contains(&ok), "{statuses:?}");
    for kind in ["500", "503", "504", "reset"] {
        assert!(statuses.contains_key(kind), "no {kind} in {statuses:?}");
    }
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
}

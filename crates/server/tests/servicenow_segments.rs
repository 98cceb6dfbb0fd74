//! ServiceNow wrap-up segments found and closed: by sys_id or external
//! segment id, by agent + interaction, and `segment/update` picking its
//! segment by the documented precedence, falling back to the default code.

mod common;

use common::{
    TestServer, json, segment_create_body as create_body, servicenow_error_detail, temp_db,
};
use serde_json::{Value, json as body};

const CREATE: &str = "/api/now/wrapup/segment/create";
const UPDATE: &str = "/api/now/wrapup/segment/update";
const AGENT: &str = "123412345678567890ab90abcdefcdef";

/// Opens an external segment for `interaction` with `external_id`; its sys_id.
async fn open_segment(server: &TestServer, interaction: &str, external_id: &str) -> String {
    let request = create_body(|request| {
        request["interaction_sys_id"] = body!(interaction);
        request["external_segment_id"] = body!(external_id);
    });
    let (status, text) = server.send("POST", CREATE, Some(&request)).await;
    assert_eq!(status, 200, "{text}");
    json(&text)["sys_id"].as_str().unwrap().to_owned()
}

async fn segment_state(server: &TestServer, sys_id: &str) -> Value {
    let (status, text) = server
        .send("GET", &format!("/api/now/wrapup/segment/{sys_id}"), None)
        .await;
    assert_eq!(status, 200, "{text}");
    json(&text)["segment"]["state"].clone()
}

#[tokio::test]
async fn a_segment_is_found_by_sys_id_or_external_id_and_by_agent_and_interaction() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let (_, by_sys_id) = server
        .send(
            "GET",
            "/api/now/wrapup/segment/dgajbcef12345678defdbxef123435678",
            None,
        )
        .await;
    let (status, by_external_id) = server
        .send("GET", "/api/now/wrapup/segment/PL_402548", None)
        .await;
    assert_eq!(status, 200, "{by_external_id}");
    assert_eq!(json(&by_external_id), json(&by_sys_id));
    let (status, by_agent) = server
        .send(
            "GET",
            &format!(
                "/api/now/wrapup/segment/agent/{AGENT}/interaction/213412345678567890ab90abcdefcdef"
            ),
            None,
        )
        .await;
    assert_eq!(status, 200, "{by_agent}");
    assert_eq!(json(&by_agent), json(&by_sys_id));

    // A second, open segment of the same agent and interaction is the one
    // agent + interaction finds: the wrap-up in progress.
    let open = open_segment(&server, "213412345678567890ab90abcdefcdef", "PL_402549").await;
    let (_, text) = server
        .send(
            "GET",
            &format!(
                "/api/now/wrapup/segment/agent/{AGENT}/interaction/213412345678567890ab90abcdefcdef"
            ),
            None,
        )
        .await;
    assert_eq!(json(&text)["segment_id"], open.as_str());

    for path in [
        "/api/now/wrapup/segment/unknown".to_owned(),
        format!("/api/now/wrapup/segment/agent/{AGENT}/interaction/unknown"),
        "/api/now/wrapup/segment/agent/unknown/interaction/213412345678567890ab90abcdefcdef"
            .to_owned(),
    ] {
        let (status, text) = server.send("GET", &path, None).await;
        assert_eq!(status, 404, "{path}: {text}");
        servicenow_error_detail(&text);
    }
}

#[tokio::test]
async fn update_picks_segment_sys_id_then_external_id_then_agent_and_interaction() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let first = open_segment(&server, "prec-i1", "PREC_1").await;
    let second = open_segment(&server, "prec-i2", "PREC_2").await;
    let third = open_segment(&server, "prec-i3", "PREC_3").await;
    let submit = Some(r#"{"wrap_up_code": "Store Issue"}"#);

    // Submits to `?query`, which must succeed: the updated segment.
    let update = async |query: String| {
        let (status, text) = server
            .send("PUT", &format!("{UPDATE}?{query}"), submit)
            .await;
        assert_eq!(status, 200, "?{query}: {text}");
        json(&text)
    };

    // All three keys, each naming another segment: segment_sys_id wins.
    let answer = update(format!(
        "segment_sys_id={first}&external_segment_id=PREC_2&agent_sys_id={AGENT}&interaction_sys_id=prec-i3"
    ))
    .await;
    assert_eq!(answer["sys_id"], first.as_str());
    assert_eq!(segment_state(&server, &second).await, "open");
    assert_eq!(segment_state(&server, &third).await, "open");

    // No segment_sys_id (or an empty one): external_segment_id wins over agent + interaction.
    let answer = update(format!(
        "segment_sys_id=&external_segment_id=PREC_2&agent_sys_id={AGENT}&interaction_sys_id=prec-i3"
    ))
    .await;
    assert_eq!(answer["sys_id"], second.as_str());
    assert_eq!(segment_state(&server, &third).await, "open");

    // Agent + interaction alone.
    let answer = update(format!("agent_sys_id={AGENT}&interaction_sys_id=prec-i3")).await;
    assert_eq!(answer["sys_id"], third.as_str());
    assert_eq!(answer["segment"]["state"], "closed");
    assert_eq!(answer["segment"]["code"]["code"], "Store Issue");

    // The key that wins is the one used, even when it names nothing: no
    // falling back to a lower one. And each key is of its own kind.
    for (query, status) in [
        ("segment_sys_id=unknown&external_segment_id=PREC_2", 404),
        ("segment_sys_id=PREC_2", 404),
        (&format!("external_segment_id={second}") as &str, 404),
        (
            &format!("external_segment_id=unknown&agent_sys_id={AGENT}&interaction_sys_id=prec-i3")
                as &str,
            404,
        ),
        ("", 400),
        (&format!("agent_sys_id={AGENT}") as &str, 400),
        ("interaction_sys_id=prec-i3", 400),
    ] {
        let (actual, text) = server
            .send("PUT", &format!("{UPDATE}?{query}"), submit)
            .await;
        assert_eq!(actual, status, "?{query}: {text}");
        servicenow_error_detail(&text);
    }
    let (_, text) = server
        .send("PUT", &format!("{UPDATE}?agent_sys_id={AGENT}"), submit)
        .await;
    assert!(
        servicenow_error_detail(&text).contains("interaction_sys_id"),
        "{text}"
    );
}

#[tokio::test]
async fn update_closes_with_the_default_code_when_none_is_sent_and_refuses_others() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    for (index, submission) in [r#"{}"#, r#"{"wrap_up_code": ""}"#, r#"{"notes": "n"}"#]
        .into_iter()
        .enumerate()
    {
        let sys_id = open_segment(
            &server,
            &format!("default-{index}"),
            &format!("DEF_{index}"),
        )
        .await;
        let (status, text) = server
            .send(
                "PUT",
                &format!("{UPDATE}?segment_sys_id={sys_id}"),
                Some(submission),
            )
            .await;
        assert_eq!(status, 200, "{submission}: {text}");
        let segment = &json(&text)["segment"];
        assert_eq!(segment["state"], "closed", "{submission}");
        assert_eq!(segment["code"]["code"], "Billing Issue", "{submission}");
        assert_eq!(
            segment["code"]["sys_id"],
            "49c27b679f201210c89656effa0a1cd7"
        );
        // No confirmed_on sent: the submission awaits the CCaaS system's confirmation.
        assert_eq!(segment["awaiting_confirmation"], true, "{submission}");
        assert_eq!(segment["submitted_on"], "2024-09-16 18:51:59");
    }
    // A code the segment does not allow is refused, and the segment stays open.
    let sys_id = open_segment(&server, "refused", "REFUSED").await;
    for submission in [
        r#"{"wrap_up_code": "Refund"}"#,
        r#"{"wrap_up_code": 7}"#,
        r#"{"confirmed_on": "soon"}"#,
    ] {
        let (status, text) = server
            .send(
                "PUT",
                &format!("{UPDATE}?segment_sys_id={sys_id}"),
                Some(submission),
            )
            .await;
        assert_eq!(status, 400, "{submission}: {text}");
        servicenow_error_detail(&text);
    }
    assert_eq!(segment_state(&server, &sys_id).await, "open");
}

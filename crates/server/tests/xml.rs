//! JSON and XML wherever the ServiceNow specs offer both: every Wrap Up and
//! openframe endpoint reads an XML body (`Content-Type: application/xml`) and
//! answers XML (`Accept: application/xml`), its failures included.

mod common;

use common::{TestServer, assert_documented, fixture, json, temp_db};

/// The text of the first `<name>…</name>` in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no <{name}> in {xml}"))
        + open.len();
    let end = xml[start..]
        .find(&format!("</{name}>"))
        .unwrap_or_else(|| panic!("no </{name}> in {xml}"));
    &xml[start..start + end]
}

/// POSTs an XML `body` sent as `content_type`, asking for JSON (the
/// default); the 200 answer's JSON.
async fn post_xml_for_json(
    server: &TestServer,
    path: &str,
    body: &str,
    content_type: &str,
) -> serde_json::Value {
    let response = server
        .client()
        .post(server.url(path))
        .basic_auth(common::USER.0, Some(common::USER.1))
        .header("Content-Type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    json(&text)
}

/// The documented segment/create body, as XML.
const CREATE_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<request>
  <agent_sys_id>123412345678567890ab90abcdefcdef</agent_sys_id>
  <interaction_sys_id>213412345678567890ab90abcdefcdef</interaction_sys_id>
  <external>true</external>
  <segmented>true</segmented>
  <segment_table>sn_openframe_phone_log</segment_table>
  <segment_id>dgajbcef12345678defdbxef123435678</segment_id>
  <external_segment_id>PL_402548</external_segment_id>
  <configuration>
    <enable_codes>true</enable_codes>
    <allowed_codes>
      <code>Billing Issue</code>
      <translation><language>de</language><code>Abrechnungsproblem</code></translation>
    </allowed_codes>
    <allowed_codes>
      <code>Store Issue</code>
      <translation><language>de</language><code>Einkaufsproblem</code></translation>
    </allowed_codes>
    <default_code>Billing Issue</default_code>
    <duration>30</duration>
    <show_timer>true</show_timer>
  </configuration>
  <opened_on>2024-09-16 17:52:01</opened_on>
</request>";

/// Regression: quick-xml hands a text-only element to types that read "a
/// value or its string" as a map, so no XML segment/create (whose
/// `external`, `segmented` and `duration` are such types) was ever accepted.
#[tokio::test]
async fn the_documented_wrapup_sequence_runs_in_xml() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;

    let (status, text) = server
        .send_xml(
            "GET",
            "/api/now/v1/wrapup/code/49c27b679f201210c89656effa0a1cd7",
            None,
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(element(&text, "message"), "Wrap up code found.");
    assert_eq!(element(&text, "translated_code"), "Abrechnungsproblem");

    for path in [
        "/api/now/v1/wrapup/segment/dgajbcef12345678defdbxef123435678",
        "/api/now/v1/wrapup/segment/agent/123412345678567890ab90abcdefcdef/interaction/213412345678567890ab90abcdefcdef",
    ] {
        let (status, text) = server.send_xml("GET", path, None).await;
        assert_eq!(status, 200, "{path}: {text}");
        assert_eq!(
            element(&text, "segment_id"),
            "dgajbcef12345678defdbxef123435678"
        );
        assert_eq!(element(&text, "state"), "closed");
        assert_eq!(text.matches("<allowed_codes>").count(), 2, "{text}");
    }

    let codes = "<request><codes><code>Billing Issue</code><description>A code for billing issues</description>\
        <translations><language>de</language><code>Abrechnungsproblem</code>\
        <description>Ein code für Abrechnungsprobleme</description></translations></codes></request>";
    let (status, text) = server
        .send_xml("POST", "/api/now/v1/wrapup/code", Some(codes))
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        element(&text, "message"),
        "All wrap up codes created successfully."
    );
    assert_eq!(element(&text, "sys_id"), "49c27b679f201210c89656effa0a1cd7");
    assert_eq!(
        element(&text, "translated_description"),
        "Ein code für Abrechnungsprobleme"
    );

    let (status, text) = server
        .send_xml(
            "POST",
            "/api/now/v1/wrapup/segment/create",
            Some(CREATE_XML),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(element(&text, "sys_id"), "98769876543254321fed1fedcba0cba0");
    assert_eq!(element(&text, "state"), "open");
    // What the XML request created is what the documented JSON request creates.
    let (_, segment) = server
        .send(
            "GET",
            "/api/now/wrapup/segment/98769876543254321fed1fedcba0cba0",
            None,
        )
        .await;
    assert_documented(
        &json(&segment)["segment"],
        &json(&fixture("servicenow/segment_create_response.json"))["segment"],
        &[],
        "segment",
    );
    assert_eq!(
        json(&segment)["segment"]["wrap_up_configuration"]["duration"],
        "30"
    );

    let update = "<request><wrap_up_code>Billing Issue</wrap_up_code>\
        <notes>Customer&apos;s credit card expired. Had to switch to another one.</notes>\
        <confirmed_on>2024-09-16 18:52:01</confirmed_on></request>";
    let query = fixture("servicenow/segment_update_query.txt");
    let (status, text) = server
        .send_xml(
            "PUT",
            &format!("/api/now/v1/wrapup/segment/update?{}", query.trim()),
            Some(update),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        element(&text, "message"),
        "Wrap-up segment updated successfully."
    );
    assert_eq!(
        element(&text, "notes"),
        "Customer's credit card expired. Had to switch to another one."
    );
    assert_eq!(element(&text, "state"), "closed");
    assert_eq!(element(&text, "awaiting_confirmation"), "false");
}

#[tokio::test]
async fn xml_lists_may_have_one_item_and_text_may_use_entities() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let codes = "<request><codes><code>Fraud &amp; Abuse</code><active>false</active></codes>\
        <codes><code><![CDATA[<Escalated>]]></code></codes><codes><code>Caf&#233;</code></codes></request>";
    let answer = post_xml_for_json(&server, "/api/now/wrapup/code", codes, "application/xml").await;
    let created = answer["result"]["result_map"]["created_wrap_up_codes"].clone();
    assert_eq!(created[0]["code"], "Fraud & Abuse");
    assert_eq!(created[0]["active"], false);
    assert_eq!(created[1]["code"], "<Escalated>");
    assert_eq!(created[2]["code"], "Café");

    // One allowed code, not enabled: no default needed; JSON answer to an XML request.
    let create = "<request><agent_sys_id>a-xml</agent_sys_id><interaction_sys_id>i-xml</interaction_sys_id>\
        <external>true</external><external_segment_id>XML_1</external_segment_id>\
        <configuration><allowed_codes><code>Store Issue</code></allowed_codes></configuration></request>";
    let answer = post_xml_for_json(
        &server,
        "/api/now/wrapup/segment/create",
        create,
        "text/xml; charset=utf-8",
    )
    .await;
    let allowed = &answer["segment"]["wrap_up_configuration"]["allowed_codes"];
    assert_eq!(allowed.as_array().map(Vec::len), Some(1));
    assert_eq!(allowed[0]["code"], "Store Issue");
}

#[tokio::test]
async fn xml_failures_are_the_error_shape_in_xml_naming_the_field() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let deep = format!(
        "<request>{}{}</request>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let cases = [
        (
            "POST",
            "/api/now/wrapup/segment/create",
            CREATE_XML.replace("<external_segment_id>PL_402548</external_segment_id>", ""),
            "external_segment_id",
        ),
        (
            "POST",
            "/api/now/wrapup/segment/create",
            CREATE_XML.replace(
                "<show_timer>true</show_timer>",
                "<show_timer>often</show_timer>",
            ),
            "configuration.show_timer",
        ),
        (
            "POST",
            "/api/now/wrapup/segment/create",
            CREATE_XML.replace("<code>Store Issue</code>", "<code></code>"),
            "configuration.allowed_codes[1].code",
        ),
        (
            "POST",
            "/api/now/wrapup/code",
            "<request><codes><code>A</code><code>B</code></codes></request>".to_owned(),
            "codes[0].code",
        ),
        (
            "POST",
            "/api/now/wrapup/code",
            "<request><codes>".to_owned(),
            "invalid XML body",
        ),
        (
            "POST",
            "/api/now/wrapup/code",
            "<request>&nope;</request>".to_owned(),
            "invalid XML body",
        ),
        ("POST", "/api/now/wrapup/code", deep, "invalid XML body"),
        (
            "PUT",
            "/api/now/wrapup/segment/update?segment_sys_id=dgajbcef12345678defdbxef123435678",
            "<request><wrap_up_code>No Such Code</wrap_up_code></request>".to_owned(),
            "wrap_up_code",
        ),
        (
            "POST",
            "/api/now/openframe/voice-interaction",
            "<request><interaction><clientSessionId>x</clientSessionId></interaction></request>"
                .to_owned(),
            "interaction.userPhoneNumber",
        ),
        (
            "PATCH",
            "/api/now/openframe/voice-interaction/12961fff7fb2d2102d0cd3cf8c86652b",
            "<request><interaction/></request>".to_owned(),
            "interaction",
        ),
    ];
    for (method, path, body, field) in cases {
        let (status, text) = server.send_xml(method, path, Some(&body)).await;
        assert_eq!(status, 400, "{method} {path} {body:.200}: {text}");
        assert_eq!(element(&text, "status"), "failure");
        assert!(!element(&text, "message").is_empty(), "{text}");
        let detail = element(&text, "detail");
        assert!(
            detail.starts_with(field),
            "{body:.200}: `{detail}` names {field}"
        );
    }
    // Unknown ids and missing credentials answer in XML too.
    let (status, text) = server
        .send_xml("GET", "/api/now/wrapup/code/unknown", None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(element(&text, "status"), "failure");
    let response = server
        .client()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let text = response.text().await.unwrap();
    assert_eq!(element(&text, "message"), "User Not Authenticated");
}

#[tokio::test]
async fn openframe_reads_and_answers_xml() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    // A simulated call, so the interaction record can be read back through
    // the simulator (its clientSessionId names the call).
    let call = format!(
        r#"{{"agent_id": "{}", "ani": "+4930123456", "direction": "Incoming"}}"#,
        common::sse::AGENT
    );
    let (status, text) = server.send("POST", "/sim/v1/calls", Some(&call)).await;
    assert_eq!(status, 201, "{text}");
    let call_id = json(&text)["id"].as_str().unwrap().to_owned();
    let create = format!(
        "<request><interaction><userPhoneNumber>+1303506536</userPhoneNumber>\
         <clientSessionId>{call_id}</clientSessionId><callbackPhoneNumber>+14089965744</callbackPhoneNumber>\
         <additionalParams><direction>inbound</direction><short_description>New outbound call</short_description></additionalParams>\
         </interaction><interactionContext><devicetype>genesys</devicetype></interactionContext>\
         <phoneLogs><call_id>2323223</call_id></phoneLogs><phoneLogs><call_id>33535353</call_id></phoneLogs>\
         <relatedRecords><documentTable>csm_consumer</documentTable><documentId>59e788fbdb1b1200b6075200cf9619d2</documentId></relatedRecords>\
         </request>"
    );
    let (status, text) = server
        .send_xml(
            "POST",
            "/api/now/openframe/voice-interaction",
            Some(&create),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(element(&text, "status"), "SUCCESS");
    assert_eq!(element(&text, "number"), "IMS0000052");
    let sys_id = element(&text, "sysId").to_owned();
    assert_eq!(sys_id.len(), 32);

    let patch = "<request><interaction><inboundId>ib-1</inboundId></interaction>\
        <interactionContext><requester_session_language>en-US</requester_session_language></interactionContext></request>";
    let (status, text) = server
        .send_xml(
            "PATCH",
            &format!("/api/now/openframe/v1/voice-interaction/{sys_id}"),
            Some(patch),
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(element(&text, "status"), "SUCCESS");

    let (_, view) = server
        .send("GET", &format!("/sim/v1/calls/{call_id}"), None)
        .await;
    let interactions = json(&view)["interactions"].clone();
    assert_eq!(interactions[0]["sys_id"], sys_id.as_str());
    assert_eq!(
        interactions[0]["context"],
        serde_json::json!({ "devicetype": "genesys", "requester_session_language": "en-US" })
    );
}

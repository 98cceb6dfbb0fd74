//! The ServiceNow Wrap Up API's request rules: every "Required (if …)" of
//! the request tables of `segment/create` and `POST code` answers 400 in
//! ServiceNow's error shape, naming the field, and only when its condition
//! holds; `POST code` answers 207 when only some codes pass.

mod common;

use common::{
    TestServer, assert_names_field, json, segment_create_body as create_body,
    servicenow_error_detail, temp_db,
};
use serde_json::{Value, json as body};

const CREATE: &str = "/api/now/wrapup/segment/create";
const CODES: &str = "/api/now/wrapup/code";

fn object(value: &mut Value) -> &mut serde_json::Map<String, Value> {
    value.as_object_mut().expect("an object")
}

#[tokio::test]
async fn every_required_rule_of_segment_create_is_a_400_naming_the_field() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    type Change = fn(&mut Value);
    let cases: &[(&str, Change, &str)] = &[
        (
            "agent_sys_id absent",
            |r| {
                object(r).remove("agent_sys_id");
            },
            "agent_sys_id",
        ),
        (
            "agent_sys_id empty",
            |r| r["agent_sys_id"] = body!(""),
            "agent_sys_id",
        ),
        (
            "interaction_sys_id absent",
            |r| {
                object(r).remove("interaction_sys_id");
            },
            "interaction_sys_id",
        ),
        (
            "external without configuration",
            |r| {
                object(r).remove("configuration");
            },
            "configuration",
        ),
        (
            "external and enable_codes without allowed_codes",
            |r| {
                object(&mut r["configuration"]).remove("allowed_codes");
            },
            "configuration.allowed_codes",
        ),
        (
            "external and enable_codes with no allowed code",
            |r| {
                r["configuration"]["allowed_codes"] = body!([]);
            },
            "configuration.allowed_codes",
        ),
        (
            "external and enable_codes without default_code",
            |r| {
                object(&mut r["configuration"]).remove("default_code");
            },
            "configuration.default_code",
        ),
        (
            "an allowed code without its label",
            |r| {
                r["configuration"]["allowed_codes"][1]["code"] = body!("");
            },
            "configuration.allowed_codes[1].code",
        ),
        (
            "a default code that is not allowed",
            |r| {
                r["configuration"]["default_code"] = body!("Refund");
            },
            "configuration.default_code",
        ),
        (
            "duration without show_timer",
            |r| {
                object(&mut r["configuration"]).remove("show_timer");
            },
            "configuration.show_timer",
        ),
        (
            "duration without opened_on",
            |r| {
                object(r).remove("opened_on");
            },
            "opened_on",
        ),
        (
            "external without external_segment_id",
            |r| {
                object(r).remove("external_segment_id");
            },
            "external_segment_id",
        ),
        (
            "external and segmented without segment_id",
            |r| {
                object(r).remove("segment_id");
            },
            "segment_id",
        ),
        (
            "external and segmented without segment_table",
            |r| {
                object(r).remove("segment_table");
            },
            "segment_table",
        ),
        (
            "external false without wrap_up_configuration_sys_id",
            |r| {
                r["external"] = body!(false);
            },
            "wrap_up_configuration_sys_id",
        ),
        (
            "external absent (false) without wrap_up_configuration_sys_id",
            |r| {
                object(r).remove("external");
            },
            "wrap_up_configuration_sys_id",
        ),
        (
            "external neither a boolean nor its string",
            |r| r["external"] = body!("yes"),
            "external",
        ),
        (
            "duration not a number of seconds",
            |r| {
                r["configuration"]["duration"] = body!("30s");
            },
            "configuration.duration",
        ),
        (
            "opened_on not a date",
            |r| r["opened_on"] = body!("yesterday"),
            "opened_on",
        ),
    ];
    for (case, change, field) in cases {
        let (status, text) = server
            .send("POST", CREATE, Some(&create_body(change)))
            .await;
        assert_eq!(status, 400, "{case}: {text}");
        assert_names_field(&servicenow_error_detail(&text), field, case);
    }
    // Nothing was created by the refused requests: the reserved sys_id of
    // the documented example is still the next one.
    let (status, text) = server
        .send("POST", CREATE, Some(&create_body(|_| {})))
        .await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(json(&text)["sys_id"], "98769876543254321fed1fedcba0cba0");
}

#[tokio::test]
async fn what_is_required_only_if_is_not_required_otherwise() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    type Change = fn(&mut Value);
    let cases: &[(&str, Change)] = &[
        (
            "enable_codes false: no allowed_codes, no default_code",
            |r| {
                let configuration = object(&mut r["configuration"]);
                configuration.insert("enable_codes".into(), body!(false));
                configuration.remove("allowed_codes");
                configuration.remove("default_code");
            },
        ),
        ("segmented false: no segment_id, no segment_table", |r| {
            r["segmented"] = body!("false");
            object(r).remove("segment_id");
            object(r).remove("segment_table");
        }),
        ("no duration: no show_timer, no opened_on", |r| {
            object(&mut r["configuration"]).remove("duration");
            object(&mut r["configuration"]).remove("show_timer");
            object(r).remove("opened_on");
        }),
        ("duration \"\" (no limit): no opened_on", |r| {
            r["configuration"]["duration"] = body!("");
            object(r).remove("opened_on");
        }),
    ];
    for (index, (case, change)) in cases.iter().enumerate() {
        let request = create_body(|request| {
            change(request);
            request["interaction_sys_id"] = body!(format!("optional-{index}"));
            request["external_segment_id"] = body!(format!("OPT_{index}"));
        });
        let (status, text) = server.send("POST", CREATE, Some(&request)).await;
        assert_eq!(status, 200, "{case}: {text}");
        assert_eq!(json(&text)["segment"]["state"], "open", "{case}");
    }
}

#[tokio::test]
async fn every_required_rule_of_code_post_is_a_400_naming_the_field() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let cases = [
        (body!({}), "codes"),
        (body!({ "codes": [] }), "codes"),
        (
            body!({ "codes": [{ "description": "no label" }] }),
            "codes[0]",
        ),
        (body!({ "codes": [{ "code": "" }] }), "codes[0].code"),
        (
            body!({ "codes": [{ "code": "X", "translations": [{ "language": "de" }] }] }),
            "codes[0].translations[0]",
        ),
        (
            body!({ "codes": [{ "code": "X", "translations": [{ "code": "Y" }] }] }),
            "codes[0].translations[0]",
        ),
        (
            body!({ "codes": [{ "code": "X", "translations": [{ "language": "", "code": "Y" }] }] }),
            "codes[0].translations[0].language",
        ),
        (
            body!({ "codes": [{ "code": "X", "translations": [{ "language": "de", "code": "" }] }] }),
            "codes[0].translations[0].code",
        ),
        (
            body!({ "codes": [{ "code": "X", "description": "with one",
                               "translations": [{ "language": "de", "code": "Y" }] }] }),
            "codes[0].translations[0].description",
        ),
        (
            body!({ "codes": [{ "code": "X", "active": "maybe" }] }),
            "codes[0].active",
        ),
    ];
    for (request, field) in cases {
        let (status, text) = server.send("POST", CODES, Some(&request.to_string())).await;
        assert_eq!(status, 400, "{request}: {text}");
        assert_names_field(&servicenow_error_detail(&text), field, &request.to_string());
    }
    // A translated description is required only for a code that has one.
    let request =
        body!({ "codes": [{ "code": "X", "translations": [{ "language": "de", "code": "Y" }] }] });
    let (status, text) = server.send("POST", CODES, Some(&request.to_string())).await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn a_207_creates_the_valid_codes_and_names_each_failed_one() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let request = body!({ "codes": [
        { "code": "" },
        { "code": "Refund", "description": "Money back",
          "translations": [{ "language": "de", "code": "Erstattung", "description": "Geld zurück" }] },
        { "code": "Y", "description": "d", "translations": [{ "language": "de", "code": "Z" }] },
    ] });
    let (status, text) = server.send("POST", CODES, Some(&request.to_string())).await;
    assert_eq!(status, 207, "{text}");
    let answer = json(&text);
    let result = &answer["result"];
    assert_eq!(result["success"], true);
    let created = result["result_map"]["created_wrap_up_codes"]
        .as_array()
        .unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["code"], "Refund");
    assert_eq!(created[0]["translated_code"], "Erstattung");
    let failed = result["result_map"]["failed_wrap_up_codes"]
        .as_array()
        .unwrap();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0]["index"], 0);
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("codes[0].code")
    );
    assert_eq!(failed[1]["index"], 2);
    assert_eq!(failed[1]["code"], "Y");
    assert!(
        failed[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("codes[2].translations[0].description"),
        "{text}"
    );
    // The created code is stored; the failed ones are not.
    let sys_id = created[0]["sys_id"].as_str().unwrap();
    let (status, _) = server.send("GET", &format!("{CODES}/{sys_id}"), None).await;
    assert_eq!(status, 200);
    // Every code failing is a 400 that lists every reason.
    let request = body!({ "codes": [{ "code": "" }, { "code": "" }] });
    let (status, text) = server.send("POST", CODES, Some(&request.to_string())).await;
    assert_eq!(status, 400, "{text}");
    let detail = servicenow_error_detail(&text);
    assert!(
        detail.contains("codes[0].code") && detail.contains("codes[1].code"),
        "{detail}"
    );
}

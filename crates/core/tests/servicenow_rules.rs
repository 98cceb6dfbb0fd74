//! The rules around the ServiceNow Wrap Up API examples
//! (servicenow-wrap-up-api.txt; the examples themselves are in
//! `spec_examples_servicenow.rs`): the segment/update precedence, the lenient
//! fields of segment/create and the strictness everywhere else, the
//! conditional "Required" rules, and the error body.

mod spec_support;

use spec_support::fixture;

use serde_json::{Value, json};
use wrapup_core::lenient::Lenient;
use wrapup_core::parse::{ParseError, from_json, read};
use wrapup_core::servicenow::{
    CodeGetResponse, CodePostRequest, CodePostResponse, MissingSegmentKey, SegmentChangeResponse,
    SegmentCreateRequest, SegmentGetResponse, SegmentKey, SegmentState, SegmentUpdateQuery,
    SegmentUpdateRequest, ServiceNowError, WrapUpDuration,
};

fn query(pairs: &[(&str, &str)]) -> SegmentUpdateQuery {
    let text = serde_urlencoded::to_string(pairs).expect("pairs encode");
    serde_urlencoded::from_str(&text).expect("query parses")
}

#[test]
fn segment_update_precedence() {
    let all = query(&[
        ("agent_sys_id", "agent"),
        ("interaction_sys_id", "interaction"),
        ("external_segment_id", "PL_402548"),
        ("segment_sys_id", "segment"),
    ]);
    assert_eq!(
        all.resolve(),
        Ok(SegmentKey::SegmentSysId("segment".into()))
    );

    let external = query(&[
        ("agent_sys_id", "agent"),
        ("interaction_sys_id", "interaction"),
        ("external_segment_id", "PL_402548"),
    ]);
    assert_eq!(
        external.resolve(),
        Ok(SegmentKey::ExternalSegmentId("PL_402548".into()))
    );

    let pair = query(&[
        ("agent_sys_id", "agent"),
        ("interaction_sys_id", "interaction"),
    ]);
    let key = SegmentKey::AgentInteraction {
        agent_sys_id: "agent".into(),
        interaction_sys_id: "interaction".into(),
    };
    assert_eq!(pair.resolve(), Ok(key.clone()));
    assert_eq!(SegmentUpdateQuery::from(key.clone()).resolve(), Ok(key));
}

#[test]
fn segment_update_without_a_key_names_what_is_missing() {
    let only_agent = query(&[("agent_sys_id", "agent"), ("segment_sys_id", "")]);
    let error = only_agent.resolve().expect_err("no interaction");
    assert_eq!(
        error,
        MissingSegmentKey {
            missing: vec!["interaction_sys_id"]
        }
    );
    assert!(
        error.to_string().ends_with("missing: interaction_sys_id"),
        "{error}"
    );

    let nothing = query(&[]);
    let error = nothing.resolve().expect_err("nothing given");
    assert_eq!(error.missing, ["agent_sys_id", "interaction_sys_id"]);
    let message = error.to_string();
    for field in [
        "segment_sys_id",
        "external_segment_id",
        "agent_sys_id",
        "interaction_sys_id",
    ] {
        assert!(message.contains(field), "{message} names {field}");
    }
}

fn create_request(body: Value) -> SegmentCreateRequest {
    from_json(&body.to_string()).expect("parses")
}

#[test]
fn segment_create_reads_native_bools_and_numbers_too() {
    let body = json!({
        "agent_sys_id": "a", "interaction_sys_id": "i",
        "external": true, "segmented": false, "external_segment_id": "PL_1",
        "configuration": {"duration": 30, "show_timer": true},
        "opened_on": "2024-09-16 17:52:01"
    });
    let request = create_request(body.clone());
    assert_eq!(request.external, Some(Lenient::native(true)));
    assert_eq!(
        request.configuration.as_ref().and_then(|c| c.duration),
        Some(WrapUpDuration::Seconds(Lenient::native(30)))
    );
    assert_eq!(serde_json::to_value(&request).expect("serializes"), body);
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn segment_create_reads_an_empty_duration_as_no_limit() {
    let body = json!({"agent_sys_id": "a", "interaction_sys_id": "i",
        "external": "true", "external_segment_id": "PL_1", "configuration": {"duration": ""}});
    let request = create_request(body.clone());
    let duration = request.configuration.as_ref().and_then(|c| c.duration);
    assert_eq!(duration, Some(WrapUpDuration::NoLimit));
    assert_eq!(duration.and_then(|d| d.limit()), None);
    assert_eq!(serde_json::to_value(&request).expect("serializes"), body);
    // No limit needs neither show_timer nor opened_on.
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn lenient_fields_still_refuse_nonsense_and_name_the_field() {
    let cases = [
        (
            json!({"agent_sys_id": "a", "interaction_sys_id": "i", "external": "yes"}),
            "external",
        ),
        (
            json!({"agent_sys_id": "a", "interaction_sys_id": "i", "segmented": "True"}),
            "segmented",
        ),
        (
            json!({"agent_sys_id": "a", "interaction_sys_id": "i", "configuration": {"duration": "30s"}}),
            "configuration.duration",
        ),
        (
            json!({"agent_sys_id": "a", "interaction_sys_id": "i", "configuration": {"duration": "-30"}}),
            "configuration.duration",
        ),
    ];
    for (body, path) in cases {
        let error = from_json::<SegmentCreateRequest>(&body.to_string()).expect_err("refused");
        assert_eq!(error.path(), path, "{error}");
    }
}

#[test]
fn fields_the_examples_send_natively_are_strict() {
    let body = json!({"agent_sys_id": "a", "interaction_sys_id": "i",
        "configuration": {"enable_codes": "true"}});
    let error = from_json::<SegmentCreateRequest>(&body.to_string()).expect_err("strict");
    assert_eq!(error.path(), "configuration.enable_codes");

    let mut answer: Value =
        serde_json::from_str(&fixture("servicenow/segment_get_response.json")).expect("JSON");
    answer["segment"]["external"] = json!("true");
    let error = read::<SegmentGetResponse>(&answer.to_string()).expect_err("strict");
    assert_eq!(error.path(), "segment.external");
    assert!(
        error
            .to_string()
            .starts_with("segment.external: invalid type: string"),
        "{error}"
    );
}

/// The error of the fixture at `path` with `field` of the object at `parent`
/// set to `value`, read with `parse`: [`from_json`] for a request, as the
/// server reads it, [`read`] for an answer, as the widget reads it.
fn refusal<T: std::fmt::Debug>(
    path: &str,
    parse: fn(&str) -> Result<T, ParseError>,
    parent: &str,
    field: &str,
    value: Value,
) -> ParseError {
    let mut body: Value = serde_json::from_str(&fixture(path)).expect("fixture is JSON");
    body.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("{path} has an object at {parent:?}"))
        .insert(field.to_owned(), value);
    parse(&body.to_string()).expect_err("strict")
}

/// Every boolean the examples send as a JSON boolean refuses the string form,
/// and the error names the field: the leniency is only where the examples
/// themselves send strings.
#[test]
fn booleans_the_examples_send_natively_refuse_strings() {
    fn check<T: std::fmt::Debug>(
        path: &str,
        parse: fn(&str) -> Result<T, ParseError>,
        fields: &[(&str, &str, &str)],
    ) {
        for &(parent, field, expected_path) in fields {
            let error = refusal(path, parse, parent, field, json!("true"));
            assert_eq!(error.path(), expected_path, "{path}: {error}");
            assert!(
                error.message().contains("expected a boolean"),
                "{path}: {error}"
            );
        }
    }
    let code = "/result/result_map/wrap_up_code";
    check(
        "servicenow/code_get_response.json",
        read::<CodeGetResponse>,
        &[
            ("/result", "success", "result.success"),
            (code, "active", "result.result_map.wrap_up_code.active"),
            (code, "external", "result.result_map.wrap_up_code.external"),
        ],
    );
    check(
        "servicenow/code_post_request.json",
        from_json::<CodePostRequest>,
        &[("/codes/0", "active", "codes[0].active")],
    );
    check(
        "servicenow/code_post_response.json",
        read::<CodePostResponse>,
        &[
            ("/result", "success", "result.success"),
            (
                "/result/result_map/created_wrap_up_codes/0",
                "active",
                "result.result_map.created_wrap_up_codes[0].active",
            ),
        ],
    );
    check(
        "servicenow/segment_create_request.json",
        from_json::<SegmentCreateRequest>,
        &[
            (
                "/configuration",
                "enable_codes",
                "configuration.enable_codes",
            ),
            ("/configuration", "show_timer", "configuration.show_timer"),
        ],
    );
    for path in [
        "servicenow/segment_get_response.json",
        "servicenow/segment_get_by_agent_interaction_response.json",
    ] {
        check(
            path,
            read::<SegmentGetResponse>,
            &[
                ("", "success", "success"),
                ("/segment", "external", "segment.external"),
                ("/segment", "segmented", "segment.segmented"),
                (
                    "/segment",
                    "awaiting_confirmation",
                    "segment.awaiting_confirmation",
                ),
                (
                    "/segment/wrap_up_configuration",
                    "enable_codes",
                    "segment.wrap_up_configuration.enable_codes",
                ),
                (
                    "/segment/wrap_up_configuration/allowed_codes/1",
                    "active",
                    "segment.wrap_up_configuration.allowed_codes[1].active",
                ),
                (
                    "/segment/wrap_up_configuration/default_code",
                    "external",
                    "segment.wrap_up_configuration.default_code.external",
                ),
            ],
        );
    }
    for path in [
        "servicenow/segment_create_response.json",
        "servicenow/segment_update_response.json",
    ] {
        check(
            path,
            read::<SegmentChangeResponse>,
            &[
                ("", "success", "success"),
                ("/segment", "segmented", "segment.segmented"),
            ],
        );
    }
    check(
        "servicenow/segment_update_response.json",
        read::<SegmentChangeResponse>,
        &[
            ("/segment/code", "active", "segment.code.active"),
            (
                "/segment",
                "awaiting_confirmation",
                "segment.awaiting_confirmation",
            ),
        ],
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let mut answer: Value =
        serde_json::from_str(&fixture("servicenow/segment_create_response.json")).expect("JSON");
    answer["segment"]["sys_domain"] = json!("global");
    answer["trace_id"] = json!(42);
    assert!(from_json::<SegmentChangeResponse>(&answer.to_string()).is_ok());
    assert!(read::<SegmentChangeResponse>(&answer.to_string()).is_ok());
}

/// An answer that leaves out what the tables give a default: a segment with
/// only its required fields, a code with only its label and sys_id. The widget
/// reads it with the defaults; a required field missing is named.
#[test]
fn answers_read_the_documented_defaults_and_name_a_missing_field() {
    let mut answer = json!({"success": true, "message": "m", "segment_id": "s1", "segment": {
        "agent": "a1", "interaction": "i1", "state": "open", "sys_id": "s1",
        "wrap_up_configuration": {"default_code": {"code": "Billing Issue", "sys_id": "c1"}}}});
    let read_answer = read::<SegmentGetResponse>(&answer.to_string()).expect("minimal answer");
    let segment = read_answer.segment;
    assert!(!segment.external && !segment.segmented);
    assert_eq!(segment.state, SegmentState::Open);
    assert_eq!(
        (segment.code, segment.notes, segment.opened_on),
        (None, None, None)
    );
    let configuration = segment.wrap_up_configuration;
    assert!(!configuration.enable_codes && configuration.allowed_codes.is_empty());
    let code = configuration.default_code.expect("default code");
    assert!(code.active, "a code is active unless it says otherwise");
    assert!(!code.external);
    assert_eq!(
        (code.description, code.translated_code),
        (String::new(), String::new())
    );
    assert_eq!(
        from_json::<SegmentGetResponse>(&answer.to_string()).map(|answer| answer.segment_id),
        Ok("s1".to_owned()),
        "the server's reader agrees"
    );

    answer["segment"]
        .as_object_mut()
        .expect("segment")
        .remove("sys_id");
    let error = read::<SegmentGetResponse>(&answer.to_string()).expect_err("no sys_id");
    assert_eq!(
        (error.path(), error.message()),
        ("segment", "missing field `sys_id`")
    );
}

#[test]
fn dates_in_the_wrong_format_name_the_field() {
    let body = json!({"wrap_up_code": "Billing Issue", "confirmed_on": "2024-09-16T18:52:01Z"});
    let error = from_json::<SegmentUpdateRequest>(&body.to_string()).expect_err("wrong format");
    assert_eq!(error.path(), "confirmed_on");
    assert!(error.message().contains("yyyy-MM-dd HH:mm:ss"), "{error}");
}

#[test]
fn segment_create_required_rules() {
    let base = json!({
        "agent_sys_id": "a", "interaction_sys_id": "i", "external": "true", "segmented": "true",
        "segment_table": "sn_openframe_phone_log", "segment_id": "s", "external_segment_id": "PL_1",
        "configuration": {"enable_codes": true, "allowed_codes": [{"code": "Billing Issue"}],
            "default_code": "Billing Issue", "duration": "30", "show_timer": true},
        "opened_on": "2024-09-16 17:52:01"
    });
    assert_eq!(create_request(base.clone()).validate(), Ok(()));

    // (field, where to break the body, the value that breaks it, a word of the reason)
    let cases = [
        ("agent_sys_id", "/agent_sys_id", json!(""), "required"),
        (
            "configuration",
            "/configuration",
            Value::Null,
            "when external is true",
        ),
        (
            "external_segment_id",
            "/external_segment_id",
            Value::Null,
            "external",
        ),
        (
            "configuration.allowed_codes",
            "/configuration/allowed_codes",
            json!([]),
            "enable_codes",
        ),
        (
            "configuration.default_code",
            "/configuration/default_code",
            Value::Null,
            "enable_codes",
        ),
        ("segment_id", "/segment_id", Value::Null, "segmented"),
        ("segment_table", "/segment_table", json!(""), "segmented"),
        (
            "configuration.show_timer",
            "/configuration/show_timer",
            Value::Null,
            "duration",
        ),
        ("opened_on", "/opened_on", Value::Null, "duration"),
    ];
    for (field, pointer, broken, reason) in cases {
        let mut body = base.clone();
        *body.pointer_mut(pointer).expect("the base body has it") = broken;
        let error = create_request(body).validate().expect_err(field);
        assert_eq!(error.field, field);
        assert!(error.reason.contains(reason), "{error}");
    }

    let internal = json!({"agent_sys_id": "a", "interaction_sys_id": "i", "external": false});
    let error = create_request(internal)
        .validate()
        .expect_err("no configuration sys_id");
    assert_eq!(
        error.to_string(),
        "wrap_up_configuration_sys_id: required when external is false"
    );
}

#[test]
fn code_post_requires_a_translated_description_when_the_code_has_one() {
    let body = json!({"codes": [{"code": "Billing Issue", "description": "A code for billing issues",
        "translations": [{"language": "de", "code": "Abrechnungsproblem"}]}]});
    let request: CodePostRequest = from_json(&body.to_string()).expect("parses");
    let error = request.validate().expect_err("description missing");
    assert_eq!(error.field, "codes[0].translations[0].description");

    let body = json!({"codes": [{"code": "Billing Issue",
        "translations": [{"language": "de", "code": "Abrechnungsproblem"}]}]});
    let request: CodePostRequest = from_json(&body.to_string()).expect("parses");
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn error_body() {
    let error = ServiceNowError::new(
        "Invalid segment",
        Some("No wrap-up segment matches segment_sys_id".into()),
    );
    let written = serde_json::to_value(&error).expect("serializes");
    assert_eq!(
        written,
        json!({"error": {"message": "Invalid segment",
            "detail": "No wrap-up segment matches segment_sys_id"}, "status": "failure"})
    );
    assert_eq!(
        read::<ServiceNowError>(&written.to_string()),
        Ok(error.clone())
    );
    assert_eq!(
        error.to_string(),
        "Invalid segment — No wrap-up segment matches segment_sys_id"
    );

    let without_detail = ServiceNowError::new("User Not Authenticated", None);
    assert_eq!(
        serde_json::to_value(&without_detail).expect("serializes"),
        json!({"error": {"message": "User Not Authenticated", "detail": null}, "status": "failure"})
    );
    let other_status = json!({"error": {"message": "m"}, "status": "success"});
    let error = read::<ServiceNowError>(&other_status.to_string()).expect_err("not failure");
    assert_eq!(error.path(), "status");
}

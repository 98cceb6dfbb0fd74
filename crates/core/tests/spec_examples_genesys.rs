//! The Genesys Context Services Complete Service example
//! (genesys-context-services-complete-service.txt): the documented body parses
//! into the core type and serializes back with the same content; then the
//! length limits and the errors that name the field.
//!
//! The spec's example is not valid JSON: it lacks the comma after
//! `"disposition_desc": "SUCCESS"`. The fixture
//! `genesys/complete_service_request.json` is the example with that one comma
//! added, and nothing else changed.

mod spec_support;

use serde_json::{Value, json};
use wrapup_core::genesys::{
    CompleteServiceRequest, DISPOSITION_DESC_MAX_CHARS, Extension, GenesysValidationError,
    LongOrString, text_length,
};
use wrapup_core::parse::from_json;

use spec_support::{fixture, round_trip};

fn parse(body: Value) -> CompleteServiceRequest {
    from_json(&body.to_string()).expect("parses")
}

/// The spec's example body as it appears after `POST /services/36981723/end`,
/// without its comma after `"SUCCESS"`.
const SPEC_EXAMPLE: &str = r#"{ "timestamp": "2009-05-12T12:05:12.145Z", "interaction_id": "123ABCAADFJ1259ACF", "media_type": 1, "resource_id": 5005, "resource_type": 2, "disposition": 10, "disposition_desc": "SUCCESS" "Feedback": { "FeedbackType":"survey", "rating":7, "notes":"warm welcome at frontdesk, thanks for the nice trip" }, "Satisfaction": [ { "rating":2, "pertinence":8, "usefull":true, "place":"Terranova mexico resort" }, { "rating":8, "pertinence":4, "usefull":false, "place":"Fancy resort Paris" } ] }"#;

#[test]
fn complete_service_request() {
    let path = "genesys/complete_service_request.json";
    assert_eq!(
        fixture(path).trim_end(),
        SPEC_EXAMPLE.replacen(r#""SUCCESS" "Feedback""#, r#""SUCCESS", "Feedback""#, 1),
        "the fixture is the example with the one missing comma added"
    );
    assert!(
        from_json::<CompleteServiceRequest>(SPEC_EXAMPLE).is_err(),
        "as printed, the example is not JSON"
    );
    let request: CompleteServiceRequest = round_trip(path);
    assert_eq!(request.validate(), Ok(()));
    assert_eq!(
        request.timestamp.map(|at| at.to_string()).as_deref(),
        Some("2009-05-12T12:05:12.145Z")
    );
    assert_eq!(
        request.interaction_id.as_deref(),
        Some("123ABCAADFJ1259ACF")
    );
    assert_eq!(request.media_type, Some(LongOrString::Long(1)));
    assert_eq!(request.resource_id, Some(5005));
    assert_eq!(request.disposition, Some(LongOrString::Long(10)));
    assert_eq!(request.disposition_desc.as_deref(), Some("SUCCESS"));
    assert!(matches!(
        request.extensions.get("Feedback"),
        Some(Extension::Single(_))
    ));
    assert!(matches!(
        request.extensions.get("Satisfaction"),
        Some(Extension::Multi(values)) if values.len() == 2
    ));
    assert_eq!(request.extensions.len(), 2);
}

#[test]
fn long_or_string_fields_take_names_too() {
    let body =
        json!({"media_type": "voice", "disposition": "Billing Issue", "application_type": -3});
    let request = parse(body.clone());
    assert_eq!(request.media_type, Some(LongOrString::from("voice")));
    assert_eq!(request.application_type, Some(LongOrString::Long(-3)));
    assert_eq!(serde_json::to_value(&request).expect("serializes"), body);
}

#[test]
fn disposition_desc_limit_is_64_characters() {
    assert_eq!(DISPOSITION_DESC_MAX_CHARS, 64);
    let at_limit = parse(json!({"disposition_desc": "é".repeat(64)}));
    assert_eq!(at_limit.validate(), Ok(()));

    let over = parse(json!({"disposition_desc": "x".repeat(65)}));
    let error = over.validate().expect_err("65 characters");
    assert_eq!(
        error,
        GenesysValidationError {
            field: "disposition_desc",
            length: 65,
            max: 64
        }
    );
    assert_eq!(
        error.to_string(),
        "disposition_desc is 65 characters long, but Genesys allows at most 64"
    );
}

#[test]
fn limits_count_utf16_units_like_a_browser() {
    assert_eq!(text_length("é"), 1);
    assert_eq!(text_length("😀"), 2);
    let emoji = parse(json!({"disposition_desc": "😀".repeat(33)}));
    assert_eq!(emoji.validate().map_err(|e| e.length), Err(66));
}

#[test]
fn session_and_interaction_id_limits() {
    assert_eq!(
        parse(json!({"session_id": "s".repeat(32)})).validate(),
        Ok(())
    );
    let error = parse(json!({"session_id": "s".repeat(33)}))
        .validate()
        .expect_err("33");
    assert_eq!((error.field, error.max), ("session_id", 32));

    assert_eq!(
        parse(json!({"interaction_id": "i".repeat(50)})).validate(),
        Ok(())
    );
    let error = parse(json!({"interaction_id": "i".repeat(51)}))
        .validate()
        .expect_err("51");
    assert_eq!((error.field, error.max), ("interaction_id", 50));
}

#[test]
fn errors_name_the_field() {
    let cases = [
        (json!({"disposition_desc": 5}), "disposition_desc"),
        (json!({"resource_id": "5005"}), "resource_id"),
        (json!({"media_type": 1.5}), "media_type"),
        (json!({"timestamp": "2009-05-12 12:05:12"}), "timestamp"),
        (json!({"Feedback": "good"}), "Feedback"),
        (
            json!({"Satisfaction": [{"rating": 2}, 7]}),
            "Satisfaction[1]",
        ),
    ];
    for (body, path) in cases {
        let error = from_json::<CompleteServiceRequest>(&body.to_string()).expect_err(path);
        assert_eq!(error.path(), path, "{error}");
    }
}

#[test]
fn duplicate_fields_are_refused() {
    let error = from_json::<CompleteServiceRequest>(
        r#"{"disposition": 10, "disposition": "Billing Issue"}"#,
    )
    .expect_err("duplicate");
    assert!(
        error.message().contains("duplicate field `disposition`"),
        "{error}"
    );
}

#[test]
fn null_known_fields_count_as_absent() {
    let request = parse(json!({"session_id": null, "disposition": 10}));
    assert_eq!(request.session_id, None);
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({"disposition": 10})
    );
}

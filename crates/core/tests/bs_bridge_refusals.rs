//! How the `cil` bridge refuses a request it cannot carry out: in words an
//! integrator can act on, starting with the request's name, with the
//! request's `requestId` when it has one.

use serde_json::{Value, json};
use wrapup_core::bs::{
    BridgeProblem, BridgeRequest, RefusedRequest, SPEC_REQUEST_NAMES, WRAPUP_REQUEST_NAMES,
};

fn read(request: &Value) -> Result<BridgeRequest, RefusedRequest> {
    BridgeRequest::read(&request.to_string())
}

#[test]
fn requests_that_are_not_objects_or_not_named_are_refused_in_words() {
    let refused = |request: Value| read(&request).expect_err("refused");
    assert_eq!(
        refused(json!("getChannel")).problem,
        BridgeProblem::NotAnObject
    );
    assert_eq!(refused(json!(null)).problem, BridgeProblem::NotAnObject);
    let unnamed = refused(json!({ "channelId": "voice", "requestId": "r1" }));
    assert_eq!(unnamed.problem, BridgeProblem::Unnamed);
    assert_eq!(unnamed.request_id.as_deref(), Some("r1"));
    assert!(
        unnamed.to_string().contains("setAgentState")
            && unnamed.to_string().contains("extendWrapup"),
        "the message lists the requests: {unnamed}"
    );
    let unknown = refused(json!({ "request": "hangup", "requestId": 9 }));
    assert_eq!(unknown.problem, BridgeProblem::Unknown("hangup".to_owned()));
    assert_eq!(unknown.request_id.as_deref(), Some("9"));
    assert!(
        unknown
            .to_string()
            .starts_with("`hangup` is not a request this widget knows; use one of setAgentState, ")
    );
}

#[test]
fn a_field_of_the_wrong_type_is_named_with_the_request() {
    let refused = read(&json!({ "request": "setAgentState", "channelId": 5, "requestId": "r2" }))
        .expect_err("a number is no channel id");
    assert_eq!(refused.request_id.as_deref(), Some("r2"));
    let BridgeProblem::Unreadable { request, error } = &refused.problem else {
        panic!("{refused:?}");
    };
    assert_eq!(*request, "setAgentState");
    assert_eq!(error.path(), "channelId");
    assert_eq!(
        refused.to_string(),
        "setAgentState: `channelId` must be a string, not a number"
    );
}

#[test]
fn a_field_of_the_wrong_type_is_refused_in_a_sentence_not_in_serde_words() {
    // QA found serde's words reaching integrators ("wrapUpReason.a: invalid
    // type: map, expected a string or a number"), with a path that went on
    // into the wrong value.
    let cases = [
        (
            json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": { "a": 1 } }),
            "setWrapupReason: `wrapUpReason` must be a string or a number, not an object",
        ),
        (
            json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": [1, 2], "wrapUpReason": "A" }),
            "setWrapupReason: `workitemId` must be a string or a number, not an array",
        ),
        (
            json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "1", "updatedData": 5 }),
            "updateWorkitemData: `updatedData` must be an object, not a number",
        ),
        (
            json!({ "request": "getChannel", "channelId": null }),
            "getChannel: `channelId` must be a string, not null",
        ),
        (
            json!({ "request": "setAgentState", "channelId": "voice", "state": true }),
            "setAgentState: `state` must be a string, not a boolean",
        ),
        (
            json!({ "request": "dialOrConsult", "channelId": "voice", "address": "1", "requestId": [] }),
            "dialOrConsult: `requestId` must be a string or a number, not an array",
        ),
    ];
    for (request, message) in cases {
        assert_eq!(
            read(&request).map_err(|refused| refused.to_string()),
            Err(message.to_owned()),
            "{request}"
        );
    }
}

/// A body of `name` with a field of the wrong type, or that breaks a rule;
/// `None` for isSendDtmfEnabled, which takes no fields and so any body.
fn malformed(name: &str) -> Option<Value> {
    let body = match name {
        "setAgentState" => json!({ "channelId": 5 }),
        "directTransfer" => json!({ "channelId": "voice", "address": {} }),
        "singleStepConference" => json!({ "channelId": "voice", "address": [] }),
        "dialOrConsult" => json!({ "channelId": "voice", "address": null }),
        "getReasonCodeList" => json!({ "channelId": "voice", "reasonType": 5 }),
        "getChannel" => json!({ "channelId": false }),
        "sendDtmf" => json!({ "dtmf": {} }),
        "isSendDtmfEnabled" => return None,
        "updateWorkitemData" => {
            json!({ "channelId": "voice", "workitemId": "1", "updatedData": [] })
        }
        "isUpdateWorkitemDataEnabled" => json!({ "channelId": "voice", "workitemId": {} }),
        "setWrapupReason" => {
            json!({ "channelId": "voice", "workitemId": "1", "wrapUpReason": null })
        }
        "getWrapupState" => json!({ "workitemId": null }),
        "submitWrapup" => json!({ "workitemId": [] }),
        "extendWrapup" => json!({ "workitemId": "1", "seconds": "30" }),
        _ => panic!("no malformed body for {name}"),
    };
    let mut body = body;
    body["request"] = json!(name);
    Some(body)
}

#[test]
fn every_refusal_starts_with_the_name_of_the_request() {
    // QA found a refusal without its request's name; so was one with a
    // `requestId` of the wrong type, refused as "a request must be an object".
    for name in SPEC_REQUEST_NAMES.into_iter().chain(WRAPUP_REQUEST_NAMES) {
        let bodies = [
            malformed(name),
            Some(json!({ "request": name, "requestId": { "id": 1 } })),
        ];
        for body in bodies.into_iter().flatten() {
            let Err(refused) = read(&body) else {
                assert_eq!(name, "isSendDtmfEnabled", "{body} was accepted");
                continue;
            };
            let message = refused.to_string();
            assert!(message.starts_with(&format!("{name}: ")), "{message}");
            assert!(!message.contains("invalid type"), "{message}");
        }
    }
}

#[test]
fn a_request_that_is_an_array_is_not_an_object() {
    // Serde reads a struct from an array too: `["getChannel"]` was read as a
    // getChannel whose channelId was `getChannel`.
    for request in [json!(["getChannel"]), json!(["getChannel", "voice"])] {
        assert_eq!(
            read(&request).map_err(|refused| refused.problem),
            Err(BridgeProblem::NotAnObject),
            "{request}"
        );
    }
}

#[test]
fn a_refused_rule_keeps_the_request_id_and_names_the_request() {
    let refused = read(&json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "requestId": "r3" }))
        .expect_err("no reason");
    assert_eq!(refused.request_id.as_deref(), Some("r3"));
    assert_eq!(
        refused.to_string(),
        "setWrapupReason: `wrapUpReason` is required"
    );
}

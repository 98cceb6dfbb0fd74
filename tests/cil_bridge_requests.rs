//! The wasm side of the `cil` bridge (`docs/cil-protocol.md`) in a real
//! browser, requests: exactly one reply each, exactly one `error` event per
//! failure, each request carried out by the Desk or the CTI system. The CTI
//! system is a fake; time is the store's `now`.
#![cfg(target_arch = "wasm32")]

mod cil_support;
mod components_support;

use cil_support::*;
use components_support::*;
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{API_VERSION, CilRequest};
use wrapup_core::desk::{BackendAnswer, Effect, Input};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_request_gets_exactly_one_reply_with_its_id() {
    let (_store, bridge, cti, heard, _) = bridge_in_wrapup();
    request(1, json!({ "request": "isSendDtmfEnabled" }));
    request(
        2,
        json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "1" }),
    );
    request(3, json!({ "request": "getChannel", "channelId": "voice" }));
    request(
        4,
        json!({ "request": "sendDtmf", "dtmf": "12#", "requestId": "d1" }),
    );
    tick().await;
    assert_eq!(
        heard.replies(),
        [
            json!({ "id": 1, "ok": true, "value": false }),
            json!({ "id": 2, "ok": true, "value": true }),
            json!({ "id": 3, "ok": true, "value": { "channel": { "id": "voice_-1", "state": "Ready" } } }),
            json!({ "id": 4, "ok": true }),
        ],
        "the Desk answers the questions at once; the CTI system the rest"
    );
    assert_eq!(cti.sent(), ["getChannel", "sendDtmf"]);
    assert_eq!(heard.cil_events(), Vec::<Value>::new());
    bridge.close();
}

#[wasm_bindgen_test]
async fn an_invalid_request_is_refused_with_one_error_event_carrying_its_request_id() {
    let (_store, bridge, cti, heard, _) = bridge_in_wrapup();
    request(
        7,
        json!({ "request": "setAgentState", "channelId": "voice", "state": "Wrapup", "requestId": "r1" }),
    );
    let message =
        "setAgentState: state `Wrapup` cannot be requested; use Ready, NotReady or Logout";
    assert_eq!(
        heard.replies(),
        [json!({ "id": 7, "ok": false, "error": { "requestId": "r1", "message": message } })]
    );
    assert_eq!(
        heard.cil_events(),
        [
            json!({ "event": "error", "version": API_VERSION, "requestId": "r1", "message": message })
        ]
    );
    request(8, json!({ "request": "hangUp" }));
    let replies = heard.replies();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["error"]["requestId"], "");
    let errors = heard.cil_events();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`hangUp` is not a request this widget knows"),
        "{errors:?}"
    );
    tick().await;
    assert!(
        cti.sent().is_empty(),
        "nothing invalid reaches the CTI system"
    );
    bridge.close();
}

#[wasm_bindgen_test]
async fn a_cti_refusal_is_told_once() {
    let (_store, bridge, _cti, heard, _) = bridge_in_wrapup();
    // Refused by the server, which streams the error event itself.
    request(
        1,
        json!({ "request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "999", "requestId": "s1" }),
    );
    // The server is down: only the bridge can tell.
    request(
        2,
        json!({ "request": "dialOrConsult", "channelId": "voice", "address": "2002", "requestId": "d1" }),
    );
    tick().await;
    let replies = heard.replies();
    assert_eq!(replies.len(), 2);
    assert_eq!(
        replies[0],
        json!({ "id": 1, "ok": false, "error": { "requestId": "s1", "message": "reasonCode: 999 is not a reason code" } })
    );
    assert_eq!(replies[1]["error"]["requestId"], "d1");
    assert_eq!(
        heard.cil_events(),
        [json!({
            "event": "error",
            "version": API_VERSION,
            "requestId": "d1",
            "message": "dialOrConsult: the server could not be reached (Failed to fetch)"
        })],
        "no second error event for the refusal the server streams"
    );
    bridge.close();
}

#[wasm_bindgen_test]
fn set_wrapup_reason_adds_a_custom_reason_selected_and_another_choice_removes_it() {
    let (store, bridge, cti, heard, _) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": "Documentation", "requestId": "w1" }),
    );
    assert_eq!(heard.replies(), [json!({ "id": 1, "ok": true })]);
    let session = |store: DeskStore| {
        store.desk.with_untracked(|desk| {
            let session = desk.session("1").unwrap();
            (
                session.selected_code().map(str::to_owned),
                session.custom_code().map(str::to_owned),
            )
        })
    };
    assert_eq!(
        session(store),
        (
            Some("Documentation".to_owned()),
            Some("Documentation".to_owned())
        ),
        "the custom reason is added, selected"
    );
    let events = heard.cil_events();
    assert_eq!(names(&events), ["callVariableChanged", "wrapupDataChanged"]);
    assert_eq!(events[1]["requestId"], "w1");
    assert_eq!(events[1]["ctiData"]["wrapUpReason"], "Documentation");

    request(
        2,
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": "Sales" }),
    );
    assert_eq!(heard.replies(), [json!({ "id": 2, "ok": true })]);
    assert_eq!(
        names(&heard.cil_events()),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    assert_eq!(
        session(store),
        (Some("Sales".to_owned()), None),
        "choosing another removes the custom reason"
    );
    assert!(cti.sent().is_empty(), "setWrapupReason is the Desk's");

    // Refused by the Desk, which emits the one error event.
    request(
        3,
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "2", "wrapUpReason": "Sales", "requestId": "w3" }),
    );
    let replies = heard.replies();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["ok"], false);
    assert_eq!(replies[0]["error"]["requestId"], "w3");
    let errors = heard.cil_events();
    assert_eq!(names(&errors), ["error"], "{errors:?}");
    assert_eq!(errors[0]["message"], replies[0]["error"]["message"]);
    bridge.close();
}

#[wasm_bindgen_test]
async fn update_workitem_data_changes_the_desk_then_goes_to_the_cti_system() {
    let (store, bridge, cti, heard, _) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "1", "updatedData": { "callVariable2": "42" }, "requestId": "u1" }),
    );
    assert!(heard.replies().is_empty(), "the CTI system answers first");
    tick().await;
    assert_eq!(heard.replies(), [json!({ "id": 1, "ok": true })]);
    assert_eq!(cti.sent(), ["updateWorkitemData"]);
    assert_eq!(names(&heard.cil_events()), ["callVariableChanged"]);
    let variable = store.desk.with_untracked(|desk| {
        desk.workitem("1")
            .and_then(|workitem| workitem.cti_data.as_ref()?.call_variable2.clone())
    });
    assert_eq!(variable.as_deref(), Some("42"));

    // Bug this pins: the CTI system answered an update with its own copy of
    // the call's data, whose older wrap-up reason undid one set in the Desk.
    request(
        2,
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": "Documentation" }),
    );
    request(
        3,
        json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "1", "updatedData": { "callVariable3": "7" } }),
    );
    tick().await;
    assert_eq!(heard.replies().len(), 2);
    heard.cil_events();
    let forwarded = cti.sent.borrow().last().cloned();
    let Some(CilRequest::UpdateWorkitemData(update)) = forwarded else {
        panic!("{forwarded:?}");
    };
    assert_eq!(
        Value::from(wrapup_core::json::Value::Object(update.updated_data)),
        json!({"callVariable3": "7", "wrapUpReason": "Documentation"}),
        "the CTI system learns the Desk's reason with the update"
    );

    // A workitem the Desk does not know: refused there, never sent on.
    request(
        4,
        json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "9", "updatedData": { "callVariable2": "42" } }),
    );
    tick().await;
    assert_eq!(heard.replies()[0]["ok"], false);
    assert_eq!(names(&heard.cil_events()), ["error"]);
    assert_eq!(cti.sent(), ["updateWorkitemData", "updateWorkitemData"]);
    bridge.close();
}

#[wasm_bindgen_test]
fn get_wrapup_state_has_the_shape_of_cil_d_ts() {
    let (_store, bridge, _cti, heard, _) = bridge_in_wrapup();
    request(1, json!({ "request": "getWrapupState", "workitemId": "1" }));
    assert_eq!(
        heard.replies(),
        [json!({
            "id": 1,
            "ok": true,
            "value": {
                "workitemId": "1",
                "inWrapup": true,
                "deadline": "2024-09-16T17:53:01.000Z",
                "selectedCode": "Billing Issue",
                "notes": "",
                "submission": "none"
            }
        })]
    );
    request(
        2,
        json!({ "request": "getWrapupState", "workitemId": "nope" }),
    );
    let replies = heard.replies();
    assert_eq!(replies[0]["ok"], false);
    assert_eq!(replies[0]["error"]["requestId"], "");
    assert_eq!(names(&heard.cil_events()), ["error"]);
    bridge.close();
}

#[wasm_bindgen_test]
fn submit_wrapup_acts_like_the_submit_button() {
    let (store, bridge, _cti, heard, performed) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "submitWrapup", "workitemId": "1", "requestId": "s1" }),
    );
    assert_eq!(heard.replies(), [json!({ "id": 1, "ok": true })]);
    let submitted = performed
        .borrow()
        .iter()
        .filter(
            |effect| matches!(effect, Effect::SubmitWrapup(submission) if !submission.automatic),
        )
        .count();
    assert_eq!(submitted, 1);

    request(
        2,
        json!({ "request": "submitWrapup", "workitemId": "1", "requestId": "s2" }),
    );
    let message = "submitWrapup: the wrap-up was already submitted";
    assert_eq!(
        heard.replies(),
        [json!({ "id": 2, "ok": false, "error": { "requestId": "s2", "message": message } })]
    );
    assert_eq!(
        heard.cil_events(),
        [
            json!({ "event": "error", "version": API_VERSION, "requestId": "s2", "message": message })
        ]
    );
    assert_eq!(
        store.notices.get_untracked().len(),
        1,
        "the agent sees the refusal too, as after a click"
    );
    bridge.close();
}

#[wasm_bindgen_test]
fn extend_wrapup_is_answered_when_the_backend_answers() {
    let (store, bridge, _cti, heard, performed) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "extendWrapup", "workitemId": "1", "seconds": 30, "requestId": "e1" }),
    );
    assert!(heard.replies().is_empty(), "waiting for the backend");
    let requested = performed.borrow().iter().find_map(|effect| match effect {
        Effect::RequestExtension { requested_end, .. } => Some(*requested_end),
        _ => None,
    });
    assert_eq!(requested, Some(at(90)));
    // The runtime dispatches the answer, then tells the bridge.
    let accepted = BackendAnswer::ExtensionAccepted {
        workitem_id: "1".to_owned(),
        new_deadline: at(90),
    };
    store.dispatch(Input::Backend(accepted.clone()));
    bridge.backend_answered(&accepted);
    assert_eq!(heard.replies(), [json!({ "id": 1, "ok": true })]);

    request(
        2,
        json!({ "request": "extendWrapup", "workitemId": "1", "seconds": 30, "requestId": "e2" }),
    );
    let refused = BackendAnswer::ExtensionRefused {
        workitem_id: "1".to_owned(),
        reason: "Tenios says no".to_owned(),
    };
    store.dispatch(Input::Backend(refused.clone()));
    bridge.backend_answered(&refused);
    let message = "extendWrapup: the extension was refused: Tenios says no";
    assert_eq!(
        heard.replies(),
        [json!({ "id": 2, "ok": false, "error": { "requestId": "e2", "message": message } })]
    );
    assert_eq!(
        heard.cil_events(),
        [
            json!({ "event": "error", "version": API_VERSION, "requestId": "e2", "message": message })
        ]
    );

    request(
        3,
        json!({ "request": "extendWrapup", "workitemId": "1", "seconds": 2 }),
    );
    let replies = heard.replies();
    assert_eq!(replies[0]["ok"], false, "too short: refused by validation");
    assert_eq!(heard.cil_events().len(), 1);
    bridge.close();
}

#[wasm_bindgen_test]
async fn a_field_of_the_wrong_type_is_refused_naming_the_request_and_the_field() {
    // QA found serde's words ("invalid type: map, expected a string or a
    // number") reaching integrators.
    let (_store, bridge, cti, heard, _) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "directTransfer", "channelId": "voice", "address": { "number": "2002" }, "requestId": "t1" }),
    );
    let message = "directTransfer: `address` must be a string or a number, not an object";
    assert_eq!(
        heard.replies(),
        [json!({ "id": 1, "ok": false, "error": { "requestId": "t1", "message": message } })]
    );
    assert_eq!(
        heard.cil_events(),
        [
            json!({ "event": "error", "version": API_VERSION, "requestId": "t1", "message": message })
        ]
    );
    tick().await;
    assert!(
        cti.sent().is_empty(),
        "nothing unreadable reaches the CTI system"
    );
    bridge.close();
}

#[wasm_bindgen_test]
fn extend_wrapup_takes_a_fraction_of_a_second_to_the_millisecond() {
    let (_store, bridge, _cti, heard, performed) = bridge_in_wrapup();
    request(
        1,
        json!({ "request": "extendWrapup", "workitemId": "1", "seconds": 30.5, "requestId": "e1" }),
    );
    assert!(
        heard.replies().is_empty(),
        "accepted, waiting for the backend"
    );
    let requested = performed.borrow().iter().find_map(|effect| match effect {
        Effect::RequestExtension { requested_end, .. } => Some(*requested_end),
        _ => None,
    });
    assert_eq!(requested, Some(at_ms(90_500)));
    bridge.close();
}

//! The wasm side of the `cil` bridge (`docs/cil-protocol.md`) in a real
//! browser: requests in, exactly one reply each, exactly one `error` event
//! per failure, CTI events from the host page, replays after a reload kept
//! from integrators. The CTI system is a fake; time is the store's `now`.
#![cfg(target_arch = "wasm32")]

mod components_support;

use std::cell::RefCell;
use std::rc::Rc;

use components_support::*;
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{CilRequest, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{BackendAnswer, Effect, Input};
use wrapup_gadget::runtime::cil_bridge::{
    self, CilBridge, CtiFailure, CtiSender, READY_ATTRIBUTE, READY_EVENT, emit_cil_event,
};
use wrapup_gadget::runtime::events::dispatch_cti_json;
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

type Listener = Closure<dyn FnMut(web_sys::Event)>;

/// The DOM events the bridge dispatched while a test ran, as JSON.
struct Heard {
    events: Rc<RefCell<Vec<(String, Value)>>>,
    listeners: Vec<(&'static str, Listener)>,
}

impl Heard {
    fn start() -> Self {
        let events = Rc::new(RefCell::new(Vec::new()));
        let window = web_sys::window().unwrap();
        let listeners = ["wrapup:cil", "wrapup:cil-reply", READY_EVENT]
            .into_iter()
            .map(|name| {
                let events = Rc::clone(&events);
                let listener =
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                        let detail = event.unchecked_into::<web_sys::CustomEvent>().detail();
                        let json = js_sys::JSON::stringify(&detail)
                            .ok()
                            .and_then(|json| json.as_string())
                            .map_or(Value::Null, |json| serde_json::from_str(&json).unwrap());
                        events.borrow_mut().push((name.to_owned(), json));
                    });
                window
                    .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                    .unwrap();
                (name, listener)
            })
            .collect();
        Self { events, listeners }
    }

    /// The details of the events named `name`, and forgets them.
    fn take(&self, name: &str) -> Vec<Value> {
        let mut events = self.events.borrow_mut();
        let (taken, kept) = std::mem::take(&mut *events)
            .into_iter()
            .partition(|(event, _)| event == name);
        *events = kept;
        taken.into_iter().map(|(_, detail)| detail).collect()
    }

    fn replies(&self) -> Vec<Value> {
        self.take("wrapup:cil-reply")
    }

    fn cil_events(&self) -> Vec<Value> {
        self.take("wrapup:cil")
    }
}

impl Drop for Heard {
    fn drop(&mut self) {
        let window = web_sys::window().unwrap();
        for (name, listener) in &self.listeners {
            let _ =
                window.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
    }
}

/// A CTI system that records what it is sent and answers as the reference
/// server does: a setAgentState with reason code `999` is refused (400, and
/// the server streams the error), `dialOrConsult` finds the server down.
#[derive(Clone, Default)]
struct FakeCti {
    sent: Rc<RefCell<Vec<CilRequest>>>,
}

impl FakeCti {
    fn sender(&self) -> CtiSender {
        let sent = Rc::clone(&self.sent);
        Rc::new(move |request: CilRequest| {
            sent.borrow_mut().push(request.clone());
            Box::pin(async move {
                match &request {
                    CilRequest::GetChannel(_) => Ok(Some(
                        json!({ "channel": { "id": "voice_-1", "state": "Ready" } }),
                    )),
                    CilRequest::SetAgentState(set) if set.reason_code.as_deref() == Some("999") => {
                        Err(CtiFailure {
                            message: "reasonCode: 999 is not a reason code".to_owned(),
                            streamed: true,
                        })
                    }
                    CilRequest::DialOrConsult(_) => Err(CtiFailure {
                        message: "dialOrConsult: the server could not be reached (Failed to fetch)"
                            .to_owned(),
                        streamed: false,
                    }),
                    _ => Ok(None),
                }
            })
        })
    }

    fn sent(&self) -> Vec<&'static str> {
        self.sent.borrow().iter().map(CilRequest::name).collect()
    }
}

/// The runtime's handling of effects, as far as integrators see it: `cil`
/// events go out as DOM events; every effect is recorded.
fn emit_effects(store: DeskStore) -> Rc<RefCell<Vec<Effect>>> {
    // The bridge spawns its CTI requests on Leptos' executor, which a mount
    // sets up (the app's own mount, in the widget).
    let container: web_sys::HtmlElement = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap()
        .unchecked_into();
    std::mem::forget(leptos::mount::mount_to(container, || ()));
    let performed = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&performed);
    store.set_effect_handler(move |effects| {
        for effect in effects {
            if let Effect::Emit(event) = &effect {
                emit_cil_event(event);
            }
            record.borrow_mut().push(effect);
        }
    });
    performed
}

/// Sends request `request` with `id` as `cil.js` does.
fn request(id: u32, request: Value) {
    let detail = js_sys::JSON::parse(&json!({ "id": id, "request": request }).to_string()).unwrap();
    dispatch("wrapup:cil-request", &detail);
}

fn dispatch(name: &str, detail: &wasm_bindgen::JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    let event = web_sys::CustomEvent::new_with_event_init_dict(name, &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

/// A b+s event as the JSON text the SSE stream and `wrapup:cti-event` carry.
fn event_json(kind: WorkitemEventKind, id: &str, state: WorkitemState) -> String {
    serde_json::to_string(&kind.event(workitem(id, state))).unwrap()
}

fn names(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["event"].as_str().unwrap_or_default())
        .collect()
}

/// A store with workitem `1` in wrap-up (60 s from `at(0)`), its effects
/// emitted from now on, a bridge with a fake CTI system, and a recorder.
fn bridge_in_wrapup() -> (
    DeskStore,
    CilBridge,
    FakeCti,
    Heard,
    Rc<RefCell<Vec<Effect>>>,
) {
    let store = store_in_wrapup("1", configuration(Some(60)));
    let performed = emit_effects(store);
    let cti = FakeCti::default();
    let heard = Heard::start();
    let bridge = CilBridge::install(store, cti.sender());
    heard.take(READY_EVENT);
    (store, bridge, cti, heard, performed)
}

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
        [json!({ "event": "error", "requestId": "r1", "message": message })]
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
        update.updated_data,
        [
            ("callVariable3".to_owned(), json!("7")),
            ("wrapUpReason".to_owned(), json!("Documentation")),
        ]
        .into(),
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
        [json!({ "event": "error", "requestId": "s2", "message": message })]
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
        [json!({ "event": "error", "requestId": "e2", "message": message })]
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
fn a_cti_event_from_the_host_drives_the_desk_once() {
    let store = DeskStore::new(at(0));
    emit_effects(store);
    let heard = Heard::start();
    let bridge = CilBridge::install(store, FakeCti::default().sender());
    let create = event_json(WorkitemEventKind::Create, "h1", WorkitemState::Offered);
    dispatch("wrapup:cti-event", &create.as_str().into());
    assert!(
        store
            .desk
            .with_untracked(|desk| desk.workitem("h1").is_some())
    );
    assert_eq!(names(&heard.cil_events()), ["workitemCreate"]);
    // A duplicate emits nothing.
    dispatch("wrapup:cti-event", &create.as_str().into());
    assert_eq!(heard.cil_events(), Vec::<Value>::new());
    bridge.close();
}

#[wasm_bindgen_test]
fn a_malformed_cti_event_becomes_an_error_event_a_person_can_read() {
    let store = DeskStore::new(at(0));
    emit_effects(store);
    let heard = Heard::start();
    let bridge = CilBridge::install(store, FakeCti::default().sender());
    dispatch(
        "wrapup:cti-event",
        &r#"{"event": "workitemTeleport", "id": "1"}"#.into(),
    );
    let errors = heard.cil_events();
    assert_eq!(names(&errors), ["error"]);
    assert_eq!(errors[0]["requestId"], "");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "a CTI event from the host page was ignored: it could not be read as a b+s event"
        ) && message.contains("workitemTeleport"),
        "{message}"
    );
    let object = js_sys::JSON::parse(r#"{"event": "workitemCreate"}"#).unwrap();
    dispatch("wrapup:cti-event", &object);
    let errors = heard.cil_events();
    assert_eq!(
        errors[0]["message"],
        "a CTI event from the host page was ignored: `detail` must be a b+s event as JSON text, but it was of type object"
    );
    assert_eq!(
        store.desk.with_untracked(|desk| desk.workitems().count()),
        0
    );
    bridge.close();
}

// Bug this pins: after a reload the stream replays the events of live
// workitems into the fresh Desk, and integrators got every callback twice.
#[wasm_bindgen_test]
fn replayed_events_change_the_desk_but_reach_integrators_only_live() {
    let store = DeskStore::new(at(0));
    let performed = emit_effects(store);
    let heard = Heard::start();
    for (kind, state) in [
        (WorkitemEventKind::Create, WorkitemState::Offered),
        (WorkitemEventKind::Connect, WorkitemState::Active),
    ] {
        dispatch_cti_json(store, &event_json(kind, "r1", state), true).unwrap();
    }
    assert!(
        store
            .desk
            .with_untracked(|desk| desk.workitem("r1").is_some())
    );
    assert_eq!(
        heard.cil_events(),
        Vec::<Value>::new(),
        "heard before the reload"
    );
    assert!(
        performed
            .borrow()
            .iter()
            .any(|effect| matches!(effect, Effect::CreateInteraction { .. })),
        "the other effects of a replay are performed"
    );
    let wrapup = event_json(WorkitemEventKind::Wrapup, "r1", WorkitemState::Wrapup);
    assert_eq!(
        dispatch_cti_json(store, &wrapup, false).unwrap().as_deref(),
        Some("r1")
    );
    assert_eq!(
        names(&heard.cil_events()),
        ["workitemWrapup"],
        "a live event is emitted"
    );
    // Emitting is muted only while a replay is applied.
    cil_bridge::replaying(|| ());
    emit_cil_event(&wrapup_core::bs::CilEvent::error(None, "live"));
    assert_eq!(heard.cil_events().len(), 1);
}

#[wasm_bindgen_test]
fn the_bridge_says_it_is_ready_and_stops_listening_when_closed() {
    let heard = Heard::start();
    let store = DeskStore::new(at(0));
    let bridge = CilBridge::install(store, FakeCti::default().sender());
    assert_eq!(heard.take(READY_EVENT).len(), 1);
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute(READY_ATTRIBUTE).as_deref(), Some("true"));
    bridge.close();
    assert_eq!(root.get_attribute(READY_ATTRIBUTE), None);
    request(1, json!({ "request": "isSendDtmfEnabled" }));
    assert!(
        heard.replies().is_empty(),
        "a closed bridge answers nothing"
    );
}

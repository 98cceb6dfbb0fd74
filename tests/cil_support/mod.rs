//! Helpers of the `cil` bridge's browser tests: what the bridge dispatched
//! on `window`, a fake CTI system, and a bridge over a store in wrap-up.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wrapup_core::bs::{CilRequest, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::Effect;
use wrapup_gadget::runtime::cil_bridge::{
    CilBridge, CtiFailure, CtiSender, READY_EVENT, emit_cil_event,
};
use wrapup_gadget::store::DeskStore;

use crate::components_support::*;

pub type Listener = Closure<dyn FnMut(web_sys::Event)>;

/// The DOM events the bridge dispatched while a test ran, as JSON.
pub struct Heard {
    pub events: Rc<RefCell<Vec<(String, Value)>>>,
    listeners: Vec<(&'static str, Listener)>,
}

impl Heard {
    pub fn start() -> Self {
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
    pub fn take(&self, name: &str) -> Vec<Value> {
        let mut events = self.events.borrow_mut();
        let (taken, kept) = std::mem::take(&mut *events)
            .into_iter()
            .partition(|(event, _)| event == name);
        *events = kept;
        taken.into_iter().map(|(_, detail)| detail).collect()
    }

    pub fn replies(&self) -> Vec<Value> {
        self.take("wrapup:cil-reply")
    }

    pub fn cil_events(&self) -> Vec<Value> {
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
pub struct FakeCti {
    pub sent: Rc<RefCell<Vec<CilRequest>>>,
}

impl FakeCti {
    pub fn sender(&self) -> CtiSender {
        let sent = Rc::clone(&self.sent);
        Rc::new(move |request: CilRequest| {
            sent.borrow_mut().push(request.clone());
            Box::pin(async move {
                match &request {
                    CilRequest::GetChannel(_) => Ok(Some(
                        json!({ "channel": { "id": "voice_-1", "state": "Ready" } }).into(),
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

    pub fn sent(&self) -> Vec<&'static str> {
        self.sent.borrow().iter().map(CilRequest::name).collect()
    }
}

/// The runtime's handling of effects, as far as integrators see it: `cil`
/// events go out as DOM events; every effect is recorded.
pub fn emit_effects(store: DeskStore) -> Rc<RefCell<Vec<Effect>>> {
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
                emit_cil_event(event.clone());
            }
            record.borrow_mut().push(effect);
        }
    });
    performed
}

/// Sends request `request` with `id` as `cil.js` does.
pub fn request(id: u32, request: Value) {
    let detail = js_sys::JSON::parse(&json!({ "id": id, "request": request }).to_string()).unwrap();
    dispatch("wrapup:cil-request", &detail);
}

pub fn dispatch(name: &str, detail: &wasm_bindgen::JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    let event = web_sys::CustomEvent::new_with_event_init_dict(name, &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
}

/// A b+s event as the JSON text the SSE stream and `wrapup:cti-event` carry.
pub fn event_json(kind: WorkitemEventKind, id: &str, state: WorkitemState) -> String {
    serde_json::to_string(&kind.event(workitem(id, state))).unwrap()
}

pub fn names(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|event| event["event"].as_str().unwrap_or_default())
        .collect()
}

/// A store with workitem `1` in wrap-up (60 s from `at(0)`), its effects
/// emitted from now on, a bridge with a fake CTI system, and a recorder.
pub fn bridge_in_wrapup() -> (
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

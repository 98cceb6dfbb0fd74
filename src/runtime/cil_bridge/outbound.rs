//! What the bridge sends to JavaScript: replies to requests and `cil`
//! events, as `CustomEvent`s on `window`, and the switch that keeps `cil`
//! events silent while a replayed CTI event is applied.

use std::cell::Cell;

use wasm_bindgen::JsValue;
use wrapup_core::bs::CilEvent;
use wrapup_core::json;

use super::REPLY_EVENT;
use crate::runtime::CIL_EVENT;

/// Why a request failed, and whether its `error` event was emitted already.
pub(super) struct Failure {
    pub(super) request_id: Option<String>,
    pub(super) message: String,
    pub(super) emitted: bool,
}

impl Failure {
    /// A failure nobody has told integrators of yet.
    pub(super) fn new(request_id: Option<&str>, message: String) -> Self {
        Self {
            request_id: request_id.map(str::to_owned),
            message,
            emitted: false,
        }
    }
}

/// JSON text as a JS value (`null` if it is not JSON, which serde's never is).
pub(super) fn json_to_js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}

/// Answers request `id` with `outcome`: the one `wrapup:cil-reply`, and for
/// a failure nobody has told integrators of, its one `error` event.
pub(super) fn reply(id: &JsValue, outcome: Result<JsValue, Failure>) {
    let detail = js_sys::Object::new();
    let set = |object: &js_sys::Object, key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(object, &key.into(), value);
    };
    set(&detail, "id", id);
    set(&detail, "ok", &outcome.is_ok().into());
    match outcome {
        Ok(value) => set(&detail, "value", &value),
        Err(failure) => {
            if !failure.emitted {
                emit_cil_event(CilEvent::error(
                    failure.request_id.as_deref(),
                    failure.message.clone(),
                ));
            }
            let error = js_sys::Object::new();
            let request_id = failure.request_id.unwrap_or_default();
            set(&error, "requestId", &request_id.into());
            set(&error, "message", &failure.message.into());
            set(&detail, "error", &error);
        }
    }
    dispatch_on_window(REPLY_EVENT, Some(&detail));
}

thread_local! {
    /// Set while an event integrators heard of before a reload is replayed.
    static REPLAYING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `dispatch` (which applies a replayed CTI event) with [`emit_cil_event`]
/// silent: integrators heard of the event's `cil` events before the reload.
/// The Desk's other effects are performed as usual.
pub fn replaying<R>(dispatch: impl FnOnce() -> R) -> R {
    /// Unmutes even if `dispatch` panics.
    struct Unmute;
    impl Drop for Unmute {
        fn drop(&mut self) {
            REPLAYING.with(|replaying| replaying.set(false));
        }
    }
    REPLAYING.with(|replaying| replaying.set(true));
    let _unmute = Unmute;
    dispatch()
}

/// Dispatches `event` on `window` as a `wrapup:cil` `CustomEvent` whose
/// `detail` is the b+s event object; `public/cil.js` hands it to the
/// `cil.onX` callbacks. Every event says its `version`: the one a CTI
/// system gave it, else the API version the widget speaks
/// ([`CilEvent::versioned`]). Silent while a replayed event is applied ([`replaying`]).
pub fn emit_cil_event(event: CilEvent) {
    if REPLAYING.with(Cell::get) {
        return;
    }
    let event = event.versioned();
    let detail = json_to_js(&json::write::to_string(&event));
    dispatch_on_window(CIL_EVENT, Some(&detail));
}

/// Dispatches a `CustomEvent` named `name` with `detail` on `window`.
pub(super) fn dispatch_on_window(name: &str, detail: Option<&JsValue>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    if let Some(detail) = detail {
        init.set_detail(detail);
    }
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

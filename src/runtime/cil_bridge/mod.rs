//! The wasm side of the `cil` bridge (`docs/cil-protocol.md`): integrator
//! requests and the host page's CTI events in, replies and `cil` events out,
//! all as DOM events on `window`. `public/cil.js` builds the `cil` object of
//! the b+s Connects Integration API on top of them.
//!
//! - `wrapup:cil-request` (`{id, request}`): the request is read and
//!   validated by the core ([`BridgeRequest::read`]), then carried out by the
//!   Desk (`setWrapupReason`, `updateWorkitemData`, the `is…Enabled`
//!   questions, `getWrapupState`, `submitWrapup`, `extendWrapup`) or by the
//!   CTI system (the rest, and `updateWorkitemData` after the Desk; a
//!   `getChannel` answer gets the wrap-up reasons only the Desk knows).
//!   Every request gets exactly one `wrapup:cil-reply` with its `id`. A page
//!   that is not the agent's live one refuses them all ([`refuse_requests`]);
//!   one that another page takes over answers those under way
//!   ([`CilBridge::hand_over`]).
//! - A failed request also yields exactly one `error` event on `wrapup:cil`:
//!   the one the Desk emits for a refused data change, or the one the CTI
//!   system streams for a request it refuses (the simulator answers those
//!   400 and streams the event), or else the one this module emits.
//! - `wrapup:cti-event` (a b+s event as JSON text): read and dispatched like
//!   an event of the SSE stream ([`events::dispatch_cti_json`]).
//! - `wrapup:storage-kept` ([`STORAGE_KEPT_EVENT`]): a page connected late
//!   to a frame whose storage the browser blocks keeps it from now on.
//! - `wrapup:ready` once the listeners are installed, and
//!   `<html data-wrapup-ready="true">` for scripts that load later.
//!
//! The listeners hold the bridge weakly and [`CilBridge::close`] removes
//! them; the runtime closes the bridge when its owner is cleaned up.
//! `cti.rs` sends requests to the CTI system; `outbound.rs` dispatches the
//! replies and `cil` events (silent for replays).

mod cti;
mod outbound;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wrapup_core::bs::{BridgeRequest, CilEvent, CilRequest, WrapupRequest, WrapupState};
use wrapup_core::desk::{AgentAction, BackendAnswer, Input, IntegratorRequest, Refusal};
use wrapup_core::json::{self, Value};

use super::events::{self, Arrival};
use super::storage::STORAGE_KEPT_EVENT;
use super::warn;
use crate::store::DeskStore;
use outbound::{Failure, dispatch_on_window, json_to_js, reply};

pub use cti::{CtiFailure, CtiSender, cti_sender};
pub use outbound::{emit_cil_event, replaying};

/// Integrators' requests, JS → wasm: `{id, request}`.
pub const REQUEST_EVENT: &str = "wrapup:cil-request";
/// The answer to each request, wasm → JS: `{id, ok, value | error}`.
pub const REPLY_EVENT: &str = "wrapup:cil-reply";
/// A CTI event from the host page, JS → wasm: the b+s event as JSON text.
pub const CTI_EVENT: &str = "wrapup:cti-event";
/// Dispatched once the bridge listens.
pub const READY_EVENT: &str = "wrapup:ready";
/// The attribute of `<html>` saying the bridge listens (`dataset.wrapupReady`).
pub const READY_ATTRIBUTE: &str = "data-wrapup-ready";

/// An `extendWrapup` the Desk passed on, answered when the backend is.
struct PendingExtension {
    workitem_id: String,
    reply_id: JsValue,
    request_id: Option<String>,
}

type Listener = Closure<dyn FnMut(web_sys::Event)>;
type Handler = fn(&CilBridge, &web_sys::Event);

struct Bridge {
    store: DeskStore,
    cti: CtiSender,
    closed: Cell<bool>,
    /// Why the bridge closed, when another page of the agent took over: the
    /// requests under way are answered with it ([`CilBridge::hand_over`]).
    handed_over: Cell<Option<&'static str>>,
    pending_extensions: RefCell<Vec<PendingExtension>>,
    listeners: RefCell<Vec<(&'static str, Listener)>>,
}

/// The installed bridge; cheap to clone.
#[derive(Clone)]
pub struct CilBridge {
    inner: Rc<Bridge>,
}

impl std::fmt::Debug for CilBridge {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CilBridge")
            .field("closed", &self.inner.closed.get())
            .finish_non_exhaustive()
    }
}

impl CilBridge {
    /// Listens on `window` for requests and CTI events for `store`, sends
    /// CTI requests through `cti`, then says it is ready.
    pub fn install(store: DeskStore, cti: CtiSender) -> Self {
        let bridge = Self {
            inner: Rc::new(Bridge {
                store,
                cti,
                closed: Cell::new(false),
                handed_over: Cell::new(None),
                pending_extensions: RefCell::new(Vec::new()),
                listeners: RefCell::new(Vec::new()),
            }),
        };
        let Some(window) = web_sys::window() else {
            return bridge;
        };
        let handlers: [(&'static str, Handler); 3] = [
            (REQUEST_EVENT, Self::on_request),
            (CTI_EVENT, Self::on_cti_event),
            (STORAGE_KEPT_EVENT, |bridge, _| {
                bridge.inner.store.storage_kept.set(true)
            }),
        ];
        for (name, handler) in handlers {
            let weak: Weak<Bridge> = Rc::downgrade(&bridge.inner);
            let listener = Listener::new(move |event: web_sys::Event| {
                if let Some(inner) = weak.upgrade() {
                    handler(&Self { inner }, &event);
                }
            });
            if window
                .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .is_ok()
            {
                bridge.inner.listeners.borrow_mut().push((name, listener));
            }
        }
        say_ready(&window);
        bridge
    }

    /// Stops listening; requests under way are not answered any more (but
    /// see [`Self::hand_over`]).
    pub fn close(&self) {
        self.inner.closed.set(true);
        self.inner.pending_extensions.borrow_mut().clear();
        let listeners = std::mem::take(&mut *self.inner.listeners.borrow_mut());
        let Some(window) = web_sys::window() else {
            return;
        };
        for (name, listener) in &listeners {
            let _ =
                window.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
        if let Some(root) = window.document().and_then(|d| d.document_element()) {
            let _ = root.remove_attribute(READY_ATTRIBUTE);
        }
    }

    /// Another page of the agent took over (`runtime::agent_lock`): the
    /// requests under way are answered with `message`, not left waiting, and
    /// the bridge closes. A request the CTI system answers after this gets
    /// its real answer if it succeeded, else `message`: the request was cut
    /// short here, and whether it was carried out is not known.
    pub fn hand_over(&self, message: &'static str) {
        self.inner.handed_over.set(Some(message));
        let waiting = std::mem::take(&mut *self.inner.pending_extensions.borrow_mut());
        for extension in waiting {
            let failure = Failure::new(
                extension.request_id.as_deref(),
                format!("extendWrapup: {message}"),
            );
            reply(&extension.reply_id, Err(failure));
        }
        self.close();
    }

    /// The backend answered an effect: an `extendWrapup` waiting for it is
    /// answered now. The runtime calls this for every answer it dispatches.
    pub fn backend_answered(&self, answer: &BackendAnswer) {
        let outcome = match answer {
            BackendAnswer::ExtensionAccepted { .. } => Ok(JsValue::UNDEFINED),
            BackendAnswer::ExtensionRefused { reason, .. } => {
                Err(Refusal::ExtensionRefused(reason.clone()))
            }
            _ => return,
        };
        let workitem_id = answer.workitem_id();
        let answered: Vec<PendingExtension> = {
            let mut pending = self.inner.pending_extensions.borrow_mut();
            let (answered, waiting) = std::mem::take(&mut *pending)
                .into_iter()
                .partition(|extension| extension.workitem_id == workitem_id);
            *pending = waiting;
            answered
        };
        for extension in answered {
            let outcome = outcome.clone().map_err(|refusal| {
                Failure::new(
                    extension.request_id.as_deref(),
                    format!("extendWrapup: {refusal}"),
                )
            });
            reply(&extension.reply_id, outcome);
        }
    }

    fn on_request(&self, event: &web_sys::Event) {
        let (id, json) = request_of(event);
        match BridgeRequest::read(&json) {
            Ok(BridgeRequest::Spec(request)) => self.carry_out_spec(id, request),
            Ok(BridgeRequest::Wrapup(request)) => self.carry_out_wrapup(id, request),
            Err(refused) => reply(
                &id,
                Err(Failure::new(
                    refused.request_id.as_deref(),
                    refused.to_string(),
                )),
            ),
        }
    }

    /// A spec request: the Desk answers what it knows, the CTI system the rest.
    fn carry_out_spec(&self, id: JsValue, request: CilRequest) {
        let desk = self.inner.store.desk;
        let answer = match request {
            CilRequest::IsSendDtmfEnabled => {
                desk.with_untracked(|desk| desk.is_send_dtmf_enabled())
            }
            CilRequest::IsUpdateWorkitemDataEnabled(question) => desk.with_untracked(|desk| {
                desk.is_update_workitem_data_enabled(&question.channel_id, &question.workitem_id)
            }),
            other => match IntegratorRequest::try_from(other) {
                Ok(change) => return self.change_data(id, change),
                Err(other) => return self.forward(id, other),
            },
        };
        reply(&id, Ok(JsValue::from_bool(answer)));
    }

    /// `setWrapupReason` and `updateWorkitemData`: the Desk changes the
    /// call's data (and emits the `error` event of a change it refuses);
    /// `updateWorkitemData` then goes on to the CTI system, which keeps the
    /// call's data too.
    fn change_data(&self, id: JsValue, change: IntegratorRequest) {
        let store = self.inner.store;
        let request = change.to_cil();
        let report = store.dispatch_and_report(Input::Integrator(change));
        if let Some(message) = report.errors.into_iter().next() {
            let failure = Failure {
                request_id: request.request_id().map(str::to_owned),
                message,
                emitted: true,
            };
            return reply(&id, Err(failure));
        }
        let CilRequest::UpdateWorkitemData(mut update) = request else {
            return reply(&id, Ok(JsValue::UNDEFINED));
        };
        // The CTI system answers with `callVariableChanged` carrying its copy
        // of the call's data, whose wrap-up reason the Desk takes for news.
        // The Desk alone knows a reason set by `setWrapupReason` or picked by
        // the agent: sent along, the CTI system's copy stays the same as the
        // Desk's, and its answer changes nothing.
        let reason = store.desk.with_untracked(|desk| {
            desk.workitem(&update.workitem_id)
                .and_then(|workitem| workitem.wrap_up_reason().map(str::to_owned))
        });
        if let Some(reason) = reason {
            update
                .updated_data
                .get_or_insert_with("wrapUpReason".to_owned(), || Value::String(reason));
        }
        self.forward(id, CilRequest::UpdateWorkitemData(update));
    }

    /// Sends `request` to the CTI system and answers with its outcome.
    ///
    /// What the answer needs of the request is taken before it goes: the
    /// request itself is sent, not a copy (no clone of every request type
    /// in the wasm).
    fn forward(&self, id: JsValue, request: CilRequest) {
        let this = self.clone();
        let name = request.name();
        let request_id = request.request_id().map(str::to_owned);
        let sets_agent_state = matches!(request, CilRequest::SetAgentState(_));
        let has_result = matches!(
            request,
            CilRequest::GetReasonCodeList(_) | CilRequest::GetChannel(_)
        );
        leptos::task::spawn_local(async move {
            let answer = (this.inner.cti)(request).await;
            let answer = match (this.inner.closed.get(), this.inner.handed_over.get()) {
                (false, _) => answer,
                (true, None) => return,
                // The event stream that would bring a refusal's `error`
                // event is closed: the bridge emits it.
                (true, Some(message)) => answer.map_err(|failure| CtiFailure {
                    message: if failure.streamed {
                        failure.message
                    } else {
                        format!("{name}: {message}")
                    },
                    streamed: false,
                }),
            };
            if answer.is_ok() && sets_agent_state {
                // Another change of the agent's state was accepted: the
                // header's refusal of the last one no longer holds.
                this.inner.store.state_refusal_over();
            }
            let outcome = match answer {
                Ok(Some(mut result)) if has_result => {
                    this.add_wrap_up_reasons(&mut result);
                    Ok(json_to_js(&result.to_string()))
                }
                Ok(None) if has_result => Ok(JsValue::NULL),
                Ok(_) => Ok(JsValue::UNDEFINED),
                Err(failure) => Err(Failure {
                    request_id,
                    message: failure.message,
                    emitted: failure.streamed,
                }),
            };
            reply(&id, outcome);
        });
    }

    /// Into the workitems of a `getChannel` answer, the wrap-up reason the
    /// Desk knows: one the agent picked (or an integrator set) is the
    /// Desk's, and the CTI system's copy of the call data lacks it.
    fn add_wrap_up_reasons(&self, result: &mut Value) {
        let Some(workitems) = result
            .get_mut("channel")
            .and_then(|channel| channel.get_mut("workitems"))
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        let desk = self.inner.store.desk;
        for workitem in workitems {
            let reason = workitem.get("id").and_then(Value::as_str).and_then(|id| {
                desk.with_untracked(|desk| desk.workitem(id)?.wrap_up_reason().map(str::to_owned))
            });
            let Some(reason) = reason else {
                continue;
            };
            let cti_data = workitem.as_object_mut().map(|workitem| {
                workitem
                    .get_or_insert_with("ctiData".to_owned(), || Value::Object(Default::default()))
            });
            if let Some(cti_data) = cti_data.and_then(Value::as_object_mut) {
                cti_data.insert("wrapUpReason".to_owned(), Value::String(reason));
            }
        }
    }

    /// One of the widget's own requests, carried out by the Desk.
    fn carry_out_wrapup(&self, id: JsValue, request: WrapupRequest) {
        let store = self.inner.store;
        let request_id = request.request_id().map(str::to_owned);
        let workitem_id = request.workitem_id().to_owned();
        let action = match &request {
            WrapupRequest::GetWrapupState(_) => {
                let state = store
                    .desk
                    .with_untracked(|desk| WrapupState::of(desk, &workitem_id));
                let outcome = state
                    .map(|state| json_to_js(&json::write::to_string(&state)))
                    .ok_or_else(|| {
                        Failure::new(
                            None,
                            format!(
                                "getWrapupState: there is no workitem `{workitem_id}` here: \
                                 it is unknown, or its wrap-up is over"
                            ),
                        )
                    });
                return reply(&id, outcome);
            }
            WrapupRequest::SubmitWrapup(_) => AgentAction::Submit {
                workitem_id: workitem_id.clone(),
            },
            WrapupRequest::ExtendWrapup(extend) => AgentAction::Extend {
                workitem_id: workitem_id.clone(),
                // Validation has checked that `seconds` is a number.
                by: extend.amount().unwrap_or_default(),
            },
        };
        let report = store.dispatch_and_report(Input::Agent(action));
        // The action's refusal, if any, is the last about its workitem; cut
        // notes are news for the agent, not a refusal of the action.
        let refusal = report.refusals.into_iter().rev().find(|notice| {
            notice.workitem_id == workitem_id
                && !matches!(notice.reason, Refusal::NotesTruncated { .. })
        });
        if let Some(notice) = refusal {
            let message = format!("{}: {}", request.name(), notice.reason);
            return reply(&id, Err(Failure::new(request_id.as_deref(), message)));
        }
        match request {
            // The Desk has asked the backend; the answer decides.
            WrapupRequest::ExtendWrapup(_) => {
                self.inner
                    .pending_extensions
                    .borrow_mut()
                    .push(PendingExtension {
                        workitem_id,
                        reply_id: id,
                        request_id,
                    })
            }
            // The submission is in the outbox, which delivers it.
            _ => reply(&id, Ok(JsValue::UNDEFINED)),
        }
    }

    fn on_cti_event(&self, event: &web_sys::Event) {
        let detail = detail_of(event);
        let problem = match detail.as_string() {
            None => format!(
                "a CTI event from the host page was ignored: `detail` must be a b+s event as \
                 JSON text, but it was of type {}",
                detail.js_typeof().as_string().unwrap_or_default()
            ),
            Some(json) => match events::dispatch_cti_json(self.inner.store, &json, Arrival::Live) {
                Ok(_) => return,
                Err(error) => format!(
                    "a CTI event from the host page was ignored: it could not be read as a \
                     b+s event ({error})"
                ),
            },
        };
        warn(&problem);
        emit_cil_event(CilEvent::error(None, problem));
    }
}

/// The `detail` of a `CustomEvent`, or `undefined`.
fn detail_of(event: &web_sys::Event) -> JsValue {
    event
        .dyn_ref::<web_sys::CustomEvent>()
        .map_or(JsValue::UNDEFINED, web_sys::CustomEvent::detail)
}

/// Answers every request of the page with the failure `message`, as a page
/// that is not live for the agent does (`runtime::agent_lock`): nothing here
/// carries requests out, and integrators are told so, not left waiting.
pub fn refuse_requests(message: &'static str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let refuse = Listener::new(move |event: web_sys::Event| {
        let (id, json) = request_of(&event);
        let request_id = match BridgeRequest::read(&json) {
            Ok(request) => request.request_id().map(str::to_owned),
            Err(refused) => refused.request_id,
        };
        reply(
            &id,
            Err(Failure::new(request_id.as_deref(), message.to_owned())),
        );
    });
    // For as long as the page lasts: it is never live without a reload.
    let _ = window
        .add_event_listener_with_callback(REQUEST_EVENT, refuse.into_js_value().unchecked_ref());
    say_ready(&window);
}

/// The reply id and the request, as JSON text, of a `wrapup:cil-request`.
fn request_of(event: &web_sys::Event) -> (JsValue, String) {
    let detail = detail_of(event);
    let id = js_sys::Reflect::get(&detail, &"id".into()).unwrap_or(JsValue::UNDEFINED);
    let json = js_sys::Reflect::get(&detail, &"request".into())
        .ok()
        .and_then(|request| js_sys::JSON::stringify(&request).ok())
        .and_then(|json| json.as_string())
        .unwrap_or_else(|| "null".to_owned());
    (id, json)
}

/// Tells `cil.js` that requests are answered from now on: `wrapup:ready`,
/// and `<html data-wrapup-ready="true">` for a script that loads later.
fn say_ready(window: &web_sys::Window) {
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute(READY_ATTRIBUTE, "true");
    }
    dispatch_on_window(READY_EVENT, None);
}

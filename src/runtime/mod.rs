//! The runtime: the imperative shell that performs the Desk's effects.
//!
//! [`start`] wires one [`DeskStore`] to the world: the clock hook, the CTI
//! event stream, the effect handler (ServiceNow interaction and segment,
//! persisted outbox, Tenios extend / cancel, drafts in `localStorage`, `cil`
//! events as DOM events), the CTI request handler and the `cil` bridge.
//!
//! - `api.rs`: every HTTP request, one fetch helper;
//! - `events.rs`: the SSE stream and where to resume it;
//! - `servicenow.rs`: the segment and the segment update;
//! - `genesys.rs`: the Genesys profile (wrap-up from call data, service end);
//! - `openframe.rs`: the interaction record, created (POST) and following
//!   the call data (PATCH);
//! - `delivery.rs`: the outbox delivered to either backend;
//! - `tenios.rs`: Tenios extend / cancel;
//! - `backend.rs`: CTI requests;
//! - `cil_bridge.rs`: integrators' requests and the host page's CTI events
//!   in, replies and `cil` events out (`docs/cil-protocol.md`);
//! - `outbox/`, `drafts.rs`, `storage.rs`: what survives a reload;
//! - `host_copy.rs`: what a CRM page that connected late kept from an
//!   earlier visit, merged with what the widget stored alone;
//! - `clock.rs`: `use_clock`;
//! - `lifetime.rs`: the timers and the end flag cleared on cleanup;
//! - `agent_lock.rs`: whether this page is the agent's live one (before
//!   [`start`]: `mount_with` claims it);
//! - `segment_lookup.rs`, `interactions.rs`, `agent_state.rs`: pure decisions.

pub mod agent_lock;
pub mod agent_state;
pub mod api;
mod backend;
pub mod cil_bridge;
pub mod clock;
mod delivery;
pub mod drafts;
pub mod events;
mod genesys;
mod host_copy;
pub mod interactions;
pub mod lifetime;
pub mod openframe;
pub mod outbox;
pub mod resume;
pub mod segment_lookup;
mod servicenow;
pub mod storage;
mod task;
mod tenios;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use litemap::LiteMap;
use wrapup_core::bs::{CilEvent, Workitem};
use wrapup_core::desk::{BackendAnswer, Effect, Input};
use wrapup_core::servicenow::VoiceInteractionRequest;

use crate::config::{BackendProfile, Config};
use crate::i18n::FailureReport;
use crate::store::DeskStore;
use api::Api;
use cil_bridge::CilBridge;
use events::EventStream;
use interactions::InteractionCache;
use lifetime::Lifetime;
use openframe::ContextSync;
use outbox::Outbox;
use storage::LocalStore;
use task::Task;

pub use clock::{UseClockOptions, use_clock, use_clock_with_options};

/// The name of the DOM event carrying every `cil` event, on `window`.
pub const CIL_EVENT: &str = "wrapup:cil";

/// An openframe POST under way, shared by the task that sent it and those
/// waiting for its answer ([`openframe::answer_of`]).
type PendingInteraction = Rc<RefCell<openframe::Asked>>;

// What is kept per workitem is in plain lists of pairs, found by a linear
// search: a wrap-up or two at a time, and less wasm than a map's code (a
// `LiteMap` per key and value type, let alone a HashMap's table).
struct Inner {
    store: DeskStore,
    config: Config,
    agent_id: String,
    api: Api,
    storage: LocalStore,
    outbox: RefCell<Outbox>,
    /// The workitems whose delivery is under way, with the timer of the
    /// wait before its next attempt while it waits (the agent's Retry
    /// cuts it short); a plain list, of a wrap-up or two.
    delivering: RefCell<Vec<(String, Option<u64>)>>,
    /// How often the server accepted the widget's token on this page: a
    /// submission whose sign-in was refused while it changed was sent
    /// before the server took the token, and is sent again at once.
    sign_ins: Cell<u64>,
    interactions: RefCell<InteractionCache>,
    /// The calls whose wrap-up segment was not looked for further because
    /// the server did not accept the widget's sign-in, with when their
    /// wrap-up began: looked for again once it does.
    unopened: RefCell<Vec<(Workitem, DateTime<Utc>)>>,
    /// The openframe POSTs under way, by workitem: a call or two at a time,
    /// a plain list.
    pending_interactions: RefCell<Vec<(String, PendingInteraction)>>,
    context_sync: RefCell<ContextSync<VoiceInteractionRequest>>,
    events: RefCell<Option<EventStream>>,
    cil_bridge: RefCell<Option<CilBridge>>,
    lifetime: Lifetime,
    /// When the page started to go (`beforeunload`, `pagehide`; in ms since
    /// the epoch), if it did: the browser cuts the requests under way short,
    /// which is no answer of the server's.
    leaving_since: Cell<Option<f64>>,
}

/// The running shell of one widget; cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Runtime")
            .field("agent_id", &self.inner.agent_id)
            .finish_non_exhaustive()
    }
}

const INTERACTIONS_KEY: &str = "interactions";

/// The interactions stored by this or an earlier version (which kept a map).
fn load_interactions(storage: &LocalStore) -> InteractionCache {
    storage
        .get::<InteractionCache>(INTERACTIONS_KEY)
        .or_else(|| {
            storage
                .get::<LiteMap<String, String>>(INTERACTIONS_KEY)
                .map(InteractionCache::from_map)
        })
        .unwrap_or_default()
}

/// Starts the runtime of `store` for `config` under the current reactive
/// owner (its timers, listeners, requests and stream end with the owner).
/// Without an agent there is nothing to follow: only the clock runs.
pub fn start(store: DeskStore, config: Config) -> Option<Runtime> {
    use_clock(store);
    let agent_id = config.agent_id.clone()?;
    let storage = LocalStore::for_agent(&agent_id).reporting_to(store.storage_kept);
    if !storage::storage_works() {
        store.storage_kept.set(false);
    }
    let api = Api::new(&config.server, config.token.clone(), config.language.tag());
    let lifetime = Lifetime::new();
    // A CRM page that connects late may bring an outbox kept from an
    // earlier visit, which must not bring back what this page delivered
    // (`host_copy.rs`); in a page whose storage works, none can come.
    let mut outbox = Outbox::load(&storage);
    if !store.storage_kept.get_untracked() {
        outbox.remember_drops();
    }
    let runtime = Runtime {
        inner: Rc::new(Inner {
            store,
            agent_id: agent_id.clone(),
            api: api.clone(),
            outbox: RefCell::new(outbox),
            interactions: RefCell::new(load_interactions(&storage)),
            unopened: RefCell::default(),
            storage: storage.clone(),
            config,
            delivering: RefCell::default(),
            sign_ins: Cell::new(0),
            pending_interactions: RefCell::default(),
            context_sync: RefCell::new(ContextSync::default()),
            events: RefCell::new(None),
            cil_bridge: RefCell::new(None),
            lifetime: lifetime.clone(),
            leaving_since: Cell::new(None),
        }),
    };
    let performer = runtime.clone();
    store.set_effect_handler(move |effects| {
        for effect in effects {
            performer.perform(effect);
        }
    });
    let requester = runtime.clone();
    store.set_request_handler(move |request| requester.send_cti_request(request));
    // A submission left in the outbox by an earlier page is delivered now;
    // the Desk learns of it when the workitem's wrap-up is replayed.
    runtime.publish_outbox_status();
    let pending: Vec<String> = runtime
        .inner
        .outbox
        .borrow()
        .entries()
        .iter()
        .map(|entry| entry.workitem_id.clone())
        .collect();
    for workitem_id in pending {
        runtime.spawn_delivery(workitem_id);
    }
    clock::keep_clock_skew(store, storage.clone());
    drafts::keep_unsaved(store, storage.clone());
    let stream = EventStream::open(store, api, &agent_id, storage, lifetime);
    // Weak: the runtime owns the stream, which owns this callback.
    let listener = Rc::downgrade(&runtime.inner);
    stream.tell(move |news| {
        if let Some(inner) = listener.upgrade() {
            let runtime = Runtime { inner };
            match news {
                events::StreamNews::Replaced => runtime.cti_replaced(),
                events::StreamNews::Attempted(opened) => runtime.stream_attempted(opened),
            }
        }
    });
    *runtime.inner.events.borrow_mut() = Some(stream);
    let bridge = CilBridge::install(
        store,
        cil_bridge::cti_sender(runtime.inner.api.clone(), agent_id.clone()),
    );
    *runtime.inner.cil_bridge.borrow_mut() = Some(bridge);
    // The owner's cleanup is Send; the runtime lives on this (only) thread.
    let stopping = send_wrapper::SendWrapper::new(runtime.clone());
    let mut listeners = Vec::from(follow_page_lifecycle(&runtime));
    listeners.push(host_copy::listen(&runtime));
    on_cleanup(move || {
        stopping.stop();
        for listener in listeners {
            listener.remove();
        }
    });
    agent_state::keep_after_calls(store, runtime.inner.storage.clone());
    runtime.load_agent_state();
    runtime.load_not_ready_reasons();
    Some(runtime)
}

/// For how long after the page started to go a failed request counts as cut
/// short by its going. A slower reload costs the outbox one failed attempt; a
/// navigation that was cancelled after all hides failures no longer than this.
const LEAVING_GRACE_MS: f64 = 10_000.0;

/// Outside system: the page's lifecycle. A reload or a navigation cuts the
/// page's requests short from `beforeunload` on (well before `pagehide`); a
/// page kept in the back-forward cache may be shown again.
fn follow_page_lifecycle(runtime: &Runtime) -> [WindowListenerHandle; 3] {
    let follow = |event: &str, leaving: bool| {
        let inner = Rc::downgrade(&runtime.inner);
        window_event_listener_untyped(event, move |_| {
            if let Some(inner) = inner.upgrade() {
                inner.leaving_since.set(leaving.then(js_sys::Date::now));
            }
        })
    };
    [
        follow("beforeunload", true),
        follow("pagehide", true),
        follow("pageshow", false),
    ]
}

impl Runtime {
    /// Performs one effect of the Desk. Anything slow is spawned; answers
    /// come back through `dispatch` from those tasks, never re-entrantly.
    fn perform(&self, effect: Effect) {
        match effect {
            Effect::Emit(event) => {
                if let CilEvent::CallVariableChanged(workitem) = &event {
                    self.call_data_changed(workitem);
                }
                backend::emit_cil_event(event);
            }
            // The interaction record is ServiceNow's.
            Effect::CreateInteraction { .. } if self.genesys() => {}
            Effect::CreateInteraction { workitem }
                if openframe::caller_number(&workitem).is_none() =>
            {
                inform(&openframe::no_interaction_record(&workitem));
            }
            Effect::CreateInteraction { workitem }
                if self.inner.interactions.borrow().is_unanswered(&workitem.id) =>
            {
                inform(&openframe::interaction_unanswered(&workitem.id));
            }
            Effect::CreateInteraction { workitem } => {
                self.spawn(Task::CreateInteraction(workitem));
            }
            Effect::OpenWrapupSegment {
                workitem,
                wrapup_started_at,
            } => self.spawn(Task::OpenSegment(workitem, wrapup_started_at)),
            Effect::SubmitWrapup(submission) => self.submit(&submission),
            Effect::RequestExtension {
                workitem_id,
                segment_id,
                current_end,
                requested_end,
            } => {
                let ask = tenios::TeniosAsk::Extend {
                    segment_id,
                    current_end,
                    requested_end,
                };
                self.spawn(Task::Tenios(workitem_id, ask));
            }
            Effect::RequestCancel { workitem_id, .. } => {
                self.spawn(Task::Tenios(workitem_id, tenios::TeniosAsk::Cancel));
            }
            Effect::PersistDraft { workitem_id, draft } => {
                drafts::save_draft(&self.inner.storage, &workitem_id, &draft);
            }
            Effect::ForgetWrapup { workitem_id } => {
                drafts::discard_draft(&self.inner.storage, &workitem_id);
                self.discard_submission(&workitem_id);
            }
            Effect::WithdrawSubmission { workitem_id } => self.discard_submission(&workitem_id),
            // The store keeps refusals for the UI and never hands them here.
            Effect::Refused { .. } => {}
        }
    }

    /// Stops everything the runtime started: the event stream, every timer,
    /// every request under way; tasks still running see the end and stop.
    /// Done when the view goes, and when another page of the agent's takes
    /// over ([`agent_lock`]).
    pub fn stop(&self) {
        self.inner.lifetime.end();
        self.inner.api.close();
        if let Some(events) = self.inner.events.borrow_mut().take() {
            events.close();
        }
        if let Some(bridge) = self.inner.cil_bridge.borrow_mut().take() {
            bridge.close();
        }
    }

    /// Stops because another page of the agent took over: integrators'
    /// requests under way are answered with `message` first.
    pub fn hand_over(&self, message: &'static str) {
        if let Some(bridge) = self.inner.cil_bridge.borrow_mut().take() {
            bridge.hand_over(message);
        }
        self.stop();
    }

    /// Whether the runtime was stopped (its store may be disposed).
    fn stopped(&self) -> bool {
        self.inner.lifetime.is_ended()
    }

    /// Whether the page is going: a request that failed now was cut short by
    /// the browser, and the server's answer is unknown, not a refusal.
    fn leaving(&self) -> bool {
        self.inner
            .leaving_since
            .get()
            .is_some_and(|since| js_sys::Date::now() - since < LEAVING_GRACE_MS)
    }

    /// Feeds `input` to the store, unless the runtime was stopped.
    fn dispatch_input(&self, input: Input) {
        if !self.stopped() {
            self.inner.store.dispatch(input);
        }
    }

    /// Feeds a backend answer to the store, then to the `cil` bridge (an
    /// `extendWrapup` waits for the extension's answer).
    fn dispatch(&self, answer: BackendAnswer) {
        // The bridge waits for extensions only: their answers alone are
        // copied for it (a copy of any answer was much code).
        let for_bridge = match &answer {
            BackendAnswer::ExtensionAccepted {
                workitem_id,
                new_deadline,
            } => Some(BackendAnswer::ExtensionAccepted {
                workitem_id: workitem_id.clone(),
                new_deadline: *new_deadline,
            }),
            BackendAnswer::ExtensionRefused {
                workitem_id,
                reason,
            } => Some(BackendAnswer::ExtensionRefused {
                workitem_id: workitem_id.clone(),
                reason: reason.clone(),
            }),
            _ => None,
        };
        self.dispatch_input(Input::Backend(answer));
        let Some(answer) = for_bridge else {
            return;
        };
        let bridge = self.inner.cil_bridge.borrow().clone();
        if let Some(bridge) = bridge {
            bridge.backend_answered(&answer);
        }
    }

    /// Whether wrap-ups go to Genesys rather than ServiceNow.
    fn genesys(&self) -> bool {
        self.inner.config.backend == BackendProfile::Genesys
    }

    /// `report` in the agent's language.
    fn failure_text(&self, report: &FailureReport) -> String {
        report.text(self.inner.config.language)
    }

    fn publish_outbox_status(&self) {
        if self.stopped() {
            return;
        }
        let status = self.inner.outbox.borrow().status();
        self.inner.store.outbox.set(status);
    }

    /// A wrap-up is over: if the Desk has forgotten the workitem, a reload
    /// need not replay its events any more.
    fn settled(&self, workitem_id: &str) {
        if self.stopped() {
            return;
        }
        let forgotten = self.inner.store.desk.with_untracked(|desk| {
            desk.workitem(workitem_id).is_none() && desk.session(workitem_id).is_none()
        });
        if forgotten && let Some(events) = self.inner.events.borrow().as_ref() {
            events.forget(workitem_id);
        }
    }

    /// Stores the interaction records kept (as they change; before a POST
    /// goes out too, so that a reload while it is under way knows of it).
    fn store_interactions(&self) {
        self.inner
            .storage
            .set(INTERACTIONS_KEY, &*self.inner.interactions.borrow());
    }
}

/// Logs a warning to the browser console.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// Logs what an integrator may want to know, nothing having gone wrong, to
/// the browser console.
pub fn inform(message: &str) {
    web_sys::console::info_1(&message.into());
}

/// [`warn`] for a message formatted at the call (`format_args!`): the text
/// is put together here, once, not by code at every call.
pub fn warn_args(message: std::fmt::Arguments<'_>) {
    warn(&message.to_string());
}

/// [`inform`] for a message formatted at the call, as [`warn_args`] is.
pub fn inform_args(message: std::fmt::Arguments<'_>) {
    inform(&message.to_string());
}

//! The agent's CTI event stream: the server's SSE endpoint through
//! `web_sys::EventSource`, feeding `Input::Cti` into the store.
//!
//! - Every event carries an `id:`; on an error the stream is closed and
//!   reopened with backoff, from `?last_event_id=` of the last event seen, so
//!   a dropped connection loses nothing (`store.connection` says
//!   `Reconnecting(n)` meanwhile, or `Connecting(n)` while the stream has
//!   never opened on this page).
//! - After a reload the Desk starts empty, so resuming after the last event
//!   would never show a call that is in wrap-up right now. The stream resumes
//!   instead from the first event of the oldest workitem still alive
//!   ([`ResumePoint`], persisted): those events are replayed into the fresh
//!   Desk, which ignores any it has already seen. Integrators heard of the
//!   events this browser saw before the reload (ids up to the persisted
//!   `last_seen`): replayed, they change the Desk but emit no `cil` event.
//! - A page with nothing stored opens the stream without an id: the server
//!   tells it the present (the live calls' events and the agent's latest
//!   state), not the calls that are over. Every replay ends with an SSE
//!   event `caught-up` naming the id heard up to, so a reconnect or a reload
//!   resumes after what the replay passed over.
//! - The server names its stream first on every connection (an SSE event
//!   `stream`: the identity of its database). Ids of another stream mean
//!   nothing here: when the name differs from the one persisted (the
//!   server's database was reset or replaced), the resume point is
//!   forgotten and the stream read from its start, every event new.
//! - When the name changes while the page runs ([`PageStream`]: not the
//!   first name a fresh page hears, whatever it persisted), the Desk holds
//!   what a stream that is gone said: before the new stream's first event
//!   it lets go of it (`Input::CtiReset`: the old calls end for
//!   integrators, their open wrap-ups leave, submitted ones are still
//!   delivered, drafts stay stored), and the runtime is told
//!   ([`StreamNews::Replaced`]) to read the agent's state again.
//! - After a reload, the replay of what integrators heard before is silent
//!   ([`Arrival::Retold`]); at `caught-up`, each of its workitems still live
//!   is told once as a `workitemCreate` (call recovery, [`recover_calls`]).
//! - The first `caught-up` of a page tells the store (`caught_up`) that the
//!   Desk holds every call the CTI system still has for the agent: a
//!   wrap-up left in the outbox whose call is not among them has no panel.
//! - After each attempt to connect the runtime is told whether the stream
//!   opened ([`StreamNews::Attempted`]): a source fails alike when its
//!   server is out of reach and when it refuses the widget's token.
//! - Events after `caught-up` arrive as they happen ([`Arrival::Live`]): the
//!   times they say they happened tell how far the browser's clock is from
//!   the CTI system's (`DeskStore::observe_event_time`). Replayed ones
//!   happened earlier and tell nothing.
//! - A malformed event is logged, never fatal.
//! - The source's handlers hold the stream weakly (the stream owns them, so
//!   strong references would be a cycle); `close` drops them and clears the
//!   reconnect timer through the runtime's [`Lifetime`].

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wrapup_core::desk::Input;

use super::api::Api;
use super::lifetime::Lifetime;
use super::resume::{PageStream, ResumePoint};
use super::storage::LocalStore;
use crate::store::{Connection, DeskStore};

mod dispatch;

pub use dispatch::{Arrival, dispatch_cti_json};

const KEY: &str = "resume";
/// The SSE event that names the server's stream.
const STREAM_EVENT: &str = "stream";
/// The SSE event that ends the server's replay: the id heard up to.
const CAUGHT_UP_EVENT: &str = "caught-up";

/// Call recovery: "WorkitemCreate is also dispatched when the agent logs in
/// while a call is on the phone". A reload is such a login for the page's
/// integrators, who are new with it: each workitem of the silent replay that
/// is still live is told once, as a `workitemCreate` in its present state.
/// (`cil-host.js` passes none on to a CRM page that heard of it already, as
/// one does when only the widget's frame reloaded.)
fn recover_calls(store: DeskStore, retold: &[String]) {
    for workitem_id in retold {
        let event = store
            .desk
            .with_untracked(|desk| desk.recovered_create(workitem_id));
        if let Some(event) = event {
            super::cil_bridge::emit_cil_event(event);
        }
    }
}

struct Stream {
    store: DeskStore,
    api: Api,
    agent_id: String,
    storage: LocalStore,
    resume: ResumePoint,
    /// The stream this page has heard.
    page_stream: PageStream,
    /// Told of the stream's news ([`EventStream::tell`]).
    listener: Option<Rc<dyn Fn(StreamNews)>>,
    /// The id to reconnect after: the last event seen on this page.
    reconnect_after: u64,
    /// The id the current connection was opened after.
    connected_after: u64,
    /// Whether the current connection's replay is over: its events arrive
    /// as they happen.
    caught_up: bool,
    /// The last event id seen before this page loaded: events up to it are
    /// replays integrators have heard of.
    replayed_until: u64,
    /// The workitems of those replays, until the replay is over: those still
    /// live are told to this page's integrators once (call recovery).
    retold: Vec<String>,
    source: Option<web_sys::EventSource>,
    /// Failed attempts since the stream last opened.
    attempts: u32,
    /// Whether the stream opened on this page: failing after that, it is
    /// reconnecting; before, only connecting.
    opened: bool,
    lifetime: Lifetime,
    closed: bool,
    // Kept alive as long as the source uses them.
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

/// What the stream tells the runtime ([`EventStream::tell`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamNews {
    /// The server's stream was replaced by another while the page runs,
    /// right after the Desk was reset (the runtime reads the agent's state
    /// again).
    Replaced,
    /// An attempt to connect opened the stream (`true`), or failed (which
    /// an `EventSource` does alike for a server that is not reached and one
    /// that refuses the widget's token, so the runtime asks the server
    /// which it is).
    Attempted(bool),
}

/// A running event stream; dropping it does not stop it, [`EventStream::close`] does.
#[derive(Clone)]
pub struct EventStream {
    inner: Rc<RefCell<Stream>>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("EventStream")
    }
}

impl EventStream {
    /// Whether this page resumes an earlier one (integrators heard of the
    /// agent and its calls before the reload).
    pub fn resumes_earlier_page(&self) -> bool {
        self.inner.borrow().replayed_until > 0
    }

    /// Opens the stream of `agent_id`, resuming where this browser left off;
    /// its reconnect timers are set in `lifetime`.
    pub fn open(
        store: DeskStore,
        api: Api,
        agent_id: &str,
        storage: LocalStore,
        lifetime: Lifetime,
    ) -> Self {
        let resume: ResumePoint = storage.get(KEY).unwrap_or_default();
        let stream = Self {
            inner: Rc::new(RefCell::new(Stream {
                store,
                api,
                agent_id: agent_id.to_owned(),
                storage,
                reconnect_after: resume.resume_after(),
                connected_after: 0,
                caught_up: false,
                replayed_until: resume.last_seen,
                retold: Vec::new(),
                resume,
                page_stream: PageStream::default(),
                listener: None,
                source: None,
                attempts: 0,
                opened: false,
                lifetime,
                closed: false,
                _handlers: Vec::new(),
            })),
        };
        stream.connect();
        stream
    }

    /// Tells `listener` the stream's news ([`StreamNews`]): one listener for
    /// all of it, compiled once.
    pub fn tell(&self, listener: impl Fn(StreamNews) + 'static) {
        self.inner.borrow_mut().listener = Some(Rc::new(listener));
    }

    /// Closes the stream for good and drops its handlers.
    pub fn close(&self) {
        let handlers = {
            let mut inner = self.inner.borrow_mut();
            inner.closed = true;
            inner.listener = None;
            if let Some(source) = inner.source.take() {
                source.set_onopen(None);
                source.set_onmessage(None);
                source.set_onerror(None);
                source.close();
            }
            std::mem::take(&mut inner._handlers)
        };
        drop(handlers);
    }

    fn weak(&self) -> Weak<RefCell<Stream>> {
        Rc::downgrade(&self.inner)
    }

    fn upgrade(weak: &Weak<RefCell<Stream>>) -> Option<Self> {
        weak.upgrade().map(|inner| Self { inner })
    }

    fn connect(&self) {
        let url = {
            let mut inner = self.inner.borrow_mut();
            if inner.closed {
                return;
            }
            inner.connected_after = inner.reconnect_after;
            inner.caught_up = false;
            inner.api.events_url(&inner.agent_id, inner.reconnect_after)
        };
        let source = match web_sys::EventSource::new(&url) {
            Ok(source) => source,
            Err(_) => {
                self.schedule_reconnect();
                return;
            }
        };
        let on_open = self.handler(Self::on_open);
        let on_message = self.handler(|this, event| this.on_message_event(event, Self::on_message));
        let on_stream = self.handler(|this, event| this.on_message_event(event, Self::on_stream));
        let on_caught_up =
            self.handler(|this, event| this.on_message_event(event, Self::on_caught_up));
        let on_error = self.handler(Self::on_error);
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // A listener rather than a handler property: `stream` is a named event.
        for (name, handler) in [(STREAM_EVENT, &on_stream), (CAUGHT_UP_EVENT, &on_caught_up)] {
            let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
        }
        let mut inner = self.inner.borrow_mut();
        inner.source = Some(source);
        inner._handlers = vec![on_open, on_message, on_stream, on_caught_up, on_error];
    }

    /// A handler of the source's events that calls `handle` while the
    /// stream lives: one closure type for every handler of the source.
    fn handler(&self, handle: fn(&Self, &web_sys::Event)) -> Closure<dyn FnMut(web_sys::Event)> {
        let weak = self.weak();
        Closure::new(move |event: web_sys::Event| {
            if let Some(this) = Self::upgrade(&weak) {
                handle(&this, &event);
            }
        })
    }

    /// `event` to `handle` if it is a `MessageEvent`.
    fn on_message_event(&self, event: &web_sys::Event, handle: fn(&Self, &web_sys::MessageEvent)) {
        if let Some(message) = event.dyn_ref::<web_sys::MessageEvent>() {
            handle(self, message);
        }
    }

    /// The source opened: the server takes the widget's sign-in.
    fn on_open(&self, _: &web_sys::Event) {
        let listener = {
            let mut inner = self.inner.borrow_mut();
            inner.attempts = 0;
            inner.opened = true;
            inner.store.connection.set(Connection::Live);
            inner.listener.clone()
        };
        if let Some(listener) = listener {
            listener(StreamNews::Attempted(true));
        }
    }

    /// The source failed (or the server closed it): a new one is opened
    /// after a backoff.
    fn on_error(&self, _: &web_sys::Event) {
        if let Some(source) = self.inner.borrow_mut().source.take() {
            source.close();
        }
        self.schedule_reconnect();
        let listener = self.inner.borrow().listener.clone();
        if let Some(listener) = listener {
            listener(StreamNews::Attempted(false));
        }
    }

    fn schedule_reconnect(&self) {
        let (delay, lifetime) = {
            let mut inner = self.inner.borrow_mut();
            if inner.closed {
                return;
            }
            inner.attempts += 1;
            let attempts = inner.attempts;
            inner.store.connection.set(if inner.opened {
                Connection::Reconnecting(attempts)
            } else {
                Connection::Connecting(attempts)
            });
            let delay = super::outbox::backoff_delay(inner.attempts, js_sys::Math::random());
            (delay, inner.lifetime.clone())
        };
        let weak = self.weak();
        lifetime.after(delay, move || {
            if let Some(this) = Self::upgrade(&weak) {
                this.connect();
            }
        });
    }

    /// The server named its stream (first on every connection, before any
    /// event). Another stream than the one the ids were recorded in: forget
    /// them, and read this stream from its start if it was opened after one.
    /// Another stream than the one this page heard: the Desk is reset first.
    fn on_stream(&self, message: &web_sys::MessageEvent) {
        let name = message.data().as_string().unwrap_or_default();
        let (reopen, lifetime, replaced) = {
            let mut inner = self.inner.borrow_mut();
            let replaced = inner.page_stream.replaced_by(&name);
            let same = inner.resume.adopt_stream(&name);
            inner.storage.set(KEY, &inner.resume);
            if same {
                return;
            }
            inner.replayed_until = 0;
            inner.retold.clear();
            inner.reconnect_after = 0;
            let reopen = inner.connected_after > 0;
            if reopen && let Some(source) = inner.source.take() {
                // Closed now, so that none of its events is read; reopened
                // by a timer, as this handler belongs to the source.
                source.close();
            }
            let replaced = replaced.then(|| (inner.store, inner.listener.clone()));
            (reopen, inner.lifetime.clone(), replaced)
        };
        // Before the new stream's first event: this handler runs before any
        // message of this connection, and a reopened one comes later still.
        if let Some((store, listener)) = replaced {
            store.dispatch(Input::CtiReset);
            super::warn_args(format_args!(
                "the CTI event stream is now `{name}`: the server's database was replaced. \
                 The calls it no longer knows leave the widget; notes typed for them stay \
                 stored in this browser, and wrap-ups already submitted are still delivered"
            ));
            if let Some(listener) = listener {
                listener(StreamNews::Replaced);
            }
        }
        if reopen {
            let weak = self.weak();
            lifetime.after(chrono::TimeDelta::zero(), move || {
                if let Some(this) = Self::upgrade(&weak) {
                    this.connect();
                }
            });
        }
    }

    /// The server's replay is over, and the events up to `id` are heard of,
    /// including those it passed over (a new client is told only the live
    /// calls): a reconnect or a reload resumes after them.
    fn on_caught_up(&self, message: &web_sys::MessageEvent) {
        let Some(id) = message
            .data()
            .as_string()
            .and_then(|id| id.parse::<u64>().ok())
        else {
            return;
        };
        let (store, retold) = {
            let mut inner = self.inner.borrow_mut();
            inner.caught_up = true;
            inner.reconnect_after = inner.reconnect_after.max(id);
            inner.resume.observe(id, None, false);
            inner.storage.set(KEY, &inner.resume);
            (inner.store, std::mem::take(&mut inner.retold))
        };
        if !store.caught_up.get_untracked() {
            store.caught_up.set(true);
        }
        recover_calls(store, &retold);
    }

    fn on_message(&self, message: &web_sys::MessageEvent) {
        let data = message.data().as_string().unwrap_or_default();
        let id = message.last_event_id().parse::<u64>().ok();
        let (store, arrived) = {
            let mut inner = self.inner.borrow_mut();
            if let Some(id) = id {
                inner.reconnect_after = inner.reconnect_after.max(id);
            }
            let arrived = if id.is_some_and(|id| id <= inner.replayed_until) {
                Arrival::Retold
            } else if inner.caught_up {
                Arrival::Live
            } else {
                Arrival::Replayed
            };
            (inner.store, arrived)
        };
        let workitem_id = match dispatch_cti_json(store, &data, arrived) {
            Ok(workitem_id) => workitem_id,
            Err(error) => {
                let numbered = id.map_or_else(String::new, |id| format!(" {id}"));
                super::warn_args(format_args!(
                    "ignoring the malformed CTI event{numbered}: {error}"
                ));
                return;
            }
        };
        if arrived == Arrival::Retold
            && let Some(workitem_id) = &workitem_id
        {
            let mut inner = self.inner.borrow_mut();
            if !inner.retold.contains(workitem_id) {
                inner.retold.push(workitem_id.clone());
            }
        }
        if let Some(id) = id {
            let alive = workitem_id.as_deref().is_some_and(|workitem_id| {
                store.desk.with_untracked(|desk| {
                    desk.workitem(workitem_id).is_some() || desk.session(workitem_id).is_some()
                })
            });
            let mut inner = self.inner.borrow_mut();
            inner.resume.observe(id, workitem_id.as_deref(), alive);
            inner.storage.set(KEY, &inner.resume);
        }
    }

    /// Records that the wrap-up of `workitem_id` is over (the Desk forgot
    /// it), so a reload need not replay its events.
    pub fn forget(&self, workitem_id: &str) {
        let mut inner = self.inner.borrow_mut();
        let last = inner.resume.last_seen;
        inner.resume.observe(last, Some(workitem_id), false);
        inner.storage.set(KEY, &inner.resume);
    }
}

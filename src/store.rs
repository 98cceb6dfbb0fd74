//! The widget's single source of truth: the core [`Desk`] in a signal, the
//! current time in another, and the dispatch that connects them.
//!
//! Components read the desk (`store.desk.with(|desk| ...)`) and the clock
//! (`store.now.get()`, the CTI system's time: the browser's clock corrected
//! by [`DeskStore::clock_skew`]), and send agent actions with
//! [`DeskStore::dispatch`].
//! The effects the Desk returns go to the effect handler installed by the
//! runtime (HTTP, storage, `cil` callbacks); refusals stay here, because
//! telling the agent is the UI's job. Tests install no handler and read the
//! effects back with [`DeskStore::take_unhandled_effects`].

use std::rc::Rc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wrapup_core::bs::{CilEvent, CilRequest, ReasonCodeEntry};
use wrapup_core::clock_skew::ClockSkew;
use wrapup_core::desk::{Desk, Effect, Input, Refusal};

use crate::i18n::{BackendFailure, FailureReport};

mod stored;

pub use stored::{NotReadyAfterCalls, UnsavedDraft};

/// A refusal shown to the agent until the next action on that workitem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The workitem the refusal is about.
    pub workitem_id: String,
    /// Why the action did not happen.
    pub reason: Refusal,
}

/// The state of the CTI event stream, as the agent should see it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Connection {
    /// Not connected yet (no agent configured, or starting).
    #[default]
    Idle,
    /// Connected: events arrive.
    Live,
    /// The stream has not opened on this page yet: the attempts so far
    /// failed (their number). The page is not connected, not reconnecting.
    Connecting(u32),
    /// The stream opened on this page, then dropped; the runtime is
    /// reconnecting (attempt number).
    Reconnecting(u32),
}

impl Connection {
    /// Whether the stream failed and is being tried again: it brings no
    /// events meanwhile.
    pub fn is_down(&self) -> bool {
        matches!(self, Self::Connecting(_) | Self::Reconnecting(_))
    }
}

/// What the persisted outbox holds, for the agent to see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboxStatus {
    /// Wrap-ups on their way to the backend, or retried after a passing
    /// failure; not those it refused.
    pub pending: usize,
    /// The last failure of those on their way, in words for the agent.
    pub last_error: Option<String>,
    /// Wrap-ups the backend refused as they are, oldest first: kept in the
    /// outbox, and sent no more by this page.
    pub refused: Vec<RefusedWrapup>,
}

/// A wrap-up the backend refused, still in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedWrapup {
    /// The workitem whose wrap-up it is.
    pub workitem_id: String,
    /// The code submitted, by its label.
    pub code: Option<String>,
    /// When it was submitted.
    pub confirmed_on: DateTime<Utc>,
    /// Why the backend refused it, in words for the agent.
    pub reason: String,
    /// The agent's notes, which the widget keeps with it.
    pub notes: String,
}

/// What the Desk made of one input, beyond its effects: its refusals and
/// the `error` events it emitted (see [`DeskStore::dispatch_and_report`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dispatched {
    /// The refusals, in the order the Desk gave them (the agent sees them too).
    pub refusals: Vec<Notice>,
    /// The messages of the `error` events emitted (integrators have them).
    pub errors: Vec<String>,
}

impl Dispatched {
    fn of(effects: &[Effect]) -> Self {
        let mut report = Self::default();
        for effect in effects {
            match effect {
                Effect::Refused {
                    workitem_id,
                    reason,
                } => report.refusals.push(Notice {
                    workitem_id: workitem_id.clone(),
                    reason: reason.clone(),
                }),
                Effect::Emit(CilEvent::Error(error)) => report.errors.push(error.message.clone()),
                _ => {}
            }
        }
        report
    }
}

/// Whether `notice` tells that the server did not accept the widget's sign-in.
fn not_signed_in(notice: &Option<FailureReport>) -> bool {
    notice
        .as_ref()
        .is_some_and(|report| report.failure == BackendFailure::NotSignedIn)
}

/// What the store hands to the runtime, and what waits for it: one stored
/// value rather than five, as every stored type is compiled on its own. A
/// handler is cloned out before it is called, so that what it does may
/// reach the store again.
/// Told of each new estimate of the clocks' difference.
type ClockKept = Rc<dyn Fn(&ClockSkew)>;

#[derive(Default)]
struct Shell {
    handler: Option<Rc<dyn Fn(Vec<Effect>)>>,
    request_handler: Option<Rc<dyn Fn(CilRequest)>>,
    time_source: Option<Rc<dyn Fn() -> DateTime<Utc>>>,
    unsent_requests: Vec<CilRequest>,
    unhandled: Vec<Effect>,
    /// How far the browser's clock is from the CTI system's. Not a signal:
    /// nothing shown reads it, only the clock and the runtime, which keeps
    /// each new estimate (`clock_kept`).
    clock_skew: ClockSkew,
    clock_kept: Option<ClockKept>,
}

/// The shared state of one widget instance; `Copy`, so components take it
/// from context and move it into closures freely.
#[derive(Debug, Clone, Copy)]
pub struct DeskStore {
    /// The agent's desk: workitems, wrap-ups, agent state.
    pub desk: RwSignal<Desk>,
    /// The current time, refreshed by the clock hook (and by tests).
    pub now: RwSignal<DateTime<Utc>>,
    /// What the agent should know about refused actions, newest last.
    pub notices: RwSignal<Vec<Notice>>,
    /// The CTI event stream's state.
    pub connection: RwSignal<Connection>,
    /// Whether the event stream has told this page the agent's calls up to
    /// now (its first replay is over): the Desk holds every call the CTI
    /// system still has for the agent.
    pub caught_up: RwSignal<bool>,
    /// The outbox of wrap-up submissions.
    pub outbox: RwSignal<OutboxStatus>,
    /// The NotReady reason codes the agent can choose (`getReasonCodeList`).
    pub not_ready_reasons: RwSignal<Vec<ReasonCodeEntry>>,
    /// Why the last change of the agent's state was refused, until it no
    /// longer holds ([`DeskStore::state_refusal_over`]); or that the server
    /// did not accept the widget's sign-in.
    pub agent_notice: RwSignal<Option<FailureReport>>,
    /// The agent's name, as the CTI system gave it (`getChannel`), if it did.
    pub agent_name: RwSignal<Option<String>>,
    /// Whether the CTI system knows no agent of the configured id (a typo in
    /// `agent=`): the widget then follows nothing.
    pub agent_unknown: RwSignal<bool>,
    /// The state the agent asked for after their calls (the header's).
    pub not_ready_after_calls: RwSignal<Option<NotReadyAfterCalls>>,
    /// Whether this browser keeps the drafts and the outbox across a reload.
    pub storage_kept: RwSignal<bool>,
    /// What the agent entered for wrap-ups closed without it, oldest first.
    pub unsaved_drafts: RwSignal<Vec<UnsavedDraft>>,
    /// Whether another page of this browser is live for the agent, so this
    /// one runs nothing (`runtime::agent_lock`).
    pub open_elsewhere: RwSignal<bool>,
    /// Whether this page runs without knowing if another page of the agent
    /// runs too: the browser stores nothing and takes no Web Lock here, and
    /// no page embedding the widget holds one for it (`runtime::agent_lock`).
    pub open_elsewhere_unknown: RwSignal<bool>,
    shell: StoredValue<Shell, LocalStorage>,
}

impl DeskStore {
    /// An empty desk at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            desk: RwSignal::new(Desk::new()),
            now: RwSignal::new(now),
            notices: RwSignal::new(Vec::new()),
            connection: RwSignal::new(Connection::Idle),
            caught_up: RwSignal::new(false),
            outbox: RwSignal::new(OutboxStatus::default()),
            not_ready_reasons: RwSignal::new(Vec::new()),
            agent_notice: RwSignal::new(None),
            agent_name: RwSignal::new(None),
            agent_unknown: RwSignal::new(false),
            not_ready_after_calls: RwSignal::new(None),
            storage_kept: RwSignal::new(true),
            unsaved_drafts: RwSignal::new(Vec::new()),
            open_elsewhere: RwSignal::new(false),
            open_elsewhere_unknown: RwSignal::new(false),
            shell: StoredValue::new_local(Shell::default()),
        }
    }

    /// Installs the clock read before every input, so an input is applied at
    /// the time it arrives rather than at the clock hook's last tick (up to
    /// a second earlier while no countdown runs). Tests install none and
    /// move `now` themselves.
    pub fn set_time_source(&self, now: impl Fn() -> DateTime<Utc> + 'static) {
        self.shell
            .update_value(|shell| shell.time_source = Some(Rc::new(now)));
    }

    /// Installs the runtime that performs effects (HTTP, storage, callbacks);
    /// the effects produced before it was installed go to it first. It is
    /// installed before they are handed over, so that effects their handling
    /// produces reach it too.
    pub fn set_effect_handler(&self, handler: impl Fn(Vec<Effect>) + 'static) {
        self.shell
            .update_value(|shell| shell.handler = Some(Rc::new(handler)));
        self.hand_over(self.take_unhandled_effects());
    }

    /// Installs the runtime that sends b+s requests to the CTI system; the
    /// requests made before it was installed (the view is up before the
    /// runtime starts) are sent first.
    pub fn set_request_handler(&self, handler: impl Fn(CilRequest) + 'static) {
        self.shell
            .update_value(|shell| shell.request_handler = Some(Rc::new(handler)));
        for request in self.take_unsent_requests() {
            self.send_request(request);
        }
    }

    /// Sends a b+s request (e.g. `setAgentState`) to the CTI system; its
    /// outcome comes back as CTI events.
    pub fn send_request(&self, request: CilRequest) {
        match self.shell.with_value(|shell| shell.request_handler.clone()) {
            Some(handler) => handler(request),
            None => self
                .shell
                .update_value(|shell| shell.unsent_requests.push(request)),
        }
    }

    /// A refused change of the agent's state no longer holds: the CTI system
    /// told a new state, or accepted another change (an integrator's). The
    /// agent is not told of it any longer; a failed sign-in still is.
    pub fn state_refusal_over(&self) {
        let refused = self.agent_notice.with_untracked(|notice| {
            notice
                .as_ref()
                .is_some_and(|report| report.failure == BackendFailure::AgentStateRefused)
        });
        if refused {
            self.agent_notice.set(None);
        }
    }

    /// Whether the agent is told that the server does not accept the
    /// widget's sign-in (its token).
    pub fn sign_in_refused(&self) -> bool {
        self.agent_notice.with(not_signed_in)
    }

    /// Tells the agent `notice` in the header, unless it is told already: the
    /// same refusal heard again (each failed attempt of a request) leaves
    /// the header as it is, so it neither flickers nor is announced again.
    pub fn tell_agent(&self, notice: FailureReport) {
        let told = self
            .agent_notice
            .with_untracked(|told| told.as_ref() == Some(&notice));
        if !told {
            self.agent_notice.set(Some(notice));
        }
    }

    /// The server accepted the widget's sign-in: a refusal of it told in the
    /// header is over. Returns whether one was.
    pub fn sign_in_accepted(&self) -> bool {
        let refused = self.agent_notice.with_untracked(not_signed_in);
        if refused {
            self.agent_notice.set(None);
        }
        refused
    }

    /// The requests sent while no handler was installed (tests take them).
    pub fn take_unsent_requests(&self) -> Vec<CilRequest> {
        let mut taken = Vec::new();
        self.shell
            .update_value(|shell| std::mem::swap(&mut shell.unsent_requests, &mut taken));
        taken
    }

    /// Applies `input` at the current time and performs its effects.
    pub fn dispatch(&self, input: Input) {
        self.dispatch_and_report(input);
    }

    /// Applies `input` like [`DeskStore::dispatch`] and tells what the Desk
    /// refused and which `error` events it emitted, for a caller that must
    /// answer someone (the `cil` bridge answers integrators with it).
    pub fn dispatch_and_report(&self, input: Input) -> Dispatched {
        let source = self.shell.with_value(|shell| shell.time_source.clone());
        if let Some(now) = source {
            self.now.set(now());
        }
        let now = self.now.get_untracked();
        let workitem_of_action = match &input {
            Input::Agent(action) => Some(action.workitem_id().to_owned()),
            _ => None,
        };
        let Some((effects, ended)) = self.desk.try_update(|desk| {
            let before: Vec<String> = desk
                .sessions()
                .map(|session| session.workitem_id().to_owned())
                .collect();
            let effects = desk.apply(now, input);
            let ended: Vec<String> = before
                .into_iter()
                .filter(|workitem_id| desk.session(workitem_id).is_none())
                .collect();
            (effects, ended)
        }) else {
            return Dispatched::default();
        };
        let report = Dispatched::of(&effects);
        self.record_notices(workitem_of_action.as_deref(), &report.refusals, &ended);
        // A new state ends a refusal shown; the Desk passes on no repeat of
        // the state it has (a replay, a reconnection) and no older one.
        if effects
            .iter()
            .any(|effect| matches!(effect, Effect::Emit(CilEvent::AgentStateChange(_))))
        {
            self.state_refusal_over();
        }
        let effects: Vec<Effect> = effects
            .into_iter()
            .filter(|effect| !matches!(effect, Effect::Refused { .. }))
            .collect();
        self.hand_over(effects);
        report
    }

    /// Hands `effects` to the runtime, or keeps them for it until it is installed.
    fn hand_over(&self, effects: Vec<Effect>) {
        if effects.is_empty() {
            return;
        }
        match self.shell.with_value(|shell| shell.handler.clone()) {
            Some(handler) => handler(effects),
            None => self
                .shell
                .update_value(|shell| shell.unhandled.extend(effects)),
        }
    }

    /// How far the browser's clock is from the CTI system's, whose time the
    /// deadlines and `now` are in ([`DeskStore::cti_time`]).
    pub fn clock_skew(&self) -> ClockSkew {
        self.shell.with_value(|shell| shell.clock_skew.clone())
    }

    /// Takes `skew` as the clocks' difference (one kept from before a
    /// reload), and `keep` to be told of each new estimate from now on.
    pub fn keep_clock_skew(&self, skew: ClockSkew, keep: impl Fn(&ClockSkew) + 'static) {
        self.shell.update_value(|shell| {
            shell.clock_skew = skew;
            shell.clock_kept = Some(Rc::new(keep));
        });
    }

    /// The CTI system's time when the browser's clock reads `browser`.
    pub fn cti_time(&self, browser: DateTime<Utc>) -> DateTime<Utc> {
        self.shell
            .with_value(|shell| shell.clock_skew.cti_time(browser))
    }

    /// An event heard as it happens, at `received` by the browser's clock,
    /// says it happened at `occurred` by the CTI system's. Only a new
    /// estimate of the difference is news (the runtime stores it): it moves
    /// `now` at once, before the event is applied.
    pub fn observe_event_time(&self, occurred: DateTime<Utc>, received: DateTime<Utc>) {
        let kept = self
            .shell
            .try_update_value(|shell| {
                let changed = shell.clock_skew.observe(occurred, received);
                changed.then(|| (shell.clock_skew.clone(), shell.clock_kept.clone()))
            })
            .flatten();
        if let Some((skew, keep)) = kept {
            if let Some(keep) = keep {
                keep(&skew);
            }
            self.set_now(self.cti_time(received));
        }
    }

    /// Moves the clock to `now`; if a wrap-up deadline has passed, lets the
    /// Desk act on it (the automatic submission).
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.now.set(now);
        let due = self
            .desk
            .with_untracked(|desk| desk.next_deadline().is_some_and(|deadline| deadline <= now));
        if due {
            self.dispatch(Input::Tick);
        }
    }

    /// The effects produced while no handler was installed (tests take them).
    pub fn take_unhandled_effects(&self) -> Vec<Effect> {
        let mut taken = Vec::new();
        self.shell
            .update_value(|shell| std::mem::swap(&mut shell.unhandled, &mut taken));
        taken
    }

    /// A new action on a workitem clears its old notices; new refusals (the
    /// input's, [`Dispatched::refusals`]) are added; a workitem whose session
    /// ended takes its notices with it.
    fn record_notices(&self, acted_on: Option<&str>, refusals: &[Notice], ended: &[String]) {
        let refusals: Vec<Notice> = refusals
            .iter()
            .filter(|notice| !ended.contains(&notice.workitem_id))
            .cloned()
            .collect();
        let stale = |notice: &Notice| {
            acted_on == Some(notice.workitem_id.as_str()) || ended.contains(&notice.workitem_id)
        };
        let changes = !refusals.is_empty()
            || self
                .notices
                .with_untracked(|notices| notices.iter().any(stale));
        if !changes {
            return;
        }
        self.notices.update(|notices| {
            notices.retain(|notice| !stale(notice));
            notices.extend(refusals);
        });
    }
}

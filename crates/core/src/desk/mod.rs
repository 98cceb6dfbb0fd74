//! The Desk: the pure state machine at the heart of the widget.
//!
//! The Desk owns the agent's state per channel, the workitems (calls) and
//! their wrap-up sessions. It is a reducer: the shell feeds it one [`Input`]
//! at a time with the current time, and performs the [`Effect`]s it returns,
//! in order:
//!
//! ```text
//! let effects = desk.apply(now, Input::Cti(event));
//! ```
//!
//! No I/O and no clock: `now` is always passed in, so every rule below is a
//! native unit test. The widget shell (and the server's CTI simulator) build
//! on this interface:
//!
//! - **Inputs** ([`Input`]): a CTI event ([`crate::bs::CilEvent`]); an agent
//!   action ([`AgentAction`]: select a code, edit notes, submit, extend,
//!   cancel, dismiss, reopen a refused submission); an integrator request
//!   that changes data ([`IntegratorRequest`]: `setWrapupReason`,
//!   `updateWorkitemData`); a backend answer ([`BackendAnswer`]: segment
//!   opened with its [`WrapupConfig`] and `opened_on`, submission sent /
//!   confirmed / failed / refused, extension and cancel accepted /
//!   refused); persisted state after a reload ([`Restore`]); the CTI system
//!   starting over ([`Input::CtiReset`]); a clock tick.
//! - **Effects** ([`Effect`]): emit a `cil` event to integrators; create the
//!   interaction record; open (or find) the wrap-up segment; submit the
//!   wrap-up (or withdraw a refused submission); request an extension or a
//!   cancel; persist or discard the agent's draft; tell the agent why
//!   something was refused.
//! - **State**, read through [`Desk::workitem`], [`Desk::session`] (a
//!   [`WrapupSession`] with its phase, codes, notes, deadline and
//!   [`Submission`]) and [`Desk::agent_state`].
//!
//! # Rules
//!
//! - **Exactly once.** A workitem only moves forward (alerting → talking →
//!   wrap-up → ended; pause and resume alternate while talking). A repeated
//!   or out-of-order event (a second connect, a connect after wrap-up) is
//!   ignored whole. `workitemCreate`, `workitemConnect`, `workitemWrapup` and
//!   `workitemEnd` reach integrators at most once per workitem; data events
//!   only when the data changed. Ended workitems leave the live map and are
//!   remembered in a bounded set of tombstones
//!   ([`DEFAULT_TOMBSTONE_CAPACITY`]), so late duplicates are ignored and
//!   memory stays flat.
//! - **Call recovery.** The first event of an unknown workitem is preceded by
//!   a synthesized `workitemCreate` carrying the workitem's current state (as
//!   b+s Connects does on recovery). A connect, wrap-up or end then follows
//!   as itself; a pause, resume or data change does not, since the create
//!   already says it.
//! - **Deadline.** `deadline = opened_on + duration`, with the server's
//!   `opened_on`, moved only by an extension the backend accepted. A wrap-up
//!   without a duration has no deadline and never expires. Expiry is checked
//!   before and after every input, so `now >= deadline` submits whatever the
//!   input is; a [`Input::Tick`] is needed only when nothing else arrives
//!   ([`Desk::next_deadline`] says when).
//! - **One submission per workitem, unless the backend refused it.** On
//!   expiry (or when the CTI system ends the workitem before the agent
//!   submitted) the Desk submits the selected code — the default code is
//!   preselected — automatically, once. While codes are required
//!   (`enable_codes`) and none is selected, a manual submit is refused; on
//!   expiry the default code is used, and if there is none, nothing is
//!   submitted and the agent is told. The shell's persisted outbox owns
//!   retries and idempotency; the Desk only follows the submission's state
//!   (saving → sent → confirmed, or failed while the outbox retries, or
//!   refused when the backend will not take it as it is).
//! - **A refused submission can be changed.** Once the backend refused it
//!   (not while a passing failure is retried), the agent may take it back
//!   ([`AgentAction::Reopen`]): it leaves the outbox
//!   ([`Effect::WithdrawSubmission`]), the form comes back with its code and
//!   notes as the draft, and the agent submits again. Such a wrap-up is
//!   never submitted on its own: when its time is over (already, or later)
//!   or its workitem ends, it waits for the agent
//!   ([`WrapupPhase::ExpiredUnsubmitted`], [`WrapupSession::reopened`]),
//!   across a reload too (the draft says so).
//! - **Nothing the agent wrote vanishes.** A wrap-up is forgotten once its
//!   workitem has ended and it is over: its submission confirmed, or
//!   cancelled. A failed or refused submission (the shell offers Retry; a
//!   refused one the agent may change) and an expiry without a submission
//!   (the agent may still submit) stay, with the notes, until the agent
//!   dismisses them ([`AgentAction::Dismiss`], which discards the draft).
//!   Dismiss is refused while a submission is on its way and while the
//!   wrap-up is open (unless the agent reopened it after a refusal).
//! - **Extend** follows [`crate::extension::check_extension`] (at least 5 s,
//!   at most 15 min per request) and waits for the backend's answer; while an
//!   extension or a cancel is unanswered, expiry waits too.
//! - **Cancel** ends the wrap-up without a submission once the backend accepts.
//! - **Custom reasons.** A reason set by an integrator (or the CTI system)
//!   that is not an allowed code is added as a custom code, selected;
//!   choosing any other code removes it (the spec's `setWrapupReason`).
//!   Whether the backend takes it is [`WrapupConfig::custom_codes_allowed`]
//!   (a ServiceNow segment with allowed codes answers 400 to any other code).
//!   When it does not, the reason is still shown selected, as the b+s spec
//!   says, but the submission — by the agent or automatic — sends the allowed
//!   fallback (the default code, else none) and puts the reason at the start
//!   of the notes (`"<reason> — <notes>"`, cut to the notes limit), so that
//!   the wrap-up is stored and the reason is not lost. With codes required
//!   and no default there is no fallback: the agent must choose a code.
//! - **CTI reset.** When the CTI system's event source starts over as
//!   another one ([`Input::CtiReset`]: the server's database was replaced
//!   while the widget ran), nothing it said before holds, and the Desk shows
//!   only what the new source says:
//!   - every live workitem leaves the Desk with a `workitemEnd` in state
//!     `EndedUnknown`. The b+s spec raises `workitemEnd` "when a work item
//!     disappears from b+s Connects", and integrators that act on a
//!     workitem's create (a screen pop, a timer) rely on its end; the state
//!     says that how it ended is not known. Workitems that had already ended
//!     raise nothing: integrators heard their end;
//!   - a wrap-up not yet submitted goes with its workitem, without an
//!     automatic submission (no code is made up for a call the CTI system no
//!     longer knows) and without discarding the draft (the shell keeps what
//!     the agent typed);
//!   - a wrap-up already submitted stays: it is the agent's work on its way
//!     to the wrap-up backend, which is not the CTI system. It settles as any
//!     other (confirmed: forgotten; failed: the agent retries or dismisses);
//!   - the agent's state is forgotten until the CTI system tells it again
//!     (the shell asks for it), and so are the ended workitems' ids, which
//!     the new source may use for workitems of its own.
//! - **Picker choices** ([`WrapupSession::choices`]) list every code the
//!   session accepts: the custom code, the default code even when the backend
//!   did not list it, and the allowed codes.

mod agent_state;
mod call_data;
mod config;
mod countdown;
mod effect;
mod hold;
mod input;
mod lifecycle;
mod notes;
mod reset;
mod session;
mod tombstones;
mod wrapup;

use litemap::LiteMap;

use chrono::{DateTime, Utc};

use crate::bs::{ChannelSelector, CilEvent, Workitem, WorkitemState};

pub use agent_state::AgentChannelState;
pub use config::{WrapupCode, WrapupConfig};
pub use countdown::{
    ANNOUNCEMENT_THRESHOLDS, Announcement, Countdown, CountdownBand, crossed_announcement,
    until_next_second,
};
pub use effect::{Effect, Refusal, WrapupSubmission};
pub use hold::HoldTime;
pub use input::{AgentAction, BackendAnswer, Input, IntegratorRequest, Restore};
pub use notes::{
    FittedText, GENESYS_DISPOSITION_DESC_LIMIT, NotesLimit, NotesUnit, SERVICENOW_NOTES_LIMIT,
};
pub use session::{
    SavedWrapup, Submission, SubmissionState, WrapupDraft, WrapupPhase, WrapupSession,
};
pub use tombstones::DEFAULT_TOMBSTONE_CAPACITY;

use lifecycle::LiveWorkitem;
use tombstones::Tombstones;

/// The agent's desk: agent state, workitems and wrap-ups. See the module
/// documentation for the rules.
///
/// Its maps are flat and sorted by key ([`LiteMap`]): an agent has a handful
/// of channels, calls and wrap-ups at once, and in the widget's wasm a flat
/// map is a fraction of a `BTreeMap`'s code.
#[derive(Debug, Clone)]
pub struct Desk {
    agent_states: LiteMap<String, AgentChannelState>,
    workitems: LiteMap<String, LiveWorkitem>,
    sessions: LiteMap<String, WrapupSession>,
    ended: Tombstones,
    /// The newest wrap-up confirmed, with its [`WrapupSession::order`].
    last_saved: Option<(SavedWrapup, u64)>,
    wrapups_begun: u64,
}

impl Default for Desk {
    fn default() -> Self {
        Self::new()
    }
}

impl Desk {
    /// An empty desk that remembers [`DEFAULT_TOMBSTONE_CAPACITY`] ended workitems.
    pub fn new() -> Self {
        Self::with_tombstone_capacity(DEFAULT_TOMBSTONE_CAPACITY)
    }

    /// An empty desk that remembers `capacity` ended workitems.
    pub fn with_tombstone_capacity(capacity: usize) -> Self {
        Self {
            agent_states: LiteMap::new(),
            workitems: LiteMap::new(),
            sessions: LiteMap::new(),
            ended: Tombstones::with_capacity(capacity),
            last_saved: None,
            wrapups_begun: 0,
        }
    }

    /// Applies one input at `now` and returns the effects to perform, in order.
    pub fn apply(&mut self, now: DateTime<Utc>, input: Input) -> Vec<Effect> {
        let mut effects = Vec::new();
        // Time passed before the input arrived: a wrap-up whose time is over
        // is submitted before the input can change it.
        self.submit_due(now, &mut effects);
        match input {
            Input::Cti(event) => match event.into_workitem() {
                Ok((kind, workitem)) => self.on_workitem_event(now, kind, workitem, &mut effects),
                Err(CilEvent::AgentStateChange(change)) => {
                    self.on_agent_state_change(change, &mut effects)
                }
                // Queue data and CTI errors are not the Desk's to judge: they
                // reach integrators as they came.
                Err(other) => effects.push(Effect::Emit(other)),
            },
            Input::Agent(action) => self.on_agent_action(now, action, &mut effects),
            Input::Integrator(request) => self.on_integrator_request(request, &mut effects),
            Input::Backend(answer) => self.on_backend_answer(answer, &mut effects),
            Input::Restore(restore) => self.on_restore(restore),
            Input::CtiReset => self.on_cti_reset(&mut effects),
            Input::Tick => {}
        }
        // The input may have made a submission due (the workitem ended, a
        // segment opened late, an extension or cancel was refused).
        self.submit_due(now, &mut effects);
        self.forget_settled();
        effects
    }

    /// A live (not ended) workitem, as the Desk knows it.
    pub fn workitem(&self, workitem_id: &str) -> Option<&Workitem> {
        self.workitems.get(workitem_id).map(|live| &live.workitem)
    }

    /// How long a live workitem has been on hold, from the instants the Desk
    /// applied its pauses and resumes.
    pub fn hold_time(&self, workitem_id: &str) -> Option<HoldTime> {
        self.workitems.get(workitem_id).map(|live| live.hold)
    }

    /// Every live workitem, by id.
    pub fn workitems(&self) -> impl Iterator<Item = &Workitem> {
        self.workitems.values().map(|live| &live.workitem)
    }

    /// The wrap-up of a workitem. It outlives the workitem until it is over
    /// (its submission confirmed, or cancelled) or the agent dismisses it.
    pub fn session(&self, workitem_id: &str) -> Option<&WrapupSession> {
        self.sessions.get(workitem_id)
    }

    /// Every wrap-up the Desk holds, by workitem id.
    pub fn sessions(&self) -> impl Iterator<Item = &WrapupSession> {
        self.sessions.values()
    }

    /// The newest wrap-up the backend confirmed (by its submission time,
    /// not by when the confirmation came): its panel has left (or will when
    /// the call ends), and the agent is told it was saved.
    pub fn last_saved(&self) -> Option<&SavedWrapup> {
        self.last_saved.as_ref().map(|(saved, _)| saved)
    }

    /// The agent's state on a channel (by the channel id of `agentStateChange`).
    pub fn agent_state(&self, channel_id: &str) -> Option<&AgentChannelState> {
        self.agent_states.get(channel_id)
    }

    /// The agent's state on every channel, by channel id.
    pub fn agent_states(&self) -> impl Iterator<Item = (&str, &AgentChannelState)> {
        self.agent_states
            .iter()
            .map(|(id, state)| (id.as_str(), state))
    }

    /// The earliest deadline of an open wrap-up: when the shell should feed
    /// a [`Input::Tick`] if nothing else happens before.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.running_deadlines().min()
    }

    /// The deadlines of the wrap-ups still open, whose countdowns run.
    pub fn running_deadlines(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.sessions
            .values()
            .filter(|session| session.phase() == WrapupPhase::Open)
            .filter_map(WrapupSession::deadline)
    }

    /// `isUpdateWorkitemDataEnabled`: whether the workitem is live on a
    /// channel `channel_id` addresses.
    pub fn is_update_workitem_data_enabled(&self, channel_id: &str, workitem_id: &str) -> bool {
        let Ok(selector) = ChannelSelector::parse(channel_id) else {
            return false;
        };
        self.workitem(workitem_id).is_some_and(|workitem| {
            workitem
                .channel_id
                .as_deref()
                .is_none_or(|channel| selector.matches(channel))
        })
    }

    /// `isSendDtmfEnabled`: whether a call is active (not on hold), so that
    /// tones can be sent.
    pub fn is_send_dtmf_enabled(&self) -> bool {
        self.workitems()
            .any(|workitem| workitem.state == WorkitemState::Active)
    }

    /// How many ended workitems the Desk remembers (never more than its capacity).
    pub fn tombstone_count(&self) -> usize {
        self.ended.len()
    }
}

//! What goes into the Desk: everything that can change its state.

use chrono::{DateTime, TimeDelta, Utc};

use crate::bs::{CilEvent, CilRequest, SetWrapupReason, UpdateWorkitemData};

use super::config::WrapupConfig;
use super::effect::WrapupSubmission;
use super::session::WrapupDraft;

/// One input of [`super::Desk::apply`].
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "an input is built once and moved straight into `apply`; boxing would only add an allocation"
)]
pub enum Input {
    /// A CTI event from the event source (SSE from the server, postMessage
    /// from the host page), in the b+s shape.
    Cti(CilEvent),
    /// The agent did something in the widget.
    Agent(AgentAction),
    /// An integrator asked, through `cil`, to change a workitem's data.
    Integrator(IntegratorRequest),
    /// The backend answered an effect.
    Backend(BackendAnswer),
    /// The shell found persisted state of a wrap-up after a reload.
    Restore(Restore),
    /// The CTI system's event source started over as another one (the
    /// server's database was replaced while the widget ran): nothing it said
    /// before holds. Every live workitem leaves with a `workitemEnd` in state
    /// `EndedUnknown`, its wrap-up with it unless the wrap-up was already
    /// submitted; the agent's state and the ended workitems are forgotten.
    /// See the module documentation ("CTI reset") for why.
    CtiReset,
    /// Time passed; nothing else happened. Expiry is checked on every input,
    /// so a tick is only needed when nothing else arrives (see
    /// [`super::Desk::next_deadline`] for when).
    Tick,
}

/// What the agent can do with a workitem's wrap-up.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentAction {
    /// Picked a wrap-up code from the list.
    SelectCode {
        /// The workitem.
        workitem_id: String,
        /// The code (an allowed code, or the custom code an integrator set).
        code: String,
    },
    /// Changed the notes (the whole new text).
    EditNotes {
        /// The workitem.
        workitem_id: String,
        /// The notes as they now read.
        notes: String,
    },
    /// Pressed Submit.
    Submit {
        /// The workitem.
        workitem_id: String,
    },
    /// Asked for more time.
    Extend {
        /// The workitem.
        workitem_id: String,
        /// How much to add to the current deadline.
        by: TimeDelta,
    },
    /// Cancelled the wrap-up: it ends without a submission.
    Cancel {
        /// The workitem.
        workitem_id: String,
    },
    /// Dismissed a wrap-up that will not be saved as it is: its submission
    /// failed, or the time ran out with no code to submit. The wrap-up and
    /// its draft are discarded. Refused while a submission is on its way and
    /// while the wrap-up is still open.
    Dismiss {
        /// The workitem.
        workitem_id: String,
    },
    /// Took back a submission the backend refused as it is, to change the
    /// code or the notes and submit again: the form comes back with them as
    /// submitted. Allowed only once the shell has given up on it
    /// ([`BackendAnswer::SubmissionRefused`]); refused while it is on its
    /// way or still retried in the background. From then on the wrap-up is
    /// submitted by the agent only: when its time is over (or its workitem
    /// ended) it waits for them instead of sending the refused choice again.
    Reopen {
        /// The workitem.
        workitem_id: String,
    },
}

impl AgentAction {
    /// The workitem the action is about.
    pub fn workitem_id(&self) -> &str {
        match self {
            AgentAction::SelectCode { workitem_id, .. }
            | AgentAction::EditNotes { workitem_id, .. }
            | AgentAction::Submit { workitem_id }
            | AgentAction::Extend { workitem_id, .. }
            | AgentAction::Cancel { workitem_id }
            | AgentAction::Dismiss { workitem_id }
            | AgentAction::Reopen { workitem_id } => workitem_id,
        }
    }
}

/// The integrator requests that change the Desk's state. The other requests
/// (`setAgentState`, `directTransfer`, ...) go to the CTI system, whose events
/// come back as [`Input::Cti`].
#[derive(Debug, Clone, PartialEq)]
pub enum IntegratorRequest {
    /// `setWrapupReason`.
    SetWrapupReason(SetWrapupReason),
    /// `updateWorkitemData` (call variables, ECC variables, `wrapUpReason`).
    UpdateWorkitemData(UpdateWorkitemData),
}

impl IntegratorRequest {
    /// The request in its `cil` form.
    pub fn to_cil(&self) -> CilRequest {
        match self {
            Self::SetWrapupReason(request) => CilRequest::SetWrapupReason(request.clone()),
            Self::UpdateWorkitemData(request) => CilRequest::UpdateWorkitemData(request.clone()),
        }
    }
}

impl TryFrom<CilRequest> for IntegratorRequest {
    /// A request the Desk does not handle, given back unchanged.
    type Error = CilRequest;

    fn try_from(request: CilRequest) -> Result<Self, Self::Error> {
        match request {
            CilRequest::SetWrapupReason(request) => Ok(Self::SetWrapupReason(request)),
            CilRequest::UpdateWorkitemData(request) => Ok(Self::UpdateWorkitemData(request)),
            other => Err(other),
        }
    }
}

/// The backend's answer to an effect. The shell must answer every
/// `RequestExtension` and `RequestCancel` (a network failure is a refusal):
/// while one is unanswered, expiry waits for it.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendAnswer {
    /// The wrap-up segment was found or opened (answer to `OpenWrapupSegment`).
    SegmentOpened {
        /// The workitem.
        workitem_id: String,
        /// The backend's id of the segment, handed back in later effects.
        segment_id: Option<String>,
        /// How this wrap-up works.
        configuration: WrapupConfig,
        /// When the wrap-up began, by the server's clock: the deadline is
        /// `opened_on` + the configured duration.
        opened_on: DateTime<Utc>,
    },
    /// The submission is in the shell's persisted outbox and on its way.
    SubmissionSent {
        /// The workitem.
        workitem_id: String,
    },
    /// The backend stored the submission.
    SubmissionConfirmed {
        /// The workitem.
        workitem_id: String,
    },
    /// The submission failed a few times in passing (no answer, a server
    /// error), and the outbox keeps retrying it in the background; or the
    /// server did not accept the widget's sign-in, and the outbox sends it
    /// once it does. Either is no fault of the wrap-up's.
    SubmissionFailed {
        /// The workitem.
        workitem_id: String,
        /// Why, for the agent.
        reason: String,
    },
    /// The backend refused the submission as it is (an answer that will not
    /// change by retrying it): the outbox gave up, and keeps it until the
    /// agent retries, changes it ([`AgentAction::Reopen`]) or dismisses it.
    SubmissionRefused {
        /// The workitem.
        workitem_id: String,
        /// Why, for the agent.
        reason: String,
    },
    /// The extension was granted.
    ExtensionAccepted {
        /// The workitem.
        workitem_id: String,
        /// The new end of the wrap-up, as the backend answered it.
        new_deadline: DateTime<Utc>,
    },
    /// The extension was refused.
    ExtensionRefused {
        /// The workitem.
        workitem_id: String,
        /// Why, for the agent.
        reason: String,
    },
    /// The wrap-up was cancelled.
    CancelAccepted {
        /// The workitem.
        workitem_id: String,
    },
    /// The cancel was refused.
    CancelRefused {
        /// The workitem.
        workitem_id: String,
        /// Why, for the agent.
        reason: String,
    },
}

impl BackendAnswer {
    /// The workitem the answer is about.
    pub fn workitem_id(&self) -> &str {
        match self {
            BackendAnswer::SegmentOpened { workitem_id, .. }
            | BackendAnswer::SubmissionSent { workitem_id }
            | BackendAnswer::SubmissionConfirmed { workitem_id }
            | BackendAnswer::SubmissionFailed { workitem_id, .. }
            | BackendAnswer::SubmissionRefused { workitem_id, .. }
            | BackendAnswer::ExtensionAccepted { workitem_id, .. }
            | BackendAnswer::ExtensionRefused { workitem_id, .. }
            | BackendAnswer::CancelAccepted { workitem_id }
            | BackendAnswer::CancelRefused { workitem_id, .. } => workitem_id,
        }
    }
}

/// Persisted state the shell hands back after a reload. Restore a wrap-up
/// once the Desk has asked for its segment again (`OpenWrapupSegment`): the
/// Desk ignores a restore for a wrap-up it does not know.
#[derive(Debug, Clone, PartialEq)]
pub enum Restore {
    /// The agent's unsent draft (code, custom code, notes).
    Draft {
        /// The workitem.
        workitem_id: String,
        /// The draft as last persisted.
        draft: WrapupDraft,
    },
    /// A submission found in the outbox: the Desk records it as sent and never
    /// submits this workitem again.
    Submission(WrapupSubmission),
}

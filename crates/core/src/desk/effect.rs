//! What comes out of the Desk: the work the shell performs.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::bs::{CilEvent, Workitem};
use crate::extension::ExtensionError;

use super::session::WrapupDraft;

/// One effect of [`super::Desk::apply`], in the order the shell should
/// perform them.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Dispatch this event to integrators (`cil.onX` callbacks in the page and
    /// in the host page).
    Emit(CilEvent),
    /// Create the interaction record of an answered workitem, or find the one
    /// that exists (the adapter makes this idempotent by workitem id). Emitted
    /// once per workitem, before anything else needs the record.
    CreateInteraction {
        /// The workitem as the Desk knows it.
        workitem: Workitem,
    },
    /// Find the wrap-up segment of the workitem or open one, then answer
    /// [`super::BackendAnswer::SegmentOpened`]. Emitted once per workitem.
    OpenWrapupSegment {
        /// The workitem as the Desk knows it.
        workitem: Workitem,
        /// When the Desk saw the wrap-up begin: the `opened_on` to propose if
        /// a segment has to be opened. The server's answer is the truth.
        wrapup_started_at: DateTime<Utc>,
    },
    /// Submit the wrap-up. Emitted once per workitem, and again only after
    /// the backend refused it and the agent took it back to change it
    /// (`WithdrawSubmission` came first): the shell's persisted outbox owns
    /// retries and idempotency, and reports back with `SubmissionSent` /
    /// `SubmissionConfirmed` / `SubmissionFailed` / `SubmissionRefused`.
    SubmitWrapup(WrapupSubmission),
    /// Ask the backend to move the end of the wrap-up.
    RequestExtension {
        /// The workitem.
        workitem_id: String,
        /// The segment, as the backend named it.
        segment_id: Option<String>,
        /// The deadline now.
        current_end: DateTime<Utc>,
        /// The deadline asked for (already within the extension limits).
        requested_end: DateTime<Utc>,
    },
    /// Ask the backend to cancel the wrap-up.
    RequestCancel {
        /// The workitem.
        workitem_id: String,
        /// The segment, as the backend named it (none if it is not open yet).
        segment_id: Option<String>,
    },
    /// Persist the agent's draft, so that a reload does not lose it.
    PersistDraft {
        /// The workitem.
        workitem_id: String,
        /// The draft.
        draft: WrapupDraft,
    },
    /// The wrap-up is over (stored, cancelled, or dismissed by the agent):
    /// forget what the shell keeps of it, the persisted draft and a
    /// submission still waiting to be delivered (after a dismissal: the agent
    /// chose to discard it).
    ForgetWrapup {
        /// The workitem.
        workitem_id: String,
    },
    /// The agent took back a refused submission to change it
    /// ([`super::AgentAction::Reopen`]): drop it from the outbox, so that no
    /// reload sends it again. What it held is the draft now (a
    /// `PersistDraft` follows).
    WithdrawSubmission {
        /// The workitem.
        workitem_id: String,
    },
    /// Tell the agent something did not happen, and why.
    Refused {
        /// The workitem.
        workitem_id: String,
        /// Why.
        reason: Refusal,
    },
}

/// A wrap-up to submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapupSubmission {
    /// The workitem.
    pub workitem_id: String,
    /// The segment, as the backend named it.
    pub segment_id: Option<String>,
    /// The wrap-up code; `None` only when codes are not required and none was chosen.
    pub code: Option<String>,
    /// The agent's notes.
    pub notes: String,
    /// When the wrap-up was completed (the Desk's `now` at submission).
    pub confirmed_on: DateTime<Utc>,
    /// Whether the Desk submitted it on its own (the time ran out, or the CTI
    /// system ended the workitem) rather than the agent pressing Submit.
    pub automatic: bool,
}

/// Why an action did not happen, in words for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No wrap-up is in progress for the workitem.
    NoWrapup,
    /// The backend has not sent the wrap-up configuration yet.
    ConfigurationPending,
    /// The code is not one of the allowed codes.
    UnknownCode(String),
    /// Submit without a code while codes are required.
    CodeRequired,
    /// The wrap-up was already submitted.
    AlreadySubmitted,
    /// The wrap-up was cancelled.
    Cancelled,
    /// A cancel is waiting for the backend.
    CancelPending,
    /// Extend on a wrap-up without a time limit.
    NoDeadline,
    /// The time is over.
    Expired,
    /// An extension is waiting for the backend.
    ExtensionPending,
    /// The extension is outside the limits.
    Extension(ExtensionError),
    /// The backend refused the extension.
    ExtensionRefused(String),
    /// The backend refused the cancel.
    CancelRefused(String),
    /// The time ran out while a code is required and none was selected and
    /// there is no default: nothing was submitted.
    NoCodeAtExpiry,
    /// Dismiss while the wrap-up is still open: it must be submitted or
    /// cancelled.
    StillOpen,
    /// The notes were cut to the backend's limit.
    NotesTruncated {
        /// The limit.
        limit: usize,
        /// How many characters were cut.
        cut_chars: usize,
    },
}

impl fmt::Display for Refusal {
    /// The fixed texts are chosen by a match and written by one call, where
    /// a `write!` per variant (as `thiserror` writes them) was compiled once
    /// each (the wasm is smaller).
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::NoWrapup => "there is no wrap-up in progress for this call",
            Self::ConfigurationPending => {
                "the wrap-up is still being opened; try again in a moment"
            }
            Self::UnknownCode(code) => {
                return write!(
                    formatter,
                    "`{code}` is not one of the wrap-up codes you can choose"
                );
            }
            Self::CodeRequired => "choose a wrap-up code before submitting",
            Self::AlreadySubmitted => "the wrap-up was already submitted",
            Self::Cancelled => "the wrap-up was cancelled",
            Self::CancelPending => "the wrap-up is being cancelled",
            Self::NoDeadline => "this wrap-up has no time limit to extend",
            Self::Expired => "the wrap-up time is over",
            Self::ExtensionPending => "an extension is already being requested",
            Self::Extension(error) => return error.fmt(formatter),
            Self::ExtensionRefused(reason) => {
                return write!(formatter, "the extension was refused: {reason}");
            }
            Self::CancelRefused(reason) => {
                return write!(formatter, "the wrap-up could not be cancelled: {reason}");
            }
            Self::NoCodeAtExpiry => {
                "the time ran out with no wrap-up code to submit; choose one and submit"
            }
            Self::StillOpen => "the wrap-up is still open; submit or cancel it",
            Self::NotesTruncated { limit, cut_chars } => {
                return write!(
                    formatter,
                    "the notes were cut to {limit} characters ({cut_chars} characters removed)"
                );
            }
        };
        formatter.write_str(text)
    }
}

impl std::error::Error for Refusal {}

//! One workitem's wrap-up: the configuration, the agent's choice and notes,
//! the deadline and extensions, the cancel and the submission.
//!
//! The session only decides; the Desk turns its answers into effects. The
//! submission rules live in `submission.rs`, extend and cancel in
//! `extend_cancel.rs`.

mod extend_cancel;
mod submission;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::config::{WrapupCode, WrapupConfig};
use super::countdown::Countdown;
use super::effect::Refusal;
use crate::bs::Workitem;
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError};

pub use submission::{SavedWrapup, Submission, SubmissionState};

/// What the agent has typed and chosen and not yet submitted; persisted so
/// that a reload does not lose it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WrapupDraft {
    /// The selected code.
    pub selected_code: Option<String>,
    /// The custom code an integrator added, if any.
    pub custom_code: Option<String>,
    /// The notes.
    pub notes: String,
    /// Why the backend refused the submission the agent took back to change:
    /// while set, the Desk does not submit the wrap-up on its own (see
    /// [`WrapupSession::reopened`]). Stored only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_reason: Option<String>,
}

impl FromJson for WrapupDraft {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct WrapupDraft")?;
        let read = Self {
            selected_code: fields.optional("selected_code"),
            custom_code: fields.optional("custom_code"),
            notes: fields.required("notes"),
            refused_reason: fields.optional("refused_reason"),
        };
        fields.finish(read)
    }
}

// Written by hand for the widget, as `Serialize` writes it (`json::write`).
impl ToJson for WrapupDraft {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field("selected_code", &self.selected_code);
        out.field("custom_code", &self.custom_code);
        out.field_str("notes", &self.notes);
        out.optional("refused_reason", &self.refused_reason);
        out.end_object();
    }
}

/// The stage of a wrap-up, for the widget to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WrapupPhase {
    /// Waiting for the backend's segment and configuration.
    Opening,
    /// The agent is wrapping up; the countdown runs if there is a duration.
    Open,
    /// A cancel is waiting for the backend.
    Cancelling,
    /// Cancelled: it ended without a submission.
    Cancelled,
    /// Submitted (see [`WrapupSession::submission`] for how far it got).
    Submitted,
    /// The time ran out (or the workitem ended) and nothing was submitted:
    /// no code to submit while one is required, or the agent had taken the
    /// wrap-up back after a refusal ([`WrapupSession::reopened`]). The
    /// agent may still submit.
    ExpiredUnsubmitted,
}

/// The backend's segment, once opened.
#[derive(Debug, Clone, PartialEq)]
struct OpenedSegment {
    segment_id: Option<String>,
    configuration: WrapupConfig,
    opened_on: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CancelState {
    None,
    Pending,
    Done,
}

/// The wrap-up of one workitem.
#[derive(Debug, Clone, PartialEq)]
pub struct WrapupSession {
    workitem_id: String,
    caller: Option<String>,
    connected_at: Option<DateTime<Utc>>,
    started_at: DateTime<Utc>,
    segment: Option<OpenedSegment>,
    selected_code: Option<String>,
    custom_code: Option<String>,
    notes: String,
    submission: Option<Submission>,
    pending_extension: Option<DateTime<Utc>>,
    cancel: CancelState,
    expired_unsubmitted: bool,
    refused_reason: Option<String>,
    workitem_ended: bool,
    order: u64,
}

impl WrapupSession {
    /// The wrap-up of `workitem`, begun at `started_at`. A wrap-up reason the
    /// call already has (set by an integrator or the CTI system before
    /// wrap-up) becomes the selection, as if set now. The caller and when
    /// the call was established are kept, so that the wrap-up can still say
    /// which call it was after the workitem ended.
    /// `order` is its place among the wrap-ups the Desk has begun.
    pub(super) fn new(workitem: &Workitem, started_at: DateTime<Utc>, order: u64) -> Self {
        let reason = workitem.wrap_up_reason();
        Self {
            workitem_id: workitem.id.clone(),
            caller: workitem.caller().map(str::to_owned),
            connected_at: workitem.connected_at,
            started_at,
            segment: None,
            selected_code: reason.map(str::to_owned),
            custom_code: reason.map(str::to_owned),
            notes: String::new(),
            submission: None,
            pending_extension: None,
            cancel: CancelState::None,
            expired_unsubmitted: false,
            refused_reason: None,
            workitem_ended: false,
            order,
        }
    }

    /// Its place among the wrap-ups the Desk has begun, in the order of the
    /// CTI events (replayed after a reload in the same order).
    pub(in crate::desk) fn order(&self) -> u64 {
        self.order
    }

    /// The workitem.
    pub fn workitem_id(&self) -> &str {
        &self.workitem_id
    }

    /// Who the call was with, as the workitem said when the wrap-up began
    /// ([`Workitem::caller`]).
    pub fn caller(&self) -> Option<&str> {
        self.caller.as_deref()
    }

    /// When the call was established (the workitem's `connectedAt`), if the
    /// CTI system said so before the wrap-up began.
    pub fn connected_at(&self) -> Option<DateTime<Utc>> {
        self.connected_at
    }

    /// When the Desk saw the wrap-up begin.
    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    /// The stage of the wrap-up.
    pub fn phase(&self) -> WrapupPhase {
        if self.submission.is_some() {
            WrapupPhase::Submitted
        } else if self.cancel == CancelState::Done {
            WrapupPhase::Cancelled
        } else if self.cancel == CancelState::Pending {
            WrapupPhase::Cancelling
        } else if self.segment.is_none() {
            WrapupPhase::Opening
        } else if self.expired_unsubmitted {
            WrapupPhase::ExpiredUnsubmitted
        } else {
            WrapupPhase::Open
        }
    }

    /// The configuration, once the segment is open.
    pub fn configuration(&self) -> Option<&WrapupConfig> {
        self.segment.as_ref().map(|segment| &segment.configuration)
    }

    /// The backend's id of the segment.
    pub fn segment_id(&self) -> Option<&str> {
        self.segment.as_ref()?.segment_id.as_deref()
    }

    /// When the wrap-up began by the server's clock.
    pub fn opened_on(&self) -> Option<DateTime<Utc>> {
        self.segment.as_ref().map(|segment| segment.opened_on)
    }

    /// When the time runs out; `None` before the segment opens and for a
    /// wrap-up without a time limit.
    pub fn deadline(&self) -> Option<DateTime<Utc>> {
        self.segment.as_ref()?.deadline
    }

    /// The countdown at `now`, when there is a deadline.
    pub fn countdown(&self, now: DateTime<Utc>) -> Option<Countdown> {
        let segment = self.segment.as_ref()?;
        Some(Countdown::at(segment.opened_on, segment.deadline?, now))
    }

    /// The selected code (the default code is preselected).
    pub fn selected_code(&self) -> Option<&str> {
        self.selected_code.as_deref()
    }

    /// The code an integrator added that is not an allowed code.
    pub fn custom_code(&self) -> Option<&str> {
        self.custom_code.as_deref()
    }

    /// The codes the picker offers: the custom code first (it is selected
    /// when added), then the default code if the backend did not list it
    /// (it is acceptable and preselected, so it must be shown), then the
    /// allowed codes.
    pub fn choices(&self) -> Vec<WrapupCode> {
        let custom = self.custom_code.iter().map(WrapupCode::new);
        let configuration = self.configuration();
        let unlisted_default = configuration
            .and_then(|configuration| {
                let default = configuration.default_code.as_deref()?;
                configuration.find(default).is_none().then_some(default)
            })
            .filter(|default| self.custom_code.as_deref() != Some(*default))
            .map(WrapupCode::new);
        let allowed = configuration
            .into_iter()
            .flat_map(|configuration| configuration.allowed_codes.iter().cloned());
        custom.chain(unlisted_default).chain(allowed).collect()
    }

    /// The notes.
    pub fn notes(&self) -> &str {
        &self.notes
    }

    /// The submission, once made.
    pub fn submission(&self) -> Option<&Submission> {
        self.submission.as_ref()
    }

    /// The deadline an extension asked for, while the backend has not answered.
    pub fn pending_extension(&self) -> Option<DateTime<Utc>> {
        self.pending_extension
    }

    /// Whether the agent took the wrap-up back after the backend refused its
    /// submission ([`crate::desk::AgentAction::Reopen`]): only the agent
    /// submits it now.
    pub fn reopened(&self) -> bool {
        self.refused_reason.is_some()
    }

    /// Why the backend refused the submission the agent took back, for the
    /// agent to read while they change it.
    pub fn refused_reason(&self) -> Option<&str> {
        self.refused_reason.as_deref()
    }

    /// Whether the CTI system has ended the workitem.
    pub fn workitem_ended(&self) -> bool {
        self.workitem_ended
    }

    /// The draft to persist.
    pub fn draft(&self) -> WrapupDraft {
        WrapupDraft {
            selected_code: self.selected_code.clone(),
            custom_code: self.custom_code.clone(),
            notes: self.notes.clone(),
            refused_reason: self.refused_reason.clone(),
        }
    }

    /// Whether nothing more will happen to this wrap-up: its submission is
    /// confirmed, or it was cancelled. A failed or refused submission (the
    /// agent may retry or change it) and an expiry without a submission
    /// (the agent may still submit) are not settled: they stay until the
    /// agent dismisses them.
    pub(super) fn is_settled(&self) -> bool {
        match &self.submission {
            Some(submission) => submission.state == SubmissionState::Confirmed,
            None => self.cancel == CancelState::Done,
        }
    }

    /// Whether the agent may dismiss the wrap-up: its submission failed or
    /// was refused (also once the agent took it back to change it), the
    /// time ran out with nothing submitted, or it is over anyway. Refused
    /// while a submission is on its way (it may still be confirmed) and
    /// while the wrap-up is open (it must be submitted or cancelled).
    pub(super) fn check_dismissable(&self) -> Result<(), Refusal> {
        match &self.submission {
            Some(submission) => match submission.state {
                SubmissionState::Saving | SubmissionState::Sent => Err(Refusal::AlreadySubmitted),
                SubmissionState::Confirmed
                | SubmissionState::Failed { .. }
                | SubmissionState::Refused { .. } => Ok(()),
            },
            None if self.cancel == CancelState::Pending => Err(Refusal::CancelPending),
            None if self.cancel == CancelState::Done
                || self.expired_unsubmitted
                || self.reopened() =>
            {
                Ok(())
            }
            None => Err(Refusal::StillOpen),
        }
    }

    pub(super) fn mark_workitem_ended(&mut self) {
        self.workitem_ended = true;
    }

    /// Refuses changes once the wrap-up is submitted or cancelled.
    fn check_editable(&self) -> Result<(), Refusal> {
        if self.submission.is_some() {
            Err(Refusal::AlreadySubmitted)
        } else if self.cancel == CancelState::Done {
            Err(Refusal::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Whether a reason from outside may still change this wrap-up.
    pub(super) fn accepts_reason(&self) -> Result<(), Refusal> {
        self.check_editable()
    }

    /// Records the backend's segment; returns the notes cut to the limit, if
    /// they had to be. A second answer for the same wrap-up changes nothing,
    /// but that it names the segment of one that went on without knowing it
    /// (it could not be reached): submitted to it from then on, the wrap-up
    /// keeps its codes and time.
    pub(super) fn open(
        &mut self,
        segment_id: Option<String>,
        configuration: WrapupConfig,
        opened_on: DateTime<Utc>,
    ) -> Option<Refusal> {
        if let Some(opened) = &mut self.segment {
            if opened.segment_id.is_none() {
                opened.segment_id = segment_id;
            }
            return None;
        }
        // An impossible duration (beyond the calendar) is no time limit.
        let deadline = configuration
            .duration
            .and_then(|duration| opened_on.checked_add_signed(duration));
        let limit = configuration.notes_limit;
        self.segment = Some(OpenedSegment {
            segment_id,
            configuration,
            opened_on,
            deadline,
        });
        self.reconcile_selection();
        let fitted = limit?.fit(&self.notes);
        let limit = limit?.max_chars();
        fitted.was_cut().then(|| {
            self.notes = fitted.text;
            Refusal::NotesTruncated {
                limit,
                cut_chars: fitted.cut_chars,
            }
        })
    }

    /// The agent picks a code; returns whether the selection changed.
    pub(super) fn select_by_agent(&mut self, code: &str) -> Result<bool, Refusal> {
        self.check_editable()?;
        let configuration = self.configuration().ok_or(Refusal::ConfigurationPending)?;
        let is_custom = self.custom_code.as_deref() == Some(code);
        if !configuration.allows(code) && !is_custom {
            return Err(Refusal::UnknownCode(code.to_owned()));
        }
        if self.selected_code.as_deref() == Some(code) {
            return Ok(false);
        }
        self.selected_code = Some(code.to_owned());
        if !is_custom {
            // The spec: choosing a different reason removes the custom one.
            self.custom_code = None;
        }
        Ok(true)
    }

    /// An integrator (or the CTI system) sets the reason: an allowed code is
    /// selected and removes a custom one; any other reason becomes the custom
    /// code, selected. Returns whether anything changed.
    pub(super) fn select_external(&mut self, reason: &str) -> Result<bool, Refusal> {
        self.check_editable()?;
        let before = (self.selected_code.clone(), self.custom_code.clone());
        let is_allowed = self
            .configuration()
            .is_some_and(|configuration| configuration.allows(reason));
        self.selected_code = Some(reason.to_owned());
        // Before the codes are known every reason is tentatively custom;
        // `open` sorts it out.
        self.custom_code = (!is_allowed).then(|| reason.to_owned());
        Ok(before != (self.selected_code.clone(), self.custom_code.clone()))
    }

    /// The agent edits the notes; returns whether they changed and, if they
    /// had to be cut to the limit, the refusal saying so.
    pub(super) fn set_notes(&mut self, notes: &str) -> Result<(bool, Option<Refusal>), Refusal> {
        self.check_editable()?;
        let limit = self
            .configuration()
            .and_then(|configuration| configuration.notes_limit);
        let (notes, truncated) = match limit {
            Some(limit) => {
                let fitted = limit.fit(notes);
                let refusal = fitted.was_cut().then_some(Refusal::NotesTruncated {
                    limit: limit.max_chars(),
                    cut_chars: fitted.cut_chars,
                });
                (fitted.text, refusal)
            }
            None => (notes.to_owned(), None),
        };
        let changed = notes != self.notes;
        self.notes = notes;
        Ok((changed, truncated))
    }

    /// Applies a restored draft, unless the wrap-up is already submitted or cancelled.
    pub(super) fn restore_draft(&mut self, draft: WrapupDraft) {
        if self.check_editable().is_err() {
            return;
        }
        self.notes = draft.notes;
        self.custom_code = draft.custom_code;
        self.selected_code = draft.selected_code;
        if draft.refused_reason.is_some() {
            self.refused_reason = draft.refused_reason;
        }
        self.reconcile_selection();
    }

    /// Makes the selection agree with the codes, once they are known: a
    /// tentative custom code that turns out to be an allowed code is not
    /// custom, and a selection that is neither allowed nor the custom code
    /// (a stale draft, say) gives way to the default code.
    fn reconcile_selection(&mut self) {
        let Some(segment) = &self.segment else {
            return;
        };
        let configuration = &segment.configuration;
        if self
            .custom_code
            .as_deref()
            .is_some_and(|custom| configuration.allows(custom))
        {
            self.custom_code = None;
        }
        let selection_is_valid = self.selected_code.as_deref().is_some_and(|code| {
            configuration.allows(code) || self.custom_code.as_deref() == Some(code)
        });
        if !selection_is_valid {
            self.selected_code = configuration.default_code.clone();
        }
    }
}

//! The answer of the `cil` bridge's `getWrapupState` (`docs/cil-protocol.md`,
//! `WrapupState` in `public/cil.d.ts`): where a workitem's wrap-up stands,
//! for an integrator that subscribed late.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::wire;
use crate::desk::{Desk, SubmissionState, WrapupPhase};
use crate::json::{ToJson, Writer};

/// Where a submission is, as `getWrapupState` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionStatus {
    /// Nothing submitted yet.
    None,
    /// Handed to the outbox.
    Saving,
    /// In the outbox and on its way.
    Sent,
    /// Stored by the backend.
    Confirmed,
    /// The outbox gave up (see [`WrapupState::failure`]).
    Failed,
}

/// The answer of `getWrapupState` (`WrapupState` in `public/cil.d.ts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrapupState {
    /// The workitem.
    pub workitem_id: String,
    /// Whether the wrap-up has begun and can still change: it is neither
    /// submitted nor cancelled.
    pub in_wrapup: bool,
    /// When the time runs out; absent before the backend opened the wrap-up
    /// and for a wrap-up without a time limit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::timestamp_opt"
    )]
    pub deadline: Option<DateTime<Utc>>,
    /// The selected code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_code: Option<String>,
    /// The agent's notes.
    pub notes: String,
    /// Where the submission is.
    pub submission: SubmissionStatus,
    /// Why the submission failed, in words for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

// Written by hand for the widget, as `Serialize` writes it (`json::write`).
impl ToJson for WrapupState {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("workitemId", &self.workitem_id);
        out.field("inWrapup", &self.in_wrapup);
        wire::write_timestamp(out, "deadline", &self.deadline);
        out.optional("selectedCode", &self.selected_code);
        out.field_str("notes", &self.notes);
        out.field_str("submission", self.submission.as_str());
        out.optional("failure", &self.failure);
        out.end_object();
    }
}

impl SubmissionStatus {
    /// Its name in JSON, as serde's `rename_all = "lowercase"` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Saving => "saving",
            Self::Sent => "sent",
            Self::Confirmed => "confirmed",
            Self::Failed => "failed",
        }
    }
}

impl WrapupState {
    /// The wrap-up state of `workitem_id` on `desk`: a live workitem not in
    /// wrap-up yet has an empty one. `None` when the Desk knows neither the
    /// workitem nor a wrap-up of it (unknown, or its wrap-up is over).
    pub fn of(desk: &Desk, workitem_id: &str) -> Option<Self> {
        let Some(session) = desk.session(workitem_id) else {
            return desk.workitem(workitem_id).map(|_| Self {
                workitem_id: workitem_id.to_owned(),
                in_wrapup: false,
                deadline: None,
                selected_code: None,
                notes: String::new(),
                submission: SubmissionStatus::None,
                failure: None,
            });
        };
        let (submission, failure) = match session.submission().map(|s| &s.state) {
            None => (SubmissionStatus::None, None),
            Some(SubmissionState::Saving) => (SubmissionStatus::Saving, None),
            Some(SubmissionState::Sent) => (SubmissionStatus::Sent, None),
            Some(SubmissionState::Confirmed) => (SubmissionStatus::Confirmed, None),
            Some(SubmissionState::Failed { reason } | SubmissionState::Refused { reason }) => {
                (SubmissionStatus::Failed, Some(reason.clone()))
            }
        };
        Some(Self {
            workitem_id: workitem_id.to_owned(),
            in_wrapup: !matches!(
                session.phase(),
                WrapupPhase::Submitted | WrapupPhase::Cancelled
            ),
            deadline: session.deadline(),
            selected_code: session.selected_code().map(str::to_owned),
            notes: session.notes().to_owned(),
            submission,
            failure,
        })
    }
}

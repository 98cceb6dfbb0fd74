//! The submission of a wrap-up: by the agent, or on its own when the time
//! runs out or the workitem ends; its progress through the outbox; and the
//! agent taking it back to change it when the backend refused it.

use chrono::{DateTime, Utc};

use super::{CancelState, WrapupSession};
use crate::desk::effect::{Refusal, WrapupSubmission};

/// Where a submission is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionState {
    /// Handed to the shell, which persists it in its outbox.
    Saving,
    /// In the outbox and on its way to the backend.
    Sent,
    /// Stored by the backend.
    Confirmed,
    /// Not stored yet: the outbox keeps retrying in the background, or
    /// waits for the server to accept the widget's sign-in (nothing is
    /// wrong with the wrap-up itself); the draft is kept. A retry makes it
    /// [`Self::Sent`] again.
    Failed {
        /// Why, for the agent.
        reason: String,
    },
    /// Refused by the backend as it is: the outbox gave up. The agent may
    /// retry it ([`Self::Sent`] again), take it back to change it
    /// ([`crate::desk::AgentAction::Reopen`]) or dismiss it.
    Refused {
        /// Why, for the agent.
        reason: String,
    },
}

/// The submission of a wrap-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// What was submitted.
    pub submitted: WrapupSubmission,
    /// Where it is.
    pub state: SubmissionState,
}

/// A wrap-up the backend confirmed, as the agent is told once its panel
/// has left: who the call was with, the code saved, when it was submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedWrapup {
    /// The caller, as the panel named them.
    pub caller: Option<String>,
    /// The label of the code saved.
    pub code: Option<String>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
}

impl WrapupSession {
    /// The label of the code submitted (the code itself if the
    /// configuration does not list it).
    pub fn submitted_code_label(&self) -> Option<String> {
        let code = self.submission.as_ref()?.submitted.code.as_deref()?;
        let label = self
            .configuration()
            .map_or(code, |configuration| configuration.label_of(code));
        Some(label.to_owned())
    }

    /// The wrap-up as saved, once its submission is confirmed.
    pub(in crate::desk) fn saved(&self) -> Option<SavedWrapup> {
        let submission = self.submission.as_ref()?;
        (submission.state == SubmissionState::Confirmed).then(|| SavedWrapup {
            caller: self.caller().map(str::to_owned),
            code: self.submitted_code_label(),
            submitted_at: submission.submitted.confirmed_on,
        })
    }

    /// Records a submission found in the outbox; the Desk will not submit again.
    pub(in crate::desk) fn restore_submission(&mut self, submitted: WrapupSubmission) {
        if self.submission.is_none() {
            self.submission = Some(Submission {
                submitted,
                state: SubmissionState::Sent,
            });
        }
    }

    /// The agent takes back the submission the backend refused, to change
    /// it: the form comes back with the code and the notes as submitted (a
    /// code the configuration does not list as the custom code, so that the
    /// picker shows it selected). From then on only the agent submits it.
    /// Refused while the submission is on its way, retried in the
    /// background or stored, and when there is none.
    pub(in crate::desk) fn reopen(&mut self) -> Result<(), Refusal> {
        let (submitted, reason) = match self.submission.take() {
            Some(Submission {
                submitted,
                state: SubmissionState::Refused { reason },
            }) => (submitted, reason),
            other => {
                let refusal = match other {
                    Some(_) => Refusal::AlreadySubmitted,
                    None => Refusal::StillOpen,
                };
                self.submission = other;
                return Err(refusal);
            }
        };
        let listed = |code: &String| {
            self.configuration()
                .is_some_and(|configuration| configuration.allows(code))
        };
        self.custom_code = submitted.code.clone().filter(|code| !listed(code));
        self.selected_code = submitted.code;
        self.notes = submitted.notes;
        self.refused_reason = Some(reason);
        Ok(())
    }

    /// Whether `code` is a custom reason the backend takes no custom codes
    /// for: it is sent at the head of the notes, with the fallback code.
    fn goes_into_notes(&self, code: &str) -> bool {
        self.configuration().is_some_and(|configuration| {
            !configuration.allows(code) && !configuration.custom_codes_allowed
        })
    }

    /// Whether the selected code is a custom reason that goes into the
    /// notes, the default code (if any) being saved in its place.
    pub fn selection_goes_into_notes(&self) -> bool {
        self.selected_code()
            .is_some_and(|selected| self.goes_into_notes(selected))
    }

    /// What to send for `code`: the code and the notes as they are, unless
    /// `code` is the custom reason and the backend takes no custom codes.
    /// Then the allowed fallback (the default code, else none) is sent and
    /// the reason leads the notes, cut to the notes limit, so that it is not
    /// lost and the backend does not refuse the wrap-up.
    fn to_send(&self, code: Option<String>) -> (Option<String>, String) {
        let Some(configuration) = self.configuration() else {
            return (code, self.notes.clone());
        };
        match code {
            Some(reason) if self.goes_into_notes(&reason) => {
                let notes = if self.notes.is_empty() {
                    reason
                } else {
                    format!("{reason} — {}", self.notes)
                };
                let notes = match configuration.notes_limit {
                    Some(limit) => limit.fit(&notes).text,
                    None => notes,
                };
                (configuration.default_code.clone(), notes)
            }
            code => (code, self.notes.clone()),
        }
    }

    fn make_submission(
        &mut self,
        now: DateTime<Utc>,
        code: Option<String>,
        automatic: bool,
    ) -> WrapupSubmission {
        let (code, notes) = self.to_send(code);
        let submitted = WrapupSubmission {
            workitem_id: self.workitem_id.clone(),
            segment_id: self.segment_id().map(str::to_owned),
            code,
            notes,
            confirmed_on: now,
            automatic,
        };
        self.submission = Some(Submission {
            submitted: submitted.clone(),
            state: SubmissionState::Saving,
        });
        self.pending_extension = None;
        submitted
    }

    /// The agent presses Submit.
    pub(in crate::desk) fn submit(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<WrapupSubmission, Refusal> {
        self.check_editable()?;
        if self.cancel == CancelState::Pending {
            return Err(Refusal::CancelPending);
        }
        self.configuration().ok_or(Refusal::ConfigurationPending)?;
        let code = self.selected_code.clone();
        if self.requires_code() && self.to_send(code.clone()).0.is_none() {
            return Err(Refusal::CodeRequired);
        }
        Ok(self.make_submission(now, code, false))
    }

    fn requires_code(&self) -> bool {
        self.configuration()
            .is_some_and(|configuration| configuration.enable_codes)
    }

    /// Whether the Desk must now submit on its own: the time ran out, or the
    /// CTI system ended the workitem, and nothing (a submission, a cancel, an
    /// unanswered extension before the end) stands in the way.
    pub(in crate::desk) fn is_due(&self, now: DateTime<Utc>) -> bool {
        let Some(segment) = &self.segment else {
            return false;
        };
        if self.submission.is_some() || self.cancel != CancelState::None || self.expired_unsubmitted
        {
            return false;
        }
        if self.workitem_ended {
            return true;
        }
        self.pending_extension.is_none() && segment.deadline.is_some_and(|deadline| now >= deadline)
    }

    /// Submits on its own: the selected code, else the default code. When a
    /// code is required and there is none, nothing is submitted. Nor is a
    /// wrap-up the agent reopened after a refusal (`Ok(None)`): what the
    /// backend refused is not sent again unasked; it waits for the agent.
    pub(in crate::desk) fn submit_automatically(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<Option<WrapupSubmission>, Refusal> {
        if self.reopened() {
            self.expired_unsubmitted = true;
            return Ok(None);
        }
        let configuration = self.configuration().ok_or(Refusal::ConfigurationPending)?;
        let code = self
            .selected_code
            .clone()
            .or_else(|| configuration.default_code.clone());
        if self.requires_code() && self.to_send(code.clone()).0.is_none() {
            self.expired_unsubmitted = true;
            return Err(Refusal::NoCodeAtExpiry);
        }
        Ok(Some(self.make_submission(now, code, true)))
    }

    /// Moves the submission forward; returns whether it changed. A
    /// confirmation always wins (the backend is the truth), nothing moves a
    /// confirmed submission, a failure does not undo "sent" to "saving", and
    /// only a retry ("sent") follows a refusal.
    pub(in crate::desk) fn advance_submission(&mut self, next: SubmissionState) -> bool {
        let Some(submission) = &mut self.submission else {
            return false;
        };
        use SubmissionState::{Confirmed, Failed, Refused, Saving, Sent};
        let allowed = match (&submission.state, &next) {
            (Confirmed, _) => false,
            (_, Confirmed) => true,
            (Saving, Sent | Failed { .. } | Refused { .. })
            | (Sent, Failed { .. } | Refused { .. })
            | (Failed { .. }, Sent | Refused { .. })
            | (Refused { .. }, Sent) => true,
            _ => false,
        };
        if allowed {
            submission.state = next;
        }
        allowed
    }
}

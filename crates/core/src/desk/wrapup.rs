//! The wrap-up: the agent's actions, the backend's answers, restores after a
//! reload, and the automatic submission when the time runs out.

use chrono::{DateTime, Utc};

use super::effect::Refusal;
use super::input::{AgentAction, BackendAnswer, Restore};
use super::session::{SavedWrapup, SubmissionState, WrapupSession};
use super::{Desk, Effect};

fn refuse(workitem_id: &str, reason: Refusal, effects: &mut Vec<Effect>) {
    effects.push(Effect::Refused {
        workitem_id: workitem_id.to_owned(),
        reason,
    });
}

/// Persists the agent's draft of `session`. Not inlined: every change of a
/// draft ends here (the wasm is smaller).
#[inline(never)]
pub(super) fn persist_draft(session: &WrapupSession, effects: &mut Vec<Effect>) {
    effects.push(Effect::PersistDraft {
        workitem_id: session.workitem_id().to_owned(),
        draft: session.draft(),
    });
}

impl Desk {
    /// An action of the agent on a wrap-up; refused with a reason when the
    /// wrap-up cannot take it.
    pub(super) fn on_agent_action(
        &mut self,
        now: DateTime<Utc>,
        action: AgentAction,
        effects: &mut Vec<Effect>,
    ) {
        let workitem_id = action.workitem_id().to_owned();
        let Some(session) = self.sessions.get_mut(&workitem_id) else {
            refuse(&workitem_id, Refusal::NoWrapup, effects);
            return;
        };
        let outcome = match action {
            AgentAction::SelectCode { code, .. } => match session.select_by_agent(&code) {
                Ok(true) => {
                    persist_draft(session, effects);
                    self.set_reason_of_call(&workitem_id, code, effects);
                    Ok(())
                }
                Ok(false) => Ok(()),
                Err(reason) => Err(reason),
            },
            AgentAction::EditNotes { notes, .. } => {
                session.set_notes(&notes).map(|(changed, truncated)| {
                    if changed {
                        persist_draft(session, effects);
                    }
                    if let Some(truncated) = truncated {
                        refuse(&workitem_id, truncated, effects);
                    }
                })
            }
            AgentAction::Submit { .. } => session
                .submit(now)
                .map(|submission| effects.push(Effect::SubmitWrapup(submission))),
            AgentAction::Extend { by, .. } => {
                session
                    .request_extension(now, by)
                    .map(|(current_end, requested_end)| {
                        effects.push(Effect::RequestExtension {
                            workitem_id: workitem_id.clone(),
                            segment_id: session.segment_id().map(str::to_owned),
                            current_end,
                            requested_end,
                        });
                    })
            }
            AgentAction::Cancel { .. } => session.request_cancel().map(|()| {
                effects.push(Effect::RequestCancel {
                    workitem_id: workitem_id.clone(),
                    segment_id: session.segment_id().map(str::to_owned),
                });
            }),
            AgentAction::Dismiss { .. } => session.check_dismissable().map(|()| {
                self.sessions.remove(&workitem_id);
                effects.push(Effect::ForgetWrapup {
                    workitem_id: workitem_id.clone(),
                });
            }),
            // The refused submission leaves the outbox before its content is
            // the draft: nothing is lost, and nothing is sent twice.
            AgentAction::Reopen { .. } => session.reopen().map(|()| {
                effects.push(Effect::WithdrawSubmission {
                    workitem_id: workitem_id.clone(),
                });
                persist_draft(session, effects);
            }),
        };
        if let Err(reason) = outcome {
            refuse(&workitem_id, reason, effects);
        }
    }

    /// Makes the agent's selection the call's wrap-up reason, so that
    /// integrators hear of it.
    fn set_reason_of_call(&mut self, workitem_id: &str, code: String, effects: &mut Vec<Effect>) {
        let Some(live) = self.workitems.get_mut(workitem_id) else {
            return;
        };
        let before = live.workitem.cti_data.clone();
        // No request asked for this change: an earlier requestId must not match it.
        live.workitem.request_id = None;
        live.workitem.cti_data_mut().wrap_up_reason = Some(code);
        self.emit_data_changes(workitem_id, before.as_ref(), effects);
    }

    /// The backend's answer to an effect. Answers for wrap-ups the Desk no
    /// longer knows, or that no longer apply, change nothing.
    pub(super) fn on_backend_answer(&mut self, answer: BackendAnswer, effects: &mut Vec<Effect>) {
        let workitem_id = answer.workitem_id().to_owned();
        let Some(session) = self.sessions.get_mut(&workitem_id) else {
            return;
        };
        match answer {
            BackendAnswer::SegmentOpened {
                segment_id,
                configuration,
                opened_on,
                ..
            } => {
                if let Some(truncated) = session.open(segment_id, configuration, opened_on) {
                    persist_draft(session, effects);
                    refuse(&workitem_id, truncated, effects);
                }
            }
            BackendAnswer::SubmissionSent { .. } => {
                session.advance_submission(SubmissionState::Sent);
            }
            BackendAnswer::SubmissionConfirmed { .. } => {
                if session.advance_submission(SubmissionState::Confirmed) {
                    // Confirmations arrive as their requests complete (after a
                    // reload, every replayed wrap-up's at once): the newest
                    // submission is the one told, the later begun on a tie.
                    let newest = |(saved, order): &(SavedWrapup, u64)| (saved.submitted_at, *order);
                    let confirmed = session.saved().map(|saved| (saved, session.order()));
                    if let Some(confirmed) = confirmed.filter(|confirmed| {
                        self.last_saved
                            .as_ref()
                            .is_none_or(|last| newest(last) <= newest(confirmed))
                    }) {
                        self.last_saved = Some(confirmed);
                    }
                    effects.push(Effect::ForgetWrapup { workitem_id });
                }
            }
            BackendAnswer::SubmissionFailed { reason, .. } => {
                // The draft stays persisted: nothing the agent wrote is lost.
                session.advance_submission(SubmissionState::Failed { reason });
            }
            BackendAnswer::SubmissionRefused { reason, .. } => {
                session.advance_submission(SubmissionState::Refused { reason });
            }
            BackendAnswer::ExtensionAccepted { new_deadline, .. } => {
                session.extension_accepted(new_deadline);
            }
            BackendAnswer::ExtensionRefused { reason, .. } => {
                if session.extension_refused() {
                    refuse(&workitem_id, Refusal::ExtensionRefused(reason), effects);
                }
            }
            BackendAnswer::CancelAccepted { .. } => {
                if session.cancel_accepted() {
                    effects.push(Effect::ForgetWrapup { workitem_id });
                }
            }
            BackendAnswer::CancelRefused { reason, .. } => {
                if session.cancel_refused() {
                    refuse(&workitem_id, Refusal::CancelRefused(reason), effects);
                }
            }
        }
    }

    /// Persisted state handed back after a reload; applied silently.
    pub(super) fn on_restore(&mut self, restore: Restore) {
        match restore {
            Restore::Draft { workitem_id, draft } => {
                if let Some(session) = self.sessions.get_mut(&workitem_id) {
                    session.restore_draft(draft);
                }
            }
            Restore::Submission(submission) => {
                if let Some(session) = self.sessions.get_mut(&submission.workitem_id) {
                    session.restore_submission(submission);
                }
            }
        }
    }

    /// Submits every wrap-up whose time ran out (`now >= deadline`) or whose
    /// workitem the CTI system ended. Each session submits on its own at
    /// most once: the submission it records makes it never due again, and
    /// after the agent reopened a refused one it waits for them.
    pub(super) fn submit_due(&mut self, now: DateTime<Utc>, effects: &mut Vec<Effect>) {
        for (workitem_id, session) in &mut self.sessions {
            if !session.is_due(now) {
                continue;
            }
            match session.submit_automatically(now) {
                Ok(Some(submission)) => effects.push(Effect::SubmitWrapup(submission)),
                Ok(None) => {}
                Err(reason) => refuse(workitem_id, reason, effects),
            }
        }
    }

    /// Forgets the wrap-ups that are over (confirmed or cancelled) and whose
    /// workitem has ended, so that memory stays flat however many calls the
    /// agent takes. A failed, refused or expired-unsubmitted wrap-up stays,
    /// with the agent's notes, until the agent submits or dismisses it.
    pub(super) fn forget_settled(&mut self) {
        self.sessions
            .retain(|_, session| !(session.workitem_ended() && session.is_settled()));
    }
}

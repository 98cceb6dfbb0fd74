//! The call's interaction record: created once (openframe `POST
//! voice-interaction`, `Runtime::interaction_of`), and following the call
//! data: on `callVariableChanged`
//! (from the CTI system, or an integrator's `updateWorkitemData`) the call's
//! interaction record gets the call variables as its interaction context
//! (openframe `PATCH voice-interaction/{sys_id}`, see
//! `VoiceInteractionRequest::call_data_update`).
//!
//! Only in the ServiceNow profile, and only for a record this browser created
//! (or is creating): there is nothing to update otherwise. Each PATCH carries
//! every call variable, so only the newest matters: one PATCH per call at a
//! time, and a change meanwhile replaces the one waiting ([`ContextSync`]). A
//! transient failure is retried with backoff a few times, then logged and
//! dropped (the next change sends everything again); none of this touches
//! the wrap-up or its outbox.

use std::task::{Poll, Waker};

use wrapup_core::bs::Workitem;
use wrapup_core::servicenow::openframe::interaction_context;
use wrapup_core::servicenow::{Interaction, Segment, VoiceInteractionRequest};

use super::api::ApiError;
use super::outbox::backoff_delay;
use super::{Runtime, inform_args, warn, warn_args};
use crate::config::BackendProfile;

/// An interaction record asked for: the answer to its POST once it is in
/// (the record's sys_id, `None` when the answer named none, or why there is
/// no answer), and the tasks waiting for it.
#[derive(Default)]
pub(super) struct Asked {
    answer: Option<Result<Option<String>, ApiError>>,
    waiting: Vec<Waker>,
}

/// The answer to the POST `pending`, once its sender has it. The polling
/// itself is the future, with no async fn's state machine around it.
fn answer_of(
    pending: &super::PendingInteraction,
) -> impl Future<Output = Result<Option<String>, ApiError>> + '_ {
    std::future::poll_fn(|context| {
        let mut pending = pending.borrow_mut();
        match &pending.answer {
            Some(answer) => Poll::Ready(answer.clone()),
            None => {
                pending.waiting.push(context.waker().clone());
                Poll::Pending
            }
        }
    })
}

/// The caller's number as E.164 (`+` and digits), which openframe requires.
pub fn e164(ani: &str) -> Option<String> {
    let digits: String = ani
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let number = digits.strip_prefix('+').unwrap_or(&digits);
    let valid = (1..=15).contains(&number.len())
        && number.bytes().all(|byte| byte.is_ascii_digit())
        && !number.starts_with('0');
    valid.then(|| format!("+{number}"))
}

/// The caller's number of `workitem` as openframe takes it, which it
/// requires to create an interaction record (`interaction.userPhoneNumber`,
/// E.164): none for a call whose number is withheld (`ani` empty or absent,
/// or a word such as `anonymous`). Such a call has no interaction record: a
/// POST without one is refused (400), so the widget sends none.
pub fn caller_number(workitem: &Workitem) -> Option<String> {
    workitem.ani.as_deref().and_then(e164)
}

/// What the console says, once per call, of a call without an interaction
/// record because it has no number openframe takes ([`caller_number`]).
pub fn no_interaction_record(workitem: &Workitem) -> String {
    let number = match workitem.ani.as_deref().map(str::trim) {
        None | Some("") => "withheld".to_owned(),
        Some(ani) => format!("`{ani}`, not a phone number"),
    };
    format!(
        "call {}: no interaction record is created: openframe requires the caller's number in \
         E.164 (interaction.userPhoneNumber), and it is {number}. The wrap-up is saved to the \
         call's segment as usual.",
        workitem.id
    )
}

/// What the console says, once per call, of a call whose interaction record
/// was asked for with no answer had (`Runtime::interaction_of`).
pub fn interaction_unanswered(workitem_id: &str) -> String {
    format!(
        "call {workitem_id}: its interaction record was asked for with no answer (a reload, a \
         broken connection); openframe cannot find it, and asking again could make a second: the \
         wrap-up segment will name it"
    )
}

/// Attempts at one PATCH before it is dropped.
pub const PATCH_ATTEMPTS: u32 = 4;

/// The updates waiting per call, and the calls whose sender is running. An
/// agent has a call or two at a time: plain lists, no hash tables to compile.
#[derive(Debug)]
pub struct ContextSync<T> {
    waiting: Vec<(String, T)>,
    sending: Vec<String>,
}

impl<T> Default for ContextSync<T> {
    fn default() -> Self {
        Self {
            waiting: Vec::new(),
            sending: Vec::new(),
        }
    }
}

impl<T> ContextSync<T> {
    /// `update` is the newest of `workitem_id`, replacing any waiting one;
    /// returns whether a sender must be started (none is running).
    pub fn offer(&mut self, workitem_id: &str, update: T) -> bool {
        // One update waits per call: replaced where it lies (found, not
        // `retain`ed: one removal less compiled; the order is never read).
        match self.waiting.iter_mut().find(|(id, _)| id == workitem_id) {
            Some(waiting) => waiting.1 = update,
            None => self.waiting.push((workitem_id.to_owned(), update)),
        }
        if self.sending.iter().any(|id| id == workitem_id) {
            return false;
        }
        self.sending.push(workitem_id.to_owned());
        true
    }

    /// The update the sender of `workitem_id` sends next; `None` means there
    /// is none and the sender stops (the next offer starts a new one).
    pub fn next(&mut self, workitem_id: &str) -> Option<T> {
        match self.waiting.iter().position(|(id, _)| id == workitem_id) {
            Some(index) => Some(self.waiting.swap_remove(index).1),
            None => {
                // One sender per call: the first found is the one.
                if let Some(index) = self.sending.iter().position(|id| id == workitem_id) {
                    self.sending.swap_remove(index);
                }
                None
            }
        }
    }

    /// Whether a newer update of `workitem_id` than the one being sent waits:
    /// retrying the older one is pointless.
    pub fn superseded(&self, workitem_id: &str) -> bool {
        self.waiting.iter().any(|(id, _)| id == workitem_id)
    }
}

impl Runtime {
    /// The interaction record of `workitem`: remembered, being created, or
    /// created now (openframe POST, `clientSessionId` = workitem id). At most
    /// one POST per workitem, across reloads and lost answers: the POST is
    /// kept before it goes out, and one that had no answer is never sent
    /// again (`interactions.rs`); none for a call without the caller's
    /// number ([`caller_number`]).
    pub(super) async fn interaction_of(&self, workitem: &Workitem) -> Option<String> {
        let id = workitem.id.as_str();
        if let Some(known) = self.inner.interactions.borrow().get(id) {
            return Some(known.to_owned());
        }
        let created = match self.pending_interaction(id) {
            Some(pending) => answer_of(&pending).await,
            None => {
                if self.inner.interactions.borrow().is_unanswered(id) {
                    return None;
                }
                let number = caller_number(workitem)?;
                // The call variables go in as the interaction context; a
                // change later is PATCHed (`openframe.rs`).
                let request = VoiceInteractionRequest {
                    interaction: Interaction {
                        user_phone_number: Some(number),
                        client_session_id: Some(id.to_owned()),
                        ..Interaction::default()
                    },
                    interaction_context: Some(interaction_context(workitem.cti_data.as_ref())),
                    ..VoiceInteractionRequest::default()
                };
                self.inner.interactions.borrow_mut().sending(id);
                self.store_interactions();
                let pending = super::PendingInteraction::default();
                self.inner
                    .pending_interactions
                    .borrow_mut()
                    .push((id.to_owned(), pending.clone()));
                let created = self
                    .inner
                    .api
                    .create_interaction(&request)
                    .await
                    .map(|response| response.result.sys_id);
                {
                    // One POST per call is under way: the first found is it.
                    let mut asked = self.inner.pending_interactions.borrow_mut();
                    if let Some(index) = asked.iter().position(|(asked, _)| asked == id) {
                        asked.swap_remove(index);
                    }
                }
                let waiting = {
                    let mut pending = pending.borrow_mut();
                    pending.answer = Some(created.clone());
                    std::mem::take(&mut pending.waiting)
                };
                waiting.into_iter().for_each(Waker::wake);
                created
            }
        };
        match created {
            Ok(Some(sys_id)) => {
                self.inner.interactions.borrow_mut().insert(id, &sys_id);
                self.store_interactions();
                Some(sys_id)
            }
            // An answer came: no record was made, and one may be asked for
            // again (at the wrap-up).
            Ok(None) => self.no_interaction_made(id),
            Err(error) if error.status().is_some() && !error.outcome_unknown() => {
                self.no_interaction_made(id)
            }
            Err(error) => {
                warn_args(format_args!(
                    "the interaction record may exist, but {error}"
                ));
                None
            }
        }
    }

    /// The answer to `workitem_id`'s POST made no record: one may be asked
    /// for again (at the wrap-up).
    fn no_interaction_made(&self, workitem_id: &str) -> Option<String> {
        warn("the interaction record was not created");
        self.inner.interactions.borrow_mut().answered(workitem_id);
        self.store_interactions();
        None
    }

    /// The interaction record the wrap-up segment of `workitem_id` names, for
    /// a call whose POST had no answer: the CTI system opened the segment on
    /// the record the POST made (one it made itself names the call instead).
    pub(super) fn learn_interaction(&self, workitem_id: &str, segment: &Segment) {
        let named = segment.interaction.as_str();
        if named.is_empty()
            || named == workitem_id
            || !self.inner.interactions.borrow().is_unanswered(workitem_id)
        {
            return;
        }
        inform_args(format_args!(
            "call {workitem_id}: its interaction record is {named}"
        ));
        self.inner
            .interactions
            .borrow_mut()
            .insert(workitem_id, named);
        self.store_interactions();
    }

    /// `callVariableChanged` is told for `workitem` (just before integrators
    /// hear it): its interaction record is to follow (ServiceNow profile only).
    pub(super) fn call_data_changed(&self, workitem: &Workitem) {
        if self.inner.config.backend != BackendProfile::ServiceNow {
            return;
        }
        // A call without the caller's number has no record (`interaction_of`),
        // as the console said when it was answered.
        if caller_number(workitem).is_none()
            && self.inner.interactions.borrow().get(&workitem.id).is_none()
        {
            return;
        }
        let update =
            VoiceInteractionRequest::call_data_update(&workitem.id, workitem.cti_data.as_ref());
        if !self
            .inner
            .context_sync
            .borrow_mut()
            .offer(&workitem.id, update)
        {
            return;
        }
        self.spawn(super::Task::SendCallData(workitem.id.clone()));
    }

    /// The sender of one call: the newest update until none waits.
    pub(super) async fn send_call_data(&self, workitem_id: &str) {
        let interaction = self.existing_interaction(workitem_id).await;
        loop {
            // Bound first: the borrow must end before any await.
            let next = self.inner.context_sync.borrow_mut().next(workitem_id);
            let Some(update) = next else {
                return;
            };
            if self.stopped() {
                return;
            }
            match &interaction {
                Some(sys_id) => self.patch_interaction(sys_id, workitem_id, &update).await,
                None => warn("the call data changed, but the call has no known interaction record"),
            }
        }
    }

    /// The interaction record of `workitem_id` if it is known or being
    /// created; never creates one.
    async fn existing_interaction(&self, workitem_id: &str) -> Option<String> {
        if let Some(known) = self.inner.interactions.borrow().get(workitem_id) {
            return Some(known.to_owned());
        }
        let pending = self.pending_interaction(workitem_id)?;
        answer_of(&pending).await.ok().flatten()
    }

    /// The POST under way for `workitem_id`'s record, if one is.
    fn pending_interaction(&self, workitem_id: &str) -> Option<super::PendingInteraction> {
        self.inner
            .pending_interactions
            .borrow()
            .iter()
            .find(|(asked, _)| asked == workitem_id)
            .map(|(_, pending)| pending.clone())
    }

    async fn patch_interaction(
        &self,
        sys_id: &str,
        workitem_id: &str,
        update: &VoiceInteractionRequest,
    ) {
        for attempt in 1..=PATCH_ATTEMPTS {
            match self.inner.api.update_interaction(sys_id, update).await {
                Ok(_) => return,
                Err(error) if error.is_transient() && attempt < PATCH_ATTEMPTS => {
                    warn_args(format_args!(
                        "updating the interaction record failed: {error}"
                    ));
                    let delay = backoff_delay(attempt, js_sys::Math::random());
                    if !self.inner.lifetime.sleep(delay).await
                        || self.inner.context_sync.borrow().superseded(workitem_id)
                    {
                        return;
                    }
                }
                Err(error) => {
                    warn_args(format_args!(
                        "the call data was not saved to the interaction record: {error}"
                    ));
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sender_per_call_and_only_the_newest_update_is_sent() {
        let mut sync = ContextSync::default();
        assert!(sync.offer("w1", 1), "the first change starts a sender");
        assert!(
            !sync.offer("w1", 2),
            "a sender is running: it picks this up"
        );
        assert!(sync.offer("w2", 10), "another call has its own sender");
        assert_eq!(
            sync.next("w1"),
            Some(2),
            "the newest replaced the waiting one"
        );
        assert!(!sync.superseded("w1"));
        assert!(!sync.offer("w1", 3), "still sending 2");
        assert!(sync.superseded("w1"), "3 waits: retrying 2 is pointless");
        assert_eq!(sync.next("w1"), Some(3));
        assert_eq!(sync.next("w1"), None, "nothing waits: the sender stops");
        assert!(sync.offer("w1", 4), "the next change starts a new sender");
        assert_eq!(sync.next("w2"), Some(10));
    }
}

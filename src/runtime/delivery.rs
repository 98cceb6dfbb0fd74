//! Delivering wrap-ups through the persisted outbox, whatever the backend:
//! the entry is written first, then its request (built by `servicenow.rs` or
//! `genesys.rs`) is sent until the backend acknowledges it. Transient
//! failures are retried with backoff and jitter (the agent is told after a
//! few); a refusal is given up at once, and the entry stays until the agent
//! retries, a reload tries again, the agent takes it back to change it
//! (`WithdrawSubmission` drops the entry; the draft holds what it held) or
//! discards the wrap-up (Dismiss drops the entry).
//!
//! A 401 or 403 refuses the widget's token, not the wrap-up: the agent is
//! told that it is not saved yet because of the sign-in (the Desk's
//! `SubmissionFailed`, with Retry and no way to change it), it is counted as
//! waiting, and no timer sends it again while the token is refused (the
//! event stream's reconnections ask the server already). It is sent as soon
//! as the server accepts the token (the stream opens, a CTI request is
//! answered: [`Runtime::deliver_after_sign_in`]), on the agent's Retry, and
//! on the next load.
//!
//! Delivery does not depend on the CTI system: when its stream is replaced
//! while the page runs (the server's database replaced), a submitted wrap-up
//! stays on the Desk and its entry is delivered as before; the backend's
//! answer decides, and the agent sees it on the wrap-up (confirmed, or failed
//! with Retry and Dismiss, and when refused a way to change it). After a
//! reload such an entry has no wrap-up on the Desk (the new stream never
//! names its call): it is delivered all the same (a refusal is tried again on
//! the next page load, a transient failure retried with backoff as any
//! other), and a console warning naming the workitem and the status bar tell
//! of it: counted among the wrap-ups waiting to be sent while it is on its
//! way, and once refused, on a line of its own, as no panel tells it then (a
//! refusal beside its panel is the panel's to tell, and is not counted as
//! waiting: it is not being sent).

use wrapup_core::desk::{BackendAnswer, Effect, Input, Restore, WrapupConfig, WrapupSubmission};

use super::api::{ApiError, failure_report};
use super::outbox::{ATTEMPTS_BEFORE_TELLING, Backend, Delivery, OutboxEntry, backoff_delay};
use super::{Runtime, drafts, warn, warn_args};
use crate::config::BackendProfile;
use crate::i18n::{BackendFailure, FailureReport, Language, NextStep};

/// Why one attempt did not deliver.
pub(super) enum Undelivered {
    /// Trying again later may succeed (network, timeout, 5xx, rate limit).
    Transient(FailureReport),
    /// It will not succeed as it is.
    Refused(FailureReport),
    /// The server did not accept the widget's sign-in: it may succeed as it
    /// is once the server accepts it.
    SignedOut(FailureReport),
}

impl Undelivered {
    /// `error` of a request to `backend`, classified and told: a lasting
    /// refusal by Genesys says so, since Genesys names no reason of its own.
    pub(super) fn of(error: &ApiError, backend: Backend) -> Self {
        let mut report = failure_report(error);
        if error.is_transient() {
            return Self::Transient(report);
        }
        if report.failure == BackendFailure::NotSignedIn {
            return Self::SignedOut(report);
        }
        if backend == Backend::Genesys && error.status().is_some() {
            report.failure = BackendFailure::GenesysRefused;
        }
        Self::Refused(report)
    }
}

impl Runtime {
    /// What this browser or the backend kept of `workitem_id`'s wrap-up goes
    /// back to the Desk: the submission the backend already `closed` (unless
    /// the outbox has a newer one; with the configuration that labels its
    /// codes), the outbox entry, or the draft. Returns whether the closed
    /// submission was restored (it is confirmed then).
    pub(super) fn restore(
        &self,
        workitem_id: &str,
        closed: Option<(WrapupSubmission, WrapupConfig)>,
    ) -> bool {
        let store = self.inner.store;
        // What the Desk needs of the entry, not a copy of it all.
        let queued = self.inner.outbox.borrow().get(workitem_id).map(|entry| {
            let signed_out = matches!(entry.delivery, Delivery::SignedOut { .. });
            (entry.submission(), entry.last_error.clone(), signed_out)
        });
        match (queued, closed) {
            (None, Some((submission, configuration))) => {
                let caller = self.caller_of(workitem_id);
                self.keep_if_unsaved(&submission, Some(&configuration), caller, false);
                store.dispatch(Input::Restore(Restore::Submission(submission)));
                return true;
            }
            (Some((submission, last_error, signed_out)), _) => {
                store.dispatch(Input::Restore(Restore::Submission(submission)));
                // Its delivery began with the page: one already over left
                // the entry because the backend refused it, maybe before the
                // Desk knew the wrap-up, which hears it now.
                // Or it waits for the server to accept the widget's sign-in.
                let delivering = self.delivery(workitem_id).is_some();
                if !delivering {
                    self.dispatch(stopped(
                        workitem_id.to_owned(),
                        last_error.unwrap_or_default(),
                        signed_out,
                    ));
                }
            }
            (None, None) => {
                if let Some(draft) = drafts::load_draft(&self.inner.storage, workitem_id) {
                    store.dispatch(Input::Restore(Restore::Draft {
                        workitem_id: workitem_id.to_owned(),
                        draft,
                    }));
                }
            }
        }
        false
    }

    /// `SubmitWrapup`: into the persisted outbox first, then delivered.
    pub(super) fn submit(&self, submission: &WrapupSubmission) {
        let entry = match self.inner.config.backend {
            BackendProfile::ServiceNow => {
                let interaction = self
                    .inner
                    .interactions
                    .borrow()
                    .get(&submission.workitem_id)
                    .map(str::to_owned);
                OutboxEntry::new(submission, interaction)
            }
            BackendProfile::Genesys => self.genesys_entry(submission),
        };
        {
            let mut outbox = self.inner.outbox.borrow_mut();
            outbox.put(entry);
            if !outbox.save(&self.inner.storage) {
                warn("the wrap-up could not be saved in this browser; sending it anyway");
            }
        }
        self.publish_outbox_status();
        self.spawn_delivery(submission.workitem_id.clone());
    }

    /// `ForgetWrapup`: the wrap-up is over. A submission of it still in the
    /// outbox failed and the agent discarded it (Dismiss): it is dropped, a
    /// delivery under way stops before its next attempt, and no reload sends
    /// it again. So too for `WithdrawSubmission`: the backend refused it and
    /// the agent took it back to change it.
    pub(super) fn discard_submission(&self, workitem_id: &str) {
        {
            let mut outbox = self.inner.outbox.borrow_mut();
            if outbox.get(workitem_id).is_none() {
                return;
            }
            outbox.remove(workitem_id);
            outbox.save(&self.inner.storage);
        }
        self.publish_outbox_status();
    }

    /// The agent's Discard of a refused wrap-up no panel shows (its call no
    /// longer told by the CTI system): it is dropped from the outbox, and no
    /// reload sends it again. Only a refused one: the agent read its notes
    /// beside the button, and nothing will send it as it is.
    pub fn discard_refused(&self, workitem_id: &str) {
        let refused = self
            .inner
            .outbox
            .borrow()
            .get(workitem_id)
            .is_some_and(|entry| matches!(entry.delivery, Delivery::Refused { .. }));
        if refused {
            self.discard_submission(workitem_id);
        }
    }

    /// The agent's Retry: the outbox entry of `workitem_id` is sent now, and
    /// the agent sees it on its way. A delivery waiting out its backoff
    /// tries at once; one whose request is under way goes on.
    pub fn retry_submission(&self, workitem_id: &str) {
        if self.inner.outbox.borrow().get(workitem_id).is_none() {
            return;
        }
        let delivery = self.delivery(workitem_id);
        // A new delivery says it is on its way itself.
        let Some(waiting) = delivery else {
            return self.spawn_delivery(workitem_id.to_owned());
        };
        self.dispatch(BackendAnswer::SubmissionSent {
            workitem_id: workitem_id.to_owned(),
        });
        if let Some(timer) = waiting {
            self.inner.lifetime.wake(timer);
        }
    }

    /// The server accepted the widget's token: the entries waiting for it
    /// are sent now, and one whose sign-in is refused by an answer still on
    /// its way is sent again when that answer comes (`sign_ins`).
    pub(super) fn deliver_after_sign_in(&self) {
        self.inner.sign_ins.set(self.inner.sign_ins.get() + 1);
        // A segment not reached for the sign-in is looked for again; a
        // submission waiting for it is sent once it is found.
        let unopened = std::mem::take(&mut *self.inner.unopened.borrow_mut());
        for (workitem, wrapup_started_at) in unopened {
            self.perform(Effect::OpenWrapupSegment {
                workitem,
                wrapup_started_at,
            });
        }
        let waiting = self.inner.outbox.borrow().waiting_for_sign_in();
        for workitem_id in waiting {
            self.spawn_delivery(workitem_id);
        }
    }

    /// Delivers the entry of `workitem_id`, unless a delivery of it is under
    /// way: one request per wrap-up at a time.
    pub(super) fn spawn_delivery(&self, workitem_id: String) {
        if self.delivery(&workitem_id).is_some() {
            return;
        }
        self.inner
            .delivering
            .borrow_mut()
            .push((workitem_id.clone(), None));
        // Sent again (the agent's Retry, the sign-in accepted), a refused
        // or waiting one is on its way.
        let resent = self.inner.outbox.borrow_mut().resend(&workitem_id);
        if resent {
            self.publish_outbox_status();
        }
        self.spawn(super::Task::Deliver(workitem_id));
    }

    /// The delivery of `workitem_id` is over (`Task::Deliver`, after
    /// [`Runtime::deliver`]): a new one of it may begin.
    pub(super) fn delivery_over(&self, workitem_id: &str) {
        // One delivery per workitem (`spawn_delivery`): the first found is it.
        let mut delivering = self.inner.delivering.borrow_mut();
        if let Some(index) = delivering.iter().position(|(id, _)| id == workitem_id) {
            delivering.swap_remove(index);
        }
    }

    /// Sends the outbox entry of `workitem_id` until its backend answers.
    pub(super) async fn deliver(&self, workitem_id: &str) {
        let sent = BackendAnswer::SubmissionSent {
            workitem_id: workitem_id.to_owned(),
        };
        self.dispatch(sent);
        loop {
            if self.stopped() {
                return;
            }
            // The request is built from the entry where it lies: only its
            // backend is kept across the wait (no copy of the entry, whose
            // clone and drop were code of their own).
            let (backend, submission) = {
                let outbox = self.inner.outbox.borrow();
                let Some(entry) = outbox.get(workitem_id) else {
                    return;
                };
                let submission = match entry.backend {
                    Backend::ServiceNow => self.servicenow_submission(entry),
                    Backend::Genesys => Self::genesys_submission(entry),
                };
                (entry.backend, submission)
            };
            let sign_ins = self.inner.sign_ins.get();
            let outcome = match submission {
                Ok(submission) => self
                    .inner
                    .api
                    .submit(&submission)
                    .await
                    .map_err(|error| Undelivered::of(&error, backend)),
                Err(undelivered) => Err(undelivered),
            };
            match outcome {
                Ok(()) => {
                    let caller = self.caller_of(workitem_id);
                    self.inner
                        .outbox
                        .borrow_mut()
                        .delivered(workitem_id, caller);
                    self.inner.outbox.borrow().save(&self.inner.storage);
                    self.publish_outbox_status();
                    self.dispatch(BackendAnswer::SubmissionConfirmed {
                        workitem_id: workitem_id.to_owned(),
                    });
                    self.settled(workitem_id);
                    return;
                }
                Err(_) if self.stopped() => return,
                Err(Undelivered::Transient(_)) if self.leaving() => {
                    // A reload or a navigation cut the request short: no
                    // failed attempt. The next page delivers the entry; this
                    // one tries again should it be shown again.
                    if !self.inner.lifetime.sleep(backoff_delay(1, 0.0)).await {
                        return;
                    }
                }
                Err(Undelivered::Transient(mut report)) => {
                    warn_args(format_args!(
                        "delivering the wrap-up of {workitem_id} failed: {}",
                        report.text(Language::English)
                    ));
                    let reason = self.failure_text(&report);
                    let attempts = {
                        let mut outbox = self.inner.outbox.borrow_mut();
                        let attempts = outbox.record_failure(workitem_id, &reason);
                        outbox.save(&self.inner.storage);
                        attempts
                    };
                    self.publish_outbox_status();
                    // Told from the third failure on (a no-op while the
                    // agent is told already; again after a Retry).
                    if attempts >= ATTEMPTS_BEFORE_TELLING {
                        report.next = NextStep::RetryingInBackground;
                        self.dispatch(BackendAnswer::SubmissionFailed {
                            workitem_id: workitem_id.to_owned(),
                            reason: self.failure_text(&report),
                        });
                    }
                    let delay = backoff_delay(attempts, js_sys::Math::random());
                    let (timer, waited) = self.inner.lifetime.sleep_wakeable(delay);
                    self.set_backoff_timer(workitem_id, timer);
                    if !waited.await {
                        return;
                    }
                    self.set_backoff_timer(workitem_id, None);
                }
                // The server took the token since this attempt was sent:
                // it is sent again at once.
                Err(Undelivered::SignedOut(_)) if self.inner.sign_ins.get() != sign_ins => {}
                Err(Undelivered::SignedOut(report)) => {
                    return self.give_up(workitem_id, report, true);
                }
                Err(Undelivered::Refused(report)) => {
                    return self.give_up(workitem_id, report, false);
                }
            }
        }
    }

    /// Records the timer of the wait before the next attempt of the
    /// delivery of `workitem_id`, for Retry to cut short (none: not waiting).
    fn set_backoff_timer(&self, workitem_id: &str, timer: Option<u64>) {
        let mut delivering = self.inner.delivering.borrow_mut();
        if let Some((_, delivery)) = delivering.iter_mut().find(|(id, _)| id == workitem_id) {
            *delivery = timer;
        }
    }

    /// The delivery under way of `workitem_id`, if one is: the timer of its
    /// wait before the next attempt while it waits.
    fn delivery(&self, workitem_id: &str) -> Option<Option<u64>> {
        self.inner
            .delivering
            .borrow()
            .iter()
            .find(|(id, _)| id == workitem_id)
            .map(|(_, timer)| *timer)
    }

    /// Stops delivering: the entry stays in the outbox (the agent's wrap-up
    /// is never dropped). Refused, until the agent retries, changes it,
    /// dismisses it, or a reload tries again; `signed_out` (the server did
    /// not accept the widget's sign-in), until the server accepts it, the
    /// agent retries or dismisses it, or a reload tries again.
    fn give_up(&self, workitem_id: &str, mut report: FailureReport, signed_out: bool) {
        warn_args(format_args!(
            "the wrap-up of {workitem_id} stays in the outbox, {}: {}",
            if signed_out {
                "until the server accepts the widget's sign-in"
            } else {
                "refused"
            },
            report.text(Language::English)
        ));
        if signed_out {
            report.next = NextStep::AfterSignIn;
        }
        let reason = self.failure_text(&report);
        {
            let mut outbox = self.inner.outbox.borrow_mut();
            if signed_out {
                outbox.record_signed_out(workitem_id, &reason);
            } else {
                outbox.record_refusal(workitem_id, &reason);
            }
            outbox.save(&self.inner.storage);
        }
        self.publish_outbox_status();
        self.dispatch(stopped(workitem_id.to_owned(), reason, signed_out));
    }
}

/// What the Desk hears of a delivery that stopped: refused as it is, or
/// (`signed_out`) not saved yet, waiting for the server to accept the
/// widget's sign-in, which is no fault of the wrap-up's.
fn stopped(workitem_id: String, reason: String, signed_out: bool) -> BackendAnswer {
    if signed_out {
        BackendAnswer::SubmissionFailed {
            workitem_id,
            reason,
        }
    } else {
        BackendAnswer::SubmissionRefused {
            workitem_id,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::api::ApiErrorKind;

    fn refused(backend: Backend, status: u16) -> Option<BackendFailure> {
        let error = ApiErrorKind::Status {
            status,
            message: "disposition_desc is 65 characters long".into(),
            body: String::new(),
        }
        .into();
        match Undelivered::of(&error, backend) {
            Undelivered::Refused(report) => Some(report.failure),
            Undelivered::Transient(_) | Undelivered::SignedOut(_) => None,
        }
    }

    #[test]
    fn a_lasting_refusal_by_genesys_is_told_as_such() {
        assert_eq!(
            refused(Backend::Genesys, 400),
            Some(BackendFailure::GenesysRefused)
        );
        assert_eq!(
            refused(Backend::ServiceNow, 400),
            Some(BackendFailure::Refused)
        );
        assert_eq!(refused(Backend::Genesys, 503), None, "a 5xx is retried");
        let offline = ApiError::network("offline");
        assert!(matches!(
            Undelivered::of(&offline, Backend::Genesys),
            Undelivered::Transient(_)
        ));
    }

    // Bug: a 401 to the submission was taken for a refusal of the wrap-up,
    // which the agent was offered to change, and nothing sent it again.
    #[test]
    fn a_refused_sign_in_is_no_refusal_of_the_wrapup() {
        for (backend, status) in [(Backend::ServiceNow, 401), (Backend::Genesys, 403)] {
            let error = ApiErrorKind::Status {
                status,
                message: "the widget token is wrong or expired".into(),
                body: String::new(),
            }
            .into();
            match Undelivered::of(&error, backend) {
                Undelivered::SignedOut(report) => {
                    assert_eq!(report.failure, BackendFailure::NotSignedIn);
                }
                _ => panic!("{status} to {backend:?} is a refused sign-in"),
            }
        }
    }
}

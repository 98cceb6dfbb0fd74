//! Tenios extend / cancel and the CTI requests.
//!
//! Tenios names the agent by e-mail and authorises by `access_key`; the
//! widget gets both from its configuration (`/config.json` of the demo
//! server, or `?email=` / `?tenios_key=`). Every extend and cancel is
//! answered to the Desk, a network failure as a refusal, because the Desk
//! holds expiry while one is unanswered.
//!
//! An answer can be lost after Tenios acted: the connection breaks, or the
//! answer comes too late. A request without an answer is sent once more;
//! and the browser itself sends a request again when a reused connection
//! breaks before the answer. Either way Tenios refuses the second sending if
//! the first went through (the same end is too short an extension, and a
//! cancelled wrap-up cannot be cancelled), and that refusal is not what the
//! agent is told: what became of the request is learnt first
//! (`wrapup_core::tenios::extended_after_all`, `cancelled_after_all`). An
//! extension is judged by the end the wrap-up segment holds (ServiceNow; its
//! duration follows the extensions Tenios accepted), a cancel by the CTI
//! system ending the call, which it does when the wrap-up ends.

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use serde_json::Value;
use wrapup_core::bs::{
    CilRequest, FromJson, GetChannel, GetChannelResult, GetReasonCodeList, ReasonCodeEntry,
    ReasonType,
};
use wrapup_core::datetime::IsoMillisDateTime;
use wrapup_core::desk::{BackendAnswer, Input};
use wrapup_core::servicenow::SegmentState;
use wrapup_core::tenios::{
    CancelRequest, ExtendRequest, HeldEnd, TeniosErrorCode, cancelled_after_all,
    extended_after_all, extension_in_doubt,
};

use super::api::{ApiError, failure_report, tenios_error};
use super::events::EventStream;
use super::outbox::backoff_delay;
use super::{Runtime, agent_state, inform, warn};
use crate::i18n::{BackendFailure, FailureReport};

pub(super) use super::cil_bridge::emit_cil_event;

/// Extend and cancel need the agent's e-mail and the Tenios access key.
fn not_configured() -> FailureReport {
    FailureReport::new(BackendFailure::ExtendNotConfigured, None)
}

/// How often a Tenios request is sent when no answer comes: once more.
const TENIOS_ATTEMPTS: u32 = 2;
/// How long a cancel whose outcome is in doubt waits for the CTI system to
/// end the call, and how often it looks.
const CANCEL_END_WAIT: TimeDelta = TimeDelta::seconds(3);
const CANCEL_END_LOOK: TimeDelta = TimeDelta::milliseconds(200);

/// A Tenios request.
#[derive(Clone, Copy)]
enum TeniosRequest<'a> {
    Extend(&'a ExtendRequest),
    Cancel(&'a CancelRequest),
}

/// What Tenios' answer in `error` says: `Some(None)` no answer came,
/// `Some(Some(code))` a documented refusal, `None` anything else.
fn tenios_refusal(error: &ApiError) -> Option<Option<TeniosErrorCode>> {
    match error {
        ApiError::Network(_) => Some(None),
        _ => tenios_error(error)?.code().map(Some),
    }
}

impl Runtime {
    fn tenios_credentials(&self) -> Option<(String, String)> {
        let config = &self.inner.config;
        Some((
            config.tenios_access_key.clone()?,
            config.agent_email.clone()?,
        ))
    }

    /// `RequestExtension` → Tenios `POST /wrap-up/extend`, from `current_end`
    /// (the Desk's) to `requested_end`.
    pub(super) async fn extend(
        &self,
        workitem_id: String,
        segment_id: Option<String>,
        current_end: DateTime<Utc>,
        requested_end: DateTime<Utc>,
    ) {
        let answer = match self.tenios_credentials() {
            None => Err(not_configured()),
            Some((key, email)) => {
                let request =
                    ExtendRequest::new(&key, &email, IsoMillisDateTime::new(requested_end));
                match self.send_tenios(TeniosRequest::Extend(&request)).await {
                    Ok(end) => Ok(end.unwrap_or(requested_end)),
                    Err(error) => self
                        .extended_after_all(
                            &error,
                            segment_id.as_deref(),
                            current_end,
                            requested_end,
                        )
                        .await
                        .ok_or_else(|| failure_report(&error)),
                }
            }
        }
        .map_err(|report| self.failure_text(&report.of_one_off()));
        self.dispatch(match answer {
            Ok(new_deadline) => BackendAnswer::ExtensionAccepted {
                workitem_id,
                new_deadline,
            },
            Err(reason) => BackendAnswer::ExtensionRefused {
                workitem_id,
                reason,
            },
        });
    }

    /// `RequestCancel` → Tenios `POST /wrap-up/cancel`.
    pub(super) async fn cancel(&self, workitem_id: String) {
        let answer = match self.tenios_credentials() {
            None => Err(not_configured()),
            Some((key, email)) => {
                let request = CancelRequest::new(&key, &email);
                match self.send_tenios(TeniosRequest::Cancel(&request)).await {
                    Ok(_) => Ok(()),
                    Err(error) if self.cancelled_after_all(&error, &workitem_id).await => Ok(()),
                    Err(error) => Err(failure_report(&error)),
                }
            }
        }
        .map_err(|report| self.failure_text(&report.of_one_off()));
        match answer {
            Ok(()) => {
                self.dispatch(BackendAnswer::CancelAccepted {
                    workitem_id: workitem_id.clone(),
                });
                self.settled(&workitem_id);
            }
            Err(reason) => self.dispatch(BackendAnswer::CancelRefused {
                workitem_id,
                reason,
            }),
        }
    }

    /// Sends `request`, once more if no answer came (unless the page is
    /// going); answers the wrap-up's new end (an extension) or nothing (a
    /// cancel).
    async fn send_tenios(
        &self,
        request: TeniosRequest<'_>,
    ) -> Result<Option<DateTime<Utc>>, ApiError> {
        let mut attempt = 1;
        loop {
            let api = &self.inner.api;
            let answer = match request {
                TeniosRequest::Extend(request) => api
                    .extend(request)
                    .await
                    .map(|answer| Some(answer.wrap_up_end_time.into())),
                TeniosRequest::Cancel(request) => api.cancel(request).await.map(|_| None),
            };
            match answer {
                Err(error @ ApiError::Network(_))
                    if attempt < TENIOS_ATTEMPTS && !self.leaving() =>
                {
                    warn(&format!("Tenios may have acted, but {error}: asking again"));
                    let delay = backoff_delay(attempt, js_sys::Math::random());
                    if !self.inner.lifetime.sleep(delay).await {
                        return Err(error);
                    }
                    attempt += 1;
                }
                answer => return answer,
            }
        }
    }

    /// The end an extension whose answer was `error` came to after all, if
    /// that answer leaves it in doubt and the wrap-up says it was extended.
    async fn extended_after_all(
        &self,
        error: &ApiError,
        segment_id: Option<&str>,
        current_end: DateTime<Utc>,
        requested_end: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let refusal = tenios_refusal(error)?;
        if self.leaving() || self.stopped() || !extension_in_doubt(refusal) {
            return None;
        }
        let held = self.held_end(segment_id).await;
        let end = extended_after_all(current_end, requested_end, refusal, held);
        if end.is_some() {
            inform(&format!(
                "Tenios had extended the wrap-up, though its answer was lost or refused a \
                 second sending of it: {error}"
            ));
        }
        end
    }

    /// The wrap-up's end as its ServiceNow segment holds it: `opened_on` and
    /// the duration, which follows the extensions Tenios accepted. The
    /// Genesys profile has no segment to ask.
    async fn held_end(&self, segment_id: Option<&str>) -> HeldEnd {
        let Some(segment_id) = segment_id.filter(|_| !self.genesys()) else {
            return HeldEnd::Unknown;
        };
        let segment = match self.inner.api.segment(segment_id).await {
            Ok(found) => found.segment,
            Err(error) => {
                warn(&format!("the wrap-up's end could not be read: {error}"));
                return HeldEnd::Unknown;
            }
        };
        if segment.state != SegmentState::Open {
            return HeldEnd::Over;
        }
        let limit = segment
            .wrap_up_configuration
            .duration
            .and_then(|duration| duration.limit());
        segment
            .opened_on
            .zip(limit)
            .and_then(|(opened_on, limit)| opened_on.get().checked_add_signed(limit))
            .map_or(HeldEnd::Unknown, HeldEnd::At)
    }

    /// Whether a cancel whose answer was `error` ended the wrap-up after
    /// all: the CTI system ends the call when the wrap-up ends, and is given
    /// a moment to say so.
    async fn cancelled_after_all(&self, error: &ApiError, workitem_id: &str) -> bool {
        let Some(refusal) = tenios_refusal(error) else {
            return false;
        };
        if self.leaving() || self.stopped() || !cancelled_after_all(refusal, true) {
            return false;
        }
        let mut waited = TimeDelta::zero();
        loop {
            if self.stopped() {
                return false;
            }
            let ended = self.inner.store.desk.with_untracked(|desk| {
                desk.session(workitem_id)
                    .is_none_or(|session| session.workitem_ended())
            });
            if cancelled_after_all(refusal, ended) {
                inform(&format!(
                    "Tenios had cancelled the wrap-up, though its answer was lost or refused a \
                     second sending of it: {error}"
                ));
                return true;
            }
            if waited >= CANCEL_END_WAIT || !self.inner.lifetime.sleep(CANCEL_END_LOOK).await {
                return false;
            }
            waited += CANCEL_END_LOOK;
        }
    }

    /// A b+s request to the CTI system; its outcome comes back as events
    /// (the server also streams an `error` event for a refused request). A
    /// refused `setAgentState` is shown to the agent in the header.
    pub(super) fn send_cti_request(&self, request: CilRequest) {
        let this = self.clone();
        let shows_refusal = matches!(request, CilRequest::SetAgentState(_));
        // A refusal of the agent's earlier change goes as they ask again; a
        // refused sign-in stays until the server accepts it (cleared now,
        // and told again at the answer, it blinked at every click).
        if shows_refusal {
            this.inner.store.state_refusal_over();
        }
        leptos::task::spawn_local(async move {
            let answer = this
                .inner
                .api
                .cti_request::<serde_json::Value>(&this.inner.agent_id, &request)
                .await;
            if this.stopped() {
                return;
            }
            if answer.is_ok() {
                this.sign_in_accepted();
            }
            let refusal = match answer {
                Ok(answer) if answer.success => return,
                Ok(_) => {
                    warn(&format!("the CTI system refused {}", request.name()));
                    FailureReport::new(BackendFailure::AgentStateRefused, None)
                }
                Err(error) => {
                    warn(&format!(
                        "the CTI request {} failed: {error}",
                        request.name()
                    ));
                    // A reload or a close cuts the request short as the page
                    // goes, and it fails as a lost connection does. That is no
                    // refusal: told, it took back the agent's choice of Not
                    // ready after the calls as the page went.
                    if matches!(error, ApiError::Network(_)) && this.leaving() {
                        return;
                    }
                    let report = failure_report(&error);
                    if report.failure == BackendFailure::NotSignedIn {
                        report
                    } else {
                        FailureReport::new(BackendFailure::AgentStateRefused, report.detail)
                    }
                }
            };
            if shows_refusal {
                this.inner.store.tell_agent(refusal);
            }
        });
    }

    /// An attempt to connect the event stream `opened` it, or failed. Open,
    /// the stream says the server takes the widget's token. Failed, it does
    /// not say why: the agent's state is asked for, whose answer says
    /// whether the server refuses the token (one that expired or was
    /// changed while the page ran), so that the agent is told that, not
    /// that the server cannot be reached.
    pub(super) fn stream_attempted(&self, opened: bool) {
        if self.stopped() || self.leaving() {
            return;
        }
        if opened {
            self.sign_in_accepted();
        } else {
            self.load_agent_state();
        }
    }

    /// The server accepted the widget's token: a refused sign-in told in the
    /// header is over, and the agent's state and NotReady reasons, which it
    /// kept from the page, are read now.
    fn sign_in_accepted(&self) {
        if self.inner.store.sign_in_accepted() {
            self.load_agent_state();
            self.load_not_ready_reasons();
        }
    }

    /// Tells the agent in the header if `error` is the server's refusal of
    /// the widget's sign-in: nothing else would say why the widget shows no
    /// state and no calls.
    fn tell_if_not_signed_in(&self, error: &ApiError) {
        let report = failure_report(error);
        if report.failure == BackendFailure::NotSignedIn {
            self.inner.store.tell_agent(report);
        }
    }

    /// The CTI system's stream was replaced while the page ran, and the
    /// Desk reset: the agent's state and the NotReady reasons are the new
    /// system's to tell, so they are asked for again (the new stream may
    /// not repeat the state), and a refusal by the old system is no longer
    /// news.
    pub(super) fn cti_replaced(&self) {
        if self.stopped() {
            return;
        }
        self.inner.store.agent_notice.set(None);
        self.load_agent_state();
        self.load_not_ready_reasons();
    }

    /// Asks the CTI system for the agent's state (`getChannel`): after a
    /// reload, or after its stream was replaced, the Desk has seen no
    /// `agentStateChange` yet. A state the Desk learnt from the stream
    /// meanwhile is newer and is kept.
    pub(super) fn load_agent_state(&self) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let request = CilRequest::GetChannel(GetChannel {
                channel_id: "voice".to_owned(),
            });
            // Read as JSON first, then as events are: one reader of the
            // channel's workitems in the wasm, not a second over the text.
            let answer = this
                .inner
                .api
                .cti_request::<Value>(&this.inner.agent_id, &request)
                .await;
            if this.stopped() {
                return;
            }
            let answer = match answer {
                Ok(answer) => {
                    // The server takes the token: a refusal of it told is
                    // over, and the reasons it kept from the page are read
                    // (the state is this answer's).
                    if this.inner.store.sign_in_accepted() {
                        this.load_not_ready_reasons();
                    }
                    answer
                        .result
                        .map(GetChannelResult::from_json)
                        .transpose()
                        .map_err(|error| error.to_string())
                }
                Err(error) => {
                    this.tell_if_not_signed_in(&error);
                    Err(error.to_string())
                }
            };
            let channel = match answer {
                Ok(result) => result.and_then(|result| result.channel),
                Err(error) => {
                    warn(&format!("the agent's state (getChannel): {error}"));
                    None
                }
            };
            let Some(channel) = channel else {
                return;
            };
            if this.stopped() {
                return;
            }
            let event = this
                .inner
                .store
                .desk
                .with_untracked(|desk| agent_state::seed_event(desk, &channel));
            let Some(event) = event else {
                return;
            };
            // After a reload the state is no news to integrators: a change
            // while the page was away arrives on the stream as an event.
            let resumed = this
                .inner
                .events
                .borrow()
                .as_ref()
                .is_some_and(EventStream::resumes_earlier_page);
            if resumed {
                super::cil_bridge::replaying(|| this.dispatch_input(Input::Cti(event)));
            } else {
                this.dispatch_input(Input::Cti(event));
            }
        });
    }

    /// Fills `store.not_ready_reasons` with `getReasonCodeList(NotReady)`.
    pub(super) fn load_not_ready_reasons(&self) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let request = CilRequest::GetReasonCodeList(GetReasonCodeList {
                channel_id: "voice".to_owned(),
                reason_type: Some(ReasonType::NotReady),
            });
            match this
                .inner
                .api
                .cti_request::<Vec<ReasonCodeEntry>>(&this.inner.agent_id, &request)
                .await
            {
                Ok(_) if this.stopped() => {}
                Ok(answer) => this
                    .inner
                    .store
                    .not_ready_reasons
                    .set(answer.result.unwrap_or_default()),
                Err(error) => warn(&format!("the NotReady reason codes: {error}")),
            }
        });
    }
}

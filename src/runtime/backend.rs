//! The CTI requests: the agent's and integrators' b+s requests, the agent's
//! state and the NotReady reasons.

use leptos::prelude::*;
use wrapup_core::bs::{
    CilRequest, FromJson, GetChannel, GetChannelResult, GetReasonCodeList, ReasonCodeEntry,
    ReasonType,
};
use wrapup_core::desk::Input;
use wrapup_core::json::Value;

use super::api::{ApiError, ApiErrorKind, CtiAnswer, failure_report};
use super::events::EventStream;
use super::{Runtime, agent_state, warn_args};
use crate::i18n::{BackendFailure, FailureReport};
use crate::store::Connection;

pub(super) use super::cil_bridge::emit_cil_event;

/// The answer to integrators' requests when the CTI system knows no agent
/// of the configured id.
const UNKNOWN_AGENT: &str = "the CTI system knows no agent of the id the widget was given (its \
                             `agent`; the console says more), so it carries out no request";

/// What a CTI request's answer is for ([`Runtime::ask_cti`]).
enum AnswerFor {
    /// The agent's or an integrator's request.
    Request,
    /// The agent's state after a reload or a new CTI system.
    AgentState,
    /// The NotReady reasons the agent picks from.
    NotReadyReasons,
}

/// The answer to a CTI request, its result as JSON.
type CtiResult = Result<CtiAnswer<Value>, ApiError>;

impl Runtime {
    /// A b+s request to the CTI system; its outcome comes back as events
    /// (the server also streams an `error` event for a refused request). A
    /// refused `setAgentState` is shown to the agent in the header.
    pub(super) fn send_cti_request(&self, request: CilRequest) {
        // A refusal of the agent's earlier change goes as they ask again; a
        // refused sign-in stays until the server accepts it (cleared now,
        // and told again at the answer, it blinked at every click).
        if matches!(request, CilRequest::SetAgentState(_)) {
            self.inner.store.state_refusal_over();
        }
        self.ask_cti(request, AnswerFor::Request);
    }

    /// Sends `request` to the CTI system in a task of its own, and hands
    /// its answer to what asked (`answer_for`): one task for every CTI
    /// request of the runtime, not one compiled for each.
    fn ask_cti(&self, request: CilRequest, answer_for: AnswerFor) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let answer = this
                .inner
                .api
                .cti_request(&this.inner.agent_id, &request)
                .await;
            match answer_for {
                AnswerFor::Request => this.request_answered(&request, answer),
                AnswerFor::AgentState => this.agent_state_answered(answer),
                AnswerFor::NotReadyReasons => this.reasons_answered(answer),
            }
        });
    }

    /// The answer to the agent's or an integrator's `request`.
    fn request_answered(&self, request: &CilRequest, answer: CtiResult) {
        if self.stopped() {
            return;
        }
        let shows_refusal = matches!(request, CilRequest::SetAgentState(_));
        if answer.is_ok() {
            self.sign_in_accepted();
        }
        let refusal = match answer {
            Ok(answer) if answer.success => return,
            Ok(_) => {
                warn_args(format_args!("the CTI system refused {}", request.name()));
                FailureReport::new(BackendFailure::AgentStateRefused, None)
            }
            Err(error) => {
                warn_args(format_args!(
                    "the CTI request {} failed: {error}",
                    request.name()
                ));
                // A reload or a close cuts the request short as the page
                // goes, and it fails as a lost connection does. That is no
                // refusal: told, it took back the agent's choice of Not
                // ready after the calls as the page went.
                if matches!(error.kind(), ApiErrorKind::Network(_)) && self.leaving() {
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
            self.inner.store.tell_agent(refusal);
        }
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
    /// header is over, the wrap-ups it kept from the server are sent, and
    /// the agent's state and NotReady reasons, which it kept from the page,
    /// are read now.
    fn sign_in_accepted(&self) {
        self.deliver_after_sign_in();
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
        let request = CilRequest::GetChannel(GetChannel {
            channel_id: "voice".to_owned(),
        });
        self.ask_cti(request, AnswerFor::AgentState);
    }

    /// The answer to `getChannel`: the agent's name, and their state for
    /// the Desk. Read as JSON first, then as events are: one reader of the
    /// channel's workitems in the wasm, not a second over the text.
    fn agent_state_answered(&self, answer: CtiResult) {
        if self.stopped() {
            return;
        }
        let answer = match answer {
            Ok(answer) => {
                // The server takes the token: a refusal of it told is
                // over, the wrap-ups waiting for it are sent, and the
                // reasons it kept from the page are read (the state is
                // this answer's).
                self.deliver_after_sign_in();
                if self.inner.store.sign_in_accepted() {
                    self.load_not_ready_reasons();
                }
                match answer.result.map(GetChannelResult::from_json) {
                    None => Ok(None),
                    Some(Ok(result)) => Ok(Some(result)),
                    Some(Err(error)) => Err(error.to_string()),
                }
            }
            Err(error) if error.status() == Some(404) => {
                self.agent_unknown();
                Err(error.to_string())
            }
            Err(error) => {
                self.tell_if_not_signed_in(&error);
                Err(error.to_string())
            }
        };
        let channel = match answer {
            Ok(Some(result)) => {
                let name = agent_state::agent_name(&result);
                self.inner.store.agent_name.set(name);
                result.channel
            }
            Ok(None) => None,
            Err(error) => {
                warn_args(format_args!("the agent's state (getChannel): {error}"));
                None
            }
        };
        let Some(channel) = channel else {
            return;
        };
        if self.stopped() {
            return;
        }
        let event = self
            .inner
            .store
            .desk
            .with_untracked(|desk| agent_state::seed_event(desk, &channel));
        let Some(event) = event else {
            return;
        };
        // After a reload the state is no news to integrators: a change
        // while the page was away arrives on the stream as an event.
        let resumed = self
            .inner
            .events
            .borrow()
            .as_ref()
            .is_some_and(EventStream::resumes_earlier_page);
        if resumed {
            super::cil_bridge::replaying(|| self.dispatch_input(Input::Cti(event)));
        } else {
            self.dispatch_input(Input::Cti(event));
        }
    }

    /// The CTI system knows no agent of this id (`getChannel` answered 404:
    /// the reference server's `--agents` refuses a mistyped `agent=`): the
    /// agent is told in the header instead of a widget that looks healthy and
    /// never gets a call, and the runtime stops: no stream retried forever,
    /// and integrators' requests refused, saying why.
    fn agent_unknown(&self) {
        self.inner.store.agent_unknown.set(true);
        self.hand_over(UNKNOWN_AGENT);
        self.inner.store.connection.set(Connection::Idle);
        super::cil_bridge::refuse_requests(UNKNOWN_AGENT);
    }

    /// Fills `store.not_ready_reasons` with `getReasonCodeList(NotReady)`.
    pub(super) fn load_not_ready_reasons(&self) {
        let request = CilRequest::GetReasonCodeList(GetReasonCodeList {
            channel_id: "voice".to_owned(),
            reason_type: Some(ReasonType::NotReady),
        });
        self.ask_cti(request, AnswerFor::NotReadyReasons);
    }

    /// The answer to `getReasonCodeList(NotReady)`. Read as JSON first, as
    /// every CTI answer is: one instance of the request's future and reader
    /// in the wasm, not one per type.
    fn reasons_answered(&self, answer: CtiResult) {
        let reasons = match answer {
            Ok(_) if self.stopped() => return,
            Ok(answer) => match answer.result.map(Vec::<ReasonCodeEntry>::from_json) {
                None => Ok(Vec::new()),
                Some(Ok(reasons)) => Ok(reasons),
                Some(Err(error)) => Err(ApiError::parse(error.to_string())),
            },
            Err(error) => Err(error),
        };
        match reasons {
            Ok(reasons) => self.inner.store.not_ready_reasons.set(reasons),
            Err(error) => warn_args(format_args!("the NotReady reason codes: {error}")),
        }
    }
}

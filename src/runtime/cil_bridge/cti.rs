//! The CTI system behind the bridge: how a b+s request reaches it, and how
//! its refusals are told apart (streamed by the server or not).

use std::rc::Rc;

use futures::future::LocalBoxFuture;
use wrapup_core::bs::CilRequest;
use wrapup_core::json::Value;

use crate::runtime::api::{Api, ApiErrorKind};

/// Why the CTI system did not carry out a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtiFailure {
    /// What went wrong, for the integrator.
    pub message: String,
    /// Whether the CTI system streams an `error` event for it itself (then
    /// the bridge emits none, so that integrators get exactly one).
    pub streamed: bool,
}

/// Sends a b+s request to the CTI system and resolves with its `result`.
pub type CtiSender =
    Rc<dyn Fn(CilRequest) -> LocalBoxFuture<'static, Result<Option<Value>, CtiFailure>>>;

/// The CTI system of the reference server: `POST …/requests` of `agent_id`.
/// The server answers a request it refuses with 400 and streams its `error`
/// event (`crates/server/src/sim/requests.rs`); other failures (network,
/// server errors) reach integrators only through the bridge.
pub fn cti_sender(api: Api, agent_id: String) -> CtiSender {
    Rc::new(move |request: CilRequest| {
        let (api, agent_id) = (api.clone(), agent_id.clone());
        Box::pin(async move {
            match api.cti_request(&agent_id, &request).await {
                Ok(answer) if answer.success => Ok(answer.result),
                Ok(_) => Err(CtiFailure {
                    message: format!("{}: the CTI system refused the request", request.name()),
                    streamed: false,
                }),
                Err(error) => match error.into_kind() {
                    ApiErrorKind::Status {
                        status: 400,
                        message,
                        ..
                    } => Err(CtiFailure {
                        message,
                        streamed: true,
                    }),
                    error => Err(CtiFailure {
                        message: format!("{}: {error}", request.name()),
                        streamed: false,
                    }),
                },
            }
        })
    })
}

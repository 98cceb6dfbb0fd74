//! The b+s Connects Integration API: the `cil` events, requests and data
//! reference of `specs/bs-connects-integration-api.txt`.
//!
//! One serde type per concept of the spec, shared by the widget (which
//! dispatches the events to integrators and answers their requests) and the
//! reference server (whose CTI simulator produces the events):
//!
//! - [`CilEvent`]: every event, written as the spec's JSON object whose
//!   `event` field names it;
//! - [`Workitem`] with [`CtiData`], [`Activity`], [`CrmRecord`], [`Participant`];
//! - [`AgentStateChange`], [`QueueDataUpdate`], [`ErrorEvent`];
//! - [`CilRequest`] with [`CilRequest::validate`], and the answers
//!   [`GetChannelResult`] / [`Channel`] and [`ReasonCodeEntry`];
//! - beyond the spec, the `cil` bridge's [`BridgeRequest`] (a spec request
//!   or a [`WrapupRequest`]) read and validated at once, and [`WrapupState`].
//!
//! Reading is tolerant of what is new or differs between CTI bridges, strict
//! about what cannot be: unknown fields are kept in an `extra` map and written
//! back, unknown words of the spec's lists are kept in an `Other` variant, ids
//! sent as numbers are read as text and `null` as absent; a value that cannot
//! be its field (an object for an id, `"soon"` for a time, `"many"` for a
//! count) is an error that names the field (`connectedAt: invalid value: …`).
//! Names on the wire keep the spec's spelling (`requestId`, `DNIS`,
//! `user.eccVar1`).
//!
//! The objects of the events, the requests and the `getChannel` answer are
//! read field by field from JSON ([`FromJson`], see [`crate::record`]), which
//! keeps their unknown fields without serde's `flatten`; they are written by
//! serde's derive. Both follow the value rules of [`wire`].

mod agent;
mod bridge;
mod channel;
mod cti_data;
mod event;
mod queue;
mod request;
mod spec_enum;
mod validate;
pub mod wire;
mod workitem;
mod wrapup_state;

pub use crate::record::{FromJson, ReadError};
pub use agent::{AgentState, AgentStateChange, ReasonCode, ReasonCodeEntry, ReasonType};
pub use bridge::{
    BridgeProblem, BridgeRequest, ExtendWrapup, GetWrapupState, RefusedRequest, SPEC_REQUEST_NAMES,
    SubmitWrapup, WRAPUP_REQUEST_NAMES, WrapupRequest,
};
pub use channel::{
    CCX_PERIPHERAL_ID, Channel, ChannelIdError, ChannelSelector, ContactCenter, GetChannelResult,
};
pub use cti_data::{CallDataKey, CtiData, ECC_PREFIX, OutboundClassification};
pub use event::{API_VERSION, CilEvent, ErrorEvent, WorkitemEventKind};
pub use queue::{DataState, EscalationLevel, QueueData, QueueDataUpdate, QueueStatistics};
pub use request::{
    CilRequest, DialOrConsult, GetChannel, GetReasonCodeList, IsUpdateWorkitemDataEnabled,
    SendDtmf, SetAgentState, SetWrapupReason, TransferRequest, UpdateWorkitemData,
};
pub use validate::{ChannelIdForms, RequestError, RequestProblem};
pub use workitem::{
    Activity, ChannelType, Classification, CrmRecord, Direction, Participant, Workitem,
    WorkitemState,
};
pub use wrapup_state::{SubmissionStatus, WrapupState};

//! `CilRequest`: every request integrators can make through `cil`.
//!
//! Every field is read leniently (absent strings become empty, ids may be
//! numbers) so that [`CilRequest::validate`](super::validate) can say what is
//! wrong in words an integrator can act on, instead of a parser error.

use serde::Serialize;

use super::agent::{AgentState, ReasonType};
use super::bridge::SPEC_REQUEST_NAMES;
use crate::json::{Map, ToJson, Value, Writer};
use crate::record::{self, Fields, FromJson, ReadError, deserialize_from_json};

/// `setAgentState`: set the agent's state on a channel.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAgentState {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
    /// `Ready`, `NotReady` or `Logout` (`None` when absent, which validation refuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<AgentState>,
    /// Not-ready or logout reason code; empty if no reason code is required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `directTransfer` and `singleStepConference`: move a workitem to (or bring
/// in) another party.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    /// `voice`, `voice_<peripheral_id>` or `voice_-1` (CCX).
    pub channel_id: String,
    /// Destination address.
    pub address: String,
    /// The workitem; without it the request succeeds only when exactly one
    /// workitem is Active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workitem_id: Option<String>,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `dialOrConsult`: start a call (a consultation if the agent has one).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DialOrConsult {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
    /// Destination address.
    pub address: String,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `getReasonCodeList`: the reason codes of a kind.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetReasonCodeList {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
    /// `Logout`, `NotReady` or `Wrapup` (`None` when absent, which
    /// validation refuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_type: Option<ReasonType>,
}

/// `getChannel`: information about a channel.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetChannel {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
}

/// `sendDtmf`: send DTMF tones during the active call.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendDtmf {
    /// The tones: `0-9`, `*`, `#`, `A-D` (CCE; CCX has no `A-D`).
    pub dtmf: String,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `updateWorkitemData`: update call variables and the wrap-up reason.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWorkitemData {
    /// `voice`, `voice_<peripheral_id>` or `voice_-1` (CCX).
    pub channel_id: String,
    /// The workitem whose data is updated.
    pub workitem_id: String,
    /// The data to update, e.g.
    /// `{"callVariable1": "12345", "user.eccVar1": "999999", "wrapUpReason": "Documentation"}`.
    /// Values must be strings; they are kept as JSON values so that
    /// validation can name the key that is not.
    pub updated_data: Map,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `isUpdateWorkitemDataEnabled`: whether a workitem's data can be updated.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IsUpdateWorkitemDataEnabled {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
    /// The workitem.
    pub workitem_id: String,
}

/// `setWrapupReason`: set the wrap-up reason of a call.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetWrapupReason {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC).
    pub channel_id: String,
    /// The workitem.
    pub workitem_id: String,
    /// The name of the wrap-up reason.
    pub wrap_up_reason: String,
    /// Identifier to map an event or error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Every request of the Integration API, tagged by `request` (the spec
/// names the `request` field for most requests; it is used for all of them
/// so that one shape travels over postMessage).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "request", rename_all = "camelCase")]
pub enum CilRequest {
    /// Set the agent's state on a channel.
    SetAgentState(SetAgentState),
    /// Transfer a workitem directly.
    DirectTransfer(TransferRequest),
    /// Conference in a new party in one step.
    SingleStepConference(TransferRequest),
    /// Start a call or a consultation.
    DialOrConsult(DialOrConsult),
    /// Retrieve reason codes of a kind.
    GetReasonCodeList(GetReasonCodeList),
    /// Retrieve a channel.
    GetChannel(GetChannel),
    /// Send DTMF tones.
    SendDtmf(SendDtmf),
    /// Whether DTMF tones can be sent.
    IsSendDtmfEnabled,
    /// Update call variables and the wrap-up reason.
    UpdateWorkitemData(UpdateWorkitemData),
    /// Whether a workitem's data can be updated.
    IsUpdateWorkitemDataEnabled(IsUpdateWorkitemDataEnabled),
    /// Set the wrap-up reason.
    SetWrapupReason(SetWrapupReason),
}

// Read by hand from the JSON object (see `record`), like the events: one
// reader per field rule instead of a serde visitor per request type. Each
// request's fields are read straight into `CilRequest` ([`SPEC_REQUESTS`]):
// the requests then share the end of reading and its error, where a reader
// per type compiled its own (and its own drop of what it had read).

impl SetAgentState {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            state: fields.optional("state"),
            reason_code: fields.lenient_text("reasonCode"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl TransferRequest {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            address: fields.text_or_empty("address"),
            workitem_id: fields.lenient_text("workitemId"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl DialOrConsult {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            address: fields.text_or_empty("address"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl GetReasonCodeList {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            reason_type: fields.optional("reasonType"),
        }
    }
}

impl GetChannel {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
        }
    }
}

impl SendDtmf {
    fn read(fields: &mut Fields) -> Self {
        Self {
            dtmf: fields.text_or_empty("dtmf"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl UpdateWorkitemData {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            workitem_id: fields.text_or_empty("workitemId"),
            updated_data: fields.or_default("updatedData"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl IsUpdateWorkitemDataEnabled {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            workitem_id: fields.text_or_empty("workitemId"),
        }
    }
}

impl SetWrapupReason {
    fn read(fields: &mut Fields) -> Self {
        Self {
            channel_id: fields.or_default("channelId"),
            workitem_id: fields.text_or_empty("workitemId"),
            wrap_up_reason: fields.text_or_empty("wrapUpReason"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

/// A request's name with the reader of its fields, into `T`.
pub(crate) type NamedRequest<T> = (&'static str, fn(&mut Fields) -> T);

/// The spec's requests by name, each with its reader of the request's fields
/// ([`SPEC_REQUEST_NAMES`] in this order).
pub(crate) const SPEC_REQUESTS: [NamedRequest<CilRequest>; 11] = [
    ("setAgentState", |fields| {
        CilRequest::SetAgentState(SetAgentState::read(fields))
    }),
    ("directTransfer", |fields| {
        CilRequest::DirectTransfer(TransferRequest::read(fields))
    }),
    ("singleStepConference", |fields| {
        CilRequest::SingleStepConference(TransferRequest::read(fields))
    }),
    ("dialOrConsult", |fields| {
        CilRequest::DialOrConsult(DialOrConsult::read(fields))
    }),
    ("getReasonCodeList", |fields| {
        CilRequest::GetReasonCodeList(GetReasonCodeList::read(fields))
    }),
    ("getChannel", |fields| {
        CilRequest::GetChannel(GetChannel::read(fields))
    }),
    ("sendDtmf", |fields| {
        CilRequest::SendDtmf(SendDtmf::read(fields))
    }),
    ("isSendDtmfEnabled", |_| CilRequest::IsSendDtmfEnabled),
    ("updateWorkitemData", |fields| {
        CilRequest::UpdateWorkitemData(UpdateWorkitemData::read(fields))
    }),
    ("isUpdateWorkitemDataEnabled", |fields| {
        CilRequest::IsUpdateWorkitemDataEnabled(IsUpdateWorkitemDataEnabled::read(fields))
    }),
    ("setWrapupReason", |fields| {
        CilRequest::SetWrapupReason(SetWrapupReason::read(fields))
    }),
];

impl CilRequest {
    /// Reads the request `name` from its fields (`body`, the object without
    /// `request`); `None` when `name` is none of the spec's requests. Read
    /// through the table rather than a match of names: the requests share
    /// one lookup, and one end of reading (the wasm is smaller).
    pub(crate) fn read_named(name: &str, body: Map) -> Option<Result<Self, ReadError>> {
        let (_, read) = SPEC_REQUESTS.iter().find(|(known, _)| *known == name)?;
        let mut fields = Fields::of(body);
        let request = read(&mut fields);
        Some(fields.finish(request))
    }
}

// Read by hand rather than derived with `#[serde(tag = "request")]`, as
// `CilEvent` is: the same JSON, read by the readers above.
impl FromJson for CilRequest {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        record::read_tagged(value, "request", &SPEC_REQUEST_NAMES, Self::read_named)
    }
}

deserialize_from_json!(CilRequest);

// Written by hand for the widget as serde's tag writes it (`json::write`):
// `request` first, then the variant's fields.
impl ToJson for CilRequest {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("request", self.name());
        match self {
            Self::SetAgentState(request) => {
                out.field_str("channelId", &request.channel_id);
                out.optional("state", &request.state);
                out.optional("reasonCode", &request.reason_code);
                out.optional("requestId", &request.request_id);
            }
            Self::DirectTransfer(request) | Self::SingleStepConference(request) => {
                out.field_str("channelId", &request.channel_id);
                out.field_str("address", &request.address);
                out.optional("workitemId", &request.workitem_id);
                out.optional("requestId", &request.request_id);
            }
            Self::DialOrConsult(request) => {
                out.field_str("channelId", &request.channel_id);
                out.field_str("address", &request.address);
                out.optional("requestId", &request.request_id);
            }
            Self::GetReasonCodeList(request) => {
                out.field_str("channelId", &request.channel_id);
                out.optional("reasonType", &request.reason_type);
            }
            Self::GetChannel(request) => out.field_str("channelId", &request.channel_id),
            Self::SendDtmf(request) => {
                out.field_str("dtmf", &request.dtmf);
                out.optional("requestId", &request.request_id);
            }
            Self::IsSendDtmfEnabled => {}
            Self::UpdateWorkitemData(request) => {
                out.field_str("channelId", &request.channel_id);
                out.field_str("workitemId", &request.workitem_id);
                out.field("updatedData", &request.updated_data);
                out.optional("requestId", &request.request_id);
            }
            Self::IsUpdateWorkitemDataEnabled(request) => {
                out.field_str("channelId", &request.channel_id);
                out.field_str("workitemId", &request.workitem_id);
            }
            Self::SetWrapupReason(request) => {
                out.field_str("channelId", &request.channel_id);
                out.field_str("workitemId", &request.workitem_id);
                out.field_str("wrapUpReason", &request.wrap_up_reason);
                out.optional("requestId", &request.request_id);
            }
        }
        out.end_object();
    }
}

impl CilRequest {
    /// The request's name as the spec spells it (`setAgentState`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::SetAgentState(_) => "setAgentState",
            Self::DirectTransfer(_) => "directTransfer",
            Self::SingleStepConference(_) => "singleStepConference",
            Self::DialOrConsult(_) => "dialOrConsult",
            Self::GetReasonCodeList(_) => "getReasonCodeList",
            Self::GetChannel(_) => "getChannel",
            Self::SendDtmf(_) => "sendDtmf",
            Self::IsSendDtmfEnabled => "isSendDtmfEnabled",
            Self::UpdateWorkitemData(_) => "updateWorkitemData",
            Self::IsUpdateWorkitemDataEnabled(_) => "isUpdateWorkitemDataEnabled",
            Self::SetWrapupReason(_) => "setWrapupReason",
        }
    }

    /// The request's `requestId`, for the `error` event that answers a failure.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::SetAgentState(request) => request.request_id.as_deref(),
            Self::DirectTransfer(request) | Self::SingleStepConference(request) => {
                request.request_id.as_deref()
            }
            Self::DialOrConsult(request) => request.request_id.as_deref(),
            Self::SendDtmf(request) => request.request_id.as_deref(),
            Self::UpdateWorkitemData(request) => request.request_id.as_deref(),
            Self::SetWrapupReason(request) => request.request_id.as_deref(),
            Self::GetReasonCodeList(_)
            | Self::GetChannel(_)
            | Self::IsSendDtmfEnabled
            | Self::IsUpdateWorkitemDataEnabled(_) => None,
        }
    }
}

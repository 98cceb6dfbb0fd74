//! Beyond the spec: the requests of the `cil` bridge (`docs/cil-protocol.md`).
//!
//! Integrators send the spec's requests ([`CilRequest`]) and three of this
//! widget's own ([`WrapupRequest`]: `getWrapupState`, `submitWrapup`,
//! `extendWrapup`) as one JSON object tagged by `request`.
//! [`BridgeRequest::read`] reads and validates either, so that a request
//! that cannot be carried out is refused with words an integrator can act
//! on and with its `requestId` ([`RefusedRequest`]). The answer of
//! `getWrapupState` is in `wrapup_state.rs`.

use chrono::TimeDelta;
use serde::Serialize;

use super::request::{CilRequest, NamedRequest, SPEC_REQUESTS};
use super::validate::{RequestError, RequestProblem, check_present, describe_unreadable, kind_of};
use super::wire;
use crate::extension::{ExtensionError, MAX_EXTENSION, MIN_EXTENSION};
use crate::json::{Map, Value};
use crate::parse::ParseError;
use crate::record::{self, Fields, FromJson, ReadError, deserialize_from_json};

/// `getWrapupState`: where a workitem's wrap-up stands, for a late subscriber.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetWrapupState {
    /// The workitem.
    pub workitem_id: String,
}

/// `submitWrapup`: submit the wrap-up as the agent's Submit button does.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitWrapup {
    /// The workitem.
    pub workitem_id: String,
    /// Identifier to map an error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `extendWrapup`: add time to the wrap-up as the agent's Extend button does.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtendWrapup {
    /// The workitem.
    pub workitem_id: String,
    /// How many seconds to add, 5 to 900; a fraction counts to the
    /// millisecond, as Tenios takes the end time. Kept as JSON so that
    /// validation can say what was sent instead of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Value>,
    /// Identifier to map an error to the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ExtendWrapup {
    /// The extension asked for, to the millisecond (Tenios takes the end
    /// time to the millisecond); `None` unless `seconds` is a number. An
    /// amount beyond what a `TimeDelta` holds is cut to its limit, which
    /// validation then refuses.
    pub fn amount(&self) -> Option<TimeDelta> {
        let seconds = self.seconds.as_ref()?.as_f64()?;
        // `as` saturates; the one value it can give that a TimeDelta cannot
        // hold is `i64::MIN` (for `-1e300`, say).
        #[expect(
            clippy::cast_possible_truncation,
            reason = "rounded to whole milliseconds on purpose"
        )]
        let milliseconds = ((seconds * 1000.0).round() as i64).max(-i64::MAX);
        Some(TimeDelta::milliseconds(milliseconds))
    }
}

/// The widget's own requests, beyond the spec, tagged by `request` like
/// [`CilRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "request", rename_all = "camelCase")]
pub enum WrapupRequest {
    /// Where a workitem's wrap-up stands.
    GetWrapupState(GetWrapupState),
    /// Submit the wrap-up.
    SubmitWrapup(SubmitWrapup),
    /// Extend the wrap-up.
    ExtendWrapup(ExtendWrapup),
}

impl GetWrapupState {
    fn read(fields: &mut Fields) -> Self {
        Self {
            workitem_id: fields.text_or_empty("workitemId"),
        }
    }
}

impl SubmitWrapup {
    fn read(fields: &mut Fields) -> Self {
        Self {
            workitem_id: fields.text_or_empty("workitemId"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

impl ExtendWrapup {
    fn read(fields: &mut Fields) -> Self {
        Self {
            workitem_id: fields.text_or_empty("workitemId"),
            seconds: fields.optional("seconds"),
            request_id: fields.lenient_text("requestId"),
        }
    }
}

// Read by hand, as `CilRequest` is.
impl FromJson for WrapupRequest {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        record::read_tagged(value, "request", &WRAPUP_REQUEST_NAMES, Self::read_named)
    }
}

deserialize_from_json!(WrapupRequest);

/// The widget's requests by name, each with its reader of the request's
/// fields ([`WRAPUP_REQUEST_NAMES`] in this order), as the spec's
/// ([`SPEC_REQUESTS`]).
const WRAPUP_REQUESTS: [NamedRequest<WrapupRequest>; 3] = [
    ("getWrapupState", |fields| {
        WrapupRequest::GetWrapupState(GetWrapupState::read(fields))
    }),
    ("submitWrapup", |fields| {
        WrapupRequest::SubmitWrapup(SubmitWrapup::read(fields))
    }),
    ("extendWrapup", |fields| {
        WrapupRequest::ExtendWrapup(ExtendWrapup::read(fields))
    }),
];

impl WrapupRequest {
    /// Reads the request `name` from its fields (`body`, the object without
    /// `request`); `None` when `name` is none of the widget's requests.
    fn read_named(name: &str, body: Map) -> Option<Result<Self, ReadError>> {
        let (_, read) = WRAPUP_REQUESTS.iter().find(|(known, _)| *known == name)?;
        let mut fields = Fields::of(body);
        let request = read(&mut fields);
        Some(fields.finish(request))
    }

    /// The request's name (`getWrapupState`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::GetWrapupState(_) => "getWrapupState",
            Self::SubmitWrapup(_) => "submitWrapup",
            Self::ExtendWrapup(_) => "extendWrapup",
        }
    }

    /// The workitem the request is about.
    pub fn workitem_id(&self) -> &str {
        match self {
            Self::GetWrapupState(request) => &request.workitem_id,
            Self::SubmitWrapup(request) => &request.workitem_id,
            Self::ExtendWrapup(request) => &request.workitem_id,
        }
    }

    /// The request's `requestId`, for the `error` event that answers a failure.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::GetWrapupState(_) => None,
            Self::SubmitWrapup(request) => request.request_id.as_deref(),
            Self::ExtendWrapup(request) => request.request_id.as_deref(),
        }
    }

    /// Checks the request: a workitem is named, and an extension is a number
    /// of seconds within the limits of [`crate::extension`].
    pub fn validate(&self) -> Result<(), RequestError> {
        self.check().map_err(|problem| RequestError {
            request: self.name(),
            problem,
        })
    }

    fn check(&self) -> Result<(), RequestProblem> {
        check_present("workitemId", self.workitem_id())?;
        let Self::ExtendWrapup(extend) = self else {
            return Ok(());
        };
        let seconds = extend
            .seconds
            .as_ref()
            .ok_or(RequestProblem::Missing("seconds"))?;
        let amount = extend.amount().ok_or(RequestProblem::NotANumber {
            key: "seconds",
            found: kind_of(seconds),
        })?;
        let error = if amount < MIN_EXTENSION {
            ExtensionError::TooShort
        } else if amount > MAX_EXTENSION {
            ExtensionError::TooLong
        } else {
            return Ok(());
        };
        Err(RequestProblem::ExtensionAmount {
            seconds: seconds.to_string(),
            error,
        })
    }
}

/// The names of the spec's requests, as `request` spells them.
pub const SPEC_REQUEST_NAMES: [&str; 11] = names(&SPEC_REQUESTS);

/// The names of the widget's own requests.
pub const WRAPUP_REQUEST_NAMES: [&str; 3] = names(&WRAPUP_REQUESTS);

/// The names of a table of requests.
const fn names<T, const N: usize>(requests: &[(&'static str, T); N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut index = 0;
    while index < N {
        names[index] = requests[index].0;
        index += 1;
    }
    names
}

/// Every request's name, the spec's then the widget's, as a list in words.
/// Written out rather than joined when needed: the text is smaller than
/// the code that joins it (a test checks that it lists every name).
const KNOWN_NAMES: &str = "setAgentState, directTransfer, singleStepConference, dialOrConsult, \
    getReasonCodeList, getChannel, sendDtmf, isSendDtmfEnabled, updateWorkitemData, \
    isUpdateWorkitemDataEnabled, setWrapupReason, getWrapupState, submitWrapup, extendWrapup";

/// Why a `cil` request was refused before anything was done with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BridgeProblem {
    /// The request is not a JSON object.
    #[error(
        "a request must be an object such as {{\"request\": \"getChannel\", \"channelId\": \"voice\"}}"
    )]
    NotAnObject,
    /// The object has no `request` naming it.
    #[error("the request does not say what it is: set `request` to one of {KNOWN_NAMES}")]
    Unnamed,
    /// `request` names no request this widget knows.
    #[error("`{0}` is not a request this widget knows; use one of {KNOWN_NAMES}")]
    Unknown(String),
    /// A field has the wrong type; the message names the field
    /// ("setAgentState: `channelId` must be a string, not a number").
    #[error("{request}: {}", describe_unreadable(error))]
    Unreadable {
        /// The request's name.
        request: &'static str,
        /// What could not be read.
        error: ParseError,
    },
    /// The request breaks one of its rules.
    #[error(transparent)]
    Invalid(RequestError),
}

/// A request refused before anything was done with it: why, and the
/// `requestId` to answer with (when one could be read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct RefusedRequest {
    /// The request's `requestId`, if it had one.
    pub request_id: Option<String>,
    /// Why it was refused.
    pub problem: BridgeProblem,
}

/// A request of the `cil` bridge: one of the spec's, or one of the widget's own.
#[derive(Debug, Clone, PartialEq)]
pub enum BridgeRequest {
    /// A request of the Integration API.
    Spec(CilRequest),
    /// A request of this widget, beyond the spec.
    Wrapup(WrapupRequest),
}

impl BridgeRequest {
    /// Reads a request (the JSON of the `request` of a `wrapup:cil-request`)
    /// and validates it. Each request's own fields are read by its own type,
    /// so that an error names the request and the field (`setAgentState:
    /// `channelId` must be a string, not a number`).
    pub fn read(json: &str) -> Result<Self, RefusedRequest> {
        // What every request has: its name and, perhaps, its `requestId`.
        // A `requestId` that cannot be text is left for the request's own
        // reader to refuse, with the request's name.
        let Ok(Value::Object(envelope)) = crate::json::from_str(json) else {
            return Err(RefusedRequest {
                request_id: None,
                problem: BridgeProblem::NotAnObject,
            });
        };
        let request_id = envelope
            .get("requestId")
            .and_then(|id| wire::text_of::<ReadError>(id.clone()).ok().flatten());
        // The `requestId` joins the problem in one place, moved rather than
        // cloned into each refusal (smaller code).
        match Self::read_envelope(envelope) {
            Ok(request) => Ok(request),
            Err(problem) => Err(RefusedRequest {
                request_id,
                problem,
            }),
        }
    }

    /// Reads and validates the request in `envelope`, the object that
    /// names it.
    fn read_envelope(mut envelope: Map) -> Result<Self, BridgeProblem> {
        let name = match envelope.remove("request") {
            Some(Value::String(name)) if !name.trim().is_empty() => name,
            _ => return Err(BridgeProblem::Unnamed),
        };
        let read = if SPEC_REQUEST_NAMES.contains(&name.as_str()) {
            CilRequest::read_named(&name, envelope).map(|read| read.map(Self::Spec))
        } else {
            WrapupRequest::read_named(&name, envelope).map(|read| read.map(Self::Wrapup))
        };
        // Matched rather than `ok_or_else` and `map_err`: the request is
        // moved once (smaller code).
        let request = match read {
            Some(Ok(request)) => request,
            Some(Err(error)) => {
                return Err(BridgeProblem::Unreadable {
                    request: static_name(&name),
                    error: error.into(),
                });
            }
            None => return Err(BridgeProblem::Unknown(name)),
        };
        match request.validate() {
            Ok(()) => Ok(request),
            Err(error) => Err(BridgeProblem::Invalid(error)),
        }
    }

    /// The request's name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Spec(request) => request.name(),
            Self::Wrapup(request) => request.name(),
        }
    }

    /// The request's `requestId`, for the `error` event that answers a failure.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Spec(request) => request.request_id(),
            Self::Wrapup(request) => request.request_id(),
        }
    }

    fn validate(&self) -> Result<(), RequestError> {
        match self {
            Self::Spec(request) => request.validate(),
            Self::Wrapup(request) => request.validate(),
        }
    }
}

/// `name` as one of the known names (it is one: it was just matched).
fn static_name(name: &str) -> &'static str {
    SPEC_REQUEST_NAMES
        .iter()
        .chain(&WRAPUP_REQUEST_NAMES)
        .find(|known| **known == name)
        .copied()
        .unwrap_or("request")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_names_are_every_request_s() {
        let every_name: Vec<&str> = SPEC_REQUEST_NAMES
            .iter()
            .chain(&WRAPUP_REQUEST_NAMES)
            .copied()
            .collect();
        assert_eq!(KNOWN_NAMES, every_name.join(", "));
    }
}

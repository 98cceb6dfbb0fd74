//! Tenios wrap-up API: `POST /wrap-up/extend` and `POST /wrap-up/cancel`.
//!
//! Every documented failure answers HTTP 400 with
//! `{"error_code", "error_message", "fields"}`; the constructors of
//! [`TeniosError`] return those bodies exactly as documented.
//!
//! The request fields are kept as optional raw strings so that a missing
//! `agent_email` or a malformed `end_time` reaches [`ExtendRequest::validate`]
//! and gets its documented Tenios error, instead of a generic parse failure.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::datetime::{IsoMillisDateTime, TENIOS_END_TIME_FORMAT_ERROR};
use crate::extension::ExtensionError;
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError, Record, deserialize_from_json};

/// The HTTP status of every documented Tenios error: 400 (Bad Request).
pub const ERROR_STATUS: u16 = 400;

/// `POST /wrap-up/extend`: extend an agent's wrap-up until `end_time`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExtendRequest {
    /// The customer's API key (mandatory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// The e-mail of the agent whose wrap-up is extended (mandatory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_email: Option<String>,
    /// The new end of the wrap-up, `2020-01-01T09:00:00.000Z` (mandatory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// An [`ExtendRequest`] whose fields are present and well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidExtendRequest {
    /// The customer's API key (not yet checked against any account).
    pub access_key: String,
    /// The agent's e-mail (not yet looked up).
    pub agent_email: String,
    /// The requested end of the wrap-up.
    pub end_time: IsoMillisDateTime,
}

impl ExtendRequest {
    /// The request the widget sends.
    pub fn new(access_key: &str, agent_email: &str, end_time: IsoMillisDateTime) -> Self {
        Self {
            access_key: Some(access_key.to_owned()),
            agent_email: Some(agent_email.to_owned()),
            end_time: Some(end_time.to_string()),
        }
    }

    /// The checks that need no server state, in the order of the documented
    /// parameters: each mandatory field present and non-empty
    /// (`FIELD_IS_REQUIRED`), then the format of `end_time`
    /// (`WRAP_UP_DATE_PARSE_ERROR`).
    pub fn validate(&self) -> Result<ValidExtendRequest, TeniosError> {
        let access_key = required("access_key", self.access_key.as_deref())?;
        let agent_email = required("agent_email", self.agent_email.as_deref())?;
        let end_time = required("end_time", self.end_time.as_deref())?;
        let end_time = end_time
            .parse()
            .map_err(|_| TeniosError::wrap_up_date_parse_error())?;
        Ok(ValidExtendRequest {
            access_key: access_key.to_owned(),
            agent_email: agent_email.to_owned(),
            end_time,
        })
    }
}

/// `POST /wrap-up/cancel`: end an agent's wrap-up now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CancelRequest {
    /// The customer's API key (mandatory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// The e-mail of the agent whose wrap-up is cancelled (mandatory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_email: Option<String>,
}

/// A [`CancelRequest`] whose fields are present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCancelRequest {
    /// The customer's API key (not yet checked against any account).
    pub access_key: String,
    /// The agent's e-mail (not yet looked up).
    pub agent_email: String,
}

impl CancelRequest {
    /// The request the widget sends.
    pub fn new(access_key: &str, agent_email: &str) -> Self {
        Self {
            access_key: Some(access_key.to_owned()),
            agent_email: Some(agent_email.to_owned()),
        }
    }

    /// The checks that need no server state: each mandatory field present
    /// and non-empty (`FIELD_IS_REQUIRED`).
    pub fn validate(&self) -> Result<ValidCancelRequest, TeniosError> {
        Ok(ValidCancelRequest {
            access_key: required("access_key", self.access_key.as_deref())?.to_owned(),
            agent_email: required("agent_email", self.agent_email.as_deref())?.to_owned(),
        })
    }
}

/// The spec treats "missing" and "specified as empty" alike.
fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, TeniosError> {
    value
        .filter(|value| !value.is_empty())
        .ok_or_else(|| TeniosError::field_is_required(field))
}

/// The 200 answer to an extension: `{"success": true, "wrap_up_end_time": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtendResponse {
    /// Always `true` in a 200 answer.
    pub success: bool,
    /// The wrap-up's new end.
    pub wrap_up_end_time: IsoMillisDateTime,
}

impl ExtendResponse {
    /// A successful extension to `end`.
    pub const fn extended_to(end: IsoMillisDateTime) -> Self {
        Self {
            success: true,
            wrap_up_end_time: end,
        }
    }
}

/// The 200 answer to a cancellation: `{"success": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CancelResponse {
    /// Always `true` in a 200 answer.
    pub success: bool,
}

impl CancelResponse {
    /// A successful cancellation.
    pub const SUCCEEDED: Self = Self { success: true };
}

impl FromJson for ExtendResponse {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct ExtendResponse")?;
        Ok(Self {
            success: record.required("success")?,
            wrap_up_end_time: record.required("wrap_up_end_time")?,
        })
    }
}

impl FromJson for CancelResponse {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct CancelResponse")?;
        let read = Self {
            success: fields.required("success"),
        };
        fields.finish(read)
    }
}

impl FromJson for TeniosError {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct TeniosError")?;
        let read = Self {
            error_code: fields.required("error_code"),
            error_message: fields.required("error_message"),
            fields: fields.required("fields"),
        };
        fields.finish(read)
    }
}

deserialize_from_json!(ExtendResponse, CancelResponse, TeniosError);

/// The documented error codes, to match on an error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeniosErrorCode {
    /// A mandatory parameter is missing or empty.
    FieldIsRequired,
    /// No agent has the given e-mail.
    AgentNotFound,
    /// The agent is not in wrap-up.
    AgentNotInWrapUp,
    /// `end_time` is not `yyyy-MM-dd'T'HH:mm:ss.SSSZ`.
    WrapUpDateParseError,
    /// The extension adds less than 5 seconds.
    WrapUpInvalidExtendTimeAmount,
    /// The extension adds more than 15 minutes.
    WrapUpExceededLimit,
}

impl TeniosErrorCode {
    /// The code as Tenios spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FieldIsRequired => "FIELD_IS_REQUIRED",
            Self::AgentNotFound => "AGENT_NOT_FOUND",
            Self::AgentNotInWrapUp => "AGENT_NOT_IN_WRAP_UP",
            Self::WrapUpDateParseError => "WRAP_UP_DATE_PARSE_ERROR",
            Self::WrapUpInvalidExtendTimeAmount => "WRAP_UP_INVALID_EXTEND_TIME_AMOUNT",
            Self::WrapUpExceededLimit => "WRAP_UP_EXCEEDED_LIMIT",
        }
    }

    const ALL: [Self; 6] = [
        Self::FieldIsRequired,
        Self::AgentNotFound,
        Self::AgentNotInWrapUp,
        Self::WrapUpDateParseError,
        Self::WrapUpInvalidExtendTimeAmount,
        Self::WrapUpExceededLimit,
    ];

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == code)
    }
}

/// A Tenios error body: `{"error_code", "error_message", "fields"}`, sent with HTTP 400.
///
/// The fields are plain strings rather than an enum because the documented
/// `WRAP_UP_EXCEEDED_LIMIT` body swaps them, and must be reproduced as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{error_message} ({error_code})")]
pub struct TeniosError {
    /// The error code, e.g. `AGENT_NOT_FOUND` (but see [`TeniosError::wrap_up_exceeded_limit`]).
    pub error_code: String,
    /// The human-readable message.
    pub error_message: String,
    /// The request fields the error is about; empty when it is about none.
    pub fields: Vec<String>,
}

impl TeniosError {
    fn new(error_code: &str, error_message: &str, fields: &[&str]) -> Self {
        Self {
            error_code: error_code.to_owned(),
            error_message: error_message.to_owned(),
            fields: fields.iter().map(|field| (*field).to_owned()).collect(),
        }
    }

    /// `FIELD_IS_REQUIRED`: `field` is missing or empty. For `agent_email`
    /// this is the documented body; other mandatory fields follow its pattern.
    pub fn field_is_required(field: &str) -> Self {
        Self::new(
            TeniosErrorCode::FieldIsRequired.as_str(),
            &format!("Parameter '{field}' is required"),
            &[field],
        )
    }

    /// `AGENT_NOT_FOUND`: no agent has the given `agent_email`.
    pub fn agent_not_found() -> Self {
        Self::new(
            TeniosErrorCode::AgentNotFound.as_str(),
            "Agent not found.",
            &["agent_email"],
        )
    }

    /// `AGENT_NOT_IN_WRAP_UP`: the agent is not in wrap-up.
    pub fn agent_not_in_wrap_up() -> Self {
        Self::new(
            TeniosErrorCode::AgentNotInWrapUp.as_str(),
            "Agent currently not in wrapUp state",
            &[],
        )
    }

    /// `WRAP_UP_DATE_PARSE_ERROR`: `end_time` is in the wrong format.
    pub fn wrap_up_date_parse_error() -> Self {
        Self::new(
            TeniosErrorCode::WrapUpDateParseError.as_str(),
            TENIOS_END_TIME_FORMAT_ERROR,
            &["end_time"],
        )
    }

    /// `WRAP_UP_INVALID_EXTEND_TIME_AMOUNT`: the extension adds less than 5 seconds.
    pub fn wrap_up_invalid_extend_time_amount() -> Self {
        Self::new(
            TeniosErrorCode::WrapUpInvalidExtendTimeAmount.as_str(),
            "Invalid amount of time to extend. Minimum value to extend - 5 seconds",
            &[],
        )
    }

    /// `WRAP_UP_EXCEEDED_LIMIT`: the extension adds more than 15 minutes.
    pub fn wrap_up_exceeded_limit() -> Self {
        // The spec's body has `error_code` and `error_message` swapped: the code
        // is in `error_message`. Clients written against Tenios expect exactly
        // that, so it is reproduced byte for byte, not corrected.
        Self::new(
            "Requested WrapUp Extension time is too high",
            TeniosErrorCode::WrapUpExceededLimit.as_str(),
            &[],
        )
    }

    /// Which documented error this body is, if any; it recognises the
    /// swapped `WRAP_UP_EXCEEDED_LIMIT` body too.
    pub fn code(&self) -> Option<TeniosErrorCode> {
        TeniosErrorCode::from_code(&self.error_code).or_else(|| {
            (self.error_message == TeniosErrorCode::WrapUpExceededLimit.as_str())
                .then_some(TeniosErrorCode::WrapUpExceededLimit)
        })
    }
}

/// The end of a wrap-up as the backend holds it, read when what became of an
/// extension is not known from Tenios' answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldEnd {
    /// The wrap-up is open and ends then.
    At(DateTime<Utc>),
    /// The wrap-up is over.
    Over,
    /// The backend could not be asked, or holds no end of its own.
    Unknown,
}

/// Whether an extension that had `refusal` for an answer (`None`: no answer
/// came) may have been carried out after all, so that the wrap-up's end must
/// be learnt before the agent is told. An answer can be lost after Tenios
/// acted, and a request the browser or a proxy sends again when the
/// connection breaks is refused if the first went through. The widget checked
/// the extension against the end it knows (`check_extension`), so a refusal
/// as too short, too long or out of wrap-up says Tenios holds another end.
pub fn extension_in_doubt(refusal: Option<TeniosErrorCode>) -> bool {
    matches!(
        refusal,
        None | Some(
            TeniosErrorCode::WrapUpInvalidExtendTimeAmount
                | TeniosErrorCode::WrapUpExceededLimit
                | TeniosErrorCode::AgentNotInWrapUp
        )
    )
}

/// The wrap-up's end after an extension from `current_end` to
/// `requested_end` that had `refusal` for an answer (`None`: no answer came),
/// given the end the backend holds now; `None` if it was not extended.
///
/// An end later than `current_end` is the extension (this one, or one before
/// whose answer was lost). Where the backend holds no end, a refusal as too
/// short says it: an extension names its end, and Tenios refuses one that
/// moves the end less than 5 s, so its end is already the one asked for
/// (the widget asks for no other: one live page per agent extends it).
pub fn extended_after_all(
    current_end: DateTime<Utc>,
    requested_end: DateTime<Utc>,
    refusal: Option<TeniosErrorCode>,
    held: HeldEnd,
) -> Option<DateTime<Utc>> {
    match held {
        HeldEnd::At(end) => (end > current_end).then_some(end),
        HeldEnd::Over => None,
        HeldEnd::Unknown => (refusal == Some(TeniosErrorCode::WrapUpInvalidExtendTimeAmount))
            .then_some(requested_end),
    }
}

/// Whether a cancel that had `refusal` for an answer (`None`: no answer
/// came) may have ended the wrap-up after all, so that the CTI system's word
/// must be awaited before the agent is told: Tenios no longer has the agent
/// in wrap-up, or did not answer. The first sending may have been carried
/// out before its answer was lost, and a second one (the widget's, the
/// browser's or a proxy's) then finds no wrap-up. It did end the wrap-up if
/// the CTI system ends the workitem (b+s sends `workitemEnd` when the
/// wrap-up ends); Tenios' word alone, with the call still in wrap-up, stands.
pub fn cancel_in_doubt(refusal: Option<TeniosErrorCode>) -> bool {
    matches!(refusal, None | Some(TeniosErrorCode::AgentNotInWrapUp))
}

impl From<ExtensionError> for TeniosError {
    fn from(error: ExtensionError) -> Self {
        match error {
            ExtensionError::TooShort => Self::wrap_up_invalid_extend_time_amount(),
            ExtensionError::TooLong => Self::wrap_up_exceeded_limit(),
        }
    }
}

// Written by hand for the widget, as `Serialize` writes them (`json::write`).

impl ToJson for ExtendRequest {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("access_key", &self.access_key);
        out.optional("agent_email", &self.agent_email);
        out.optional("end_time", &self.end_time);
        out.end_object();
    }
}

impl ToJson for CancelRequest {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("access_key", &self.access_key);
        out.optional("agent_email", &self.agent_email);
        out.end_object();
    }
}

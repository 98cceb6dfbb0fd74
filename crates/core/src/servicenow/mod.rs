//! ServiceNow: the Wrap Up API (`/api/now/wrapup/...`) and the openframe
//! API (`/api/now/openframe/voice-interaction`).
//!
//! - [`wrapup`]: wrap-up codes, segments and their GET answers;
//! - [`segment_create`]: `POST /now/wrapup/segment/create`;
//! - [`segment_update`]: `PUT /now/wrapup/segment/update`;
//! - [`openframe`]: voice-interaction records;
//! - [`ServiceNowError`]: the error body every ServiceNow REST API answers with.

pub mod openframe;
pub mod segment_create;
pub mod segment_update;
pub mod wrapup;

use serde::de;
use serde::{Deserialize, Serialize};

use crate::json::Value;
use crate::record::{Fields, FromJson, ReadError, Record, deserialize_from_json, invalid_type};

pub use openframe::{
    Interaction, OpenframeStatus, RelatedRecord, VoiceInteractionRequest, VoiceInteractionResponse,
    VoiceInteractionResult,
};
pub use segment_create::{
    AllowedCode, AllowedCodeTranslation, ExternalSegmentCreate, SegmentConfiguration,
    SegmentCreateRequest, WrapUpDuration,
};
pub use segment_update::{MissingSegmentKey, SegmentKey, SegmentUpdateQuery, SegmentUpdateRequest};
pub use wrapup::{
    CodeGetResponse, CodePostRequest, CodePostResponse, CodeResponse, CodeResult, CodeTranslation,
    CreatedWrapUpCodes, NewWrapUpCode, Segment, SegmentChangeResponse, SegmentCreateResponse,
    SegmentGetResponse, SegmentState, SegmentUpdateResponse, WrapUpCode, WrapUpCodeMap,
    WrapUpConfiguration,
};

/// The error body of the ServiceNow REST API:
/// `{"error": {"message": ..., "detail": ...}, "status": "failure"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{error}")]
pub struct ServiceNowError {
    /// What went wrong.
    pub error: ServiceNowErrorDetail,
    /// Always `failure`.
    pub status: FailureStatus,
}

impl ServiceNowError {
    /// An error body with a message and, where there is more to say, a detail.
    pub fn new(message: impl Into<String>, detail: Option<String>) -> Self {
        Self {
            error: ServiceNowErrorDetail {
                message: message.into(),
                detail,
            },
            status: FailureStatus::Failure,
        }
    }
}

/// The `error` object of a [`ServiceNowError`]. Told as `message — detail`:
/// the widget puts the server's words in parentheses after its own, and the
/// detail's own parentheses would nest there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}{}", .detail.as_deref().map(|detail| format!(" — {detail}")).unwrap_or_default())]
pub struct ServiceNowErrorDetail {
    /// A short description of the error.
    pub message: String,
    /// More about it; ServiceNow writes `null` when it has nothing to add, so this is always sent.
    pub detail: Option<String>,
}

impl FromJson for ServiceNowError {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct ServiceNowError")?;
        Ok(Self {
            error: record.required("error")?,
            status: record.required("status")?,
        })
    }
}

impl FromJson for ServiceNowErrorDetail {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct ServiceNowErrorDetail")?;
        let read = Self {
            message: fields.required("message"),
            detail: fields.optional("detail"),
        };
        fields.finish(read)
    }
}

deserialize_from_json!(ServiceNowError, ServiceNowErrorDetail);

/// The `status` of a [`ServiceNowError`]: the only value is `failure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum FailureStatus {
    /// `"failure"`.
    #[default]
    #[serde(rename = "failure")]
    Failure,
}

impl FromJson for FailureStatus {
    /// `"failure"`, as serde's derive reads the enum from a JSON value: also
    /// in its other form, an object of the variant's name (`{"failure": null}`).
    fn from_json(value: Value) -> Result<Self, ReadError> {
        const VARIANTS: &[&str] = &["failure"];
        let variant = |name: &str| match name {
            "failure" => Ok(Self::Failure),
            other => Err(de::Error::unknown_variant(other, VARIANTS)),
        };
        match value {
            Value::String(name) => variant(&name),
            Value::Object(fields) => {
                let mut fields = fields.into_iter();
                match (fields.next(), fields.next()) {
                    (Some((name, value)), None) => {
                        let status = variant(&name)?;
                        match value {
                            Value::Null => Ok(status),
                            other => Err(invalid_type(&other, "unit")),
                        }
                    }
                    _ => Err(de::Error::invalid_value(
                        de::Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            other => Err(invalid_type(&other, "string or map")),
        }
    }
}

/// A request that parsed but breaks one of the spec's "Required ..." rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    /// The offending field, as a path in the body (`configuration.allowed_codes[1].code`).
    pub field: String,
    /// What the spec requires of it.
    pub reason: String,
}

impl ValidationError {
    pub(crate) fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Fails with "`field`: required `condition`" unless `value` is present and not empty
/// (an empty string names nothing, so it counts as missing).
pub(crate) fn require(
    field: impl Into<String>,
    value: Option<&str>,
    condition: &str,
) -> Result<(), ValidationError> {
    match value {
        Some(value) if !value.is_empty() => Ok(()),
        _ if condition.is_empty() => Err(ValidationError::new(field, "required")),
        _ => Err(ValidationError::new(field, format!("required {condition}"))),
    }
}

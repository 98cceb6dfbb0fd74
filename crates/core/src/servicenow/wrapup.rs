//! Wrap Up API: wrap-up codes (`GET`/`POST /now/wrapup/code`), the wrap-up
//! segment record, and the answers of the segment endpoints.

use serde::{Deserialize, Deserializer, Serialize};

use super::segment_create::WrapUpDuration;
use super::{ValidationError, require};
use crate::datetime::ServiceNowDateTime;
use crate::json::Value;
use crate::record::{self, Fields, FromJson, ReadError, Record, deserialize_from_json};

/// A wrap-up code record (`interaction_wrap_up_code`), as every answer returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrapUpCode {
    /// Label of the wrap-up code.
    pub code: String,
    /// Description of the wrap-up code (`""` when it has none).
    pub description: String,
    /// Whether the code is active (default `true`).
    pub active: bool,
    /// Whether the code comes from an external system (default `false`).
    pub external: bool,
    /// Sys_id of the wrap-up code.
    pub sys_id: String,
    /// The label translated into the session's language (`""` when there is none).
    pub translated_code: String,
    /// The description translated into the session's language (`""` when there is none).
    pub translated_description: String,
}

impl FromJson for WrapUpCode {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct WrapUpCode")?;
        let read = Self {
            code: fields.required("code"),
            description: fields.or_default("description"),
            active: fields.or("active", true),
            external: fields.or_default("external"),
            sys_id: fields.required("sys_id"),
            translated_code: fields.or_default("translated_code"),
            translated_description: fields.or_default("translated_description"),
        };
        fields.finish(read)
    }
}

impl WrapUpCode {
    /// The label to show an agent: the translation when there is one.
    ///
    /// The spec's own example translations carry stray spaces (`" Einkaufsproblem"`),
    /// so the label is trimmed for display; the record keeps them.
    pub fn display_label(&self) -> &str {
        match self.translated_code.trim() {
            "" => self.code.trim(),
            translated => translated,
        }
    }
}

/// The envelope of the code endpoints: `{"result": {"message", "result_map", "success"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeResponse<M> {
    /// Information about the request and its codes.
    pub result: CodeResult<M>,
}

impl<M: FromJson> FromJson for CodeResponse<M> {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct CodeResponse")?;
        Ok(Self {
            result: record.required("result")?,
        })
    }
}

impl<'de, M: FromJson> Deserialize<'de> for CodeResponse<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        record::deserialize(deserializer)
    }
}

/// The `result` object of a [`CodeResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeResult<M> {
    /// The outcome, e.g. "Wrap up code found.".
    pub message: String,
    /// The code(s).
    pub result_map: M,
    /// Whether the request was processed.
    pub success: bool,
}

impl<M: FromJson> FromJson for CodeResult<M> {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct CodeResult")?;
        Ok(Self {
            message: record.required("message")?,
            result_map: record.required("result_map")?,
            success: record.required("success")?,
        })
    }
}

/// `result_map` of `GET /now/wrapup/code/{code_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrapUpCodeMap {
    /// The requested code.
    pub wrap_up_code: WrapUpCode,
}

impl FromJson for WrapUpCodeMap {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct WrapUpCodeMap")?;
        Ok(Self {
            wrap_up_code: record.required("wrap_up_code")?,
        })
    }
}

/// `result_map` of `POST /now/wrapup/code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedWrapUpCodes {
    /// The codes created or updated (on a 207, only those that passed validation).
    pub created_wrap_up_codes: Vec<WrapUpCode>,
}

impl FromJson for CreatedWrapUpCodes {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct CreatedWrapUpCodes")?;
        let read = Self {
            created_wrap_up_codes: fields.required("created_wrap_up_codes"),
        };
        fields.finish(read)
    }
}

/// The answer of `GET /now/wrapup/code/{code_id}`.
pub type CodeGetResponse = CodeResponse<WrapUpCodeMap>;
/// The answer of `POST /now/wrapup/code` (200, or 207 when only some were created).
pub type CodePostResponse = CodeResponse<CreatedWrapUpCodes>;

/// `POST /now/wrapup/code`: create or update wrap-up codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CodePostRequest {
    /// The codes to create or update (required).
    pub codes: Vec<NewWrapUpCode>,
}

/// One code of a [`CodePostRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewWrapUpCode {
    /// Label of the code (required).
    pub code: String,
    /// Description of the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the code is active; absent means `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Translations of the label and description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<CodeTranslation>>,
}

/// A translation of a wrap-up code in a [`CodePostRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CodeTranslation {
    /// Two-letter language code, e.g. `de`.
    pub language: String,
    /// The translated label.
    pub code: String,
    /// The translated description; required when the code has a description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl CodePostRequest {
    /// The spec's "Required" rules beyond the JSON shape: every label and
    /// language non-empty, and a translated description for every
    /// translation of a code that has a description.
    pub fn validate(&self) -> Result<(), ValidationError> {
        for (index, code) in self.codes.iter().enumerate() {
            let at = format!("codes[{index}]");
            require(format!("{at}.code"), Some(&code.code), "")?;
            let has_description = code.description.as_deref().is_some_and(|d| !d.is_empty());
            for (t, translation) in code.translations.iter().flatten().enumerate() {
                let at = format!("{at}.translations[{t}]");
                require(format!("{at}.language"), Some(&translation.language), "")?;
                require(format!("{at}.code"), Some(&translation.code), "")?;
                if has_description {
                    require(
                        format!("{at}.description"),
                        translation.description.as_deref(),
                        "when the code has a description",
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// The state of a wrap-up segment: `open` once created, `closed` once updated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum SegmentState {
    /// `open`: the wrap-up is in progress.
    Open,
    /// `closed`: the wrap-up was submitted.
    Closed,
    /// Any other state a ServiceNow instance reports, kept as sent.
    Other(String),
}

impl SegmentState {
    /// The state as ServiceNow spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Other(state) => state,
        }
    }
}

impl From<String> for SegmentState {
    fn from(state: String) -> Self {
        match state.as_str() {
            "open" => Self::Open,
            "closed" => Self::Closed,
            _ => Self::Other(state),
        }
    }
}

impl From<SegmentState> for String {
    fn from(state: SegmentState) -> Self {
        state.as_str().to_owned()
    }
}

impl FromJson for SegmentState {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        String::from_json(value).map(Self::from)
    }
}

/// The wrap-up configuration of a segment: which codes the agent may pick.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WrapUpConfiguration {
    /// Whether the agent must select a code (default `false`).
    pub enable_codes: bool,
    /// The codes the agent may use (default none).
    pub allowed_codes: Vec<WrapUpCode>,
    /// The code to preselect, and to submit when the agent picks none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_code: Option<WrapUpCode>,
    /// Not in the spec's answer tables: the maximum duration given at
    /// segment/create. The reference server echoes it so that a reloaded widget
    /// can rebuild the deadline (`opened_on` + duration); absent from ServiceNow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<WrapUpDuration>,
    /// Not in the spec's answer tables: the `show_timer` given at segment/create,
    /// echoed by the reference server for the same reason as `duration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_timer: Option<bool>,
}

impl FromJson for WrapUpConfiguration {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct WrapUpConfiguration")?;
        let configuration = Self {
            enable_codes: fields.or_default("enable_codes"),
            allowed_codes: fields.or_default("allowed_codes"),
            default_code: fields.optional("default_code"),
            duration: fields.optional("duration"),
            show_timer: fields.optional("show_timer"),
        };
        fields.finish(configuration)
    }
}

/// A wrap-up segment record (`interaction_wrap_up_segment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Sys_id of the agent assigned to the interaction.
    pub agent: String,
    /// Table holding the interaction segment, e.g. `sn_openframe_phone_log`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_table: Option<String>,
    /// Sys_id of the interaction segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<String>,
    /// Whether the segment comes from an external system (default `false`).
    pub external: bool,
    /// Sys_id of the interaction.
    pub interaction: String,
    /// `open` or `closed`.
    pub state: SegmentState,
    /// The codes the agent may pick.
    pub wrap_up_configuration: WrapUpConfiguration,
    /// The code the agent submitted (once updated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<WrapUpCode>,
    /// The notes the agent submitted (once updated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Whether the wrap-up is segmented (default `false`).
    pub segmented: bool,
    /// Sys_id of the wrap-up segment.
    pub sys_id: String,
    /// Start of the wrap-up period according to the external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_on: Option<ServiceNowDateTime>,
    /// When the agent submitted the wrap-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_on: Option<ServiceNowDateTime>,
    /// When the external CCaaS system processed the submitted wrap-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<ServiceNowDateTime>,
    /// Whether the submitted wrap-up still awaits confirmation by the external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awaiting_confirmation: Option<bool>,
}

impl FromJson for Segment {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct Segment")?;
        let segment = Self {
            agent: fields.required("agent"),
            segment_table: fields.optional("segment_table"),
            segment_id: fields.optional("segment_id"),
            external: fields.or_default("external"),
            interaction: fields.required("interaction"),
            state: fields.required_or("state", SegmentState::Open),
            wrap_up_configuration: fields.required("wrap_up_configuration"),
            code: fields.optional("code"),
            notes: fields.optional("notes"),
            segmented: fields.or_default("segmented"),
            sys_id: fields.required("sys_id"),
            opened_on: fields.optional("opened_on"),
            submitted_on: fields.optional("submitted_on"),
            confirmed_on: fields.optional("confirmed_on"),
            awaiting_confirmation: fields.optional("awaiting_confirmation"),
        };
        fields.finish(segment)
    }
}

/// The answer of `GET /now/wrapup/segment/{segment_id}` and of
/// `GET /now/wrapup/segment/agent/{agent_id}/interaction/{interaction_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentGetResponse {
    /// Whether the request was processed.
    pub success: bool,
    /// The outcome, e.g. "Wrap up segment retrieved successfully.".
    pub message: String,
    /// Sys_id of the wrap-up segment.
    pub segment_id: String,
    /// The segment.
    pub segment: Segment,
}

impl FromJson for SegmentGetResponse {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct SegmentGetResponse")?;
        Ok(Self {
            success: record.required("success")?,
            message: record.required("message")?,
            segment_id: record.required("segment_id")?,
            segment: record.required("segment")?,
        })
    }
}

/// The answer of `POST /now/wrapup/segment/create` and `PUT /now/wrapup/segment/update`:
/// like [`SegmentGetResponse`], but with a top-level `sys_id` instead of `segment_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentChangeResponse {
    /// Whether the request was processed.
    pub success: bool,
    /// The outcome, e.g. "Open wrap-up segment successfully created.".
    pub message: String,
    /// Sys_id of the wrap-up segment.
    pub sys_id: String,
    /// The segment as it is now.
    pub segment: Segment,
}

impl FromJson for SegmentChangeResponse {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct SegmentChangeResponse")?;
        Ok(Self {
            success: record.required("success")?,
            message: record.required("message")?,
            sys_id: record.required("sys_id")?,
            segment: record.required("segment")?,
        })
    }
}

deserialize_from_json!(
    WrapUpCode,
    WrapUpCodeMap,
    CreatedWrapUpCodes,
    SegmentState,
    WrapUpConfiguration,
    Segment,
    SegmentGetResponse,
    SegmentChangeResponse,
);

/// The answer of `POST /now/wrapup/segment/create`.
pub type SegmentCreateResponse = SegmentChangeResponse;
/// The answer of `PUT /now/wrapup/segment/update`.
pub type SegmentUpdateResponse = SegmentChangeResponse;

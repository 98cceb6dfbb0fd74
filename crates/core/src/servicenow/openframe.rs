//! openframe API: `POST /now/openframe/voice-interaction` creates an
//! interaction record when an agent accepts a call, and
//! `PATCH /now/openframe/voice-interaction/{interactionSysId}` updates it.
//!
//! Both take the same body; they differ in what is required, which
//! [`VoiceInteractionRequest::validate_create`] and
//! [`VoiceInteractionRequest::validate_update`] check.

use serde::{Deserialize, Serialize};

use super::{ValidationError, require};
use crate::bs::CtiData;
use crate::json::{Map, ToJson, Value, Writer};
use crate::record::{FromJson, ReadError, Record, deserialize_from_json};

/// The body of the voice-interaction POST and PATCH.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VoiceInteractionRequest {
    /// Details of the voice interaction (required; at least one parameter).
    pub interaction: Interaction,
    /// Interaction context variables to save in the record, as name-value pairs.
    #[serde(
        rename = "interactionContext",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub interaction_context: Option<Map>,
    /// Phone log records to create for the call: any field of `sn_openframe_phone_log`.
    #[serde(rename = "phoneLogs", default, skip_serializing_if = "Option::is_none")]
    pub phone_logs: Option<Vec<Map>>,
    /// Records related to the call.
    #[serde(
        rename = "relatedRecords",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub related_records: Option<Vec<RelatedRecord>>,
}

/// The `interaction` object of a [`VoiceInteractionRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Interaction {
    /// E.164 number of the user who made the call; required on POST.
    #[serde(
        rename = "userPhoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_phone_number: Option<String>,
    /// The call's identifier in the external system, linking the two records.
    #[serde(
        rename = "clientSessionId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_session_id: Option<String>,
    /// E.164 number to call the caller back on if the call drops.
    #[serde(
        rename = "callbackPhoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_phone_number: Option<String>,
    /// Identifier of the voice service's application provider.
    #[serde(rename = "inboundId", default, skip_serializing_if = "Option::is_none")]
    pub inbound_id: Option<String>,
    /// Other fields of the interaction record, as name-value pairs.
    #[serde(
        rename = "additionalParams",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_params: Option<Map>,
}

impl Interaction {
    fn is_empty(&self) -> bool {
        self.user_phone_number.is_none()
            && self.client_session_id.is_none()
            && self.callback_phone_number.is_none()
            && self.inbound_id.is_none()
            && self.additional_params.is_none()
    }
}

/// A related record of a [`VoiceInteractionRequest`].
///
/// The spec does not mark its fields required, but a record cannot be
/// related without both, so both are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RelatedRecord {
    /// Name of the table holding the record, e.g. `csm_consumer`.
    #[serde(rename = "documentTable")]
    pub document_table: String,
    /// Sys_id of the record.
    #[serde(rename = "documentId")]
    pub document_id: String,
}

impl VoiceInteractionRequest {
    /// The PATCH of a call whose data changed: the call variables as the
    /// record's interaction context ([`interaction_context`]), and `clientSessionId` (the workitem id) as the
    /// one `interaction` parameter the spec requires. Phone logs are not
    /// sent: each one sent is a new phone log record, not an update.
    ///
    /// Every call variable is sent every time, so a later PATCH supersedes
    /// an earlier one whatever happened to it.
    pub fn call_data_update(workitem_id: &str, cti_data: Option<&CtiData>) -> Self {
        Self {
            interaction: Interaction {
                client_session_id: Some(workitem_id.to_owned()),
                ..Interaction::default()
            },
            interaction_context: Some(interaction_context(cti_data)),
            ..Self::default()
        }
    }

    /// The POST rules: `interaction.userPhoneNumber` is required, and the
    /// phone numbers are E.164.
    pub fn validate_create(&self) -> Result<(), ValidationError> {
        require(
            "interaction.userPhoneNumber",
            self.interaction.user_phone_number.as_deref(),
            "to create a voice interaction",
        )?;
        self.validate_update()
    }

    /// The PATCH rules: `interaction` passes at least one parameter, and the
    /// phone numbers are E.164.
    pub fn validate_update(&self) -> Result<(), ValidationError> {
        if self.interaction.is_empty() {
            return Err(ValidationError::new(
                "interaction",
                "pass at least one of userPhoneNumber, clientSessionId, \
                 callbackPhoneNumber, inboundId, additionalParams",
            ));
        }
        for (field, number) in [
            (
                "interaction.userPhoneNumber",
                &self.interaction.user_phone_number,
            ),
            (
                "interaction.callbackPhoneNumber",
                &self.interaction.callback_phone_number,
            ),
        ] {
            if let Some(number) = number
                && !is_e164(number)
            {
                return Err(ValidationError::new(
                    field,
                    format!("`{number}` is not an E.164 number like +14089965744"),
                ));
            }
        }
        Ok(())
    }
}

/// The call variables as interaction context variables, by the names the b+s
/// spec gives them (`callVariable1` … `callVariable10`, `user.<ecc>`,
/// `wrapUpReason`): the call data a CTI system or an integrator changes.
pub fn interaction_context(cti_data: Option<&CtiData>) -> Map {
    let mut context = Map::new();
    let Some(cti_data) = cti_data else {
        return context;
    };
    for number in 1..=10 {
        if let Some(value) = cti_data.call_variable(number) {
            context.insert(format!("callVariable{number}"), value.into());
        }
    }
    for (name, value) in cti_data.ecc_variables() {
        context.insert(format!("user.{name}"), value.into());
    }
    if let Some(reason) = &cti_data.wrap_up_reason {
        context.insert("wrapUpReason".to_owned(), reason.as_str().into());
    }
    context
}

/// `+`, then 1 to 15 digits, the first not 0.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (1..=15).contains(&digits.len())
            && digits.bytes().all(|byte| byte.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// The answer of the voice-interaction POST and PATCH: `{"result": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoiceInteractionResponse {
    /// The outcome.
    pub result: VoiceInteractionResult,
}

/// The `result` of a [`VoiceInteractionResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoiceInteractionResult {
    /// `SUCCESS`, or why not.
    pub status: OpenframeStatus,
    /// POST only, on success: sys_id of the new interaction record.
    #[serde(rename = "sysId", skip_serializing_if = "Option::is_none")]
    pub sys_id: Option<String>,
    /// POST only, on success: number of the new interaction, e.g. `IMS0000052`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl FromJson for VoiceInteractionResponse {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct VoiceInteractionResponse")?;
        Ok(Self {
            result: record.required("result")?,
        })
    }
}

impl FromJson for VoiceInteractionResult {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct VoiceInteractionResult")?;
        Ok(Self {
            status: record.required("status")?,
            sys_id: record.optional("sysId")?,
            number: record.optional("number")?,
        })
    }
}

deserialize_from_json!(
    VoiceInteractionResponse,
    VoiceInteractionResult,
    OpenframeStatus
);

impl VoiceInteractionResponse {
    /// The POST answer for a created record.
    pub fn created(sys_id: &str, number: &str) -> Self {
        Self {
            result: VoiceInteractionResult {
                status: OpenframeStatus::Success,
                sys_id: Some(sys_id.to_owned()),
                number: Some(number.to_owned()),
            },
        }
    }

    /// The PATCH answer for an updated record.
    pub fn updated() -> Self {
        Self {
            result: VoiceInteractionResult {
                status: OpenframeStatus::Success,
                sys_id: None,
                number: None,
            },
        }
    }
}

/// The `status` of a voice-interaction answer.
///
/// The spec's list of possible values is empty apart from its examples'
/// `SUCCESS`; `FAILURE` is this project's choice for the other outcome, and
/// any other value is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum OpenframeStatus {
    /// `SUCCESS`.
    Success,
    /// `FAILURE`.
    Failure,
    /// Any other status, kept as sent.
    Other(String),
}

impl OpenframeStatus {
    /// The status as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Success => "SUCCESS",
            Self::Failure => "FAILURE",
            Self::Other(status) => status,
        }
    }
}

impl From<String> for OpenframeStatus {
    fn from(status: String) -> Self {
        match status.as_str() {
            "SUCCESS" => Self::Success,
            "FAILURE" => Self::Failure,
            _ => Self::Other(status),
        }
    }
}

impl From<OpenframeStatus> for String {
    fn from(status: OpenframeStatus) -> Self {
        status.as_str().to_owned()
    }
}

impl FromJson for OpenframeStatus {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        String::from_json(value).map(Self::from)
    }
}

// Written by hand for the widget, as `Serialize` writes them (`json::write`).

impl ToJson for VoiceInteractionRequest {
    fn write_json(&self, out: &mut Writer) {
        let interaction = &self.interaction;
        out.begin_object();
        out.key("interaction");
        out.begin_object();
        out.optional("userPhoneNumber", &interaction.user_phone_number);
        out.optional("clientSessionId", &interaction.client_session_id);
        out.optional("callbackPhoneNumber", &interaction.callback_phone_number);
        out.optional("inboundId", &interaction.inbound_id);
        out.optional("additionalParams", &interaction.additional_params);
        out.end_object();
        out.optional("interactionContext", &self.interaction_context);
        out.optional("phoneLogs", &self.phone_logs);
        out.optional("relatedRecords", &self.related_records);
        out.end_object();
    }
}

impl ToJson for RelatedRecord {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("documentTable", &self.document_table);
        out.field_str("documentId", &self.document_id);
        out.end_object();
    }
}

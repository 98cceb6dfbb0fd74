//! Agent state: the `agentStateChange` event, reason codes and the
//! `getReasonCodeList` entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use super::spec_enum::spec_enum;
use super::wire::{self, ExtraFields};
use super::workitem::ChannelType;
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError, deserialize_from_json};

spec_enum! {
    /// The agent's state on a channel (`newState`, `oldState`, `Channel.state`).
    #[derive(Default)]
    pub enum AgentState {
        /// Logged out.
        Logout => "Logout",
        /// Offline.
        Offline => "Offline",
        /// Ready for workitems.
        Ready => "Ready",
        /// Not ready for workitems.
        NotReady => "NotReady",
        /// Working on a workitem.
        Active => "Active",
        /// Wrapping up a workitem.
        Wrapup => "Wrapup",
        /// The CTI system does not know the state.
        #[default]
        Unknown => "Unknown",
    }
}

spec_enum! {
    /// The kind of reason codes `getReasonCodeList` asks for (`reasonType`).
    pub enum ReasonType {
        /// Logout reasons.
        Logout => "Logout",
        /// Not-ready reasons.
        NotReady => "NotReady",
        /// Wrap-up reasons.
        Wrapup => "Wrapup",
    }
}

/// A reason code of an agent state; negative values mean "no code available".
///
/// Read from a number or a numeric string; `null` and an empty string (the
/// spec: "empty if no reason code is required") are [`ReasonCode::NONE`],
/// anything else an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReasonCode(pub i64);

impl ReasonCode {
    /// "No code available", as the CTI system usually sends it.
    pub const NONE: Self = Self(-1);

    /// The code, or `None` when negative (no code available).
    pub fn get(self) -> Option<i64> {
        (self.0 >= 0).then_some(self.0)
    }
}

impl ToJson for ReasonCode {
    fn write_json(&self, out: &mut Writer) {
        out.i64(self.0);
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl ReasonCode {
    /// Reads a reason code: a whole number or numeric text; `null` or empty
    /// text is [`ReasonCode::NONE`].
    fn read<E: de::Error>(value: Value) -> Result<Self, E> {
        let code = match &value {
            Value::Null => return Ok(Self::NONE),
            Value::String(text) if text.trim().is_empty() => return Ok(Self::NONE),
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.trim().parse().ok(),
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
        };
        code.map(Self).ok_or_else(|| {
            E::invalid_value(
                wire::unexpected(&value),
                &"a reason code: a whole number, or empty",
            )
        })
    }
}

impl<'de> Deserialize<'de> for ReasonCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::read(Value::deserialize(deserializer)?)
    }
}

impl FromJson for ReasonCode {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        Self::read(value)
    }
}

/// The `agentStateChange` event: the agent's state on one channel changed.
///
/// `event` is the [`super::CilEvent`] tag, not a field here.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentStateChange {
    /// API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Identifier to match this event to a request (e.g. `setAgentState`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Channel type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<ChannelType>,
    /// Channel identifier (`voice_<peripheral_id>`, `voice_-1` for CCX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// The new state.
    pub new_state: AgentState,
    /// The new reason code; negative when none is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_reason_code: Option<ReasonCode>,
    /// The new reason's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_reason_code_label: Option<String>,
    /// When the new state began.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::timestamp_opt::serialize"
    )]
    pub new_state_change_time: Option<DateTime<Utc>>,
    /// The previous state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_state: Option<AgentState>,
    /// The previous reason code; negative when none was available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_reason_code: Option<ReasonCode>,
    /// The previous reason's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_reason_code_label: Option<String>,
    /// When the previous state began.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::timestamp_opt::serialize"
    )]
    pub old_state_change_time: Option<DateTime<Utc>>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for AgentStateChange {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct AgentStateChange")?;
        let change = Self {
            version: fields.lenient_text("version"),
            request_id: fields.lenient_text("requestId"),
            channel_type: fields.optional("channelType"),
            channel_id: fields.optional("channelId"),
            new_state: fields.or_default("newState"),
            new_reason_code: fields.optional("newReasonCode"),
            new_reason_code_label: fields.optional("newReasonCodeLabel"),
            new_state_change_time: fields.timestamp("newStateChangeTime"),
            old_state: fields.optional("oldState"),
            old_reason_code: fields.optional("oldReasonCode"),
            old_reason_code_label: fields.optional("oldReasonCodeLabel"),
            old_state_change_time: fields.timestamp("oldStateChangeTime"),
            extra: fields.extra(),
        };
        fields.finish(change)
    }
}

deserialize_from_json!(AgentStateChange);

// Written by hand for the widget, as `Serialize` writes it (`json::write`).
impl ToJson for AgentStateChange {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        self.write_fields(out);
        out.end_object();
    }
}

impl AgentStateChange {
    /// The fields, also written after a [`super::CilEvent`]'s tag.
    pub(crate) fn write_fields(&self, out: &mut Writer) {
        out.optional("version", &self.version);
        out.optional("requestId", &self.request_id);
        out.optional("channelType", &self.channel_type);
        out.optional("channelId", &self.channel_id);
        out.field("newState", &self.new_state);
        out.optional("newReasonCode", &self.new_reason_code);
        out.optional("newReasonCodeLabel", &self.new_reason_code_label);
        wire::write_timestamp(out, "newStateChangeTime", &self.new_state_change_time);
        out.optional("oldState", &self.old_state);
        out.optional("oldReasonCode", &self.old_reason_code);
        out.optional("oldReasonCodeLabel", &self.old_reason_code_label);
        wire::write_timestamp(out, "oldStateChangeTime", &self.old_state_change_time);
        wire::write_extra(out, &self.extra);
    }
}

/// One reason code of the list `getReasonCodeList` resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCodeEntry {
    /// The descriptive reason name.
    pub label: String,
    /// Unique identifier of the reason (read from a number or a string).
    pub id: String,
}

impl FromJson for ReasonCodeEntry {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct ReasonCodeEntry")?;
        let read = Self {
            label: fields.or_default("label"),
            id: fields.required_text("id"),
        };
        fields.finish(read)
    }
}

deserialize_from_json!(ReasonCodeEntry);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_reason_codes_mean_none() {
        assert_eq!(ReasonCode(-1).get(), None);
        assert_eq!(ReasonCode(0).get(), Some(0));
        assert_eq!(ReasonCode(32762).get(), Some(32762));
    }

    #[test]
    fn reason_codes_are_read_from_numbers_and_numeric_text() -> Result<(), serde_json::Error> {
        let codes: Vec<ReasonCode> = serde_json::from_str(r#"[5, "7", null, ""]"#)?;
        assert_eq!(
            codes,
            [
                ReasonCode(5),
                ReasonCode(7),
                ReasonCode::NONE,
                ReasonCode::NONE
            ]
        );
        for nonsense in [r#""lunch""#, "{}", "[1]", "true", "1.5"] {
            let error = serde_json::from_str::<ReasonCode>(nonsense)
                .expect_err(nonsense)
                .to_string();
            assert!(
                error.contains("expected a reason code"),
                "{nonsense}: {error}"
            );
        }
        Ok(())
    }
}

//! Channels: the `getChannel` result, the `Channel` reference and the channel
//! ids requests address (`voice`, `voice_<peripheral_id>`, `voice_-1`, `telephony`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::agent::{AgentState, ReasonCode};
use super::wire::{self, ExtraFields};
use super::workitem::{ChannelType, Workitem};
use crate::json::Value;
use crate::record::{Fields, FromJson, ReadError, deserialize_from_json};

/// A channel (Channel reference): the agent's state on it and its workitems.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// Unique identifier of the channel (e.g. `voice_5000`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Channel type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<ChannelType>,
    /// The agent's state on this channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<AgentState>,
    /// Selected reason code; negative when none is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    /// The descriptive reason name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code_label: Option<String>,
    /// When the state last changed.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::timestamp_opt::serialize"
    )]
    pub state_change_time: Option<DateTime<Utc>>,
    /// The channel's workitems.
    pub workitems: Vec<Workitem>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for Channel {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct Channel")?;
        let channel = Self {
            id: fields.lenient_text("id"),
            channel_type: fields.optional("type"),
            state: fields.optional("state"),
            reason_code: fields.optional("reasonCode"),
            reason_code_label: fields.optional("reasonCodeLabel"),
            state_change_time: fields.timestamp("stateChangeTime"),
            workitems: fields.or_default("workitems"),
            extra: fields.extra(),
        };
        fields.finish(channel)
    }
}

/// What `getChannel` resolves to: the agent and one channel.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetChannelResult {
    /// Active device id, for agents using the shared line feature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_device_id: Option<String>,
    /// The channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The extension the agent is working with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// First name of the agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Identifier of the agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Last name of the agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Login name of the agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_name: Option<String>,
    /// The team the agent belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for GetChannelResult {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct GetChannelResult")?;
        let result = Self {
            active_device_id: fields.lenient_text("activeDeviceId"),
            channel: fields.optional("channel"),
            extension: fields.lenient_text("extension"),
            first_name: fields.optional("firstName"),
            agent_id: fields.lenient_text("agentId"),
            last_name: fields.optional("lastName"),
            login_name: fields.optional("loginName"),
            team_id: fields.lenient_text("teamId"),
            extra: fields.extra(),
        };
        fields.finish(result)
    }
}

deserialize_from_json!(Channel, GetChannelResult);

/// The peripheral id of the CCX voice channel (`voice_-1`).
pub const CCX_PERIPHERAL_ID: i64 = -1;

/// The Cisco contact center behind a voice channel, where the spec's rules
/// for the two differ (DTMF: "CCE: 0-9, *, #, A-D. CCX: 0-9, *, #").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactCenter {
    /// Unified Contact Center Enterprise: a channel `voice_<peripheral_id>`.
    Cce,
    /// Unified Contact Center Express: the channel `voice_-1`.
    Ccx,
}

impl ContactCenter {
    /// The contact center of voice channel `channel_id` (`voice_-1` is CCX's,
    /// another `voice_<peripheral_id>` CCE's); `None` for an id that names
    /// no peripheral (`voice`, WxCC's `telephony`).
    pub fn of_channel(channel_id: &str) -> Option<Self> {
        match ChannelSelector::parse(channel_id) {
            Ok(ChannelSelector::VoicePeripheral(CCX_PERIPHERAL_ID)) => Some(Self::Ccx),
            Ok(ChannelSelector::VoicePeripheral(_)) => Some(Self::Cce),
            _ => None,
        }
    }

    /// The characters `sendDtmf` may send.
    pub const fn dtmf_characters(self) -> &'static str {
        match self {
            Self::Cce => "0123456789*#ABCD",
            Self::Ccx => "0123456789*#",
        }
    }
}

impl std::fmt::Display for ContactCenter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Cce => "CCE",
            Self::Ccx => "CCX",
        })
    }
}

/// The channel a request addresses, read from its `channelId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelSelector {
    /// `voice`: every voice channel, whatever its peripheral.
    Voice,
    /// `voice_<peripheral_id>`: one voice channel; `voice_-1` is CCX's.
    VoicePeripheral(i64),
    /// `telephony`: the WxCC voice channel.
    Telephony,
}

/// Why a `channelId` is not one the spec allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelIdError {
    /// The id is missing or empty.
    #[error("channelId is required")]
    Missing,
    /// The part after `voice_` is not a peripheral id.
    #[error(
        "channelId `{0}` has no valid peripheral id after `voice_`: use a number such as \
         `voice_5000`, or `voice_-1` for CCX"
    )]
    BadPeripheral(String),
    /// The id has none of the documented forms.
    #[error("channelId `{0}` is not a channel id")]
    Unrecognised(String),
}

impl ChannelSelector {
    /// Reads a `channelId` of a request.
    pub fn parse(channel_id: &str) -> Result<Self, ChannelIdError> {
        match channel_id {
            "" => Err(ChannelIdError::Missing),
            "voice" => Ok(Self::Voice),
            "telephony" => Ok(Self::Telephony),
            _ => {
                let Some(peripheral) = channel_id.strip_prefix("voice_") else {
                    return Err(ChannelIdError::Unrecognised(channel_id.to_owned()));
                };
                // Peripheral ids are non-negative numbers; -1 is CCX's only.
                match peripheral.parse::<i64>() {
                    Ok(id)
                        if (id >= 0 || id == CCX_PERIPHERAL_ID) && !peripheral.starts_with('+') =>
                    {
                        Ok(Self::VoicePeripheral(id))
                    }
                    _ => Err(ChannelIdError::BadPeripheral(channel_id.to_owned())),
                }
            }
        }
    }

    /// Whether a channel with id `channel_id` (e.g. a workitem's
    /// `voice_5000`) is one this selector addresses. `voice` and `telephony`
    /// address the agent's voice channel whatever its peripheral id.
    pub fn matches(&self, channel_id: &str) -> bool {
        match self {
            Self::Voice | Self::Telephony => {
                channel_id == "voice"
                    || channel_id == "telephony"
                    || channel_id.starts_with("voice_")
            }
            Self::VoicePeripheral(id) => channel_id == format!("voice_{id}"),
        }
    }
}

impl std::fmt::Display for ChannelSelector {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Voice => formatter.write_str("voice"),
            Self::VoicePeripheral(id) => write!(formatter, "voice_{id}"),
            Self::Telephony => formatter.write_str("telephony"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_channel_ids() {
        assert_eq!(ChannelSelector::parse("voice"), Ok(ChannelSelector::Voice));
        assert_eq!(
            ChannelSelector::parse("voice_5000"),
            Ok(ChannelSelector::VoicePeripheral(5000))
        );
        assert_eq!(
            ChannelSelector::parse("voice_-1"),
            Ok(ChannelSelector::VoicePeripheral(-1))
        );
        assert_eq!(
            ChannelSelector::parse("telephony"),
            Ok(ChannelSelector::Telephony)
        );
    }

    #[test]
    fn refuses_other_channel_ids_with_a_hint() {
        assert_eq!(ChannelSelector::parse(""), Err(ChannelIdError::Missing));
        assert!(matches!(
            ChannelSelector::parse("voice_abc"),
            Err(ChannelIdError::BadPeripheral(_))
        ));
        assert!(matches!(
            ChannelSelector::parse("voice_-2"),
            Err(ChannelIdError::BadPeripheral(_))
        ));
        assert!(matches!(
            ChannelSelector::parse("voice_"),
            Err(ChannelIdError::BadPeripheral(_))
        ));
        assert!(matches!(
            ChannelSelector::parse("Voice"),
            Err(ChannelIdError::Unrecognised(_))
        ));
        assert!(matches!(
            ChannelSelector::parse("chat"),
            Err(ChannelIdError::Unrecognised(_))
        ));
    }

    #[test]
    fn voice_minus_one_is_ccx_and_other_peripherals_cce() {
        assert_eq!(
            ContactCenter::of_channel("voice_-1"),
            Some(ContactCenter::Ccx)
        );
        assert_eq!(
            ContactCenter::of_channel("voice_5000"),
            Some(ContactCenter::Cce)
        );
        for unknown in ["voice", "telephony", "voice_x", ""] {
            assert_eq!(ContactCenter::of_channel(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn a_peripheral_selector_matches_only_its_channel() {
        assert!(ChannelSelector::VoicePeripheral(5000).matches("voice_5000"));
        assert!(!ChannelSelector::VoicePeripheral(5000).matches("voice_5001"));
        assert!(ChannelSelector::Voice.matches("voice_-1"));
        assert!(!ChannelSelector::Voice.matches("chat_1"));
    }
}

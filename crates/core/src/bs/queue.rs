//! The `queueDataUpdate` event: queue statistics (not available in CCX).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::spec_enum::spec_enum;
use super::wire::{self, ExtraFields};
use super::workitem::ChannelType;

spec_enum! {
    /// What the queue data of a `queueDataUpdate` describes (`dataState`).
    pub enum DataState {
        /// The agent is logged in; `queueData` holds every available queue.
        Enabled => "ENABLED",
        /// A queue subscription was added; `queueData` holds that queue.
        Added => "ADDED",
        /// A queue's data was updated; `queueData` holds that queue.
        Updated => "UPDATED",
        /// The agent was removed from a queue; `queueData` holds one item with only its `id`.
        Deleted => "DELETED",
        /// The agent logged out; `queueData` is empty.
        Disabled => "DISABLED",
    }
}

spec_enum! {
    /// A queue's threshold, from its configuration (`escalationLevel`).
    pub enum EscalationLevel {
        /// Below the warning threshold.
        Normal => "Normal",
        /// Above the warning threshold.
        Warn => "Warn",
        /// Above the critical threshold.
        Critical => "Critical",
    }
}

/// Statistic values of a queue (statistics reference).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatistics {
    /// Agents in state Not Ready.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_not_ready: Option<u64>,
    /// Agents in state Ready.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_ready: Option<u64>,
    /// Agents talking on an inbound call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_talking_inbound: Option<u64>,
    /// Agents talking on an agent-to-agent call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_talking_internal: Option<u64>,
    /// Agents talking on an outbound call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_talking_outbound: Option<u64>,
    /// Agents in wrap-up who will be Not Ready afterwards.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_wrap_up_not_ready: Option<u64>,
    /// Agents in wrap-up who will be Ready afterwards.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub agents_wrap_up_ready: Option<u64>,
    /// Calls waiting in the queue.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_count_opt"
    )]
    pub calls_in_queue: Option<u64>,
    /// When the longest waiting call entered the queue.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::timestamp_opt"
    )]
    pub start_time_of_longest_call_in_queue: Option<DateTime<Utc>>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, with = "wire::extra_fields")]
    pub extra: ExtraFields,
}

/// A queue of a `queueDataUpdate` (queueData reference). For `DELETED`
/// only `id` is present, so everything else is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueData {
    /// Unique identifier of the queue.
    #[serde(with = "wire::lenient_string")]
    pub id: String,
    /// Name of the queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Type of channel the queue belongs to (currently only `Voice`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelType>,
    /// The queue's threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation_level: Option<EscalationLevel>,
    /// The queue's statistics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<QueueStatistics>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, with = "wire::extra_fields")]
    pub extra: ExtraFields,
}

/// The `queueDataUpdate` event. `event` is the [`super::CilEvent`] tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueDataUpdate {
    /// API version.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "wire::lenient_string_opt"
    )]
    pub version: Option<String>,
    /// What `queue_data` describes.
    pub data_state: DataState,
    /// The queues the event is about (none, one or many, see [`DataState`]).
    #[serde(default)]
    pub queue_data: Vec<QueueData>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, with = "wire::extra_fields")]
    pub extra: ExtraFields,
}

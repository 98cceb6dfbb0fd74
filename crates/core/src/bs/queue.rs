//! The `queueDataUpdate` event: queue statistics (not available in CCX).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::spec_enum::spec_enum;
use super::wire::{self, ExtraFields};
use super::workitem::ChannelType;
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError, Record, deserialize_from_json};

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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatistics {
    /// Agents in state Not Ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_not_ready: Option<u64>,
    /// Agents in state Ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_ready: Option<u64>,
    /// Agents talking on an inbound call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_talking_inbound: Option<u64>,
    /// Agents talking on an agent-to-agent call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_talking_internal: Option<u64>,
    /// Agents talking on an outbound call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_talking_outbound: Option<u64>,
    /// Agents in wrap-up who will be Not Ready afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_wrap_up_not_ready: Option<u64>,
    /// Agents in wrap-up who will be Ready afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_wrap_up_ready: Option<u64>,
    /// Calls waiting in the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls_in_queue: Option<u64>,
    /// When the longest waiting call entered the queue.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::timestamp_opt::serialize"
    )]
    pub start_time_of_longest_call_in_queue: Option<DateTime<Utc>>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for QueueStatistics {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct QueueStatistics")?;
        let read = Self {
            agents_not_ready: fields.count("agentsNotReady"),
            agents_ready: fields.count("agentsReady"),
            agents_talking_inbound: fields.count("agentsTalkingInbound"),
            agents_talking_internal: fields.count("agentsTalkingInternal"),
            agents_talking_outbound: fields.count("agentsTalkingOutbound"),
            agents_wrap_up_not_ready: fields.count("agentsWrapUpNotReady"),
            agents_wrap_up_ready: fields.count("agentsWrapUpReady"),
            calls_in_queue: fields.count("callsInQueue"),
            start_time_of_longest_call_in_queue: fields.timestamp("startTimeOfLongestCallInQueue"),
            extra: fields.extra(),
        };
        fields.finish(read)
    }
}

/// A queue of a `queueDataUpdate` (queueData reference). For `DELETED`
/// only `id` is present, so everything else is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueData {
    /// Unique identifier of the queue.
    pub id: String,
    /// Name of the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Type of channel the queue belongs to (currently only `Voice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelType>,
    /// The queue's threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation_level: Option<EscalationLevel>,
    /// The queue's statistics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistics: Option<QueueStatistics>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for QueueData {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct QueueData")?;
        let queue = Self {
            id: fields.required_text("id"),
            name: fields.optional("name"),
            channel: fields.optional("channel"),
            escalation_level: fields.optional("escalationLevel"),
            statistics: fields.optional("statistics"),
            extra: fields.extra(),
        };
        fields.finish(queue)
    }
}

/// The `queueDataUpdate` event. `event` is the [`super::CilEvent`] tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueDataUpdate {
    /// API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What `queue_data` describes.
    pub data_state: DataState,
    /// The queues the event is about (none, one or many, see [`DataState`]).
    pub queue_data: Vec<QueueData>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for QueueDataUpdate {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct QueueDataUpdate")?;
        Ok(Self {
            version: record.lenient_text("version")?,
            data_state: record.required("dataState")?,
            queue_data: record.or_default("queueData")?,
            extra: record.extra(),
        })
    }
}

deserialize_from_json!(QueueStatistics, QueueData, QueueDataUpdate);

// Written by hand for the widget, as `Serialize` writes them (`json::write`).

impl ToJson for QueueStatistics {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("agentsNotReady", &self.agents_not_ready);
        out.optional("agentsReady", &self.agents_ready);
        out.optional("agentsTalkingInbound", &self.agents_talking_inbound);
        out.optional("agentsTalkingInternal", &self.agents_talking_internal);
        out.optional("agentsTalkingOutbound", &self.agents_talking_outbound);
        out.optional("agentsWrapUpNotReady", &self.agents_wrap_up_not_ready);
        out.optional("agentsWrapUpReady", &self.agents_wrap_up_ready);
        out.optional("callsInQueue", &self.calls_in_queue);
        wire::write_timestamp(
            out,
            "startTimeOfLongestCallInQueue",
            &self.start_time_of_longest_call_in_queue,
        );
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

impl ToJson for QueueData {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("id", &self.id);
        out.optional("name", &self.name);
        out.optional("channel", &self.channel);
        out.optional("escalationLevel", &self.escalation_level);
        out.optional("statistics", &self.statistics);
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

impl QueueDataUpdate {
    /// The fields, written after a [`super::CilEvent`]'s tag.
    pub(crate) fn write_fields(&self, out: &mut Writer) {
        out.optional("version", &self.version);
        out.field("dataState", &self.data_state);
        out.field("queueData", &self.queue_data);
        wire::write_extra(out, &self.extra);
    }
}

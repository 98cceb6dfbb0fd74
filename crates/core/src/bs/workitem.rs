//! The workitem of the data reference: the payload of every workitem event
//! (`workitemCreate` ... `wrapupDataChanged`) and of a channel's work list.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::cti_data::CtiData;
use super::spec_enum::spec_enum;
use super::wire::{self, ExtraFields};
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError, deserialize_from_json};

spec_enum! {
    /// The workitem's current state (`state`); `Unknown` when absent.
    #[derive(Default)]
    pub enum WorkitemState {
        /// The CTI system does not know the state.
        #[default]
        Unknown => "Unknown",
        /// An outgoing call is being set up.
        Initiated => "Initiated",
        /// The workitem is alerting (ringing).
        Offered => "Offered",
        /// The workitem is accepted and in progress.
        Active => "Active",
        /// The workitem is on hold.
        Paused => "Paused",
        /// The conversation is over; the agent is wrapping up.
        Wrapup => "Wrapup",
        /// The workitem ended normally.
        Ended => "Ended",
        /// The caller hung up before the workitem was accepted.
        EndedAbandoned => "EndedAbandoned",
        /// The workitem was transferred away.
        EndedTransferred => "EndedTransferred",
        /// The workitem ended for a reason the CTI system does not know.
        EndedUnknown => "EndedUnknown",
    }
}

impl WorkitemState {
    /// Whether this is one of the four `Ended*` states.
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            Self::Ended | Self::EndedAbandoned | Self::EndedTransferred | Self::EndedUnknown
        )
    }
}

spec_enum! {
    /// The channel type (`channelType`).
    pub enum ChannelType {
        /// Telephony.
        Voice => "Voice",
        /// E-mail.
        Mail => "Mail",
        /// Chat.
        Chat => "Chat",
        /// A task.
        Task => "Task",
        /// A federated channel.
        Federation => "Federation",
    }
}

spec_enum! {
    /// The workitem class (`classification`).
    pub enum Classification {
        /// A call with a customer.
        Customer => "Customer",
        /// A consultation call.
        Consultation => "Consultation",
        /// A conference.
        Conference => "Conference",
        /// A transferred call.
        Transfer => "Transfer",
        /// An agent-to-agent call.
        Internal => "Internal",
        /// The CTI system does not know the class.
        Unknown => "Unknown",
    }
}

spec_enum! {
    /// The direction of the workitem (`direction`).
    pub enum Direction {
        /// The customer called in.
        Incoming => "Incoming",
        /// The agent called out.
        Outgoing => "Outgoing",
    }
}

/// The phone call record created for the workitem (Activity record).
///
/// "It is possible that the activity is undefined for the `workitemCreate` event."
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Unique identifier of the phone call record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Type of the activity record, which is `phonecall`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for Activity {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct Activity")?;
        let read = Self {
            id: fields.lenient_text("id"),
            record_type: fields.optional("recordType"),
            extra: fields.extra(),
        };
        fields.finish(read)
    }
}

/// A record of the CRM (CRM record reference): the associated participant,
/// the associations and the participant lookup results.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmRecord {
    /// Unique identifier of the CRM record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name or subject of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// CRM table name of the record (e.g. `contact`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for CrmRecord {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct CrmRecord")?;
        let read = Self {
            id: fields.lenient_text("id"),
            name: fields.optional("name"),
            record_type: fields.optional("recordType"),
            extra: fields.extra(),
        };
        fields.finish(read)
    }
}

/// A participant of the workitem ("list of participants with their address").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The participant's address (a phone number or an agent extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Fields the spec does not list (state, media address, ...), kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for Participant {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct Participant")?;
        let read = Self {
            address: fields.lenient_text("address"),
            extra: fields.extra(),
        };
        fields.finish(read)
    }
}

/// A workitem (Workitem data reference), e.g. a phone call.
///
/// The spec's `event` field is not a field here: in a [`super::CilEvent`] it
/// is the enum's tag (`CilEvent::WorkitemConnect(workitem)` is written as
/// `{"event": "workitemConnect", ...workitem}`), and a workitem in a channel's
/// work list has no event. Lists are always written (`[]` when empty) so that
/// integrators can iterate them without a guard; absent optional values are
/// left out, as the spec says they may be undefined.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workitem {
    /// API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Identifier to match this event to a request (for future use).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The phone call record; may be undefined for `workitemCreate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// Agent id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The other party's address: `toAddress` when there is one participant
    /// and the direction is outgoing, `fromAddress` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ani: Option<String>,
    /// The assigned record of the participant lookup; may be undefined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub associated_participant: Option<CrmRecord>,
    /// Every record assigned to the workitem (currently the phone call record).
    pub associations: Vec<CrmRecord>,
    /// The actions that can be carried out.
    pub capabilities: Vec<String>,
    /// Channel identifier: `voice_<peripheral_id>`, `voice_-1` for CCX.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Channel type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<ChannelType>,
    /// Workitem class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// When the call was established, in UTC (`2020-07-28T09:51:17.696Z`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "wire::timestamp_opt::serialize"
    )]
    pub connected_at: Option<DateTime<Utc>>,
    /// The call data (call variables, ECC variables, wrap-up reason, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cti_data: Option<CtiData>,
    /// `Incoming` or `Outgoing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Call id or task id of the workitem. The one field an event cannot do
    /// without: it says which workitem the event is about.
    pub id: String,
    /// The participants with their address.
    pub participants: Vec<Participant>,
    /// The participant lookup entries found.
    pub participant_lookup_result: Vec<CrmRecord>,
    /// Current state; `Unknown` when the source leaves it out.
    pub state: WorkitemState,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for Workitem {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct Workitem")?;
        let workitem = Self {
            version: fields.lenient_text("version"),
            request_id: fields.lenient_text("requestId"),
            activity: fields.optional("activity"),
            agent_id: fields.lenient_text("agentId"),
            ani: fields.lenient_text("ani"),
            associated_participant: fields.optional("associatedParticipant"),
            associations: fields.or_default("associations"),
            capabilities: fields.or_default("capabilities"),
            channel_id: fields.optional("channelId"),
            channel_type: fields.optional("channelType"),
            classification: fields.optional("classification"),
            connected_at: fields.timestamp("connectedAt"),
            cti_data: fields.optional("ctiData"),
            direction: fields.optional("direction"),
            id: fields.required_text("id"),
            participants: fields.or_default("participants"),
            participant_lookup_result: fields.or_default("participantLookupResult"),
            state: fields.or_default("state"),
            extra: fields.extra(),
        };
        fields.finish(workitem)
    }
}

deserialize_from_json!(Activity, CrmRecord, Participant, Workitem);

// Written by hand for the widget, field for field as `Serialize` writes them
// (`json::write`).

impl ToJson for Activity {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("id", &self.id);
        out.optional("recordType", &self.record_type);
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

impl ToJson for CrmRecord {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("id", &self.id);
        out.optional("name", &self.name);
        out.optional("recordType", &self.record_type);
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

impl ToJson for Participant {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("address", &self.address);
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

impl ToJson for Workitem {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        self.write_fields(out);
        out.end_object();
    }
}

impl Workitem {
    /// The fields, also written after a [`super::CilEvent`]'s tag.
    pub(crate) fn write_fields(&self, out: &mut Writer) {
        out.optional("version", &self.version);
        out.optional("requestId", &self.request_id);
        out.optional("activity", &self.activity);
        out.optional("agentId", &self.agent_id);
        out.optional("ani", &self.ani);
        out.optional("associatedParticipant", &self.associated_participant);
        out.field("associations", &self.associations);
        out.field("capabilities", &self.capabilities);
        out.optional("channelId", &self.channel_id);
        out.optional("channelType", &self.channel_type);
        out.optional("classification", &self.classification);
        wire::write_timestamp(out, "connectedAt", &self.connected_at);
        out.optional("ctiData", &self.cti_data);
        out.optional("direction", &self.direction);
        out.field_str("id", &self.id);
        out.field("participants", &self.participants);
        out.field("participantLookupResult", &self.participant_lookup_result);
        out.field("state", &self.state);
        wire::write_extra(out, &self.extra);
    }
}

impl Workitem {
    /// A workitem with only its id and state, the rest left empty.
    pub fn new(id: impl Into<String>, state: WorkitemState) -> Self {
        Self {
            id: id.into(),
            state,
            ..Self::default()
        }
    }

    /// The call's wrap-up reason (`ctiData.wrapUpReason`), if set.
    pub fn wrap_up_reason(&self) -> Option<&str> {
        self.cti_data.as_ref()?.wrap_up_reason.as_deref()
    }

    /// Who the call is with, for the agent: the `ani`, else the first
    /// participant's address, else the associated participant's name; an
    /// empty one (a withheld number) says nothing.
    pub fn caller(&self) -> Option<&str> {
        fn given(name: Option<&str>) -> Option<&str> {
            name.filter(|name| !name.trim().is_empty())
        }
        given(self.ani.as_deref())
            .or_else(|| given(self.participants.first()?.address.as_deref()))
            .or_else(|| given(self.associated_participant.as_ref()?.name.as_deref()))
    }

    /// The call data, created empty if the workitem had none.
    pub fn cti_data_mut(&mut self) -> &mut CtiData {
        self.cti_data.get_or_insert_with(CtiData::default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_keep_the_spec_spelling_and_unknown_words() {
        assert_eq!(
            WorkitemState::from("EndedAbandoned"),
            WorkitemState::EndedAbandoned
        );
        assert_eq!(
            WorkitemState::from("Ringing"),
            WorkitemState::Other("Ringing".to_owned())
        );
        assert_eq!(
            WorkitemState::Other("Ringing".to_owned()).as_str(),
            "Ringing"
        );
        assert!(WorkitemState::EndedTransferred.is_ended());
        assert!(!WorkitemState::Wrapup.is_ended());
    }

    #[test]
    fn a_numeric_id_is_read_as_text() -> Result<(), serde_json::Error> {
        let workitem: Workitem = serde_json::from_str(r#"{"id": 16777302, "state": "Active"}"#)?;
        assert_eq!(workitem.id, "16777302");
        assert_eq!(workitem.state, WorkitemState::Active);
        Ok(())
    }

    #[test]
    fn unknown_fields_are_kept() -> Result<(), serde_json::Error> {
        let workitem: Workitem =
            serde_json::from_str(r#"{"id": "1", "queueWaitTime": 12, "event": "workitemCreate"}"#)?;
        assert_eq!(
            workitem.extra.get("queueWaitTime"),
            Some(&crate::json::json!(12))
        );
        assert!(
            !workitem.extra.contains_key("event"),
            "the tag is never kept twice"
        );
        Ok(())
    }
}

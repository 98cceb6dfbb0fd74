//! `CilEvent`: every event of the Integration API, as integrators receive it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::agent::AgentStateChange;
use super::queue::QueueDataUpdate;
use super::wire::{self, ExtraFields};
use super::workitem::Workitem;
use crate::json::{Map, ToJson, Value, Writer};
use crate::record::{self, Fields, FromJson, ReadError, deserialize_from_json};

/// The version of the Integration API this project speaks, which the events
/// it makes carry as `version` (the spec lists "version | API version" for
/// the workitem events, `agentStateChange`, `queueDataUpdate` and `error`).
/// The API document (`specs/bs-connects-integration-api.txt`) gives the
/// field no value and itself no version number: "1.0" is this project's
/// name for the API as that document describes it, to change when the
/// events or requests it implements change. Events that come from a CTI
/// system keep the version it gave them.
pub const API_VERSION: &str = "1.0";

/// The `error` event: an Integration API request failed, or b+s Connects
/// ran into an error. `event` is the [`CilEvent`] tag.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEvent {
    /// API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The request that may have caused the error; empty when the source of
    /// the error cannot be told (the spec says "empty", so it is always written).
    pub request_id: String,
    /// Short message describing the error.
    pub message: String,
    /// Fields the spec does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for ErrorEvent {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct ErrorEvent")?;
        let read = Self {
            version: fields.lenient_text("version"),
            request_id: fields.text_or_empty("requestId"),
            message: fields.or_default("message"),
            extra: fields.extra(),
        };
        fields.finish(read)
    }
}

deserialize_from_json!(ErrorEvent);

/// Every event of the Integration API, written exactly as the spec shapes it:
/// one JSON object whose `event` field names the event
/// (`{"event": "workitemConnect", "id": "...", "state": "Active", ...}`).
///
/// Read by hand (see the `FromJson` impl below); written by serde's tag on
/// the server and by its `ToJson` impl, to the same text, in the widget.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum CilEvent {
    /// A new workitem is alerting, or was recovered when the agent logged in.
    WorkitemCreate(Workitem),
    /// The workitem was accepted.
    WorkitemConnect(Workitem),
    /// The workitem was paused (e.g. a call put on hold).
    WorkitemPause(Workitem),
    /// The paused workitem was resumed.
    WorkitemResume(Workitem),
    /// The workitem entered wrap-up.
    WorkitemWrapup(Workitem),
    /// The workitem disappeared (after wrap-up, if wrap-up is enabled).
    WorkitemEnd(Workitem),
    /// A call variable (`callVariable1`, `user.eccVar`, `wrapUpReason`, ...) changed.
    CallVariableChanged(Workitem),
    /// The wrap-up reason changed.
    WrapupDataChanged(Workitem),
    /// The agent's state on a channel changed.
    AgentStateChange(AgentStateChange),
    /// Queue data was updated (not in CCX).
    QueueDataUpdate(QueueDataUpdate),
    /// A request failed, or b+s Connects ran into an error.
    Error(ErrorEvent),
}

// Hand-written rather than derived with `#[serde(tag = "event")]`: the derive
// buffers the whole event in serde's private `Content` and instantiates every
// variant's reader for it (19 KB of the widget's optimised wasm, 6 KB gzipped). Reading the object
// into a JSON map, taking out `event` and reading the rest as the variant
// accepts exactly the same JSON and reuses the `Value` readers.
impl FromJson for CilEvent {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        record::read_tagged(value, "event", Self::NAMES, Self::read_named)
    }
}

deserialize_from_json!(CilEvent);

// Written by hand for the widget as serde's tag writes it (`json::write`):
// `event` first, then the variant's fields.
impl ToJson for CilEvent {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("event", self.name());
        match self {
            Self::WorkitemCreate(workitem)
            | Self::WorkitemConnect(workitem)
            | Self::WorkitemPause(workitem)
            | Self::WorkitemResume(workitem)
            | Self::WorkitemWrapup(workitem)
            | Self::WorkitemEnd(workitem)
            | Self::CallVariableChanged(workitem)
            | Self::WrapupDataChanged(workitem) => workitem.write_fields(out),
            Self::AgentStateChange(change) => change.write_fields(out),
            Self::QueueDataUpdate(update) => update.write_fields(out),
            Self::Error(error) => {
                out.optional("version", &error.version);
                out.field_str("requestId", &error.request_id);
                out.field_str("message", &error.message);
                wire::write_extra(out, &error.extra);
            }
        }
        out.end_object();
    }
}

impl CilEvent {
    /// Reads the event `name` from its fields (`body`, the object without
    /// `event`); `None` when `name` is none of the spec's events.
    fn read_named(name: &str, body: Map) -> Option<Result<Self, ReadError>> {
        let body = Value::Object(body);
        use WorkitemEventKind as Kind;
        // The eight workitem events are one workitem each: it is read once,
        // then wrapped in its event (one reader call and one move in the
        // wasm rather than eight).
        let kind = match name {
            "workitemCreate" => Kind::Create,
            "workitemConnect" => Kind::Connect,
            "workitemPause" => Kind::Pause,
            "workitemResume" => Kind::Resume,
            "workitemWrapup" => Kind::Wrapup,
            "workitemEnd" => Kind::End,
            "callVariableChanged" => Kind::CallVariableChanged,
            "wrapupDataChanged" => Kind::WrapupDataChanged,
            "agentStateChange" => {
                return Some(FromJson::from_json(body).map(Self::AgentStateChange));
            }
            "queueDataUpdate" => return Some(FromJson::from_json(body).map(Self::QueueDataUpdate)),
            "error" => return Some(FromJson::from_json(body).map(Self::Error)),
            _ => return None,
        };
        Some(Workitem::from_json(body).map(|workitem| kind.event(workitem)))
    }
}

/// The kind of a workitem event, for code that treats them alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkitemEventKind {
    /// `workitemCreate`.
    Create,
    /// `workitemConnect`.
    Connect,
    /// `workitemPause`.
    Pause,
    /// `workitemResume`.
    Resume,
    /// `workitemWrapup`.
    Wrapup,
    /// `workitemEnd`.
    End,
    /// `callVariableChanged`.
    CallVariableChanged,
    /// `wrapupDataChanged`.
    WrapupDataChanged,
}

impl WorkitemEventKind {
    /// Wraps a workitem in the event of this kind.
    pub fn event(self, workitem: Workitem) -> CilEvent {
        match self {
            Self::Create => CilEvent::WorkitemCreate(workitem),
            Self::Connect => CilEvent::WorkitemConnect(workitem),
            Self::Pause => CilEvent::WorkitemPause(workitem),
            Self::Resume => CilEvent::WorkitemResume(workitem),
            Self::Wrapup => CilEvent::WorkitemWrapup(workitem),
            Self::End => CilEvent::WorkitemEnd(workitem),
            Self::CallVariableChanged => CilEvent::CallVariableChanged(workitem),
            Self::WrapupDataChanged => CilEvent::WrapupDataChanged(workitem),
        }
    }
}

impl CilEvent {
    /// Every event name of the spec.
    pub const NAMES: &'static [&'static str] = &[
        "workitemCreate",
        "workitemConnect",
        "workitemPause",
        "workitemResume",
        "workitemWrapup",
        "workitemEnd",
        "callVariableChanged",
        "wrapupDataChanged",
        "agentStateChange",
        "queueDataUpdate",
        "error",
    ];

    /// The event's name as the spec spells it (`workitemCreate`, ...); the
    /// integrator callback is `on` + the name with a capital (`onWorkitemCreate`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::WorkitemCreate(_) => "workitemCreate",
            Self::WorkitemConnect(_) => "workitemConnect",
            Self::WorkitemPause(_) => "workitemPause",
            Self::WorkitemResume(_) => "workitemResume",
            Self::WorkitemWrapup(_) => "workitemWrapup",
            Self::WorkitemEnd(_) => "workitemEnd",
            Self::CallVariableChanged(_) => "callVariableChanged",
            Self::WrapupDataChanged(_) => "wrapupDataChanged",
            Self::AgentStateChange(_) => "agentStateChange",
            Self::QueueDataUpdate(_) => "queueDataUpdate",
            Self::Error(_) => "error",
        }
    }

    /// When the CTI system says this event happened, by its clock: the
    /// connection of `workitemConnect`, the wrap-up's start of
    /// `workitemWrapup` (`user.wrapupOpenedOn`, whole seconds), the new
    /// state's start of `agentStateChange`. `None` for the others, whose
    /// times, if any, are of earlier moments.
    pub fn occurred_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::WorkitemConnect(workitem) => workitem.connected_at,
            Self::WorkitemWrapup(workitem) => {
                crate::cti_wrapup::CtiWrapup::read(workitem.cti_data.as_ref()).opened_on
            }
            Self::AgentStateChange(change) => change.new_state_change_time,
            _ => None,
        }
    }

    /// The kind and workitem of a workitem event; `None` for the others.
    pub fn workitem(&self) -> Option<(WorkitemEventKind, &Workitem)> {
        Some(match self {
            Self::WorkitemCreate(workitem) => (WorkitemEventKind::Create, workitem),
            Self::WorkitemConnect(workitem) => (WorkitemEventKind::Connect, workitem),
            Self::WorkitemPause(workitem) => (WorkitemEventKind::Pause, workitem),
            Self::WorkitemResume(workitem) => (WorkitemEventKind::Resume, workitem),
            Self::WorkitemWrapup(workitem) => (WorkitemEventKind::Wrapup, workitem),
            Self::WorkitemEnd(workitem) => (WorkitemEventKind::End, workitem),
            Self::CallVariableChanged(workitem) => {
                (WorkitemEventKind::CallVariableChanged, workitem)
            }
            Self::WrapupDataChanged(workitem) => (WorkitemEventKind::WrapupDataChanged, workitem),
            Self::AgentStateChange(_) | Self::QueueDataUpdate(_) | Self::Error(_) => return None,
        })
    }

    /// The kind and workitem of a workitem event, owned; the event itself
    /// when it is not about a workitem.
    #[expect(
        clippy::result_large_err,
        reason = "the event is handed back whole, unboxed, exactly as it came in"
    )]
    pub fn into_workitem(self) -> Result<(WorkitemEventKind, Workitem), Self> {
        Ok(match self {
            Self::WorkitemCreate(workitem) => (WorkitemEventKind::Create, workitem),
            Self::WorkitemConnect(workitem) => (WorkitemEventKind::Connect, workitem),
            Self::WorkitemPause(workitem) => (WorkitemEventKind::Pause, workitem),
            Self::WorkitemResume(workitem) => (WorkitemEventKind::Resume, workitem),
            Self::WorkitemWrapup(workitem) => (WorkitemEventKind::Wrapup, workitem),
            Self::WorkitemEnd(workitem) => (WorkitemEventKind::End, workitem),
            Self::CallVariableChanged(workitem) => {
                (WorkitemEventKind::CallVariableChanged, workitem)
            }
            Self::WrapupDataChanged(workitem) => (WorkitemEventKind::WrapupDataChanged, workitem),
            other @ (Self::AgentStateChange(_) | Self::QueueDataUpdate(_) | Self::Error(_)) => {
                return Err(other);
            }
        })
    }

    /// An `error` event for a failed request, of [`API_VERSION`].
    pub fn error(request_id: Option<&str>, message: impl Into<String>) -> Self {
        Self::Error(ErrorEvent {
            version: Some(API_VERSION.to_owned()),
            request_id: request_id.unwrap_or_default().to_owned(),
            message: message.into(),
            ..ErrorEvent::default()
        })
    }

    /// The event with `version` set to [`API_VERSION`], for a CTI system
    /// speaking this version that makes the event.
    #[must_use]
    pub fn of_api_version(mut self) -> Self {
        *self.version_mut() = Some(API_VERSION.to_owned());
        self
    }

    /// The event as the widget hands it to integrators: with the version a
    /// CTI system gave it, else [`API_VERSION`], the version of the API the
    /// widget speaks to them (a CTI source need not send one: the spec's
    /// examples have none).
    #[must_use]
    pub fn versioned(mut self) -> Self {
        self.version_mut()
            .get_or_insert_with(|| API_VERSION.to_owned());
        self
    }

    fn version_mut(&mut self) -> &mut Option<String> {
        match self {
            Self::WorkitemCreate(workitem)
            | Self::WorkitemConnect(workitem)
            | Self::WorkitemPause(workitem)
            | Self::WorkitemResume(workitem)
            | Self::WorkitemWrapup(workitem)
            | Self::WorkitemEnd(workitem)
            | Self::CallVariableChanged(workitem)
            | Self::WrapupDataChanged(workitem) => &mut workitem.version,
            Self::AgentStateChange(change) => &mut change.version,
            Self::QueueDataUpdate(update) => &mut update.version,
            Self::Error(error) => &mut error.version,
        }
    }
}

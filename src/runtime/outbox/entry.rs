//! One entry of the outbox: a submission, the backend it goes to, and how
//! its delivery stands.

use chrono::{DateTime, Utc};
use serde::Serialize;
use wrapup_core::desk::WrapupSubmission;
use wrapup_core::json::{ToJson, Value, Writer};
use wrapup_core::record::{Fields, FromJson, ReadError};

/// Where a submission goes, stored by name (`servicenow`, `genesys`).
///
/// Read as a `String`, so that a name this version does not know (from
/// a newer one) reads as ServiceNow, where delivery fails and the entry
/// stays, instead of making the whole outbox unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(into = "&'static str")]
pub enum Backend {
    /// ServiceNow `PUT segment/update` (entries stored before there was a
    /// choice have no `backend` and are this).
    #[default]
    ServiceNow,
    /// Genesys `POST /services/{segment_id}/end`.
    Genesys,
}

impl From<String> for Backend {
    fn from(name: String) -> Self {
        if name == "genesys" {
            Self::Genesys
        } else {
            Self::ServiceNow
        }
    }
}

impl FromJson for Backend {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        String::from_json(value).map(Self::from)
    }
}

impl From<Backend> for &'static str {
    fn from(backend: Backend) -> Self {
        match backend {
            Backend::ServiceNow => "servicenow",
            Backend::Genesys => "genesys",
        }
    }
}

/// One submission waiting for the backend's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// The backend it goes to (absent: ServiceNow, see [`Backend`]).
    pub backend: Backend,
    /// The workitem.
    pub workitem_id: String,
    /// The backend's id of the wrap-up, when known: the ServiceNow segment
    /// sys_id, or the Genesys service id.
    pub segment_id: Option<String>,
    /// The interaction sys_id, to name the segment when its id is unknown.
    pub interaction_id: Option<String>,
    /// The wrap-up code label.
    pub code: Option<String>,
    /// The notes.
    pub notes: String,
    /// When the agent (or the expiry) completed the wrap-up.
    #[serde(with = "rfc3339")]
    pub confirmed_on: DateTime<Utc>,
    /// Whether the Desk submitted on its own.
    pub automatic: bool,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The last failure, in words for the agent.
    pub last_error: Option<String>,
    /// How its delivery stands on this page. Not stored: every page sends
    /// the entries it finds again, a refused one too.
    #[serde(skip)]
    pub delivery: Delivery,
}

/// Where the delivery of an entry stands on this page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Delivery {
    /// On its way, no attempt of this page failed.
    #[default]
    Sending,
    /// An attempt failed in passing (network, 5xx): retried with backoff.
    Retrying {
        /// Why the last attempt failed, in words for the agent.
        reason: String,
    },
    /// The backend refused it as it is: no longer sent by this page.
    Refused {
        /// Why, in words for the agent.
        reason: String,
    },
    /// The server did not accept the widget's sign-in: nothing is wrong
    /// with the wrap-up, which waits to be sent once the server accepts it.
    SignedOut {
        /// Why, in words for the agent.
        reason: String,
    },
}

/// `confirmed_on` as chrono's own serde writes it (RFC 3339, `Z`, as many
/// fractional digits as needed), so entries stored by earlier versions still
/// read. Written by core's RFC 3339 writer and reader, which follow chrono's
/// (whose `Deserialize` pulls in its general format parser, 8 KB of wasm).
mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::Serializer;
    use wrapup_core::datetime::{Rfc3339, parse_rfc3339};
    use wrapup_core::json::Value;
    use wrapup_core::record::{FromJson, ReadError};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&text(at))
    }

    pub fn text(at: &DateTime<Utc>) -> String {
        Rfc3339(*at).to_string()
    }

    /// `confirmed_on` as read; its default (the epoch) only stands in
    /// while a reader fails, as [`Fields`](wrapup_core::record::Fields)
    /// needs for each field.
    #[derive(Default)]
    pub struct Read(pub DateTime<Utc>);

    impl FromJson for Read {
        fn from_json(value: Value) -> Result<Self, ReadError> {
            match parse_rfc3339(&String::from_json(value)?) {
                Some(at) => Ok(Self(at)),
                None => Err(ReadError::custom("not an RFC 3339 date-time")),
            }
        }
    }
}

/// Written as `Serialize` writes it (`delivery` is not stored).
impl ToJson for OutboxEntry {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("backend", self.backend.into());
        out.field_str("workitem_id", &self.workitem_id);
        out.field("segment_id", &self.segment_id);
        out.field("interaction_id", &self.interaction_id);
        out.field("code", &self.code);
        out.field_str("notes", &self.notes);
        out.field_str("confirmed_on", &rfc3339::text(&self.confirmed_on));
        out.field("automatic", &self.automatic);
        out.field("attempts", &self.attempts);
        out.field("last_error", &self.last_error);
        out.end_object();
    }
}

impl FromJson for OutboxEntry {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        // Read field by field with no `?` between them (see `Fields`).
        let mut fields = Fields::new(value, "struct OutboxEntry")?;
        let entry = Self {
            backend: fields.or_default("backend"),
            workitem_id: fields.required("workitem_id"),
            segment_id: fields.optional("segment_id"),
            interaction_id: fields.optional("interaction_id"),
            code: fields.optional("code"),
            notes: fields.required("notes"),
            confirmed_on: fields.required::<rfc3339::Read>("confirmed_on").0,
            automatic: fields.required("automatic"),
            attempts: fields.required("attempts"),
            last_error: fields.optional("last_error"),
            delivery: Delivery::Sending,
        };
        fields.finish(entry)
    }
}

impl OutboxEntry {
    /// A new entry for the Desk's submission to ServiceNow.
    pub fn new(submission: &WrapupSubmission, interaction_id: Option<String>) -> Self {
        Self {
            backend: Backend::ServiceNow,
            workitem_id: submission.workitem_id.clone(),
            segment_id: submission.segment_id.clone(),
            interaction_id,
            code: submission.code.clone(),
            notes: submission.notes.clone(),
            confirmed_on: submission.confirmed_on,
            automatic: submission.automatic,
            attempts: 0,
            last_error: None,
            delivery: Delivery::Sending,
        }
    }

    /// The same entry for `backend`.
    pub fn to(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The submission, to hand back to the Desk after a reload.
    pub fn submission(&self) -> WrapupSubmission {
        WrapupSubmission {
            workitem_id: self.workitem_id.clone(),
            segment_id: self.segment_id.clone(),
            code: self.code.clone(),
            notes: self.notes.clone(),
            confirmed_on: self.confirmed_on,
            automatic: self.automatic,
        }
    }
}

//! Genesys Context Services, Complete Service: `POST /services/{service_id}/end`.
//!
//! The body is the Service End Event; the answer is `204 No Content`. Every
//! field is optional. Any other top-level key is a service extension (since
//! 8.0.2): a single object, or an array of objects for a multi-valued one.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::datetime::IsoMillisDateTime;
use crate::json::{Map, ToJson, Writer};

/// The longest `session_id` the spec allows, in characters.
pub const SESSION_ID_MAX_CHARS: usize = 32;
/// The longest `interaction_id` the spec allows, in characters.
pub const INTERACTION_ID_MAX_CHARS: usize = 50;
/// The longest `disposition_desc` the spec allows, counted as [`text_length`]
/// counts (UTF-16 code units). The Desk's `NotesLimit::GENESYS` is this limit.
pub const DISPOSITION_DESC_MAX_CHARS: usize = 64;

/// The length of a text as the limits count it: in UTF-16 code units.
///
/// Genesys is a Java service and a browser's `maxlength` counts the same way,
/// so the widget's counter, the server and Genesys agree even on emoji
/// (one emoji counts two).
pub fn text_length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The Service End Event: the body of `POST /services/{service_id}/end`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CompleteServiceRequest {
    /// The related (e.g. orchestration) session; at most 32 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The interaction at the service event's creation; at most 50 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction_id: Option<String>,
    /// The type or class of application that issued the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_type: Option<LongOrString>,
    /// The Genesys DB ID of the application that issued the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_id: Option<i64>,
    /// The type or class of resource providing the service (GVP, Agent Desktop, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<LongOrString>,
    /// The DB ID of the resource providing the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<i64>,
    /// The media type of the service (e-mail, voice, chat, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<LongOrString>,
    /// The business disposition assigned to the service: the wrap-up code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<LongOrString>,
    /// Text giving context on the disposition: the wrap-up notes; at most 64 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition_desc: Option<String>,
    /// When the event was raised, in UTC with milliseconds; the server fills it in when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<IsoMillisDateTime>,
    /// Service extensions by name: every top-level key not listed above.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Extension>,
}

/// A field the spec types as "long or string": a business attribute's DB ID or its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum LongOrString {
    /// A numeric ID, e.g. `1`.
    Long(i64),
    /// A name, e.g. `"voice"`.
    String(String),
}

/// The value of a service extension.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Extension {
    /// A single-valued extension: one object.
    Single(Map),
    /// A multi-valued extension: an array of objects.
    Multi(Vec<Map>),
}

/// A field that breaks one of the spec's length limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is {length} characters long, but Genesys allows at most {max}")]
pub struct GenesysValidationError {
    /// The field, as the spec names it.
    pub field: &'static str,
    /// Its length, counted as [`text_length`] does.
    pub length: usize,
    /// The limit.
    pub max: usize,
}

impl CompleteServiceRequest {
    /// The Service End Event of a wrap-up: the code as `disposition`, the
    /// notes as `disposition_desc` (omitted when empty), the workitem as
    /// `interaction_id` (omitted when longer than the spec allows: a cut id
    /// would name another interaction) and when the wrap-up was completed as
    /// `timestamp`. The same wrap-up always gives the same body, so a retry
    /// repeats it exactly.
    pub fn wrapup(
        code: Option<&str>,
        notes: &str,
        interaction_id: &str,
        completed_at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        Self {
            interaction_id: (!interaction_id.is_empty()
                && text_length(interaction_id) <= INTERACTION_ID_MAX_CHARS)
                .then(|| interaction_id.to_owned()),
            disposition: code.map(LongOrString::from_code),
            disposition_desc: (!notes.is_empty()).then(|| notes.to_owned()),
            timestamp: Some(IsoMillisDateTime::new(completed_at)),
            ..Self::default()
        }
    }

    /// Checks the documented length limits (`session_id` ≤ 32, `interaction_id` ≤ 50,
    /// `disposition_desc` ≤ 64 characters); the first broken one is reported.
    pub fn validate(&self) -> Result<(), GenesysValidationError> {
        let limits = [
            ("session_id", &self.session_id, SESSION_ID_MAX_CHARS),
            (
                "interaction_id",
                &self.interaction_id,
                INTERACTION_ID_MAX_CHARS,
            ),
            (
                "disposition_desc",
                &self.disposition_desc,
                DISPOSITION_DESC_MAX_CHARS,
            ),
        ];
        for (field, value, max) in limits {
            let length = value.as_deref().map_or(0, text_length);
            if length > max {
                return Err(GenesysValidationError { field, length, max });
            }
        }
        Ok(())
    }
}

// Hand-written rather than derived: with `#[serde(flatten)]` serde buffers the
// whole body first, and an error in a known field would lose its name (the
// parse entry point would report it at the root). Reading the map directly
// keeps `disposition_desc: invalid type: ...`.
impl<'de> Deserialize<'de> for CompleteServiceRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RequestVisitor)
    }
}

struct RequestVisitor;

impl<'de> Visitor<'de> for RequestVisitor {
    type Value = CompleteServiceRequest;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a Service End Event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut body = CompleteServiceRequest::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "session_id" => set(&mut body.session_id, &key, &mut map)?,
                "interaction_id" => set(&mut body.interaction_id, &key, &mut map)?,
                "application_type" => set(&mut body.application_type, &key, &mut map)?,
                "application_id" => set(&mut body.application_id, &key, &mut map)?,
                "resource_type" => set(&mut body.resource_type, &key, &mut map)?,
                "resource_id" => set(&mut body.resource_id, &key, &mut map)?,
                "media_type" => set(&mut body.media_type, &key, &mut map)?,
                "disposition" => set(&mut body.disposition, &key, &mut map)?,
                "disposition_desc" => set(&mut body.disposition_desc, &key, &mut map)?,
                "timestamp" => set(&mut body.timestamp, &key, &mut map)?,
                _ => {
                    if body.extensions.contains_key(&key) {
                        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    let extension = map.next_value()?;
                    body.extensions.insert(key, extension);
                }
            }
        }
        Ok(body)
    }
}

/// Reads one known field; `null` counts as absent, as for any optional field.
fn set<'de, T, A>(slot: &mut Option<T>, key: &str, map: &mut A) -> Result<(), A::Error>
where
    T: Deserialize<'de>,
    A: MapAccess<'de>,
{
    if slot.is_some() {
        // Drain the value so the error points at the duplicate, then refuse it.
        map.next_value::<IgnoredAny>()?;
        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
    }
    *slot = map.next_value::<Option<T>>()?;
    Ok(())
}

// Hand-written rather than `untagged`, whose only error is "data did not match any variant".
impl<'de> Deserialize<'de> for LongOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LongOrStringVisitor;

        impl Visitor<'_> for LongOrStringVisitor {
            type Value = LongOrString;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an integer ID or a string")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(LongOrString::Long(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                i64::try_from(value)
                    .map(LongOrString::Long)
                    .map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(LongOrString::String(value.to_owned()))
            }
        }

        deserializer.deserialize_any(LongOrStringVisitor)
    }
}

impl<'de> Deserialize<'de> for Extension {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExtensionVisitor;

        impl<'de> Visitor<'de> for ExtensionVisitor {
            type Value = Extension;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an extension object or an array of extension objects")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Map::deserialize(de::value::MapAccessDeserializer::new(map)).map(Extension::Single)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element()? {
                    values.push(value);
                }
                Ok(Extension::Multi(values))
            }
        }

        deserializer.deserialize_any(ExtensionVisitor)
    }
}

impl LongOrString {
    /// A wrap-up code as a disposition: a Business Attribute's DB ID (digits,
    /// written as a number would be) is sent as a number, anything else as
    /// the name it is.
    pub fn from_code(code: &str) -> Self {
        let canonical = code.parse::<i64>().ok().filter(|id| id.to_string() == code);
        match canonical {
            Some(id) => Self::Long(id),
            None => Self::String(code.to_owned()),
        }
    }
}

/// The error body of the reference server's Genesys routes: the HTTP status
/// and what was wrong, e.g. `{"code": 400, "message": "disposition_desc is 70
/// characters long, but Genesys allows at most 64"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct GenesysError {
    /// The HTTP status.
    pub code: u16,
    /// What was wrong, in the server's words.
    pub message: String,
}

impl fmt::Display for LongOrString {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Long(id) => write!(formatter, "{id}"),
            Self::String(name) => formatter.write_str(name),
        }
    }
}

impl From<i64> for LongOrString {
    fn from(id: i64) -> Self {
        Self::Long(id)
    }
}

impl From<&str> for LongOrString {
    fn from(name: &str) -> Self {
        Self::String(name.to_owned())
    }
}

impl From<String> for LongOrString {
    fn from(name: String) -> Self {
        Self::String(name)
    }
}

// Written by hand for the widget, as `Serialize` writes them (`json::write`):
// the extensions in place of the flattened map, in its order.

/// The Service End Event of a wrap-up, borrowed from where the wrap-up is
/// kept: written exactly as [`CompleteServiceRequest::wrapup`] of the same
/// values is. A sender that only writes the body uses this: building a
/// `CompleteServiceRequest` (ten optional fields and a map of extensions,
/// each copied, written and dropped) is much code for four fields.
#[derive(Debug, Clone, Copy)]
pub struct WrapupServiceEnd<'a> {
    /// The wrap-up code (`disposition`).
    pub code: Option<&'a str>,
    /// The notes (`disposition_desc`, left out when empty).
    pub notes: &'a str,
    /// The workitem (`interaction_id`, left out when empty or too long).
    pub interaction_id: &'a str,
    /// When the wrap-up was completed (`timestamp`).
    pub completed_at: chrono::DateTime<chrono::Utc>,
}

impl ToJson for WrapupServiceEnd<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        let id = self.interaction_id;
        if !id.is_empty() && text_length(id) <= INTERACTION_ID_MAX_CHARS {
            out.field_str("interaction_id", id);
        }
        if let Some(code) = self.code {
            out.field("disposition", &LongOrString::from_code(code));
        }
        if !self.notes.is_empty() {
            out.field_str("disposition_desc", self.notes);
        }
        out.field("timestamp", &IsoMillisDateTime::new(self.completed_at));
        out.end_object();
    }
}

impl ToJson for LongOrString {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Self::Long(number) => out.i64(*number),
            Self::String(text) => out.string(text),
        }
    }
}

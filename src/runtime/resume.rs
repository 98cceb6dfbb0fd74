//! Where the CTI event stream resumes after a reconnect or a reload
//! ([`ResumePoint`], persisted), and which stream this page's Desk was fed
//! from ([`PageStream`]): see [`super::events`] for how they are used.

use litemap::LiteMap;
use serde::{Serialize, Serializer};
use wrapup_core::json::{ToJson, Value, Writer};
use wrapup_core::record::{FromJson, ReadError, Record};

/// Where to resume the stream: the last event id seen, and the first event
/// id of each workitem still alive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResumePoint {
    /// The stream these ids belong to (empty: not yet named, or persisted
    /// by a widget that did not know streams).
    pub stream: String,
    /// The id of the newest event seen.
    pub last_seen: u64,
    /// Workitem id → the id of its first event seen.
    #[serde(serialize_with = "as_map")]
    pub live: LiteMap<String, u64>,
}

/// Writes `map` as a JSON object, as a `BTreeMap` was written before.
fn as_map<S: Serializer>(map: &LiteMap<String, u64>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter())
}

/// Written as `Serialize` writes it (`live` as an object).
impl ToJson for ResumePoint {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("stream", &self.stream);
        out.key("last_seen");
        out.u64(self.last_seen);
        out.key("live");
        out.begin_object();
        for (workitem_id, first) in self.live.iter() {
            out.key(workitem_id);
            out.u64(*first);
        }
        out.end_object();
        out.end_object();
    }
}

impl FromJson for ResumePoint {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct ResumePoint")?;
        Ok(Self {
            stream: record.or_default("stream")?,
            last_seen: record.required("last_seen")?,
            live: record.required("live")?,
        })
    }
}

impl ResumePoint {
    /// Records event `id` of `workitem_id` (if about a workitem), which after
    /// the event is `alive` or not. Older or repeated ids change nothing.
    pub fn observe(&mut self, id: u64, workitem_id: Option<&str>, alive: bool) {
        self.last_seen = self.last_seen.max(id);
        if let Some(workitem_id) = workitem_id {
            if alive {
                self.live.entry(workitem_id.to_owned()).or_insert(id);
            } else {
                self.live.remove(workitem_id);
            }
        }
    }

    /// Takes note that the server's stream is `stream`. False when the ids
    /// recorded belong to another stream: they are forgotten. A point
    /// recorded before streams had names is kept.
    pub fn adopt_stream(&mut self, stream: &str) -> bool {
        let same = self.stream.is_empty() || self.stream == stream;
        if !same {
            *self = Self::default();
        }
        self.stream = stream.to_owned();
        same
    }

    /// The `last_event_id` to open the stream with after a reload: just
    /// before the oldest live workitem's first event, else the last seen.
    pub fn resume_after(&self) -> u64 {
        self.live
            .values()
            .min()
            .map_or(self.last_seen, |first| first.saturating_sub(1))
    }
}

/// The stream this page's Desk was fed from, as the server named it on the
/// page's connections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageStream {
    name: Option<String>,
}

impl PageStream {
    /// Takes note that the server named its stream `name` on a new
    /// connection. True when this page heard another name before: what the
    /// Desk holds came from a stream that is gone (the server's database was
    /// replaced while the page ran). The first name a page hears replaces
    /// nothing, whichever stream its persisted resume point belongs to: the
    /// name comes first on every connection, so the Desk has heard no event
    /// of any stream yet.
    pub fn replaced_by(&mut self, name: &str) -> bool {
        let replaced = self
            .name
            .as_deref()
            .is_some_and(|heard| !heard.is_empty() && heard != name);
        self.name = Some(name.to_owned());
        replaced
    }
}

//! The interaction records this browser created (workitem id → sys_id),
//! bounded: when full, the entry remembered first is forgotten first; and the
//! calls whose record was asked for without an answer.
//!
//! openframe can create a record and update one by its sys_id, but has no
//! way to find one by the call (`clientSessionId`). A POST whose answer never
//! came (the page reloaded while it was under way, the connection broke) may
//! have made the record, and a second POST would make a second: such a call
//! is kept as unanswered, and never asked for again. The wrap-up segment,
//! which the CTI system opens on the call's record, names it later.

use litemap::LiteMap;

use serde::Serialize;
use wrapup_core::json::{ToJson, Value, Writer};
use wrapup_core::record::{FromJson, ReadError, Record};

/// Workitem id → interaction sys_id, oldest first, at most `capacity`; and
/// the workitems whose POST went out with no answer had, as many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InteractionCache {
    /// A plain vector, not a `VecDeque`: the oldest leave from its front
    /// rarely (past the capacity), and one kind of list less is compiled.
    entries: Vec<(String, String)>,
    /// Kept before the POST goes out, until its answer says whether a record
    /// was made: left here, the record may exist (oldest first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unanswered: Vec<String>,
    #[serde(skip)]
    capacity: usize,
}

/// How many interactions are remembered per agent by default.
pub const INTERACTIONS_KEPT: usize = 100;

/// Written as `Serialize` writes it: each entry a pair `[workitem, sys_id]`.
impl ToJson for InteractionCache {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.key("entries");
        out.begin_array();
        for (workitem_id, sys_id) in &self.entries {
            out.begin_array();
            out.string(workitem_id);
            out.string(sys_id);
            out.end_array();
        }
        out.end_array();
        if !self.unanswered.is_empty() {
            out.field("unanswered", &self.unanswered);
        }
        out.end_object();
    }
}

impl FromJson for InteractionCache {
    /// The entries as stored; the capacity is this version's.
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct InteractionCache")?;
        Ok(Self {
            entries: record.required("entries")?,
            unanswered: record.optional("unanswered")?.unwrap_or_default(),
            capacity: INTERACTIONS_KEPT,
        })
    }
}

impl Default for InteractionCache {
    fn default() -> Self {
        Self::with_capacity(INTERACTIONS_KEPT)
    }
}

impl InteractionCache {
    /// An empty cache of at most `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::new(),
            unanswered: Vec::new(),
            capacity,
        }
    }

    /// Reads what an earlier version stored as a map (its order is lost:
    /// the map's order stands in for it).
    pub fn from_map(map: LiteMap<String, String>) -> Self {
        let mut cache = Self::default();
        for (workitem_id, sys_id) in map {
            cache.insert(&workitem_id, &sys_id);
        }
        cache
    }

    /// The sys_id of `workitem_id`'s interaction.
    pub fn get(&self, workitem_id: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(id, _)| id == workitem_id)
            .map(|(_, sys_id)| sys_id.as_str())
    }

    /// Remembers `sys_id` for `workitem_id` (keeping its place if known),
    /// forgetting the oldest entries beyond the capacity. Its POST, if one
    /// was unanswered, is answered.
    pub fn insert(&mut self, workitem_id: &str, sys_id: &str) {
        self.answered(workitem_id);
        match self.entries.iter_mut().find(|(id, _)| id == workitem_id) {
            Some(entry) => entry.1 = sys_id.to_owned(),
            None => self
                .entries
                .push((workitem_id.to_owned(), sys_id.to_owned())),
        }
        let over = self.entries.len().saturating_sub(self.capacity.max(1));
        self.entries.drain(..over);
    }

    /// A POST for `workitem_id`'s record goes out: until its answer comes,
    /// the record may exist.
    pub fn sending(&mut self, workitem_id: &str) {
        if !self.is_unanswered(workitem_id) {
            self.unanswered.push(workitem_id.to_owned());
        }
        let over = self.unanswered.len().saturating_sub(self.capacity.max(1));
        self.unanswered.drain(..over);
    }

    /// The answer to `workitem_id`'s POST came: the record was made
    /// ([`InteractionCache::insert`]) or refused.
    pub fn answered(&mut self, workitem_id: &str) {
        self.unanswered.retain(|id| id != workitem_id);
    }

    /// Whether a POST for `workitem_id`'s record went out and no answer came:
    /// the record may exist, and is not asked for again.
    pub fn is_unanswered(&self, workitem_id: &str) -> bool {
        self.unanswered.iter().any(|id| id == workitem_id)
    }

    /// Takes in what `older` knows, the cache a CRM page kept from an
    /// earlier visit while this page started without it: its records come
    /// first (they are older), a call both have a record of keeps this
    /// page's, and a call either asked for without an answer stays so
    /// unless the other knows its record.
    pub fn merge_older(&mut self, older: Self) {
        let mine = std::mem::replace(
            self,
            Self {
                capacity: self.capacity,
                ..older
            },
        );
        for (workitem_id, sys_id) in &mine.entries {
            self.insert(workitem_id, sys_id);
        }
        for workitem_id in &mine.unanswered {
            if self.get(workitem_id).is_none() {
                self.sending(workitem_id);
            }
        }
    }

    /// How many entries are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_kept_from_an_earlier_visit_joins_this_pages() {
        let mut older = InteractionCache::with_capacity(3);
        older.insert("earlier", "i-earlier");
        older.insert("both", "i-older");
        older.sending("asked earlier");
        older.sending("answered here");
        let mut cache = InteractionCache::with_capacity(3);
        cache.insert("both", "i-this-visit");
        cache.insert("answered here", "i-answered");
        cache.sending("asked here");

        cache.merge_older(older);
        assert_eq!(cache.get("earlier"), Some("i-earlier"));
        assert_eq!(cache.get("both"), Some("i-this-visit"));
        assert_eq!(cache.get("answered here"), Some("i-answered"));
        assert!(cache.is_unanswered("asked earlier"));
        assert!(cache.is_unanswered("asked here"));
        assert!(!cache.is_unanswered("answered here"));
        assert_eq!(cache.len(), 3);
    }
}

//! The interaction records this browser created (workitem id → sys_id),
//! bounded: when full, the entry remembered first is forgotten first.

use std::collections::VecDeque;

use litemap::LiteMap;

use serde::Serialize;
use serde_json::Value;
use wrapup_core::record::{FromJson, ReadError, Record};

/// Workitem id → interaction sys_id, oldest first, at most `capacity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InteractionCache {
    entries: VecDeque<(String, String)>,
    #[serde(skip)]
    capacity: usize,
}

/// How many interactions are remembered per agent by default.
pub const INTERACTIONS_KEPT: usize = 100;

impl FromJson for InteractionCache {
    /// The entries as stored; the capacity is this version's.
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct InteractionCache")?;
        Ok(Self {
            entries: record.required::<Vec<_>>("entries")?.into(),
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
            entries: VecDeque::new(),
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
    /// forgetting the oldest entries beyond the capacity.
    pub fn insert(&mut self, workitem_id: &str, sys_id: &str) {
        match self.entries.iter_mut().find(|(id, _)| id == workitem_id) {
            Some(entry) => entry.1 = sys_id.to_owned(),
            None => self
                .entries
                .push_back((workitem_id.to_owned(), sys_id.to_owned())),
        }
        while self.entries.len() > self.capacity.max(1) {
            self.entries.pop_front();
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

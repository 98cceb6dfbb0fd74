//! The bounded memory of ended workitems.
//!
//! After `workitemEnd` a workitem leaves the live map, but a duplicate or late
//! event for it may still arrive (a replay after reconnecting, a slow bridge).
//! Remembering the last ids that ended lets the Desk ignore those, while the
//! memory stays flat however many calls the agent takes: the oldest id is
//! forgotten when a new one is remembered beyond the capacity.

use litemap::LiteMap;

/// How many ended workitems the Desk remembers by default. Late duplicates
/// arrive within seconds or a reconnect; a thousand calls is far beyond that.
pub const DEFAULT_TOMBSTONE_CAPACITY: usize = 1024;

/// The ids of the last workitems that ended: in the order they ended, and
/// sorted for lookup (a flat sorted map as a set, as the Desk's maps are).
///
/// The order is a ring in a plain vector rather than a `VecDeque`: the
/// widget's wasm then carries no deque code for it.
#[derive(Debug, Clone)]
pub(crate) struct Tombstones {
    /// The ids in the order they ended, from `oldest` round to the one
    /// before it, once the capacity is reached.
    order: Vec<String>,
    oldest: usize,
    ids: LiteMap<String, ()>,
    capacity: usize,
}

impl Tombstones {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            order: Vec::new(),
            oldest: 0,
            ids: LiteMap::new(),
            capacity,
        }
    }

    pub(crate) fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    pub(crate) fn remember(&mut self, id: &str) {
        if self.capacity == 0 || self.ids.insert(id.to_owned(), ()).is_some() {
            return;
        }
        if self.order.len() < self.capacity {
            self.order.push(id.to_owned());
            return;
        }
        // Full: the newest takes the oldest's place, and the next is the oldest.
        let forgotten = std::mem::replace(&mut self.order[self.oldest], id.to_owned());
        self.ids.remove(&forgotten);
        self.oldest = (self.oldest + 1) % self.capacity;
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// Forgets every id, keeping the capacity.
    pub(crate) fn clear(&mut self) {
        self.order.clear();
        self.oldest = 0;
        self.ids.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_beyond_capacity() {
        let mut tombstones = Tombstones::with_capacity(2);
        tombstones.remember("a");
        tombstones.remember("b");
        tombstones.remember("a");
        assert_eq!(tombstones.len(), 2);
        tombstones.remember("c");
        assert!(!tombstones.contains("a"));
        assert!(tombstones.contains("b") && tombstones.contains("c"));
        assert_eq!(tombstones.len(), 2);
    }

    #[test]
    fn cleared_they_forget_every_id_and_keep_their_capacity() {
        let mut tombstones = Tombstones::with_capacity(2);
        tombstones.remember("a");
        tombstones.clear();
        assert!(!tombstones.contains("a"));
        assert_eq!(tombstones.len(), 0);
        for id in ["b", "c", "d"] {
            tombstones.remember(id);
        }
        assert_eq!(tombstones.len(), 2);
        assert!(!tombstones.contains("b"));
    }
}

//! Types that hold the set of sources or subscribers affiliated with a reactive node.
//!
//! At the moment, these are implemented as linear maps built on a `Vec<_>`. This is for the sake
//! of minimizing binary size as much as possible, and on the assumption that the M:N relationship
//! between sources and subscribers usually consists of fairly small numbers, such that the cost of
//! a linear search is not significantly more expensive than a hash and lookup.

// wrapup-gadget: patched. Upstream keeps both sets as an `IndexSet` with
// `FxHasher`, which links indexmap's and hashbrown's insert, removal, clone
// and rehash code into every binary. The sets hold a few entries each, so a
// `Vec` searched linearly, as the note above describes, does the same job:
// it keeps insertion order, `insert` of an entry already there changes
// nothing, and removal shifts the later entries as `shift_remove` did.

use super::{AnySource, AnySubscriber, Source};
use std::{mem, slice, vec};

#[derive(Default, Clone, Debug)]
pub struct SourceSet(Vec<AnySource>);

impl SourceSet {
    pub fn new() -> Self {
        Self(Default::default())
    }

    pub fn insert(&mut self, source: AnySource) {
        if !self.0.contains(&source) {
            self.0.push(source);
        }
    }

    pub fn remove(&mut self, source: &AnySource) {
        if let Some(index) = self.0.iter().position(|s| s == source) {
            self.0.remove(index);
        }
    }

    pub fn take(&mut self) -> Vec<AnySource> {
        mem::take(&mut self.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn clear_sources(&mut self, subscriber: &AnySubscriber) {
        for source in self.take() {
            source.remove_subscriber(subscriber);
        }
    }
}

impl IntoIterator for SourceSet {
    type Item = AnySource;
    type IntoIter = vec::IntoIter<AnySource>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a SourceSet {
    type Item = &'a AnySource;
    type IntoIter = slice::Iter<'a, AnySource>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
#[derive(Debug, Default, Clone)]
pub struct SubscriberSet(Vec<AnySubscriber>);

impl SubscriberSet {
    pub fn new() -> Self {
        Self(Vec::with_capacity(2))
    }

    pub fn subscribe(&mut self, subscriber: AnySubscriber) {
        // wrapup-gadget: backported from reactive_graph 0.3.0-rc1.
        // A subscriber dropped without running again (such as a removed
        // `<For>` row's render effect) never unsubscribes itself. Drop such
        // entries when the set would reallocate; `retain` keeps the order
        // `unsubscribe` relies on. See `OwnerInner::push_child` for why the
        // reserve keeps this amortized O(1).
        if self.0.len() == self.0.capacity() {
            self.0.retain(|subscriber| subscriber.1.strong_count() > 0);
            self.0.reserve(self.0.len());
        }
        if !self.0.contains(&subscriber) {
            self.0.push(subscriber);
        }
    }

    pub fn unsubscribe(&mut self, subscriber: &AnySubscriber) {
        // note: do not use `.swap_remove()` here.
        // using `.remove()` is slower because it shifts other items
        // but it maintains the order of the subscribers, which is important
        // to correctness when you're using this to drive something like a UI,
        // which can have nested effects, where the inner one assumes the outer
        // has already run (for example, an outer effect that checks .is_some(),
        // and an inner effect that unwraps)
        if let Some(index) = self.0.iter().position(|s| s == subscriber) {
            self.0.remove(index);
        }
    }

    pub fn take(&mut self) -> Vec<AnySubscriber> {
        mem::take(&mut self.0)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl IntoIterator for SubscriberSet {
    type Item = AnySubscriber;
    type IntoIter = vec::IntoIter<AnySubscriber>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a SubscriberSet {
    type Item = &'a AnySubscriber;
    type IntoIter = slice::Iter<'a, AnySubscriber>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

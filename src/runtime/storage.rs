//! `localStorage`, namespaced per agent, read and written as JSON.
//!
//! Storage can be missing (a sandboxed iframe) or full; the widget then keeps
//! working in memory, so every failure is logged and swallowed here, and
//! told to the agent through the signal a store reports to
//! ([`LocalStore::reporting_to`]): a reload would lose what is not stored.
//!
//! In a frame whose storage the browser blocks, `public/cil-storage.js` puts in
//! `window.localStorage` a copy of what the page embedding the widget keeps
//! for it, which arrives once that page connects: [`host_storage_ready`]
//! tells the runtime to wait for it.

use leptos::prelude::*;
use serde::Serialize;
use wrapup_core::record::FromJson;

/// The promise `cil-storage.js` sets (`window.wrapupStorageReady`) while the copy
/// of the widget's storage kept by the embedding page is on its way; it
/// resolves to `true` when the copy is in, or to `false` when `cil-storage.js` gives
/// up waiting for it (what the widget stores is then kept in memory only,
/// until a page connects: `cil-storage.js` then dispatches [`STORAGE_KEPT_EVENT`]).
pub fn host_storage_ready() -> Option<js_sys::Promise> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(&js_sys::global(), &"wrapupStorageReady".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Dispatched on `window` by `cil-storage.js` when a page connects late to a frame
/// whose storage the browser blocks: from then on that page keeps it.
pub const STORAGE_KEPT_EVENT: &str = "wrapup:storage-kept";

/// Whether `localStorage` takes a write here: not in a frame whose storage
/// the browser blocks (unless `cil-storage.js` stands in for it), nor when it is full.
pub fn storage_works() -> bool {
    const PROBE: &str = "wrapup:storage-probe";
    LocalStore::storage().is_some_and(|storage| {
        let works = storage.set_item(PROBE, "1").is_ok();
        let _ = storage.remove_item(PROBE);
        works
    })
}

/// A namespace in `localStorage`: every key starts with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalStore {
    prefix: String,
    /// Set to `false` when a write fails.
    kept: Option<RwSignal<bool>>,
}

impl LocalStore {
    /// The namespace of one agent's widget: `wrapup:<agent>:`.
    pub fn for_agent(agent_id: &str) -> Self {
        Self::with_prefix(format!("wrapup:{agent_id}:"))
    }

    /// A namespace with an explicit prefix (tests use one each).
    pub fn with_prefix(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            kept: None,
        }
    }

    /// The same namespace, setting `kept` to `false` when a write fails.
    pub fn reporting_to(self, kept: RwSignal<bool>) -> Self {
        Self {
            kept: Some(kept),
            ..self
        }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value at `key`, if present and readable as `T`.
    pub fn get<T: FromJson>(&self, key: &str) -> Option<T> {
        let text = self.get_text(key)?;
        match wrapup_core::parse::read(&text) {
            Ok(value) => Some(value),
            Err(error) => {
                super::warn_args(format_args!("ignoring unreadable stored {key}: {error}"));
                None
            }
        }
    }

    /// The text at `key`, as stored.
    pub fn get_text(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(&self.key(key)).ok().flatten()
    }

    /// Writes `value` at `key`; returns whether it was stored.
    pub fn set<T: Serialize>(&self, key: &str, value: &T) -> bool {
        serde_json::to_string(value).is_ok_and(|text| self.set_text(key, &text))
    }

    /// Writes `text` at `key` as it is; returns whether it was stored.
    pub fn set_text(&self, key: &str, text: &str) -> bool {
        let stored =
            Self::storage().is_some_and(|storage| storage.set_item(&self.key(key), text).is_ok());
        if !stored {
            super::warn_args(format_args!(
                "could not store {key} (storage full or blocked)"
            ));
            if let Some(kept) = self.kept.filter(|kept| kept.get_untracked()) {
                kept.set(false);
            }
        }
        stored
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) {
        if let Some(storage) = Self::storage() {
            let _ = storage.remove_item(&self.key(key));
        }
    }
}

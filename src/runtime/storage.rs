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
use wrapup_core::json::{self, ToJson};
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
        // Only the reading of the value is per type: the text is read and
        // an unreadable value told by code compiled once.
        match T::from_json(self.get_json(key)?) {
            Ok(value) => Some(value),
            Err(error) => {
                unreadable(key, error.into());
                None
            }
        }
    }

    /// The JSON value at `key`, if present and JSON.
    fn get_json(&self, key: &str) -> Option<json::Value> {
        match wrapup_core::parse::read(&self.get_text(key)?) {
            Ok(value) => Some(value),
            Err(error) => {
                unreadable(key, error);
                None
            }
        }
    }

    /// The text at `key`, as stored.
    pub fn get_text(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(&self.key(key)).ok().flatten()
    }

    /// Writes `value` at `key`; returns whether it was stored.
    pub fn set(&self, key: &str, value: &dyn ToJson) -> bool {
        self.set_text(key, &json::write::to_string(value))
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

/// Tells the console that the value stored at `key` is ignored.
fn unreadable(key: &str, error: wrapup_core::parse::ParseError) {
    super::warn_args(format_args!("ignoring unreadable stored {key}: {error}"));
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use wrapup_core::desk::WrapupDraft;
    use wrapup_core::json::{ToJson, write};
    use wrapup_core::parse::read;
    use wrapup_core::record::FromJson;

    use crate::runtime::interactions::InteractionCache;
    use crate::runtime::outbox::Outbox;
    use crate::runtime::resume::ResumePoint;
    use crate::store::{NotReadyAfterCalls, UnsavedDraft};

    /// Reads each of `texts` as `T` and writes it back with `json::write`:
    /// the text is what serde_json wrote before, byte for byte.
    fn written_as_serde_json<T: FromJson + ToJson + Serialize>(texts: &[&str]) {
        for text in texts {
            let value: T = read(text).unwrap_or_else(|error| panic!("{text}: {error}"));
            let expected = serde_json::to_string(&value).unwrap();
            assert_eq!(write::to_string(&value), expected, "{text}");
        }
    }

    #[test]
    fn every_stored_value_is_written_as_serde_json_wrote_it() {
        written_as_serde_json::<Outbox>(&[
            r#"{"entries": []}"#,
            r#"{"entries": [
                {"backend": "genesys", "workitem_id": "w\"1", "segment_id": null,
                 "interaction_id": null, "code": null, "notes": "Müller\n😀\u0001",
                 "confirmed_on": "2024-09-16T18:52:01.5Z", "automatic": true,
                 "attempts": 4294967295, "last_error": null},
                {"workitem_id": "w2", "segment_id": "s", "interaction_id": "i",
                 "code": "Billing Issue", "notes": "", "confirmed_on": "2024-09-16T18:52:01Z",
                 "automatic": false, "attempts": 0, "last_error": "offline \\ again"},
                {"backend": "servicenow", "workitem_id": "w3", "notes": "n",
                 "confirmed_on": "2024-09-16T18:52:01.123456789+02:00",
                 "automatic": false, "attempts": 1}
            ]}"#,
        ]);
        written_as_serde_json::<InteractionCache>(&[
            r#"{"entries": []}"#,
            r#"{"entries": [["w1", "s1"], ["w\t2", "ß"]], "unanswered": ["w3", "w4"]}"#,
            r#"{"entries": [["w1", "s1"]], "unanswered": []}"#,
        ]);
        written_as_serde_json::<ResumePoint>(&[
            r#"{"last_seen": 0, "live": {}}"#,
            r#"{"stream": "s\u2028", "last_seen": 18446744073709551615,
                "live": {"b": 2, "a": 1, "ü": 3}}"#,
        ]);
        written_as_serde_json::<WrapupDraft>(&[
            r#"{"notes": ""}"#,
            r#"{"selected_code": "Sale", "custom_code": "Own \"code\"", "notes": "a\r\nb",
                "refused_reason": "too long"}"#,
        ]);
        written_as_serde_json::<NotReadyAfterCalls>(&[
            r#"{}"#,
            r#"{"reasonLabel": "Lunch", "reasonCode": "12"}"#,
            r#"{"reasonLabel": "Pause"}"#,
        ]);
        written_as_serde_json::<Vec<UnsavedDraft>>(&[
            r#"[]"#,
            r#"[{"workitemId": "w1", "caller": "+41 44", "savedCode": "Default",
                 "chosenCode": "Sale", "notes": "n\u0000", "twoVisits": true},
                {"workitemId": "w2", "notes": ""},
                {"workitemId": "w3", "notes": "x", "twoVisits": false}]"#,
        ]);
    }
}

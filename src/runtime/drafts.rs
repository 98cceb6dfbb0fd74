//! The agent's unsent drafts, one per workitem, so that a reload restores
//! what was typed (`PersistDraft` / `DiscardDraft`, `Restore::Draft`).

use wrapup_core::desk::WrapupDraft;

use super::storage::LocalStore;

fn key(workitem_id: &str) -> String {
    format!("draft:{workitem_id}")
}

/// Stores the draft of `workitem_id`, replacing the previous one.
pub fn save_draft(store: &LocalStore, workitem_id: &str, draft: &WrapupDraft) {
    store.set(&key(workitem_id), draft);
}

/// The stored draft of `workitem_id`.
pub fn load_draft(store: &LocalStore, workitem_id: &str) -> Option<WrapupDraft> {
    store.get(&key(workitem_id))
}

/// Forgets the draft of `workitem_id`.
pub fn discard_draft(store: &LocalStore, workitem_id: &str) {
    store.remove(&key(workitem_id));
}

//! The agent's unsent drafts, one per workitem, so that a reload restores
//! what was typed (`PersistDraft`, `Restore::Draft`; `ForgetWrapup` discards it).
//!
//! Only the Desk discards a draft (the wrap-up stored, cancelled or
//! dismissed). When the CTI system's stream is replaced while the page runs,
//! the open wrap-ups leave the Desk and their drafts stay stored: nothing the
//! agent typed is deleted, though it is shown again only if a wrap-up of the
//! same workitem id opens.

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

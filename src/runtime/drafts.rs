//! The agent's unsent drafts, one per workitem, so that a reload restores
//! what was typed (`PersistDraft`, `Restore::Draft`; `ForgetWrapup` discards it).
//!
//! Only the Desk discards a draft (the wrap-up stored, cancelled or
//! dismissed). A draft whose wrap-up the backend closed with something else
//! (its time ran out while no page was open) is kept apart and shown until
//! the agent dismisses it ([`unsaved`], [`keep_unsaved`]). When the CTI system's stream is replaced while the page runs,
//! the open wrap-ups leave the Desk and their drafts stay stored: nothing the
//! agent typed is deleted, though it is shown again only if a wrap-up of the
//! same workitem id opens.

use wrapup_core::desk::{WrapupConfig, WrapupDraft, WrapupSubmission};

use leptos::prelude::*;

use super::storage::LocalStore;
use super::{Runtime, warn_args};
use crate::reactive::effect;
use crate::store::{DeskStore, UnsavedDraft};

/// Where the drafts of wrap-ups closed without them are kept.
pub(super) const UNSAVED_KEY: &str = "unsaved-drafts";

const DRAFT_PREFIX: &str = "draft:";

fn key(workitem_id: &str) -> String {
    format!("{DRAFT_PREFIX}{workitem_id}")
}

/// The workitem whose draft is stored at `key`, if it is a draft's.
pub(super) fn workitem_of(key: &str) -> Option<&str> {
    key.strip_prefix(DRAFT_PREFIX)
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

/// The draft of a wrap-up the backend closed with `saved`, if the agent had
/// entered something else: notes that were not saved, or another code (both
/// codes named by `label`).
pub fn unsaved(
    draft: WrapupDraft,
    saved: &WrapupSubmission,
    caller: Option<String>,
    label: impl Fn(&str) -> String,
) -> Option<UnsavedDraft> {
    let notes_lost = !draft.notes.trim().is_empty() && draft.notes != saved.notes;
    let code_lost = draft.selected_code.is_some() && draft.selected_code != saved.code;
    (notes_lost || code_lost).then(|| UnsavedDraft {
        workitem_id: saved.workitem_id.clone(),
        caller,
        saved_code: saved.code.as_deref().map(&label),
        chosen_code: draft.selected_code.as_deref().map(&label),
        notes: draft.notes,
        two_visits: false,
    })
}

/// Restores the drafts of wrap-ups closed without them into `desk` and
/// keeps them as they change (one found, one the agent dismissed).
pub fn keep_unsaved(desk: DeskStore, storage: LocalStore) {
    if let Some(kept) = storage.get::<Vec<UnsavedDraft>>(UNSAVED_KEY) {
        desk.unsaved_drafts.set(kept);
    }
    effect(move || {
        desk.unsaved_drafts.with(|unsaved| {
            if unsaved.is_empty() {
                storage.remove(UNSAVED_KEY);
            } else {
                storage.set(UNSAVED_KEY, unsaved);
            }
        });
    });
}

impl Runtime {
    /// The wrap-up of `saved` was closed with it while no page was here (or,
    /// `two_visits`, it was done in another visit to the CRM page than the
    /// draft was typed in: `host_copy.rs`): a draft that says otherwise is
    /// the agent's, and kept for them to see, with the `caller` and its
    /// codes named by `configuration`'s labels (by the codes themselves
    /// when the wrap-up's configuration is no longer known).
    pub(super) fn keep_if_unsaved(
        &self,
        saved: &WrapupSubmission,
        configuration: Option<&WrapupConfig>,
        caller: Option<String>,
        two_visits: bool,
    ) {
        let Some(draft) = load_draft(&self.inner.storage, &saved.workitem_id) else {
            return;
        };
        let label = |code: &str| configuration.map_or(code, |c| c.label_of(code)).to_owned();
        if let Some(mut unsaved) = unsaved(draft, saved, caller, label) {
            unsaved.two_visits = two_visits;
            warn_args(format_args!(
                "the wrap-up of {} was closed without what the agent entered; it is shown to them",
                saved.workitem_id
            ));
            self.inner.store.unsaved_drafts.update(|kept| {
                kept.retain(|kept| kept.workitem_id != unsaved.workitem_id);
                kept.push(unsaved);
            });
        }
    }

    /// The caller the panel of `workitem_id` names, if the Desk has it.
    pub(super) fn caller_of(&self, workitem_id: &str) -> Option<String> {
        self.inner
            .store
            .desk
            .with_untracked(|desk| desk.session(workitem_id)?.caller().map(str::to_owned))
    }
}

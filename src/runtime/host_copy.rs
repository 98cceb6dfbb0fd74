//! What a CRM page that connected late kept for the widget from an earlier
//! visit, merged with what the widget stored alone meanwhile.
//!
//! In a frame whose storage the browser blocks, the page embedding it keeps
//! the widget's data (`cil-storage.js`, docs/cil-protocol.md item 4). A page that
//! connects only after the widget started without it (with nothing stored)
//! may hold an earlier visit's unsent wrap-ups, drafts and interaction
//! records, which the widget never read; what the widget stored alone
//! would replace them key by key, the whole outbox at once. So once this
//! page is the agent's live one, `cil-storage.js` hands the widget the page's copy
//! ([`MERGE_EVENT`]): the keys only the page has join the widget's copy
//! as they are (drafts of other wrap-ups), and those both have are merged
//! here, by what they hold: the outbox's entries and the interaction
//! records and unsaved drafts of either, this page's where both have one
//! of a call (it is of this visit, the newer); the stream's position, the
//! clock's skew and the choice of Not ready after the calls are this
//! page's. Then all of it goes to the page, which keeps it from then on.
//!
//! What the merge brings to a wrap-up on the Desk goes to it as a reload
//! restores it: an unsent wrap-up is delivered (and shown submitted), a
//! draft comes back into its panel. Where both visits did the wrap-up of
//! one call (the earlier submitted it, this page has notes of its own; or
//! the earlier has notes, this page submitted it), the submission stands:
//! the earlier visit's is delivered, this page's is newer than those notes.
//! The notes it leaves out are shown apart, not saved, with the notes to
//! copy (`drafts::unsaved`), also when this page's wrap-up was delivered
//! and its call has left since (the outbox remembers what it delivered
//! until the merge), as are the earlier visit's notes of a wrap-up the
//! backend closed without them (found by the interaction that visit
//! recorded when the call has left). Nothing the agent typed is dropped.

use std::rc::Rc;

use leptos::prelude::*;
use litemap::LiteMap;
use wasm_bindgen::JsCast;
use wrapup_core::desk::WrapupSubmission;
use wrapup_core::record::FromJson;
use wrapup_core::servicenow::SegmentState;

use super::api::SegmentLookup;
use super::interactions::InteractionCache;
use super::outbox::{self, Outbox, OutboxEntry};
use super::{INTERACTIONS_KEY, Runtime, agent_state, drafts, servicenow, warn};
use crate::config::BackendProfile;
use crate::store::UnsavedDraft;

/// Dispatched on `window` by `cil-storage.js`, its `detail` the copy of the widget's
/// storage a page that connected late keeps (its `storage` answer, as JSON
/// text): the page is the agent's live one, and keeps the merged data.
pub const MERGE_EVENT: &str = "wrapup:storage-merge";

/// Listens for [`MERGE_EVENT`] for `runtime` (held weakly).
pub(super) fn listen(runtime: &Runtime) -> WindowListenerHandle {
    let inner = Rc::downgrade(&runtime.inner);
    window_event_listener_untyped(MERGE_EVENT, move |event| {
        let copy = event
            .dyn_ref::<web_sys::CustomEvent>()
            .and_then(|event| event.detail().as_string());
        if let (Some(inner), Some(copy)) = (inner.upgrade(), copy) {
            Runtime { inner }.merge_host_copy(&copy);
        }
    })
}

/// The value stored as `text`, if it reads as `T`.
fn read<T: FromJson>(text: Option<&String>) -> Option<T> {
    wrapup_core::parse::read(text?).ok()
}

impl Runtime {
    /// Merges `copy`, the page's copy of the widget's storage, into what
    /// this page keeps (see the module's documentation).
    fn merge_host_copy(&self, copy: &str) {
        if self.stopped() {
            return;
        }
        let Ok(copy) = wrapup_core::parse::read::<LiteMap<String, String>>(copy) else {
            warn("the copy of the widget's data kept by the page embedding it could not be read");
            return;
        };
        let store = self.inner.store;
        let storage = &self.inner.storage;
        let prefix = format!("wrapup:{}:", self.inner.agent_id);
        let kept = |key: &str| copy.get(&format!("{prefix}{key}"));

        if let Some(older) = read::<InteractionCache>(kept(INTERACTIONS_KEY)) {
            self.inner.interactions.borrow_mut().merge_older(older);
            self.store_interactions();
        }
        if let Some(older) = read::<Vec<UnsavedDraft>>(kept(drafts::UNSAVED_KEY)) {
            store.unsaved_drafts.update(|unsaved| {
                let mut merged: Vec<UnsavedDraft> = older
                    .into_iter()
                    .filter(|draft| !unsaved.iter().any(|u| u.workitem_id == draft.workitem_id))
                    .collect();
                merged.append(unsaved);
                *unsaved = merged;
            });
        }
        if store.not_ready_after_calls.with_untracked(Option::is_none) {
            storage.remove(agent_state::AFTER_CALLS_KEY);
        }
        let queued = read::<Outbox>(kept(outbox::KEY)).map_or_else(Vec::new, |older| {
            let added = self.inner.outbox.borrow_mut().merge_older(older);
            self.inner.outbox.borrow().save(storage);
            self.publish_outbox_status();
            added
        });
        for workitem_id in &queued {
            self.spawn_delivery(workitem_id.clone());
            self.restore_merged(workitem_id, true);
        }
        // The page's drafts that the widget's copy took as they are: it had
        // none of those wrap-ups.
        for (key, text) in copy.iter() {
            let Some(key) = key.strip_prefix(&prefix) else {
                continue;
            };
            let Some(workitem_id) = drafts::workitem_of(key) else {
                continue;
            };
            let taken = storage.get_text(key).as_ref() == Some(text);
            if taken && !queued.iter().any(|queued| queued == workitem_id) {
                self.restore_merged(workitem_id, false);
            }
        }
        self.inner.outbox.borrow_mut().forget_drops();
    }

    /// What the merge brought for `workitem_id` (an outbox entry, when
    /// `queued`, else a draft) goes to its wrap-up, if the Desk has it, as a
    /// reload would have restored it: the entry, or the draft of a wrap-up
    /// not submitted. A draft the submission leaves out is shown apart, not
    /// saved: this page's draft beside the earlier visit's entry, or the
    /// earlier visit's draft beside this page's submission (the wrap-up was
    /// done in two visits), or beside one the backend closed without it.
    fn restore_merged(&self, workitem_id: &str, queued: bool) {
        let Some((submitted, configuration)) = self.inner.store.desk.with_untracked(|desk| {
            let session = desk.session(workitem_id)?;
            let submitted: Option<WrapupSubmission> =
                session.submission().map(|made| made.submitted.clone());
            Some((submitted, session.configuration().cloned()))
        }) else {
            if !queued {
                self.settle_draft_of_left_call(workitem_id);
            }
            return;
        };
        let (saved, two_visits) = {
            let outbox = self.inner.outbox.borrow();
            if queued {
                (outbox.get(workitem_id).map(OutboxEntry::submission), true)
            } else {
                (submitted.clone(), outbox.has_had(workitem_id))
            }
        };
        if let (Some(saved), Some(configuration)) = (saved, configuration) {
            let caller = self.caller_of(workitem_id);
            self.keep_if_unsaved(&saved, Some(&configuration), caller, two_visits);
        }
        if queued || submitted.is_none() {
            self.restore(workitem_id, None);
        }
    }

    /// The earlier visit's draft of a wrap-up whose call has left the Desk
    /// (or never reached this page): the wrap-up is over, and the draft,
    /// if it says otherwise than what was saved, is shown apart rather than
    /// left stored unseen. What was saved is what this page delivered (the
    /// wrap-up was done in two visits), else what the backend's segment
    /// records (its time ran out while no page was open, and the server
    /// saved its default), looked up by the interaction the earlier visit
    /// recorded. A draft whose saved wrap-up cannot be told stays stored.
    fn settle_draft_of_left_call(&self, workitem_id: &str) {
        let delivered = self
            .inner
            .outbox
            .borrow()
            .delivered_here(workitem_id)
            .cloned();
        if let Some((saved, caller)) = delivered {
            self.keep_if_unsaved(&saved, None, caller, true);
            drafts::discard_draft(&self.inner.storage, workitem_id);
            return;
        }
        if self.inner.config.backend != BackendProfile::ServiceNow {
            return;
        }
        let Some(interaction) = self
            .inner
            .interactions
            .borrow()
            .get(workitem_id)
            .map(str::to_owned)
        else {
            return;
        };
        let (this, workitem_id) = (self.clone(), workitem_id.to_owned());
        leptos::task::spawn_local(async move {
            let answer = this
                .inner
                .api
                .segment(SegmentLookup::Interaction {
                    agent: &this.inner.agent_id,
                    interaction: &interaction,
                })
                .await;
            let Ok(found) = answer else {
                return;
            };
            let segment = found.segment;
            if this.stopped()
                || segment.state != SegmentState::Closed
                || this
                    .inner
                    .store
                    .desk
                    .with_untracked(|desk| desk.session(&workitem_id).is_some())
            {
                return;
            }
            let now = super::clock::cti_now(this.inner.store);
            let saved = servicenow::submission_of_closed(&workitem_id, &segment, now);
            let configuration = servicenow::wrapup_config(&segment.wrap_up_configuration);
            this.keep_if_unsaved(&saved, Some(&configuration), None, false);
            drafts::discard_draft(&this.inner.storage, &workitem_id);
        });
    }
}

//! Drafts round-trip through `localStorage` per workitem, a write to full
//! storage is reported, the event stream's resume point replays exactly the
//! workitems still alive, and only a stream replaced while the page runs
//! resets the Desk; the choice of Not ready after the calls outlives a reload.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::desk::WrapupDraft;
use wrapup_gadget::runtime::agent_state::keep_after_calls;
use wrapup_gadget::runtime::drafts::{discard_draft, load_draft, save_draft};
use wrapup_gadget::runtime::resume::{PageStream, ResumePoint};
use wrapup_gadget::runtime::storage::{LocalStore, storage_works};
use wrapup_gadget::store::{DeskStore, NotReadyAfterCalls};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_store() -> LocalStore {
    LocalStore::with_prefix(format!("test:drafts:{}:", js_sys::Math::random()))
}

#[wasm_bindgen_test]
fn a_draft_round_trips_per_workitem_and_is_discarded() {
    let store = fresh_store();
    let draft = WrapupDraft {
        selected_code: Some("Store Issue".into()),
        custom_code: None,
        notes: "Rückruf morgen 🙂".into(),
        refused_reason: None,
    };
    save_draft(&store, "w1", &draft);
    assert_eq!(load_draft(&store, "w1"), Some(draft.clone()));
    assert_eq!(load_draft(&store, "w2"), None);

    // A newer draft replaces the old one.
    let newer = WrapupDraft {
        notes: "Rückruf übermorgen".into(),
        ..draft
    };
    save_draft(&store, "w1", &newer);
    assert_eq!(load_draft(&store, "w1"), Some(newer));

    discard_draft(&store, "w1");
    assert_eq!(load_draft(&store, "w1"), None);
}

#[wasm_bindgen_test]
fn a_write_to_full_storage_is_reported_and_the_probe_sees_it() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert!(storage_works());
    // Fill the origin's quota (a few MB in Chromium) to the last character.
    let mut filled = 0;
    for size in [1 << 20, 1 << 14, 1 << 8, 1] {
        let filler = "x".repeat(size);
        while storage
            .set_item(&format!("test:filler:{filled}"), &filler)
            .is_ok()
        {
            filled += 1;
            assert!(filled < 512, "storage took all this: no quota to reach");
        }
    }
    let kept = RwSignal::new(true);
    let store = fresh_store().reporting_to(kept);
    let stored = store.set("draft:w1", &"a".repeat(1 << 20));
    let works_when_full = storage_works();
    // Empty it before asserting: the other tests share this origin's storage.
    for index in 0..filled {
        storage
            .remove_item(&format!("test:filler:{index}"))
            .unwrap();
    }
    assert!(!stored);
    assert!(!kept.get_untracked(), "the failed write is reported");
    assert!(!works_when_full);
    assert!(storage_works());
}

#[wasm_bindgen_test]
fn the_stream_resumes_before_the_oldest_live_workitem() {
    let mut resume = ResumePoint::default();
    assert_eq!(resume.resume_after(), 0);
    resume.observe(1, Some("old"), true);
    resume.observe(2, Some("old"), false); // ended
    resume.observe(3, Some("w1"), true);
    resume.observe(4, None, false); // agent state
    resume.observe(5, Some("w2"), true);
    resume.observe(6, Some("w1"), true);
    // w1 began at 3: replay from there so a reloaded page knows it.
    assert_eq!(resume.resume_after(), 2);
    resume.observe(7, Some("w1"), false);
    assert_eq!(resume.resume_after(), 4);
    resume.observe(8, Some("w2"), false);
    // Nothing alive: resume after the last event.
    assert_eq!(resume.resume_after(), 8);
    // A replayed, older event changes nothing about the last seen id.
    resume.observe(3, Some("w1"), false);
    assert_eq!(resume.last_seen, 8);
}

#[wasm_bindgen_test]
fn a_resume_point_of_another_stream_is_forgotten() {
    let mut resume = ResumePoint::default();
    resume.observe(5, Some("w1"), true);
    // Recorded before the stream had a name: kept, and now named.
    assert!(resume.adopt_stream("db-1"));
    assert_eq!((resume.stream.as_str(), resume.resume_after()), ("db-1", 4));
    resume.observe(9, None, false);
    assert!(resume.adopt_stream("db-1"), "the same stream again");
    assert_eq!(resume.last_seen, 9);

    // The server's database was replaced: its ids are not these.
    assert!(!resume.adopt_stream("db-2"));
    assert_eq!(
        resume,
        ResumePoint {
            stream: "db-2".into(),
            ..ResumePoint::default()
        }
    );
    assert_eq!(resume.resume_after(), 0);
}

#[wasm_bindgen_test]
fn only_a_stream_replaced_while_the_page_runs_resets_the_desk() {
    let mut page = PageStream::default();
    // A fresh page's first name, whatever stream it persisted: its Desk has
    // heard no event yet, so there is nothing to reset.
    assert!(!page.replaced_by("db-1"));
    assert!(
        !page.replaced_by("db-1"),
        "the same stream after a reconnect"
    );
    // The server's database replaced under the open page.
    assert!(page.replaced_by("db-2"));
    assert!(!page.replaced_by("db-2"));

    // A server that does not name its stream, then one that does: the
    // resume point keeps its ids (`adopt_stream`), and the Desk its calls.
    let mut unnamed = PageStream::default();
    assert!(!unnamed.replaced_by(""));
    assert!(!unnamed.replaced_by("db-1"));
}

/// A page's store, with the choice of Not ready after the calls kept in
/// `storage` as the runtime keeps it (under a mounted owner, as on a page).
fn page_keeping_after_calls(storage: &LocalStore) -> DeskStore {
    let store = DeskStore::new(chrono::DateTime::UNIX_EPOCH);
    let storage = storage.clone();
    let document = web_sys::window().unwrap().document().unwrap();
    let container = wasm_bindgen::JsCast::unchecked_into(document.create_element("div").unwrap());
    // The handle unmounts on drop; the page lives on for the test.
    std::mem::forget(leptos::mount::mount_to(container, move || {
        keep_after_calls(store, storage.clone());
    }));
    store
}

#[wasm_bindgen_test]
async fn the_choice_of_not_ready_after_the_calls_is_kept_across_a_reload() {
    let storage = fresh_store();
    let lunch = NotReadyAfterCalls {
        reason_label: Some("Lunch".to_owned()),
        reason_code: Some("2".to_owned()),
        asked: true,
    };
    let before = page_keeping_after_calls(&storage);
    before.not_ready_after_calls.set(Some(lunch.clone()));
    leptos::task::tick().await;

    let after = page_keeping_after_calls(&storage);
    // Restored, it is not asked for by this page yet.
    let restored = NotReadyAfterCalls {
        asked: false,
        ..lunch
    };
    assert_eq!(after.not_ready_after_calls.get_untracked(), Some(restored));
    // The calls are over: the choice is gone, from storage too.
    after.not_ready_after_calls.set(None);
    leptos::task::tick().await;
    let later = page_keeping_after_calls(&storage);
    assert_eq!(later.not_ready_after_calls.get_untracked(), None);
}

#[wasm_bindgen_test]
fn a_choice_stored_by_an_earlier_version_without_its_reason_code_still_reads() {
    let storage = fresh_store();
    assert!(storage.set_text("not-ready-after-calls", r#"{"reasonLabel":"Lunch"}"#));
    let page = page_keeping_after_calls(&storage);
    assert_eq!(
        page.not_ready_after_calls.get_untracked(),
        Some(NotReadyAfterCalls {
            reason_label: Some("Lunch".to_owned()),
            reason_code: None,
            asked: false,
        })
    );
}

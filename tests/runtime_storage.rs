//! Drafts round-trip through `localStorage` per workitem, the event
//! stream's resume point replays exactly the workitems still alive, and only
//! a stream replaced while the page runs resets the Desk.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::desk::WrapupDraft;
use wrapup_gadget::runtime::drafts::{discard_draft, load_draft, save_draft};
use wrapup_gadget::runtime::events::{PageStream, ResumePoint};
use wrapup_gadget::runtime::storage::LocalStore;

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

//! The persisted outbox: written before delivery, resumed after a reload,
//! one entry per workitem, and the retry schedule — with injected time and
//! jitter, no network, no sleeps.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, TimeDelta, Utc};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::desk::WrapupSubmission;
use wrapup_gadget::runtime::outbox::{BACKOFF_CAP, Outbox, OutboxEntry, backoff_delay};
use wrapup_gadget::runtime::storage::LocalStore;

wasm_bindgen_test_configure!(run_in_browser);

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
}

fn submission(workitem_id: &str, code: &str) -> WrapupSubmission {
    WrapupSubmission {
        workitem_id: workitem_id.to_owned(),
        segment_id: Some(format!("segment-of-{workitem_id}")),
        code: Some(code.to_owned()),
        notes: "Kunde ruft zurück — Müller".to_owned(),
        confirmed_on: at(0),
        automatic: false,
    }
}

fn fresh_store(name: &str) -> LocalStore {
    let store = LocalStore::with_prefix(format!("test:{name}:{}:", js_sys::Math::random()));
    Outbox::default().save(&store);
    store
}

#[wasm_bindgen_test]
fn an_entry_survives_a_reload_with_its_submission_intact() {
    let store = fresh_store("reload");
    let mut outbox = Outbox::load(&store);
    outbox.put(OutboxEntry::new(
        &submission("w1", "Billing Issue"),
        Some("i1".into()),
    ));
    assert!(outbox.save(&store));

    // A reload: a new page reads the same storage.
    let resumed = Outbox::load(&store);
    assert_eq!(resumed.entries().len(), 1);
    let entry = &resumed.entries()[0];
    assert_eq!(entry.submission(), submission("w1", "Billing Issue"));
    assert_eq!(entry.interaction_id.as_deref(), Some("i1"));
    assert_eq!(resumed.status().pending, 1);
}

#[wasm_bindgen_test]
fn one_entry_per_workitem_and_acknowledged_entries_are_gone_for_good() {
    let store = fresh_store("ack");
    let mut outbox = Outbox::default();
    outbox.put(OutboxEntry::new(&submission("w1", "Billing Issue"), None));
    outbox.put(OutboxEntry::new(&submission("w1", "Store Issue"), None));
    outbox.put(OutboxEntry::new(&submission("w2", "Store Issue"), None));
    assert_eq!(outbox.entries().len(), 2);
    assert_eq!(
        outbox.get("w1").unwrap().code.as_deref(),
        Some("Store Issue")
    );

    outbox.remove("w1");
    outbox.save(&store);
    let resumed = Outbox::load(&store);
    assert!(resumed.get("w1").is_none());
    assert!(resumed.get("w2").is_some());

    let mut empty = resumed;
    empty.remove("w2");
    empty.save(&store);
    assert_eq!(Outbox::load(&store), Outbox::default());
}

#[wasm_bindgen_test]
fn failures_are_counted_and_the_newest_error_is_shown() {
    let mut outbox = Outbox::default();
    outbox.put(OutboxEntry::new(&submission("w1", "Billing Issue"), None));
    assert_eq!(outbox.record_failure("w1", "offline"), 1);
    assert_eq!(outbox.record_failure("w1", "server answered 503"), 2);
    assert_eq!(outbox.record_failure("unknown", "x"), 0);
    let status = outbox.status();
    assert_eq!(status.pending, 1);
    assert_eq!(status.last_error.as_deref(), Some("server answered 503"));
}

#[wasm_bindgen_test]
fn backoff_doubles_from_one_second_to_the_cap_with_bounded_jitter() {
    // Without jitter, half the full delay; with the most jitter, all of it.
    assert_eq!(backoff_delay(1, 0.0), TimeDelta::milliseconds(500));
    assert_eq!(backoff_delay(1, 1.0), TimeDelta::seconds(1));
    assert_eq!(backoff_delay(2, 1.0), TimeDelta::seconds(2));
    assert_eq!(backoff_delay(3, 1.0), TimeDelta::seconds(4));
    assert_eq!(backoff_delay(7, 1.0), BACKOFF_CAP);
    assert_eq!(backoff_delay(1000, 1.0), BACKOFF_CAP);
    for attempt in 1..20 {
        for jitter in [0.0, 0.25, 0.5, 0.99] {
            let delay = backoff_delay(attempt, jitter);
            assert!(delay >= TimeDelta::milliseconds(500) && delay <= BACKOFF_CAP);
            assert!(delay >= backoff_delay(attempt, 0.0));
        }
    }
}

#[wasm_bindgen_test]
fn unreadable_storage_is_an_empty_outbox_not_a_crash() {
    let store = fresh_store("corrupt");
    let window = web_sys::window().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    // Write garbage where the outbox lives (the key is the store's prefix + "outbox").
    let probe = LocalStore::with_prefix("probe:");
    probe.set("outbox", &"not an outbox");
    assert_eq!(Outbox::load(&probe), Outbox::default());
    storage.remove_item("probe:outbox").unwrap();
    assert_eq!(Outbox::load(&store), Outbox::default());
}

// Bug: a wrap-up the backend refused was counted as "waiting to be sent",
// and its refusal shown as the last sending error, while nothing sent it.
#[wasm_bindgen_test]
fn a_refused_entry_is_not_waiting_to_be_sent_until_it_is_sent_again() {
    let mut outbox = Outbox::default();
    outbox.put(OutboxEntry::new(&submission("w1", "Billing Issue"), None));
    outbox.put(OutboxEntry::new(&submission("w2", "Store Issue"), None));
    outbox.record_failure("w1", "server answered 503");
    assert_eq!(outbox.record_refusal("w2", "no such code"), 1);
    let status = outbox.status();
    assert_eq!(status.pending, 1);
    assert_eq!(status.last_error.as_deref(), Some("server answered 503"));
    assert_eq!(status.refused.len(), 1);
    let refused = &status.refused[0];
    assert_eq!(refused.workitem_id, "w2");
    assert_eq!(refused.code.as_deref(), Some("Store Issue"));
    assert_eq!(refused.confirmed_on, at(0));
    assert_eq!(refused.reason, "no such code");

    // The agent's Retry: on its way again, no longer refused.
    assert!(outbox.resend("w2"));
    assert!(!outbox.resend("w1"), "a passing failure is no refusal");
    let status = outbox.status();
    assert_eq!(status.pending, 2);
    assert!(status.refused.is_empty());

    // A refusal is this page's: a reload sends the entry again.
    let store = fresh_store("refused");
    outbox.record_refusal("w2", "no such code");
    outbox.save(&store);
    let reloaded = Outbox::load(&store).status();
    assert_eq!(reloaded.pending, 2);
    assert_eq!(reloaded.last_error, None);
    assert!(reloaded.refused.is_empty());
}

// Bug: a submission the server answered 401 (the widget's token refused)
// was given up as refused: not counted as waiting, never sent again.
#[wasm_bindgen_test]
fn an_entry_refused_for_the_sign_in_waits_for_it_counted_as_waiting() {
    let mut outbox = Outbox::default();
    outbox.put(OutboxEntry::new(&submission("w1", "Billing Issue"), None));
    let mut unnamed = submission("w2", "Store Issue");
    unnamed.segment_id = None;
    outbox.put(OutboxEntry::new(&unnamed, None));
    outbox.record_signed_out("w1", "the sign-in was not accepted");
    outbox.record_signed_out("w2", "the sign-in was not accepted");
    let status = outbox.status();
    assert_eq!(status.pending, 2, "waiting to be sent");
    assert!(status.refused.is_empty());
    assert_eq!(status.last_error, None, "the header tells the sign-in");
    // Sent once the server takes the token; one that names no segment waits
    // for its segment to be found first.
    assert_eq!(outbox.waiting_for_sign_in(), ["w1"]);
    assert!(!outbox.name_segment("w1", "s1"), "w1 names its segment");
    assert!(outbox.name_segment("w2", "s2"));
    assert_eq!(outbox.get("w2").unwrap().segment_id.as_deref(), Some("s2"));
    assert_eq!(outbox.waiting_for_sign_in(), ["w1", "w2"]);
    assert!(outbox.resend("w1"));
    assert_eq!(outbox.waiting_for_sign_in(), ["w2"]);
    assert_eq!(outbox.status().pending, 2);
}

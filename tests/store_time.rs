//! The store's time. Regression: inputs were applied at the clock hook's
//! last tick, up to a second old while no countdown ran, so a wrap-up opened
//! showed more time than its duration (1:01 of 1:00) until the next tick.
//! And a PC's clock minutes off is corrected to the CTI system's by the
//! times of events heard as they happen.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::GetUntracked;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::clock_skew::ClockSkew;
use wrapup_core::desk::Input;
use wrapup_gadget::runtime::clock::browser_now;
use wrapup_gadget::runtime::events::{Arrival, dispatch_cti_json};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).expect("valid timestamp")
}

#[wasm_bindgen_test]
fn an_input_is_applied_at_the_time_source_not_the_last_tick() {
    let store = DeskStore::new(at(0));
    store.set_time_source(|| at(1));
    store.dispatch(Input::Tick);
    assert_eq!(store.now.get_untracked(), at(1));
}

#[wasm_bindgen_test]
fn without_a_time_source_the_injected_now_stays() {
    let store = DeskStore::new(at(0));
    store.dispatch(Input::Tick);
    assert_eq!(store.now.get_untracked(), at(0));
}

/// A PC whose clock is five minutes ahead of the CTI system's.
const AHEAD: i64 = 300;

#[wasm_bindgen_test]
fn two_live_event_times_that_agree_move_now_to_the_cti_clock() {
    let browser = at(AHEAD + 10);
    let store = DeskStore::new(browser);
    store.set_time_source(move || store.cti_time(browser));
    // One event is not enough: its time could be of an earlier moment.
    store.observe_event_time(at(0), at(AHEAD));
    assert_eq!(store.now.get_untracked(), browser);
    store.observe_event_time(at(5), at(AHEAD + 5));
    assert_eq!(store.clock_skew().ahead(), TimeDelta::seconds(AHEAD));
    // `now` moved at once, and every input is applied in the CTI system's time.
    assert_eq!(store.now.get_untracked(), at(5));
    store.dispatch(Input::Tick);
    assert_eq!(store.now.get_untracked(), at(10));
}

/// A b+s event that says it happened `seconds_ago` by a CTI clock `AHEAD`
/// seconds behind the browser's.
fn connect_event(id: &str, seconds_ago: i64) -> String {
    let occurred = browser_now() - TimeDelta::seconds(AHEAD + seconds_ago);
    serde_json::json!({
        "event": "workitemConnect",
        "id": id,
        "state": "Active",
        "channelType": "Voice",
        "connectedAt": occurred.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    })
    .to_string()
}

#[wasm_bindgen_test]
fn only_events_heard_as_they_happen_tell_the_clock() {
    let store = DeskStore::new(browser_now());
    // Replayed events happened earlier: they say nothing of the clock.
    for (id, arrival) in [("r1", Arrival::Replayed), ("r2", Arrival::Retold)] {
        dispatch_cti_json(store, &connect_event(id, 0), arrival).unwrap();
    }
    assert_eq!(store.clock_skew(), ClockSkew::default());

    for id in ["l1", "l2"] {
        dispatch_cti_json(store, &connect_event(id, 0), Arrival::Live).unwrap();
    }
    let ahead = store.clock_skew().ahead();
    // Five minutes, plus the milliseconds between writing and reading an event.
    assert!(
        ahead >= TimeDelta::seconds(AHEAD) && ahead < TimeDelta::seconds(AHEAD + 1),
        "{ahead}"
    );
}

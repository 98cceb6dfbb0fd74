//! Regression: inputs were applied at the clock hook's last tick, up to a
//! second old while no countdown ran, so a wrap-up opened showed more time
//! than its duration (1:01 of 1:00) until the next tick.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Utc};
use leptos::prelude::GetUntracked;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::desk::Input;
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

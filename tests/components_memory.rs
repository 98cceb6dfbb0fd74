//! The widget keeps nothing per call: after thousands of calls rendered
//! through ring, talk, wrap-up and end, the wasm memory has not grown.
//!
//! Every call mounts a workitem card and a wrap-up panel, each a row of a
//! keyed list (`components/keyed_list.rs`) with its own memos and effects
//! reading the store's long-lived signals.
//! Those rows once left ~4 KB behind each (reactive_graph kept dead
//! subscribers and child owners: vendor/README.md).
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{AgentAction, BackendAnswer, Input};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

/// The module's linear memory in bytes. It never shrinks, so this is the
/// most it ever held: a leak shows as growth, however it is fragmented.
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    f64::from(buffer.byte_length())
}

/// Call `n` from ringing to its end, through a rendered wrap-up panel and a
/// confirmed submission of the default code.
async fn one_call(store: DeskStore, widget: &web_sys::HtmlElement, n: u32) {
    let id = format!("call-{n}");
    for (kind, state) in [
        (WorkitemEventKind::Create, WorkitemState::Offered),
        (WorkitemEventKind::Connect, WorkitemState::Active),
        (WorkitemEventKind::Wrapup, WorkitemState::Wrapup),
    ] {
        store.dispatch(cti(kind, workitem(&id, state)));
        tick().await;
    }
    store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
        workitem_id: id.clone(),
        segment_id: Some(format!("segment-{id}")),
        configuration: configuration(Some(60)),
        opened_on: at(0),
    }));
    tick().await;
    assert!(
        find(widget, "countdown").is_some(),
        "call {n}: the wrap-up panel shows its countdown"
    );
    store.dispatch(Input::Agent(AgentAction::Submit {
        workitem_id: id.clone(),
    }));
    for answer in [
        BackendAnswer::SubmissionSent {
            workitem_id: id.clone(),
        },
        BackendAnswer::SubmissionConfirmed {
            workitem_id: id.clone(),
        },
    ] {
        store.dispatch(Input::Backend(answer));
        tick().await;
    }
    store.dispatch(cti(
        WorkitemEventKind::End,
        workitem(&id, WorkitemState::Ended),
    ));
    tick().await;
    assert!(find(widget, "idle").is_some(), "call {n}: back to idle");
    if n.is_multiple_of(100) {
        yield_to_browser().await;
    }
}

#[wasm_bindgen_test]
async fn memory_stays_flat_over_thousands_of_calls() {
    const WARM_UP: u32 = 200;
    const CALLS: u32 = 2_000;
    let store = DeskStore::new(at(0));
    // Effects are dropped as a runtime would perform them: a store without a
    // handler keeps them for the test to take.
    store.set_effect_handler(|_| {});
    let widget = mount(store, "?agent=a1");
    for n in 0..WARM_UP {
        one_call(store, &widget, n).await;
    }
    let before = wasm_memory_bytes();
    for n in WARM_UP..WARM_UP + CALLS {
        one_call(store, &widget, n).await;
    }
    let growth = wasm_memory_bytes() - before;
    // The Desk remembers the last 1,024 ended ids (tombstones, ~100 bytes
    // each); anything kept per call would pass this bound within 2,000.
    assert!(
        growth <= 1024.0 * 1024.0,
        "the wasm memory grew by {growth} bytes over {CALLS} calls"
    );
}

//! A refused change of the agent's state is shown in the header.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::{at, find, mount, text, tick};
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_gadget::i18n::{BackendFailure, FailureReport};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

// Bug: a refused setAgentState only reached the console; the agent clicked
// and nothing happened.
#[wasm_bindgen_test]
async fn a_refused_state_change_is_shown_in_the_agents_language() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=agent007&lang=de");
    tick().await;
    assert!(find(&widget, "agent-notice").is_none());

    store.agent_notice.set(Some(FailureReport::new(
        BackendFailure::AgentStateRefused,
        Some("409: agent is in a call".to_owned()),
    )));
    tick().await;
    assert_eq!(
        text(&widget, "agent-notice"),
        "Ihr Status konnte nicht geändert werden (409: agent is in a call)"
    );

    store.agent_notice.set(None);
    tick().await;
    assert!(find(&widget, "agent-notice").is_none());
}

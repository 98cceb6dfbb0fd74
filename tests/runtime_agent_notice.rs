//! A refused change of the agent's state is shown in the header, until it
//! no longer holds.
#![cfg(target_arch = "wasm32")]

mod cil_support;
mod components_support;

use cil_support::{bridge_in_wrapup, request};
use components_support::{agent_state, at, find, mount, text, tick};
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::AgentState;
use wrapup_gadget::i18n::{BackendFailure, FailureReport};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

fn refused() -> Option<FailureReport> {
    Some(FailureReport::new(
        BackendFailure::AgentStateRefused,
        Some("409: agent is in a call".to_owned()),
    ))
}

// Bug: a refused setAgentState only reached the console; the agent clicked
// and nothing happened.
#[wasm_bindgen_test]
async fn a_refused_state_change_is_shown_in_the_agents_language() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=agent007&lang=de");
    tick().await;
    assert!(find(&widget, "agent-notice").is_none());

    store.agent_notice.set(refused());
    tick().await;
    assert_eq!(
        text(&widget, "agent-notice"),
        "Ihr Status konnte nicht geändert werden (409: agent is in a call)"
    );

    store.agent_notice.set(None);
    tick().await;
    assert!(find(&widget, "agent-notice").is_none());
}

// Bug: the refusal stayed on screen after the state changed from elsewhere
// (a supervisor, the phone, an integrator), telling the agent of a state
// they were no longer in.
#[wasm_bindgen_test]
async fn a_refusal_goes_when_a_new_state_is_told_not_when_the_state_is_repeated() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=agent007");
    store.dispatch(agent_state(AgentState::Ready, None, at(0)));
    store.agent_notice.set(refused());
    tick().await;

    // A repeat (a replay after a reconnection) or an older state is no news.
    store.dispatch(agent_state(AgentState::Ready, None, at(0)));
    store.dispatch(agent_state(AgentState::NotReady, None, at(-5)));
    tick().await;
    assert!(find(&widget, "agent-notice").is_some());

    store.dispatch(agent_state(AgentState::NotReady, Some("Break"), at(5)));
    tick().await;
    assert!(find(&widget, "agent-notice").is_none());

    // A sign-in the server did not accept still holds.
    let not_signed_in = FailureReport::new(BackendFailure::NotSignedIn, None);
    store.agent_notice.set(Some(not_signed_in.clone()));
    store.dispatch(agent_state(AgentState::Ready, None, at(9)));
    assert_eq!(store.agent_notice.get_untracked(), Some(not_signed_in));
}

// Bug: an integrator's change of state the CTI system accepted left the
// refusal of the agent's own on screen (during calls the CTI system tells
// the new state only when they are over).
#[wasm_bindgen_test]
async fn a_refusal_goes_when_the_cti_system_accepts_an_integrators_change() {
    let (store, bridge, _cti, _heard, _) = bridge_in_wrapup();
    store.agent_notice.set(refused());
    // The fake CTI system refuses reason code 999.
    request(
        1,
        json!({ "request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "999" }),
    );
    tick().await;
    assert!(store.agent_notice.get_untracked().is_some());
    request(
        2,
        json!({ "request": "setAgentState", "channelId": "voice", "state": "NotReady", "reasonCode": "2" }),
    );
    tick().await;
    assert_eq!(store.agent_notice.get_untracked(), None);
    bridge.close();
}

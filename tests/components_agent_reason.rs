//! While Not ready, the agent changes the reason (from Break to Meeting):
//! the header's picker shows the reason they have, and a button asks the
//! CTI system for the one picked.
#![cfg(target_arch = "wasm32")]

mod components_support;

use chrono::{DateTime, Utc};
use components_support::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{
    AgentState, AgentStateChange, ChannelType, CilEvent, CilRequest, ReasonCode, ReasonCodeEntry,
};
use wrapup_core::desk::Input;
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

/// The agent is Not ready with reason `code` (`label`) since `since`.
fn not_ready(code: i64, label: &str, since: DateTime<Utc>) -> Input {
    Input::Cti(CilEvent::AgentStateChange(AgentStateChange {
        channel_type: Some(ChannelType::Voice),
        channel_id: Some("voice_5000".to_owned()),
        new_state: AgentState::NotReady,
        new_reason_code: Some(ReasonCode(code)),
        new_reason_code_label: Some(label.to_owned()),
        new_state_change_time: Some(since),
        ..AgentStateChange::default()
    }))
}

fn picker(widget: &web_sys::HtmlElement) -> web_sys::HtmlSelectElement {
    get(widget, "not-ready-reason").unchecked_into()
}

/// Picks reason `id`, as the agent does.
fn pick(widget: &web_sys::HtmlElement, id: &str) {
    let picker = picker(widget);
    picker.set_value(id);
    picker
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn change_shown(widget: &web_sys::HtmlElement) -> bool {
    !get(widget, "agent-reason-change").has_attribute("hidden")
}

// Bug: the reason picker was offered only on the way from Ready to Not
// ready; an agent on a break could not say they went to a meeting.
#[wasm_bindgen_test]
async fn while_not_ready_the_agent_changes_the_reason() {
    let store = DeskStore::new(at(0));
    store.not_ready_reasons.set(
        [("1", "Pause"), ("2", "Mittag"), ("3", "Besprechung")]
            .map(|(id, label)| ReasonCodeEntry {
                label: label.to_owned(),
                id: id.to_owned(),
            })
            .to_vec(),
    );
    let widget = mount(store, "?agent=a1&lang=de");
    store.dispatch(not_ready(1, "Pause", at(0)));
    tick().await;
    assert!(!get(&widget, "not-ready-reason").has_attribute("hidden"));
    assert_eq!(picker(&widget).value(), "1", "the reason the agent has");
    assert!(!change_shown(&widget), "nothing to change yet");

    pick(&widget, "3");
    tick().await;
    assert!(change_shown(&widget));
    assert_eq!(text(&widget, "agent-reason-change"), "Grund ändern");
    assert_eq!(text(&widget, "agent-state-toggle"), "Bereit melden");
    get(&widget, "agent-reason-change").click();
    let requests = store.take_unsent_requests();
    let [CilRequest::SetAgentState(request)] = requests.as_slice() else {
        panic!("one setAgentState: {requests:?}");
    };
    assert_eq!(request.channel_id, "voice_5000");
    assert_eq!(request.state, Some(AgentState::NotReady));
    assert_eq!(request.reason_code.as_deref(), Some("3"));

    store.dispatch(not_ready(3, "Besprechung", at(60)));
    tick().await;
    assert_eq!(text(&widget, "agent-reason"), "Besprechung");
    assert_eq!(picker(&widget).value(), "3");
    assert!(!change_shown(&widget));

    // A pick not asked for gives way to a change from elsewhere.
    pick(&widget, "2");
    tick().await;
    assert!(change_shown(&widget));
    store.dispatch(not_ready(1, "Pause", at(90)));
    tick().await;
    assert_eq!(picker(&widget).value(), "1");
    assert!(!change_shown(&widget));

    // No reason is a reason too; Ready goes without one.
    pick(&widget, "");
    tick().await;
    get(&widget, "agent-reason-change").click();
    get(&widget, "agent-state-toggle").click();
    let requests = store.take_unsent_requests();
    let [
        CilRequest::SetAgentState(none),
        CilRequest::SetAgentState(ready),
    ] = requests.as_slice()
    else {
        panic!("two setAgentState: {requests:?}");
    };
    assert_eq!(
        (none.state.clone(), none.reason_code.as_deref()),
        (Some(AgentState::NotReady), None)
    );
    assert_eq!(
        (ready.state.clone(), ready.reason_code.as_deref()),
        (Some(AgentState::Ready), None)
    );
}

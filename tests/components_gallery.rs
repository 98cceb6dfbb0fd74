//! Every state the agent sees, side by side in one page with the real
//! stylesheet: idle, ringing, active (talking and a consultation on hold) and
//! wrap-up. The test checks each state renders; run in an interactive browser
//! (`NO_HEADLESS=1`) the page is what the screenshots are taken from.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{
    AgentState, Classification, Direction, ReasonCodeEntry, WorkitemEventKind, WorkitemState,
};
use wrapup_core::desk::{AgentAction, Input, NotesLimit};
use wrapup_gadget::store::{Connection, DeskStore};

wasm_bindgen_test_configure!(run_in_browser);

/// Adds the widget's stylesheet to the page once.
fn add_stylesheet() {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.get_element_by_id("wg-gallery-style").is_some() {
        return;
    }
    let style = document.create_element("style").unwrap();
    style.set_id("wg-gallery-style");
    style.set_text_content(Some(include_str!("../style/widget.css")));
    document.head().unwrap().append_child(&style).unwrap();
}

/// Mounts `store` in a 380 px wide frame named `state`.
fn frame(store: DeskStore, state: &str) -> web_sys::HtmlElement {
    add_stylesheet();
    let widget = mount(store, "?agent=agent007");
    widget.set_attribute("data-preview", state).unwrap();
    widget
        .set_attribute(
            "style",
            "width: 380px; margin: 8px; outline: 1px dashed #8888",
        )
        .unwrap();
    widget
}

fn live_store() -> DeskStore {
    let store = DeskStore::new(at(0));
    store.connection.set(Connection::Live);
    store.not_ready_reasons.set(vec![ReasonCodeEntry {
        label: "Break".to_owned(),
        id: "7".to_owned(),
    }]);
    store.dispatch(agent_state(AgentState::Ready, None, at(-300)));
    store
}

fn customer(id: &str, state: WorkitemState) -> wrapup_core::bs::Workitem {
    wrapup_core::bs::Workitem {
        direction: Some(Direction::Incoming),
        classification: Some(Classification::Customer),
        connected_at: (state != WorkitemState::Offered).then(|| at(-95)),
        ..workitem(id, state)
    }
}

#[wasm_bindgen_test]
async fn every_state_renders() {
    let idle = frame(live_store(), "idle");

    let ringing_store = live_store();
    ringing_store.dispatch(cti(
        WorkitemEventKind::Create,
        customer("1", WorkitemState::Offered),
    ));
    let ringing = frame(ringing_store, "ringing");

    let active_store = live_store();
    active_store.dispatch(agent_state(AgentState::Active, None, at(-95)));
    active_store.dispatch(cti(
        WorkitemEventKind::Connect,
        customer("1", WorkitemState::Active),
    ));
    let consultation = wrapup_core::bs::Workitem {
        classification: Some(Classification::Consultation),
        direction: Some(Direction::Outgoing),
        ani: Some("2001".to_owned()),
        ..customer("2", WorkitemState::Paused)
    };
    active_store.dispatch(cti(WorkitemEventKind::Connect, consultation));
    let active = frame(active_store, "active");

    let mut with_limit = configuration(Some(120));
    with_limit.notes_limit = Some(NotesLimit::SERVICENOW);
    let wrapup_store = store_in_wrapup("1", with_limit);
    wrapup_store.connection.set(Connection::Live);
    wrapup_store.dispatch(agent_state(AgentState::Wrapup, None, at(0)));
    wrapup_store.dispatch(Input::Agent(AgentAction::SelectCode {
        workitem_id: "1".to_owned(),
        code: "Sales".to_owned(),
    }));
    wrapup_store.dispatch(Input::Agent(AgentAction::EditNotes {
        workitem_id: "1".to_owned(),
        notes: "Customer asked for the new tariff; offer sent by e-mail.".to_owned(),
    }));
    let wrapup = frame(wrapup_store, "wrapup");
    wrapup_store.set_now(at(75));

    let mut required = configuration(Some(60));
    required.default_code = None;
    let urgent_store = store_in_wrapup("1", required);
    urgent_store.caught_up.set(true);
    urgent_store.connection.set(Connection::Reconnecting(2));
    let urgent = frame(urgent_store, "wrapup-urgent");
    urgent_store.set_now(at(52));
    tick().await;

    assert!(find(&idle, "idle").is_some());
    assert_eq!(text(&ringing, "workitem-state"), "Ringing");
    assert_eq!(texts(&active, "workitem-card").len(), 2);
    assert_eq!(
        get(&wrapup, "countdown")
            .get_attribute("data-band")
            .as_deref(),
        Some("yellow")
    );
    assert_eq!(
        get(&urgent, "countdown")
            .get_attribute("data-band")
            .as_deref(),
        Some("orange")
    );
}

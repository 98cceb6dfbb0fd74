//! The agent header: the agent's state, the time in it, and the Ready /
//! Not ready switch with its reasons, also chosen during a call for after it.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{AgentState, CilRequest, ReasonCodeEntry};
use wrapup_gadget::store::{DeskStore, NotReadyAfterCalls};

wasm_bindgen_test_configure!(run_in_browser);

/// Chooses the not-ready reason `id` in the header's picker, as the agent does.
fn choose_reason(widget: &web_sys::HtmlElement, id: &str) {
    let picker: web_sys::HtmlSelectElement =
        wasm_bindgen::JsCast::unchecked_into(get(widget, "not-ready-reason"));
    picker.set_value(id);
    picker
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_header_shows_the_state_and_switches_it_with_a_reason() {
    let store = DeskStore::new(at(0));
    store.not_ready_reasons.set(vec![
        ReasonCodeEntry {
            label: "Break".to_owned(),
            id: "7".to_owned(),
        },
        ReasonCodeEntry {
            label: "Training".to_owned(),
            id: "9".to_owned(),
        },
    ]);
    let widget = mount(store, "?agent=a1");
    store.dispatch(agent_state(AgentState::Ready, None, at(0)));
    store.set_now(at(125));
    tick().await;
    assert_eq!(text(&widget, "agent-state-name"), "Ready");
    assert!(text(&widget, "agent-time-in-state").ends_with("2:05"));
    assert_eq!(text(&widget, "agent-state-toggle"), "Go not ready");
    // With no reason picked, "No reason" is the option marked selected.
    let options = get(&widget, "not-ready-reason")
        .query_selector_all("option")
        .unwrap();
    let marked: Vec<bool> = (0..options.length())
        .filter_map(|index| options.item(index))
        .map(|option| {
            wasm_bindgen::JsCast::unchecked_into::<web_sys::Element>(option)
                .has_attribute("selected")
        })
        .collect();
    assert_eq!(marked, [true, false, false]);
    choose_reason(&widget, "9");
    get(&widget, "agent-state-toggle").click();
    let requests = store.take_unsent_requests();
    let [CilRequest::SetAgentState(request)] = requests.as_slice() else {
        panic!("one setAgentState: {requests:?}");
    };
    assert_eq!(request.channel_id, "voice_5000");
    assert_eq!(request.state, Some(AgentState::NotReady));
    assert_eq!(request.reason_code.as_deref(), Some("9"));

    store.dispatch(agent_state(AgentState::NotReady, Some("Training"), at(130)));
    tick().await;
    assert_eq!(text(&widget, "agent-state-name"), "Not ready");
    assert_eq!(text(&widget, "agent-reason"), "Training");
    get(&widget, "agent-state-toggle").click();
    let requests = store.take_unsent_requests();
    assert!(
        matches!(requests.as_slice(), [CilRequest::SetAgentState(request)] if request.state == Some(AgentState::Ready))
    );
}

/// `at` as the browser itself writes a clock time in `language`.
fn browser_clock_time(at: chrono::DateTime<chrono::Utc>, language: &str) -> String {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into()).unwrap();
    js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into()).unwrap();
    js_sys::Date::new(&(at.timestamp_millis() as f64).into())
        .to_locale_time_string_with_options(language, &options)
        .into()
}

#[wasm_bindgen_test]
async fn the_time_the_state_began_reads_in_each_widget_s_language() {
    // The formatter is made once per language and kept: an English and a
    // German widget on one page must each keep their own.
    let english = DeskStore::new(at(0));
    let german = DeskStore::new(at(0));
    let en = mount(english, "?agent=a1");
    let de = mount(german, "?agent=a1&lang=de");
    for (store, since) in [(english, at(0)), (german, at(3_600))] {
        store.dispatch(agent_state(AgentState::Ready, None, since));
    }
    tick().await;
    let title = |widget| get(widget, "agent-time-in-state").get_attribute("title");
    let english_time = browser_clock_time(at(0), "en");
    let german_time = browser_clock_time(at(3_600), "de");
    assert_ne!(english_time, german_time);
    assert_eq!(title(&en), Some(format!("since {english_time}")));
    assert_eq!(title(&de), Some(format!("seit {german_time}")));
    english.dispatch(agent_state(AgentState::NotReady, None, at(3_600)));
    tick().await;
    let later = browser_clock_time(at(3_600), "en");
    assert_eq!(title(&en), Some(format!("since {later}")));
}

#[wasm_bindgen_test]
async fn during_a_call_the_agent_chooses_not_ready_for_after_it() {
    let store = DeskStore::new(at(0));
    store.not_ready_reasons.set(vec![ReasonCodeEntry {
        label: "Lunch".to_owned(),
        id: "2".to_owned(),
    }]);
    let widget = mount(store, "?agent=a1");
    store.dispatch(agent_state(AgentState::Active, None, at(0)));
    tick().await;
    assert_eq!(text(&widget, "agent-state-name"), "On a call");
    assert_eq!(
        text(&widget, "agent-state-toggle"),
        "Not ready after the call"
    );
    assert!(find(&widget, "agent-next").is_none());
    choose_reason(&widget, "2");
    get(&widget, "agent-state-toggle").click();
    let requests = store.take_unsent_requests();
    let [CilRequest::SetAgentState(request)] = requests.as_slice() else {
        panic!("one setAgentState: {requests:?}");
    };
    assert_eq!(request.state, Some(AgentState::NotReady));
    assert_eq!(request.reason_code.as_deref(), Some("2"));
    tick().await;
    assert!(store.take_unsent_requests().is_empty(), "asked once");
    // The CTI system applies it when the calls are over and tells nothing
    // before: the header says what comes, and it can be taken back.
    assert_eq!(
        text(&widget, "agent-next"),
        "After the call: Not ready · Lunch"
    );
    assert_eq!(text(&widget, "agent-state-toggle"), "Ready after the call");
    assert!(get(&widget, "not-ready-reason").has_attribute("hidden"));
    store.dispatch(agent_state(AgentState::Wrapup, None, at(60)));
    tick().await;
    assert_eq!(
        text(&widget, "agent-next"),
        "After the call: Not ready · Lunch"
    );

    get(&widget, "agent-state-toggle").click();
    let requests = store.take_unsent_requests();
    assert!(
        matches!(requests.as_slice(), [CilRequest::SetAgentState(request)]
            if request.state == Some(AgentState::Ready) && request.reason_code.is_none())
    );
    tick().await;
    assert!(find(&widget, "agent-next").is_none());
    assert_eq!(
        text(&widget, "agent-state-toggle"),
        "Not ready after the call"
    );

    get(&widget, "agent-state-toggle").click();
    store.take_unsent_requests();
    tick().await;
    assert!(find(&widget, "agent-next").is_some());
    // The calls are over: the state is the CTI system's news again.
    store.dispatch(agent_state(AgentState::NotReady, Some("Lunch"), at(90)));
    tick().await;
    assert!(find(&widget, "agent-next").is_none());
    assert_eq!(text(&widget, "agent-state-toggle"), "Go ready");
}

#[wasm_bindgen_test]
async fn a_choice_for_after_the_calls_restored_by_a_reload_waits_for_the_state_and_is_asked_again()
{
    // After a reload the runtime restores the choice before the CTI system
    // has told the state: an unknown state does not end it.
    let store = DeskStore::new(at(0));
    store.not_ready_after_calls.set(Some(NotReadyAfterCalls {
        reason_label: Some("Lunch".to_owned()),
        reason_code: Some("2".to_owned()),
        asked: false,
    }));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(
        text(&widget, "agent-next"),
        "After the call: Not ready · Lunch"
    );
    assert!(
        store.take_unsent_requests().is_empty(),
        "not before the state is known"
    );
    store.dispatch(agent_state(AgentState::Active, None, at(0)));
    tick().await;
    assert_eq!(text(&widget, "agent-state-toggle"), "Ready after the call");
    assert!(find(&widget, "agent-next").is_some());
    // The reload may have cut the first request short: the calls go on, so
    // the choice is asked for again, once.
    let requests = store.take_unsent_requests();
    let [CilRequest::SetAgentState(request)] = requests.as_slice() else {
        panic!("one setAgentState: {requests:?}");
    };
    assert_eq!(request.state, Some(AgentState::NotReady));
    assert_eq!(request.reason_code.as_deref(), Some("2"));
    store.dispatch(agent_state(AgentState::Wrapup, None, at(60)));
    tick().await;
    assert!(store.take_unsent_requests().is_empty(), "asked once");
    // The calls were over by the time the state is known.
    store.dispatch(agent_state(AgentState::NotReady, Some("Lunch"), at(90)));
    tick().await;
    assert!(find(&widget, "agent-next").is_none());
    assert_eq!(store.not_ready_after_calls.get_untracked(), None);
}

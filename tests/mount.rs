//! The widget mounts in a real browser and renders the agent's idle state.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_gadget::App;
use wrapup_gadget::config::Config;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the widget with `query` as its URL query into a fresh container and
/// returns that container.
fn mount_with_query(query: &str) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let config = Config::from_query(query);
    // The handle unmounts on drop; the test inspects the DOM after this returns.
    std::mem::forget(leptos::mount::mount_to(container.clone(), move || {
        view! { <App config=config.clone()/> }
    }));
    container
}

fn text_of(container: &web_sys::HtmlElement, test_id: &str) -> Option<String> {
    container
        .query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .and_then(|element| element.text_content())
}

#[wasm_bindgen_test]
fn renders_the_idle_state_for_the_configured_agent() {
    let container = mount_with_query("?agent=123412345678567890ab90abcdefcdef");
    assert_eq!(
        text_of(&container, "agent-id").as_deref(),
        Some("123412345678567890ab90abcdefcdef")
    );
    assert_eq!(
        text_of(&container, "idle").as_deref(),
        Some("No active calls")
    );
    assert_eq!(text_of(&container, "no-agent"), None);
}

#[wasm_bindgen_test]
fn renders_in_german_when_asked() {
    let container = mount_with_query("?agent=a1&lang=de");
    assert_eq!(
        text_of(&container, "idle").as_deref(),
        Some("Keine aktiven Anrufe")
    );
}

#[wasm_bindgen_test]
fn tells_the_user_how_to_configure_a_missing_agent() {
    let container = mount_with_query("");
    let notice = text_of(&container, "no-agent").unwrap();
    assert!(
        notice.contains("?agent="),
        "notice names the parameter: {notice}"
    );
}

// Bug: `?backend=sap` was taken for ServiceNow, where the wrap-ups then went.
#[wasm_bindgen_test]
fn an_unknown_backend_is_named_with_the_accepted_ones_and_no_desk_is_shown() {
    let container = mount_with_query("?agent=a1&backend=sap&lang=de");
    let notice = text_of(&container, "config-error").expect("a configuration error");
    assert_eq!(
        notice,
        "Das Widget ist falsch eingerichtet: Seine Einstellung backend ist weder servicenow noch \
         genesys. Es folgt keinen Anrufen und sendet keine Nachbearbeitungen, bis Ihr \
         Administrator das korrigiert."
    );
    assert_eq!(text_of(&container, "agent-state"), None);
    assert_eq!(text_of(&container, "idle"), None, "it follows no calls");
    let known = mount_with_query("?agent=a1&backend=Genesys");
    assert_eq!(text_of(&known, "config-error"), None);
}

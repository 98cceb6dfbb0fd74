//! Helpers shared by the component tests: a real `DeskStore` driven by CTI
//! events and backend answers, an injected clock, and DOM queries by test id.
#![allow(dead_code, reason = "each test file uses a different part")]

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wrapup_core::bs::{CtiData, Workitem, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{BackendAnswer, Input, WrapupCode, WrapupConfig};
use wrapup_gadget::App;
use wrapup_gadget::config::Config;
use wrapup_gadget::store::DeskStore;

/// `seconds` after a fixed instant (the ServiceNow spec's `opened_on`).
pub fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_726_509_121, 0).unwrap() + TimeDelta::seconds(seconds)
}

/// `milliseconds` after [`at`]`(0)`.
pub fn at_ms(milliseconds: i64) -> DateTime<Utc> {
    at(0) + TimeDelta::milliseconds(milliseconds)
}

/// Lets Leptos run its effects and re-render.
pub async fn tick() {
    // Twice: an effect run by the first tick may schedule a render.
    leptos::task::tick().await;
    leptos::task::tick().await;
}

/// Lets the browser run a task of its own (`setTimeout(0)`). `tick` only
/// runs microtasks: a test that loops over thousands of them without this
/// holds the page, and the test runner's WebDriver calls, which wait for it,
/// time out after 20 s.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback(&resolve)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("setTimeout resolves");
}

/// A workitem as the CTI simulator sends it.
pub fn workitem(id: &str, state: WorkitemState) -> Workitem {
    Workitem {
        agent_id: Some("agent007".to_owned()),
        ani: Some("+41 44 555 12 34".to_owned()),
        channel_id: Some("voice_5000".to_owned()),
        cti_data: Some(CtiData {
            queue_name: Some("Billing".to_owned()),
            ..CtiData::default()
        }),
        ..Workitem::new(id, state)
    }
}

pub fn cti(kind: WorkitemEventKind, workitem: Workitem) -> Input {
    Input::Cti(kind.event(workitem))
}

/// Four codes as the backend sends them for an English-speaking agent.
pub fn codes() -> Vec<WrapupCode> {
    ["Billing Issue", "Sales", "Technical Support", "Complaint"]
        .map(WrapupCode::new)
        .to_vec()
}

/// The same codes for a German-speaking agent: the backend translated two.
pub fn german_codes() -> Vec<WrapupCode> {
    vec![
        WrapupCode::translated("Billing Issue", "Abrechnungsproblem"),
        WrapupCode::translated("Sales", "Vertrieb"),
        WrapupCode::new("Technical Support"),
        WrapupCode::new("Complaint"),
    ]
}

/// Codes required, "Billing Issue" the default, `duration` seconds to wrap up.
pub fn configuration(duration: Option<i64>) -> WrapupConfig {
    WrapupConfig {
        allowed_codes: codes(),
        default_code: Some("Billing Issue".to_owned()),
        enable_codes: true,
        duration: duration.map(TimeDelta::seconds),
        notes_limit: None,
        custom_codes_allowed: false,
    }
}

/// A store whose workitem `id` rang, was answered and is in wrap-up since
/// `at(0)`, its segment opened with `configuration` at `at(0)`.
pub fn store_in_wrapup(id: &str, configuration: WrapupConfig) -> DeskStore {
    let store = DeskStore::new(at(0));
    open_wrapup(store, id, configuration, at(0));
    store
}

/// Takes workitem `id` through a call into a wrap-up whose segment opened on `opened_on`.
pub fn open_wrapup(
    store: DeskStore,
    id: &str,
    configuration: WrapupConfig,
    opened_on: DateTime<Utc>,
) {
    for (kind, state) in [
        (WorkitemEventKind::Create, WorkitemState::Offered),
        (WorkitemEventKind::Connect, WorkitemState::Active),
        (WorkitemEventKind::Wrapup, WorkitemState::Wrapup),
    ] {
        store.dispatch(cti(kind, workitem(id, state)));
    }
    store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
        workitem_id: id.to_owned(),
        segment_id: Some(format!("segment-{id}")),
        configuration,
        opened_on,
    }));
}

/// Mounts the widget for `store` with `query` as its URL query into a fresh
/// container, and returns the container.
pub fn mount(store: DeskStore, query: &str) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let config = Config::from_query(query);
    // The handle unmounts on drop; the test inspects the DOM after this returns.
    std::mem::forget(leptos::mount::mount_to(container.clone(), move || {
        view! { <App config=config.clone() store=store/> }
    }));
    container
}

pub fn find(container: &web_sys::HtmlElement, test_id: &str) -> Option<web_sys::HtmlElement> {
    container
        .query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .map(JsCast::unchecked_into)
}

pub fn get(container: &web_sys::HtmlElement, test_id: &str) -> web_sys::HtmlElement {
    find(container, test_id).unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
}

pub fn text(container: &web_sys::HtmlElement, test_id: &str) -> String {
    get(container, test_id).text_content().unwrap_or_default()
}

pub fn texts(container: &web_sys::HtmlElement, test_id: &str) -> Vec<String> {
    let found = container
        .query_selector_all(&format!("[data-testid='{test_id}']"))
        .unwrap();
    (0..found.length())
        .filter_map(|index| found.item(index)?.text_content())
        .collect()
}

/// The code of the option the picker's listbox marks selected.
pub fn selected_option(container: &web_sys::HtmlElement) -> Option<String> {
    container
        .query_selector("[data-testid='code-option'][aria-selected='true']")
        .unwrap()?
        .get_attribute("data-code")
}

/// The code of the option `aria-activedescendant` points at.
pub fn active_option(container: &web_sys::HtmlElement) -> Option<String> {
    let listbox = get(container, "code-listbox");
    let id = listbox.get_attribute("aria-activedescendant")?;
    container
        .query_selector(&format!("#{id}"))
        .unwrap()?
        .get_attribute("data-code")
}

/// Presses `key` on `target` (bubbling, cancelable), with Ctrl if asked.
pub fn press(target: &web_sys::HtmlElement, key: &str, ctrl: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

pub fn is_disabled(element: &web_sys::HtmlElement) -> bool {
    element.has_attribute("disabled")
}

/// Types `value` into a text field the way a browser reports it: the new
/// value, then an `input` event.
pub fn type_into(field: &web_sys::HtmlElement, value: &str) {
    if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        field
            .unchecked_ref::<web_sys::HtmlInputElement>()
            .set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&event).unwrap();
}

/// Pastes `text` at the end of `area`; returns whether the browser may
/// insert it itself (the event was not cancelled).
pub fn paste_at_end(area: &web_sys::HtmlElement, text: &str) -> bool {
    let area: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
    let end = area.value().encode_utf16().count() as u32;
    area.set_selection_range(end, end).unwrap();
    let data = web_sys::DataTransfer::new().unwrap();
    data.set_data("text", text).unwrap();
    let init = web_sys::ClipboardEventInit::new();
    init.set_clipboard_data(Some(&data));
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    area.dispatch_event(&event).unwrap()
}

/// The workitems a hook of the widget was called for, in order.
pub type Recorded = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Mounts the widget with a Retry hook that records the workitems retried.
pub fn mount_with_retry(store: DeskStore, query: &str) -> (web_sys::HtmlElement, Recorded) {
    let (container, retried, _) = mount_with_outbox_hooks(store, query);
    (container, retried)
}

/// Mounts the widget with the runtime's outbox hooks (Retry, and Discard of
/// a refused wrap-up no panel shows), which record the workitems they were
/// called for: retried, discarded.
pub fn mount_with_outbox_hooks(
    store: DeskStore,
    query: &str,
) -> (web_sys::HtmlElement, Recorded, Recorded) {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let config = Config::from_query(query);
    let recorder = || {
        let recorded = Recorded::default();
        let record = std::sync::Arc::clone(&recorded);
        let hook =
            Callback::new(move |workitem_id: String| record.lock().unwrap().push(workitem_id));
        (recorded, hook)
    };
    let (retried, retry) = recorder();
    let (discarded, discard) = recorder();
    std::mem::forget(leptos::mount::mount_to(container.clone(), move || {
        view! { <App config=config.clone() store=store retry_submission=retry discard_refused=discard/> }
    }));
    (container, retried, discarded)
}

/// The agent's voice channel changed to `state` at `changed_at`.
pub fn agent_state(
    state: wrapup_core::bs::AgentState,
    reason: Option<&str>,
    changed_at: DateTime<Utc>,
) -> Input {
    Input::Cti(wrapup_core::bs::CilEvent::AgentStateChange(
        wrapup_core::bs::AgentStateChange {
            channel_type: Some(wrapup_core::bs::ChannelType::Voice),
            channel_id: Some("voice_5000".to_owned()),
            new_state: state,
            new_reason_code: reason.map(|_| wrapup_core::bs::ReasonCode(7)),
            new_reason_code_label: reason.map(str::to_owned),
            new_state_change_time: Some(changed_at),
            ..Default::default()
        },
    ))
}

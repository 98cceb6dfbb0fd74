//! The wrap-up code picker from the keyboard: default preselected, arrows and
//! Enter, digit shortcuts, type-to-filter, a required code, a custom code.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::SetWrapupReason;
use wrapup_core::desk::{Effect, Input, IntegratorRequest, WrapupCode};

wasm_bindgen_test_configure!(run_in_browser);

fn shown_codes(widget: &web_sys::HtmlElement) -> Vec<String> {
    let found = widget
        .query_selector_all("[data-testid='code-option']")
        .unwrap();
    (0..found.length())
        .filter_map(|index| {
            wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(found.item(index)?)
                .ok()?
                .get_attribute("data-code")
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_default_code_is_preselected_and_arrows_with_enter_choose() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("Billing Issue"));
    assert_eq!(active_option(&widget).as_deref(), Some("Billing Issue"));
    let listbox = get(&widget, "code-listbox");
    listbox.focus().unwrap();
    press(&listbox, "ArrowDown", false);
    press(&listbox, "ArrowDown", false);
    tick().await;
    assert_eq!(active_option(&widget).as_deref(), Some("Technical Support"));
    assert_eq!(
        selected_option(&widget).as_deref(),
        Some("Billing Issue"),
        "arrows only move"
    );
    press(&listbox, "ArrowUp", false);
    press(&listbox, "Enter", false);
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("Sales"));
    assert_eq!(
        store
            .desk
            .with_untracked(|desk| desk
                .session("1")
                .unwrap()
                .selected_code()
                .map(str::to_owned))
            .as_deref(),
        Some("Sales")
    );
    press(&listbox, "End", false);
    tick().await;
    assert_eq!(active_option(&widget).as_deref(), Some("Complaint"));
}

#[wasm_bindgen_test]
async fn digits_pick_the_first_nine_codes() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    let listbox = get(&widget, "code-listbox");
    press(&listbox, "3", false);
    tick().await;
    assert_eq!(
        selected_option(&widget).as_deref(),
        Some("Technical Support")
    );
    press(&listbox, "9", false);
    tick().await;
    assert_eq!(
        selected_option(&widget).as_deref(),
        Some("Technical Support"),
        "no ninth code"
    );
    assert_eq!(
        texts(&widget, "code-option")[1].chars().next(),
        Some('2'),
        "the shortcut is shown"
    );
}

#[wasm_bindgen_test]
async fn typing_filters_the_codes_in_the_list_and_in_the_filter_field() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    let listbox = get(&widget, "code-listbox");
    for key in ["c", "O", "m"] {
        press(&listbox, key, false);
    }
    tick().await;
    assert_eq!(shown_codes(&widget), ["Complaint"]);
    let filter: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(get(&widget, "code-filter"));
    assert_eq!(filter.value(), "cOm");
    press(&listbox, "Enter", false);
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("Complaint"));
    press(&listbox, "Escape", false);
    tick().await;
    assert_eq!(shown_codes(&widget).len(), 4, "Escape clears the filter");

    let filter = get(&widget, "code-filter");
    type_into(&filter, "s");
    tick().await;
    assert_eq!(
        shown_codes(&widget),
        ["Billing Issue", "Sales", "Technical Support"]
    );
    press(&filter, "ArrowDown", false);
    press(&filter, "Enter", false);
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("Sales"));
    type_into(&filter, "zzz");
    tick().await;
    assert!(shown_codes(&widget).is_empty());
    assert_eq!(text(&widget, "code-none"), "No code matches");
}

#[wasm_bindgen_test]
async fn the_filter_ignores_case_beyond_ascii() {
    let mut german = configuration(Some(120));
    german.allowed_codes.push(WrapupCode {
        code: "Handover".to_owned(),
        translated_label: Some("Übergabe".to_owned()),
    });
    let store = store_in_wrapup("1", german);
    let widget = mount(store, "?agent=a1");
    tick().await;
    let filter = get(&widget, "code-filter");
    type_into(&filter, "üBER");
    tick().await;
    assert_eq!(shown_codes(&widget), ["Handover"]);
}

#[wasm_bindgen_test]
async fn a_required_code_blocks_submit_with_the_reason_shown() {
    let mut required = configuration(Some(120));
    required.default_code = None;
    let store = store_in_wrapup("1", required);
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.take_unhandled_effects();
    assert_eq!(selected_option(&widget), None);
    let submit = get(&widget, "submit");
    assert!(is_disabled(&submit));
    assert_eq!(
        text(&widget, "submit-blocked-reason"),
        "Choose a wrap-up code to submit."
    );
    let reason_id = get(&widget, "submit-blocked-reason").id();
    assert_eq!(submit.get_attribute("aria-describedby"), Some(reason_id));
    // Ctrl+Enter still asks the Desk, which refuses in words.
    press(&get(&widget, "notes-input"), "Enter", true);
    tick().await;
    assert_eq!(
        texts(&widget, "notice"),
        ["Choose a wrap-up code before submitting."]
    );
    press(&get(&widget, "code-listbox"), "2", false);
    tick().await;
    assert!(!is_disabled(&get(&widget, "submit")));
    assert!(find(&widget, "submit-blocked-reason").is_none());
    assert!(
        texts(&widget, "notice").is_empty(),
        "a new action clears old notices"
    );
    press(&get(&widget, "notes-input"), "Enter", true);
    tick().await;
    let submitted = store
        .take_unhandled_effects()
        .into_iter()
        .find_map(|effect| match effect {
            Effect::SubmitWrapup(submission) => Some(submission),
            _ => None,
        });
    assert_eq!(submitted.and_then(|s| s.code).as_deref(), Some("Sales"));
    assert_eq!(
        get(&widget, "submission-state")
            .get_attribute("data-state")
            .as_deref(),
        Some("saving")
    );
}

#[wasm_bindgen_test]
async fn a_reason_set_by_an_integrator_appears_selected() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.dispatch(Input::Integrator(IntegratorRequest::SetWrapupReason(
        SetWrapupReason {
            channel_id: "voice".to_owned(),
            workitem_id: "1".to_owned(),
            wrap_up_reason: "Callback promised".to_owned(),
            request_id: None,
        },
    )));
    tick().await;
    assert_eq!(
        selected_option(&widget).as_deref(),
        Some("Callback promised")
    );
    let first = &texts(&widget, "code-option")[0];
    assert!(
        first.contains("Callback promised") && first.contains("set by integration"),
        "{first}"
    );
    // The backend takes no custom codes: the agent is told what is saved.
    assert_eq!(
        text(&widget, "custom-code-note"),
        "This reason is saved at the start of the notes, with the code “Billing Issue”."
    );
    press(&get(&widget, "code-listbox"), "2", false);
    tick().await;
    assert!(
        find(&widget, "custom-code-note").is_none(),
        "an allowed code is saved as it is"
    );
}

#[wasm_bindgen_test]
async fn a_default_code_the_backend_did_not_list_is_shown_selected() {
    // Regression: a default code missing from `allowed_codes` was selected
    // but not among the options, so the agent could not see what would be sent.
    let mut unlisted = configuration(Some(120));
    unlisted.default_code = Some("General".to_owned());
    let store = store_in_wrapup("1", unlisted);
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("General"));
    assert_eq!(
        shown_codes(&widget),
        [
            "General",
            "Billing Issue",
            "Sales",
            "Technical Support",
            "Complaint"
        ]
    );
}

/// Whether `option` is wholly inside what `list` shows.
fn in_view(list: &web_sys::HtmlElement, option: &web_sys::Element) -> bool {
    let (shown, option) = (
        list.get_bounding_client_rect(),
        option.get_bounding_client_rect(),
    );
    option.top() >= shown.top() && option.bottom() <= shown.bottom()
}

// A list longer than it is high keeps the active option in view: the code
// preselected further down, and wherever the keyboard moves.
#[wasm_bindgen_test]
async fn the_list_keeps_the_active_option_in_view() {
    let mut many = configuration(Some(120));
    many.allowed_codes = (1..=12)
        .map(|number| WrapupCode::new(format!("Code {number}")))
        .collect();
    many.default_code = Some("Code 11".to_owned());
    let store = store_in_wrapup("1", many);
    let widget = mount(store, "?agent=a1");
    let listbox = get(&widget, "code-listbox");
    // The widget's style sheet is not loaded here: the list is made short.
    listbox.style().set_property("max-height", "5rem").unwrap();
    listbox.style().set_property("overflow-y", "auto").unwrap();
    tick().await;
    let option = |code: &str| {
        listbox
            .query_selector(&format!("[data-code='{code}']"))
            .unwrap()
            .unwrap()
    };
    assert!(listbox.scroll_height() > listbox.client_height() * 2);
    assert!(
        in_view(&listbox, &option("Code 11")),
        "the preselected code"
    );

    listbox.focus().unwrap();
    press(&listbox, "Home", false);
    tick().await;
    assert_eq!(listbox.scroll_top(), 0);
    assert!(in_view(&listbox, &option("Code 1")));
    for _ in 0..6 {
        press(&listbox, "ArrowDown", false);
    }
    tick().await;
    assert_eq!(active_option(&widget).as_deref(), Some("Code 7"));
    assert!(in_view(&listbox, &option("Code 7")));
    press(&listbox, "End", false);
    tick().await;
    assert!(in_view(&listbox, &option("Code 12")));
    assert!(!in_view(&listbox, &option("Code 1")));
}

// Space selects the active option as Enter does, unless the agent is typing
// a filter, where it is part of the words.
#[wasm_bindgen_test]
async fn space_selects_unless_a_filter_is_typed() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    let listbox = get(&widget, "code-listbox");
    listbox.focus().unwrap();
    press(&listbox, "ArrowDown", false);
    press(&listbox, " ", false);
    tick().await;
    assert_eq!(selected_option(&widget).as_deref(), Some("Sales"));
    assert_eq!(text_of_filter(&widget), "");

    for key in ["c", "a", "l", " ", "s"] {
        press(&listbox, key, false);
    }
    tick().await;
    assert_eq!(text_of_filter(&widget), "cal s");
    assert_eq!(shown_codes(&widget), ["Technical Support"]);
    let selected = store.desk.with_untracked(|desk| {
        desk.session("1")
            .and_then(|session| session.selected_code().map(str::to_owned))
    });
    assert_eq!(selected.as_deref(), Some("Sales"), "typed, not selected");
}

fn text_of_filter(widget: &web_sys::HtmlElement) -> String {
    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(get(widget, "code-filter"))
        .value()
}

//! Wrap-ups that were not saved stay on screen, with the agent's notes, after
//! the call ended, until the agent dismisses them (or, refused by the
//! backend, takes them back to change them); and the panel keeps showing who
//! the call was with.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{CrmRecord, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{AgentAction, BackendAnswer, Effect, Input};

wasm_bindgen_test_configure!(run_in_browser);

fn end(id: &str) -> Input {
    cti(WorkitemEventKind::End, workitem(id, WorkitemState::Ended))
}

fn notes_value(widget: &web_sys::HtmlElement) -> String {
    get(widget, "notes-input")
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
}

/// The `data-testid` of the element that has the focus.
fn focused_testid() -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())
        .and_then(|element| element.get_attribute("data-testid"))
        .unwrap_or_default()
}

fn discarded(store: wrapup_gadget::store::DeskStore) -> Vec<String> {
    store
        .take_unhandled_effects()
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::ForgetWrapup { workitem_id } => Some(workitem_id),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_failed_submission_stays_after_the_call_ends_until_dismissed() {
    // Regression: a failed wrap-up vanished when the workitem ended, taking
    // the notes, the failure and the Retry button with it.
    let store = store_in_wrapup("1", configuration(Some(120)));
    let (widget, retried) = mount_with_retry(store, "?agent=a1");
    tick().await;
    type_into(&get(&widget, "notes-input"), "Refund promised");
    get(&widget, "submit").click();
    store.dispatch(Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: "1".to_owned(),
        reason: "HTTP 400".to_owned(),
    }));
    store.dispatch(end("1"));
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_some());
    assert_eq!(text(&widget, "submission-failure"), "Reason: HTTP 400");
    assert_eq!(text(&widget, "wrapup-caller"), "+41 44 555 12 34");
    get(&widget, "retry-submission").click();
    assert_eq!(*retried.lock().unwrap(), ["1"]);
    store.take_unhandled_effects();
    assert_eq!(text(&widget, "dismiss-wrapup"), "Dismiss");
    get(&widget, "dismiss-wrapup").click();
    tick().await;
    assert!(
        text(&widget, "dismiss-wrapup-question").starts_with(
            "Discard this wrap-up? It is not saved, and its code and notes are deleted."
        )
    );
    assert!(discarded(store).is_empty(), "asked, not done");
    get(&widget, "dismiss-wrapup-confirm").click();
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_none());
    assert_eq!(discarded(store), ["1"]);
}

#[wasm_bindgen_test]
async fn an_expiry_without_a_code_stays_after_the_call_ends_until_dismissed() {
    // Regression: an End with codes required and no default made the panel
    // vanish in the same moment the agent was told to choose a code.
    let mut no_default = configuration(Some(120));
    no_default.default_code = None;
    let store = store_in_wrapup("1", no_default);
    let widget = mount(store, "?agent=a1&lang=de");
    tick().await;
    assert!(
        find(&widget, "dismiss-wrapup").is_none(),
        "an open wrap-up is submitted or cancelled, not dismissed"
    );
    type_into(&get(&widget, "notes-input"), "Rückruf Montag");
    store.dispatch(end("1"));
    tick().await;
    assert!(find(&widget, "wrapup-expired").is_some());
    assert_eq!(notes_value(&widget), "Rückruf Montag");
    assert_eq!(text(&widget, "wrapup-caller"), "+41 44 555 12 34");
    assert_eq!(text(&widget, "dismiss-wrapup"), "Verwerfen");
    store.take_unhandled_effects();
    get(&widget, "dismiss-wrapup").click();
    tick().await;
    assert_eq!(
        focused_testid(),
        "dismiss-wrapup-keep",
        "keeping takes the focus"
    );
    get(&widget, "dismiss-wrapup-keep").click();
    tick().await;
    assert_eq!(focused_testid(), "dismiss-wrapup", "and gives it back");
    assert!(discarded(store).is_empty());
    get(&widget, "dismiss-wrapup").click();
    tick().await;
    get(&widget, "dismiss-wrapup-confirm").click();
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_none());
    assert_eq!(discarded(store), ["1"]);
    assert!(find(&widget, "idle").is_some());
}

#[wasm_bindgen_test]
async fn a_refused_submission_comes_back_to_the_form_to_be_changed_a_retried_one_does_not() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let (widget, _retried) = mount_with_retry(store, "?agent=a1&lang=de");
    tick().await;
    store.dispatch(Input::Agent(AgentAction::SelectCode {
        workitem_id: "1".to_owned(),
        code: "Sales".to_owned(),
    }));
    type_into(&get(&widget, "notes-input"), "Rückruf Montag");
    get(&widget, "submit").click();
    store.dispatch(Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: "1".to_owned(),
        reason: "HTTP 503; wird weiter versucht".to_owned(),
    }));
    tick().await;
    assert!(find(&widget, "submission-failure").is_some());
    assert!(
        find(&widget, "change-submission").is_none(),
        "still retried in the background: nothing to change yet"
    );
    store.dispatch(Input::Backend(BackendAnswer::SubmissionRefused {
        workitem_id: "1".to_owned(),
        reason: "HTTP 400".to_owned(),
    }));
    tick().await;
    assert_eq!(
        get(&widget, "submission-state")
            .get_attribute("data-state")
            .as_deref(),
        Some("refused")
    );
    assert_eq!(
        text(&widget, "change-submission"),
        "Code oder Notizen ändern"
    );
    store.take_unhandled_effects();
    get(&widget, "change-submission").click();
    tick().await;
    assert_eq!(notes_value(&widget), "Rückruf Montag");
    assert_eq!(selected_option(&widget).as_deref(), Some("Sales"));
    assert_eq!(
        focused_testid(),
        "code-listbox",
        "the picker takes the focus"
    );
    assert_eq!(text(&widget, "refused-reason"), "Grund: HTTP 400");
    let withdrawn = store.take_unhandled_effects().into_iter().any(|effect| {
        effect
            == Effect::WithdrawSubmission {
                workitem_id: "1".to_owned(),
            }
    });
    assert!(withdrawn, "the refused submission leaves the outbox");
    // Taken back, it can still be discarded, as before.
    assert_eq!(text(&widget, "dismiss-wrapup"), "Verwerfen");
}

#[wasm_bindgen_test]
async fn a_reopened_wrapup_whose_time_is_over_says_it_waits_for_the_agent() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    get(&widget, "submit").click();
    store.dispatch(Input::Backend(BackendAnswer::SubmissionRefused {
        workitem_id: "1".to_owned(),
        reason: "HTTP 400".to_owned(),
    }));
    store.set_now(at(200));
    tick().await;
    get(&widget, "change-submission").click();
    tick().await;
    assert_eq!(
        text(&widget, "wrapup-expired"),
        "The time is over. Your wrap-up is sent when you submit it.",
        "a code is chosen: the panel does not ask for one"
    );
    assert_eq!(selected_option(&widget).as_deref(), Some("Billing Issue"));
    assert!(
        find(&widget, "submission").is_none(),
        "nothing sent on its own"
    );
}

#[wasm_bindgen_test]
async fn no_dismiss_while_the_submission_is_on_its_way() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    get(&widget, "submit").click();
    tick().await;
    assert!(find(&widget, "submission").is_some());
    assert!(find(&widget, "dismiss-wrapup").is_none());
}

#[wasm_bindgen_test]
async fn the_panel_names_the_caller_as_the_card_does() {
    // Regression: the panel and the card derived the caller with different
    // fallbacks; the panel ignored the associated CRM record.
    let store = wrapup_gadget::store::DeskStore::new(at(0));
    let mut unnamed = workitem("1", WorkitemState::Active);
    unnamed.ani = None;
    unnamed.associated_participant = Some(CrmRecord {
        name: Some("Ada Lovelace".to_owned()),
        ..CrmRecord::default()
    });
    store.dispatch(cti(WorkitemEventKind::Connect, unnamed.clone()));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(text(&widget, "workitem-caller"), "Ada Lovelace");
    unnamed.state = WorkitemState::Wrapup;
    store.dispatch(cti(WorkitemEventKind::Wrapup, unnamed));
    tick().await;
    assert_eq!(text(&widget, "wrapup-caller"), "Ada Lovelace");
}

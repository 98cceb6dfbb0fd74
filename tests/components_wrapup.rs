//! The rest of the wrap-up panel: notes with their limit and paste message,
//! the submission's progress and Retry, and the German user interface.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{AgentAction, BackendAnswer, Effect, Input, NotesLimit};
use wrapup_gadget::store::DeskStore;

wasm_bindgen_test_configure!(run_in_browser);

fn notes_value(widget: &web_sys::HtmlElement) -> String {
    get(widget, "notes-input")
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
}

#[wasm_bindgen_test]
async fn notes_count_against_the_limit_and_every_edit_reaches_the_desk() {
    let mut limited = configuration(Some(120));
    limited.notes_limit = Some(NotesLimit::GENESYS);
    let store = store_in_wrapup("1", limited);
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.take_unhandled_effects();
    assert_eq!(text(&widget, "notes-counter"), "0 / 64 characters");
    type_into(&get(&widget, "notes-input"), "Müller");
    tick().await;
    assert_eq!(text(&widget, "notes-counter"), "6 / 64 characters");
    let drafts: Vec<_> = store
        .take_unhandled_effects()
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::PersistDraft { draft, .. } => Some(draft.notes),
            _ => None,
        })
        .collect();
    assert_eq!(drafts, ["Müller"]);
}

#[wasm_bindgen_test]
async fn a_paste_that_does_not_fit_is_cut_and_the_agent_is_told() {
    let mut limited = configuration(Some(120));
    limited.notes_limit = Some(NotesLimit::GENESYS);
    let store = store_in_wrapup("1", limited);
    let widget = mount(store, "?agent=a1");
    tick().await;
    let area = get(&widget, "notes-input");
    type_into(&area, "hello ");
    tick().await;
    assert!(
        paste_at_end(&area, "short"),
        "a paste that fits is left to the browser"
    );
    assert_eq!(text(&widget, "notes-paste-cut"), "");
    let long = "x".repeat(70);
    assert!(
        !paste_at_end(&area, &long),
        "a paste that does not fit is cut here"
    );
    tick().await;
    assert_eq!(notes_value(&widget).chars().count(), 64);
    assert_eq!(
        store
            .desk
            .with_untracked(|desk| desk.session("1").unwrap().notes().chars().count()),
        64
    );
    assert_eq!(text(&widget, "notes-counter"), "64 / 64 characters");
    assert_eq!(
        text(&widget, "notes-paste-cut"),
        "The pasted text was too long: 12 characters were left out."
    );
    type_into(&area, "typed again");
    tick().await;
    assert_eq!(
        text(&widget, "notes-paste-cut"),
        "",
        "the message goes with the next edit"
    );
}

/// Types into `area` as a browser reports it: `value` with the caret at
/// `caret`, then an `input` event.
fn type_with_caret(area: &web_sys::HtmlElement, value: &str, caret: u32) {
    let field: &web_sys::HtmlTextAreaElement = area.unchecked_ref();
    field.set_value(value);
    field.set_selection_range(caret, caret).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

// Typing past a character limit (ServiceNow's, which `maxlength` cannot
// count) is cut where it went in: the field shows what is saved, and the
// caret stays where the agent types.
#[wasm_bindgen_test]
async fn typing_past_the_limit_is_cut_where_it_goes_in() {
    let mut limited = configuration(Some(120));
    limited.notes_limit = Some(NotesLimit::new(10));
    let store = store_in_wrapup("1", limited);
    let widget = mount(store, "?agent=a1");
    tick().await;
    let area = get(&widget, "notes-input");
    let saved = || {
        store
            .desk
            .with_untracked(|desk| desk.session("1").unwrap().notes().to_owned())
    };
    let caret = || {
        area.unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .selection_start()
            .unwrap()
    };
    type_with_caret(&area, "0123456789", 10);
    tick().await;
    assert_eq!(saved(), "0123456789");

    // Two letters typed after "01": nothing fits, nothing moves.
    type_with_caret(&area, "01XY23456789", 4);
    tick().await;
    assert_eq!(notes_value(&widget), "0123456789");
    assert_eq!(saved(), "0123456789");
    assert_eq!(caret(), Some(2));

    // "abc" over the selected "23": what fits of it goes in, there.
    type_with_caret(&area, "01abc456789", 5);
    tick().await;
    assert_eq!(notes_value(&widget), "01ab456789");
    assert_eq!(saved(), "01ab456789");
    assert_eq!(caret(), Some(4));
    assert_eq!(text(&widget, "notes-counter"), "10 / 10 characters");
    assert_eq!(
        text(&widget, "notes-paste-cut"),
        "",
        "typing is stopped, not told"
    );
}

// The Genesys profile's wrap-up comes from the call data; its 64-unit notes
// limit is the textarea's `maxlength` too (both count UTF-16 units), while
// ServiceNow's character limit, which `maxlength` cannot count, is not.
#[wasm_bindgen_test]
async fn a_genesys_wrapup_stops_the_notes_at_64_units() {
    let announced = wrapup_core::cti_wrapup::CtiWrapup {
        codes: vec!["Billing Issue".into(), "Store Issue".into()],
        default_code: Some("Billing Issue".into()),
        duration_seconds: Some(120),
        opened_on: None,
    };
    let store = store_in_wrapup("1", announced.genesys_config());
    let widget = mount(store, "?agent=a1&backend=genesys");
    tick().await;
    let area = get(&widget, "notes-input");
    assert_eq!(area.get_attribute("maxlength").as_deref(), Some("64"));
    assert_eq!(text(&widget, "notes-counter"), "0 / 64 characters");
    assert_eq!(texts(&widget, "code-option").len(), 2);

    let mut servicenow = configuration(Some(120));
    servicenow.notes_limit = Some(NotesLimit::SERVICENOW);
    let store = store_in_wrapup("2", servicenow);
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(get(&widget, "notes-input").get_attribute("maxlength"), None);
    assert_eq!(text(&widget, "notes-counter"), "0 / 4000 characters");
}

#[wasm_bindgen_test]
async fn the_submission_shows_its_progress_and_a_failure_keeps_the_input() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let (widget, retried) = mount_with_retry(store, "?agent=a1");
    tick().await;
    type_into(&get(&widget, "notes-input"), "Refund promised");
    get(&widget, "submit").click();
    tick().await;
    let state = || get(&widget, "submission-state").get_attribute("data-state");
    assert_eq!(state().as_deref(), Some("saving"));
    assert_eq!(text(&widget, "submission-state"), "Saving…");
    store.dispatch(Input::Backend(BackendAnswer::SubmissionSent {
        workitem_id: "1".to_owned(),
    }));
    tick().await;
    assert_eq!(state().as_deref(), Some("sent"));
    store.dispatch(Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: "1".to_owned(),
        reason: "HTTP 503".to_owned(),
    }));
    tick().await;
    assert_eq!(state().as_deref(), Some("failed"));
    assert_eq!(text(&widget, "submission-failure"), "Reason: HTTP 503");
    assert_eq!(text(&widget, "submission-code"), "Billing Issue");
    get(&widget, "retry-submission").click();
    assert_eq!(*retried.lock().unwrap(), ["1"]);
}

#[wasm_bindgen_test]
async fn without_a_retry_hook_no_retry_button_is_offered() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    get(&widget, "submit").click();
    store.dispatch(Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: "1".to_owned(),
        reason: "HTTP 503".to_owned(),
    }));
    tick().await;
    assert!(find(&widget, "submission-failure").is_some());
    assert!(find(&widget, "retry-submission").is_none());
}

#[wasm_bindgen_test]
async fn cancel_asks_the_backend_and_confirms() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.take_unhandled_effects();
    get(&widget, "cancel-wrapup").click();
    tick().await;
    assert!(
        store
            .take_unhandled_effects()
            .iter()
            .any(|effect| matches!(effect, Effect::RequestCancel { .. }))
    );
    assert!(
        is_disabled(&get(&widget, "submit")),
        "nothing to submit while cancelling"
    );
    store.dispatch(Input::Backend(BackendAnswer::CancelAccepted {
        workitem_id: "1".to_owned(),
    }));
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_none() || find(&widget, "wrapup-cancelled").is_some());
}

#[wasm_bindgen_test]
async fn cancel_asks_first_when_it_would_lose_notes() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    type_into(&get(&widget, "notes-input"), "Callback on Monday");
    tick().await;
    store.take_unhandled_effects();
    let asked_to_cancel = |store: wrapup_gadget::store::DeskStore| {
        store
            .take_unhandled_effects()
            .iter()
            .any(|effect| matches!(effect, Effect::RequestCancel { .. }))
    };

    get(&widget, "cancel-wrapup").click();
    tick().await;
    assert!(!asked_to_cancel(store), "asked, not done");
    assert!(
        text(&widget, "cancel-wrapup-question")
            .starts_with("Cancel this wrap-up? The code and notes you entered are not saved.")
    );
    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    escape.set_bubbles(true);
    let escape =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).unwrap();
    get(&widget, "cancel-wrapup-keep")
        .dispatch_event(&escape)
        .unwrap();
    tick().await;
    assert!(
        find(&widget, "cancel-wrapup-question").is_none(),
        "Escape keeps"
    );
    assert!(!asked_to_cancel(store));

    get(&widget, "cancel-wrapup").click();
    tick().await;
    get(&widget, "cancel-wrapup-confirm").click();
    tick().await;
    assert!(asked_to_cancel(store));
}

#[wasm_bindgen_test]
async fn the_panel_speaks_german() {
    let mut german = configuration(Some(120));
    german.allowed_codes = german_codes();
    let store = store_in_wrapup("1", german);
    let widget = mount(store, "?agent=a1&lang=de");
    tick().await;
    assert_eq!(
        get(&widget, "widget").get_attribute("lang").as_deref(),
        Some("de")
    );
    assert!(text(&widget, "submit").starts_with("Abschließen"));
    assert_eq!(text(&widget, "cancel-wrapup"), "Nachbearbeitung abbrechen");
    assert_eq!(
        get(&widget, "extend")
            .get_attribute("aria-label")
            .as_deref(),
        Some("Um 30 Sekunden verlängern")
    );
    assert!(text(&widget, "countdown-band").ends_with("Im Zeitplan"));
    assert_eq!(text(&widget, "notes-counter"), "0 Zeichen");
    let labels = texts(&widget, "code-option");
    assert!(
        labels[0].contains("Abrechnungsproblem") && labels[0].contains("Standard"),
        "{labels:?}"
    );
    assert!(
        labels[2].contains("Technical Support"),
        "untranslated codes fall back to the code"
    );
    store.set_now(at(60));
    tick().await;
    store.set_now(at(61));
    tick().await;
    assert_eq!(
        text(&widget, "countdown-announcement"),
        "Noch eine Minute für die Nachbearbeitung"
    );
    store.dispatch(Input::Agent(AgentAction::Extend {
        workitem_id: "1".to_owned(),
        by: chrono::TimeDelta::seconds(1),
    }));
    tick().await;
    assert_eq!(
        texts(&widget, "notice"),
        ["Eine Verlängerung muss mindestens 5 Sekunden betragen."]
    );
}

#[wasm_bindgen_test]
async fn a_saved_wrapup_is_still_told_after_its_panel_left() {
    // Regression: the panel vanished once the wrap-up was saved and the
    // call ended, and nothing said it had been saved.
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert!(find(&widget, "last-saved").is_none());
    get(&widget, "submit").click();
    store.dispatch(Input::Backend(BackendAnswer::SubmissionConfirmed {
        workitem_id: "1".to_owned(),
    }));
    store.dispatch(cti(
        wrapup_core::bs::WorkitemEventKind::End,
        workitem("1", wrapup_core::bs::WorkitemState::Ended),
    ));
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_none());
    let saved = text(&widget, "last-saved");
    assert!(saved.starts_with("Last wrap-up saved at "), "{saved}");
    assert!(
        saved.ends_with(": Billing Issue · +41 44 555 12 34"),
        "{saved}"
    );
}

/// The headings of the wrap-up panels, as the regions they name read
/// (`aria-labelledby`), in the panels' order.
fn region_names(widget: &web_sys::HtmlElement) -> Vec<String> {
    let regions = widget.query_selector_all("section.wg-wrapup").unwrap();
    (0..regions.length())
        .map(|index| {
            let region: web_sys::Element = regions.item(index).unwrap().unchecked_into();
            let heading = region.get_attribute("aria-labelledby").unwrap();
            let document = web_sys::window().unwrap().document().unwrap();
            document
                .get_element_by_id(&heading)
                .and_then(|heading| heading.text_content())
                .unwrap_or_default()
        })
        .collect()
}

/// `instant` as the browser's Intl tells an English clock time (`5:52 PM`).
fn clock_time(instant: chrono::DateTime<chrono::Utc>) -> String {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into()).unwrap();
    js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into()).unwrap();
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&"en".into()), &options);
    let date = js_sys::Date::new(&(instant.timestamp_millis() as f64).into());
    format
        .format()
        .call1(&wasm_bindgen::JsValue::NULL, &date)
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
async fn wrapups_of_one_caller_are_told_apart_by_when_each_call_began() {
    // Regression: the heading, which names each panel's region, was the
    // caller alone, so two wrap-ups of one caller (or of two withheld
    // numbers) read the same to a screen reader and on the screen.
    let store = DeskStore::new(at(0));
    let calls = [
        ("1", Some("+41 44 555 12 34"), at(0)),
        ("2", Some("+41 44 555 12 34"), at(70)),
        ("3", None, at(0)),
        ("4", None, at(20)),
    ];
    for (id, ani, connected_at) in calls {
        let mut call = workitem(id, WorkitemState::Offered);
        call.ani = ani.map(str::to_owned);
        store.dispatch(cti(WorkitemEventKind::Create, call.clone()));
        call.state = WorkitemState::Active;
        call.connected_at = Some(connected_at);
        store.dispatch(cti(WorkitemEventKind::Connect, call.clone()));
        call.state = WorkitemState::Wrapup;
        store.dispatch(cti(WorkitemEventKind::Wrapup, call));
        store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
            workitem_id: id.to_owned(),
            segment_id: Some(format!("segment-{id}")),
            configuration: configuration(Some(300)),
            opened_on: at(100),
        }));
    }
    let widget = mount(store, "?agent=a1");
    tick().await;
    // The two withheld numbers' calls began in one minute (17:52): their
    // place among them tells them apart.
    let (first, second) = (clock_time(at(0)), clock_time(at(70)));
    assert_ne!(first, second);
    assert_eq!(
        region_names(&widget),
        [
            format!("Wrap-up +41 44 555 12 34 {first}"),
            format!("Wrap-up +41 44 555 12 34 {second}"),
            format!("Wrap-up Unknown caller {first} (1)"),
            format!("Wrap-up Unknown caller {first} (2)"),
        ]
    );
    assert_eq!(
        texts(&widget, "wrapup-time"),
        [
            first.clone(),
            second,
            format!("{first} (1)"),
            format!("{first} (2)")
        ]
    );

    // Once one of them leaves, the other's heading needs no place.
    store.dispatch(Input::Agent(AgentAction::Cancel {
        workitem_id: "3".to_owned(),
    }));
    store.dispatch(Input::Backend(BackendAnswer::CancelAccepted {
        workitem_id: "3".to_owned(),
    }));
    store.dispatch(cti(
        WorkitemEventKind::End,
        workitem("3", WorkitemState::Ended),
    ));
    tick().await;
    assert_eq!(
        region_names(&widget)[2..],
        [format!("Wrap-up Unknown caller {first}")]
    );
}

#[wasm_bindgen_test]
async fn a_wrapup_begun_later_in_the_same_second_goes_below_the_one_before() {
    // Regression: wrap-ups the backend opened in the same second (its clock
    // gives seconds: a consultation and its call ending together) were
    // ordered by workitem id, so a new panel could go above the one the
    // agent was typing in and move it down under their hands.
    let store = DeskStore::new(at(0));
    for (id, ani, begun) in [("9", "+49 30 111", at(0)), ("10", "+49 30 222", at_ms(400))] {
        store.set_now(begun);
        let mut call = workitem(id, WorkitemState::Offered);
        call.ani = Some(ani.to_owned());
        for (kind, state) in [
            (WorkitemEventKind::Create, WorkitemState::Offered),
            (WorkitemEventKind::Connect, WorkitemState::Active),
            (WorkitemEventKind::Wrapup, WorkitemState::Wrapup),
        ] {
            call.state = state;
            store.dispatch(cti(kind, call.clone()));
        }
        store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
            workitem_id: id.to_owned(),
            segment_id: Some(format!("segment-{id}")),
            configuration: configuration(Some(300)),
            opened_on: at(0),
        }));
    }
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(
        texts(&widget, "wrapup-caller"),
        ["+49 30 111", "+49 30 222"]
    );
}

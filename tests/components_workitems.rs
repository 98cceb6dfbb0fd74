//! Workitem cards, their lists keyed by workitem, and the status line: who is
//! calling, how long, and the connection and the outbox.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{
    AgentState, CilRequest, Classification, Direction, WorkitemEventKind, WorkitemState,
};
use wrapup_gadget::store::{Connection, DeskStore, OutboxStatus};

wasm_bindgen_test_configure!(run_in_browser);

fn call(id: &str, state: WorkitemState) -> wrapup_core::bs::Workitem {
    wrapup_core::bs::Workitem {
        direction: Some(Direction::Incoming),
        classification: Some(Classification::Customer),
        connected_at: (state != WorkitemState::Offered).then(|| at(10)),
        ..workitem(id, state)
    }
}

#[wasm_bindgen_test]
async fn cards_show_caller_kind_state_queue_and_times() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=a1");
    store.dispatch(cti(
        WorkitemEventKind::Create,
        call("1", WorkitemState::Offered),
    ));
    tick().await;
    assert!(find(&widget, "idle").is_none());
    assert_eq!(text(&widget, "workitem-caller"), "+41 44 555 12 34");
    assert_eq!(text(&widget, "workitem-state"), "Ringing");
    assert_eq!(text(&widget, "workitem-kind"), "Incoming · Customer");
    assert_eq!(text(&widget, "workitem-queue"), "Billing");
    assert!(
        find(&widget, "workitem-talk-time").is_none(),
        "no talk time while ringing"
    );

    store.set_now(at(10));
    store.dispatch(cti(
        WorkitemEventKind::Connect,
        call("1", WorkitemState::Active),
    ));
    store.set_now(at(75));
    tick().await;
    assert_eq!(text(&widget, "workitem-state"), "Talking");
    assert_eq!(text(&widget, "workitem-talk-time"), "1:05");

    store.dispatch(cti(
        WorkitemEventKind::Pause,
        call("1", WorkitemState::Paused),
    ));
    tick().await;
    store.set_now(at(95));
    tick().await;
    assert_eq!(text(&widget, "workitem-state"), "On hold");
    assert_eq!(
        hold_fact(&widget),
        ("On hold for".to_owned(), "0:20".to_owned())
    );
    assert_eq!(text(&widget, "workitem-talk-time"), "1:25");

    // Resumed: the time on hold so far, not "on hold"; held again: the new hold.
    store.dispatch(cti(
        WorkitemEventKind::Resume,
        call("1", WorkitemState::Active),
    ));
    store.set_now(at(130));
    tick().await;
    assert_eq!(text(&widget, "workitem-state"), "Talking");
    assert_eq!(
        hold_fact(&widget),
        ("Time on hold".to_owned(), "0:20".to_owned())
    );
    store.dispatch(cti(
        WorkitemEventKind::Pause,
        call("1", WorkitemState::Paused),
    ));
    tick().await;
    store.set_now(at(140));
    tick().await;
    assert_eq!(
        hold_fact(&widget),
        ("On hold for".to_owned(), "0:10".to_owned())
    );
}

/// The hold fact of the card: its label and its time.
fn hold_fact(widget: &web_sys::HtmlElement) -> (String, String) {
    let time = get(widget, "workitem-hold-time");
    let label = time
        .previous_element_sibling()
        .and_then(|label| label.text_content())
        .unwrap_or_default();
    (label, time.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn several_workitems_at_once_and_the_wrapup_replaces_the_card() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=a1");
    store.dispatch(cti(
        WorkitemEventKind::Connect,
        call("1", WorkitemState::Active),
    ));
    let consultation = wrapup_core::bs::Workitem {
        classification: Some(Classification::Consultation),
        direction: Some(Direction::Outgoing),
        ani: Some("2001".to_owned()),
        ..call("2", WorkitemState::Active)
    };
    store.dispatch(cti(WorkitemEventKind::Connect, consultation));
    tick().await;
    assert_eq!(
        texts(&widget, "workitem-caller"),
        ["+41 44 555 12 34", "2001"]
    );
    assert_eq!(
        texts(&widget, "workitem-kind")[1],
        "Outgoing · Consultation"
    );
    store.dispatch(cti(
        WorkitemEventKind::Wrapup,
        call("1", WorkitemState::Wrapup),
    ));
    tick().await;
    assert_eq!(texts(&widget, "workitem-caller"), ["2001"]);
    assert_eq!(text(&widget, "wrapup-caller"), "+41 44 555 12 34");
    assert!(
        find(&widget, "wrapup-opening").is_some(),
        "waiting for the segment"
    );
}

/// The elements with `data-testid` `test_id`, in the page's order.
fn all(widget: &web_sys::HtmlElement, test_id: &str) -> Vec<web_sys::Node> {
    let found = widget
        .query_selector_all(&format!("[data-testid='{test_id}']"))
        .unwrap();
    (0..found.length())
        .filter_map(|index| found.item(index))
        .collect()
}

#[wasm_bindgen_test]
async fn a_card_keeps_its_element_while_calls_come_and_go_around_it() {
    // The list is keyed by workitem id: a card is not rebuilt (which would
    // take the focus from it) when a call is added before or after it, or
    // one before it leaves.
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=a1");
    let with_caller = |id: &str, ani: &str| wrapup_core::bs::Workitem {
        ani: Some(ani.to_owned()),
        ..call(id, WorkitemState::Active)
    };
    store.dispatch(cti(WorkitemEventKind::Connect, with_caller("2", "200")));
    store.dispatch(cti(WorkitemEventKind::Connect, with_caller("3", "300")));
    tick().await;
    let second = all(&widget, "workitem-card")[0].clone();
    let third = all(&widget, "workitem-card")[1].clone();
    store.dispatch(cti(WorkitemEventKind::Connect, with_caller("1", "100")));
    store.dispatch(cti(WorkitemEventKind::Connect, with_caller("4", "400")));
    tick().await;
    assert_eq!(
        texts(&widget, "workitem-caller"),
        ["100", "200", "300", "400"]
    );
    assert!(all(&widget, "workitem-card")[1].is_same_node(Some(&second)));
    assert!(all(&widget, "workitem-card")[2].is_same_node(Some(&third)));
    store.dispatch(cti(
        WorkitemEventKind::Wrapup,
        wrapup_core::bs::Workitem {
            ani: Some("100".to_owned()),
            ..call("1", WorkitemState::Wrapup)
        },
    ));
    tick().await;
    assert_eq!(texts(&widget, "workitem-caller"), ["200", "300", "400"]);
    assert!(all(&widget, "workitem-card")[0].is_same_node(Some(&second)));
    assert!(all(&widget, "workitem-card")[1].is_same_node(Some(&third)));
    assert_eq!(
        texts(&widget, "wrapup-caller"),
        ["100"],
        "the call's wrap-up took its place, before the cards"
    );
}

#[wasm_bindgen_test]
async fn what_was_asked_before_the_runtime_started_is_handled_when_it_does() {
    // The view is up a task before the runtime: nothing asked for in
    // between is lost.
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=a1");
    tick().await;
    get(&widget, "agent-state-toggle").click();
    let sent = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let record = std::rc::Rc::clone(&sent);
    store.set_request_handler(move |request| record.borrow_mut().push(request));
    assert!(
        matches!(sent.borrow().as_slice(), [CilRequest::SetAgentState(request)]
            if request.state == Some(AgentState::Ready)),
        "{:?}",
        sent.borrow()
    );
    // Once only, and what follows goes straight to the handler.
    get(&widget, "agent-state-toggle").click();
    assert_eq!(sent.borrow().len(), 2);
    assert!(store.take_unsent_requests().is_empty());

    // Effects likewise: the call's `cil` event is performed once.
    store.dispatch(cti(
        WorkitemEventKind::Create,
        call("1", WorkitemState::Offered),
    ));
    let performed = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let record = std::rc::Rc::clone(&performed);
    store.set_effect_handler(move |effects| record.borrow_mut().extend(effects));
    assert!(
        matches!(
            performed.borrow().as_slice(),
            [wrapup_core::desk::Effect::Emit(_)]
        ),
        "{:?}",
        performed.borrow()
    );
    assert!(store.take_unhandled_effects().is_empty());
}

// Bug: a server that never answered showed "Reconnecting (attempt 7)…"
// forever, without naming the server it tried.
#[wasm_bindgen_test]
async fn a_server_that_does_not_answer_is_named_by_its_origin() {
    let page = web_sys::window().unwrap().location().origin().unwrap();
    let store = DeskStore::new(at(0));
    let own = mount(store, &format!("?agent=a1&server={page}"));
    store.connection.set(Connection::Connecting(3));
    tick().await;
    assert_eq!(
        text(&own, "connection"),
        format!("Cannot reach {page} (attempt 3), trying again…")
    );
    let store = DeskStore::new(at(0));
    let other = mount(
        store,
        "?agent=a1&lang=de&server=https%3A%2F%2Fagent%3As3cret%40cc.example%3A8443%2Fwrapup%2F",
    );
    store.connection.set(Connection::Reconnecting(7));
    tick().await;
    assert_eq!(
        text(&other, "connection"),
        format!(
            "https://cc.example:8443 ist nicht erreichbar (Versuch 7), neuer Versuch folgt… Die \
             Sicherheitsrichtlinie dieser Seite erlaubt womöglich nur ihren eigenen Server, {page}."
        )
    );
}

#[wasm_bindgen_test]
async fn connection_and_outbox_are_shown_discreetly() {
    let store = DeskStore::new(at(0));
    let widget = mount(store, "?agent=a1&lang=de");
    tick().await;
    assert_eq!(text(&widget, "connection"), "Nicht verbunden");
    store.caught_up.set(true);
    store.connection.set(Connection::Reconnecting(2));
    store.outbox.set(OutboxStatus {
        pending: 2,
        last_error: Some("HTTP 503".to_owned()),
        ..OutboxStatus::default()
    });
    tick().await;
    assert_eq!(
        text(&widget, "connection"),
        "Verbindung wird wiederhergestellt (Versuch 2)…"
    );
    assert_eq!(
        text(&widget, "outbox-pending"),
        "2 Nachbearbeitungen warten auf das Senden"
    );
    assert!(text(&widget, "outbox-error").ends_with("HTTP 503"));
    assert_eq!(text(&widget, "idle"), "Keine aktiven Anrufe");

    // Where the browser does not keep the widget's data, the agent is told.
    assert!(find(&widget, "storage-not-kept").is_none());
    store.storage_kept.set(false);
    tick().await;
    assert!(
        text(&widget, "storage-not-kept").starts_with("Dieser Browser speichert die Daten"),
        "{}",
        text(&widget, "storage-not-kept")
    );
    store.storage_kept.set(true);
    tick().await;
    assert!(find(&widget, "storage-not-kept").is_none());

    // Nor, where no lock could be taken, whether another tab runs too.
    assert!(find(&widget, "open-elsewhere-unknown").is_none());
    store.open_elsewhere_unknown.set(true);
    tick().await;
    assert!(
        text(&widget, "open-elsewhere-unknown").starts_with("Das Widget kann hier nicht erkennen"),
        "{}",
        text(&widget, "open-elsewhere-unknown")
    );
}

#[wasm_bindgen_test]
async fn wrapups_are_shown_oldest_first_whose_time_runs_out_first() {
    // Regression: they were in the order of their workitem ids.
    let store = DeskStore::new(at(0));
    open_wrapup(store, "zeta", configuration(Some(120)), at(0));
    open_wrapup(store, "alpha", configuration(Some(120)), at(30));
    store.set_now(at(30));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(texts(&widget, "countdown-clock"), ["1:30", "2:00"]);
}

#[wasm_bindgen_test]
async fn a_panel_and_a_card_keep_their_dom_while_the_lists_around_them_change() {
    // The lists are keyed by workitem: the field the agent types in keeps its
    // text and the focus when a wrap-up is added before its panel, and a card
    // stays the same element when a call before it ends.
    let store = DeskStore::new(at(0));
    open_wrapup(store, "later", configuration(Some(120)), at(30));
    store.set_now(at(30));
    for id in ["c1", "c2"] {
        store.dispatch(cti(
            WorkitemEventKind::Connect,
            call(id, WorkitemState::Active),
        ));
    }
    let widget = mount(store, "?agent=a1");
    tick().await;
    let notes = get(&widget, "notes-input");
    notes.focus().unwrap();
    type_into(&notes, "Call back on Monday");
    let second_card = all(&widget, "workitem-card")[1].clone();
    tick().await;

    open_wrapup(store, "earlier", configuration(Some(120)), at(0));
    store.dispatch(cti(
        WorkitemEventKind::End,
        workitem("c1", WorkitemState::Ended),
    ));
    tick().await;
    assert_eq!(texts(&widget, "countdown-clock"), ["1:30", "2:00"]);
    let fields = all(&widget, "notes-input");
    assert_eq!(fields.len(), 2);
    assert!(
        fields[1].is_same_node(Some(&notes)),
        "the later panel's field is kept"
    );
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(
        document
            .active_element()
            .is_some_and(|active| active.is_same_node(Some(&notes))),
        "and keeps the focus"
    );
    let notes: web_sys::HtmlTextAreaElement = wasm_bindgen::JsCast::unchecked_into(notes);
    assert_eq!(notes.value(), "Call back on Monday");
    let cards = all(&widget, "workitem-card");
    assert_eq!(cards.len(), 1);
    assert!(
        cards[0].is_same_node(Some(&second_card)),
        "the card after the ended call is kept"
    );
}

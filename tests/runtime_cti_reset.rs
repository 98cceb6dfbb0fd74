//! The server's database replaced while the page runs: the event stream's
//! reset of the store (`Input::CtiReset`, what `EventStream` dispatches when
//! the stream's name changes) leaves the agent with only what the new stream
//! says, in the real DOM.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{AgentState, CilEvent, Workitem, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{AgentAction, BackendAnswer, Effect, Input};

wasm_bindgen_test_configure!(run_in_browser);

fn call(id: &str, ani: &str, state: WorkitemState) -> Workitem {
    Workitem {
        ani: Some(ani.to_owned()),
        ..workitem(id, state)
    }
}

fn agent_action(action: AgentAction) -> Input {
    Input::Agent(action)
}

/// The `workitemEnd` events among `effects`: workitem id and state.
fn ends(effects: &[Effect]) -> Vec<(String, WorkitemState)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Emit(CilEvent::WorkitemEnd(workitem)) => {
                Some((workitem.id.clone(), workitem.state.clone()))
            }
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_replaced_stream_leaves_no_ghost_call_and_keeps_the_submitted_wrapup() {
    // Regression: a page that stayed open while the server's database was
    // replaced kept the old calls on screen (a card, a running countdown).
    let store = store_in_wrapup("open", configuration(Some(120)));
    store.dispatch(agent_state(AgentState::Ready, None, at(0)));
    store.dispatch(cti(
        WorkitemEventKind::Create,
        call("ringing", "+49 30 555 01", WorkitemState::Offered),
    ));
    // A second wrap-up, submitted and on its way to the backend.
    for (kind, state) in [
        (WorkitemEventKind::Create, WorkitemState::Offered),
        (WorkitemEventKind::Connect, WorkitemState::Active),
        (WorkitemEventKind::Wrapup, WorkitemState::Wrapup),
    ] {
        store.dispatch(cti(kind, call("submitted", "+49 30 555 02", state)));
    }
    store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
        workitem_id: "submitted".to_owned(),
        segment_id: Some("segment-submitted".to_owned()),
        configuration: configuration(Some(120)),
        opened_on: at(0),
    }));
    store.dispatch(agent_action(AgentAction::Submit {
        workitem_id: "submitted".to_owned(),
    }));
    store.dispatch(Input::Backend(BackendAnswer::SubmissionSent {
        workitem_id: "submitted".to_owned(),
    }));
    // The agent typed notes on the open wrap-up and was refused a code.
    store.dispatch(agent_action(AgentAction::EditNotes {
        workitem_id: "open".to_owned(),
        notes: "Refund promised".to_owned(),
    }));
    store.dispatch(agent_action(AgentAction::SelectCode {
        workitem_id: "open".to_owned(),
        code: "Not a code".to_owned(),
    }));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert_eq!(texts(&widget, "wrapup-panel").len(), 2);
    assert_eq!(texts(&widget, "countdown").len(), 1);
    assert_eq!(texts(&widget, "workitem-card").len(), 1);
    assert_eq!(texts(&widget, "notice").len(), 1);
    store.take_unhandled_effects();

    store.dispatch(Input::CtiReset);
    tick().await;

    // Integrators hear that every live call ended, in an unknown way; the
    // agent's draft is not discarded and nothing is submitted.
    let effects = store.take_unhandled_effects();
    assert_eq!(
        ends(&effects),
        [
            ("open".to_owned(), WorkitemState::EndedUnknown),
            ("ringing".to_owned(), WorkitemState::EndedUnknown),
            ("submitted".to_owned(), WorkitemState::EndedUnknown),
        ]
    );
    assert_eq!(ends(&effects).len(), effects.len(), "{effects:?}");
    // On screen: the submitted wrap-up waits for the backend's answer; no
    // card, no countdown, no notice of the old calls.
    assert_eq!(texts(&widget, "wrapup-panel").len(), 1);
    assert_eq!(text(&widget, "wrapup-caller"), "+49 30 555 02");
    let state = get(&widget, "submission-state").get_attribute("data-state");
    assert_eq!(state.as_deref(), Some("sent"));
    assert!(find(&widget, "countdown").is_none());
    assert!(find(&widget, "workitem-card").is_none());
    assert!(store.notices.get_untracked().is_empty());
    // The agent's state is the new CTI system's to tell.
    let header = get(&widget, "agent-state").class_name();
    assert!(header.contains("wg-agent__state--unknown"), "{header}");

    // The backend stores the submitted wrap-up: nothing of the old stream is left.
    store.dispatch(Input::Backend(BackendAnswer::SubmissionConfirmed {
        workitem_id: "submitted".to_owned(),
    }));
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_none());
    assert!(find(&widget, "idle").is_some());

    // The new stream's first call shows, as does its agent state, even one
    // changed earlier by the new system's clock than the old state was.
    store.dispatch(agent_state(AgentState::NotReady, None, at(-60)));
    store.dispatch(cti(
        WorkitemEventKind::Create,
        call("ringing", "+49 30 555 03", WorkitemState::Offered),
    ));
    tick().await;
    assert_eq!(text(&widget, "workitem-caller"), "+49 30 555 03");
    let header = get(&widget, "agent-state").class_name();
    assert!(header.contains("wg-agent__state--not-ready"), "{header}");
}

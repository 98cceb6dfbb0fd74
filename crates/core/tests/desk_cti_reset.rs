//! The CTI system starts over as another one (`Input::CtiReset`: the server's
//! database was replaced while the widget ran): the Desk keeps nothing it
//! said, tells integrators its live workitems ended, and keeps only the
//! wrap-ups the agent already submitted.

mod desk_support;

use desk_support::*;
use wrapup_core::bs::{AgentState, AgentStateChange, CilEvent, ReasonCode, WorkitemState};
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, SubmissionState, WrapupPhase,
};

fn ended_unknown(id: &str) -> Effect {
    Effect::Emit(CilEvent::WorkitemEnd(workitem(
        id,
        WorkitemState::EndedUnknown,
    )))
}

fn state_change(state: AgentState, seconds: i64) -> Input {
    Input::Cti(CilEvent::AgentStateChange(AgentStateChange {
        channel_id: Some("voice_5000".to_owned()),
        new_state: state,
        new_reason_code: Some(ReasonCode::NONE),
        new_state_change_time: Some(at(seconds)),
        ..AgentStateChange::default()
    }))
}

fn notes(id: &str, notes: &str) -> Input {
    agent(AgentAction::EditNotes {
        workitem_id: id.to_owned(),
        notes: notes.to_owned(),
    })
}

fn answer(answer: BackendAnswer) -> Input {
    Input::Backend(answer)
}

#[test]
fn every_live_workitem_ends_for_integrators_and_open_wrapups_go_without_a_submission() {
    // Regression: after the server's database was replaced under an open
    // page, its calls stayed on the Desk (ghost cards, a ghost countdown).
    let mut desk = desk_in_wrapup("wrapping", config(Some(120)));
    desk.apply(at(1), notes("wrapping", "Refund promised"));
    desk.apply(at(2), create("ringing"));
    desk.apply(at(3), create("talking"));
    desk.apply(at(3), connect("talking"));
    assert!(desk.next_deadline().is_some());

    let effects = desk.apply(at(10), Input::CtiReset);

    // In the order of their ids; no submission, no draft discarded.
    assert_eq!(
        effects,
        [
            ended_unknown("ringing"),
            ended_unknown("talking"),
            ended_unknown("wrapping"),
        ]
    );
    assert_eq!(desk.workitems().count(), 0);
    assert_eq!(desk.sessions().count(), 0);
    assert_eq!(desk.next_deadline(), None, "no countdown runs");
    assert!(!desk.is_send_dtmf_enabled());
    // Nothing is left to tell: a second reset is silent.
    assert_eq!(desk.apply(at(11), Input::CtiReset), []);
}

#[test]
fn a_workitem_that_had_ended_is_not_ended_again() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), end("1"));
    assert_eq!(desk.apply(at(2), Input::CtiReset), []);
}

#[test]
fn a_submitted_wrapup_stays_until_the_backend_confirms_it() {
    let mut desk = desk_in_wrapup("1", config(Some(120)));
    assert_eq!(submissions(&desk.apply(at(5), submit("1"))).len(), 1);
    desk.apply(
        at(5),
        answer(BackendAnswer::SubmissionSent {
            workitem_id: "1".to_owned(),
        }),
    );

    assert_eq!(desk.apply(at(6), Input::CtiReset), [ended_unknown("1")]);
    let session = desk.session("1").expect("the submission is on its way");
    assert_eq!(session.phase(), WrapupPhase::Submitted);
    assert!(session.workitem_ended());
    assert_eq!(desk.workitem("1"), None);
    // Never submitted again, however late it gets.
    assert_eq!(desk.apply(at(10_000), Input::Tick), []);

    desk.apply(
        at(10_001),
        answer(BackendAnswer::SubmissionConfirmed {
            workitem_id: "1".to_owned(),
        }),
    );
    assert!(desk.session("1").is_none(), "confirmed: forgotten");
}

#[test]
fn a_failed_submission_stays_for_the_agent_to_retry_or_dismiss() {
    let mut desk = desk_in_wrapup("1", config(Some(120)));
    desk.apply(at(1), notes("1", "Call back tomorrow"));
    desk.apply(at(2), submit("1"));
    desk.apply(
        at(3),
        answer(BackendAnswer::SubmissionFailed {
            workitem_id: "1".to_owned(),
            reason: "HTTP 404".to_owned(),
        }),
    );

    assert_eq!(desk.apply(at(4), Input::CtiReset), [ended_unknown("1")]);
    let session = desk.session("1").expect("the failure stays in view");
    assert_eq!(session.notes(), "Call back tomorrow");
    assert!(matches!(
        session.submission().map(|submission| &submission.state),
        Some(SubmissionState::Failed { .. })
    ));
    assert_eq!(
        desk.apply(
            at(5),
            agent(AgentAction::Dismiss {
                workitem_id: "1".to_owned()
            })
        ),
        [Effect::ForgetWrapup {
            workitem_id: "1".to_owned()
        }]
    );
    assert_eq!(desk.sessions().count(), 0);
}

#[test]
fn a_wrapup_whose_time_ran_out_before_the_reset_is_submitted_first() {
    // Time passes before any input is applied: the expiry is the old CTI
    // system's, and happened while it still held the call.
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(at(61), Input::CtiReset);
    let submitted = submissions(&effects);
    assert_eq!(submitted.len(), 1);
    assert!(submitted[0].automatic);
    assert_eq!(effects.last(), Some(&ended_unknown("1")));
    assert!(desk.session("1").is_some(), "on its way to the backend");
}

#[test]
fn the_agent_state_and_the_ended_ids_are_forgotten_for_the_new_source() {
    let mut desk = Desk::new();
    desk.apply(at(0), state_change(AgentState::Ready, 100));
    desk.apply(at(1), create("1"));
    desk.apply(at(2), end("1"));
    assert_eq!(desk.tombstone_count(), 1);

    desk.apply(at(3), Input::CtiReset);
    assert_eq!(desk.agent_state("voice_5000"), None);
    assert_eq!(desk.tombstone_count(), 0);

    // The new source's clock and ids owe nothing to the old one: an earlier
    // state change time is not stale, and a reused id is a new workitem.
    assert_eq!(
        emitted(&desk.apply(at(4), state_change(AgentState::NotReady, 50))),
        ["agentStateChange"]
    );
    assert_eq!(
        desk.agent_state("voice_5000")
            .map(|state| state.state.clone()),
        Some(AgentState::NotReady)
    );
    assert_eq!(emitted(&desk.apply(at(5), create("1"))), ["workitemCreate"]);
    assert!(desk.workitem("1").is_some());
}

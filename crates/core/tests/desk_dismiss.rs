//! Wrap-ups that did not get saved stay, with the agent's notes, until the
//! agent dismisses them: a failed submission and an expiry without a code.

mod desk_support;

use desk_support::*;
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Effect, Input, Refusal, WrapupConfig, WrapupPhase,
};

fn dismiss(id: &str) -> Input {
    agent(AgentAction::Dismiss {
        workitem_id: id.to_owned(),
    })
}

fn notes(id: &str, notes: &str) -> Input {
    agent(AgentAction::EditNotes {
        workitem_id: id.to_owned(),
        notes: notes.to_owned(),
    })
}

fn failed(id: &str) -> Input {
    Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: id.to_owned(),
        reason: "HTTP 400".to_owned(),
    })
}

fn codes_required_without_default() -> WrapupConfig {
    WrapupConfig {
        default_code: None,
        ..config(Some(60))
    }
}

fn discarded(id: &str) -> Effect {
    Effect::ForgetWrapup {
        workitem_id: id.to_owned(),
    }
}

#[test]
fn a_failed_submission_stays_with_its_notes_after_the_workitem_ends() {
    // Regression: a session whose submission failed counted as settled and
    // vanished when the workitem ended, with the notes and the Retry button.
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), notes("1", "Refund promised"));
    desk.apply(at(2), submit("1"));
    desk.apply(at(3), failed("1"));
    desk.apply(at(4), end("1"));
    let session = desk.session("1").expect("the failed wrap-up stays");
    assert_eq!(session.notes(), "Refund promised");
    assert!(session.workitem_ended());
    assert_eq!(session.phase(), WrapupPhase::Submitted);
    // Still there on later inputs, until the agent dismisses it.
    desk.apply(at(100), Input::Tick);
    assert!(desk.session("1").is_some());
    assert_eq!(desk.apply(at(101), dismiss("1")), [discarded("1")]);
    assert!(desk.session("1").is_none());
    assert_eq!(
        desk.apply(at(102), dismiss("1")),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::NoWrapup
        }]
    );
}

#[test]
fn a_failure_after_the_end_keeps_the_wrapup_too() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), end("1"));
    desk.apply(at(2), failed("1"));
    assert!(desk.session("1").is_some());
    // A confirmation after all (the shell's Retry worked) settles it.
    let effects = desk.apply(
        at(3),
        Input::Backend(BackendAnswer::SubmissionConfirmed {
            workitem_id: "1".to_owned(),
        }),
    );
    assert_eq!(effects, [discarded("1")]);
    assert!(desk.session("1").is_none());
}

#[test]
fn an_end_with_no_code_to_submit_keeps_the_wrapup_for_the_agent() {
    // Regression: an End while codes were required with no default made the
    // session vanish in the same apply that told the agent to choose a code.
    let mut desk = desk_in_wrapup("1", codes_required_without_default());
    desk.apply(at(1), notes("1", "Call back Monday"));
    let effects = desk.apply(at(2), end("1"));
    assert!(effects.contains(&Effect::Refused {
        workitem_id: "1".to_owned(),
        reason: Refusal::NoCodeAtExpiry
    }));
    let session = desk
        .session("1")
        .expect("the agent can still choose a code");
    assert_eq!(session.phase(), WrapupPhase::ExpiredUnsubmitted);
    assert_eq!(session.notes(), "Call back Monday");
    // The agent chooses a code and submits, once.
    desk.apply(at(3), select("1", "Sales"));
    let effects = desk.apply(at(4), submit("1"));
    assert_eq!(submissions(&effects).len(), 1);
    assert_eq!(submissions(&effects)[0].code.as_deref(), Some("Sales"));
    assert_eq!(submissions(&effects)[0].notes, "Call back Monday");
    assert!(submissions(&desk.apply(at(5), submit("1"))).is_empty());
}

#[test]
fn an_expired_unsubmitted_wrapup_can_be_dismissed() {
    let mut desk = desk_in_wrapup("1", codes_required_without_default());
    desk.apply(at(60), Input::Tick);
    desk.apply(at(61), end("1"));
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::ExpiredUnsubmitted)
    );
    assert_eq!(desk.apply(at(62), dismiss("1")), [discarded("1")]);
    assert!(desk.session("1").is_none());
    assert_eq!(desk.next_deadline(), None);
}

#[test]
fn dismiss_is_refused_while_a_submission_is_on_its_way_or_the_wrapup_is_open() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let refused = |reason| {
        vec![Effect::Refused {
            workitem_id: "1".to_owned(),
            reason,
        }]
    };
    assert_eq!(desk.apply(at(1), dismiss("1")), refused(Refusal::StillOpen));
    desk.apply(at(2), submit("1"));
    assert_eq!(
        desk.apply(at(3), dismiss("1")),
        refused(Refusal::AlreadySubmitted),
        "saving"
    );
    desk.apply(
        at(4),
        Input::Backend(BackendAnswer::SubmissionSent {
            workitem_id: "1".to_owned(),
        }),
    );
    assert_eq!(
        desk.apply(at(5), dismiss("1")),
        refused(Refusal::AlreadySubmitted),
        "sent"
    );
    assert!(desk.session("1").is_some());
    desk.apply(at(6), failed("1"));
    assert_eq!(desk.apply(at(7), dismiss("1")), [discarded("1")]);
    assert!(desk.session("1").is_none());
}

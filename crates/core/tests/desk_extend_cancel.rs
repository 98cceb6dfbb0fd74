//! Extend within the Tenios limits, and cancel without a submission.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use wrapup_core::desk::{BackendAnswer, Effect, Input, Refusal, WrapupPhase};
use wrapup_core::extension::{ExtensionError, MAX_EXTENSION, MIN_EXTENSION};

fn refused(reason: Refusal) -> Vec<Effect> {
    vec![Effect::Refused {
        workitem_id: "1".to_owned(),
        reason,
    }]
}

fn requested(by_seconds: i64) -> Vec<Effect> {
    requested_by(TimeDelta::seconds(by_seconds))
}

fn requested_by(by: TimeDelta) -> Vec<Effect> {
    vec![Effect::RequestExtension {
        workitem_id: "1".to_owned(),
        segment_id: Some("segment-1".to_owned()),
        current_end: at(60),
        requested_end: at(60) + by,
    }]
}

#[test]
fn extensions_must_add_between_5_seconds_and_15_minutes() {
    let cases = [
        (4, Some(ExtensionError::TooShort)),
        (5, None),
        (15 * 60, None),
        (15 * 60 + 1, Some(ExtensionError::TooLong)),
        (-10, Some(ExtensionError::TooShort)),
    ];
    for (by_seconds, error) in cases {
        let mut desk = desk_in_wrapup("1", config(Some(60)));
        let effects = desk.apply(at(10), extend("1", TimeDelta::seconds(by_seconds)));
        match error {
            Some(error) => assert_eq!(
                effects,
                refused(Refusal::Extension(error)),
                "{by_seconds} s"
            ),
            None => assert_eq!(effects, requested(by_seconds), "{by_seconds} s"),
        }
    }
}

#[test]
fn the_extension_limits_hold_to_the_millisecond() {
    let just = TimeDelta::milliseconds(1);
    let cases = [
        (MIN_EXTENSION - just, Some(ExtensionError::TooShort)),
        (MIN_EXTENSION, None),
        (MIN_EXTENSION + just, None),
        (MAX_EXTENSION - just, None),
        (MAX_EXTENSION, None),
        (MAX_EXTENSION + just, Some(ExtensionError::TooLong)),
    ];
    for (by, error) in cases {
        let mut desk = desk_in_wrapup("1", config(Some(60)));
        let effects = desk.apply(at(10), extend("1", by));
        match error {
            Some(error) => assert_eq!(effects, refused(Refusal::Extension(error)), "{by}"),
            None => assert_eq!(effects, requested_by(by), "{by}"),
        }
    }
}

#[test]
fn an_accepted_extension_moves_the_deadline() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(10), extend("1", TimeDelta::seconds(30)));
    assert_eq!(
        desk.session("1").and_then(|s| s.pending_extension()),
        Some(at(90))
    );
    assert_eq!(
        desk.apply(at(11), extend("1", TimeDelta::seconds(30))),
        refused(Refusal::ExtensionPending)
    );
    let accepted = BackendAnswer::ExtensionAccepted {
        workitem_id: "1".to_owned(),
        new_deadline: at(90),
    };
    assert_eq!(desk.apply(at(12), Input::Backend(accepted)), []);
    assert_eq!(desk.session("1").and_then(|s| s.deadline()), Some(at(90)));
    assert_eq!(
        desk.apply(at(60), Input::Tick),
        [],
        "the old deadline has gone"
    );
    assert_eq!(submissions(&desk.apply(at(90), Input::Tick)).len(), 1);
}

#[test]
fn expiry_waits_for_the_answer_to_an_extension() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(58), extend("1", TimeDelta::seconds(30)));
    assert_eq!(
        desk.apply(at(61), Input::Tick),
        [],
        "the backend has not answered"
    );
    let refused_answer = BackendAnswer::ExtensionRefused {
        workitem_id: "1".to_owned(),
        reason: "AGENT_NOT_IN_WRAP_UP".to_owned(),
    };
    let effects = desk.apply(at(62), Input::Backend(refused_answer));
    assert_eq!(
        effects[0],
        Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::ExtensionRefused("AGENT_NOT_IN_WRAP_UP".to_owned())
        }
    );
    assert_eq!(
        submissions(&effects).len(),
        1,
        "then the overdue wrap-up is submitted"
    );
}

#[test]
fn an_expired_wrapup_cannot_be_extended() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(at(60), extend("1", TimeDelta::seconds(30)));
    assert_eq!(submissions(&effects).len(), 1);
    assert!(effects.contains(&Effect::Refused {
        workitem_id: "1".to_owned(),
        reason: Refusal::AlreadySubmitted
    }));
}

#[test]
fn cancel_ends_the_wrapup_without_submission() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    assert_eq!(
        desk.apply(at(10), cancel("1")),
        [Effect::RequestCancel {
            workitem_id: "1".to_owned(),
            segment_id: Some("segment-1".to_owned())
        }]
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Cancelling)
    );
    assert_eq!(
        desk.apply(at(11), submit("1")),
        refused(Refusal::CancelPending)
    );
    assert_eq!(
        desk.apply(at(12), cancel("1")),
        refused(Refusal::CancelPending)
    );
    assert_eq!(
        desk.apply(at(70), Input::Tick),
        [],
        "expiry waits for the cancel"
    );
    assert_eq!(
        desk.apply(
            at(71),
            Input::Backend(BackendAnswer::CancelAccepted {
                workitem_id: "1".to_owned()
            })
        ),
        [Effect::ForgetWrapup {
            workitem_id: "1".to_owned()
        }]
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Cancelled)
    );
    assert_eq!(desk.apply(at(72), Input::Tick), []);
    assert_eq!(desk.apply(at(73), submit("1")), refused(Refusal::Cancelled));
    let effects = desk.apply(at(74), end("1"));
    assert_eq!(emitted(&effects), ["workitemEnd"]);
    assert!(
        submissions(&effects).is_empty(),
        "a cancelled wrap-up is never submitted"
    );
    assert!(desk.session("1").is_none());
}

#[test]
fn a_refused_cancel_leaves_the_wrapup_open() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(10), cancel("1"));
    let refusal = BackendAnswer::CancelRefused {
        workitem_id: "1".to_owned(),
        reason: "Agent currently not in wrapUp state".to_owned(),
    };
    assert_eq!(
        desk.apply(at(11), Input::Backend(refusal)),
        refused(Refusal::CancelRefused(
            "Agent currently not in wrapUp state".to_owned()
        ))
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Open)
    );
    assert_eq!(submissions(&desk.apply(at(12), submit("1"))).len(), 1);
}

#[test]
fn a_submitted_wrapup_cannot_be_cancelled() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(10), submit("1"));
    assert_eq!(
        desk.apply(at(11), cancel("1")),
        refused(Refusal::AlreadySubmitted)
    );
}

#[test]
fn actions_without_a_wrapup_are_refused() {
    let mut desk = wrapup_core::desk::Desk::new();
    assert_eq!(
        desk.apply(at(0), submit("nobody")),
        [Effect::Refused {
            workitem_id: "nobody".to_owned(),
            reason: Refusal::NoWrapup
        }]
    );
    desk.apply(at(0), create("2"));
    desk.apply(at(0), wrapup("2"));
    assert_eq!(
        desk.apply(at(1), select("2", "Sales")),
        [Effect::Refused {
            workitem_id: "2".to_owned(),
            reason: Refusal::ConfigurationPending
        }]
    );
}

//! The deadline: automatic submission exactly once, exactly at the deadline.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, Refusal, Restore, SubmissionState,
    WrapupConfig, WrapupPhase, WrapupSubmission,
};

#[test]
fn the_default_code_is_submitted_once_exactly_at_the_deadline() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let deadline = at(60);
    assert_eq!(
        desk.apply(deadline - TimeDelta::milliseconds(1), Input::Tick),
        []
    );
    let effects = desk.apply(deadline, Input::Tick);
    assert_eq!(
        effects,
        [Effect::SubmitWrapup(WrapupSubmission {
            workitem_id: "1".to_owned(),
            segment_id: Some("segment-1".to_owned()),
            code: Some("Billing Issue".to_owned()),
            notes: String::new(),
            confirmed_on: deadline,
            automatic: true,
        })]
    );
    for later in [deadline, at(61), at(3600)] {
        assert_eq!(
            desk.apply(later, Input::Tick),
            [],
            "nothing more at {later}"
        );
    }
    assert_eq!(
        desk.apply(at(62), submit("1")),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::AlreadySubmitted
        }]
    );
}

#[test]
fn expiry_submits_what_the_agent_selected_and_wrote() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(10), select("1", "Sales"));
    desk.apply(
        at(11),
        agent(AgentAction::EditNotes {
            workitem_id: "1".to_owned(),
            notes: "half written".to_owned(),
        }),
    );
    let effects = desk.apply(at(60), Input::Tick);
    let submitted = submissions(&effects);
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0].code.as_deref(), Some("Sales"));
    assert_eq!(submitted[0].notes, "half written");
    assert!(submitted[0].automatic);
}

#[test]
fn any_input_at_or_after_the_deadline_submits_first() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(at(75), select("1", "Sales"));
    assert_eq!(submissions(&effects).len(), 1);
    assert_eq!(
        submissions(&effects)[0].code.as_deref(),
        Some("Billing Issue")
    );
    assert!(effects.contains(&Effect::Refused {
        workitem_id: "1".to_owned(),
        reason: Refusal::AlreadySubmitted
    }));
}

#[test]
fn a_wrapup_without_duration_never_expires() {
    let mut desk = desk_in_wrapup("1", config(None));
    assert_eq!(desk.session("1").and_then(|s| s.deadline()), None);
    assert_eq!(desk.session("1").and_then(|s| s.countdown(at(5))), None);
    assert_eq!(desk.next_deadline(), None);
    assert_eq!(desk.apply(at(365 * 24 * 3600), Input::Tick), []);
    assert_eq!(
        desk.apply(at(1), extend("1", TimeDelta::seconds(30))),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::NoDeadline
        }]
    );
}

#[test]
fn the_deadline_comes_from_the_servers_opened_on_not_from_now() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(0), wrapup("1"));
    // The widget reloaded: the segment was opened long ago by the server.
    let effects = desk.apply(at(500), segment_opened("1", config(Some(60)), at(0)));
    assert_eq!(
        submissions(&effects).len(),
        1,
        "already over: submitted at once"
    );
}

fn codes_required_without_default() -> WrapupConfig {
    WrapupConfig {
        default_code: None,
        ..config(Some(60))
    }
}

#[test]
fn with_codes_required_and_none_selected_nothing_is_submitted() {
    let mut desk = desk_in_wrapup("1", codes_required_without_default());
    assert_eq!(desk.session("1").and_then(|s| s.selected_code()), None);
    assert_eq!(
        desk.apply(at(5), submit("1")),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::CodeRequired
        }]
    );
    assert_eq!(
        desk.apply(at(60), Input::Tick),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::NoCodeAtExpiry
        }]
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::ExpiredUnsubmitted)
    );
    assert_eq!(desk.apply(at(61), Input::Tick), [], "told once");
    // The agent may still choose a code and submit, once.
    desk.apply(at(62), select("1", "Sales"));
    let effects = desk.apply(at(63), submit("1"));
    assert_eq!(submissions(&effects).len(), 1);
    assert!(!submissions(&effects)[0].automatic);
    assert!(submissions(&desk.apply(at(64), submit("1"))).is_empty());
}

#[test]
fn with_codes_optional_and_no_default_the_wrapup_is_submitted_without_code() {
    let configuration = WrapupConfig {
        default_code: None,
        enable_codes: false,
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    let effects = desk.apply(at(60), Input::Tick);
    assert_eq!(submissions(&effects).len(), 1);
    assert_eq!(submissions(&effects)[0].code, None);
}

#[test]
fn the_end_of_the_workitem_submits_an_unsubmitted_wrapup_once() {
    let mut desk = desk_in_wrapup("1", config(None));
    let effects = desk.apply(at(30), end("1"));
    assert_eq!(emitted(&effects), ["workitemEnd"]);
    assert_eq!(submissions(&effects).len(), 1);
    assert!(submissions(&effects)[0].automatic);
    // The wrap-up waits for the outbox's answer, then is forgotten.
    assert!(desk.session("1").is_some());
    let confirmed = Input::Backend(BackendAnswer::SubmissionConfirmed {
        workitem_id: "1".to_owned(),
    });
    assert_eq!(
        desk.apply(at(31), confirmed),
        [Effect::ForgetWrapup {
            workitem_id: "1".to_owned()
        }]
    );
    assert!(desk.session("1").is_none());
    assert_eq!(desk.apply(at(32), end("1")), []);
}

#[test]
fn an_end_before_the_segment_opens_submits_once_it_opens() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), wrapup("1"));
    let effects = desk.apply(at(2), end("1"));
    assert!(submissions(&effects).is_empty(), "no configuration yet");
    let effects = desk.apply(at(3), segment_opened("1", config(Some(60)), at(1)));
    assert_eq!(submissions(&effects).len(), 1);
    assert_eq!(
        submissions(&effects)[0].code.as_deref(),
        Some("Billing Issue")
    );
}

#[test]
fn a_submission_restored_from_the_outbox_is_never_repeated() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let restored = WrapupSubmission {
        workitem_id: "1".to_owned(),
        segment_id: Some("segment-1".to_owned()),
        code: Some("Sales".to_owned()),
        notes: "before the reload".to_owned(),
        confirmed_on: at(5),
        automatic: false,
    };
    assert_eq!(
        desk.apply(at(6), Input::Restore(Restore::Submission(restored))),
        []
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Submitted)
    );
    assert_eq!(desk.apply(at(60), Input::Tick), []);
    assert!(submissions(&desk.apply(at(7), submit("1"))).is_empty());
}

#[test]
fn a_restored_draft_comes_back_silently() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let draft = wrapup_core::desk::WrapupDraft {
        selected_code: Some("Sales".to_owned()),
        custom_code: None,
        notes: "kept across the reload".to_owned(),
        refused_reason: None,
    };
    assert_eq!(
        desk.apply(
            at(6),
            Input::Restore(Restore::Draft {
                workitem_id: "1".to_owned(),
                draft
            })
        ),
        []
    );
    let session = desk.session("1");
    assert_eq!(session.and_then(|s| s.selected_code()), Some("Sales"));
    assert_eq!(session.map(|s| s.notes()), Some("kept across the reload"));
}

#[test]
fn a_failed_submission_is_not_retried_by_the_desk() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(5), submit("1"));
    let failed = Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: "1".to_owned(),
        reason: "HTTP 400".to_owned(),
    });
    assert_eq!(desk.apply(at(6), failed), [], "the draft is kept");
    assert!(submissions(&desk.apply(at(60), Input::Tick)).is_empty());
    assert!(submissions(&desk.apply(at(61), submit("1"))).is_empty());
}

#[test]
fn a_failed_submission_the_agent_retries_is_on_its_way_again_and_may_fail_again() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(5), submit("1"));
    let state = |desk: &Desk| {
        desk.session("1")
            .and_then(|s| s.submission())
            .map(|s| s.state.clone())
    };
    let failed = |reason: &str| {
        Input::Backend(BackendAnswer::SubmissionFailed {
            workitem_id: "1".to_owned(),
            reason: reason.to_owned(),
        })
    };
    let sent = || {
        Input::Backend(BackendAnswer::SubmissionSent {
            workitem_id: "1".to_owned(),
        })
    };
    desk.apply(at(6), failed("HTTP 503"));
    desk.apply(at(7), sent());
    assert_eq!(state(&desk), Some(SubmissionState::Sent));
    desk.apply(at(8), failed("network"));
    assert_eq!(
        state(&desk),
        Some(SubmissionState::Failed {
            reason: "network".to_owned()
        })
    );
}

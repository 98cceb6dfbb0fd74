//! A submission the backend refused as it is can be taken back and changed:
//! the agent's code and notes come back in the form, the refused submission
//! leaves the outbox, and only the agent submits again — never the Desk on
//! its own, not even when the time is over.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, Refusal, Restore, SubmissionState,
    WrapupConfig, WrapupDraft, WrapupPhase, WrapupSubmission,
};
use wrapup_core::record::FromJson;

fn reopen(id: &str) -> Input {
    agent(AgentAction::Reopen {
        workitem_id: id.to_owned(),
    })
}

fn notes(id: &str, notes: &str) -> Input {
    agent(AgentAction::EditNotes {
        workitem_id: id.to_owned(),
        notes: notes.to_owned(),
    })
}

fn refused(id: &str) -> Input {
    Input::Backend(BackendAnswer::SubmissionRefused {
        workitem_id: id.to_owned(),
        reason: REFUSED.to_owned(),
    })
}

fn failed(id: &str) -> Input {
    Input::Backend(BackendAnswer::SubmissionFailed {
        workitem_id: id.to_owned(),
        reason: "The server reported an error; still retrying".to_owned(),
    })
}

fn sent(id: &str) -> Input {
    Input::Backend(BackendAnswer::SubmissionSent {
        workitem_id: id.to_owned(),
    })
}

fn refusal(id: &str, reason: Refusal) -> Vec<Effect> {
    vec![Effect::Refused {
        workitem_id: id.to_owned(),
        reason,
    }]
}

/// A desk whose wrap-up "1" (60 s from `at(0)`) was submitted at `at(5)`
/// with "Sales" and notes, and refused by the backend at `at(6)`.
fn desk_refused() -> Desk {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), select("1", "Sales"));
    desk.apply(at(2), notes("1", "Refund promised"));
    desk.apply(at(5), submit("1"));
    desk.apply(at(6), sent("1"));
    desk.apply(at(6), refused("1"));
    desk
}

const REFUSED: &str = "`Sales` is not a wrap-up code this segment allows";

/// The draft of a wrap-up reopened after [`REFUSED`].
fn draft(code: &str, notes: &str) -> WrapupDraft {
    WrapupDraft {
        selected_code: Some(code.to_owned()),
        custom_code: None,
        notes: notes.to_owned(),
        refused_reason: Some(REFUSED.to_owned()),
    }
}

/// What reopening `desk_refused()`'s wrap-up does: the submission leaves
/// the outbox and comes back as the draft.
fn withdrawn_into_draft() -> [Effect; 2] {
    [
        Effect::WithdrawSubmission {
            workitem_id: "1".to_owned(),
        },
        Effect::PersistDraft {
            workitem_id: "1".to_owned(),
            draft: draft("Sales", "Refund promised"),
        },
    ]
}

#[test]
fn a_refused_submission_comes_back_as_the_draft_and_leaves_the_outbox() {
    let mut desk = desk_refused();
    assert_eq!(
        desk.session("1")
            .and_then(|s| s.submission())
            .map(|s| s.state.clone()),
        Some(SubmissionState::Refused {
            reason: REFUSED.to_owned()
        })
    );
    let effects = desk.apply(at(10), reopen("1"));
    assert_eq!(effects, withdrawn_into_draft());
    let session = desk.session("1").expect("the wrap-up stays");
    assert_eq!(session.phase(), WrapupPhase::Open);
    assert!(session.reopened());
    assert_eq!(
        session.refused_reason(),
        Some(REFUSED),
        "for the agent to read"
    );
    assert!(session.submission().is_none());
    assert_eq!(session.selected_code(), Some("Sales"));
    assert_eq!(session.notes(), "Refund promised");
    assert_eq!(desk.next_deadline(), Some(at(60)), "the countdown runs on");

    // The agent changes the code and submits again, by hand.
    desk.apply(at(11), select("1", "Billing Issue"));
    let effects = desk.apply(at(12), submit("1"));
    assert_eq!(
        submissions(&effects),
        [&WrapupSubmission {
            workitem_id: "1".to_owned(),
            segment_id: Some("segment-1".to_owned()),
            code: Some("Billing Issue".to_owned()),
            notes: "Refund promised".to_owned(),
            confirmed_on: at(12),
            automatic: false,
        }]
    );
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Submitted)
    );
}

#[test]
fn only_a_refusal_can_be_reopened_not_a_submission_still_being_sent_or_retried() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    assert_eq!(
        desk.apply(at(1), reopen("1")),
        refusal("1", Refusal::StillOpen),
        "nothing submitted yet"
    );
    desk.apply(at(5), submit("1"));
    assert_eq!(
        desk.apply(at(5), reopen("1")),
        refusal("1", Refusal::AlreadySubmitted),
        "saving"
    );
    desk.apply(at(6), sent("1"));
    assert_eq!(
        desk.apply(at(6), reopen("1")),
        refusal("1", Refusal::AlreadySubmitted),
        "on its way"
    );
    // A passing failure: the outbox retries in the background, and a
    // withdrawal now could race a delivery that succeeds.
    desk.apply(at(7), failed("1"));
    assert_eq!(
        desk.apply(at(7), reopen("1")),
        refusal("1", Refusal::AlreadySubmitted),
        "retried in the background"
    );
    assert!(desk.session("1").and_then(|s| s.submission()).is_some());
    // Retried until the backend refuses it: now it can be changed.
    desk.apply(at(8), refused("1"));
    assert_eq!(
        desk.session("1")
            .and_then(|s| s.submission())
            .map(|s| s.state.clone()),
        Some(SubmissionState::Refused {
            reason: REFUSED.to_owned()
        }),
        "a refusal follows a failure"
    );
    // The agent's Retry sends it again: on its way, it cannot be changed.
    desk.apply(at(9), sent("1"));
    assert_eq!(
        desk.apply(at(9), reopen("1")),
        refusal("1", Refusal::AlreadySubmitted)
    );
    desk.apply(at(10), refused("1"));
    assert!(!desk.apply(at(11), reopen("1")).is_empty());
    assert!(desk.session("1").is_some_and(|s| s.submission().is_none()));
    assert_eq!(
        desk.apply(at(12), reopen("1")),
        refusal("1", Refusal::StillOpen),
        "reopened once"
    );
}

#[test]
fn a_confirmation_after_a_refusal_wins_and_nothing_is_reopened() {
    let mut desk = desk_refused();
    desk.apply(at(7), sent("1"));
    desk.apply(
        at(8),
        Input::Backend(BackendAnswer::SubmissionConfirmed {
            workitem_id: "1".to_owned(),
        }),
    );
    assert_eq!(
        desk.apply(at(9), reopen("1")),
        refusal("1", Refusal::AlreadySubmitted)
    );
}

#[test]
fn reopened_after_the_deadline_it_is_not_submitted_again_on_its_own() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), select("1", "Sales"));
    desk.apply(at(2), notes("1", "Refund promised"));
    // The time ran out: the Desk submitted the agent's choice, and the
    // backend refused it.
    let effects = desk.apply(at(60), Input::Tick);
    assert_eq!(submissions(&effects).len(), 1);
    assert!(submissions(&effects)[0].automatic);
    desk.apply(at(61), refused("1"));

    let effects = desk.apply(at(90), reopen("1"));
    assert!(
        submissions(&effects).is_empty(),
        "the refused choice is not sent again: {effects:?}"
    );
    assert_eq!(effects, withdrawn_into_draft());
    let session = desk.session("1").expect("the wrap-up stays");
    assert_eq!(session.phase(), WrapupPhase::ExpiredUnsubmitted);
    assert_eq!(session.selected_code(), Some("Sales"), "the choice is kept");
    assert_eq!(desk.next_deadline(), None, "no countdown runs");
    for later in [at(91), at(3600)] {
        assert!(submissions(&desk.apply(later, Input::Tick)).is_empty());
    }
    // The agent submits by hand.
    desk.apply(at(3601), select("1", "Billing Issue"));
    let effects = desk.apply(at(3602), submit("1"));
    let submitted = submissions(&effects);
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0].code.as_deref(), Some("Billing Issue"));
    assert_eq!(submitted[0].notes, "Refund promised");
    assert!(!submitted[0].automatic);
}

#[test]
fn reopened_before_the_deadline_it_waits_for_the_agent_when_the_time_runs_out() {
    let mut desk = desk_refused();
    desk.apply(at(10), reopen("1"));
    desk.apply(at(20), notes("1", "Refund promised on Monday"));
    assert!(submissions(&desk.apply(at(59), Input::Tick)).is_empty());
    let effects = desk.apply(at(60), Input::Tick);
    assert_eq!(effects, [], "nothing submitted, nothing refused");
    let session = desk.session("1").expect("the wrap-up stays");
    assert_eq!(session.phase(), WrapupPhase::ExpiredUnsubmitted);
    assert_eq!(session.notes(), "Refund promised on Monday");
    // Dismissable, as any wrap-up left unsubmitted.
    assert_eq!(
        desk.apply(
            at(61),
            agent(AgentAction::Dismiss {
                workitem_id: "1".to_owned()
            })
        ),
        [Effect::ForgetWrapup {
            workitem_id: "1".to_owned()
        }]
    );
}

#[test]
fn reopened_after_its_workitem_ended_it_is_not_submitted_on_its_own() {
    let mut desk = desk_refused();
    desk.apply(at(7), end("1"));
    let effects = desk.apply(at(8), reopen("1"));
    assert!(submissions(&effects).is_empty(), "{effects:?}");
    let session = desk.session("1").expect("the wrap-up stays after the end");
    assert_eq!(session.phase(), WrapupPhase::ExpiredUnsubmitted);
    let effects = desk.apply(at(9), submit("1"));
    assert_eq!(submissions(&effects).len(), 1);
}

#[test]
fn a_reopened_wrapup_can_be_dismissed_before_its_time_is_over() {
    let mut desk = desk_refused();
    desk.apply(at(10), reopen("1"));
    let effects = desk.apply(
        at(11),
        agent(AgentAction::Dismiss {
            workitem_id: "1".to_owned(),
        }),
    );
    assert_eq!(
        effects,
        [Effect::ForgetWrapup {
            workitem_id: "1".to_owned()
        }]
    );
}

#[test]
fn a_refused_custom_code_comes_back_selected_as_the_custom_code() {
    let configuration = WrapupConfig {
        custom_codes_allowed: true,
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    desk.apply(
        at(1),
        Input::Integrator(wrapup_core::desk::IntegratorRequest::SetWrapupReason(
            wrapup_core::bs::SetWrapupReason {
                channel_id: "voice".to_owned(),
                workitem_id: "1".to_owned(),
                wrap_up_reason: "Callback promised".to_owned(),
                request_id: None,
            },
        )),
    );
    let effects = desk.apply(at(2), submit("1"));
    assert_eq!(
        submissions(&effects)[0].code.as_deref(),
        Some("Callback promised")
    );
    desk.apply(at(3), refused("1"));
    desk.apply(at(4), reopen("1"));
    let session = desk.session("1").expect("the wrap-up stays");
    assert_eq!(session.selected_code(), Some("Callback promised"));
    assert_eq!(session.custom_code(), Some("Callback promised"));
    assert_eq!(
        session.choices().first().map(|choice| choice.code.as_str()),
        Some("Callback promised"),
        "the picker shows it"
    );
    // Choosing an allowed code removes it, as ever.
    desk.apply(at(5), select("1", "Sales"));
    assert_eq!(desk.session("1").and_then(|s| s.custom_code()), None);
}

#[test]
fn after_a_reload_the_reopened_draft_is_not_submitted_on_its_own_past_the_deadline() {
    // The agent reopened the refused wrap-up; the page reloads after its
    // time is over. The outbox holds nothing; the draft says it was reopened.
    let mut desk = Desk::new();
    for input in [create("1"), connect("1"), wrapup("1")] {
        desk.apply(at(0), input);
    }
    desk.apply(
        at(90),
        Input::Restore(Restore::Draft {
            workitem_id: "1".to_owned(),
            draft: draft("Sales", "Refund promised"),
        }),
    );
    let effects = desk.apply(at(90), segment_opened("1", config(Some(60)), at(0)));
    assert!(submissions(&effects).is_empty(), "{effects:?}");
    let session = desk.session("1").expect("the wrap-up is back");
    assert_eq!(session.phase(), WrapupPhase::ExpiredUnsubmitted);
    assert_eq!(session.selected_code(), Some("Sales"));
    assert_eq!(session.notes(), "Refund promised");
    assert_eq!(session.refused_reason(), Some(REFUSED));
}

#[test]
fn a_draft_says_it_was_reopened_only_when_it_was() {
    let plain = WrapupDraft {
        selected_code: Some("Sales".to_owned()),
        custom_code: None,
        notes: "n".to_owned(),
        refused_reason: None,
    };
    let stored = serde_json::to_value(&plain).unwrap_or_default();
    assert_eq!(stored.get("refused_reason"), None, "{stored}");
    assert_eq!(WrapupDraft::from_json(stored.into()).ok(), Some(plain));
    let reopened = draft("Sales", "n");
    let stored = serde_json::to_value(&reopened).unwrap_or_default();
    assert_eq!(stored["refused_reason"], REFUSED);
    assert_eq!(WrapupDraft::from_json(stored.into()).ok(), Some(reopened));
}

#[test]
fn a_reopened_wrapup_extended_before_its_deadline_still_waits_for_the_agent() {
    let mut desk = desk_refused();
    desk.apply(at(10), reopen("1"));
    desk.apply(at(11), extend("1", TimeDelta::seconds(30)));
    desk.apply(
        at(12),
        Input::Backend(BackendAnswer::ExtensionAccepted {
            workitem_id: "1".to_owned(),
            new_deadline: at(90),
        }),
    );
    assert!(submissions(&desk.apply(at(60), Input::Tick)).is_empty());
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::Open)
    );
    assert!(submissions(&desk.apply(at(90), Input::Tick)).is_empty());
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::ExpiredUnsubmitted)
    );
}

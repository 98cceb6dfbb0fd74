//! What integrators hear of a wrap-up does not depend on who ended it: the
//! automatic submission when the time runs out emits the same `cil` events
//! as the agent pressing Submit.

mod desk_support;

use desk_support::*;
use wrapup_core::bs::{CilEvent, SetWrapupReason};
use wrapup_core::desk::{BackendAnswer, Desk, Effect, Input, IntegratorRequest};

/// The events among `effects`.
fn events(effects: Vec<Effect>) -> Vec<CilEvent> {
    effects
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::Emit(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// The events of workitem 1's wrap-up from `ending` (a Submit or the
/// deadline's tick) until the submission is confirmed and the call ends.
fn events_from(mut desk: Desk, ending: (i64, Input)) -> Vec<CilEvent> {
    let (second, input) = ending;
    let effects = desk.apply(at(second), input);
    assert_eq!(submissions(&effects).len(), 1, "the ending submits");
    let mut emitted = events(effects);
    for input in [
        Input::Backend(BackendAnswer::SubmissionSent {
            workitem_id: "1".to_owned(),
        }),
        Input::Backend(BackendAnswer::SubmissionConfirmed {
            workitem_id: "1".to_owned(),
        }),
        end("1"),
    ] {
        emitted.extend(events(desk.apply(at(second + 1), input)));
    }
    emitted
}

#[test]
fn expiry_emits_what_a_manual_submit_emits() {
    let manual = events_from(desk_in_wrapup("1", config(Some(60))), (10, submit("1")));
    let automatic = events_from(desk_in_wrapup("1", config(Some(60))), (60, Input::Tick));
    assert_eq!(manual, automatic);
    assert_eq!(
        manual.iter().map(CilEvent::name).collect::<Vec<_>>(),
        ["workitemEnd"]
    );
}

#[test]
fn expiry_with_an_integrators_reason_emits_what_a_manual_submit_emits() {
    let with_reason = || {
        let mut desk = desk_in_wrapup("1", config(Some(60)));
        let effects = desk.apply(
            at(1),
            Input::Integrator(IntegratorRequest::SetWrapupReason(SetWrapupReason {
                channel_id: "voice".to_owned(),
                workitem_id: "1".to_owned(),
                wrap_up_reason: "Documentation".to_owned(),
                request_id: Some("r1".to_owned()),
            })),
        );
        assert_eq!(
            emitted(&effects),
            ["callVariableChanged", "wrapupDataChanged"]
        );
        desk
    };
    let manual = events_from(with_reason(), (10, submit("1")));
    let automatic = events_from(with_reason(), (60, Input::Tick));
    assert_eq!(manual, automatic);
}

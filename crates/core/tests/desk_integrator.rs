//! Integrator requests that change a wrap-up: `setWrapupReason` and
//! `updateWorkitemData`, with the spec's custom reason rule: "When a custom
//! Wrap-Up reason is set using the Integration API, the new value is
//! automatically added as selected to the list of available Wrap-Up reasons
//! in the gadget. When a different reason is manually selected from the list
//! or set via the Integration API, the previously custom set reason is removed
//! from the list."

mod desk_support;

use desk_support::*;
use serde_json::json;
use wrapup_core::bs::{CilEvent, SetWrapupReason, UpdateWorkitemData, WorkitemState};
use wrapup_core::desk::{
    AgentAction, Desk, Effect, Input, IntegratorRequest, NotesLimit, Refusal, WrapupConfig,
    WrapupDraft, WrapupPhase,
};

fn set_reason(id: &str, reason: &str) -> Input {
    Input::Integrator(IntegratorRequest::SetWrapupReason(SetWrapupReason {
        channel_id: "voice".to_owned(),
        workitem_id: id.to_owned(),
        wrap_up_reason: reason.to_owned(),
        request_id: Some("req-1".to_owned()),
    }))
}

fn update(id: &str, data: serde_json::Value) -> Input {
    Input::Integrator(IntegratorRequest::UpdateWorkitemData(UpdateWorkitemData {
        channel_id: "voice_5000".to_owned(),
        workitem_id: id.to_owned(),
        updated_data: serde_json::from_value(data).unwrap_or_default(),
        request_id: Some("req-2".to_owned()),
    }))
}

fn choices(desk: &Desk) -> Vec<String> {
    desk.session("1")
        .map(|session| {
            session
                .choices()
                .into_iter()
                .map(|code| code.code)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_custom_reason_is_added_selected_and_removed_by_another_choice() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(at(1), set_reason("1", "Documentation"));
    let mut expected = workitem("1", WorkitemState::Wrapup);
    expected.cti_data_mut().wrap_up_reason = Some("Documentation".to_owned());
    expected.request_id = Some("req-1".to_owned());
    assert_eq!(
        effects,
        [
            Effect::PersistDraft {
                workitem_id: "1".to_owned(),
                draft: WrapupDraft {
                    selected_code: Some("Documentation".to_owned()),
                    custom_code: Some("Documentation".to_owned()),
                    notes: String::new(),
                    refused_reason: None,
                },
            },
            Effect::Emit(CilEvent::CallVariableChanged(expected.clone())),
            Effect::Emit(CilEvent::WrapupDataChanged(expected)),
        ]
    );
    assert_eq!(choices(&desk), ["Documentation", "Billing Issue", "Sales"]);
    assert_eq!(
        desk.session("1").and_then(|s| s.selected_code()),
        Some("Documentation")
    );

    // The agent chooses another code: the custom one leaves the list.
    let effects = desk.apply(at(2), select("1", "Sales"));
    assert_eq!(
        emitted(&effects),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    assert_eq!(choices(&desk), ["Billing Issue", "Sales"]);

    // Another custom reason replaces none; an allowed one removes it again.
    desk.apply(at(3), set_reason("1", "Escalated"));
    assert_eq!(choices(&desk), ["Escalated", "Billing Issue", "Sales"]);
    desk.apply(at(4), set_reason("1", "Something else"));
    assert_eq!(choices(&desk), ["Something else", "Billing Issue", "Sales"]);
    desk.apply(at(5), set_reason("1", "Billing Issue"));
    assert_eq!(choices(&desk), ["Billing Issue", "Sales"]);
    assert_eq!(
        desk.session("1").and_then(|s| s.selected_code()),
        Some("Billing Issue")
    );
}

fn custom_codes_allowed() -> WrapupConfig {
    WrapupConfig {
        custom_codes_allowed: true,
        ..config(Some(60))
    }
}

#[test]
fn the_custom_reason_is_what_gets_submitted_where_custom_codes_are_allowed() {
    let mut desk = desk_in_wrapup("1", custom_codes_allowed());
    desk.apply(at(1), set_reason("1", "Documentation"));
    assert!(
        !desk
            .session("1")
            .is_some_and(|s| s.selection_goes_into_notes())
    );
    let effects = desk.apply(at(60), Input::Tick);
    assert_eq!(
        submissions(&effects)[0].code.as_deref(),
        Some("Documentation")
    );
    assert_eq!(submissions(&effects)[0].notes, "");
}

fn notes(id: &str, notes: &str) -> Input {
    Input::Agent(AgentAction::EditNotes {
        workitem_id: id.to_owned(),
        notes: notes.to_owned(),
    })
}

#[test]
fn where_custom_codes_are_refused_the_default_is_sent_and_the_reason_leads_the_notes() {
    // Regression: a custom reason was submitted as the code, which ServiceNow
    // answers with 400 when it has allowed codes, so the wrap-up failed for good.
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), set_reason("1", "Documentation"));
    desk.apply(at(2), notes("1", "Sent the manual"));
    // The agent still sees the reason selected, as the b+s spec says.
    assert_eq!(
        desk.session("1").and_then(|s| s.selected_code()),
        Some("Documentation")
    );
    assert_eq!(choices(&desk)[0], "Documentation");
    // ...and is told before submitting that it goes into the notes.
    assert!(
        desk.session("1")
            .is_some_and(|s| s.selection_goes_into_notes())
    );
    let effects = desk.apply(at(3), submit("1"));
    let submitted = submissions(&effects);
    assert_eq!(submitted[0].code.as_deref(), Some("Billing Issue"));
    assert_eq!(submitted[0].notes, "Documentation — Sent the manual");
    assert!(!submitted[0].automatic);
}

#[test]
fn the_automatic_submission_of_a_refused_custom_code_sends_the_fallback_too() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    desk.apply(at(1), set_reason("1", "Documentation"));
    let effects = desk.apply(at(60), Input::Tick);
    let submitted = submissions(&effects);
    assert_eq!(submitted[0].code.as_deref(), Some("Billing Issue"));
    assert_eq!(
        submitted[0].notes, "Documentation",
        "no notes: the reason alone"
    );
    assert!(submitted[0].automatic);
}

#[test]
fn the_reason_moved_into_the_notes_stays_within_the_notes_limit() {
    let configuration = WrapupConfig {
        notes_limit: Some(NotesLimit::new(20)),
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    desk.apply(at(1), set_reason("1", "Documentation"));
    desk.apply(at(2), notes("1", "Sent the manual"));
    let effects = desk.apply(at(3), submit("1"));
    assert_eq!(submissions(&effects)[0].notes, "Documentation — Sent");
}

#[test]
fn without_a_default_a_refused_custom_code_leaves_no_code_to_submit() {
    let configuration = WrapupConfig {
        default_code: None,
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    desk.apply(at(1), set_reason("1", "Documentation"));
    assert_eq!(
        desk.apply(at(2), submit("1")),
        [Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: Refusal::CodeRequired
        }]
    );
    let effects = desk.apply(at(60), Input::Tick);
    assert!(submissions(&effects).is_empty());
    assert_eq!(
        desk.session("1").map(|s| s.phase()),
        Some(WrapupPhase::ExpiredUnsubmitted)
    );
    // With codes optional, the wrap-up is sent without a code.
    let configuration = WrapupConfig {
        default_code: None,
        enable_codes: false,
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("2", configuration);
    desk.apply(at(1), set_reason("2", "Documentation"));
    let effects = desk.apply(at(2), submit("2"));
    assert_eq!(submissions(&effects)[0].code, None);
    assert_eq!(submissions(&effects)[0].notes, "Documentation");
}

#[test]
fn a_default_code_the_backend_did_not_list_is_offered() {
    // Regression: a default code outside `allowed_codes` was selected (and
    // accepted) but missing from the choices, so the picker did not show it.
    let configuration = WrapupConfig {
        default_code: Some("General".to_owned()),
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    assert_eq!(
        desk.session("1").and_then(|s| s.selected_code()),
        Some("General")
    );
    assert_eq!(choices(&desk), ["General", "Billing Issue", "Sales"]);
    desk.apply(at(1), set_reason("1", "Documentation"));
    assert_eq!(
        choices(&desk),
        ["Documentation", "General", "Billing Issue", "Sales"]
    );
}

#[test]
fn the_same_reason_twice_raises_nothing_the_second_time() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    assert_eq!(
        emitted(&desk.apply(at(1), set_reason("1", "Sales"))),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    assert_eq!(desk.apply(at(2), set_reason("1", "Sales")), []);
    assert_eq!(
        desk.apply(at(3), select("1", "Sales")),
        [],
        "already selected"
    );
}

#[test]
fn a_reason_set_before_wrapup_becomes_the_selection() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), connect("1"));
    let effects = desk.apply(at(2), set_reason("1", "Documentation"));
    assert_eq!(
        emitted(&effects),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    desk.apply(at(3), wrapup("1"));
    desk.apply(at(4), segment_opened("1", config(Some(60)), at(3)));
    assert_eq!(
        desk.session("1").and_then(|s| s.selected_code()),
        Some("Documentation")
    );
    assert_eq!(
        desk.session("1").and_then(|s| s.custom_code()),
        Some("Documentation")
    );

    // An allowed code set before the codes were known is not custom.
    let mut desk = Desk::new();
    desk.apply(at(0), wrapup("2"));
    desk.apply(at(1), set_reason("2", "Sales"));
    desk.apply(at(2), segment_opened("2", config(Some(60)), at(0)));
    assert_eq!(
        desk.session("2").and_then(|s| s.selected_code()),
        Some("Sales")
    );
    assert_eq!(desk.session("2").and_then(|s| s.custom_code()), None);
}

#[test]
fn update_workitem_data_changes_call_variables_and_the_reason() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(
        at(1),
        update("1", json!({ "callVariable1": "12345", "user.eccVar1": "999999", "wrapUpReason": "Documentation" })),
    );
    assert_eq!(
        emitted(&effects),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    let workitem = desk
        .workitem("1")
        .and_then(|w| w.cti_data.clone())
        .unwrap_or_default();
    assert_eq!(workitem.ecc_variable("eccVar1"), Some("999999"));
    assert_eq!(workitem.wrap_up_reason.as_deref(), Some("Documentation"));
    assert_eq!(
        desk.session("1").and_then(|s| s.custom_code()),
        Some("Documentation")
    );

    // Call variables alone raise callVariableChanged only.
    let effects = desk.apply(at(2), update("1", json!({ "callVariable3": "x" })));
    assert_eq!(emitted(&effects), ["callVariableChanged"]);
    assert_eq!(
        desk.apply(at(3), update("1", json!({ "callVariable3": "x" }))),
        []
    );
}

#[test]
fn failed_requests_change_nothing_and_answer_with_an_error_event() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let effects = desk.apply(at(1), set_reason("nobody", "Sales"));
    assert_eq!(
        errors(&effects),
        ["setWrapupReason: there is no workitem `nobody` (it may have ended)"]
    );
    let Some(Effect::Emit(CilEvent::Error(error))) = effects.first() else {
        panic!("no error event");
    };
    assert_eq!(error.request_id, "req-1");

    let effects = desk.apply(at(2), update("1", json!({ "callVariable1": 5 })));
    assert_eq!(errors(&effects).len(), 1);
    assert!(
        errors(&effects)[0].contains("must be a string"),
        "{:?}",
        errors(&effects)
    );

    let wrong_channel = Input::Integrator(IntegratorRequest::SetWrapupReason(SetWrapupReason {
        channel_id: "voice_6000".to_owned(),
        workitem_id: "1".to_owned(),
        wrap_up_reason: "Sales".to_owned(),
        request_id: None,
    }));
    assert_eq!(
        errors(&desk.apply(at(3), wrong_channel)),
        ["setWrapupReason: workitem `1` is on channel `voice_5000`, not `voice_6000`"]
    );

    desk.apply(at(4), submit("1"));
    let effects = desk.apply(
        at(5),
        update(
            "1",
            json!({ "callVariable1": "changed", "wrapUpReason": "Sales" }),
        ),
    );
    assert_eq!(
        errors(&effects),
        ["updateWorkitemData: the wrap-up was already submitted"]
    );
    assert_eq!(
        desk.workitem("1")
            .and_then(|w| w.cti_data.as_ref())
            .and_then(|d| d.call_variable1.clone())
            .as_deref(),
        Some("12345"),
        "a refused request changes nothing"
    );
    // Call variables alone may still change after the submission.
    assert_eq!(
        emitted(&desk.apply(at(6), update("1", json!({ "callVariable1": "changed" })))),
        ["callVariableChanged"]
    );
}

#[test]
fn a_reason_from_the_cti_system_follows_the_same_rule() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    let mut changed = workitem("1", WorkitemState::Wrapup);
    changed.cti_data_mut().wrap_up_reason = Some("Set on the phone".to_owned());
    let effects = desk.apply(at(1), Input::Cti(CilEvent::WrapupDataChanged(changed)));
    assert_eq!(
        emitted(&effects),
        ["callVariableChanged", "wrapupDataChanged"]
    );
    assert_eq!(
        desk.session("1").and_then(|s| s.custom_code()),
        Some("Set on the phone")
    );
}

#[test]
fn queries_for_integrators() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    assert!(desk.is_update_workitem_data_enabled("voice", "1"));
    assert!(desk.is_update_workitem_data_enabled("voice_5000", "1"));
    assert!(!desk.is_update_workitem_data_enabled("voice_6000", "1"));
    assert!(!desk.is_update_workitem_data_enabled("voice", "2"));
    assert!(!desk.is_send_dtmf_enabled(), "not answered yet");
    desk.apply(at(1), end("1"));
    assert!(!desk.is_update_workitem_data_enabled("voice", "1"));
}

//! The requests of the `cil` bridge: every spec request read and validated
//! as the bridge reads it (the rules `bs_requests.rs` does not cover yet),
//! the widget's own requests (`getWrapupState`, `submitWrapup`,
//! `extendWrapup`), and `WrapupState`. How a request that cannot be read
//! is refused is `bs_bridge_refusals.rs`.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use serde_json::{Value, json};
use wrapup_core::bs::{
    BridgeProblem, BridgeRequest, ChannelIdForms, CilRequest, ExtendWrapup, RefusedRequest,
    RequestProblem, SPEC_REQUEST_NAMES, SubmissionStatus, WRAPUP_REQUEST_NAMES, WrapupRequest,
    WrapupState,
};
use wrapup_core::desk::{BackendAnswer, Desk, Input};
use wrapup_core::extension::ExtensionError;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn read(request: &Value) -> Result<BridgeRequest, RefusedRequest> {
    BridgeRequest::read(&request.to_string())
}

/// The rule `request` breaks, if any.
fn problem(request: Value) -> Option<RequestProblem> {
    match read(&request) {
        Ok(_) => None,
        Err(RefusedRequest {
            problem: BridgeProblem::Invalid(error),
            ..
        }) => Some(error.problem),
        Err(other) => panic!("{request} was not read: {other}"),
    }
}

#[test]
fn every_spec_request_reads_as_serde_reads_it() -> TestResult {
    let requests = [
        json!({ "request": "setAgentState", "channelId": "voice_5000", "state": "NotReady", "reasonCode": "32762", "requestId": "r" }),
        json!({ "request": "directTransfer", "channelId": "voice", "address": "+41445551234", "workitemId": "1", "requestId": "r" }),
        json!({ "request": "singleStepConference", "channelId": "voice_-1", "address": "2002" }),
        json!({ "request": "dialOrConsult", "channelId": "telephony", "address": "+41445551234", "requestId": "r" }),
        json!({ "request": "getReasonCodeList", "channelId": "voice", "reasonType": "Wrapup" }),
        json!({ "request": "getChannel", "channelId": "voice" }),
        json!({ "request": "sendDtmf", "dtmf": "12*#AD", "requestId": "r" }),
        json!({ "request": "isSendDtmfEnabled" }),
        json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": 16777302, "updatedData": { "callVariable1": "12345" }, "requestId": 7 }),
        json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "1" }),
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": "Documentation", "requestId": "r" }),
    ];
    assert_eq!(requests.len(), SPEC_REQUEST_NAMES.len());
    for (original, name) in requests.iter().zip(SPEC_REQUEST_NAMES) {
        let by_serde: CilRequest = serde_json::from_value(original.clone())?;
        assert_eq!(by_serde.name(), name, "the names are listed in order");
        assert_eq!(read(original)?, BridgeRequest::Spec(by_serde), "{original}");
    }
    Ok(())
}

#[test]
fn every_wrapup_request_reads_and_round_trips() -> TestResult {
    let requests = [
        json!({ "request": "getWrapupState", "workitemId": "1" }),
        json!({ "request": "submitWrapup", "workitemId": "1", "requestId": "r" }),
        json!({ "request": "extendWrapup", "workitemId": "1", "seconds": 30, "requestId": "r" }),
    ];
    for (original, name) in requests.iter().zip(WRAPUP_REQUEST_NAMES) {
        let BridgeRequest::Wrapup(request) = read(original)? else {
            return Err(format!("{original} is not the widget's").into());
        };
        assert_eq!(request.name(), name);
        assert_eq!(request.workitem_id(), "1");
        assert_eq!(serde_json::to_value(&request)?, *original);
        let by_serde: WrapupRequest = serde_json::from_value(original.clone())?;
        assert_eq!(by_serde, request);
    }
    Ok(())
}

// The rules of each spec request that `bs_requests.rs` leaves out.

#[test]
fn set_agent_state_needs_a_channel() {
    assert_eq!(
        problem(json!({ "request": "setAgentState", "state": "Ready" })),
        Some(RequestProblem::Missing("channelId"))
    );
}

#[test]
fn single_step_conference_needs_an_address_on_a_voice_channel() {
    assert_eq!(
        problem(json!({ "request": "singleStepConference", "channelId": "voice" })),
        Some(RequestProblem::Missing("address"))
    );
    assert_eq!(
        problem(
            json!({ "request": "singleStepConference", "channelId": "telephony", "address": "1" })
        ),
        Some(RequestProblem::TelephonyNotAccepted(ChannelIdForms::Voice))
    );
    assert_eq!(
        problem(
            json!({ "request": "singleStepConference", "channelId": "voice_5000", "address": "1" })
        ),
        None,
        "the workitem is optional"
    );
}

#[test]
fn dial_or_consult_needs_an_address_and_takes_telephony() {
    assert_eq!(
        problem(json!({ "request": "dialOrConsult", "channelId": "voice", "address": "  " })),
        Some(RequestProblem::Missing("address"))
    );
    assert_eq!(
        problem(json!({ "request": "dialOrConsult", "channelId": "telephony", "address": "1" })),
        None
    );
    assert!(matches!(
        problem(json!({ "request": "dialOrConsult", "channelId": "phone", "address": "1" })),
        Some(RequestProblem::ChannelId { .. })
    ));
}

#[test]
fn direct_transfer_takes_an_optional_workitem() {
    assert_eq!(
        problem(json!({ "request": "directTransfer", "channelId": "voice_-1", "address": "2002" })),
        None
    );
    assert_eq!(
        problem(json!({ "request": "directTransfer", "address": "2002" })),
        Some(RequestProblem::Missing("channelId"))
    );
}

#[test]
fn get_channel_and_reason_codes_need_a_channel() {
    assert_eq!(
        problem(json!({ "request": "getReasonCodeList", "reasonType": "NotReady" })),
        Some(RequestProblem::Missing("channelId"))
    );
    assert_eq!(
        problem(json!({ "request": "getChannel", "channelId": "" })),
        Some(RequestProblem::Missing("channelId"))
    );
}

#[test]
fn is_send_dtmf_enabled_takes_nothing_and_ignores_extra_fields() {
    assert_eq!(problem(json!({ "request": "isSendDtmfEnabled" })), None);
    assert_eq!(
        problem(json!({ "request": "isSendDtmfEnabled", "channelId": 5 })),
        None
    );
}

#[test]
fn send_dtmf_refuses_the_first_wrong_character() {
    assert_eq!(
        problem(json!({ "request": "sendDtmf", "dtmf": "1 2" })),
        Some(RequestProblem::DtmfCharacter {
            character: ' ',
            position: 2,
            center: None,
        })
    );
}

#[test]
fn update_workitem_data_refuses_telephony_and_a_missing_workitem() {
    let data = json!({ "callVariable1": "x" });
    assert_eq!(
        problem(
            json!({ "request": "updateWorkitemData", "channelId": "telephony", "workitemId": "1", "updatedData": data })
        ),
        Some(RequestProblem::TelephonyNotAccepted(ChannelIdForms::Voice))
    );
    assert_eq!(
        problem(
            json!({ "request": "updateWorkitemData", "channelId": "voice", "updatedData": data })
        ),
        Some(RequestProblem::Missing("workitemId"))
    );
    assert_eq!(
        problem(
            json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "1" })
        ),
        Some(RequestProblem::NothingToUpdate),
        "no updatedData at all is nothing to update"
    );
    assert_eq!(
        problem(
            json!({ "request": "updateWorkitemData", "channelId": "voice", "workitemId": "1", "updatedData": { "wrapUpReason": null } })
        ),
        Some(RequestProblem::NotAString {
            key: "wrapUpReason".to_owned(),
            found: "null"
        })
    );
}

#[test]
fn is_update_workitem_data_enabled_needs_a_channel_and_a_workitem() {
    assert_eq!(
        problem(json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": "voice" })),
        Some(RequestProblem::Missing("workitemId"))
    );
    assert_eq!(
        problem(json!({ "request": "isUpdateWorkitemDataEnabled", "workitemId": "1" })),
        Some(RequestProblem::Missing("channelId"))
    );
    assert_eq!(
        problem(
            json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": "telephony", "workitemId": "1" })
        ),
        None
    );
}

#[test]
fn set_wrapup_reason_takes_telephony() {
    assert_eq!(
        problem(
            json!({ "request": "setWrapupReason", "channelId": "telephony", "workitemId": "1", "wrapUpReason": "A" })
        ),
        None
    );
}

// The widget's own requests.

#[test]
fn get_wrapup_state_and_submit_need_a_workitem() {
    for name in ["getWrapupState", "submitWrapup"] {
        assert_eq!(
            problem(json!({ "request": name })),
            Some(RequestProblem::Missing("workitemId")),
            "{name}"
        );
        assert_eq!(problem(json!({ "request": name, "workitemId": 12 })), None);
    }
    let BridgeRequest::Wrapup(submit) =
        read(&json!({ "request": "submitWrapup", "workitemId": "1", "requestId": "s1" }))
            .expect("valid")
    else {
        panic!("not the widget's");
    };
    assert_eq!(submit.request_id(), Some("s1"));
}

#[test]
fn extend_wrapup_takes_5_to_900_seconds() {
    let extend = |seconds: Value| {
        problem(json!({ "request": "extendWrapup", "workitemId": "1", "seconds": seconds }))
    };
    for seconds in [json!(5), json!(900), json!(30.5)] {
        assert_eq!(extend(seconds.clone()), None, "{seconds}");
    }
    assert_eq!(
        extend(json!(4.9)),
        Some(RequestProblem::ExtensionAmount {
            seconds: "4.9".to_owned(),
            error: ExtensionError::TooShort
        })
    );
    assert_eq!(
        extend(json!(901)),
        Some(RequestProblem::ExtensionAmount {
            seconds: "901".to_owned(),
            error: ExtensionError::TooLong
        })
    );
    assert_eq!(
        extend(json!("30")),
        Some(RequestProblem::NotANumber {
            key: "seconds",
            found: "a string"
        })
    );
    assert_eq!(
        problem(json!({ "request": "extendWrapup", "workitemId": "1" })),
        Some(RequestProblem::Missing("seconds"))
    );
    assert_eq!(
        problem(json!({ "request": "extendWrapup", "seconds": 30 })),
        Some(RequestProblem::Missing("workitemId"))
    );
    let message = read(
        &json!({ "request": "extendWrapup", "workitemId": "1", "seconds": -3, "requestId": "e1" }),
    )
    .expect_err("negative")
    .to_string();
    assert_eq!(
        message,
        "extendWrapup: `seconds` is -3, but an extension must add at least 5 seconds; give 5 to 900 seconds"
    );
    let amount = ExtendWrapup {
        seconds: Some(json!(30.5).into()),
        ..ExtendWrapup::default()
    }
    .amount();
    assert_eq!(
        amount,
        Some(TimeDelta::milliseconds(30_500)),
        "a fraction counts to the millisecond, as Tenios takes the end time"
    );
}

#[test]
fn extend_wrapup_refuses_an_amount_beyond_any_duration_without_panicking() {
    // `seconds: -1e300` panicked in `TimeDelta::milliseconds`: validation
    // asked for the amount before checking its range.
    let extend = |seconds: f64| {
        problem(json!({ "request": "extendWrapup", "workitemId": "1", "seconds": seconds }))
    };
    assert!(matches!(
        extend(-1e300),
        Some(RequestProblem::ExtensionAmount {
            error: ExtensionError::TooShort,
            ..
        })
    ));
    assert!(matches!(
        extend(1e300),
        Some(RequestProblem::ExtensionAmount {
            error: ExtensionError::TooLong,
            ..
        })
    ));
}

// `getWrapupState`.

#[test]
fn wrapup_state_of_an_unknown_workitem_is_none_and_of_a_live_call_is_empty() -> TestResult {
    let mut desk = Desk::new();
    assert_eq!(WrapupState::of(&desk, "1"), None);
    desk.apply(at(0), create("1"));
    let state = WrapupState::of(&desk, "1").ok_or("live")?;
    assert_eq!(
        serde_json::to_value(&state)?,
        json!({ "workitemId": "1", "inWrapup": false, "notes": "", "submission": "none" })
    );
    Ok(())
}

#[test]
fn wrapup_state_follows_the_wrapup_to_its_submission() -> TestResult {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    assert_eq!(
        serde_json::to_value(WrapupState::of(&desk, "1").ok_or("in wrap-up")?)?,
        json!({
            "workitemId": "1",
            "inWrapup": true,
            "deadline": "2024-09-16T17:53:01.000Z",
            "selectedCode": "Billing Issue",
            "notes": "",
            "submission": "none"
        })
    );
    desk.apply(at(5), submit("1"));
    let saving = WrapupState::of(&desk, "1").ok_or("submitted")?;
    assert!(!saving.in_wrapup);
    assert_eq!(saving.submission, SubmissionStatus::Saving);
    desk.apply(
        at(6),
        Input::Backend(BackendAnswer::SubmissionFailed {
            workitem_id: "1".to_owned(),
            reason: "the server answered 503".to_owned(),
        }),
    );
    assert_eq!(
        serde_json::to_value(WrapupState::of(&desk, "1").ok_or("failed")?)?,
        json!({
            "workitemId": "1",
            "inWrapup": false,
            "deadline": "2024-09-16T17:53:01.000Z",
            "selectedCode": "Billing Issue",
            "notes": "",
            "submission": "failed",
            "failure": "the server answered 503"
        })
    );
    Ok(())
}

#[test]
fn wrapup_state_has_no_deadline_without_a_time_limit() -> TestResult {
    let desk = desk_in_wrapup("1", config(None));
    let state = WrapupState::of(&desk, "1").ok_or("in wrap-up")?;
    assert!(state.in_wrapup);
    assert_eq!(state.deadline, None);
    assert!(serde_json::to_value(&state)?.get("deadline").is_none());
    Ok(())
}

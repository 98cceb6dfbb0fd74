//! The b+s Connects requests: the spec's `updatedData` example, their shape,
//! and validation errors a person can act on.

mod spec_support;

use serde_json::{Value, json};
use spec_support::{fixture, round_trip};
use wrapup_core::bs::{
    AgentState, BridgeRequest, ChannelIdForms, CilRequest, ContactCenter, CtiData,
    GetReasonCodeList, ReasonType, RequestProblem, SendDtmf, SetAgentState, SetWrapupReason,
    TransferRequest, UpdateWorkitemData,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn problem(request: Value) -> Result<Option<RequestProblem>, serde_json::Error> {
    let request: CilRequest = serde_json::from_value(request)?;
    Ok(request.validate().err().map(|error| error.problem))
}

/// What an integrator reads when `request` is refused (empty if it is valid).
fn refusal_message(request: Value) -> Result<String, serde_json::Error> {
    let request: CilRequest = serde_json::from_value(request)?;
    Ok(request
        .validate()
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default())
}

/// The spec's only JSON example, `updatedData` under updateWorkitemData (in
/// its field table and again in its sample code), as the spec writes it: a
/// JavaScript object with single quotes.
const UPDATED_DATA_EXAMPLE: &str =
    "{'callVariable1': '12345', 'user.eccVar1': '999999', 'wrapUpReason': 'Documentation'}";

#[test]
fn update_workitem_data_updated_data() -> TestResult {
    let path = "bs/update_workitem_data_updated_data.json";
    let text = fixture(path);
    // The fixture is the example with its quotes made JSON, nothing else changed.
    assert_eq!(text.trim_end(), UPDATED_DATA_EXAMPLE.replace('\'', "\""));

    // Its keys are ctiData's: it parses into the call data and writes back the same.
    let cti: CtiData = round_trip(path);
    assert_eq!(cti.call_variable(1), Some("12345"));
    assert_eq!(cti.ecc_variable("eccVar1"), Some("999999"));
    assert_eq!(cti.wrap_up_reason.as_deref(), Some("Documentation"));

    // The sample code's request, cil.updateWorkitemData(channelId, workitemId,
    // {...}, requestId), as the bridge reads it.
    let updated_data: Value = serde_json::from_str(&text)?;
    let original = json!({
        "request": "updateWorkitemData",
        "channelId": "voice",
        "workitemId": "16777302",
        "updatedData": updated_data,
        "requestId": "req-1"
    });
    let BridgeRequest::Spec(request) = BridgeRequest::read(&original.to_string())? else {
        return Err("not a request of the spec".into());
    };
    let CilRequest::UpdateWorkitemData(update) = &request else {
        return Err("not updateWorkitemData".into());
    };
    assert_eq!(
        update.updated_data.get("user.eccVar1"),
        Some(&"999999".into())
    );
    assert_eq!(update.updated_data.len(), 3);
    assert_eq!(serde_json::to_value(&request)?, original);
    Ok(())
}

#[test]
fn every_request_round_trips() -> TestResult {
    let requests = [
        json!({ "request": "setAgentState", "channelId": "voice_5000", "state": "NotReady", "reasonCode": "32762", "requestId": "r" }),
        json!({ "request": "directTransfer", "channelId": "voice", "address": "+41445551234", "workitemId": "1", "requestId": "r" }),
        json!({ "request": "singleStepConference", "channelId": "voice_-1", "address": "2002" }),
        json!({ "request": "dialOrConsult", "channelId": "telephony", "address": "+41445551234", "requestId": "r" }),
        json!({ "request": "getReasonCodeList", "channelId": "voice", "reasonType": "Wrapup" }),
        json!({ "request": "getChannel", "channelId": "voice" }),
        json!({ "request": "sendDtmf", "dtmf": "12*#AD", "requestId": "r" }),
        json!({ "request": "isSendDtmfEnabled" }),
        json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": "voice", "workitemId": "1" }),
        json!({ "request": "setWrapupReason", "channelId": "voice", "workitemId": "1", "wrapUpReason": "Documentation", "requestId": "r" }),
    ];
    for original in requests {
        let request: CilRequest = serde_json::from_value(original.clone())?;
        assert_eq!(request.validate(), Ok(()), "{original}");
        assert_eq!(serde_json::to_value(&request)?, original);
    }
    Ok(())
}

#[test]
fn channel_ids_must_have_a_documented_form() -> TestResult {
    for channel_id in ["voice", "voice_5000", "voice_-1", "telephony"] {
        assert_eq!(
            problem(json!({ "request": "getChannel", "channelId": channel_id }))?,
            None
        );
    }
    assert_eq!(
        problem(json!({ "request": "getChannel" }))?,
        Some(RequestProblem::Missing("channelId"))
    );
    let Some(RequestProblem::ChannelId { accepted, .. }) =
        problem(json!({ "request": "getChannel", "channelId": "voice_abc" }))?
    else {
        return Err("voice_abc accepted".into());
    };
    assert_eq!(accepted, ChannelIdForms::VoiceOrTelephony);
    assert!(matches!(
        problem(json!({ "request": "getChannel", "channelId": "chat" }))?,
        Some(RequestProblem::ChannelId { .. })
    ));
    // directTransfer, singleStepConference and updateWorkitemData do not list telephony.
    assert_eq!(
        problem(json!({ "request": "directTransfer", "channelId": "telephony", "address": "1" }))?,
        Some(RequestProblem::TelephonyNotAccepted(ChannelIdForms::Voice))
    );
    Ok(())
}

/// Every request that names a channel, on `channel_id`, as JSON.
fn requests_on(channel_id: &str) -> Vec<Value> {
    vec![
        json!({ "request": "setAgentState", "channelId": channel_id, "state": "Ready" }),
        json!({ "request": "directTransfer", "channelId": channel_id, "address": "1" }),
        json!({ "request": "singleStepConference", "channelId": channel_id, "address": "1" }),
        json!({ "request": "dialOrConsult", "channelId": channel_id, "address": "1" }),
        json!({ "request": "getReasonCodeList", "channelId": channel_id, "reasonType": "NotReady" }),
        json!({ "request": "getChannel", "channelId": channel_id }),
        json!({ "request": "updateWorkitemData", "channelId": channel_id, "workitemId": "1",
                "updatedData": { "callVariable1": "1" } }),
        json!({ "request": "isUpdateWorkitemDataEnabled", "channelId": channel_id, "workitemId": "1" }),
        json!({ "request": "setWrapupReason", "channelId": channel_id, "workitemId": "1",
                "wrapUpReason": "Sale" }),
    ]
}

/// Regression: the simulator (CCX, `voice_-1`) answered `getChannel('voice_5')`
/// with its `voice_-1` channel and let `setAgentState('voice_5', …)` change it.
/// "Make sure the channel is uniquely identified by this id": a CTI system
/// refuses a peripheral that is not the agent's, and takes the generic ids.
#[test]
fn a_cti_system_refuses_a_voice_channel_that_is_not_the_agents() -> TestResult {
    for request in requests_on("voice_5") {
        let request: CilRequest = serde_json::from_value(request)?;
        assert_eq!(
            request.validate(),
            Ok(()),
            "the widget cannot tell: {request:?}"
        );
        let refused = request
            .validate_on("voice_-1")
            .expect_err("voice_5 is not the agent's channel");
        assert_eq!(
            refused.problem,
            RequestProblem::OtherChannel {
                channel_id: "voice_5".to_owned(),
                agent_channel: "voice_-1".to_owned(),
            }
        );
        assert_eq!(
            refused.to_string(),
            format!(
                "{}: channelId: the agent is on channel `voice_-1`, not `voice_5`; \
                 use `voice_-1` or `voice`",
                request.name()
            )
        );
    }
    for channel_id in ["voice", "voice_-1", "telephony"] {
        for request in requests_on(channel_id) {
            let request: CilRequest = serde_json::from_value(request)?;
            let on_ccx = request.validate_on("voice_-1");
            match &on_ccx {
                Ok(()) => {}
                // Not every request lists telephony; that refusal is the same anywhere.
                Err(refused)
                    if channel_id == "telephony"
                        && matches!(refused.problem, RequestProblem::TelephonyNotAccepted(_)) =>
                {
                    assert_eq!(request.validate(), on_ccx);
                }
                Err(refused) => return Err(format!("{channel_id}: {refused}").into()),
            }
        }
    }
    Ok(())
}

#[test]
fn set_agent_state_accepts_only_ready_not_ready_and_logout() {
    let request = |state: Option<AgentState>, reason_code: Option<&str>| {
        CilRequest::SetAgentState(SetAgentState {
            channel_id: "voice".to_owned(),
            state,
            reason_code: reason_code.map(str::to_owned),
            request_id: None,
        })
        .validate()
        .err()
        .map(|error| error.problem)
    };
    assert_eq!(request(Some(AgentState::Ready), None), None);
    assert_eq!(
        request(Some(AgentState::Ready), Some("")),
        None,
        "empty means no code"
    );
    assert_eq!(request(Some(AgentState::NotReady), Some("32762")), None);
    assert_eq!(request(Some(AgentState::Logout), Some("5")), None);
    assert_eq!(request(None, None), Some(RequestProblem::Missing("state")));
    assert_eq!(
        request(Some(AgentState::Wrapup), None),
        Some(RequestProblem::AgentState("Wrapup".to_owned()))
    );
    assert_eq!(
        request(Some(AgentState::from("Busy")), None),
        Some(RequestProblem::AgentState("Busy".to_owned()))
    );
    assert_eq!(
        request(Some(AgentState::Ready), Some("7")),
        Some(RequestProblem::ReasonCodeNotApplicable("Ready".to_owned()))
    );
}

#[test]
fn transfers_and_dials_need_an_address() {
    let transfer = CilRequest::DirectTransfer(TransferRequest {
        channel_id: "voice".to_owned(),
        ..TransferRequest::default()
    });
    assert_eq!(
        transfer.validate().map_err(|error| error.to_string()),
        Err("directTransfer: `address` is required".to_owned())
    );
}

#[test]
fn dtmf_allows_digits_star_hash_and_a_to_d() {
    let dtmf = |tones: &str| {
        CilRequest::SendDtmf(SendDtmf {
            dtmf: tones.to_owned(),
            request_id: None,
        })
        .validate()
        .err()
        .map(|error| error.problem)
    };
    assert_eq!(dtmf("0123456789*#ABCD"), None);
    assert_eq!(dtmf(""), Some(RequestProblem::Missing("dtmf")));
    assert_eq!(
        dtmf("12E"),
        Some(RequestProblem::DtmfCharacter {
            character: 'E',
            position: 3,
            center: None,
        })
    );
    assert_eq!(
        dtmf("1a"),
        Some(RequestProblem::DtmfCharacter {
            character: 'a',
            position: 2,
            center: None,
        })
    );
}

/// Regression: the simulated CCX system sent `sendDtmf('ABCD')`, and its
/// refusal of a wrong character offered A-D. The spec: "Possible characters
/// are: CCE: 0-9, *, #, A-D. CCX: 0-9, *, #".
#[test]
fn dtmf_on_ccx_has_no_a_to_d() -> TestResult {
    let dtmf = |tones: Value| -> Result<CilRequest, serde_json::Error> {
        serde_json::from_value(json!({ "request": "sendDtmf", "dtmf": tones }))
    };
    let problem_on = |request: &CilRequest, channel: &str| {
        request
            .validate_on(channel)
            .err()
            .map(|error| error.problem)
    };
    let all = dtmf(json!("0123456789*#ABCD"))?;
    assert_eq!(problem_on(&all, "voice_5000"), None, "CCE");
    assert_eq!(
        problem_on(&all, "voice_-1"),
        Some(RequestProblem::DtmfCharacter {
            character: 'A',
            position: 13,
            center: Some(ContactCenter::Ccx),
        })
    );
    assert_eq!(problem_on(&dtmf(json!("0123456789*#"))?, "voice_-1"), None);
    // Digits sent as a number are text, as every id and untyped text is.
    assert_eq!(problem_on(&dtmf(json!(1234))?, "voice_-1"), None);

    let message = |request: &CilRequest, channel: &str| {
        request
            .validate_on(channel)
            .err()
            .map(|error| error.to_string())
    };
    assert_eq!(
        message(&dtmf(json!("12D"))?, "voice_-1").as_deref(),
        Some(
            "sendDtmf: `dtmf` has `D` at position 3, which is not a DTMF character on CCX; use 0-9, * or #"
        )
    );
    assert_eq!(
        message(&dtmf(json!("1x"))?, "voice_-1").as_deref(),
        Some(
            "sendDtmf: `dtmf` has `x` at position 2, which is not a DTMF character on CCX; use 0-9, * or #"
        )
    );
    assert_eq!(
        message(&dtmf(json!("1x"))?, "voice_5000").as_deref(),
        Some(
            "sendDtmf: `dtmf` has `x` at position 2, which is not a DTMF character on CCE; use 0-9, *, # or A-D"
        )
    );
    Ok(())
}

#[test]
fn updated_data_takes_strings_for_known_keys_only() -> TestResult {
    let update = |data: Value| -> Result<Option<RequestProblem>, serde_json::Error> {
        let request = CilRequest::UpdateWorkitemData(UpdateWorkitemData {
            channel_id: "voice".to_owned(),
            workitem_id: "1".to_owned(),
            updated_data: serde_json::from_value(data)?,
            request_id: None,
        });
        Ok(request.validate().err().map(|error| error.problem))
    };
    assert_eq!(
        update(json!({ "callVariable1": 12345 }))?,
        Some(RequestProblem::NotAString {
            key: "callVariable1".to_owned(),
            found: "a number"
        })
    );
    assert_eq!(
        update(json!({ "callvariable1": "x" }))?,
        Some(RequestProblem::UnknownKey("callvariable1".to_owned()))
    );
    assert_eq!(update(json!({}))?, Some(RequestProblem::NothingToUpdate));
    assert_eq!(
        update(json!({ "callVariable10": "x", "user.anything": "" }))?,
        None
    );
    let message = CilRequest::UpdateWorkitemData(UpdateWorkitemData {
        channel_id: "voice".to_owned(),
        workitem_id: String::new(),
        updated_data: serde_json::from_value(json!({ "callVariable1": "x" }))?,
        request_id: None,
    })
    .validate()
    .map_err(|error| error.to_string());
    assert_eq!(
        message,
        Err("updateWorkitemData: `workitemId` is required".to_owned())
    );
    Ok(())
}

#[test]
fn reason_code_lists_come_in_three_kinds() {
    let list = |reason_type: Option<ReasonType>| {
        CilRequest::GetReasonCodeList(GetReasonCodeList {
            channel_id: "voice".to_owned(),
            reason_type,
        })
        .validate()
        .err()
        .map(|error| error.problem)
    };
    for kind in [ReasonType::Logout, ReasonType::NotReady, ReasonType::Wrapup] {
        assert_eq!(list(Some(kind)), None);
    }
    assert_eq!(list(None), Some(RequestProblem::Missing("reasonType")));
    assert_eq!(
        list(Some(ReasonType::from("Break"))),
        Some(RequestProblem::ReasonType("Break".to_owned()))
    );
}

#[test]
fn set_wrapup_reason_needs_a_workitem_and_a_reason() {
    let reason = |workitem_id: &str, wrap_up_reason: &str| {
        CilRequest::SetWrapupReason(SetWrapupReason {
            channel_id: "voice_5000".to_owned(),
            workitem_id: workitem_id.to_owned(),
            wrap_up_reason: wrap_up_reason.to_owned(),
            request_id: Some("r".to_owned()),
        })
        .validate()
        .err()
        .map(|error| error.problem)
    };
    assert_eq!(reason("1", "Documentation"), None);
    assert_eq!(
        reason("", "Documentation"),
        Some(RequestProblem::Missing("workitemId"))
    );
    assert_eq!(
        reason("1", " "),
        Some(RequestProblem::Missing("wrapUpReason"))
    );
}

#[test]
fn messages_name_the_request_and_the_fix() -> TestResult {
    let message = refusal_message(
        json!({ "request": "setWrapupReason", "channelId": "voice_x", "workitemId": "1", "wrapUpReason": "A" }),
    )?;
    assert!(
        message.starts_with("setWrapupReason: channelId `voice_x`"),
        "{message}"
    );
    assert!(message.contains("voice_-1"), "{message}");
    Ok(())
}

#[test]
fn a_reason_code_for_ready_is_refused_naming_the_field() -> TestResult {
    // Found by the cil_request fuzz target: the refusal said "a reason code",
    // not the field an integrator has to clear.
    let message = refusal_message(
        json!({ "request": "setAgentState", "channelId": "voice", "state": "Ready", "reasonCode": 5 }),
    )?;
    assert_eq!(
        message,
        "setAgentState: `reasonCode` applies only to NotReady or Logout, not to `Ready`; leave it empty"
    );
    Ok(())
}

#[test]
fn a_wrong_dtmf_character_is_refused_naming_the_field() -> TestResult {
    // Found by the cil_request fuzz target: the refusal said "DTMF character",
    // not the field `dtmf` that holds it.
    let message =
        refusal_message(json!({ "request": "sendDtmf", "channelId": "voice", "dtmf": "123*cA" }))?;
    assert_eq!(
        message,
        "sendDtmf: `dtmf` has `c` at position 5, which is not a DTMF character; \
         use 0-9, *, # or, on CCE, A-D"
    );
    Ok(())
}

//! A `cil` request as an integrator sends it: `BridgeRequest::read` (the
//! widget's bridge: read and validate at once), and `CilRequest` read and
//! validated as the simulator's `POST /sim/v1/agents/{id}/requests` does.
//!
//! Holds: reading never panics; an accepted request is a known one, is
//! written and read back equal, and the simulator's reader reads the same
//! request; a refused one keeps its `requestId` and says what is wrong,
//! naming the field a broken rule is about.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wrapup_core::bs::{
    BridgeProblem, BridgeRequest, CilRequest, RequestError, RequestProblem, SPEC_REQUEST_NAMES,
    WRAPUP_REQUEST_NAMES,
};
use wrapup_fuzz::{assert_error_is_actionable, assert_names_field, text, to_json};

fuzz_target!(|data: &[u8]| {
    let Some(json) = text(data) else {
        return;
    };
    let read = BridgeRequest::read(json);
    let known =
        |name: &str| SPEC_REQUEST_NAMES.contains(&name) || WRAPUP_REQUEST_NAMES.contains(&name);
    match &read {
        Ok(request) => {
            assert!(known(request.name()), "an unknown request was accepted");
            let written = match request {
                BridgeRequest::Spec(request) => to_json(request),
                BridgeRequest::Wrapup(request) => to_json(request),
            };
            assert_eq!(
                BridgeRequest::read(&written).as_ref(),
                Ok(request),
                "the round trip through {written} changed the request"
            );
        }
        Err(refused) => {
            let message = refused.to_string();
            assert!(!message.is_empty());
            match &refused.problem {
                BridgeProblem::NotAnObject => assert_names_field(&message, "object"),
                BridgeProblem::Unnamed | BridgeProblem::Unknown(_) => {
                    assert_names_field(&message, "request");
                }
                BridgeProblem::Unreadable { request, error } => {
                    assert!(
                        known(request),
                        "unreadable as an unknown request: {message}"
                    );
                    assert_error_is_actionable(error);
                }
                BridgeProblem::Invalid(error) => {
                    assert!(known(error.request), "invalid as an unknown request");
                    assert_names_field(&message, field_of(error));
                }
            }
            let sent_id = serde_json::from_str::<Value>(json).ok().and_then(|body| {
                body.get("requestId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            if sent_id.is_some() && refused.problem != BridgeProblem::NotAnObject {
                assert_eq!(
                    refused.request_id, sent_id,
                    "the refusal lost the requestId"
                );
            }
        }
    }
    // The simulator reads the spec's requests with `CilRequest`'s
    // `Deserialize`; it must read what the bridge reads, the same way.
    if let Ok(server) = wrapup_core::parse::from_json::<CilRequest>(json) {
        let validated = server.validate();
        if let Some(field) = validated.as_ref().err().map(field_of) {
            assert_names_field(&validated.as_ref().unwrap_err().to_string(), field);
        }
        if let Ok(BridgeRequest::Spec(bridge)) = &read {
            assert_eq!(
                bridge, &server,
                "bridge and simulator read different requests"
            );
            assert!(
                validated.is_ok(),
                "the bridge accepts what the simulator refuses"
            );
        }
    }
});

/// The field each broken rule is about, as the integrator spells it.
fn field_of(error: &RequestError) -> &'static str {
    match &error.problem {
        RequestProblem::Missing(field) => field,
        RequestProblem::ChannelId { .. }
        | RequestProblem::TelephonyNotAccepted(_)
        | RequestProblem::OtherChannel { .. } => "channelId",
        RequestProblem::AgentState(_) => "state",
        RequestProblem::ReasonCodeNotApplicable(_) => "reasonCode",
        RequestProblem::ReasonType(_) => "reasonType",
        RequestProblem::DtmfCharacter { .. } => "dtmf",
        RequestProblem::NothingToUpdate
        | RequestProblem::UnknownKey(_)
        | RequestProblem::NotAString { .. } => "updatedData",
        RequestProblem::NotANumber { key, .. } => key,
        RequestProblem::ExtensionAmount { .. } => "seconds",
    }
}

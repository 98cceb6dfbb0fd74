//! `POST /cti/v1/agents/{agent_id}/requests`: the b+s Connects requests,
//! validated by the core for the agent's channel (`voice_-1`: a request
//! naming another `voice_<peripheral_id>` is refused), their effects
//! streamed as events. A refused request answers 400 and also streams an
//! `error` event carrying its `requestId`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use wrapup_core::bs::{
    CallDataKey, CilEvent, CilRequest, Classification, CtiData, WorkitemEventKind, WorkitemState,
};

use super::calls::{self, sim_error};
use super::events::publish;
use super::{agent, reason_codes};
use crate::AppState;
use crate::store::StoreError;

/// The answer to a request: `result` for the requests that return data.
#[derive(Debug, Serialize)]
struct Answer<T: Serialize> {
    success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
}

fn done() -> Response {
    Json(Answer::<()> {
        success: true,
        result: None,
    })
    .into_response()
}

fn with_result<T: Serialize>(result: T) -> Response {
    Json(Answer {
        success: true,
        result: Some(result),
    })
    .into_response()
}

fn request_id_of(request: &CilRequest) -> Option<String> {
    let value = serde_json::to_value(request).ok()?;
    value
        .get("requestId")
        .and_then(|id| id.as_str())
        .map(str::to_owned)
}

async fn refuse(
    state: &AppState,
    agent_id: &str,
    request_id: Option<&str>,
    message: String,
) -> Response {
    if let Err(error) = publish(
        state,
        agent_id,
        &CilEvent::error(request_id, message.clone()),
    )
    .await
    {
        tracing::error!(%error, "cannot stream the error event");
    }
    sim_error(StatusCode::BAD_REQUEST, message)
}

pub async fn handle(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // No `error` event: an agent the server does not know has no stream.
    if !super::knows_agent(&state, &agent_id) {
        return crate::roster::unknown_agent(&agent_id);
    }
    let request: CilRequest = match crate::wire::decode(&headers, &body) {
        Ok(request) => request,
        Err(error) => return refuse(&state, &agent_id, None, error).await,
    };
    let request_id = request_id_of(&request);
    if let Err(error) = request.validate_on(agent::CHANNEL) {
        return refuse(&state, &agent_id, request_id.as_deref(), error.to_string()).await;
    }
    match apply(&state, &agent_id, request, request_id.as_deref()).await {
        Ok(response) => response,
        Err(error) => sim_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

async fn apply(
    state: &AppState,
    agent_id: &str,
    request: CilRequest,
    request_id: Option<&str>,
) -> Result<Response, StoreError> {
    // Requests read, change and write back calls and the agent's state (and
    // dialOrConsult starts a call, which takes no lock).
    let changing = state.calls_lock.lock().await;
    // Every refusal names its request, as the widget's own refusals do.
    let name = request.name();
    match request {
        CilRequest::SetAgentState(set) => {
            let new_state = set.state.clone().unwrap_or_default();
            let reason = match set
                .reason_code
                .as_deref()
                .filter(|code| !code.trim().is_empty())
            {
                None => None,
                Some(code) => match reason_codes::reason_label(&new_state, code) {
                    Some((reason, _)) => Some(reason),
                    None => {
                        return Ok(refuse(
                            state,
                            agent_id,
                            request_id,
                            format!("{name}: reasonCode: {code} is not a {new_state} reason code of this contact center (see getReasonCodeList)"),
                        )
                        .await);
                    }
                },
            };
            let requested = (new_state, reason);
            match agent::request_state(state, agent_id, requested, set.request_id, &changing)
                .await?
            {
                Ok(()) => Ok(done()),
                Err(reason) => {
                    Ok(refuse(state, agent_id, request_id, format!("{name}: {reason}")).await)
                }
            }
        }
        CilRequest::SetWrapupReason(set) => {
            change_call_data(
                state,
                agent_id,
                (name, request_id),
                &set.workitem_id,
                WorkitemEventKind::WrapupDataChanged,
                |data| {
                    data.set(&CallDataKey::WrapUpReason, &set.wrap_up_reason);
                },
            )
            .await
        }
        CilRequest::UpdateWorkitemData(update) => {
            change_call_data(
                state,
                agent_id,
                (name, request_id),
                &update.workitem_id,
                WorkitemEventKind::CallVariableChanged,
                |data| {
                    for (key, value) in &update.updated_data {
                        let text = value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned);
                        if let Some(key) = CallDataKey::parse(key) {
                            data.set(&key, &text);
                        }
                    }
                },
            )
            .await
        }
        CilRequest::GetReasonCodeList(list) => Ok(with_result(
            reason_codes::reason_code_list(state, list.reason_type.as_ref()).await?,
        )),
        CilRequest::GetChannel(_) => Ok(with_result(
            agent::channel(state, agent_id, &changing).await?,
        )),
        CilRequest::IsSendDtmfEnabled => Ok(with_result(has_active_call(state, agent_id).await?)),
        CilRequest::IsUpdateWorkitemDataEnabled(asked) => Ok(with_result(
            find_live_call(state, agent_id, &asked.workitem_id)
                .await?
                .is_some(),
        )),
        CilRequest::SendDtmf(_) => {
            if has_active_call(state, agent_id).await? {
                Ok(done())
            } else {
                Ok(refuse(
                    state,
                    agent_id,
                    request_id,
                    format!("{name}: the agent has no Active call to send DTMF on"),
                )
                .await)
            }
        }
        CilRequest::SingleStepConference(conference) => {
            match transfer_target(state, agent_id, conference.workitem_id.as_deref()).await? {
                Ok(_) => Ok(done()),
                Err(reason) => {
                    Ok(refuse(state, agent_id, request_id, format!("{name}: {reason}")).await)
                }
            }
        }
        CilRequest::DialOrConsult(dial) => {
            // "A consultation call is created when the agent already has a
            // call": as a Finesse consult does, the call in progress goes on
            // hold first. The events the request causes carry its requestId.
            let in_progress: Vec<calls::Call> = live_calls(state, agent_id)
                .await?
                .into_iter()
                .filter(|call| {
                    matches!(
                        call.workitem.state,
                        WorkitemState::Active | WorkitemState::Paused
                    )
                })
                .collect();
            let classification = if in_progress.is_empty() {
                Classification::Customer
            } else {
                Classification::Consultation
            };
            for mut call in in_progress {
                if call.workitem.state == WorkitemState::Active {
                    call.workitem.state = WorkitemState::Paused;
                    store_and_emit(state, &call, WorkitemEventKind::Pause, request_id).await?;
                }
            }
            let outgoing = calls::NewCall {
                agent_id: agent_id.to_owned(),
                ani: dial.address,
                direction: "Outgoing".to_owned(),
                queue: None,
                wrapup: None,
                auto: false,
                agent_email: None,
            };
            let started = calls::start(state, outgoing, classification, request_id).await?;
            // A call on hold keeps the agent Active: this moves no one,
            // unless the calls had changed unnoticed.
            agent::follow_calls(state, agent_id, &changing).await?;
            Ok(match started {
                Ok(id) => with_result(serde_json::json!({ "workitemId": id })),
                Err(response) => response,
            })
        }
        CilRequest::DirectTransfer(transfer) => {
            match transfer_target(state, agent_id, transfer.workitem_id.as_deref()).await? {
                Ok(mut call) => {
                    call.workitem.state = WorkitemState::EndedTransferred;
                    store_and_emit(state, &call, WorkitemEventKind::End, None).await?;
                    agent::follow_calls(state, agent_id, &changing).await?;
                    Ok(done())
                }
                Err(reason) => {
                    Ok(refuse(state, agent_id, request_id, format!("{name}: {reason}")).await)
                }
            }
        }
    }
}

/// The call a transfer or conference is about: the named workitem, which
/// must be a call in progress (Active or on hold), or without a name the
/// agent's one Active workitem ("only successful when there's exactly one
/// workitem in Active state"). The inner error says why there is none.
async fn transfer_target(
    state: &AppState,
    agent_id: &str,
    workitem_id: Option<&str>,
) -> Result<Result<calls::Call, String>, StoreError> {
    let workitem_id = workitem_id.filter(|id| !id.trim().is_empty());
    let Some(id) = workitem_id else {
        let active: Vec<calls::Call> = live_calls(state, agent_id)
            .await?
            .into_iter()
            .filter(|call| call.workitem.state == WorkitemState::Active)
            .collect();
        return Ok(match <[calls::Call; 1]>::try_from(active) {
            Ok([call]) => Ok(call),
            Err(active) => Err(format!(
                "no workitemId, and the agent has {} Active workitems: name the one to transfer",
                active.len()
            )),
        });
    };
    Ok(match find_live_call(state, agent_id, id).await? {
        Some(call)
            if matches!(
                call.workitem.state,
                WorkitemState::Active | WorkitemState::Paused
            ) =>
        {
            Ok(call)
        }
        Some(call) => Err(format!(
            "workitem {id} is {}: only a call in progress can be transferred",
            call.workitem.state
        )),
        None => Err(format!("no live workitem {id} for this agent")),
    })
}

/// Changes the call data of the agent's workitem `id` and streams `kind`; an
/// unknown workitem is refused with an error event.
async fn change_call_data(
    state: &AppState,
    agent_id: &str,
    (name, request_id): (&str, Option<&str>),
    id: &str,
    kind: WorkitemEventKind,
    change: impl FnOnce(&mut CtiData),
) -> Result<Response, StoreError> {
    let Some(mut call) = find_live_call(state, agent_id, id).await? else {
        return Ok(refuse(
            state,
            agent_id,
            request_id,
            format!("{name}: no live workitem {id} for this agent"),
        )
        .await);
    };
    change(call.workitem.cti_data_mut());
    store_and_emit(state, &call, kind, None).await?;
    Ok(done())
}

/// The agent's workitem `id`, unless it has ended: an ended workitem's data
/// no longer changes, and its events are over.
async fn find_live_call(
    state: &AppState,
    agent_id: &str,
    id: &str,
) -> Result<Option<calls::Call>, StoreError> {
    let (id, agent) = (id.to_owned(), agent_id.to_owned());
    state
        .db
        .call(move |connection| {
            Ok(calls::load(connection, &id)?
                .filter(|call| call.agent_id == agent && !call.workitem.state.is_ended()))
        })
        .await
}

/// Whether the agent has a call in progress, not on hold: one DTMF can be sent on.
async fn has_active_call(state: &AppState, agent_id: &str) -> Result<bool, StoreError> {
    Ok(live_calls(state, agent_id)
        .await?
        .iter()
        .any(|call| call.workitem.state == WorkitemState::Active))
}

/// The agent's workitems that have not ended, oldest first.
async fn live_calls(state: &AppState, agent_id: &str) -> Result<Vec<calls::Call>, StoreError> {
    let agent = agent_id.to_owned();
    state
        .db
        .call(move |connection| {
            let ids = {
                let mut statement = connection.prepare(
                    "SELECT id FROM sim_calls WHERE agent_id = ?1 ORDER BY created_at, rowid",
                )?;
                statement
                    .query_map([&agent], |row| row.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?
            };
            let mut live = Vec::new();
            for id in ids {
                if let Some(call) = calls::load(connection, &id)?
                    && !call.workitem.state.is_ended()
                {
                    live.push(call);
                }
            }
            Ok(live)
        })
        .await
}

/// Stores `call` and streams its event `kind`, carrying `request_id`.
async fn store_and_emit(
    state: &AppState,
    call: &calls::Call,
    kind: WorkitemEventKind,
    request_id: Option<&str>,
) -> Result<(), StoreError> {
    let now = state.clock.now();
    let stored = call.clone();
    state
        .db
        .call(move |connection| calls::save(connection, &stored, now))
        .await?;
    calls::emit_answering(state, call, kind, request_id).await
}

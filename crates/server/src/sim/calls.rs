//! Simulated calls: `POST /sim/v1/calls` and the transitions connect, hold,
//! resume, hangup; wrap-up ends by submission, expiry or Tenios cancel.
//!
//! A call that enters wrap-up opens a ServiceNow wrap-up segment (external,
//! external id = call id) whose end (`opened_on + duration`, moved by Tenios
//! extend) is the deadline: the simulator and the APIs share one world.
//!
//! After every change of a call's state, and its event, the agent's state
//! follows ([`super::agent::follow_calls`]), under `calls_lock`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use wrapup_core::bs::{
    CallDataKey, ChannelType, Classification, Direction, Workitem, WorkitemEventKind, WorkitemState,
};
use wrapup_core::cti_wrapup::{self, CtiWrapup};

use super::CallsLocked;
use super::events::publish;
use super::segment;
use crate::AppState;
use crate::store::{StoreError, from_json_column, new_sys_id, to_json_column};
use crate::wire::decode;

/// `POST /sim/v1/calls` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewCall {
    /// The agent (a ServiceNow user sys_id) the call is offered to.
    pub agent_id: String,
    /// The caller's number.
    pub ani: String,
    /// `Incoming` or `Outgoing` (also `inbound` / `outbound`).
    pub direction: String,
    /// The queue the call came through (ctiData `queueName`); none for a
    /// call the agent dialled.
    #[serde(default)]
    pub queue: Option<String>,
    /// Wrap-up after hangup; without it a hangup ends the call.
    #[serde(default)]
    pub wrapup: Option<WrapupPlan>,
    /// Run connect, hangup and the wrap-up by itself (demos).
    #[serde(default)]
    pub auto: bool,
    /// The agent's e-mail, by which Tenios names agents: the agent is
    /// registered with it, so the widget's Extend and Cancel reach Tenios.
    #[serde(default)]
    pub agent_email: Option<String>,
}

/// The wrap-up a simulated call enters on hangup.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WrapupPlan {
    /// Seconds the agent has; none means no limit.
    #[serde(default)]
    pub duration: Option<u64>,
    /// Labels of the codes the agent may pick.
    #[serde(default)]
    pub allowed_codes: Vec<String>,
    /// The label used when the agent picks none.
    #[serde(default)]
    pub default_code: Option<String>,
    /// Whether a code is required.
    #[serde(default)]
    pub enable_codes: bool,
}

/// A simulated call as stored.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub agent_id: String,
    pub workitem: Workitem,
    pub wrapup: Option<WrapupPlan>,
    pub segment: Option<String>,
    pub auto: bool,
}

#[derive(Debug, Serialize)]
struct Created {
    id: String,
}

#[derive(Debug, Serialize)]
struct SimError {
    error: String,
}

/// An error answer of the simulator routes.
/// The longest wrap-up a simulated call may have.
const MAX_WRAPUP_SECONDS: u64 = 24 * 60 * 60;

pub fn sim_error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(SimError {
            error: message.into(),
        }),
    )
        .into_response()
}

fn internal(error: &StoreError) -> Response {
    tracing::error!(%error, "simulator database failure");
    sim_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}

pub fn load(connection: &Connection, id: &str) -> Result<Option<Call>, StoreError> {
    let row = connection
        .query_row(
            "SELECT id, agent_id, workitem, wrapup, segment, auto FROM sim_calls WHERE id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, bool>(5)?,
                ))
            },
        )
        .optional()?;
    row.map(|(id, agent_id, workitem, wrapup, segment, auto)| {
        Ok(Call {
            id,
            agent_id,
            workitem: from_json_column("workitem", &workitem)?,
            wrapup: wrapup
                .map(|wrapup| from_json_column("wrapup", &wrapup))
                .transpose()?,
            segment,
            auto,
        })
    })
    .transpose()
}

pub fn save(connection: &Connection, call: &Call, now: DateTime<Utc>) -> Result<(), StoreError> {
    connection.execute(
        "INSERT INTO sim_calls (id, agent_id, state, workitem, wrapup, segment, auto, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, workitem = excluded.workitem,
         segment = excluded.segment",
        params![
            call.id,
            call.agent_id,
            call.workitem.state.to_string(),
            to_json_column("workitem", &call.workitem)?,
            call.wrapup
                .as_ref()
                .map(|wrapup| to_json_column("wrapup", wrapup))
                .transpose()?,
            call.segment,
            call.auto,
            now.to_rfc3339(),
        ],
    )?;
    Ok(())
}

fn direction(text: &str) -> Option<Direction> {
    match text.to_ascii_lowercase().as_str() {
        "incoming" | "inbound" | "in" => Some(Direction::Incoming),
        "outgoing" | "outbound" | "out" => Some(Direction::Outgoing),
        _ => None,
    }
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let request: NewCall = match decode(&headers, &body) {
        Ok(request) => request,
        Err(error) => return sim_error(StatusCode::BAD_REQUEST, error),
    };
    match start(&state, request, Classification::Customer, None).await {
        Ok(Ok(id)) => (StatusCode::CREATED, Json(Created { id })).into_response(),
        Ok(Err(response)) => response,
        Err(error) => internal(&error),
    }
}

/// Starts a call: stores it alerting and streams `workitemCreate`, which
/// carries `request_id` when a request (`dialOrConsult`) placed the call.
/// A call the agent places while on another is a `Consultation`, any other
/// a `Customer` call.
pub async fn start(
    state: &AppState,
    request: NewCall,
    classification: Classification,
    request_id: Option<&str>,
) -> Result<Result<String, Response>, StoreError> {
    if request.agent_id.trim().is_empty() {
        return Ok(Err(sim_error(
            StatusCode::BAD_REQUEST,
            "agent_id: required",
        )));
    }
    if !super::knows_agent(state, &request.agent_id) {
        return Ok(Err(sim_error(
            StatusCode::NOT_FOUND,
            format!(
                "agent_id: {}",
                crate::roster::unknown_agent_message(&request.agent_id)
            ),
        )));
    }
    let Some(direction) = direction(&request.direction) else {
        return Ok(Err(sim_error(
            StatusCode::BAD_REQUEST,
            format!(
                "direction: `{}` is neither Incoming nor Outgoing",
                request.direction
            ),
        )));
    };
    if let Some(seconds) = request.wrapup.as_ref().and_then(|plan| plan.duration)
        && seconds > MAX_WRAPUP_SECONDS
    {
        return Ok(Err(sim_error(
            StatusCode::BAD_REQUEST,
            format!("wrapup.duration: {seconds} s is more than a day ({MAX_WRAPUP_SECONDS} s)"),
        )));
    }
    if let Some(plan) = &request.wrapup
        && let Some(default) = &plan.default_code
        && !plan.allowed_codes.is_empty()
        && !plan.allowed_codes.contains(default)
    {
        return Ok(Err(sim_error(
            StatusCode::BAD_REQUEST,
            format!("wrapup.default_code: `{default}` is not one of wrapup.allowed_codes"),
        )));
    }
    if let Some(email) = request
        .agent_email
        .as_deref()
        .map(str::trim)
        .filter(|email| !email.is_empty())
        && let Err(reason) = super::agent::register(state, &request.agent_id, email).await?
    {
        return Ok(Err(sim_error(StatusCode::BAD_REQUEST, reason)));
    }
    let id = format!("sim-{}", &new_sys_id()[..12]);
    let mut workitem = Workitem::new(id.clone(), WorkitemState::Offered);
    // The call is a Genesys Context Services service too, as if the routing
    // strategy had started one: the Genesys profile of the widget ends it.
    workitem
        .cti_data_mut()
        .set_ecc_variable(cti_wrapup::GENESYS_SERVICE_ID, new_service_id().to_string());
    workitem.agent_id = Some(request.agent_id.clone());
    workitem.ani = Some(request.ani.clone());
    workitem.direction = Some(direction);
    workitem.channel_type = Some(ChannelType::Voice);
    workitem.channel_id = Some(super::agent::CHANNEL.to_owned());
    workitem.classification = Some(classification);
    if let Some(queue) = request
        .queue
        .clone()
        .filter(|queue| !queue.trim().is_empty())
    {
        workitem.cti_data_mut().queue_name = Some(queue);
    }
    let call = Call {
        id: id.clone(),
        agent_id: request.agent_id,
        workitem,
        wrapup: request.wrapup,
        segment: None,
        auto: request.auto,
    };
    let now = state.clock.now();
    let stored = call.clone();
    state
        .db
        .call(move |connection| {
            save(connection, &stored, now)?;
            if stored.auto {
                super::auto::schedule(
                    connection,
                    &stored.id,
                    Some(now + super::auto::ANSWER_AFTER),
                )?;
            }
            Ok(())
        })
        .await?;
    emit_answering(state, &call, WorkitemEventKind::Create, request_id).await?;
    Ok(Ok(id))
}

/// A fresh Genesys service id: positive, and below 2^48 so that JavaScript
/// reads it exactly.
fn new_service_id() -> u64 {
    u64::from_str_radix(&new_sys_id()[..12], 16).unwrap_or(0) + 1
}

pub async fn emit(
    state: &AppState,
    call: &Call,
    kind: WorkitemEventKind,
) -> Result<(), StoreError> {
    emit_answering(state, call, kind, None).await
}

/// Streams the event `kind` of `call`, carrying the `requestId` of the
/// request that caused it, if any. The id is the event's alone: the stored
/// call keeps none, so the call's later events do not claim the request.
pub async fn emit_answering(
    state: &AppState,
    call: &Call,
    kind: WorkitemEventKind,
    request_id: Option<&str>,
) -> Result<(), StoreError> {
    let mut workitem = call.workitem.clone();
    workitem.request_id = request_id.map(str::to_owned);
    publish(state, &call.agent_id, &kind.event(workitem)).await?;
    Ok(())
}

/// The transitions `POST /sim/v1/calls/{id}/{action}` offers.
pub async fn act(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    match transition(&state, &id, &action).await {
        Ok(Ok(call)) => Json(call.workitem).into_response(),
        Ok(Err(response)) => response,
        Err(error) => internal(&error),
    }
}

/// Applies `action` to call `id`; the inner error is an answer for the client.
pub async fn transition(
    state: &AppState,
    id: &str,
    action: &str,
) -> Result<Result<Call, Response>, StoreError> {
    let changing = state.calls_lock.lock().await;
    let lookup = id.to_owned();
    let Some(mut call) = state
        .db
        .call(move |connection| load(connection, &lookup))
        .await?
    else {
        return Ok(Err(sim_error(
            StatusCode::NOT_FOUND,
            format!("no simulated call has the id {id}"),
        )));
    };
    let now = state.clock.now();
    let current = call.workitem.state.clone();
    let (next, kind) = match (action, &current) {
        ("connect", WorkitemState::Offered) => (WorkitemState::Active, WorkitemEventKind::Connect),
        ("hold", WorkitemState::Active) => (WorkitemState::Paused, WorkitemEventKind::Pause),
        ("resume", WorkitemState::Paused) => (WorkitemState::Active, WorkitemEventKind::Resume),
        ("hangup", WorkitemState::Offered) => {
            (WorkitemState::EndedAbandoned, WorkitemEventKind::End)
        }
        ("hangup", WorkitemState::Active | WorkitemState::Paused) if call.wrapup.is_some() => {
            (WorkitemState::Wrapup, WorkitemEventKind::Wrapup)
        }
        ("hangup", WorkitemState::Active | WorkitemState::Paused) => {
            (WorkitemState::Ended, WorkitemEventKind::End)
        }
        ("connect" | "hold" | "resume" | "hangup", _) => {
            return Ok(Err(sim_error(
                StatusCode::CONFLICT,
                format!("call {id} is {current}: it cannot {action} now"),
            )));
        }
        _ => {
            return Ok(Err(sim_error(
                StatusCode::NOT_FOUND,
                format!("unknown action {action}: use connect, hold, resume or hangup"),
            )));
        }
    };
    call.workitem.state = next;
    if kind == WorkitemEventKind::Connect {
        call.workitem.connected_at = Some(now);
    }
    if kind == WorkitemEventKind::Wrapup {
        // The wrap-up opens on a whole second: ServiceNow's `opened_on` has
        // no fraction, and the end the simulator enforces, the segment's
        // `opened_on` and the call data's start must name the same instant.
        let opened_on = now.trunc_subsecs(0);
        let segment = segment::open(state, &call, opened_on).await?;
        let cti_data = call.workitem.cti_data_mut();
        cti_data.set_ecc_variable(cti_wrapup::SEGMENT_SYS_ID, segment.segment.sys_id.clone());
        // The wrap-up in the call data too, for a widget without segments
        // (the Genesys profile): the same codes, limit and start.
        let plan = call.wrapup.clone().unwrap_or_default();
        CtiWrapup {
            codes: plan.allowed_codes,
            default_code: plan.default_code,
            duration_seconds: plan.duration,
            opened_on: Some(opened_on),
        }
        .write(cti_data);
        call.segment = Some(segment.segment.sys_id);
    }
    let stored = call.clone();
    state
        .db
        .call(move |connection| save(connection, &stored, now))
        .await?;
    emit(state, &call, kind).await?;
    super::agent::follow_calls(state, &call.agent_id, &changing).await?;
    Ok(Ok(call))
}

/// Ends call `call` (its wrap-up is over), with the wrap-up reason of its
/// segment's code; the agent's state follows.
pub async fn end_after_wrapup(
    state: &AppState,
    mut call: Call,
    code: Option<String>,
    changing: &CallsLocked<'_>,
) -> Result<(), StoreError> {
    call.workitem.state = WorkitemState::Ended;
    if let Some(code) = code {
        call.workitem
            .cti_data_mut()
            .set(&CallDataKey::WrapUpReason, &code);
    }
    let now = state.clock.now();
    let stored = call.clone();
    state
        .db
        .call(move |connection| save(connection, &stored, now))
        .await?;
    emit(state, &call, WorkitemEventKind::End).await?;
    super::agent::follow_calls(state, &call.agent_id, changing).await
}

//! The CTI simulator: calls driven by HTTP (or by themselves), streamed to
//! the agent as b+s Connects events, sharing one world with the Wrap Up and
//! Tenios APIs.
//!
//! Time matters for wrap-up expiry and automatic calls. [`tick`] applies both
//! for "now" of the server's clock; a background task calls it every second
//! in production, tests call `POST /sim/v1/tick` after moving their manual
//! clock.

mod agent;
mod auto;
mod calls;
mod events;
mod inspect;
mod reason_codes;
mod requests;
mod segment;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rusqlite::{OptionalExtension, params};

pub(crate) use calls::sim_error;
pub use events::{EventHub, stream_name};

use crate::AppState;
use crate::servicenow::segment_store;
use crate::store::StoreError;

/// Proof that the holder has [`AppState::calls_lock`]: taken by the
/// functions that must run under it, such as [`agent::follow_calls`].
pub(crate) type CallsLocked<'a> = tokio::sync::MutexGuard<'a, ()>;

/// Whether the server may act for `agent_id`: any agent without a roster
/// (`--agents`), else the roster's.
pub(crate) fn knows_agent(state: &AppState, agent_id: &str) -> bool {
    state
        .roster
        .as_ref()
        .is_none_or(|roster| roster.get(agent_id).is_some())
}

/// The simulator and CTI routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sim/v1/calls", post(calls::create))
        .route("/sim/v1/calls/{id}", get(inspect::call))
        .route("/sim/v1/calls/{id}/{action}", post(calls::act))
        .route("/sim/v1/tick", post(tick_route))
        .route(
            "/sim/v1/faults",
            get(faults_list).post(faults_add).delete(faults_clear),
        )
        .route("/cti/v1/agents/{agent_id}/events", get(events::stream))
        .route("/cti/v1/agents/{agent_id}/requests", post(requests::handle))
}

/// Runs the simulator's clock in the background: automatic calls and wrap-up
/// expiry, every second.
pub fn spawn_timers(state: AppState) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            interval.tick().await;
            if let Err(error) = tick(&state).await {
                tracing::warn!(%error, "simulator tick failed");
            }
        }
    });
}

async fn faults_list(State(state): State<AppState>) -> Response {
    let counts = state.faults.counts();
    axum::Json(serde_json::json!({
        "rules": state.faults.rules(),
        "api_requests": counts.api_requests,
        "injected": counts.injected,
    }))
    .into_response()
}

async fn faults_add(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let added = crate::wire::decode::<crate::faults::FaultRules>(&headers, &body)
        .and_then(|request| state.faults.add(request.rules));
    match added {
        Ok(()) => faults_list(State(state)).await,
        Err(reason) => calls::sim_error(axum::http::StatusCode::BAD_REQUEST, reason),
    }
}

async fn faults_clear(State(state): State<AppState>) -> Response {
    state.faults.clear();
    axum::http::StatusCode::NO_CONTENT.into_response()
}

async fn tick_route(State(state): State<AppState>) -> Response {
    match tick(&state).await {
        Ok(Tick { moved, expired }) => {
            axum::Json(serde_json::json!({ "moved": moved, "expired": expired })).into_response()
        }
        Err(error) => calls::sim_error(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            error.to_string(),
        ),
    }
}

/// What one tick did, by call id.
#[derive(Debug, Clone, Default)]
pub struct Tick {
    /// Automatic calls that took their next step.
    pub moved: Vec<String>,
    /// Calls whose wrap-up expired and ended.
    pub expired: Vec<String>,
}

/// Applies what is due at the server's "now": the steps of automatic calls,
/// then wrap-up expiry (the segment is closed with the default code and the
/// call ends).
pub async fn tick(state: &AppState) -> Result<Tick, StoreError> {
    let moved = auto::run_due(state).await?;
    let expired = expire_wrapups(state).await?;
    Ok(Tick { moved, expired })
}

async fn expire_wrapups(state: &AppState) -> Result<Vec<String>, StoreError> {
    let now = state.clock.now();
    let due = state
        .db
        .call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT c.id, s.sys_id FROM sim_calls c JOIN segments s ON s.sys_id = c.segment
                 WHERE c.state = 'Wrapup' AND s.state = 'open' AND s.wrapup_end IS NOT NULL
                 AND s.wrapup_end <= ?1",
            )?;
            let due = statement
                .query_map(params![now.to_rfc3339()], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(due)
        })
        .await?;
    let mut ended = Vec::new();
    for (call_id, segment) in due {
        close_segment(state, &segment).await?;
        wrapup_finished(state, &segment).await;
        ended.push(call_id);
    }
    Ok(ended)
}

/// Closes an open segment with its default code (expiry, Tenios cancel).
pub async fn close_segment(state: &AppState, sys_id: &str) -> Result<(), StoreError> {
    let now = state.clock.now();
    let sys_id = sys_id.to_owned();
    state
        .db
        .call(move |connection| {
            if let Some(stored) = segment_store::by_id(connection, &sys_id)? {
                segment_store::close_with_default(connection, &stored, now)?;
            }
            Ok(())
        })
        .await
}

/// A wrap-up segment was closed (submitted, expired or cancelled): the
/// simulated call waiting on it, if any, ends. Failures are logged, not
/// returned: the segment update itself succeeded.
pub async fn wrapup_finished(state: &AppState, segment_sys_id: &str) {
    let changing = state.calls_lock.lock().await;
    let sys_id = segment_sys_id.to_owned();
    let found = state
        .db
        .call(move |connection| {
            let id: Option<String> = rusqlite::OptionalExtension::optional(connection.query_row(
                "SELECT id FROM sim_calls WHERE segment = ?1 AND state = 'Wrapup'",
                [&sys_id],
                |row| row.get(0),
            ))?;
            let Some(id) = id else { return Ok(None) };
            let call = calls::load(connection, &id)?;
            let code = segment_store::by_id(connection, &sys_id)?
                .and_then(|stored| stored.segment.code)
                .map(|code| code.code);
            Ok(call.map(|call| (call, code)))
        })
        .await;
    let result = match found {
        Ok(Some((call, code))) => calls::end_after_wrapup(state, call, code, &changing).await,
        Ok(None) => Ok(()),
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::error!(%error, segment = segment_sys_id, "cannot end the simulated call");
    }
}

/// A Genesys service ended (`POST /services/{id}/end`): the simulated call
/// that is this service, if it is in wrap-up, ends with the disposition as
/// its wrap-up reason. Its segment, which only timed the wrap-up, is closed
/// (with its default code) so that expiry and Tenios leave the call alone.
/// Failures are logged, not returned: the service end itself was recorded.
pub async fn service_ended(state: &AppState, service_id: i64, disposition: Option<String>) {
    let changing = state.calls_lock.lock().await;
    let now = state.clock.now();
    let found = state
        .db
        .call(move |connection| {
            let id: Option<String> = connection
                .query_row(
                    "SELECT id FROM sim_calls WHERE state = 'Wrapup'
                     AND json_extract(workitem, '$.ctiData.\"user.genesysServiceId\"') = ?1",
                    [service_id.to_string()],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(call) = id
                .map(|id| calls::load(connection, &id))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            let mut code = None;
            if let Some(segment) = &call.segment
                && let Some(stored) = segment_store::by_id(connection, segment)?
            {
                let closed = segment_store::close_with_default(connection, &stored, now)?;
                code = closed.code.map(|code| code.code);
            }
            Ok(Some((call, code)))
        })
        .await;
    let result = match found {
        Ok(Some((call, code))) => {
            calls::end_after_wrapup(state, call, disposition.or(code), &changing).await
        }
        Ok(None) => Ok(()),
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        tracing::error!(%error, service_id, "cannot end the simulated call of a Genesys service");
    }
}

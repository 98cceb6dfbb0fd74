//! `GET /sim/v1/calls/{id}`: a simulated call as the simulator keeps it, with
//! what the backends recorded about it — its wrap-up segments (however they
//! were opened), the openframe interaction records whose `clientSessionId` is
//! the call id (fields and context), and the Genesys Service End Events of
//! its service. Tests and demos read the
//! outcome of a wrap-up here, whatever backend it went to.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::Value;
use wrapup_core::bs::Workitem;
use wrapup_core::cti_wrapup;
use wrapup_core::servicenow::Segment;

use super::calls::{self, sim_error};
use crate::AppState;
use crate::servicenow::segment_store;
use crate::store::{StoreError, from_json_column};

/// The answer of `GET /sim/v1/calls/{id}`.
#[derive(Debug, Serialize)]
struct CallView {
    id: String,
    agent_id: String,
    state: String,
    workitem: Workitem,
    /// The wrap-up segment the simulator opened, if any.
    segment: Option<String>,
    /// Every wrap-up segment of the call, oldest first: the simulator's
    /// (segment id = call id), one a widget opened (external segment id =
    /// call id), and any on the call's interaction records.
    segments: Vec<Segment>,
    /// The Genesys service of the call (ctiData `user.genesysServiceId`).
    genesys_service_id: Option<i64>,
    /// The Service End Events recorded for that service (one at most: a
    /// service ends once, a repeat replaces the record).
    genesys_service_ends: Vec<Value>,
    /// The openframe interactions created for the call.
    interactions: Vec<InteractionView>,
}

#[derive(Debug, Serialize)]
struct InteractionView {
    sys_id: String,
    number: String,
    interaction: Value,
    context: Value,
}

pub async fn call(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let lookup = id.clone();
    let found = state
        .db
        .call(move |connection| view(connection, &lookup))
        .await;
    match found {
        Ok(Some(view)) => Json(view).into_response(),
        Ok(None) => sim_error(
            StatusCode::NOT_FOUND,
            format!("no simulated call has the id {id}"),
        ),
        Err(error) => {
            tracing::error!(%error, "simulator database failure");
            sim_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
        }
    }
}

fn view(connection: &Connection, id: &str) -> Result<Option<CallView>, StoreError> {
    let Some(call) = calls::load(connection, id)? else {
        return Ok(None);
    };
    let service_id = cti_wrapup::genesys_service_id(call.workitem.cti_data.as_ref());
    let genesys_service_ends = match service_id {
        Some(service_id) => {
            let mut statement = connection.prepare(
                "SELECT body FROM genesys_service_ends WHERE service_id = ?1 ORDER BY seq",
            )?;
            let bodies = statement
                .query_map(params![service_id], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            bodies
                .iter()
                .map(|body| from_json_column("body", body))
                .collect::<Result<_, _>>()?
        }
        None => Vec::new(),
    };
    let mut statement = connection.prepare(
        "SELECT sys_id FROM segments WHERE segment_id = ?1 OR external_segment_id = ?1
         OR interaction = ?1 OR interaction IN (SELECT sys_id FROM interactions
            WHERE json_extract(interaction, '$.clientSessionId') = ?1)
         ORDER BY seq",
    )?;
    let sys_ids = statement
        .query_map([id], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut segments = Vec::new();
    for sys_id in sys_ids {
        segments.extend(segment_store::by_id(connection, &sys_id)?.map(|stored| stored.segment));
    }
    let mut statement = connection.prepare(
        "SELECT sys_id, number, interaction, context FROM interactions
         WHERE json_extract(interaction, '$.clientSessionId') = ?1 ORDER BY seq",
    )?;
    let rows = statement
        .query_map([id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let interactions = rows
        .into_iter()
        .map(|(sys_id, number, interaction, context)| {
            Ok(InteractionView {
                sys_id,
                number,
                interaction: from_json_column("interaction", &interaction)?,
                context: from_json_column("context", &context)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Some(CallView {
        state: call.workitem.state.to_string(),
        id: call.id,
        agent_id: call.agent_id,
        workitem: call.workitem,
        segment: call.segment,
        segments,
        genesys_service_id: service_id,
        genesys_service_ends,
        interactions,
    }))
}

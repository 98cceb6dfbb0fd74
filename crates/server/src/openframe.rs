//! openframe `POST /api/now/openframe/voice-interaction` and `PATCH
//! .../voice-interaction/{sys_id}` (default and versioned URLs): interaction
//! records numbered `IMS0000052`-style, with their context, phone logs and
//! related records.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{patch, post};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use wrapup_core::servicenow::{VoiceInteractionRequest, VoiceInteractionResponse};

use crate::AppState;
use crate::servicenow::SnError;
use crate::store::{StoreError, from_json_column, new_sys_id, to_json_column};
use crate::wire::{Format, decode, encode};

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for prefix in [
        "/api/now/openframe/voice-interaction",
        "/api/now/openframe/{api_version}/voice-interaction",
    ] {
        router = router
            .route(prefix, post(create))
            .route(&format!("{prefix}/{{sys_id}}"), patch(update));
    }
    router
}

fn merge(target: &mut Map<String, Value>, source: Option<&Map<String, Value>>) {
    for (key, value) in source.into_iter().flatten() {
        target.insert(key.clone(), value.clone());
    }
}

fn store_children(
    connection: &Connection,
    sys_id: &str,
    request: &VoiceInteractionRequest,
) -> Result<(), StoreError> {
    for log in request.phone_logs.iter().flatten() {
        connection.execute(
            "INSERT INTO phone_logs (sys_id, interaction, fields) VALUES (?1, ?2, ?3)",
            params![new_sys_id(), sys_id, to_json_column("phone_log", log)?],
        )?;
    }
    for record in request.related_records.iter().flatten() {
        connection.execute(
            "INSERT OR IGNORE INTO related_records (interaction, document_table, document_id)
             VALUES (?1, ?2, ?3)",
            params![sys_id, record.document_table, record.document_id],
        )?;
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, SnError> {
    let format = Format::accepted(&headers);
    let request: VoiceInteractionRequest =
        decode(&headers, &body).map_err(|error| SnError::bad_request(format, error))?;
    request
        .validate_create()
        .map_err(|error| SnError::bad_request(format, error.to_string()))?;
    let now = state.clock.now().to_rfc3339();
    let (sys_id, number) = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let last: Option<i64> = transaction.query_row(
                "SELECT MAX(CAST(SUBSTR(number, 4) AS INTEGER)) FROM interactions",
                [],
                |row| row.get(0),
            )?;
            let number = format!("IMS{:07}", last.unwrap_or(0) + 1);
            let sys_id = new_sys_id();
            transaction.execute(
                "INSERT INTO interactions (sys_id, number, interaction, context, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![
                    sys_id,
                    number,
                    to_json_column("interaction", &request.interaction)?,
                    to_json_column("context", &request.interaction_context.clone().unwrap_or_default())?,
                    now
                ],
            )?;
            store_children(&transaction, &sys_id, &request)?;
            transaction.commit()?;
            Ok((sys_id, number))
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?;
    Ok(encode(
        format,
        StatusCode::OK,
        &VoiceInteractionResponse::created(&sys_id, &number),
    ))
}

async fn update(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, SnError> {
    let format = Format::accepted(&headers);
    let sys_id = params.get("sys_id").cloned().unwrap_or_default();
    let request: VoiceInteractionRequest =
        decode(&headers, &body).map_err(|error| SnError::bad_request(format, error))?;
    request
        .validate_update()
        .map_err(|error| SnError::bad_request(format, error.to_string()))?;
    let now = state.clock.now().to_rfc3339();
    let id = sys_id.clone();
    let updated = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let row: Option<(String, String)> = transaction
                .query_row(
                    "SELECT interaction, context FROM interactions WHERE sys_id = ?1",
                    [&id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((interaction, context)) = row else {
                return Ok(false);
            };
            let mut interaction: Map<String, Value> = from_json_column("interaction", &interaction)?;
            let patch = serde_json::to_value(&request.interaction)
                .map_err(|source| StoreError::CorruptJson { column: "interaction", source })?;
            merge(&mut interaction, patch.as_object());
            let mut context: wrapup_core::json::Map = from_json_column("context", &context)?;
            context.extend(request.interaction_context.clone().unwrap_or_default());
            transaction.execute(
                "UPDATE interactions SET interaction = ?2, context = ?3, updated_at = ?4 WHERE sys_id = ?1",
                params![id, to_json_column("interaction", &interaction)?, to_json_column("context", &context)?, now],
            )?;
            store_children(&transaction, &id, &request)?;
            transaction.commit()?;
            Ok(true)
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?;
    if !updated {
        return Err(SnError::not_found(
            format,
            "Interaction not found.",
            format!("no interaction has the sys_id {sys_id}"),
        ));
    }
    Ok(encode(
        format,
        StatusCode::OK,
        &VoiceInteractionResponse::updated(),
    ))
}

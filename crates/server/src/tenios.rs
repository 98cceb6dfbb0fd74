//! Tenios `POST /wrap-up/extend` and `/wrap-up/cancel`, with the documented
//! error bodies (from `wrapup_core::tenios`, the swapped WRAP_UP_EXCEEDED_LIMIT
//! body included). Callers authenticate by `access_key`.
//!
//! "In wrap-up" means the agent (looked up by e-mail) has an open wrap-up
//! segment; its end is the segment's `opened_on + duration`, moved by each
//! extend. A simulated call's deadline is that same end. Cancel closes the
//! segment with its default code and ends the simulated call.
//!
//! Tenios has no wrap-up without an end, so extending a segment that has no
//! time limit gives it one: the requested end, counted from now.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rusqlite::OptionalExtension;
use wrapup_core::datetime::IsoMillisDateTime;
use wrapup_core::extension::check_extension;
use wrapup_core::tenios::{
    CancelRequest, CancelResponse, ExtendRequest, ExtendResponse, TeniosError,
};

use crate::servicenow::segment_store::{self, StoredSegment};
use crate::store::StoreError;
use crate::{AppState, sim};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/wrap-up/extend", post(extend))
        .route("/wrap-up/cancel", post(cancel))
}

fn refused(error: TeniosError) -> Response {
    (StatusCode::BAD_REQUEST, Json(error)).into_response()
}

fn failed(error: &StoreError) -> Response {
    tracing::error!(%error, "tenios database failure");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(serde_json::json!({
            "error_code": "INTERNAL_ERROR", "error_message": error.to_string(), "fields": []
        })),
    )
        .into_response()
}

/// A wrong access key: answered like a missing one would be, naming the field.
fn wrong_key() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(TeniosError {
            error_code: "INVALID_ACCESS_KEY".to_owned(),
            error_message: "Parameter 'access_key' is not a valid access key".to_owned(),
            fields: vec!["access_key".to_owned()],
        }),
    )
        .into_response()
}

/// The open wrap-up of the agent with `email`, or the documented answer
/// when there is none (after checking the caller's `access_key`).
async fn wrapup_of(
    state: &AppState,
    access_key: &str,
    email: &str,
) -> Result<Box<StoredSegment>, Response> {
    // An empty key means none was configured: nobody may call.
    if state.tenios_access_key.is_empty()
        || !crate::auth::constant_time_eq(access_key, &state.tenios_access_key)
    {
        return Err(wrong_key());
    }
    let email = email.to_owned();
    let lookup = state
        .db
        .call(move |connection| {
            let agent: Option<String> = connection
                .query_row(
                    "SELECT sys_id FROM agents WHERE email = ?1",
                    [&email],
                    |row| row.get(0),
                )
                .optional()?;
            agent
                .map(|agent| segment_store::open_of_agent(connection, &agent))
                .transpose()
        })
        .await;
    match lookup {
        Ok(Some(Some(segment))) => Ok(Box::new(segment)),
        Ok(Some(None)) => Err(refused(TeniosError::agent_not_in_wrap_up())),
        Ok(None) => Err(refused(TeniosError::agent_not_found())),
        Err(error) => Err(failed(&error)),
    }
}

fn parse<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
    // A body that is no JSON object is treated as empty, so the answer names
    // the first required field, as Tenios does.
    serde_json::from_slice(body).unwrap_or_default()
}

async fn extend(
    State(state): State<AppState>,
    _headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let valid = parse::<ExtendRequest>(&body).validate().map_err(refused)?;
    let segment = wrapup_of(&state, &valid.access_key, &valid.agent_email).await?;
    let requested = valid.end_time.get();
    // A wrap-up without a limit ends "now" for the purpose of extending it.
    let current_end = segment.wrapup_end.unwrap_or_else(|| state.clock.now());
    check_extension(current_end, requested).map_err(|error| refused(error.into()))?;
    let sys_id = segment.segment.sys_id.clone();
    state
        .db
        .call(move |connection| segment_store::set_wrapup_end(connection, &sys_id, requested))
        .await
        .map_err(|error| failed(&error))?;
    Ok(Json(ExtendResponse::extended_to(IsoMillisDateTime::new(
        requested,
    )))
    .into_response())
}

async fn cancel(
    State(state): State<AppState>,
    _headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let valid = parse::<CancelRequest>(&body).validate().map_err(refused)?;
    let segment = wrapup_of(&state, &valid.access_key, &valid.agent_email).await?;
    sim::close_segment(&state, &segment.segment.sys_id)
        .await
        .map_err(|error| failed(&error))?;
    sim::wrapup_finished(&state, &segment.segment.sys_id).await;
    Ok(Json(CancelResponse::SUCCEEDED).into_response())
}

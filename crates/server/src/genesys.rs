//! Genesys Context Services `POST /services/{service_id}/end` (also under
//! `/genesys/1/cs`): 204 on success; the documented length limits enforced.
//!
//! A service ends once: ending it again replaces what was recorded (the spec:
//! "the previous record is replaced with the new one"), so a client that
//! repeats the request after a lost answer leaves one record. When the
//! service is a simulated call's (ctiData `user.genesysServiceId`), that call's
//! wrap-up is over and the call ends.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rusqlite::params;
use wrapup_core::genesys::{CompleteServiceRequest, GenesysError};

use crate::{AppState, sim};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services/{service_id}/end", post(complete_service))
        .route(
            "/genesys/1/cs/services/{service_id}/end",
            post(complete_service),
        )
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(GenesysError {
            code: StatusCode::BAD_REQUEST.as_u16(),
            message,
        }),
    )
        .into_response()
}

async fn complete_service(
    State(state): State<AppState>,
    Path(service_id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(service_id) = service_id.parse::<i64>() else {
        return bad_request(format!("service_id `{service_id}` is not an integer"));
    };
    // Every field of the Service End Event is optional, and the spec lets the
    // application update the service "in the body": a POST without one just
    // ends the service.
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &body
    };
    let request: CompleteServiceRequest = match wrapup_core::parse::from_json_slice(body) {
        Ok(request) => request,
        Err(error) => return bad_request(error.to_string()),
    };
    if let Err(error) = request.validate() {
        return bad_request(error.to_string());
    }
    let mut request = request;
    // "If the application does not specify this timestamp, the server adds it."
    let now = state.clock.now();
    if request.timestamp.is_none() {
        request.timestamp = Some(wrapup_core::datetime::IsoMillisDateTime::new(now));
    }
    let stored = match serde_json::to_string(&request) {
        Ok(stored) => stored,
        Err(error) => return bad_request(error.to_string()),
    };
    let disposition = request.disposition.as_ref().map(ToString::to_string);
    let result = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            transaction.execute(
                "DELETE FROM genesys_service_ends WHERE service_id = ?1",
                params![service_id],
            )?;
            transaction.execute(
                "INSERT INTO genesys_service_ends (service_id, body, received_at) VALUES (?1, ?2, ?3)",
                params![service_id, stored, now.to_rfc3339()],
            )?;
            transaction.commit()?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) => {
            sim::service_ended(&state, service_id, disposition).await;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "genesys database failure");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(GenesysError {
                    code: StatusCode::INTERNAL_SERVER_ERROR.as_u16(),
                    message: error.to_string(),
                }),
            )
                .into_response()
        }
    }
}

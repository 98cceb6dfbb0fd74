//! Genesys Context Services `POST /services/{service_id}/end` (also under
//! `/genesys/1/cs`): 204 on success; the documented length limits enforced.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rusqlite::params;
use wrapup_core::genesys::CompleteServiceRequest;

use crate::AppState;

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
        Json(serde_json::json!({ "code": 400, "message": message })),
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
    let request: CompleteServiceRequest = match wrapup_core::parse::from_json_slice(&body) {
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
    let result = state
        .db
        .call(move |connection| {
            connection.execute(
                "INSERT INTO genesys_service_ends (service_id, body, received_at) VALUES (?1, ?2, ?3)",
                params![service_id, stored, now.to_rfc3339()],
            )?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

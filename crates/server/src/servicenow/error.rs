//! Failures of the ServiceNow routes, answered in ServiceNow's error shape:
//! `{"error": {"message", "detail"}, "status": "failure"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use wrapup_core::servicenow::ServiceNowError;

use crate::store::StoreError;
use crate::wire::{Format, encode};

/// A failed ServiceNow request: status, body and the format to answer in.
#[derive(Debug)]
pub struct SnError {
    status: StatusCode,
    body: ServiceNowError,
    format: Format,
}

impl SnError {
    /// 400: the request is malformed or breaks a documented rule.
    pub fn bad_request(format: Format, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: ServiceNowError::new("Invalid request", Some(detail.into())),
            format,
        }
    }

    /// 404: the named record does not exist.
    pub fn not_found(format: Format, message: impl Into<String>, detail: String) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: ServiceNowError::new(message, Some(detail)),
            format,
        }
    }

    /// 500: the database failed; the detail says how.
    pub fn internal(format: Format, error: &StoreError) -> Self {
        tracing::error!(%error, "database failure");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: ServiceNowError::new("Internal server error", Some(error.to_string())),
            format,
        }
    }
}

impl IntoResponse for SnError {
    fn into_response(self) -> Response {
        encode(self.format, self.status, &self.body)
    }
}

//! What went wrong with a request, classified ([`ApiError`]) and told: the
//! error body's own words, and the report the agent reads in their language.

use wrapup_core::servicenow::ServiceNowError;
use wrapup_core::tenios::TeniosError;

use crate::i18n::{BackendFailure, FailureReport};

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: offline, server down, CORS, aborted. The outcome is
    /// unknown, so an idempotent request may be retried.
    #[error("the server could not be reached ({0})")]
    Network(String),
    /// The server answered with an error status; `message` is the error body's
    /// own words when it has some.
    #[error("the server answered {status}: {message}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// What the server said, for the agent.
        message: String,
        /// The raw body, for callers that read a specific error shape.
        body: String,
    },
    /// The answer was not the expected API type.
    #[error("the server's answer could not be read ({0})")]
    Parse(String),
}

impl ApiError {
    /// Whether trying again later may succeed: network failures, timeouts,
    /// rate limits and server errors. Other 4xx answers will not change.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Status { status, .. } => matches!(status, 408 | 425 | 429 | 500..=599),
            Self::Parse(_) => false,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The simulator's error body, `{"error": "..."}`.
#[derive(serde::Deserialize)]
struct SimulatorError {
    error: String,
}

/// The error body's own words: ServiceNow's `error.message (detail)`, Tenios'
/// plain-words reason, the simulator's `error`, else the text itself.
pub fn error_message(body: &str) -> String {
    if let Ok(error) = serde_json::from_str::<ServiceNowError>(body) {
        return error.to_string();
    }
    if let Ok(error) = serde_json::from_str::<TeniosError>(body) {
        return error.error_message;
    }
    if let Ok(SimulatorError { error }) = serde_json::from_str(body) {
        return error;
    }
    body.chars().take(200).collect()
}

/// `error` as the agent is told it: a documented Tenios error by its code,
/// otherwise by kind; the server's own words (or the network's) as detail.
pub fn failure_report(error: &ApiError) -> FailureReport {
    use wrapup_core::tenios::TeniosErrorCode as Code;
    match error {
        ApiError::Network(detail) => {
            FailureReport::new(BackendFailure::Unreachable, Some(detail.clone()))
        }
        ApiError::Parse(detail) => {
            FailureReport::new(BackendFailure::Unreadable, Some(detail.clone()))
        }
        ApiError::Status {
            status,
            message,
            body,
        } => {
            let tenios = serde_json::from_str::<TeniosError>(body)
                .ok()
                .and_then(|error| error.code());
            let failure = match tenios {
                Some(Code::AgentNotFound) => BackendFailure::TeniosAgentUnknown,
                Some(Code::AgentNotInWrapUp) => BackendFailure::TeniosNotInWrapup,
                Some(Code::WrapUpInvalidExtendTimeAmount) => BackendFailure::ExtensionTooShort,
                Some(Code::WrapUpExceededLimit) => BackendFailure::ExtensionTooLong,
                Some(Code::WrapUpDateParseError) => BackendFailure::ExtensionEndNotUnderstood,
                Some(Code::FieldIsRequired) => BackendFailure::ExtendNotConfigured,
                None if error.is_transient() => BackendFailure::ServerError,
                None => BackendFailure::Refused,
            };
            let detail = if message.is_empty() {
                status.to_string()
            } else {
                format!("{status}: {message}")
            };
            FailureReport::new(failure, Some(detail))
        }
    }
}

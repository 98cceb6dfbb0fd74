//! What went wrong with a request, classified ([`ApiError`]) and told: the
//! error body's own words, and the report the agent reads in their language.

use wrapup_core::json::Value;
use wrapup_core::parse::read;
use wrapup_core::record::{FromJson, ReadError, Record};
use wrapup_core::servicenow::ServiceNowError;
use wrapup_core::tenios::TeniosError;

use crate::i18n::{BackendFailure, FailureReport};

/// Why a request did not give the expected answer: its [`ApiErrorKind`].
///
/// Boxed: every request's result, and every future that holds one across an
/// await, carries it as one pointer rather than a status and two strings
/// (the wasm is smaller).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(Box<ApiErrorKind>);

/// The kinds of [`ApiError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiErrorKind {
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

impl From<ApiErrorKind> for ApiError {
    fn from(kind: ApiErrorKind) -> Self {
        Self(Box::new(kind))
    }
}

impl ApiError {
    /// No answer at all ([`ApiErrorKind::Network`]), for the reason given.
    pub fn network(reason: impl Into<String>) -> Self {
        ApiErrorKind::Network(reason.into()).into()
    }

    /// An answer that was not the expected API type ([`ApiErrorKind::Parse`]).
    pub fn parse(reason: impl Into<String>) -> Self {
        ApiErrorKind::Parse(reason.into()).into()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ApiErrorKind {
        &self.0
    }

    /// What went wrong, taken out of its box.
    pub fn into_kind(self) -> ApiErrorKind {
        *self.0
    }

    /// Whether trying again later may succeed: network failures, timeouts,
    /// rate limits and server errors. Other 4xx answers will not change.
    pub fn is_transient(&self) -> bool {
        match self.kind() {
            ApiErrorKind::Network(_) => true,
            ApiErrorKind::Status { status, .. } => {
                matches!(status, 408 | 425 | 429 | 500..=599)
            }
            ApiErrorKind::Parse(_) => false,
        }
    }

    /// Whether the outcome is unknown: no answer came, or a gateway says the
    /// server behind it gave none in time (502, 504) — it may have acted.
    pub fn outcome_unknown(&self) -> bool {
        match self.kind() {
            ApiErrorKind::Network(_) => true,
            ApiErrorKind::Status { status, .. } => matches!(status, 502 | 504),
            ApiErrorKind::Parse(_) => false,
        }
    }

    /// Whether the server refused the widget's sign-in (401, 403): its
    /// token is wrong or expired. Nothing about the request itself is
    /// wrong, and it may succeed as it is once the server takes the token.
    pub fn refuses_sign_in(&self) -> bool {
        matches!(self.status(), Some(401 | 403))
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self.kind() {
            ApiErrorKind::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The simulator's error body, `{"error": "..."}`, and Genesys',
/// `{"code": 400, "message": "..."}` (`wrapup_core::genesys::GenesysError`):
/// one shape read for both.
struct PlainError {
    error: String,
}

impl FromJson for PlainError {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct PlainError")?;
        let error = match record.optional("error")? {
            Some(error) => error,
            None => record.required("message")?,
        };
        Ok(Self { error })
    }
}

/// The error body's own words: ServiceNow's `error.message — detail`, Tenios'
/// plain-words reason, Genesys' `message`, the simulator's `error`, else the
/// text itself.
pub fn error_message(body: &str) -> String {
    // The body is parsed once; each shape is then read from the value.
    if let Ok(value) = wrapup_core::json::from_str(body) {
        if let Ok(error) = ServiceNowError::from_json(value.clone()) {
            return error.to_string();
        }
        if let Ok(error) = TeniosError::from_json(value.clone()) {
            return error.error_message;
        }
        if let Ok(PlainError { error }) = PlainError::from_json(value) {
            return error;
        }
    }
    body.chars().take(200).collect()
}

/// The Tenios error body of `error`, if it has one.
pub fn tenios_error(error: &ApiError) -> Option<TeniosError> {
    match error.kind() {
        ApiErrorKind::Status { body, .. } => read::<TeniosError>(body).ok(),
        _ => None,
    }
}

/// `error` as the agent is told it: a documented Tenios error by its code,
/// otherwise by kind; the server's own words (or the network's) as detail.
pub fn failure_report(error: &ApiError) -> FailureReport {
    use wrapup_core::tenios::TeniosErrorCode as Code;
    match error.kind() {
        // The browser's words for it ("Failed to fetch") tell an agent
        // nothing more; the browser's console shows the request that failed.
        ApiErrorKind::Network(_) => FailureReport::new(BackendFailure::Unreachable, None),
        ApiErrorKind::Parse(detail) => {
            FailureReport::new(BackendFailure::Unreadable, Some(detail.clone()))
        }
        ApiErrorKind::Status {
            status, message, ..
        } => {
            let tenios = tenios_error(error);
            let failure = match tenios.as_ref().and_then(TeniosError::code) {
                Some(Code::AgentNotFound) => BackendFailure::TeniosAgentUnknown,
                Some(Code::AgentNotInWrapUp) => BackendFailure::TeniosNotInWrapup,
                Some(Code::WrapUpInvalidExtendTimeAmount) => BackendFailure::ExtensionTooShort,
                Some(Code::WrapUpExceededLimit) => BackendFailure::ExtensionTooLong,
                Some(Code::WrapUpDateParseError) => BackendFailure::ExtensionEndNotUnderstood,
                Some(Code::FieldIsRequired) => BackendFailure::ExtendNotConfigured,
                // The reference server's answer to a wrong `access_key`.
                None if tenios.is_some_and(|error| error.fields == ["access_key"]) => {
                    BackendFailure::ExtendNotConfigured
                }
                None if error.refuses_sign_in() => BackendFailure::NotSignedIn,
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

#[cfg(test)]
mod tests {
    use wrapup_core::genesys::GenesysError;
    use wrapup_core::tenios::TeniosError;

    use super::*;
    use crate::i18n::Language;

    fn answered(status: u16, body: &str) -> ApiError {
        ApiErrorKind::Status {
            status,
            message: error_message(body),
            body: body.to_owned(),
        }
        .into()
    }

    fn tenios(error: &TeniosError) -> ApiError {
        answered(400, &serde_json::to_string(error).unwrap())
    }

    #[test]
    fn every_documented_tenios_error_is_told_in_the_agents_words() {
        let documented = [
            (
                TeniosError::field_is_required("agent_email"),
                BackendFailure::ExtendNotConfigured,
            ),
            (
                TeniosError::agent_not_found(),
                BackendFailure::TeniosAgentUnknown,
            ),
            (
                TeniosError::agent_not_in_wrap_up(),
                BackendFailure::TeniosNotInWrapup,
            ),
            (
                TeniosError::wrap_up_date_parse_error(),
                BackendFailure::ExtensionEndNotUnderstood,
            ),
            (
                TeniosError::wrap_up_invalid_extend_time_amount(),
                BackendFailure::ExtensionTooShort,
            ),
            // The documented body with code and message swapped.
            (
                TeniosError::wrap_up_exceeded_limit(),
                BackendFailure::ExtensionTooLong,
            ),
        ];
        for (error, failure) in documented {
            let report = failure_report(&tenios(&error));
            assert_eq!(report.failure, failure, "{error}");
            let english = report.text(Language::English);
            let german = report.text(Language::German);
            assert!(english.starts_with(failure.text(Language::English)));
            assert!(german.starts_with(failure.text(Language::German)));
            assert_ne!(english, german);
        }
    }

    #[test]
    fn a_wrong_tenios_key_is_a_setup_problem() {
        let wrong_key = r#"{"error_code": "INVALID_ACCESS_KEY",
            "error_message": "Parameter 'access_key' is not a valid access key",
            "fields": ["access_key"]}"#;
        assert_eq!(
            failure_report(&answered(401, wrong_key)).failure,
            BackendFailure::ExtendNotConfigured
        );
    }

    #[test]
    fn a_servicenow_refusal_reads_without_nested_parentheses() {
        let body = serde_json::to_string(&ServiceNowError::new(
            "User Not Authenticated",
            Some("token expired".to_owned()),
        ))
        .unwrap();
        let report = failure_report(&answered(401, &body));
        assert_eq!(report.failure, BackendFailure::NotSignedIn);
        assert_eq!(
            report.text(Language::English),
            "The server did not accept this widget's sign-in: its token is wrong or has \
             expired. Ask your administrator to check it (401: User Not Authenticated — token \
             expired)"
        );
    }

    #[test]
    fn genesys_tells_its_refusal_in_its_own_words() {
        let body = serde_json::to_string(&GenesysError {
            code: 400,
            message: "disposition_desc is 65 characters long, but Genesys allows at most 64".into(),
        })
        .unwrap();
        let report = failure_report(&answered(400, &body));
        assert_eq!(
            report.detail.as_deref(),
            Some("400: disposition_desc is 65 characters long, but Genesys allows at most 64")
        );
    }
}

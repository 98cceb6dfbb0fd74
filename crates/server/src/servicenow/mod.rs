//! The ServiceNow Wrap Up API, at the default (`/api/now/wrapup/...`) and the
//! versioned (`/api/now/{api_version}/wrapup/...`) URLs. Every version answers
//! the same: there is only one.

mod code_store;
mod codes;
mod error;
pub mod segment_store;
mod segments;

use std::collections::HashMap;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::routing::{get, post, put};

pub use error::SnError;

use crate::AppState;
use crate::wire::Format;

/// The Wrap Up routes (authentication is layered on by the caller).
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for prefix in ["/api/now/wrapup", "/api/now/{api_version}/wrapup"] {
        router = router
            .route(&format!("{prefix}/code"), post(codes::post_codes))
            .route(&format!("{prefix}/code/{{code_id}}"), get(codes::get_code))
            .route(
                &format!("{prefix}/segment/create"),
                post(segments::create_segment),
            )
            .route(
                &format!("{prefix}/segment/update"),
                put(segments::update_segment),
            )
            .route(
                &format!("{prefix}/segment/agent/{{agent_id}}/interaction/{{interaction_id}}"),
                get(segments::get_segment_by_agent_interaction),
            )
            .route(
                &format!("{prefix}/segment/{{segment_id}}"),
                get(segments::get_segment),
            );
    }
    router
}

/// The language translations are shown in: the first tag of
/// `Accept-Language`, else the server's default.
fn language(headers: &HeaderMap, default: &str) -> String {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split([',', ';', '-', '_']).next())
        .map(str::trim)
        .filter(|tag| tag.len() == 2 && tag != &"*")
        .map_or_else(|| default.to_owned(), str::to_ascii_lowercase)
}

/// A path parameter by name; the router guarantees it is present.
fn path_param(params: &HashMap<String, String>, name: &str) -> String {
    params.get(name).cloned().unwrap_or_default()
}

/// The format of the answer.
fn answer_format(headers: &HeaderMap) -> Format {
    Format::accepted(headers)
}

/// The wrap-up configuration a simulated call's segment gets, built exactly
/// as `segment/create` builds it.
pub fn sim_configuration(
    connection: &rusqlite::Connection,
    request: &wrapup_core::servicenow::SegmentCreateRequest,
    language: &str,
) -> Result<wrapup_core::servicenow::WrapUpConfiguration, crate::store::StoreError> {
    segments::configuration_of(connection, request, language).map_err(segments::Refusal::into_store)
}

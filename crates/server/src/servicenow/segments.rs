//! The wrap-up segment routes: GET by id, GET by agent + interaction, POST
//! create and PUT update.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::Connection;
use wrapup_core::datetime::ServiceNowDateTime;
use wrapup_core::servicenow::{
    NewWrapUpCode, Segment, SegmentChangeResponse, SegmentCreateRequest, SegmentGetResponse,
    SegmentKey, SegmentState, SegmentUpdateQuery, SegmentUpdateRequest, WrapUpCode,
    WrapUpConfiguration,
};

use super::segment_store::{self, StoredSegment};
use super::{SnError, answer_format, code_store, language, path_param};
use crate::store::StoreError;
use crate::wire::{Format, decode, encode};
use crate::{AppState, sim};

fn found(format: Format, segment: Segment) -> Response {
    let response = SegmentGetResponse {
        success: true,
        message: "Wrap up segment retrieved successfully.".to_owned(),
        segment_id: segment.sys_id.clone(),
        segment,
    };
    encode(format, StatusCode::OK, &response)
}

fn not_found(format: Format, detail: String) -> SnError {
    SnError::not_found(format, "Wrap up segment not found.", detail)
}

pub async fn get_segment(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, SnError> {
    let id = path_param(&params, "segment_id");
    let lookup = id.clone();
    let missing = format!("no wrap-up segment has the sys_id or external segment id {id}");
    answer_lookup(&state, &headers, missing, move |connection| {
        segment_store::by_id(connection, &lookup)
    })
    .await
}

pub async fn get_segment_by_agent_interaction(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, SnError> {
    let agent = path_param(&params, "agent_id");
    let interaction = path_param(&params, "interaction_id");
    let missing = format!("agent {agent} has no wrap-up segment for interaction {interaction}");
    answer_lookup(&state, &headers, missing, move |connection| {
        segment_store::by_agent_interaction(connection, &agent, &interaction)
    })
    .await
}

/// Answers a segment GET: the segment `lookup` finds, its codes translated
/// into the language asked for; 404 saying `missing` when there is none.
async fn answer_lookup(
    state: &AppState,
    headers: &HeaderMap,
    missing: String,
    lookup: impl FnOnce(&Connection) -> Result<Option<StoredSegment>, StoreError> + Send + 'static,
) -> Result<Response, SnError> {
    let format = answer_format(headers);
    let language = requested_language(headers);
    let stored = state
        .db
        .call(move |connection| {
            lookup(connection)?
                .map(|stored| translated(connection, stored, language.as_deref()))
                .transpose()
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?
        .ok_or_else(|| not_found(format, missing))?;
    Ok(found(format, stored.segment))
}

/// The language a GET asked for with `Accept-Language`, if it asked.
fn requested_language(headers: &HeaderMap) -> Option<String> {
    headers
        .contains_key(axum::http::header::ACCEPT_LANGUAGE)
        .then(|| language(headers, ""))
        .filter(|language| !language.is_empty())
}

/// The segment with its codes' translations in `language` ("the session's
/// language"), when the request names one: a segment keeps a snapshot of
/// the codes in the language it was opened in, but a widget in another
/// language asks for its own. Codes without a translation in `language`
/// get an empty `translated_code`, so the label falls back to the code.
fn translated(
    connection: &Connection,
    mut stored: StoredSegment,
    language: Option<&str>,
) -> Result<StoredSegment, StoreError> {
    let Some(language) = language else {
        return Ok(stored);
    };
    let segment = &mut stored.segment;
    let codes = segment
        .wrap_up_configuration
        .allowed_codes
        .iter_mut()
        .chain(segment.wrap_up_configuration.default_code.as_mut())
        .chain(segment.code.as_mut());
    for code in codes {
        if let Some(known) = code_store::by_sys_id(connection, &code.sys_id, language)? {
            code.translated_code = known.translated_code;
            code.translated_description = known.translated_description;
        }
    }
    Ok(stored)
}

/// Why a create or update was refused, decided inside the transaction.
pub enum Refusal {
    BadRequest(String),
    NotFound(String),
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<rusqlite::Error> for Refusal {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(error.into())
    }
}

impl Refusal {
    /// For callers that validated their request already: any refusal is a failure.
    pub fn into_store(self) -> StoreError {
        match self {
            Self::BadRequest(detail) | Self::NotFound(detail) => StoreError::Worker(detail),
            Self::Store(error) => error,
        }
    }

    fn into_error(self, format: Format) -> SnError {
        match self {
            Self::BadRequest(detail) => SnError::bad_request(format, detail),
            Self::NotFound(detail) => not_found(format, detail),
            Self::Store(error) => SnError::internal(format, &error),
        }
    }
}

pub async fn create_segment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, SnError> {
    let format = answer_format(&headers);
    let request: SegmentCreateRequest =
        decode(&headers, &body).map_err(|error| SnError::bad_request(format, error))?;
    request
        .validate()
        .map_err(|error| SnError::bad_request(format, error.to_string()))?;
    let language = language(&headers, &state.language);
    let stored = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let result = create_in(&transaction, &request, &language);
            if result.is_ok() {
                transaction.commit()?;
            }
            Ok(result)
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?
        .map_err(|refusal| refusal.into_error(format))?;
    let response = SegmentChangeResponse {
        success: true,
        message: "Open wrap-up segment successfully created.".to_owned(),
        sys_id: stored.segment.sys_id.clone(),
        segment: stored.segment,
    };
    Ok(encode(format, StatusCode::OK, &response))
}

/// Builds the segment's configuration from the request: each allowed code is
/// the code table's record of that label (created if new), carrying the
/// translation the request gives.
pub fn configuration_of(
    connection: &Connection,
    request: &SegmentCreateRequest,
    language: &str,
) -> Result<WrapUpConfiguration, Refusal> {
    let Some(requested) = &request.configuration else {
        return Ok(WrapUpConfiguration::default());
    };
    let mut allowed_codes = Vec::new();
    for allowed in requested.allowed_codes.iter().flatten() {
        let known = match code_store::by_label(connection, &allowed.code, language)? {
            Some(code) => code,
            None => code_store::upsert(
                connection,
                &NewWrapUpCode {
                    code: allowed.code.clone(),
                    description: None,
                    active: None,
                    translations: None,
                },
                language,
            )?,
        };
        let translated_code = match &allowed.translation {
            Some(translation) => translation.code.clone(),
            None => known.translated_code.clone(),
        };
        allowed_codes.push(WrapUpCode {
            description: String::new(),
            translated_description: String::new(),
            translated_code,
            ..known
        });
    }
    let default_code = match requested
        .default_code
        .as_deref()
        .filter(|code| !code.is_empty())
    {
        None => None,
        Some(label) => match allowed_codes.iter().find(|code| code.code == label) {
            Some(code) => Some(code.clone()),
            None if allowed_codes.is_empty() => Some(
                code_store::by_label(connection, label, language)?.ok_or_else(|| {
                    Refusal::BadRequest(format!(
                        "configuration.default_code: no wrap-up code is labelled `{label}`"
                    ))
                })?,
            ),
            None => {
                return Err(Refusal::BadRequest(format!(
                    "configuration.default_code: `{label}` is not one of configuration.allowed_codes"
                )));
            }
        },
    };
    Ok(WrapUpConfiguration {
        enable_codes: requested.enable_codes.unwrap_or(false),
        allowed_codes,
        default_code,
        duration: requested.duration,
        show_timer: requested.show_timer,
    })
}

fn create_in(
    connection: &Connection,
    request: &SegmentCreateRequest,
    language: &str,
) -> Result<StoredSegment, Refusal> {
    if !request.is_external() {
        let id = request
            .wrap_up_configuration_sys_id
            .as_deref()
            .unwrap_or_default();
        return Err(Refusal::BadRequest(format!(
            "wrap_up_configuration_sys_id: no wrap-up configuration has the sys_id {id}; \
             this server keeps external configurations only: send external: true with a \
             configuration"
        )));
    }
    let wrap_up_configuration = configuration_of(connection, request, language)?;
    let wrapup_end = match (request.opened_on, wrap_up_configuration.duration) {
        (Some(opened_on), Some(duration)) => match duration.limit() {
            None => None,
            Some(limit) => Some(opened_on.get().checked_add_signed(limit).ok_or_else(|| {
                Refusal::BadRequest(
                    "configuration.duration: too large; give the wrap-up time in seconds"
                        .to_owned(),
                )
            })?),
        },
        _ => None,
    };
    let stored = StoredSegment {
        segment: Segment {
            agent: request.agent_sys_id.clone(),
            segment_table: request.segment_table.clone(),
            segment_id: request.segment_id.clone(),
            external: true,
            interaction: request.interaction_sys_id.clone(),
            state: SegmentState::Open,
            wrap_up_configuration,
            code: None,
            notes: None,
            segmented: request.is_segmented(),
            sys_id: String::new(),
            opened_on: request.opened_on,
            submitted_on: None,
            confirmed_on: None,
            awaiting_confirmation: None,
        },
        external_segment_id: request.external_segment_id.clone(),
        wrapup_end,
    };
    Ok(segment_store::insert(connection, stored)?)
}

pub async fn update_segment(
    State(state): State<AppState>,
    query: Result<Query<SegmentUpdateQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, SnError> {
    let format = answer_format(&headers);
    let Query(query) = query.map_err(|error| SnError::bad_request(format, error.body_text()))?;
    let key = query
        .resolve()
        .map_err(|error| SnError::bad_request(format, error.to_string()))?;
    let request: SegmentUpdateRequest =
        decode(&headers, &body).map_err(|error| SnError::bad_request(format, error))?;
    let now = state.clock.now();
    let segment = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let result = update_in(&transaction, &key, &request, now);
            if result.is_ok() {
                transaction.commit()?;
            }
            Ok(result)
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?
        .map_err(|refusal| refusal.into_error(format))?;
    // The wrap-up is submitted: a simulated call waiting on it ends now.
    sim::wrapup_finished(&state, &segment.sys_id).await;
    let response = SegmentChangeResponse {
        success: true,
        message: "Wrap-up segment updated successfully.".to_owned(),
        sys_id: segment.sys_id.clone(),
        segment,
    };
    Ok(encode(format, StatusCode::OK, &response))
}

fn update_in(
    connection: &Connection,
    key: &SegmentKey,
    request: &SegmentUpdateRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Segment, Refusal> {
    let stored = match key {
        SegmentKey::SegmentSysId(sys_id) => segment_store::by_id(connection, sys_id)?
            .filter(|stored| &stored.segment.sys_id == sys_id),
        SegmentKey::ExternalSegmentId(id) => segment_store::by_id(connection, id)?
            .filter(|stored| stored.external_segment_id.as_deref() == Some(id)),
        SegmentKey::AgentInteraction {
            agent_sys_id,
            interaction_sys_id,
        } => segment_store::by_agent_interaction(connection, agent_sys_id, interaction_sys_id)?,
    };
    let Some(stored) = stored else {
        return Err(Refusal::NotFound(match key {
            SegmentKey::SegmentSysId(id) => format!("no wrap-up segment has the sys_id {id}"),
            SegmentKey::ExternalSegmentId(id) => {
                format!("no wrap-up segment has the external segment id {id}")
            }
            SegmentKey::AgentInteraction {
                agent_sys_id,
                interaction_sys_id,
            } => format!(
                "agent {agent_sys_id} has no wrap-up segment for interaction {interaction_sys_id}"
            ),
        }));
    };
    let mut segment = stored.segment;
    let configuration = &segment.wrap_up_configuration;
    let code = match request
        .wrap_up_code
        .as_deref()
        .filter(|code| !code.is_empty())
    {
        Some(label) => Some(
            configuration
                .allowed_codes
                .iter()
                .find(|code| code.code == label)
                .cloned()
                .or_else(|| {
                    configuration
                        .allowed_codes
                        .is_empty()
                        .then(|| code_store::by_label(connection, label, "").ok().flatten())
                        .flatten()
                })
                .ok_or_else(|| {
                    Refusal::BadRequest(format!(
                        "wrap_up_code: `{label}` is not a wrap-up code this segment allows"
                    ))
                })?,
        ),
        None => configuration.default_code.clone(),
    };
    if code.is_none() && configuration.enable_codes {
        return Err(Refusal::BadRequest(
            "wrap_up_code: required, because this segment requires a code and has no default"
                .to_owned(),
        ));
    }
    segment.code = code;
    if request.notes.is_some() {
        segment.notes.clone_from(&request.notes);
    }
    // A retried update keeps the first submission time.
    if segment.state != SegmentState::Closed || segment.submitted_on.is_none() {
        segment.submitted_on = Some(ServiceNowDateTime::new(now));
    }
    segment.state = SegmentState::Closed;
    if request.confirmed_on.is_some() {
        segment.confirmed_on = request.confirmed_on;
    }
    segment.awaiting_confirmation = Some(segment.confirmed_on.is_none());
    segment_store::save_closing(connection, &segment)?;
    Ok(segment)
}

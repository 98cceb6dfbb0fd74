//! Every HTTP request of the widget: the reference server's ServiceNow Wrap Up
//! and openframe APIs, Tenios extend / cancel, Genesys complete-service, the
//! CTI requests and the optional `/config.json`. One helper,
//! `Api::send`, does the fetch; the bodies are the `wrapup-core` API types,
//! never hand-written JSON. Every answer is read into a JSON value, then
//! field by field ([`FromJson`]): one JSON reader in the wasm, not one per
//! answer type.
//!
//! Every request has an `AbortController`: it is aborted after
//! [`REQUEST_TIMEOUT`] (a transient [`ApiErrorKind::Network`], so the caller
//! retries or answers the Desk), and by [`Api::close`] when the widget's owner
//! is cleaned up.

use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wrapup_core::bs::CilRequest;
use wrapup_core::genesys::WrapupServiceEnd;
use wrapup_core::json::{self, ToJson, Value};
use wrapup_core::record::{FromJson, ReadError, Record};
use wrapup_core::servicenow::{
    ExternalSegmentCreate, SegmentChangeResponse, SegmentGetResponse, SegmentKey,
    SegmentUpdateRequest, VoiceInteractionRequest, VoiceInteractionResponse,
};
use wrapup_core::tenios::{CancelRequest, CancelResponse, ExtendRequest, ExtendResponse};

mod early_config;
mod error;
mod in_flight;

use in_flight::{InFlight, Request};

pub use error::{ApiError, ApiErrorKind, error_message, failure_report, tenios_error};

/// The answer of `POST /cti/v1/agents/{agent}/requests`.
#[derive(Debug, Clone)]
pub struct CtiAnswer<T> {
    /// Whether the request was carried out (absent: `false`).
    pub success: bool,
    /// The data a request returns (`getReasonCodeList`, ...).
    pub result: Option<T>,
}

impl<T: FromJson> FromJson for CtiAnswer<T> {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct CtiAnswer")?;
        Ok(Self {
            success: record.or_default("success")?,
            result: record.optional("result")?,
        })
    }
}

/// How long a request may take before it is aborted: a hung Tenios answer
/// would hold the expiry, a hung delivery the Retry button.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The largest body a request kept alive after the page goes may have: the
/// browsers keep 64 KiB of them at a time.
const KEEP_ALIVE_BODY: usize = 60 * 1024;
/// How long `/config.json` may take before the widget mounts with defaults.
pub const CONFIG_TIMEOUT: Duration = Duration::from_secs(3);

/// The HTTP client of one widget instance. Clones share the requests under
/// way, so [`Api::close`] on one aborts those of all.
#[derive(Clone)]
pub struct Api {
    base: String,
    token: Option<String>,
    language: &'static str,
    timeout: Duration,
    keep_alive: bool,
    in_flight: Rc<InFlight>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Api")
            .field("base", &self.base)
            .field("language", &self.language)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
enum Method {
    Get,
    Post,
    Put,
    Patch,
}

impl Method {
    fn as_str(&self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
        }
    }
}

/// The request of a wrap-up submission, as its backend wants it: both are
/// idempotent, so the outbox may repeat them after an unknown outcome.
#[derive(Debug, Clone)]
pub struct SubmissionRequest {
    method: Method,
    path: String,
    json: String,
}

impl SubmissionRequest {
    /// ServiceNow `PUT /api/now/wrapup/segment/update?...` of the segment
    /// `key`: its query as `SegmentUpdateQuery::from` the key has it (the
    /// parameters given, in the order of its fields), written from the key
    /// itself rather than through the query's four optional fields.
    pub fn segment_update(key: &SegmentKey, request: &SegmentUpdateRequest) -> Self {
        let mut path = String::from("/api/now/wrapup/segment/update?");
        let mut parameter = |name: &str, value: &str| {
            if !path.ends_with('?') {
                path.push('&');
            }
            path.push_str(name);
            path.push('=');
            path.push_str(&encode(value));
        };
        match key {
            SegmentKey::SegmentSysId(sys_id) => parameter("segment_sys_id", sys_id),
            SegmentKey::ExternalSegmentId(id) => parameter("external_segment_id", id),
            SegmentKey::AgentInteraction {
                agent_sys_id,
                interaction_sys_id,
            } => {
                parameter("agent_sys_id", agent_sys_id);
                parameter("interaction_sys_id", interaction_sys_id);
            }
        }
        Self::json(Method::Put, path, request)
    }

    /// Genesys `POST /genesys/1/cs/services/{service_id}/end` (answered 204).
    pub fn complete_service(service_id: i64, request: &WrapupServiceEnd<'_>) -> Self {
        Self::json(
            Method::Post,
            format!("/genesys/1/cs/services/{service_id}/end"),
            request,
        )
    }

    fn json(method: Method, path: String, body: &dyn ToJson) -> Self {
        let json = json::write::to_string(body);
        Self { method, path, json }
    }
}

/// The wrap-up segment [`Api::segment`] looks up.
#[derive(Debug, Clone, Copy)]
pub enum SegmentLookup<'a> {
    /// By its sys_id (or the external id of a segment the widget opened).
    Id(&'a str),
    /// By the agent and the call's interaction record.
    Interaction {
        agent: &'a str,
        interaction: &'a str,
    },
}

/// A Tenios request.
#[derive(Debug, Clone)]
pub enum TeniosRequest {
    /// `POST /wrap-up/extend`.
    Extend(ExtendRequest),
    /// `POST /wrap-up/cancel`.
    Cancel(CancelRequest),
}

/// An answer's body as `T`.
fn parse<T: FromJson>(text: &str) -> Result<T, ApiError> {
    read(parse_value(text))
}

/// An answer's body as a JSON value.
fn parse_value(text: &str) -> Result<Value, ApiError> {
    // Matched rather than `map_err`: the answer is moved once (smaller code).
    match wrapup_core::parse::read(text) {
        Ok(answer) => Ok(answer),
        Err(error) => Err(parse_error(error)),
    }
}

/// An answer read as JSON, as `T`: only this reading is compiled per type,
/// the request and the JSON reader once for every answer.
fn read<T: FromJson>(answer: Result<Value, ApiError>) -> Result<T, ApiError> {
    match T::from_json(answer?) {
        Ok(answer) => Ok(answer),
        Err(error) => Err(parse_error(error.into())),
    }
}

/// An answer that is not the API type, as the JSON reader words it.
fn parse_error(error: wrapup_core::parse::ParseError) -> ApiError {
    ApiError::parse(error.to_string())
}

impl Api {
    /// A client of the server at `base` (no trailing slash needed), sending
    /// `token` as a bearer token and asking for translations in `language`.
    pub fn new(base: &str, token: Option<String>, language: &'static str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            token,
            language,
            timeout: REQUEST_TIMEOUT,
            keep_alive: false,
            in_flight: Rc::default(),
        }
    }

    /// The same client with requests aborted after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same client with its requests kept alive when the page goes (a
    /// reload, a close), where the browser can: to the page's own origin (a
    /// request to another needs a preflight, which some browsers refuse to
    /// keep alive) and with a body within the 64 KiB they keep.
    pub fn kept_alive(mut self) -> Self {
        let origin = web_sys::window().and_then(|window| window.location().origin().ok());
        self.keep_alive = self.base.is_empty() || origin.is_some_and(|origin| origin == self.base);
        self
    }

    /// Aborts every request under way and refuses new ones: the widget is
    /// going away (its owner is cleaned up).
    pub fn close(&self) {
        self.in_flight.close();
    }

    /// How many requests are under way.
    pub fn requests_in_flight(&self) -> usize {
        self.in_flight.count()
    }

    /// The absolute URL of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The one fetch helper: JSON in, JSON out (read as `T` by the caller,
    /// [`read`]: this future is compiled once, not once per API type),
    /// errors as [`ApiError`].
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&dyn ToJson>,
    ) -> Result<Value, ApiError> {
        let json = body.map(json::write::to_string);
        parse_value(&self.fetch(method, path, json).await?)
    }

    /// The request itself, answering its text.
    async fn fetch(
        &self,
        method: Method,
        path: &str,
        json: Option<String>,
    ) -> Result<String, ApiError> {
        let init = self
            .request_init(method, json)
            .map_err(|error| ApiError::network(describe(&error)))?;
        let request = Request::start(&self.in_flight, self.timeout)?;
        init.set_signal(Some(&request.signal()));
        let window = web_sys::window().ok_or_else(|| ApiError::network("no window"))?;
        let response = JsFuture::from(window.fetch_with_str_and_init(&self.url(path), &init))
            .await
            .map_err(|error| request.failure(&error, self.timeout))?;
        let response: web_sys::Response = response
            .dyn_into()
            .map_err(|error| ApiError::network(describe(&error)))?;
        let text_promise = response
            .text()
            .map_err(|error| ApiError::network(describe(&error)))?;
        let text = JsFuture::from(text_promise)
            .await
            .map_err(|error| request.failure(&error, self.timeout))?
            .as_string()
            .unwrap_or_default();
        if !response.ok() {
            return Err(ApiErrorKind::Status {
                status: response.status(),
                message: error_message(&text),
                body: text,
            }
            .into());
        }
        Ok(text)
    }

    /// The request's method, headers and body, kept alive where it can be
    /// ([`Api::kept_alive`]); an error is the browser's, told once by
    /// [`Api::fetch`].
    fn request_init(
        &self,
        method: Method,
        json: Option<String>,
    ) -> Result<web_sys::RequestInit, JsValue> {
        let init = web_sys::RequestInit::new();
        init.set_method(method.as_str());
        if self.keep_alive
            && json
                .as_ref()
                .is_none_or(|json| json.len() < KEEP_ALIVE_BODY)
        {
            // `keepalive` is not in web-sys' RequestInit.
            let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
        }
        let headers = web_sys::Headers::new()?;
        headers.set("Accept", "application/json")?;
        headers.set("Accept-Language", self.language)?;
        if let Some(token) = &self.token {
            headers.set("Authorization", &format!("Bearer {token}"))?;
        }
        if let Some(json) = json {
            headers.set("Content-Type", "application/json")?;
            init.set_body(&JsValue::from_str(&json));
        }
        init.set_headers(&headers);
        Ok(init)
    }

    /// `GET /config.json`: the deployment's settings, if the server has any.
    /// It is given [`CONFIG_TIMEOUT`]: the widget mounts with its defaults
    /// rather than wait for a hung server.
    ///
    /// The page's own early request for it is taken when there is one
    /// (`early_config.rs`).
    pub async fn config_file(&self) -> Result<crate::config::ConfigFile, ApiError> {
        let timeout = CONFIG_TIMEOUT.min(self.timeout);
        let text = match early_config::early_answer(&self.url("/config.json"), timeout).await {
            Some(Some(text)) => text,
            Some(None) => {
                return Err(ApiError::network(
                    "/config.json missing, failed or too slow",
                ));
            }
            None => {
                let api = self.clone().with_timeout(timeout);
                api.fetch(Method::Get, "/config.json", None).await?
            }
        };
        parse(&text)
    }

    /// openframe `POST /api/now/openframe/voice-interaction`, kept alive
    /// when the page goes: a record asked for is made even if the page reloads
    /// before the answer (which is then lost; the widget does not ask again).
    pub async fn create_interaction(
        &self,
        request: &VoiceInteractionRequest,
    ) -> Result<VoiceInteractionResponse, ApiError> {
        let api = self.clone().kept_alive();
        read(
            api.send(
                Method::Post,
                "/api/now/openframe/voice-interaction",
                Some(request),
            )
            .await,
        )
    }

    /// openframe `PATCH /api/now/openframe/voice-interaction/{sys_id}`.
    pub async fn update_interaction(
        &self,
        sys_id: &str,
        request: &VoiceInteractionRequest,
    ) -> Result<VoiceInteractionResponse, ApiError> {
        let path = format!("/api/now/openframe/voice-interaction/{}", encode(sys_id));
        read(self.send(Method::Patch, &path, Some(request)).await)
    }

    /// Sends a wrap-up's request; any 2xx answer acknowledges it (its body
    /// is not needed). One request for every backend, so that the outbox's
    /// delivery awaits one kind of future.
    pub async fn submit(&self, request: &SubmissionRequest) -> Result<(), ApiError> {
        let SubmissionRequest { method, path, json } = request;
        self.fetch(*method, path, Some(json.clone()))
            .await
            .map(drop)
    }

    /// `GET /api/now/wrapup/segment/{segment_id}` or
    /// `GET /api/now/wrapup/segment/agent/{agent}/interaction/{interaction}`:
    /// one request for both, so that a round of lookups awaits one kind of
    /// future.
    pub async fn segment(&self, which: SegmentLookup<'_>) -> Result<SegmentGetResponse, ApiError> {
        let path = match which {
            SegmentLookup::Id(segment_id) => {
                format!("/api/now/wrapup/segment/{}", encode(segment_id))
            }
            SegmentLookup::Interaction { agent, interaction } => format!(
                "/api/now/wrapup/segment/agent/{}/interaction/{}",
                encode(agent),
                encode(interaction)
            ),
        };
        read(self.send(Method::Get, &path, None).await)
    }

    /// `POST /api/now/wrapup/segment/create`.
    pub async fn create_segment(
        &self,
        request: &ExternalSegmentCreate<'_>,
    ) -> Result<SegmentChangeResponse, ApiError> {
        read(
            self.send(
                Method::Post,
                "/api/now/wrapup/segment/create",
                Some(request),
            )
            .await,
        )
    }

    /// Tenios `POST /wrap-up/extend` (answered with the wrap-up's new end) or
    /// `POST /wrap-up/cancel` (answered with none): one request for both, so
    /// that their caller awaits one kind of future.
    pub async fn tenios(&self, request: &TeniosRequest) -> Result<Option<DateTime<Utc>>, ApiError> {
        let (path, json) = match request {
            TeniosRequest::Extend(body) => ("/wrap-up/extend", json::write::to_string(body)),
            TeniosRequest::Cancel(body) => ("/wrap-up/cancel", json::write::to_string(body)),
        };
        let text = self.fetch(Method::Post, path, Some(json)).await?;
        match request {
            TeniosRequest::Extend(_) => {
                parse::<ExtendResponse>(&text).map(|answer| Some(answer.wrap_up_end_time.into()))
            }
            TeniosRequest::Cancel(_) => parse::<CancelResponse>(&text).map(|_| None),
        }
    }

    /// `POST /cti/v1/agents/{agent}/requests`: a b+s request to the CTI
    /// system. Its `result` is left as JSON for the caller to read: one
    /// future for every request, whatever its result's type.
    pub async fn cti_request(
        &self,
        agent: &str,
        request: &CilRequest,
    ) -> Result<CtiAnswer<Value>, ApiError> {
        let path = format!("/cti/v1/agents/{}/requests", encode(agent));
        read(self.send(Method::Post, &path, Some(request)).await)
    }

    /// The URL of the agent's event stream, resuming after `last_event_id`.
    /// `EventSource` cannot send headers, so the token goes in the query.
    pub fn events_url(&self, agent: &str, last_event_id: u64) -> String {
        let mut url = self.url(&format!("/cti/v1/agents/{}/events", encode(agent)));
        let mut separator = '?';
        if let Some(token) = &self.token {
            url.push_str(&format!("{separator}access_token={}", encode(token)));
            separator = '&';
        }
        if last_event_id > 0 {
            url.push_str(&format!("{separator}last_event_id={last_event_id}"));
        }
        url
    }
}

/// Percent-encodes a path segment or query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

pub(super) fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

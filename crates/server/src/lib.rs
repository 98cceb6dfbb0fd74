//! The wrapup-gadget reference server.
//!
//! One process is the whole demo: it serves the built widget at `/`, the REST
//! APIs the widget talks to (ServiceNow Wrap Up and openframe, Tenios, Genesys
//! Context Services) over one SQLite file, and a CTI simulator streaming b+s
//! events. [`router`] builds the axum application so tests can serve it on an
//! ephemeral port over real HTTP.

pub mod auth;
pub mod cli;
pub mod clock;
mod demo;
pub mod embed;
pub mod faults;
mod genesys;
mod openapi;
mod openframe;
pub mod roster;
pub mod servicenow;
pub mod sim;
mod static_files;
pub mod store;
mod tenios;
mod widget_config;
pub mod wire;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::auth::{AuthConfig, Realm};
use crate::clock::{Clock, SystemClock};
use crate::faults::Faults;
use crate::store::Db;

/// Requests larger than this are refused with 413.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The Tenios `access_key` of the demo: the spec examples' masked key, so
/// they run verbatim.
pub const DEMO_TENIOS_ACCESS_KEY: &str = "***************************";

/// What the server serves and where it keeps its data.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The built widget (Trunk's `dist/`), served at `/` when set.
    pub static_dir: Option<PathBuf>,
    /// The SQLite file; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// Load the specs' example data at startup.
    pub demo: bool,
    /// Who may call the APIs.
    pub auth: AuthConfig,
    /// The Tenios `access_key` callers must send; empty: nobody may call.
    pub tenios_access_key: String,
    /// Hand `tenios_access_key` to the widget in `/config.json`
    /// (`teniosAccessKey`), as `--tenios-access-key` does: the widget sends
    /// it from the agent's browser.
    pub serve_tenios_access_key: bool,
    /// The agents the server knows (`--agents`; see [`roster`]); `None`:
    /// any agent id is logged in as it comes.
    pub roster: Option<roster::Roster>,
    /// The language of translated wrap-up codes when `Accept-Language` is absent.
    pub language: String,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Run the simulator's timers (auto calls, wrap-up expiry) in the
    /// background. Tests turn it off and drive time through `/sim/v1/tick`.
    pub background_timers: bool,
    /// Injected failures (none by default; see [`faults`]).
    pub faults: Faults,
    /// The origins whose pages may embed the widget in an iframe
    /// (`frame-ancestors` and `/config.json` `allowedOrigins`; see [`embed`]).
    pub embed_origins: Vec<embed::EmbedOrigin>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            static_dir: None,
            db_path: None,
            demo: false,
            auth: AuthConfig::demo(),
            tenios_access_key: DEMO_TENIOS_ACCESS_KEY.to_owned(),
            serve_tenios_access_key: false,
            roster: None,
            language: "de".to_owned(),
            clock: Arc::new(SystemClock),
            background_timers: true,
            faults: Faults::default(),
            embed_origins: Vec::new(),
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// The default translation language.
    pub language: Arc<str>,
    /// The Tenios access key.
    pub tenios_access_key: Arc<str>,
    /// The agents the server knows, if it was told (`--agents`).
    pub roster: Option<Arc<roster::Roster>>,
    /// Live event streams of the simulator.
    pub hub: sim::EventHub,
    /// Injected failures, controlled through `/sim/v1/faults`.
    pub faults: Faults,
    /// Held while a simulated call is read, changed and written back, so two
    /// requests on the same call (a double hang-up, data racing a hang-up)
    /// apply one after the other instead of overwriting each other; the
    /// agent's state, which follows their calls, changes under it too.
    pub calls_lock: Arc<tokio::sync::Mutex<()>>,
    /// The name of this database's event streams (see [`sim::stream_name`]).
    pub stream_name: Arc<str>,
    /// Set when the server shuts down: the never-ending responses (event
    /// streams) end then, so that a graceful shutdown does not wait forever.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// Resolves once the server is shutting down.
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        // An error means the sender is gone: the server is gone too.
        let _ = closing.wait_for(|closing| *closing).await;
    }
}

/// The complete HTTP application, its database opened (and the demo loaded).
pub fn router(config: &ServerConfig) -> Result<Router, store::StoreError> {
    app(config).map(|(router, _)| router)
}

/// [`router`], and the state its handlers share.
fn app(config: &ServerConfig) -> Result<(Router, AppState), store::StoreError> {
    let db = Db::open(config.db_path.as_deref())?;
    if config.demo {
        demo::load(&db, config.clock.now())?;
    }
    let roster = config.roster.clone().map(|mut roster| {
        if config.demo {
            roster.include(demo::AGENT_SYS_ID, demo::roster_agent());
        }
        roster
    });
    if let Some(roster) = &roster {
        roster.store(&db)?;
    }
    let stream_name = sim::stream_name(&db)?.into();
    let state = AppState {
        db,
        clock: Arc::clone(&config.clock),
        language: config.language.as_str().into(),
        tenios_access_key: config.tenios_access_key.as_str().into(),
        roster: roster.map(Arc::new),
        hub: sim::EventHub::default(),
        faults: config.faults.clone(),
        calls_lock: Arc::default(),
        stream_name,
        closing: Arc::new(tokio::sync::watch::channel(false).0),
    };
    if config.background_timers {
        sim::spawn_timers(state.clone());
    }
    let auth = Arc::new(config.auth.clone());
    let guarded = |routes: Router<AppState>, realm: Realm| {
        routes.layer(middleware::from_fn_with_state(
            (Arc::clone(&auth), realm),
            auth::require,
        ))
    };
    let api = Router::new()
        .merge(guarded(servicenow::router(), Realm::ServiceNow))
        .merge(guarded(openframe::router(), Realm::Openframe))
        .merge(guarded(genesys::router(), Realm::Genesys))
        .merge(guarded(sim::router(), Realm::Cti))
        .merge(tenios::router())
        .layer(middleware::from_fn_with_state(
            config.faults.clone(),
            faults::inject,
        ))
        .layer(middleware::map_response(too_large_as_json))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .with_state(state.clone());
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi::document))
        .merge(api);
    let tenios_access_key = (config.serve_tenios_access_key
        && !config.tenios_access_key.is_empty())
    .then(|| config.tenios_access_key.clone());
    if config.demo
        || !config.embed_origins.is_empty()
        || config.auth.widget_token.is_some()
        || tenios_access_key.is_some()
        || state.roster.is_some()
    {
        let source = widget_config::WidgetConfigSource {
            file: config
                .static_dir
                .as_ref()
                .map(|dir| dir.join("config.json")),
            demo: config.demo,
            widget_token: config.auth.widget_token.clone(),
            tenios_access_key,
            agent_emails: state.roster.as_ref().map(|roster| roster.emails()),
            allowed_origins: config.embed_origins.clone(),
        };
        router = router.route(
            "/config.json",
            get(widget_config::config_json).with_state((state.clone(), source)),
        );
    }
    let router = router.layer(tower_http::trace::TraceLayer::new_for_http());
    let router = match &config.static_dir {
        Some(dir) => router.merge(static_files::router(dir, &config.embed_origins)),
        None => router.fallback(not_found),
    };
    Ok((router, state))
}

/// Serves [`router`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (router, state) = app(&config).map_err(std::io::Error::other)?;
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            shutdown.await;
            // End the event streams, or the graceful shutdown would wait for
            // every open widget to go away.
            state.closing.send_replace(true);
        })
        .await
}

/// Liveness probe for scripts and tests.
async fn healthz() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// axum refuses an oversized body with a plain-text 413; API clients get
/// the error shape they parse everywhere else.
async fn too_large_as_json(response: axum::response::Response) -> axum::response::Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        axum::Json(serde_json::json!({
            "error": {
                "message": "Request body too large",
                "detail": format!("the limit is {} bytes", BODY_LIMIT_BYTES)
            },
            "status": "failure"
        })),
    )
        .into_response()
}

/// The JSON 404 of unknown API paths.
pub(crate) async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({
            "error": { "message": "Not found", "detail": "no route has this path; see /openapi.json" },
            "status": "failure"
        })),
    )
}

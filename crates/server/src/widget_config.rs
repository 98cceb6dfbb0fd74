//! `GET /config.json`: the widget's settings, served when the server has
//! something to say in them (`--demo`, or `--embed-origin`).
//!
//! The answer is the deployment's own `config.json` in the static directory
//! (when there is one), then the demo's settings (with `--demo`), then
//! `allowedOrigins`: exactly the origins of the `frame-ancestors` directive,
//! so that `cil.js` accepts the handshake from every page the browser lets
//! embed the widget, and from no other.

use std::path::PathBuf;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::AppState;
use crate::embed::EmbedOrigin;

/// What goes into `/config.json` besides the database's demo data.
#[derive(Debug, Clone)]
pub struct WidgetConfigSource {
    /// The deployment's own `config.json` (`<static>/config.json`), if any.
    pub file: Option<PathBuf>,
    /// With `--demo`: the widget token handed out with the demo settings.
    pub demo_token: Option<Option<String>>,
    /// The origins that may embed the widget.
    pub allowed_origins: Vec<EmbedOrigin>,
}

/// The handler of `GET /config.json`.
pub async fn config_json(
    State((state, source)): State<(AppState, WidgetConfigSource)>,
) -> Response {
    let mut settings = match &source.file {
        Some(path) => match read_file(path).await {
            Ok(settings) => settings,
            Err(message) => return (StatusCode::INTERNAL_SERVER_ERROR, message).into_response(),
        },
        None => Map::new(),
    };
    if let Some(token) = &source.demo_token {
        match crate::demo::widget_settings(&state, token.clone()).await {
            Ok(demo) => settings.extend(demo),
            Err(error) => {
                return (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response();
            }
        }
    }
    let origins = source
        .allowed_origins
        .iter()
        .map(|origin| Value::String(origin.to_string()))
        .collect();
    settings.insert("allowedOrigins".to_owned(), Value::Array(origins));
    axum::Json(settings).into_response()
}

/// The deployment's file as a JSON object; no file is an empty object.
async fn read_file(path: &std::path::Path) -> Result<Map<String, Value>, String> {
    let owned = path.to_owned();
    let read = tokio::task::spawn_blocking(move || std::fs::read_to_string(owned))
        .await
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let text = match read {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(error) => return Err(format!("{}: {error}", path.display())),
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(settings)) => Ok(settings),
        Ok(_) => Err(format!("{} is not a JSON object", path.display())),
        Err(error) => Err(format!("{} is not JSON: {error}", path.display())),
    }
}

//! `GET /config.json`: the widget's settings, served when the server has
//! something to say in them (`--demo`, `--embed-origin`, `--widget-token`,
//! `--tenios-access-key` or `--agents`).
//!
//! The answer is the deployment's own `config.json` in the static directory
//! (when there is one), then the demo's settings (with `--demo`), then what
//! the flags give: the widget token the server accepts (`token`), the Tenios
//! access key it accepts (`teniosAccessKey`), the e-mails of the agents it
//! knows (`agentEmails`), then `allowedOrigins`: exactly the origins of the
//! `frame-ancestors` directive, so that `cil.js` accepts the handshake from
//! every page the browser lets embed the widget, and from no other.
//!
//! The token and the Tenios key are served to whoever asks, as the page that
//! holds them would be: the widget runs in the agent's browser and sends
//! them from there, so whoever can open the widget can read them, however
//! they got there (this file, a deployment's `config.json`, the page's
//! `?token=` / `?tenios_key=`). Neither is a user's password; what keeps
//! them to the agents is who can reach the server (README, "Configuration").

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
    /// With `--demo`: the demo's Tenios key and agent e-mails are added.
    pub demo: bool,
    /// The bearer token the server accepts from the widget (`--widget-token`,
    /// or the demo's), served as `token`.
    pub widget_token: Option<String>,
    /// The Tenios access key the server accepts (`--tenios-access-key`),
    /// served as `teniosAccessKey`.
    pub tenios_access_key: Option<String>,
    /// The e-mails of the agents the server knows (`--agents`), served as
    /// `agentEmails` (with the demo's, with `--demo`).
    pub agent_emails: Option<std::collections::BTreeMap<String, String>>,
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
    if source.demo {
        match crate::demo::widget_settings(&state).await {
            Ok(demo) => settings.extend(demo),
            Err(error) => {
                return (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response();
            }
        }
    }
    // The server's token and key win over a file's: they are the ones the
    // server accepts.
    if let Some(token) = &source.widget_token {
        settings.insert("token".to_owned(), Value::String(token.clone()));
    }
    if let Some(key) = &source.tenios_access_key {
        settings.insert("teniosAccessKey".to_owned(), Value::String(key.clone()));
    }
    if let Some(emails) = &source.agent_emails {
        let mut known = match settings.remove("agentEmails") {
            Some(Value::Object(emails)) => emails,
            _ => Map::new(),
        };
        for (agent, email) in emails {
            known.insert(agent.clone(), Value::String(email.clone()));
        }
        settings.insert("agentEmails".to_owned(), Value::Object(known));
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

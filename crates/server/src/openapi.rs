//! `/openapi.json`: an OpenAPI 3 description of every route.

use axum::Json;
use serde_json::{Map, Value, json};

fn operation(
    summary: &str,
    tag: &str,
    params: &[&str],
    body: bool,
    responses: &[(&str, &str)],
) -> Value {
    let mut operation = json!({
        "summary": summary,
        "tags": [tag],
        "parameters": params.iter().map(|name| json!({
            "name": name, "in": "path", "required": true, "schema": { "type": "string" }
        })).collect::<Vec<_>>(),
        "responses": responses.iter().map(|(code, text)| ((*code).to_owned(), json!({ "description": text })))
            .collect::<Map<String, Value>>(),
    });
    if body {
        operation["requestBody"] = json!({
            "required": true,
            "content": {
                "application/json": { "schema": { "type": "object" } },
                "application/xml": { "schema": { "type": "object" } }
            }
        });
    }
    operation
}

const SN: &[(&str, &str)] = &[
    ("200", "Success"),
    (
        "400",
        "Bad request: {\"error\": {\"message\", \"detail\"}, \"status\": \"failure\"}",
    ),
    ("401", "Missing or wrong credentials"),
    ("404", "Unknown id"),
];

/// The document.
pub async fn document() -> Json<Value> {
    let mut paths = Map::new();
    for version in ["", "/{api_version}"] {
        let extra: &[&str] = if version.is_empty() {
            &[]
        } else {
            &["api_version"]
        };
        let with = |names: &[&'static str]| -> Vec<&'static str> {
            extra.iter().copied().chain(names.iter().copied()).collect()
        };
        let base = format!("/api/now{version}/wrapup");
        paths.insert(format!("{base}/code"), json!({ "post": operation(
            "Create or update wrap-up codes by label (207: some failed validation; \
             result.result_map.failed_wrap_up_codes lists index, code, error)",
            "ServiceNow Wrap Up", &with(&[]), true,
            &[("200", "All created"), ("207", "Some created"), ("400", "Invalid"), ("401", "Unauthorized")]) }));
        paths.insert(
            format!("{base}/code/{{code_id}}"),
            json!({ "get": operation(
            "Get a wrap-up code", "ServiceNow Wrap Up", &with(&["code_id"]), false, SN) }),
        );
        paths.insert(format!("{base}/segment/{{segment_id}}"), json!({ "get": operation(
            "Get a segment by sys_id or external segment id", "ServiceNow Wrap Up", &with(&["segment_id"]), false, SN) }));
        paths.insert(format!("{base}/segment/agent/{{agent_id}}/interaction/{{interaction_id}}"), json!({ "get": operation(
            "Get a segment by agent and interaction", "ServiceNow Wrap Up", &with(&["agent_id", "interaction_id"]), false, SN) }));
        paths.insert(
            format!("{base}/segment/create"),
            json!({ "post": operation(
            "Open a wrap-up segment", "ServiceNow Wrap Up", &with(&[]), true, SN) }),
        );
        let mut update = operation(
            "Update and close a segment (query: segment_sys_id, external_segment_id, \
            agent_sys_id + interaction_sys_id)",
            "ServiceNow Wrap Up",
            &with(&[]),
            true,
            SN,
        );
        if let Some(parameters) = update["parameters"].as_array_mut() {
            for name in [
                "segment_sys_id",
                "external_segment_id",
                "agent_sys_id",
                "interaction_sys_id",
            ] {
                parameters.push(json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } }));
            }
        }
        paths.insert(format!("{base}/segment/update"), json!({ "put": update }));
        let frame = format!("/api/now/openframe{version}/voice-interaction");
        paths.insert(
            frame.clone(),
            json!({ "post": operation(
            "Create a voice interaction", "openframe", &with(&[]), true, SN) }),
        );
        paths.insert(
            format!("{frame}/{{sys_id}}"),
            json!({ "patch": operation(
            "Update a voice interaction", "openframe", &with(&["sys_id"]), true, SN) }),
        );
    }
    let tenios: &[(&str, &str)] = &[
        ("200", "Success"),
        ("400", "Tenios error body"),
        ("401", "Wrong access_key"),
    ];
    paths.insert(
        "/wrap-up/extend".into(),
        json!({ "post": operation("Extend an agent's wrap-up", "Tenios", &[], true, tenios) }),
    );
    paths.insert(
        "/wrap-up/cancel".into(),
        json!({ "post": operation("Cancel an agent's wrap-up", "Tenios", &[], true, tenios) }),
    );
    let genesys: &[(&str, &str)] = &[
        ("204", "Completed"),
        ("400", "Invalid body or limits"),
        ("401", "Unauthorized"),
    ];
    for path in [
        "/services/{service_id}/end",
        "/genesys/1/cs/services/{service_id}/end",
    ] {
        paths.insert(path.into(), json!({ "post": operation("Complete a service", "Genesys", &["service_id"], true, genesys) }));
    }
    let sim: &[(&str, &str)] = &[
        ("200", "Success"),
        ("400", "Invalid"),
        ("401", "Unauthorized"),
        ("404", "Unknown call"),
        ("409", "Not possible in this state"),
    ];
    paths.insert("/sim/v1/calls".into(), json!({ "post": operation(
        "Start a simulated call: {agent_id, ani, direction, queue?, wrapup?: {duration, allowed_codes, default_code, enable_codes}, auto?: answered after 2 s, hung up 10 s later, agent_email?: registers the agent for Tenios}",
        "Simulator", &[], true, &[("201", "Created: {id}"), ("400", "Invalid"), ("401", "Unauthorized"), ("404", "With --agents: an agent_id the server does not know")]) }));
    paths.insert("/sim/v1/calls/{id}".into(), json!({ "get": operation(
        "A simulated call and what the backends recorded about it: {id, agent_id, state, workitem, segment, segments, genesys_service_id, genesys_service_ends, interactions}",
        "Simulator", &["id"], false, &[("200", "Success"), ("401", "Unauthorized"), ("404", "Unknown call")]) }));
    paths.insert("/sim/v1/calls/{id}/{action}".into(), json!({ "post": operation(
        "Drive a call: action is connect, hold, resume or hangup. The state of an agent in Ready follows the calls (an agentStateChange after the call's event): Active while one is connected or on hold, Wrapup while one is in wrap-up, then back to Ready (or the state asked for meanwhile). An agent in NotReady keeps it, as in CCX: \"no agentStateChange (Active) event will be dispatched\"",
        "Simulator", &["id", "action"], false, sim) }));
    paths.insert(
        "/sim/v1/tick".into(),
        json!({ "post": operation(
        "Apply what is due now: automatic calls' next steps and wrap-up expiry ({moved, expired})", "Simulator", &[], false, sim) }),
    );
    paths.insert("/sim/v1/faults".into(), json!({
        "get": operation(
            "The fault rules in force, the API requests checked and the faults injected by kind since the server started: {rules, api_requests, injected: {500, 503, hang, reset, slow}}",
            "Simulator", &[], false, sim),
        "post": operation(
            "Add fault rules: {rules: [{path, method?, kind: 500|503|hang|reset|slow, rate?, remaining?}]}",
            "Simulator", &[], true, sim),
        "delete": operation("Remove every fault rule", "Simulator", &[], false,
            &[("204", "Cleared"), ("401", "Unauthorized")]),
    }));
    paths.insert("/cti/v1/agents/{agent_id}/events".into(), json!({ "get": {
        "summary": "b+s Connects events as Server-Sent Events: after Last-Event-ID (or ?last_event_id=) the events since; without, the agent's present (the live workitems' events and the latest agentStateChange)",
        "tags": ["CTI"],
        "parameters": [
            { "name": "agent_id", "in": "path", "required": true, "schema": { "type": "string" } },
            { "name": "Last-Event-ID", "in": "header", "required": false, "schema": { "type": "string" } },
            { "name": "last_event_id", "in": "query", "required": false, "schema": { "type": "integer" } },
            { "name": "access_token", "in": "query", "required": false, "schema": { "type": "string" } }
        ],
        "responses": {
            "200": { "description": "text/event-stream: first an event `stream` (no id) whose data names this database's streams; then the replay, each event a message with its id; then an event `caught-up` (no id) whose data is the id the client has heard up to; then every new event as it happens" },
            "401": { "description": "Unauthorized" },
            "404": { "description": "With --agents: an agent the server does not know ({error})" }
        }
    } }));
    let cti: &[(&str, &str)] = &[
        ("200", "Success"),
        ("400", "Invalid"),
        ("401", "Unauthorized"),
        (
            "404",
            "With --agents: an agent the server does not know ({error})",
        ),
    ];
    paths.insert("/cti/v1/agents/{agent_id}/requests".into(), json!({ "post": operation(
        "A b+s Connects request ({\"request\": \"setWrapupReason\", ...}). The agent's channel is voice_-1 (CCX): a request naming another voice_<peripheral_id> is refused; voice and telephony name it. sendDtmf takes CCX's 0-9, * and #, not A-D. dialOrConsult while a call is connected or on hold puts it on hold and places a Consultation, its events carrying the requestId. setAgentState Ready or NotReady while the agent is Active or Wrapup sets the state to return to when the calls are over (no agentStateChange until then, and that one carries the request's requestId); Ready while NotReady with a call connected (or in wrap-up) moves the agent to Ready, then Active (or Wrapup); Logout is refused while a call is live or in wrap-up. getChannel names the agent (firstName, lastName) when the --agents file does",
        "CTI", &["agent_id"], true, cti) }));
    paths.insert("/healthz".into(), json!({ "get": { "summary": "Liveness", "responses": { "200": { "description": "ok" } } } }));
    paths.insert("/openapi.json".into(), json!({ "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3 JSON" } } } }));
    paths.insert("/config.json".into(), json!({ "get": {
        "summary": "The widget's settings (served with --demo, --embed-origin, --widget-token, --tenios-access-key or --agents): the widget's own config.json from --static, with allowedOrigins, the widget token the server accepts (token), the Tenios access key it accepts (teniosAccessKey: --tenios-access-key, or the demo's), and the e-mails of its agents (agentEmails: --agents, and the demo's)",
        "tags": ["Widget"],
        "responses": { "200": { "description": "JSON settings" }, "404": { "description": "None of --demo, --embed-origin, --widget-token, --tenios-access-key and --agents (with --static, the static file is served as it is)" } }
    } }));
    Json(json!({
        "openapi": "3.0.3",
        "info": { "title": "wrapup-server", "version": env!("CARGO_PKG_VERSION") },
        "components": { "securitySchemes": {
            "basic": { "type": "http", "scheme": "basic" },
            "bearer": { "type": "http", "scheme": "bearer" }
        } },
        "security": [{ "basic": [] }, { "bearer": [] }],
        "paths": paths,
    }))
}

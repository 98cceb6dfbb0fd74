//! The shared harness: a server on an ephemeral port of 127.0.0.1 over a
//! temporary SQLite file, with a manual clock, and the spec fixtures.
#![allow(dead_code)]

pub mod agent;
pub mod binary;
pub mod sse;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use wrapup_server::ServerConfig;
use wrapup_server::clock::ManualClock;
use wrapup_server::faults::Faults;

pub struct TestServer {
    pub base: String,
    pub clock: ManualClock,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub const USER: (&str, &str) = ("username", "password");

impl TestServer {
    /// A `--demo` server on `db`, its clock at 2024-09-16 18:51:59 UTC.
    pub async fn demo(db: &Path) -> Self {
        Self::start(db, true).await
    }

    pub async fn start(db: &Path, demo: bool) -> Self {
        Self::start_with(db, |config| config.demo = demo).await
    }

    /// A server whose API requests fail as `faults` says.
    pub async fn start_with_faults(db: &Path, demo: bool, faults: Faults) -> Self {
        Self::start_with(db, |config| {
            config.demo = demo;
            config.faults = faults;
        })
        .await
    }

    /// A server on `db` with a manual clock and no background timers, its
    /// configuration adjusted by `configure`.
    pub async fn start_with(db: &Path, configure: impl FnOnce(&mut ServerConfig)) -> Self {
        let clock = ManualClock::new("2024-09-16T18:51:59Z".parse().expect("time"));
        let mut config = ServerConfig {
            db_path: Some(db.to_owned()),
            clock: Arc::new(clock.clone()),
            background_timers: false,
            ..ServerConfig::default()
        };
        configure(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let done = tokio::spawn(wrapup_server::serve(listener, config, async {
            let _ = stop.await;
        }));
        TestServer {
            base,
            clock,
            shutdown: Some(shutdown),
            done: Some(done),
        }
    }

    pub fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use wrapup_server::clock::Clock;
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and waits until it has let go of the database.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.await;
        }
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    /// Sends `body` (JSON text) with the spec curls' credentials.
    pub async fn send(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        self.send_as(method, path, body, "application/json").await
    }

    /// Sends `body` (XML text) with the spec curls' credentials, asking for
    /// XML back; an answer with a body must be XML.
    pub async fn send_xml(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let (status, text) = self.send_as(method, path, body, "application/xml").await;
        if !text.is_empty() {
            assert!(
                text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><response>"),
                "{method} {path} answered {status} without XML: {text}"
            );
        }
        (status, text)
    }

    /// POSTs `body` (JSON text) with no credentials but what it carries
    /// (Tenios callers authenticate by the body's `access_key`); the status,
    /// the content type and the body.
    pub async fn post_anonymous(&self, path: &str, body: &str) -> (u16, String, String) {
        let response = self
            .client()
            .post(self.url(path))
            .header("Content-Type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("content type")
            .to_owned();
        (status, content_type, response.text().await.expect("body"))
    }

    /// Sends `body` as `media_type` (`Content-Type`), accepting the same.
    pub async fn send_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        media_type: &str,
    ) -> (u16, String) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self
            .client()
            .request(method, self.url(path))
            .basic_auth(USER.0, Some(USER.1))
            .header("Accept", media_type);
        if let Some(body) = body {
            request = request
                .header("Content-Type", media_type)
                .body(body.to_owned());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("data").join("wrapup.sqlite");
    (dir, path)
}

pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../core/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// Asserts that every field of `documented` is in `actual` with the same
/// value (strings compared trimmed: the spec has a stray leading space in
/// " Einkaufsproblem"), except the keys in `generated` (ids and timestamps the
/// server makes). Extra fields in `actual` are allowed.
pub fn assert_documented(actual: &Value, documented: &Value, generated: &[&str], at: &str) {
    match (actual, documented) {
        (Value::Object(actual), Value::Object(documented)) => {
            for (key, expected) in documented {
                if generated.contains(&key.as_str()) {
                    assert!(actual.contains_key(key), "{at}.{key} missing");
                    continue;
                }
                let value = actual
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} missing in {actual:?}"));
                assert_documented(value, expected, generated, &format!("{at}.{key}"));
            }
        }
        (Value::Array(actual), Value::Array(documented)) => {
            assert_eq!(actual.len(), documented.len(), "{at}: length");
            for (index, (value, expected)) in actual.iter().zip(documented).enumerate() {
                assert_documented(value, expected, generated, &format!("{at}[{index}]"));
            }
        }
        (Value::String(actual), Value::String(documented)) => {
            assert_eq!(actual.trim(), documented.trim(), "{at}");
        }
        (actual, documented) => assert_eq!(actual, documented, "{at}"),
    }
}

/// Asserts that `text` is ServiceNow's error shape,
/// `{"error": {"message", "detail"}, "status": "failure"}`, and returns its
/// detail.
pub fn servicenow_error_detail(text: &str) -> String {
    let body = json(text);
    assert_eq!(body["status"], "failure", "{text}");
    assert!(body["error"]["message"].is_string(), "{text}");
    body["error"]["detail"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.detail: {text}"))
        .to_owned()
}

/// Asserts that an error `detail` is about `field` (a path such as
/// `configuration.allowed_codes[1].code`): it opens with `field:`, or says
/// the top-level `field` is missing.
pub fn assert_names_field(detail: &str, field: &str, case: &str) {
    assert!(
        detail.starts_with(&format!("{field}:")) || detail == format!("missing field `{field}`"),
        "{case}: `{detail}` should name {field}"
    );
}

/// The documented `segment/create` body (the spec's curl example) with
/// `change` applied, as JSON text.
pub fn segment_create_body(change: impl FnOnce(&mut Value)) -> String {
    let mut request = json(&fixture("servicenow/segment_create_request.json"));
    change(&mut request);
    request.to_string()
}

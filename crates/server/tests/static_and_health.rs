//! The server over real HTTP on 127.0.0.1: health probe and the built widget.

use std::path::Path;

use wrapup_server::ServerConfig;

/// A server on an ephemeral port of 127.0.0.1, shut down when dropped.
struct TestServer {
    base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    async fn start(config: ServerConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(wrapup_server::serve(listener, config, async {
            let _ = stop.await;
        }));
        TestServer {
            base,
            shutdown: Some(shutdown),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

fn write_dist(dir: &Path) {
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>widget</title>",
    )
    .unwrap();
    std::fs::write(
        dir.join("widget-0123456789abcdef.css"),
        "body{}".repeat(200),
    )
    .unwrap();
}

#[tokio::test]
async fn healthz_answers_ok() {
    let server = TestServer::start(ServerConfig::default()).await;
    let response = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
}

#[tokio::test]
async fn serves_the_widget_with_revalidated_index_and_immutable_assets() {
    let dist = tempfile::tempdir().unwrap();
    write_dist(dist.path());
    let server = TestServer::start(ServerConfig {
        static_dir: Some(dist.path().to_path_buf()),
        ..ServerConfig::default()
    })
    .await;

    let index = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-type"], "text/html");
    assert_eq!(index.headers()["cache-control"], "no-cache");

    let css = reqwest::get(server.url("/widget-0123456789abcdef.css"))
        .await
        .unwrap();
    assert_eq!(css.headers()["content-type"], "text/css");
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn unknown_paths_fall_back_to_the_widget() {
    let dist = tempfile::tempdir().unwrap();
    write_dist(dist.path());
    let server = TestServer::start(ServerConfig {
        static_dir: Some(dist.path().to_path_buf()),
        ..ServerConfig::default()
    })
    .await;
    let response = reqwest::get(server.url("/agent/desk")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>widget</title>")
    );
}

#[tokio::test]
async fn compresses_when_the_client_accepts_it() {
    let dist = tempfile::tempdir().unwrap();
    write_dist(dist.path());
    let server = TestServer::start(ServerConfig {
        static_dir: Some(dist.path().to_path_buf()),
        ..ServerConfig::default()
    })
    .await;
    let client = reqwest::Client::new();
    let response = client
        .get(server.url("/widget-0123456789abcdef.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

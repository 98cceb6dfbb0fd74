//! The server over real HTTP on 127.0.0.1: health probe and the built widget.

mod common;

use std::path::Path;

use base64::Engine;
use common::TestServer;
use sha2::Digest;

/// A server serving the widget built into a temporary `dist/`.
async fn serving_a_widget() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    write_dist(&dist);
    let db = dir.path().join("wrapup.sqlite");
    let server = TestServer::start_with(&db, |config| config.static_dir = Some(dist)).await;
    (server, dir)
}

fn write_dist(dir: &Path) {
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>widget</title><script type=\"module\">init();</script>",
    )
    .unwrap();
    std::fs::write(
        dir.join("widget-0123456789abcdef.css"),
        "body{}".repeat(200),
    )
    .unwrap();
    // A precompressed copy, as `cargo xtask` writes beside each file; its
    // bytes tell it apart from compression on the fly.
    std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), [0_u8; 512]).unwrap();
    std::fs::write(
        dir.join("app-0123456789abcdef_bg.wasm.br"),
        b"precompressed",
    )
    .unwrap();
}

#[tokio::test]
async fn healthz_answers_ok() {
    let (server, _dir) = serving_a_widget().await;
    let response = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
}

#[tokio::test]
async fn serves_the_widget_with_revalidated_index_and_immutable_assets() {
    let (server, _dir) = serving_a_widget().await;
    let index = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-type"], "text/html");
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert_eq!(index.headers()["x-content-type-options"], "nosniff");

    let css = reqwest::get(server.url("/widget-0123456789abcdef.css"))
        .await
        .unwrap();
    assert_eq!(css.headers()["content-type"], "text/css");
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.headers().get("content-security-policy").is_none());
}

#[tokio::test]
async fn pages_carry_a_policy_allowing_only_the_loader_script_by_hash() {
    let (server, _dir) = serving_a_widget().await;
    let index = reqwest::get(server.url("/")).await.unwrap();
    let policy = index.headers()["content-security-policy"].to_str().unwrap();
    // sha256 of `init();`, the one inline script of the page.
    assert!(
        policy.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc=';"
        ),
        "{policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
}

#[tokio::test]
async fn a_build_deployed_under_the_running_server_gets_a_policy_for_its_own_loader() {
    let (server, dir) = serving_a_widget().await;
    let policy_of = |response: &reqwest::Response| {
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let before = policy_of(&reqwest::get(server.url("/")).await.unwrap());

    // A new build names other files in its loader script.
    let index = dir.path().join("dist").join("index.html");
    std::fs::write(
        &index,
        "<!DOCTYPE html><title>widget</title><script type=\"module\">boot();</script>",
    )
    .unwrap();
    // Another modification time whatever the file system's granularity.
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(2))
        .unwrap();

    let page = reqwest::get(server.url("/")).await.unwrap();
    let after = policy_of(&page);
    assert!(page.text().await.unwrap().contains("boot();"));
    // sha256 of `boot();`, and no longer that of `init();`.
    let boot = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"boot();"));
    assert!(after.contains(&format!("'sha256-{boot}'")), "{after}");
    assert!(
        before.contains("'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc='"),
        "{before}"
    );
    assert!(!after.contains("GEnM5q1nYY"), "{after}");
}

#[tokio::test]
async fn unknown_paths_fall_back_to_the_widget() {
    let (server, _dir) = serving_a_widget().await;
    let response = reqwest::get(server.url("/agent/desk")).await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("<title>widget</title>"));
}

#[tokio::test]
async fn unknown_api_paths_are_a_json_404_not_the_widget() {
    let (server, _dir) = serving_a_widget().await;
    for path in [
        "/api/now/wrapup/nothing",
        "/sim/v1/nothing",
        "/wrap-up/nothing",
    ] {
        let response = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "failure", "{path}");
    }
}

#[tokio::test]
async fn compresses_when_the_client_accepts_it() {
    let (server, _dir) = serving_a_widget().await;
    let response = reqwest::Client::new()
        .get(server.url("/widget-0123456789abcdef.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn sends_the_precompressed_copy_to_a_client_that_accepts_it() {
    let (server, _dir) = serving_a_widget().await;
    let client = reqwest::Client::builder().no_brotli().build().unwrap();
    let path = server.url("/app-0123456789abcdef_bg.wasm");
    let response = client
        .get(&path)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"precompressed");
    // No `.gz` copy: gzip is made on the fly; none accepted: the file itself.
    let response = client
        .get(&path)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let response = client.get(&path).send().await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.bytes().await.unwrap().len(), 512);
}

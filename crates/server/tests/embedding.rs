//! Who may embed the widget, over real HTTP: `--embed-origin` reaches the
//! pages' `frame-ancestors` and `/config.json` `allowedOrigins`, and the two
//! lists agree.

mod common;

use clap::Parser;
use common::TestServer;
use wrapup_server::cli::Args;
use wrapup_server::embed::EmbedOrigin;

const CRM: &str = "https://crm.example.com";
const LOCAL_CRM: &str = "http://localhost:3000";

fn origins(texts: &[&str]) -> Vec<EmbedOrigin> {
    texts.iter().map(|text| text.parse().unwrap()).collect()
}

/// A server with a built widget in a temporary `dist/` (plus `files`).
async fn serving(
    demo: bool,
    embed: &[&str],
    files: &[(&str, &str)],
) -> (TestServer, tempfile::TempDir) {
    serving_with_token(demo, embed, files, demo.then_some("demo-widget-token")).await
}

/// [`serving`] with `token` as the widget token (`--widget-token`).
async fn serving_with_token(
    demo: bool,
    embed: &[&str],
    files: &[(&str, &str)],
    token: Option<&str>,
) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>widget</title><script src=\"/cil.js\"></script>",
    )
    .unwrap();
    std::fs::write(dist.join("crm.html"), "<!DOCTYPE html><title>crm</title>").unwrap();
    for (name, content) in files {
        std::fs::write(dist.join(name), content).unwrap();
    }
    let db = dir.path().join("wrapup.sqlite");
    let embed = origins(embed);
    let server = TestServer::start_with(&db, |config| {
        config.static_dir = Some(dist);
        config.demo = demo;
        config.embed_origins = embed;
        config.auth.widget_token = token.map(str::to_owned);
    })
    .await;
    (server, dir)
}

async fn policy(server: &TestServer, path: &str) -> String {
    let response = reqwest::get(server.url(path)).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn directive<'a>(policy: &'a str, name: &str) -> Option<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find(|directive| directive.split(' ').next() == Some(name))
}

async fn config_json(server: &TestServer) -> serde_json::Value {
    let response = reqwest::get(server.url("/config.json")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn without_embed_origins_only_the_widgets_own_origin_may_frame_it() {
    let (server, _dir) = serving(false, &[], &[]).await;
    let policy = policy(&server, "/").await;
    assert_eq!(
        directive(&policy, "frame-ancestors"),
        Some("frame-ancestors 'self'")
    );
    // No --demo, no --embed-origin and no --widget-token: the server has
    // nothing to say in /config.json, so the path is the widget's page like
    // any other.
    let response = reqwest::get(server.url("/config.json")).await.unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn embed_origins_may_frame_every_page_and_are_the_allowed_origins_of_config_json() {
    let (server, _dir) = serving(false, &[CRM, LOCAL_CRM], &[]).await;
    for path in ["/", "/?agent=a1", "/crm.html"] {
        let policy = policy(&server, path).await;
        assert_eq!(
            directive(&policy, "frame-ancestors"),
            Some("frame-ancestors 'self' https://crm.example.com http://localhost:3000"),
            "{path}: {policy}"
        );
    }
    let config = config_json(&server).await;
    assert_eq!(
        config,
        serde_json::json!({ "allowedOrigins": [CRM, LOCAL_CRM] })
    );
}

#[tokio::test]
async fn the_demo_settings_and_the_allowed_origins_share_config_json() {
    let (server, _dir) = serving(true, &[CRM], &[]).await;
    let config = config_json(&server).await;
    assert_eq!(config["allowedOrigins"], serde_json::json!([CRM]));
    assert_eq!(config["token"], "demo-widget-token");
    assert!(config["agentEmails"].is_object(), "{config}");
}

#[tokio::test]
async fn a_deployments_own_config_json_keeps_its_settings_and_gets_the_allowed_origins() {
    let own = r#"{"token": "deployment-token", "lang": "de", "allowedOrigins": ["https://stale.example.com"]}"#;
    let (server, _dir) = serving(false, &[CRM], &[("config.json", own)]).await;
    let config = config_json(&server).await;
    // The flag's list replaces the file's: it is the one the policy names.
    assert_eq!(
        config,
        serde_json::json!({
            "token": "deployment-token",
            "lang": "de",
            "allowedOrigins": [CRM],
        })
    );
}

#[tokio::test]
async fn the_widget_token_is_served_with_or_without_the_demo_and_wins_over_the_file() {
    let own = r#"{"token": "stale-token", "lang": "de"}"#;
    let (server, _dir) =
        serving_with_token(false, &[], &[("config.json", own)], Some("prod-token")).await;
    assert_eq!(
        config_json(&server).await,
        serde_json::json!({ "token": "prod-token", "lang": "de", "allowedOrigins": [] })
    );
}

#[tokio::test]
async fn only_the_demo_crm_page_may_frame_other_origins() {
    let (server, _dir) = serving(true, &[LOCAL_CRM], &[]).await;
    let widget = policy(&server, "/").await;
    assert_eq!(directive(&widget, "frame-src"), None, "{widget}");
    let crm = policy(&server, "/crm.html").await;
    assert_eq!(
        directive(&crm, "frame-src"),
        Some("frame-src 'self' http: https:"),
        "{crm}"
    );
    assert_eq!(
        directive(&crm, "script-src"),
        directive(&widget, "script-src")
    );
}

#[test]
fn the_flag_takes_plain_origins_and_demo_adds_localhost_at_the_listen_port() {
    let args = Args::try_parse_from([
        "wrapup-server",
        "--listen",
        "127.0.0.1:9000",
        "--demo",
        "--embed-origin",
        "HTTPS://CRM.example.com:443",
        "--embed-origin",
        "http://localhost:9000",
    ])
    .unwrap();
    assert_eq!(
        args.embed_origins(),
        origins(&[CRM, "http://localhost:9000"]),
        "normalised, and localhost once"
    );
    let args = Args::try_parse_from(["wrapup-server", "--listen", "127.0.0.1:9000"]).unwrap();
    assert!(args.embed_origins().is_empty());
}

#[test]
fn the_flag_refuses_what_is_not_a_plain_origin_with_a_reason() {
    for (value, reason) in [
        ("https://crm.example.com/app", "is a URL, not an origin"),
        ("crm.example.com", "has no scheme"),
        ("*", "wildcards are not allowed"),
        ("https://crm.example.com:70000", "the port must be"),
    ] {
        let error = Args::try_parse_from(["wrapup-server", "--embed-origin", value])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("--embed-origin") && error.contains(reason),
            "{value}: {error}"
        );
    }
}

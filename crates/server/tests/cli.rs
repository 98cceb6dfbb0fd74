//! The `wrapup-server` command line, run as the binary: `--help`, `--listen`,
//! `--db`, `--demo`, `--static`, `--users`, `--widget-token`,
//! `--tenios-access-key` and `--agents`, and the configurations it refuses.

mod common;

use common::binary::{BinaryServer, run};

#[test]
fn help_names_every_flag_and_exits_successfully() {
    let output = run(&["--help"]);
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--db",
        "--demo",
        "--static",
        "--users",
        "--widget-token",
        "--tenios-access-key",
        "--agents",
        "--embed-origin",
        "--faults",
        "--fault-seed",
        "--help",
        "--version",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
    assert!(help.contains("[default: 127.0.0.1:8080]"), "{help}");
    assert!(help.contains("[default: ./data/wrapup.sqlite]"), "{help}");
}

#[test]
fn refused_configurations_exit_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wrapup.sqlite");
    let db = db.to_str().unwrap();
    let empty = dir.path().join("dist");
    std::fs::create_dir_all(&empty).unwrap();
    let empty = empty.to_str().unwrap();
    for (args, code, reason) in [
        (vec!["--bogus"], 2, "unexpected argument '--bogus'"),
        (vec!["--listen", "not-an-address"], 2, "--listen"),
        (
            vec!["--db", db, "--listen", "127.0.0.1:0", "--static", empty],
            1,
            "has no index.html",
        ),
        (
            vec!["--db", db, "--listen", "127.0.0.1:0", "--faults", "2"],
            1,
            "--faults 2",
        ),
        (
            vec![
                "--db",
                db,
                "--listen",
                "127.0.0.1:0",
                "--users",
                "/nonexistent/users",
            ],
            1,
            "cannot read users file",
        ),
        (
            vec!["--db", db, "--embed-origin", "crm.example.com"],
            2,
            "--embed-origin",
        ),
        (
            vec![
                "--db",
                db,
                "--listen",
                "127.0.0.1:0",
                "--agents",
                "/nonexistent/agents",
            ],
            1,
            "cannot read agents file",
        ),
    ] {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            stderr.contains(reason),
            "{args:?}: `{stderr}` lacks {reason}"
        );
    }
}

#[tokio::test]
async fn listen_db_demo_and_static_serve_the_widget_and_the_specs_data() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>cli widget</title>",
    )
    .unwrap();
    // `--db` creates the file's directory.
    let db = dir.path().join("nested").join("data").join("wrapup.sqlite");
    let server = BinaryServer::start(&db, &["--demo", "--static", dist.to_str().unwrap()]).await;
    assert!(db.is_file(), "the database is at --db");

    let page = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("cli widget"));
    let code = reqwest::Client::new()
        .get(server.url("/api/now/v1/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .basic_auth("username", Some("password"))
        .send()
        .await
        .unwrap();
    assert_eq!(code.status(), 200, "--demo loads the specs' data and users");
    let config = config_json(&server).await;
    assert_eq!(config["token"], "demo-widget-token");
    assert_eq!(
        config["allowedOrigins"][0],
        format!(
            "http://localhost:{}",
            server.base.rsplit(':').next().unwrap()
        )
    );
    server.kill();

    // The same database without --demo: the data stays, the demo users do not.
    let users = dir.path().join("users.txt");
    std::fs::write(
        &users,
        "# name:password:roles\nops:s3cret:interaction_integration_user\n",
    )
    .unwrap();
    let server = BinaryServer::start(&db, &["--users", users.to_str().unwrap()]).await;
    let client = reqwest::Client::new();
    let url = server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7");
    let demo_user = client
        .get(&url)
        .basic_auth("username", Some("password"))
        .send()
        .await
        .unwrap();
    assert_eq!(demo_user.status(), 401);
    let ops = client
        .get(&url)
        .basic_auth("ops", Some("s3cret"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ops.status(),
        200,
        "the data written with --demo is in the file"
    );
    let tenios = client
        .post(server.url("/wrap-up/cancel"))
        .json(&serde_json::json!({ "access_key": wrapup_server::DEMO_TENIOS_ACCESS_KEY, "agent_email": "agent@test.com" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        tenios.status(),
        401,
        "no --tenios-access-key: Tenios refuses everyone"
    );
    let page = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(page.status(), 404, "no --static: no widget");
}

#[tokio::test]
async fn without_demo_and_users_every_api_call_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = BinaryServer::start(&dir.path().join("wrapup.sqlite"), &[]).await;
    let response = reqwest::Client::new()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = reqwest::Client::new()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .bearer_auth("demo-widget-token")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        401,
        "no --widget-token: no token opens the APIs"
    );
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
}

// Bug: without --demo, /config.json held only `allowedOrigins`: the token
// of --widget-token never reached the widget, whose every request was then
// refused as if its token were wrong.
#[tokio::test]
async fn the_widget_token_reaches_the_widget_through_config_json_without_demo() {
    let dir = tempfile::tempdir().unwrap();
    let dist = widget_dir(dir.path());
    let server = BinaryServer::start(
        &dir.path().join("wrapup.sqlite"),
        &["--static", &dist, "--widget-token", "prod-token-1"],
    )
    .await;
    let config = config_json(&server).await;
    assert_eq!(
        config,
        serde_json::json!({ "token": "prod-token-1", "allowedOrigins": [] }),
        "the token, and no demo settings"
    );
    // The token served is the one the APIs take.
    let token = config["token"].as_str().unwrap();
    let response = reqwest::Client::new()
        .get(server.url("/api/now/wrapup/code/49c27b679f201210c89656effa0a1cd7"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), 401, "the served token opens the APIs");
}

/// The server's `/config.json`, which it must answer.
async fn config_json(server: &BinaryServer) -> serde_json::Value {
    let response = reqwest::get(server.url("/config.json")).await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// An empty static directory with an `index.html`, for `--static`.
fn widget_dir(dir: &std::path::Path) -> String {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>w</title>").unwrap();
    dist.to_str().unwrap().to_owned()
}

// Bug: without --demo, /config.json held no `teniosAccessKey`, so the
// widget of a production server told the agent that Extend and Cancel
// wrap-up were not configured, whatever --tenios-access-key said.
#[tokio::test]
async fn the_tenios_access_key_reaches_the_widget_through_config_json_without_demo() {
    let dir = tempfile::tempdir().unwrap();
    let dist = widget_dir(dir.path());
    let server = BinaryServer::start(
        &dir.path().join("wrapup.sqlite"),
        &["--static", &dist, "--tenios-access-key", "k-prod-7f3a"],
    )
    .await;
    let config = config_json(&server).await;
    assert_eq!(
        config,
        serde_json::json!({ "teniosAccessKey": "k-prod-7f3a", "allowedOrigins": [] }),
        "the key, and no demo settings"
    );
    // The key served is the one the Tenios API takes: past the key, it
    // looks for the agent.
    let answer: serde_json::Value = reqwest::Client::new()
        .post(server.url("/wrap-up/cancel"))
        .json(&serde_json::json!({ "access_key": config["teniosAccessKey"], "agent_email": "nobody@example.com" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error_code"], "AGENT_NOT_FOUND", "{answer}");
}

// Bug: the server logged in any agent id it was asked for, so a widget
// whose `agent=` had a typo said "Live" and never got a call.
#[tokio::test]
async fn with_an_agents_file_an_unknown_agent_is_refused_and_the_known_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let agents = dir.path().join("agents.txt");
    std::fs::write(
        &agents,
        "# id:email:first name:last name\nann-1:ann@example.com:Ann:Lee\nbo-2:bo@example.com\n",
    )
    .unwrap();
    let users = dir.path().join("users.txt");
    std::fs::write(&users, "ops:s3cret:admin\n").unwrap();
    let dist = widget_dir(dir.path());
    let server = BinaryServer::start(
        &dir.path().join("wrapup.sqlite"),
        &[
            "--static",
            &dist,
            "--users",
            users.to_str().unwrap(),
            "--agents",
            agents.to_str().unwrap(),
            "--tenios-access-key",
            "k-prod-7f3a",
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let get_channel = serde_json::json!({ "request": "getChannel", "channelId": "voice" });
    let unknown = "ann-l";
    let said = format!("no agent has the id `{unknown}` on this server");
    for response in [
        client
            .get(server.url(&format!("/cti/v1/agents/{unknown}/events")))
            .basic_auth("ops", Some("s3cret"))
            .send()
            .await
            .unwrap(),
        client
            .post(server.url(&format!("/cti/v1/agents/{unknown}/requests")))
            .basic_auth("ops", Some("s3cret"))
            .json(&get_channel)
            .send()
            .await
            .unwrap(),
        client
            .post(server.url("/sim/v1/calls"))
            .basic_auth("ops", Some("s3cret"))
            .json(&serde_json::json!({ "agent_id": unknown, "ani": "+4930123", "direction": "Incoming" }))
            .send()
            .await
            .unwrap(),
    ] {
        let url = response.url().path().to_owned();
        assert_eq!(response.status(), 404, "{url}");
        let body: serde_json::Value = response.json().await.unwrap();
        let error = body["error"].as_str().unwrap_or_default();
        assert!(error.contains(&said), "{url}: {body}");
        assert!(error.contains("--agents"), "{url}: {body}");
    }

    // A known agent: streamed, named in getChannel, called.
    let stream = client
        .get(server.url("/cti/v1/agents/ann-1/events"))
        .basic_auth("ops", Some("s3cret"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    drop(stream);
    let channel = admin_get_channel(&client, &server, "ann-1").await;
    assert_eq!(channel["result"]["agentId"], "ann-1");
    assert_eq!(channel["result"]["firstName"], "Ann");
    assert_eq!(channel["result"]["lastName"], "Lee");
    let channel = admin_get_channel(&client, &server, "bo-2").await;
    assert_eq!(channel["result"]["agentId"], "bo-2");
    assert!(channel["result"].get("firstName").is_none(), "{channel}");
    let call = client
        .post(server.url("/sim/v1/calls"))
        .basic_auth("ops", Some("s3cret"))
        .json(
            &serde_json::json!({ "agent_id": "ann-1", "ani": "+4930123", "direction": "Incoming" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(call.status(), 201);

    // The widget gets its agents' Tenios e-mails and the key, which the
    // Tenios API takes for them: Ann is found, and not in wrap-up.
    let config = config_json(&server).await;
    assert_eq!(
        config["agentEmails"],
        serde_json::json!({ "ann-1": "ann@example.com", "bo-2": "bo@example.com" })
    );
    let answer: serde_json::Value = client
        .post(server.url("/wrap-up/cancel"))
        .json(&serde_json::json!({ "access_key": config["teniosAccessKey"], "agent_email": config["agentEmails"]["ann-1"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error_code"], "AGENT_NOT_IN_WRAP_UP", "{answer}");
}

/// `getChannel` of `agent`, asked as the admin of the agents-file test.
async fn admin_get_channel(
    client: &reqwest::Client,
    server: &BinaryServer,
    agent: &str,
) -> serde_json::Value {
    client
        .post(server.url(&format!("/cti/v1/agents/{agent}/requests")))
        .basic_auth("ops", Some("s3cret"))
        .json(&serde_json::json!({ "request": "getChannel", "channelId": "voice" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

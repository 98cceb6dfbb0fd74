//! The agents' event streams as a whole: each opens with the name of its
//! database's streams (kept across restarts, new for a new database), and
//! they end when the server shuts down, so that a shutdown never waits for
//! the widgets still listening.

mod common;

use std::time::Duration;

use common::sse::Stream;
use common::{TestServer, temp_db};

#[tokio::test]
async fn a_stream_opens_with_its_databases_name() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, None).await;
    let name = stream.name().await;
    assert_eq!(name.len(), 32, "{name}");
    assert!(name.bytes().all(|byte| byte.is_ascii_hexdigit()), "{name}");
    stream.expect_login().await;
    let mut resumed = Stream::open_for(&server, "another-agent", Some(1)).await;
    assert_eq!(resumed.name().await, name, "one name for every agent");
    drop((stream, resumed));
    server.stop().await;

    let restarted = TestServer::demo(&db).await;
    let mut stream = Stream::open(&restarted, Some(1)).await;
    assert_eq!(stream.name().await, name, "kept across a restart");
    drop(stream);
    restarted.stop().await;

    let (_other_dir, other_db) = temp_db();
    let other = TestServer::demo(&other_db).await;
    let mut stream = Stream::open(&other, None).await;
    assert_ne!(
        stream.name().await,
        name,
        "a new database names its streams anew"
    );
}

#[tokio::test]
async fn shutting_down_ends_the_open_streams() {
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open(&server, None).await;
    stream.name().await;
    let (events, heard) = stream.replay().await;
    assert_eq!(events.len(), 1, "the login is the stream's only event");
    assert_eq!(heard, 1);
    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("the server stops while a stream is open");
    assert_eq!(stream.next_block().await, None, "the stream has ended");
}

/// Regression: the simulator's events carried no `version`, though the spec
/// lists "version | API version" for the workitem events, `agentStateChange`
/// and `error`. Every event it streams is of the one API version it speaks,
/// live and replayed alike.
#[tokio::test]
async fn every_event_the_simulator_streams_says_its_api_version() {
    use common::agent::{act, request, set_state, start_call, submit_wrapup};
    use wrapup_core::bs::API_VERSION;

    const AGENT: &str = "agent-api-version";
    let (_dir, db) = temp_db();
    let server = TestServer::demo(&db).await;
    let mut stream = Stream::open_for(&server, AGENT, None).await;
    set_state(&server, AGENT, "Ready", None).await;
    let id = start_call(&server, AGENT, true).await;
    for action in ["connect", "hold", "resume"] {
        act(&server, &id, action).await;
    }
    let (status, _) = request(
        &server,
        AGENT,
        &format!(r#"{{"request": "updateWorkitemData", "channelId": "voice", "workitemId": "{id}", "updatedData": {{"callVariable1": "1"}}}}"#),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = request(
        &server,
        AGENT,
        r#"{"request": "sendDtmf", "dtmf": "E", "requestId": "refused"}"#,
    )
    .await;
    assert_eq!(status, 400);
    act(&server, &id, "hangup").await;
    let (status, _) = request(
        &server,
        AGENT,
        &format!(r#"{{"request": "setWrapupReason", "channelId": "voice", "workitemId": "{id}", "wrapUpReason": "Sale"}}"#),
    )
    .await;
    assert_eq!(status, 200);
    submit_wrapup(&server, &id).await;

    let expected = [
        "agentStateChange",
        "agentStateChange",
        "workitemCreate",
        "workitemConnect",
        "agentStateChange",
        "workitemPause",
        "workitemResume",
        "callVariableChanged",
        "error",
        "workitemWrapup",
        "agentStateChange",
        "wrapupDataChanged",
        "workitemEnd",
        "agentStateChange",
    ];
    let mut live = Vec::new();
    for _ in expected {
        let (_, event) = stream.next().await;
        assert_eq!(event["version"], API_VERSION, "{event}");
        live.push(event["event"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(live, expected);

    let mut replayed = Stream::open_for(&server, AGENT, Some(0)).await;
    let (events, _) = replayed.replay().await;
    assert_eq!(events.len(), expected.len());
    for (_, event) in events {
        assert_eq!(event["version"], API_VERSION, "{event}");
    }
}

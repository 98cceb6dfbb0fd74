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

//! An agent's event stream (`GET /cti/v1/agents/{agent}/events`) read over
//! HTTP, event by event.

use serde_json::Value;

use super::{TestServer, USER, json};

/// The agent of the spec examples, the demo's agent.
pub const AGENT: &str = "123412345678567890ab90abcdefcdef";

/// An open event stream, read chunk by chunk.
pub struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    /// Opens the demo agent's stream, after `last_event_id` when given.
    pub async fn open(server: &TestServer, last_event_id: Option<i64>) -> Self {
        Self::open_for(server, AGENT, last_event_id).await
    }

    /// Opens `agent`'s stream with Basic auth, after `last_event_id` when given.
    pub async fn open_for(server: &TestServer, agent: &str, last_event_id: Option<i64>) -> Self {
        let mut request = server
            .client()
            .get(server.url(&format!("/cti/v1/agents/{agent}/events")))
            .basic_auth(USER.0, Some(USER.1));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        Self::from_response(request.send().await.unwrap())
    }

    /// Reads the stream `response` answers with (which must be a 200).
    pub fn from_response(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "an event stream"
        );
        Stream {
            response,
            buffer: String::new(),
        }
    }

    /// The first event of an agent the simulator did not know: the login
    /// (Logout → NotReady) that opening the stream causes.
    pub async fn expect_login(&mut self) {
        let (_, login) = self.next().await;
        assert_eq!(login["event"], "agentStateChange");
        assert_eq!(login["oldState"], "Logout");
        assert_eq!(login["newState"], "NotReady");
    }

    /// The next event: its id and JSON (a block without an id, such as
    /// the `stream` event naming the stream, is passed over).
    pub async fn next(&mut self) -> (i64, Value) {
        loop {
            let block = self.next_block().await.expect("the stream stays open");
            if let Some(event) = message(&block) {
                return event;
            }
        }
    }

    /// The stream's name: the data of the `stream` event that opens it.
    pub async fn name(&mut self) -> String {
        let block = self.next_block().await.expect("the stream stays open");
        let fields: Vec<&str> = block.lines().collect();
        assert_eq!(fields.first(), Some(&"event: stream"), "{block:?}");
        let name = fields
            .iter()
            .find_map(|line| line.strip_prefix("data: "))
            .unwrap_or_else(|| panic!("a name in {block:?}"));
        assert!(!fields.iter().any(|line| line.starts_with("id:")), "no id");
        name.to_owned()
    }

    /// The events of the replay that opens the stream, and the id its
    /// `caught-up` event says the client has heard up to.
    pub async fn replay(&mut self) -> (Vec<(i64, Value)>, i64) {
        let mut events = Vec::new();
        loop {
            let block = self.next_block().await.expect("the stream stays open");
            if block.lines().next() == Some("event: caught-up") {
                assert!(!block.lines().any(|line| line.starts_with("id:")), "no id");
                let heard = block
                    .lines()
                    .find_map(|line| line.strip_prefix("data: "))
                    .and_then(|id| id.parse().ok())
                    .unwrap_or_else(|| panic!("an id in {block:?}"));
                return (events, heard);
            }
            events.extend(message(&block));
        }
    }

    /// The next block of fields (up to a blank line); `None` once the
    /// stream has ended. The 10 s bound only keeps a broken server from
    /// hanging the test; events arrive in milliseconds.
    pub async fn next_block(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                return Some(block.trim_end().to_owned());
            }
            let chunk =
                tokio::time::timeout(std::time::Duration::from_secs(10), self.response.chunk())
                    .await
                    .expect("an event within 10 s")
                    .unwrap()?;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

/// The id and JSON of `block` if it is a message (it has an id).
fn message(block: &str) -> Option<(i64, Value)> {
    let mut id = None;
    let mut data = String::new();
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push_str(value.trim_start());
        }
    }
    id.map(|id| (id, json(&data)))
}

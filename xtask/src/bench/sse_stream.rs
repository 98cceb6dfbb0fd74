//! One agent's SSE event stream read over `std::net`, on its own thread:
//! `GET /cti/v1/agents/{agent}/events`, the chunked body decoded, each
//! `data:` line reported with the instant it was read.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::server::DEMO_BASIC_AUTH;

/// A reader thread needs little stack: thousands of them run at once.
const STACK_BYTES: usize = 128 * 1024;
/// How long a stream may stay silent before its reader gives up. The
/// server sends a keep-alive comment every 15 s, so only a dead server or a
/// benchmark that has finished leaves it this quiet.
const SILENCE: Duration = Duration::from_secs(120);

/// What a stream reader tells the benchmark.
#[derive(Debug)]
pub enum StreamNews {
    /// Stream `index` is open and the agent was logged in: its first event
    /// (`agentStateChange` to NotReady) arrived.
    Held { index: usize },
    /// A call of `round` reached stream `index` at `at`.
    Delivered {
        index: usize,
        round: usize,
        at: Instant,
    },
    /// Stream `index` could not be opened or broke.
    Failed { index: usize, error: String },
}

/// The `ani` of the call published to agent `index` in `round`: the reader
/// finds the round in it.
pub fn ani(round: usize, index: usize) -> String {
    format!("sse-{round}-{index}")
}

/// Opens agent `agent`'s stream on a new thread that reports to `news`
/// until the stream ends. The thread ends when the server closes the
/// connection (the benchmark kills the server at the end).
pub fn spawn(
    address: SocketAddr,
    index: usize,
    agent: String,
    news: Sender<StreamNews>,
) -> std::io::Result<JoinHandle<()>> {
    thread::Builder::new()
        .name(format!("sse-{index}"))
        .stack_size(STACK_BYTES)
        .spawn(move || {
            if let Err(error) = read_stream(address, index, &agent, &news) {
                let _ = news.send(StreamNews::Failed {
                    index,
                    error: error.to_string(),
                });
            }
        })
}

fn read_stream(
    address: SocketAddr,
    index: usize,
    agent: &str,
    news: &Sender<StreamNews>,
) -> std::io::Result<()> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(30))?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(SILENCE))?;
    write!(
        stream,
        "GET /cti/v1/agents/{agent}/events HTTP/1.1\r\nHost: {address}\r\n{DEMO_BASIC_AUTH}\r\n\
         Accept: text/event-stream\r\n\r\n"
    )?;
    let mut reader = BufReader::with_capacity(4096, stream);
    let chunked = read_head(&mut reader)?;
    let mut lines = SseLines::default();
    let mut held = false;
    loop {
        let bytes = if chunked {
            match read_chunk(&mut reader)? {
                Some(bytes) => bytes,
                None => return Ok(()),
            }
        } else {
            let mut buffer = vec![0; 4096];
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                return Ok(());
            }
            buffer.truncate(read);
            buffer
        };
        let at = Instant::now();
        for data in lines.push(&bytes) {
            if !held && data.contains("\"agentStateChange\"") {
                held = true;
                let _ = news.send(StreamNews::Held { index });
            } else if let Some(round) = round_of(&data) {
                let _ = news.send(StreamNews::Delivered { index, round, at });
            }
        }
    }
}

/// Reads the status line and headers; true when the body is chunked.
fn read_head(reader: &mut impl BufRead) -> std::io::Result<bool> {
    let mut status = String::new();
    reader.read_line(&mut status)?;
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(std::io::Error::other(format!(
            "the stream answered {:?}",
            status.trim()
        )));
    }
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::other("the stream closed in its headers"));
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Ok(chunked);
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("transfer-encoding")
        {
            chunked = value.trim().eq_ignore_ascii_case("chunked");
        }
    }
}

/// One chunk of a chunked body; `None` at its end.
fn read_chunk(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut size_line = String::new();
    if reader.read_line(&mut size_line)? == 0 {
        return Ok(None);
    }
    let size_text = size_line.trim().split(';').next().unwrap_or_default();
    let size = usize::from_str_radix(size_text, 16).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("bad chunk size {size_line:?}"),
        )
    })?;
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk)?;
    if size == 0 {
        return Ok(None);
    }
    chunk.truncate(size);
    Ok(Some(chunk))
}

/// Splits an event stream into lines across chunk boundaries and keeps the
/// `data:` ones.
#[derive(Debug, Default)]
struct SseLines {
    pending: Vec<u8>,
}

impl SseLines {
    fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        self.pending.extend_from_slice(bytes);
        let mut data = Vec::new();
        while let Some(end) = self.pending.iter().position(|byte| *byte == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            if let Some(value) = line.trim_end_matches(['\r', '\n']).strip_prefix("data:") {
                data.push(value.trim_start().to_owned());
            }
        }
        data
    }
}

/// The round of a call event this benchmark published (its `ani` is
/// [`ani`]), if `data` is one.
fn round_of(data: &str) -> Option<usize> {
    let rest = data.split("\"ani\":\"sse-").nth(1)?;
    rest.split('-').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_lines_are_found_across_chunks() {
        let mut lines = SseLines::default();
        assert!(lines.push(b"id: 1\ndata: {\"a\"").is_empty());
        assert_eq!(lines.push(b":1}\n\n:\n\n"), ["{\"a\":1}"]);
    }

    #[test]
    fn the_round_is_read_from_the_ani() {
        let data = format!(
            r#"{{"event":"workitemCreate","ani":"{}","id":"x"}}"#,
            ani(3, 17)
        );
        assert_eq!(round_of(&data), Some(3));
        assert_eq!(round_of(r#"{"event":"agentStateChange"}"#), None);
    }
}

//! One round of the SSE benchmark: a simulated call published to each held
//! agent from a few keep-alive connections at once, and the delivery of each
//! read off the agents' streams.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::http::Connection;
use super::server::{DEMO_BASIC_AUTH, RunningServer, percentile};
use super::sse::{Plan, Step, agent};
use super::sse_stream::{self, StreamNews};
use crate::cmd::Result;

/// How long deliveries may lag behind the last publish.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Publishes one call to each of `agents` and collects the deliveries.
pub fn round(
    server: &RunningServer,
    plan: Plan,
    round: usize,
    agents: &[usize],
    news: &Receiver<StreamNews>,
    held: &mut [bool],
    opening: Duration,
) -> Result<Step> {
    let agents = Arc::new(agents.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let publishers: Vec<_> = (0..plan.publishers)
        .map(|_| {
            let (agents, next, address) = (Arc::clone(&agents), Arc::clone(&next), server.address);
            thread::spawn(move || -> Result<Vec<(usize, Instant, Duration)>> {
                let mut connection =
                    Connection::open(address).map_err(|error| format!("publisher: {error}"))?;
                let mut sent = Vec::new();
                loop {
                    let Some(&index) = agents.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        return Ok(sent);
                    };
                    let at = Instant::now();
                    publish(&mut connection, round, index)?;
                    sent.push((index, at, at.elapsed()));
                }
            })
        })
        .collect();
    let mut arrivals = vec![None; held.len()];
    let mut expected = agents.len();
    let mut errors = Vec::new();
    let mut finished_publishing = None;
    while expected > 0 {
        let waited_out = finished_publishing
            .is_some_and(|at: Instant| at.elapsed() > DELIVERY_TIMEOUT)
            || started.elapsed() > DELIVERY_TIMEOUT * 10;
        if waited_out {
            errors.push(format!("{expected} calls not delivered in time"));
            break;
        }
        if finished_publishing.is_none() && publishers.iter().all(JoinHandle::is_finished) {
            finished_publishing = Some(Instant::now());
        }
        match news.recv_timeout(Duration::from_millis(200)) {
            Ok(StreamNews::Delivered {
                index,
                round: arrived,
                at,
            }) if arrived == round && arrivals[index].is_none() => {
                arrivals[index] = Some(at);
                expected -= 1;
            }
            Ok(StreamNews::Failed { index, error }) => {
                held[index] = false;
                errors.push(format!("stream {index}: {error}"));
            }
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let publishing = started.elapsed();
    let mut latencies = Vec::new();
    let mut posts = Vec::new();
    for publisher in publishers {
        let sent = match publisher.join() {
            Ok(Ok(sent)) => sent,
            Ok(Err(error)) => {
                errors.push(error);
                continue;
            }
            Err(_) => return Err("a publisher thread panicked".to_owned()),
        };
        for (index, at, post) in sent {
            posts.push(post);
            if let Some(arrived) = arrivals[index] {
                latencies.push(arrived.saturating_duration_since(at));
            }
        }
    }
    latencies.sort_unstable();
    posts.sort_unstable();
    Ok(Step {
        streams: agents.len(),
        held: held.iter().filter(|held| **held).count(),
        opened: 0,
        opening,
        delivered: latencies.len(),
        publishing,
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or_default(),
        post_p99: percentile(&posts, 0.99),
        errors,
    })
}

fn publish(connection: &mut Connection, round: usize, index: usize) -> Result {
    let body = format!(
        r#"{{"agent_id":"{}","ani":"{}","direction":"Incoming"}}"#,
        agent(index),
        sse_stream::ani(round, index)
    );
    let response = connection
        .send(
            "POST",
            "/sim/v1/calls",
            &[DEMO_BASIC_AUTH, "Content-Type: application/json"],
            body.as_bytes(),
        )
        .map_err(|error| format!("POST /sim/v1/calls: {error}"))?;
    if response.status == 201 {
        Ok(())
    } else {
        Err(format!(
            "POST /sim/v1/calls answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ))
    }
}

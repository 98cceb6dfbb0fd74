//! Wrap-up updates against the reference server with durable SQLite:
//! throughput and latency under concurrent keep-alive clients.
//!
//! Setup (not timed) opens one wrap-up segment per update through
//! `POST segment/create`; the timed phase closes each with
//! `PUT segment/update`, the request the widget sends when an agent submits.
//! Every update is acknowledged only after SQLite committed it
//! (WAL, `synchronous=FULL`).

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::http::Connection;
use crate::cmd::{Result, cmd, root, run};

/// `admin:admin`, a user of the server's `--demo` data.
const DEMO_BASIC_AUTH: &str = "Authorization: Basic YWRtaW46YWRtaW4=";
const DEMO_AGENT: &str = "123412345678567890ab90abcdefcdef";
const JSON: &str = "Content-Type: application/json";

/// How much load to apply.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// Wrap-up updates in the timed phase (one segment each).
    pub updates: usize,
    /// Concurrent keep-alive connections.
    pub concurrency: usize,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    pub load: Load,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Builds the server for speed, starts it on a fresh database and loads it.
pub fn measure(load: Load) -> Result<Figures> {
    run(&mut cmd(
        "cargo",
        &["build", "--profile", "server", "-p", "wrapup-server"],
    ))?;
    let server = RunningServer::start()?;
    let address = server.address;
    let sys_ids = in_parallel(address, load.concurrency, load.updates, create_segment)?;
    let sys_ids = Arc::new(
        sys_ids
            .into_iter()
            .map(|(_, sys_id)| sys_id)
            .collect::<Vec<_>>(),
    );
    let started = Instant::now();
    let timed = in_parallel(address, load.concurrency, load.updates, {
        let sys_ids = Arc::clone(&sys_ids);
        move |connection, index| update_segment(connection, &sys_ids[index])
    })?;
    let elapsed = started.elapsed();
    drop(server);
    let mut latencies: Vec<Duration> = timed.into_iter().map(|(latency, ())| latency).collect();
    latencies.sort_unstable();
    Ok(Figures {
        load,
        per_second: load.updates as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or_default(),
    })
}

fn create_segment(connection: &mut Connection, index: usize) -> Result<String> {
    let body = format!(
        r#"{{"agent_sys_id":"{DEMO_AGENT}","interaction_sys_id":"bench-interaction-{index}","external":"true","external_segment_id":"bench-{index}","configuration":{{"enable_codes":true,"allowed_codes":[{{"code":"Billing Issue"}},{{"code":"Store Issue"}}],"default_code":"Billing Issue","duration":"30","show_timer":true}},"opened_on":"2026-01-01 09:00:00"}}"#
    );
    let response = connection
        .send(
            "POST",
            "/api/now/wrapup/segment/create",
            &[DEMO_BASIC_AUTH, JSON, "Accept: application/json"],
            body.as_bytes(),
        )
        .map_err(|error| format!("segment/create: {error}"))?;
    if response.status != 200 {
        return Err(format!(
            "segment/create answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ));
    }
    let text = String::from_utf8_lossy(&response.body);
    // The answer's top-level `sys_id` is the new segment's.
    text.split("\"sys_id\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("segment/create answer has no sys_id: {text}"))
}

fn update_segment(connection: &mut Connection, sys_id: &str) -> Result {
    let body = r#"{"wrap_up_code":"Store Issue","notes":"Benchmark wrap-up.","confirmed_on":"2026-01-01 09:00:20"}"#;
    let response = connection
        .send(
            "PUT",
            &format!("/api/now/wrapup/segment/update?segment_sys_id={sys_id}"),
            &[DEMO_BASIC_AUTH, JSON, "Accept: application/json"],
            body.as_bytes(),
        )
        .map_err(|error| format!("segment/update: {error}"))?;
    if response.status == 200 {
        Ok(())
    } else {
        Err(format!(
            "segment/update answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        ))
    }
}

/// Runs `job(connection, index)` for every index below `count` on
/// `concurrency` threads with one keep-alive connection each; returns each
/// job's latency and value, in no particular order.
fn in_parallel<T: Send + 'static>(
    address: SocketAddr,
    concurrency: usize,
    count: usize,
    job: impl Fn(&mut Connection, usize) -> Result<T> + Send + Sync + 'static,
) -> Result<Vec<(Duration, T)>> {
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (job, next) = (Arc::clone(&job), Arc::clone(&next));
            thread::spawn(move || -> Result<Vec<(Duration, T)>> {
                let mut connection =
                    Connection::open(address).map_err(|error| format!("connect: {error}"))?;
                let mut results = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        return Ok(results);
                    }
                    let started = Instant::now();
                    let value = job(&mut connection, index)?;
                    results.push((started.elapsed(), value));
                }
            })
        })
        .collect();
    let mut all = Vec::with_capacity(count);
    for worker in workers {
        all.extend(
            worker
                .join()
                .map_err(|_| "a load thread panicked".to_owned())??,
        );
    }
    Ok(all)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * fraction).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The reference server on a free port of 127.0.0.1 with a fresh database;
/// killed when dropped.
struct RunningServer {
    child: Child,
    address: SocketAddr,
    data_dir: PathBuf,
}

impl RunningServer {
    fn start() -> Result<Self> {
        let address = free_port()?;
        let data_dir = std::env::temp_dir().join(format!("wrapup-bench-{}", std::process::id()));
        std::fs::create_dir_all(&data_dir).map_err(|error| format!("{data_dir:?}: {error}"))?;
        let binary = root().join("target").join("server").join("wrapup-server");
        let child = Command::new(binary)
            .args(["--listen", &address.to_string(), "--demo", "--db"])
            .arg(data_dir.join("bench.sqlite"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start wrapup-server: {error}"))?;
        let server = Self {
            child,
            address,
            data_dir,
        };
        server.wait_until_healthy()?;
        Ok(server)
    }

    /// Polls `/healthz`: the server is ready once it answers.
    fn wait_until_healthy(&self) -> Result {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut connection) = Connection::open(self.address)
                && connection
                    .send("GET", "/healthz", &[], b"")
                    .is_ok_and(|response| response.status == 200)
            {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "wrapup-server did not answer on {} within 30 s",
            self.address
        ))
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn free_port() -> Result<SocketAddr> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free port: {error}"))?;
    listener
        .local_addr()
        .map_err(|error| format!("no free port: {error}"))
}

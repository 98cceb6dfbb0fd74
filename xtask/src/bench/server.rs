//! The reference server as the server benchmarks run it: built for speed
//! (profile `server`), on a free port of 127.0.0.1, with a fresh durable
//! SQLite database in a temporary directory.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::http::Connection;
use crate::cmd::{Result, cmd, output, root, run};

/// `admin:admin`, a user of the server's `--demo` data: every realm.
pub const DEMO_BASIC_AUTH: &str = "Authorization: Basic YWRtaW46YWRtaW4=";

/// Builds `wrapup-server` with the `server` profile.
pub fn build() -> Result {
    run(&mut cmd(
        "cargo",
        &["build", "--profile", "server", "-p", "wrapup-server"],
    ))
}

/// The binary [`build`] makes.
pub fn binary() -> PathBuf {
    root().join("target").join("server").join("wrapup-server")
}

/// The reference server with `--demo` data on a fresh database; killed (and
/// its database removed) when dropped.
#[derive(Debug)]
pub struct RunningServer {
    child: Child,
    pub address: SocketAddr,
    data_dir: PathBuf,
}

impl RunningServer {
    /// Starts the server built by [`build`]; `name` tells its temporary
    /// directory apart from another benchmark's.
    pub fn start(name: &str) -> Result<Self> {
        let address = free_port()?;
        let data_dir =
            std::env::temp_dir().join(format!("wrapup-bench-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&data_dir).map_err(|error| format!("{data_dir:?}: {error}"))?;
        let child = Command::new(binary())
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

/// The value at `fraction` (0.5: the median) of `sorted` (nearest rank).
pub fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * fraction).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A duration in milliseconds, for figures.
pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Raises this process's soft open-file limit to its hard limit with
/// `prlimit` (util-linux; std cannot call setrlimit), so the server started
/// afterwards inherits it too. Returns the soft limit in force.
pub fn raise_open_file_limit() -> Result<usize> {
    let (soft, hard) = open_file_limits()?;
    // "unlimited" reads as usize::MAX; the kernel caps descriptors at nr_open (2^20).
    let hard = hard.min(1 << 20);
    if soft < hard {
        let pid = std::process::id().to_string();
        let limit = format!("--nofile={hard}:{hard}");
        if output(cmd("prlimit", &["--pid", &pid, &limit])).is_none() {
            eprintln!(
                "bench: could not raise the open-file limit from {soft} to {hard} with prlimit; \
                 run `ulimit -n {hard}` first to go beyond {soft} streams"
            );
        }
    }
    Ok(open_file_limits()?.0)
}

/// The soft and hard limits of open files, from /proc/self/limits.
fn open_file_limits() -> Result<(usize, usize)> {
    let limits = std::fs::read_to_string("/proc/self/limits")
        .map_err(|error| format!("cannot read /proc/self/limits: {error}"))?;
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .ok_or("no open-file limit in /proc/self/limits")?;
    let mut numbers = line["Max open files".len()..]
        .split_whitespace()
        .map(|value| value.parse::<usize>().unwrap_or(usize::MAX));
    match (numbers.next(), numbers.next()) {
        (Some(soft), Some(hard)) => Ok((soft, hard)),
        _ => Err(format!("cannot read the open-file limit from {line:?}")),
    }
}

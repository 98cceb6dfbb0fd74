//! The real `wrapup-server` binary, started with command-line flags on a free
//! port of 127.0.0.1.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The path of the binary Cargo built for these tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_wrapup-server");

/// A running `wrapup-server`; killed when dropped.
pub struct BinaryServer {
    child: Child,
    pub base: String,
}

impl BinaryServer {
    /// `wrapup-server --listen 127.0.0.1:<free port> --db <db> --demo`.
    pub async fn demo(db: &Path) -> Self {
        Self::start(db, &["--demo"]).await
    }

    /// `wrapup-server --listen 127.0.0.1:<free port> --db <db> <flags>`, once
    /// it answers `/healthz`.
    pub async fn start(db: &Path, flags: &[&str]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(BINARY)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--db"])
            .arg(db)
            .args(flags)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start wrapup-server");
        let server = BinaryServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_until_healthy().await;
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Polls `/healthz` until the server answers (readiness, not timing).
    async fn wait_until_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(response) = reqwest::get(self.url("/healthz")).await
                && response.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("wrapup-server did not start within 30 s");
    }

    /// SIGKILL (std's kill on Unix): no shutdown, no flush.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }
}

impl Drop for BinaryServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary with `args` to completion (for flags that do not serve:
/// `--help`, refused configurations).
pub fn run(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("run wrapup-server")
}

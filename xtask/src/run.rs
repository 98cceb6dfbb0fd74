//! `cargo xtask run`: the whole product on one machine.

use crate::cmd::{Result, cmd, root, run as run_command};
use crate::setup::{self, Needs};

/// Where the demo listens; the README quotes this address.
const LISTEN: &str = "127.0.0.1:8080";
/// The demo agent of the specs' examples (ServiceNow sys_id of `agent@test.com`).
pub const DEMO_AGENT: &str = "123412345678567890ab90abcdefcdef";

/// Builds the widget in release, then serves it with the reference server.
/// Extra arguments are passed on to the server (e.g. `--listen 0.0.0.0:9000`).
pub fn run(server_args: &[String]) -> Result {
    setup::ensure(Needs::build_only())?;
    build_widget()?;
    run_command(&mut cmd(
        "cargo",
        &["build", "--profile", "server", "--package", "wrapup-server"],
    ))?;
    let server = root().join("target").join("server").join("wrapup-server");
    let mut command = cmd(
        &server,
        &[
            "--listen",
            LISTEN,
            "--static",
            "dist",
            "--demo",
            "--db",
            "data/demo.sqlite",
        ],
    );
    command.args(server_args);
    eprintln!(
        "\nwrapup-gadget is starting. Open:\n\n    http://{LISTEN}/demo.html   (the widget beside a \"Simulate a call\" console)\n    http://{LISTEN}/?agent={DEMO_AGENT}   (the widget alone)\n\nStop with Ctrl+C."
    );
    run_command(&mut command)
}

/// The release build of the widget into `dist/`, exactly as it ships.
pub fn build_widget() -> Result {
    run_command(&mut cmd("trunk", &["build", "--release", "--offline"]))
}

//! `cargo xtask run`: the whole product on one machine.

use crate::cmd::{Result, cmd, root, run as run_command};
use crate::setup::{self, Needs};

/// Where the demo listens; the README quotes this address.
const LISTEN: &str = "127.0.0.1:8080";
/// The demo agent of the specs' examples (ServiceNow sys_id of `agent@test.com`).
pub const DEMO_AGENT: &str = "123412345678567890ab90abcdefcdef";

/// Builds the widget in release, then serves it with the reference server.
/// Extra arguments are passed on to the server (`cargo xtask run -- --listen
/// 0.0.0.0:9000`); `--listen` and `--db` given there replace the defaults.
pub fn run(args: &[String]) -> Result {
    let server_args: Vec<String> = args
        .iter()
        .skip_while(|arg| arg.as_str() == "--")
        .cloned()
        .collect();
    setup::ensure(Needs::build_only())?;
    build_widget()?;
    run_command(&mut cmd(
        "cargo",
        &["build", "--profile", "server", "--package", "wrapup-server"],
    ))?;
    let server = root().join("target").join("server").join("wrapup-server");
    let mut command = cmd(&server, &["--static", "dist", "--demo"]);
    let listen = flag_value(&server_args, "--listen").unwrap_or_else(|| {
        command.args(["--listen", LISTEN]);
        LISTEN.to_owned()
    });
    if flag_value(&server_args, "--db").is_none() {
        command.args(["--db", "data/demo.sqlite"]);
    }
    command.args(&server_args);
    let port = listen.rsplit(':').next().unwrap_or("8080");
    eprintln!(
        "\nwrapup-gadget is starting. Open:\n\n    http://{listen}/demo.html   (the widget beside a \"Simulate a call\" console)\n    http://{listen}/?agent={DEMO_AGENT}   (the widget alone)\n    http://localhost:{port}/crm.html   (a CRM page on another origin embedding the widget, logging its cil callbacks)\n\nStop with Ctrl+C."
    );
    run_command(&mut command)
}

/// The value of `--flag VALUE` or `--flag=VALUE` in `args`.
fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(index, arg)| {
        if arg == flag {
            args.get(index + 1).cloned()
        } else {
            arg.strip_prefix(flag)?.strip_prefix('=').map(str::to_owned)
        }
    })
}

/// The release build of the widget into `dist/`, exactly as it ships: its
/// JavaScript minified (Trunk minifies the HTML and CSS), and every file
/// also brotli- and gzip-compressed at the highest level, which the server
/// sends instead of compressing on the fly.
///
/// The wasm is built by the pinned nightly `RELEASE_TOOLCHAIN`, which
/// rebuilds the standard library with the `immediate-abort` panic strategy:
/// a panic traps at once, and std's panic machinery and every panic message
/// and location are left out of the bundle (−15 KB of 229 KB gzip). A panic
/// in the release build therefore reads `RuntimeError: unreachable` in the
/// console; the debug build (`trunk serve`, the browser tests) keeps the
/// message. Symbols are mangled the legacy way, as on stable, for the code
/// profile of `cargo xtask bench bundle`, which reads their paths (nightly's
/// v0 names; none of them ships).
pub fn build_widget() -> Result {
    run_command(
        cmd("trunk", &["build", "--release", "--offline"])
            .env("RUSTUP_TOOLCHAIN", setup::RELEASE_TOOLCHAIN)
            .env("CARGO_UNSTABLE_BUILD_STD", "std")
            .env("CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT", "true")
            .env("CARGO_PROFILE_RELEASE_PANIC", "immediate-abort")
            .env("CARGO_UNSTABLE_PROFILE_RUSTFLAGS", "true")
            .env(
                "CARGO_PROFILE_RELEASE_RUSTFLAGS",
                "-Zunstable-options -Csymbol-mangling-version=legacy",
            ),
    )?;
    run_command(&mut cmd("node", &["scripts/minify.mjs", "dist"]))?;
    run_command(&mut cmd("node", &["scripts/precompress.mjs", "dist"]))
}

//! `cargo xtask test`: every check a change must pass, in the order that
//! fails fastest (formatting, lints, native tests, then the browser).

use crate::cmd::{Result, cmd, root, run};
use crate::run::build_widget;
use crate::setup::{self, Needs};

const WASM: &str = "wasm32-unknown-unknown";
const DENY_WARNINGS: [&str; 3] = ["--", "-D", "warnings"];

pub fn test() -> Result {
    setup::ensure(Needs::everything())?;
    cargo(&["fmt", "--all", "--check"], &[])?;
    // The `cil` typings, checked against the spec's samples and integrator code.
    run(&mut cmd("npx", &["tsc", "--noEmit", "-p", "tests/typings"]))?;
    // The end-to-end tests and benchmarks: Playwright runs them without a
    // type check, so a mistake would show only minutes into the run.
    run(&mut cmd("npx", &["tsc", "--noEmit", "-p", "tests/e2e"]))?;
    cargo(&["clippy", "--workspace", "--all-targets"], &DENY_WARNINGS)?;
    // The core's tests use proptest, whose randomness source has no wasm32
    // backend: its library is linted for wasm32, its tests natively above.
    cargo(
        &[
            "clippy",
            "-p",
            "wrapup-gadget",
            "--all-targets",
            "--target",
            WASM,
        ],
        &DENY_WARNINGS,
    )?;
    cargo(
        &["clippy", "-p", "wrapup-core", "--lib", "--target", WASM],
        &DENY_WARNINGS,
    )?;
    cargo(&["test", "--workspace"], &[])?;
    // The core's reader of JSON against serde_json as the widget builds it:
    // with the workspace, serde_json has the server's `float_roundtrip`.
    cargo(&["test", "-p", "wrapup-core", "--lib", "json::read"], &[])?;
    // wasm-bindgen-test-runner drives headless Chromium through ChromeDriver,
    // with the flags of webdriver.json. Chromium leaves a profile directory
    // (~90 MB) in TMPDIR per test binary; they go to a scratch directory that
    // is emptied afterwards.
    let scratch = scratch_dir("chromium")?;
    let in_browser = |args: &[&str]| {
        run(cmd("cargo", args)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            // Tests that do not ask for a browser would run in Node.js.
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            // The runner's default, 20 s per test binary, is less than the
            // memory test's 2,200 calls take in a debug build (~35 s on a
            // 2-core machine).
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
            .env("TMPDIR", &scratch))
    };
    let browser_tests =
        in_browser(&["test", "-p", "wrapup-gadget", "--target", WASM]).and_then(|()| {
            // The patched wasm-streams (vendor/README.md): upstream's tests of
            // the streams, in the browser, but the one that fetches from the
            // internet. Built in a target directory of their own: the same
            // package built here with other features would replace the
            // workspace's build of it under the same name.
            in_browser(&[
                "test",
                "--manifest-path",
                "vendor/wasm-streams/Cargo.toml",
                "--target-dir",
                "target/vendor-tests",
                "--target",
                WASM,
                "--test",
                "web",
                "--",
                "--skip",
                "fetch_as_stream",
            ])
        });
    std::fs::remove_dir_all(&scratch).ok();
    browser_tests?;
    build_widget()?;
    cargo(&["build", "-p", "wrapup-server"], &[])?;
    run(cmd("npx", &["playwright", "test"]).env("WRAPUP_SERVER_BIN", server_binary()))?;
    eprintln!("\nxtask test: all checks passed");
    Ok(())
}

/// `cargo xtask screenshots`: the README's pictures of the widget, from the
/// release build against the real server.
pub fn screenshots() -> Result {
    setup::ensure(Needs::everything())?;
    build_widget()?;
    cargo(&["build", "-p", "wrapup-server"], &[])?;
    run(cmd("npx", &["playwright", "test", "screenshots"])
        .env("WRAPUP_SERVER_BIN", server_binary())
        .env("WRAPUP_SCREENSHOTS", "1"))
}

/// The debug build of the server, which Playwright starts.
fn server_binary() -> std::path::PathBuf {
    root().join("target").join("debug").join("wrapup-server")
}

/// An empty directory `target/tmp/<name>`.
fn scratch_dir(name: &str) -> Result<std::path::PathBuf> {
    let dir = root().join("target").join("tmp").join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("could not create {}: {error}", dir.display()))?;
    Ok(dir)
}

fn cargo(args: &[&str], trailing: &[&str]) -> Result {
    let all: Vec<&str> = args.iter().chain(trailing).copied().collect();
    run(&mut cmd("cargo", &all))
}

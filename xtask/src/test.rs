//! `cargo xtask test`: every check a change must pass, in the order that
//! fails fastest (formatting, lints, native tests, then the browser).

use crate::cmd::{Result, cmd, root, run};
use crate::run::build_widget;
use crate::setup::{self, Needs};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn test() -> Result {
    setup::ensure(Needs::everything())?;
    run(&mut cmd("cargo", &["fmt", "--all", "--check"]))?;
    run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--package",
            "wrapup-gadget",
            "--package",
            "wrapup-core",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run(&mut cmd("cargo", &["test", "--workspace"]))?;
    // wasm-bindgen-test-runner drives headless Chromium through ChromeDriver,
    // with the flags of webdriver.json.
    run(cmd(
        "cargo",
        &[
            "test",
            "--package",
            "wrapup-gadget",
            "--target",
            WASM_TARGET,
        ],
    )
    .env("CHROMEDRIVER", "/usr/bin/chromedriver"))?;
    build_widget()?;
    run(&mut cmd("cargo", &["build", "--package", "wrapup-server"]))?;
    let server = root().join("target").join("debug").join("wrapup-server");
    run(cmd("npx", &["playwright", "test"]).env("WRAPUP_SERVER_BIN", server))?;
    eprintln!("\nxtask test: all checks passed");
    Ok(())
}

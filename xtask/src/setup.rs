//! Installs what the build and the tests need, idempotently.
//!
//! Every step first probes what is installed and skips itself when the right
//! version is present, so a second run takes about a second. The machines
//! reach only package registries: every tool comes from crates.io, npm or
//! Debian, never from a download that Trunk or Playwright would attempt on
//! their own (see shared/TOOLCHAIN.md).

use std::fs;
use std::path::Path;

use crate::cmd::{Result, cmd, node_bin, output, root, run};

/// The Trunk release that builds with the machines' rustc (0.22 needs a newer one).
const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The toolchain of the widget's release build (`run::build_widget`), pinned
/// so that the shipped bundle does not change with a nightly's date. Every
/// other build, test and lint runs on the stable toolchain.
pub const RELEASE_TOOLCHAIN: &str = "nightly-2026-05-19";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What a command needs installed.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Chromium and ChromeDriver, for browser and end-to-end tests.
    pub browser: bool,
}

impl Needs {
    pub fn everything() -> Self {
        Needs { browser: true }
    }

    pub fn build_only() -> Self {
        Needs { browser: false }
    }
}

/// Installs whatever `needs` asks for and is missing.
pub fn ensure(needs: Needs) -> Result {
    ensure_wasm_target()?;
    ensure_release_toolchain()?;
    ensure_npm_packages()?;
    ensure_trunk()?;
    ensure_wasm_bindgen_cli()?;
    if needs.browser {
        ensure_chromium()?;
    }
    eprintln!("setup: all tools present");
    Ok(())
}

fn ensure_wasm_target() -> Result {
    let installed = output(cmd("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(&mut cmd("rustup", &["target", "add", WASM_TARGET]))
}

/// The release build rebuilds the standard library from its source, so the
/// pinned toolchain needs `rust-src` (and no wasm32 target of its own).
fn ensure_release_toolchain() -> Result {
    let sysroot = output(cmd(
        "rustup",
        &["run", RELEASE_TOOLCHAIN, "rustc", "--print", "sysroot"],
    ));
    let has_source = sysroot.is_some_and(|sysroot| {
        Path::new(&sysroot)
            .join("lib/rustlib/src/rust/library/std")
            .is_dir()
    });
    if has_source {
        return Ok(());
    }
    eprintln!("setup: installing the release build's toolchain {RELEASE_TOOLCHAIN} with rust-src");
    run(&mut cmd(
        "rustup",
        &[
            "toolchain",
            "install",
            RELEASE_TOOLCHAIN,
            "--profile",
            "minimal",
            "--component",
            "rust-src",
        ],
    ))
}

fn ensure_trunk() -> Result {
    let version = output(cmd("trunk", &["--version"]));
    if version.as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    eprintln!("setup: installing trunk {TRUNK_VERSION} (takes several minutes once)");
    run(&mut cmd(
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    ))
}

/// The wasm-bindgen CLI must match the library in Cargo.lock exactly, or Trunk
/// tries to download a matching one and fails offline.
fn ensure_wasm_bindgen_cli() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    let version = output(cmd("wasm-bindgen", &["--version"]));
    if version.as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
        return Ok(());
    }
    eprintln!("setup: installing wasm-bindgen-cli {wanted} (takes several minutes once)");
    // `--locked` fails on one transitive crate of some releases; a plain install works.
    run(&mut cmd(
        "cargo",
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ],
    ))
}

/// The version of `package` recorded in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line != name_line {
            continue;
        }
        if let Some(version) = lines
            .next()
            .and_then(|line| line.strip_prefix("version = \""))
            .and_then(|rest| rest.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(format!("Cargo.lock has no entry for {package}"))
}

/// npm tools: wasm-opt from the `binaryen` package (never Debian's wasm-opt,
/// which silently produces wasm that fails in the browser), Playwright,
/// axe-core, TypeScript and terser (the release build's JS minifier).
/// Reinstalled only when package-lock.json changed.
fn ensure_npm_packages() -> Result {
    let lock = fs::read(root().join("package-lock.json"))
        .map_err(|error| format!("cannot read package-lock.json: {error}"))?;
    let stamp_path = root().join("node_modules").join(".xtask-lock-stamp");
    let stamp = format!("{:016x}", fnv1a(&lock));
    let wasm_opt_works = output(cmd(node_bin().join("wasm-opt"), &["--version"])).is_some();
    if wasm_opt_works && fs::read_to_string(&stamp_path).ok().as_deref() == Some(&stamp) {
        return Ok(());
    }
    // Playwright drives the system Chromium: it must never fetch a browser of its own.
    run(
        cmd("npm", &["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    )?;
    fs::write(&stamp_path, stamp).map_err(|error| format!("cannot write {stamp_path:?}: {error}"))
}

fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let install = "apt-get update && apt-get install -y chromium chromium-driver";
    if output(cmd("id", &["-u"])).as_deref() != Some("0") {
        return Err(format!(
            "Chromium and ChromeDriver are missing ({CHROMIUM}, {CHROMEDRIVER}).\n\
             Install them as root, then run this command again:\n    sudo sh -c '{install}'"
        ));
    }
    run(&mut cmd("apt-get", &["update"]))?;
    run(
        cmd("apt-get", &["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// FNV-1a: a stable fingerprint of package-lock.json for the install stamp.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

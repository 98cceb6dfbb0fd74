//! Running external programs with a visible trace and actionable errors.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The directory holding the npm tools of the project (wasm-opt, Playwright, tsc).
pub fn node_bin() -> PathBuf {
    root().join("node_modules").join(".bin")
}

/// `PATH` with the project's npm tools first, so Trunk finds npm's `wasm-opt`
/// before any other (Debian's wasm-opt 108 silently produces broken wasm).
pub fn path_with_node_bin() -> std::ffi::OsString {
    let mut paths = vec![node_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).expect("PATH entries contain no separator")
}

/// A command about to run in the workspace root, printed before it runs.
pub fn cmd(program: impl AsRef<OsStr>, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(root());
    command.env("PATH", path_with_node_bin());
    command
}

/// Runs `command`, streaming its output; fails with the command line if it fails.
pub fn run(command: &mut Command) -> Result {
    let line = describe(command);
    eprintln!("\n$ {line}");
    let status = command
        .status()
        .map_err(|error| format!("could not start `{line}`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs `command` quietly and returns its trimmed standard output, or `None`
/// when the program is missing or fails (used to probe installed versions).
pub fn output(mut command: Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

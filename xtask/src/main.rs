//! Project automation for wrapup-gadget, in Rust rather than shell glue.
//!
//! `cargo xtask run` and `cargo xtask test` are the two commands of the README:
//! both first install whatever the machine is missing (see [`setup`]), so they
//! work the same on a fresh machine, on CI and on a developer's laptop.

mod bench;
mod cmd;
mod fuzz;
mod run;
mod setup;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   install what building and testing need (idempotent, quick when present)
  run     build the widget in release and serve it with the reference server and
          demo data on http://127.0.0.1:8080
  test    fmt check, clippy (native and wasm32), native tests, browser tests in
          headless Chromium, end-to-end tests
  screenshots
          retake the README's screenshots (docs/screenshots/) from the real build
  fuzz    run every fuzz target of the parsers of untrusted input (or one: `fuzz TARGET`)
          for `--seconds N` each (default 300) on one core; fails on a crash
  bench   run every benchmark against its budget and write BENCHMARKS.md; or name
          some to print their figures only: bundle, core, server, sse, browser
          (`--max-streams N`: the SSE benchmark's ceiling, default 8000);
          `bench reliability` (only when named, ~15 min on 2 cores): 1,000 calls under
          faults through the widget, figures into RELIABILITY.md (`--calls N`;
          `--static DIR`: serve that widget build instead of building dist/)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::ensure(setup::Needs::everything()),
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(),
        Some("bench") => bench::bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("screenshots") => test::screenshots(),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}

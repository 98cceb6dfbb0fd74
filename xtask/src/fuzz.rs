//! `cargo xtask fuzz [TARGET] [--seconds N]`: the parsers of untrusted input
//! under libFuzzer, one target at a time on one core.
//!
//! The targets live in `fuzz/` (a workspace of its own, see `fuzz/Cargo.toml`).
//! They are built with cargo-fuzz on the stable toolchain: without a
//! sanitizer (`--sanitizer none`) nothing needs nightly, and the parsers are
//! safe Rust, so the sanitizer would find nothing the assertions miss. Each
//! target starts from its committed seeds (`fuzz/seeds/<target>`) and its
//! dictionary (`fuzz/dicts/<target>.dict`) and grows its working corpus in
//! `fuzz/corpus/<target>` (ignored by git). A crash is written to
//! `fuzz/artifacts/<target>/` and fails the command. Not part of `cargo xtask
//! test`: a run takes minutes per target.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::cmd::{Result, cmd, output, root, run};

/// The cargo-fuzz release installed when none (or another) is present.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// How long each target runs unless told otherwise.
const DEFAULT_SECONDS: u64 = 300;
/// An input slower than this is reported as a crash (a hang is a bug too).
const INPUT_TIMEOUT_SECONDS: u64 = 10;

/// What one target's run gave, from libFuzzer's own report.
#[derive(Debug, Default)]
struct Outcome {
    target: String,
    /// From start to end, building and loading the corpus included.
    wall: Duration,
    /// How long libFuzzer fuzzed (`Done N runs in S second(s)`).
    fuzzed_seconds: Option<u64>,
    executions: Option<u64>,
    executions_per_second: Option<u64>,
    corpus_entries: Option<u64>,
    corpus_files: usize,
    coverage: Option<u64>,
    features: Option<u64>,
    crash: Option<String>,
    failed: bool,
    log: PathBuf,
}

pub fn fuzz(args: &[String]) -> Result {
    let (only, seconds) = parse_args(args)?;
    ensure_cargo_fuzz()?;
    let targets = list_targets()?;
    let chosen: Vec<String> = match only {
        Some(target) if targets.contains(&target) => vec![target],
        Some(target) => {
            return Err(format!(
                "no fuzz target `{target}`; the targets are: {}",
                targets.join(", ")
            ));
        }
        None => targets,
    };
    let mut build = fuzz_command(&["build"]);
    if let [target] = chosen.as_slice() {
        build.arg(target);
    }
    run(&mut build)?;
    let mut outcomes = Vec::new();
    for target in &chosen {
        outcomes.push(run_target(target, seconds)?);
    }
    print_report(&outcomes, seconds);
    let crashed: Vec<&str> = outcomes
        .iter()
        .filter(|outcome| outcome.failed)
        .map(|outcome| outcome.target.as_str())
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} fuzz target(s) failed: {}; reproduce with `cargo fuzz run --sanitizer none <target> <reproducer>` in {}",
            crashed.len(),
            crashed.join(", "),
            root().display()
        ))
    }
}

fn parse_args(args: &[String]) -> Result<(Option<String>, u64)> {
    let mut target = None;
    let mut seconds = DEFAULT_SECONDS;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = if arg == "--seconds" {
            Some(args.next().cloned().unwrap_or_default())
        } else {
            arg.strip_prefix("--seconds=").map(str::to_owned)
        };
        match value {
            Some(value) => {
                seconds = value
                    .parse()
                    .ok()
                    .filter(|seconds| *seconds > 0)
                    .ok_or_else(|| format!("--seconds takes a positive number, not `{value}`"))?;
            }
            None if arg.starts_with('-') => return Err(format!("unknown flag `{arg}`")),
            None if target.is_none() => target = Some(arg.clone()),
            None => return Err(format!("one target at most, not also `{arg}`")),
        }
    }
    Ok((target, seconds))
}

fn ensure_cargo_fuzz() -> Result {
    let version = output(cmd("cargo", &["fuzz", "--version"]));
    if version.as_deref() == Some(&format!("cargo-fuzz {CARGO_FUZZ_VERSION}")) {
        return Ok(());
    }
    eprintln!("fuzz: installing cargo-fuzz {CARGO_FUZZ_VERSION} (takes a few minutes once)");
    run(&mut cmd(
        "cargo",
        &[
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
            "--jobs",
            "1",
        ],
    ))
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// `cargo fuzz <subcommand>` as every step runs it: cargo-fuzz's default
/// build (optimised, with debug assertions and overflow checks), no
/// sanitizer (stable toolchain), one build job, the fuzz workspace's own
/// target directory.
fn fuzz_command(subcommand: &[&str]) -> std::process::Command {
    let mut command = cmd("cargo", &["fuzz"]);
    command
        .args(subcommand)
        .args(["--sanitizer", "none"])
        .env("CARGO_TARGET_DIR", fuzz_dir().join("target"))
        .env("CARGO_BUILD_JOBS", "1");
    command
}

fn list_targets() -> Result<Vec<String>> {
    let listed = output(cmd("cargo", &["fuzz", "list"]))
        .ok_or("`cargo fuzz list` failed: is fuzz/Cargo.toml intact?")?;
    Ok(listed.lines().map(str::to_owned).collect())
}

fn run_target(target: &str, seconds: u64) -> Result<Outcome> {
    let corpus = fuzz_dir().join("corpus").join(target);
    let seeds = fuzz_dir().join("seeds").join(target);
    let dictionary = fuzz_dir().join("dicts").join(format!("{target}.dict"));
    let logs = fuzz_dir().join("target").join("logs");
    for dir in [&corpus, &logs] {
        fs::create_dir_all(dir).map_err(|error| format!("cannot create {dir:?}: {error}"))?;
    }
    let mut command = fuzz_command(&["run"]);
    command.arg(target).arg(&corpus);
    if seeds.is_dir() {
        command.arg(&seeds);
    }
    command.args([
        "--".to_owned(),
        format!("-max_total_time={seconds}"),
        format!("-timeout={INPUT_TIMEOUT_SECONDS}"),
        "-print_final_stats=1".to_owned(),
    ]);
    if dictionary.is_file() {
        command.arg(format!("-dict={}", dictionary.display()));
    }
    let log = logs.join(format!("{target}.log"));
    eprintln!("\nfuzz: {target} for {seconds} s (log: {})", log.display());
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start cargo fuzz run {target}: {error}"))?;
    // libFuzzer reports on stderr; cargo-fuzz prints the reproducer on stdout.
    let stdout = child.stdout.take().expect("stdout is piped");
    let echo = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(|line| line.ok())
            .collect::<Vec<_>>()
    });
    let mut file =
        fs::File::create(&log).map_err(|error| format!("cannot write {log:?}: {error}"))?;
    let mut outcome = Outcome {
        target: target.to_owned(),
        log: log.clone(),
        ..Outcome::default()
    };
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut after_panic = false;
    for line in BufReader::new(stderr).lines().map_while(|line| line.ok()) {
        writeln!(file, "{line}").map_err(|error| format!("cannot write {log:?}: {error}"))?;
        // The line after `panicked at` is the broken assertion's message.
        if after_panic || is_worth_showing(&line) {
            eprintln!("  {line}");
        }
        after_panic = line.contains("panicked at");
        read_line(&line, &mut outcome);
    }
    for line in echo.join().unwrap_or_default() {
        writeln!(file, "{line}").map_err(|error| format!("cannot write {log:?}: {error}"))?;
        read_line(&line, &mut outcome);
    }
    let status = child
        .wait()
        .map_err(|error| format!("cargo fuzz run {target}: {error}"))?;
    outcome.wall = started.elapsed();
    outcome.corpus_files = fs::read_dir(&corpus).map_or(0, Iterator::count);
    outcome.failed = !status.success() || outcome.crash.is_some();
    if outcome.failed && outcome.crash.is_none() {
        outcome.crash = Some(format!("exited with {status}; see {}", log.display()));
    }
    Ok(outcome)
}

/// The lines of a run a person watching wants: what broke, and how it ended.
fn is_worth_showing(line: &str) -> bool {
    line.contains("panicked at")
        || line.contains("==ERROR")
        || line.contains("Test unit written to")
        || line.contains("SUMMARY")
        || line.contains(" DONE ")
        || line.starts_with("Done ")
        || line.contains("INITED")
}

/// Takes what `line` says about the run into `outcome`.
fn read_line(line: &str, outcome: &mut Outcome) {
    // libFuzzer also writes slow inputs (`slow-unit-…`) that did not fail.
    if let Some(path) = line.split("Test unit written to ").nth(1)
        && !path.contains("/slow-unit-")
    {
        outcome.crash = Some(path.trim().to_owned());
    }
    if let Some(done) = line.strip_prefix("Done ") {
        outcome.fuzzed_seconds = done
            .split(" in ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|seconds| seconds.parse().ok());
    }
    if let Some(value) = stat(line, "stat::number_of_executed_units:") {
        outcome.executions = Some(value);
    }
    if let Some(value) = stat(line, "stat::average_exec_per_sec:") {
        outcome.executions_per_second = Some(value);
    }
    // The status lines (`#123 NEW cov: 45 ft: 67 corp: 8/90b ... exec/s: 1000 ...`):
    // the last one holds the run's final coverage and corpus.
    if let Some(status) = line.strip_prefix('#')
        && line.contains(" cov: ")
    {
        // A run that crashes prints no final stats: its last status line counts.
        let executions = status
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok());
        outcome.executions = outcome.executions.max(executions);
        outcome.coverage = field(line, "cov:").or(outcome.coverage);
        outcome.features = field(line, "ft:").or(outcome.features);
        outcome.corpus_entries = field(line, "corp:").or(outcome.corpus_entries);
        outcome.executions_per_second = field(line, "exec/s:").or(outcome.executions_per_second);
    }
}

fn stat(line: &str, name: &str) -> Option<u64> {
    line.strip_prefix(name)?.trim().parse().ok()
}

/// The number after `name` in a status line (`corp: 8/90b` gives 8).
fn field(line: &str, name: &str) -> Option<u64> {
    let mut words = line.split_whitespace();
    words.find(|word| *word == name)?;
    let value = words.next()?;
    value.split('/').next()?.parse().ok()
}

fn print_report(outcomes: &[Outcome], seconds: u64) {
    let show = |value: Option<u64>| value.map_or("?".to_owned(), |value| value.to_string());
    println!(
        "\nfuzz: {} target(s), {seconds} s each, one job",
        outcomes.len()
    );
    println!(
        "{:<16} {:>7} {:>6} {:>12} {:>9} {:>8} {:>8} {:>7} {:>8}  result",
        "target", "fuzzed", "wall", "executions", "exec/s", "corpus", "files", "cov", "ft"
    );
    for outcome in outcomes {
        println!(
            "{:<16} {:>7} {:>6} {:>12} {:>9} {:>8} {:>8} {:>7} {:>8}  {}",
            outcome.target,
            show(outcome.fuzzed_seconds),
            outcome.wall.as_secs(),
            show(outcome.executions),
            show(outcome.executions_per_second),
            show(outcome.corpus_entries),
            outcome.corpus_files,
            show(outcome.coverage),
            show(outcome.features),
            match &outcome.crash {
                Some(reproducer) => format!("CRASH: {reproducer}"),
                None => "ok".to_owned(),
            }
        );
    }
    println!(
        "fuzzed / wall: seconds fuzzing (libFuzzer) / from start to end (corpus loading \
         included); corpus: entries in libFuzzer's corpus at the end (seeds included); files: \
         inputs in fuzz/corpus/<target>; cov / ft: code edges and features covered"
    );
    if let Some(logs) = outcomes.first().and_then(|outcome| outcome.log.parent()) {
        println!("full logs: {}", logs.display());
    }
}

//! The `Desk` reducer: events per second, from the criterion benchmark
//! `crates/core/benches/desk.rs`.

use std::path::{Path, PathBuf};

use super::report::{Figure, Section};
use crate::cmd::{Result, cmd, root, run};

const TITLE: &str = "Core: the Desk reducer";
const COMMAND: &str = "cargo xtask bench core";
const METHOD: &str = "Criterion (`crates/core/benches/desk.rs`, release build, native): whole \
    call lifecycles of 12 inputs each (create, connect, pause, resume, wrap-up, the segment \
    opened, code, notes, submit, sent, confirmed, end) applied to a long-lived `Desk`, one call \
    at a time and ten calls interleaved. The inputs are built outside the timed part. Events/s \
    is the inputs per lifecycle over criterion's median time per iteration.";

/// The benchmarks of the `desk` group and what to call them.
const BENCHMARKS: [(&str, &str); 2] = [
    ("lifecycle", "one call at a time"),
    ("interleaved_10_calls", "ten calls at once"),
];

/// Runs the criterion benchmark and reads its estimates.
pub fn run_section() -> Section {
    match measure() {
        Ok(section) => section,
        Err(error) => Section::not_run(TITLE, COMMAND, METHOD, error),
    }
}

fn measure() -> Result<Section> {
    let criterion_home = root().join("target").join("criterion");
    run(
        cmd("cargo", &["bench", "-p", "wrapup-core", "--bench", "desk"])
            .env("CRITERION_HOME", &criterion_home),
    )?;
    let mut section = Section::new(TITLE, COMMAND, METHOD);
    for (name, label) in BENCHMARKS {
        let estimate = Estimate::read(&criterion_home.join("desk").join(name))?;
        section = section
            .figure(Figure::new(
                format!("events/s, {label}"),
                format!("{:.2} M", estimate.events_per_second() / 1e6),
            ))
            .figure(Figure::new(
                format!("time per event, {label}"),
                format!("{:.0} ns", estimate.nanoseconds_per_event()),
            ));
    }
    Ok(section)
}

/// Criterion's median time of one iteration and the events in it.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    median_nanoseconds: f64,
    events_per_iteration: f64,
}

impl Estimate {
    /// Reads `new/estimates.json` and `new/benchmark.json` of one benchmark.
    fn read(dir: &Path) -> Result<Self> {
        let new = dir.join("new");
        let estimates = read(&new.join("estimates.json"))?;
        let benchmark = read(&new.join("benchmark.json"))?;
        Ok(Self {
            median_nanoseconds: number_after(&estimates, &["\"median\"", "\"point_estimate\""])
                .ok_or_else(|| format!("no median in {}", new.display()))?,
            events_per_iteration: number_after(&benchmark, &["\"Elements\""])
                .ok_or_else(|| format!("no element throughput in {}", new.display()))?,
        })
    }

    fn events_per_second(self) -> f64 {
        self.events_per_iteration / (self.median_nanoseconds * 1e-9)
    }

    fn nanoseconds_per_event(self) -> f64 {
        self.median_nanoseconds / self.events_per_iteration
    }
}

fn read(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

/// The number after the keys `path`, each found after the previous one in
/// `json` (enough for criterion's flat files; xtask has no JSON parser).
fn number_after(json: &str, path: &[&str]) -> Option<f64> {
    let mut rest = json;
    for key in path {
        rest = &rest[rest.find(key)? + key.len()..];
    }
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|character: char| {
            !(character.is_ascii_digit() || matches!(character, '.' | '-' | '+' | 'e' | 'E'))
        })
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::number_after;

    #[test]
    fn reads_the_median_of_criterion_estimates() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":3.0},"point_estimate":2.0,"standard_error":0.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4.0,"upper_bound":6.0},"point_estimate":5.5e3,"standard_error":0.1}}"#;
        assert_eq!(
            number_after(json, &["\"median\"", "\"point_estimate\""]),
            Some(5500.0)
        );
        assert_eq!(
            number_after(r#"{"throughput":{"Elements":12}}"#, &["\"Elements\""]),
            Some(12.0)
        );
    }
}

//! The machine a benchmark ran on, for the report.

use super::report::Machine;
use crate::cmd::{cmd, output};
use crate::setup::RELEASE_TOOLCHAIN;

/// Reads the machine's description from /proc and the tools' versions.
pub fn detect() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or_else(
            || "unknown".to_owned(),
            |(_, model)| model.trim().to_owned(),
        );
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            let kilobytes: f64 = meminfo
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB", kilobytes / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|load| {
            let mut fields = load.split_whitespace();
            let (one, five) = (fields.next(), fields.next());
            format!(
                "{} (1 min), {} (5 min)",
                one.unwrap_or("?"),
                five.unwrap_or("?")
            )
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let tool = |program: &str, args: &[&str]| {
        output(cmd(program, args)).unwrap_or_else(|| format!("{program}: not found"))
    };
    Machine {
        date: tool("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        cpu,
        cores: std::thread::available_parallelism().map_or(0, usize::from),
        memory,
        load_average,
        os: tool("uname", &["-srm"]),
        rustc: format!(
            "{}; the widget's release build: {}",
            tool("rustc", &["--version"]),
            tool("rustup", &["run", RELEASE_TOOLCHAIN, "rustc", "--version"])
        ),
        chromium: tool("/usr/bin/chromium", &["--version"]),
    }
}

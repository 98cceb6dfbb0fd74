//! `cargo xtask bench reliability`: the reliability end-to-end run
//! (`tests/e2e/reliability.spec.ts`) at 1,000 calls, as a benchmark-style
//! job. The spec wraps up every call through the widget while 30 % of the
//! widget's API requests fail and the page reloads at random moments, then
//! writes its figures as `key value` lines; this module runs it, turns the
//! figures into a report section (no duplicate, nothing lost: the budgets)
//! and, for a 1,000-call run, rewrites that section of RELIABILITY.md.
//!
//! Not part of the full `cargo xtask bench`: it takes about 15 minutes on 2 cores
//! and proves correctness under faults, not speed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::browser::read_values;
use super::report::{Figure, Machine, Section};
use super::server;
use crate::cmd::{Result, cmd, root, run};

const TITLE: &str = "1,000 calls under faults";
const COMMAND: &str = "cargo xtask bench reliability";
/// The calls of the recorded run (the figure).
pub const CALLS: u32 = 1_000;
/// The Playwright port when WRAPUP_E2E_PORT is not set: the spec's own
/// server listens on it + 7, away from the tests' 18080 and the browser
/// benchmarks' 18180.
const PORT: &str = "18280";
/// The heading in RELIABILITY.md that this run rewrites, up to the next one.
const HEADING: &str = "## 1,000 calls";

const METHOD: &str = "`tests/e2e/reliability.spec.ts` with WRAPUP_RELIABILITY_CALLS=1000: \
    a server of its own (the `server` profile build, `--demo`, a fresh SQLite file) with fault \
    rules on every API path (8.5 % each of 500, 503, reset after the write and slow, 0.5 % \
    hang: 30 % of the API requests), one agent, and for each call: the simulator rings, \
    connects and hangs up, the agent picks the code by keyboard, types notes and submits with \
    Ctrl+Enter; 10 calls (seeded) see a reload while ringing, with notes typed but not \
    submitted, or right after Submit. Afterwards each call must have exactly one segment, \
    closed with its code and notes (read through `GET /sim/v1/calls/{id}`, which faults never \
    hit). Faults are the server's own counts (`GET /sim/v1/faults`), so every request counted \
    is the widget's. Wall time runs from the first call to the last check.";

/// What to run: how many calls, and which widget build.
#[derive(Debug, Clone)]
pub struct Plan {
    pub calls: u32,
    /// A prebuilt widget to serve instead of building `dist/`.
    pub static_dir: Option<PathBuf>,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            calls: CALLS,
            static_dir: None,
        }
    }
}

/// Runs the spec and reports its figures; the error says why the run does
/// not hold (figures missing, a duplicate or a loss, the spec failed).
pub fn run_section(plan: &Plan, widget_built: bool, machine: &Machine) -> (Section, Result) {
    let out = root().join("target").join("bench").join("reliability");
    let figures = out.join("figures.txt");
    let ran = run_playwright(plan, widget_built, &out, &figures);
    let not_run = |why: String| Section::not_run(TITLE, COMMAND, METHOD, why);
    let Some(values) = read_values(&figures) else {
        let why = match &ran {
            Err(error) => error.clone(),
            Ok(()) => format!("the spec wrote no {}", figures.display()),
        };
        return (not_run(why.clone()), Err(why));
    };
    let section = match section(&values, machine) {
        Ok(section) => section,
        Err(missing) => {
            let why = format!("{} lacks the figure `{missing}`", figures.display());
            return (not_run(why.clone()), Err(why));
        }
    };
    let held = section
        .figures
        .iter()
        .all(|figure| figure.budget.as_ref().is_none_or(|budget| budget.pass));
    let outcome = match ran {
        Err(error) => Err(format!("the reliability run failed: {error}")),
        Ok(()) if !held => Err("the reliability run lost or duplicated wrap-ups".to_owned()),
        Ok(()) => Ok(()),
    };
    let outcome = outcome.and_then(|()| {
        if plan.calls == CALLS {
            write_report(&section)
        } else {
            eprintln!(
                "bench: {} calls, not {CALLS}: RELIABILITY.md left as it is",
                plan.calls
            );
            Ok(())
        }
    });
    (section, outcome)
}

fn run_playwright(plan: &Plan, widget_built: bool, out: &Path, figures: &Path) -> Result {
    crate::setup::ensure(crate::setup::Needs::everything())?;
    if plan.static_dir.is_none() && !widget_built {
        crate::run::build_widget()?;
    }
    server::build()?;
    // Figures of an earlier run must not pass for this one's.
    std::fs::remove_dir_all(out).ok();
    std::fs::create_dir_all(out).map_err(|error| format!("{}: {error}", out.display()))?;
    let static_dir = plan
        .static_dir
        .clone()
        .unwrap_or_else(|| root().join("dist"));
    let port = std::env::var("WRAPUP_E2E_PORT").unwrap_or_else(|_| PORT.to_owned());
    run(cmd(
        "npx",
        &["playwright", "test", "tests/e2e/reliability.spec.ts"],
    )
    .env("WRAPUP_SERVER_BIN", server::binary())
    .env("WRAPUP_E2E_PORT", port)
    .env("WRAPUP_STATIC_DIR", static_dir)
    .env("WRAPUP_RELIABILITY_CALLS", plan.calls.to_string())
    .env("WRAPUP_RELIABILITY_OUT", figures))
    .map_err(|error| format!("{error}: its console output tells why"))
}

fn section(
    values: &HashMap<String, String>,
    machine: &Machine,
) -> std::result::Result<Section, String> {
    let number = |key: &str| -> std::result::Result<f64, String> {
        values
            .get(key)
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| key.to_owned())
    };
    let calls = number("calls")?;
    let duplicates = number("duplicates")?;
    let lost = number("lost")?;
    let requests = number("api_requests")?;
    let faults = number("faults_total")?;
    let share = if requests > 0.0 {
        faults / requests * 100.0
    } else {
        0.0
    };
    let kinds = ["500", "503", "reset", "slow", "hang"]
        .iter()
        .map(|kind| Ok(format!("{kind}: {}", number(&format!("faults_{kind}"))?)))
        .collect::<std::result::Result<Vec<_>, String>>()?;
    let reloads = ["ringing", "typed", "submitted"]
        .iter()
        .map(|moment| Ok((*moment, number(&format!("reloads_{moment}"))?)))
        .collect::<std::result::Result<Vec<_>, String>>()?;
    let wall = number("wall_s")?;
    Ok(Section::new(TITLE, COMMAND, METHOD)
        .figure(Figure::new(
            "calls (seed)",
            format!("{calls} ({})", number("seed")?),
        ))
        .figure(Figure::new(
            "reloads",
            format!(
                "{} ({})",
                reloads.iter().map(|(_, count)| count).sum::<f64>(),
                reloads
                    .iter()
                    .map(|(moment, count)| format!("{moment}: {count}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
        .figure(Figure::new(
            "the widget's API requests",
            format!("{requests}"),
        ))
        .figure(Figure::new(
            "faults injected",
            format!("{faults} ({share:.1} %; {})", kinds.join(", ")),
        ))
        .figure(Figure::new(
            "segments closed with the agent's code and notes",
            format!("{} of {calls}", number("segments_closed")?),
        ))
        .figure(Figure::new("duplicates", format!("{duplicates}")).budget(
            "0",
            duplicates == 0.0,
            "a call has more than one wrap-up segment: a submission was not idempotent \
             (see the outbox in src/runtime/outbox.rs and segment_lookup.rs)",
        ))
        .figure(Figure::new("lost", format!("{lost}")).budget(
            "0",
            lost == 0.0,
            "a wrap-up never reached its segment, or with other code or notes: the outbox \
             dropped or changed a submission (the spec's console names the calls)",
        ))
        .figure(Figure::new(
            "wall time",
            format!("{:.0} min {:.0} s", (wall / 60.0).floor(), wall % 60.0),
        ))
        .figure(Figure::new(
            "calls per minute",
            format!("{:.1}", number("calls_per_min")?),
        ))
        .detail(format!(
            "Measured {} on {} ({} cores, {}), load average {} when the run began; {}; {}.\n",
            machine.date,
            machine.cpu,
            machine.cores,
            machine.memory,
            machine.load_average,
            machine.os,
            machine.chromium,
        )))
}

/// Replaces the "1,000 calls" section of RELIABILITY.md (from its heading to
/// the next `## ` heading), or appends it when the file has none.
fn write_report(section: &Section) -> Result {
    let path = root().join("RELIABILITY.md");
    let current = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Reliability\n\n".to_owned());
    let mut fresh = String::new();
    section.markdown(&mut fresh);
    let _ = write!(
        fresh,
        "Written by `{COMMAND}`; the rest of this file is by hand.\n\n"
    );
    let updated = match current.find(HEADING) {
        Some(start) => {
            let after = &current[start + HEADING.len()..];
            let end = after
                .find("\n## ")
                .map_or(current.len(), |offset| start + HEADING.len() + offset + 1);
            format!("{}{fresh}{}", &current[..start], &current[end..])
        }
        None => format!("{}\n\n{fresh}", current.trim_end()),
    };
    std::fs::write(&path, updated)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    eprintln!(
        "\nbench: updated the 1,000-call section of {}",
        path.display()
    );
    Ok(())
}

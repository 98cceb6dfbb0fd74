//! `cargo xtask bench`: measurements of size and speed, each judged against
//! its budget (tests never time anything). A full run writes BENCHMARKS.md.
//! `reliability` (1,000 calls under faults, about 15 minutes) runs only
//! when named, and writes its section of RELIABILITY.md.

mod browser;
mod bundle;
mod code_size;
mod http;
mod machine;
mod reducer;
mod reliability;
mod report;
mod server;
mod server_load;
mod sse;
mod sse_publish;
mod sse_stream;
mod symbols;

use crate::cmd::{Result, root};
use report::Section;

const NAMES: [&str; 6] = ["bundle", "core", "server", "sse", "browser", "reliability"];
/// Run only when named: too long for every full run.
const ONLY_WHEN_NAMED: [&str; 1] = ["reliability"];

/// Runs the benchmarks named in `args` (all but `reliability` when none is
/// named), prints their figures as each ends and, after a full run, writes
/// BENCHMARKS.md. `--max-streams N` sets the SSE benchmark's ceiling;
/// `--calls N` the reliability run's calls, `--static DIR` a prebuilt widget
/// it serves instead of building `dist/`.
pub fn bench(args: &[String]) -> Result {
    let mut names = Vec::new();
    let mut sse_plan = sse::Plan::default();
    let mut reliability_plan = reliability::Plan::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-streams" => {
                sse_plan.ceiling = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .ok_or("--max-streams needs a number")?;
            }
            "--calls" => {
                reliability_plan.calls = args
                    .next()
                    .and_then(|value| value.parse().ok())
                    .filter(|calls| *calls > 0)
                    .ok_or("--calls needs a number above 0")?;
            }
            "--static" => {
                let dir = args.next().ok_or("--static needs a directory")?;
                reliability_plan.static_dir = Some(root().join(dir));
            }
            name if NAMES.contains(&name) => names.push(name),
            other => {
                return Err(format!(
                    "unknown benchmark `{other}`: use {} (or none for all)",
                    NAMES.join(", ")
                ));
            }
        }
    }
    let all = names.is_empty();
    let wanted = |name: &str| (all && !ONLY_WHEN_NAMED.contains(&name)) || names.contains(&name);
    // Read before the benchmarks load the machine.
    let machine = machine::detect();
    let mut sections: Vec<Section> = Vec::new();
    let mut record = |new: Vec<Section>| {
        for section in new {
            section.print();
            sections.push(section);
        }
    };
    let mut widget_built = false;
    if wanted("bundle") {
        let section = bundle::run_section();
        widget_built = section.not_run.is_none();
        record(vec![section]);
    }
    if wanted("core") {
        record(vec![reducer::run_section()]);
    }
    if wanted("server") {
        record(vec![server_load::run_section(server_load::DEFAULT_LOAD)]);
    }
    if wanted("sse") {
        record(vec![sse::run_section(sse_plan)]);
    }
    if wanted("browser") {
        record(browser::run_sections(widget_built));
    }
    let mut reliability_outcome = Ok(());
    if wanted("reliability") {
        let (section, outcome) =
            reliability::run_section(&reliability_plan, widget_built, &machine);
        record(vec![section]);
        reliability_outcome = outcome;
    }
    if all {
        let path = root().join("BENCHMARKS.md");
        std::fs::write(&path, report::markdown(&machine, &sections))
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        eprintln!("\nbench: wrote {}", path.display());
    }
    let not_run: Vec<&str> = sections
        .iter()
        .filter(|section| section.not_run.is_some())
        .map(|section| section.title)
        .collect();
    if not_run.is_empty() {
        reliability_outcome
    } else {
        Err(format!("not measured: {}", not_run.join(", ")))
    }
}

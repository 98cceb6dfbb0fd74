//! Concurrent SSE agent streams against the reference server: how many it
//! holds, and how fast a published event reaches its agent.
//!
//! Each stream is one agent (`GET /cti/v1/agents/{agent}/events`, which logs
//! a new agent in): a stream counts as held once the login's
//! `agentStateChange` arrived on it. Then every held agent gets one
//! simulated call (`POST /sim/v1/calls` as the admin, from a few keep-alive
//! publisher connections at once), and the delivery latency of each is the
//! time from writing the POST to reading its `workitemCreate` on the agent's
//! stream: the server stores the event durably (SQLite, `synchronous=FULL`)
//! before it sends it, so this is what an agent waits for a call to show.
//!
//! The streams grow in steps (2,000, then doubling) on one server until a
//! step fails to hold or deliver, or the ceiling is reached.

use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::report::{Figure, Section};
use super::server::{self, RunningServer, millis};
use super::sse_publish;
use super::sse_stream::{self, StreamNews};
use crate::cmd::Result;

/// How far to push.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Streams of the first step; each later step doubles them.
    pub first_step: usize,
    /// The most streams to try (also bounded by the open-file limit).
    pub ceiling: usize,
    /// Concurrent publisher connections.
    pub publishers: usize,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            first_step: 2_000,
            ceiling: 8_000,
            publishers: 8,
        }
    }
}

/// Streams opened at once before waiting for them to be held.
const OPEN_BATCH: usize = 200;
/// How long a batch of streams may take to be held.
const OPEN_TIMEOUT: Duration = Duration::from_secs(60);
/// Descriptors kept free for everything else of a process.
const SPARE_DESCRIPTORS: usize = 256;

/// One step: `streams` opened at once, one call published to each.
#[derive(Debug, Clone)]
pub struct Step {
    pub streams: usize,
    pub held: usize,
    /// Streams this step added, and how long they took to be held.
    pub opened: usize,
    pub opening: Duration,
    pub delivered: usize,
    pub publishing: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// The publishers' POST latency p99 (the store's share of the delivery).
    pub post_p99: Duration,
    /// Errors of streams or publishers, if any (the first few).
    pub errors: Vec<String>,
}

impl Step {
    pub fn complete(&self) -> bool {
        self.held == self.streams && self.delivered == self.held
    }
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    pub steps: Vec<Step>,
    /// The open-file limit of the benchmark and the server.
    pub open_files: usize,
    /// Why the steps stopped.
    pub stopped: String,
}

impl Figures {
    /// The largest step held and delivered in full.
    pub fn largest_complete(&self) -> Option<&Step> {
        self.steps.iter().rfind(|step| step.complete())
    }
}

const TITLE: &str = "Server: SSE agent streams";
const COMMAND: &str = "cargo xtask bench sse";
/// The budgets.
const BUDGET_STREAMS: usize = 2_000;
const BUDGET_P99_MS: f64 = 50.0;

/// Measures `plan` and reports it with its budgets.
pub fn run_section(plan: Plan) -> Section {
    let method = format!(
        "The reference server (profile `server`, fresh durable SQLite) and one std thread per \
         stream in the benchmark. Each stream is a new agent (`GET \
         /cti/v1/agents/{{agent}}/events` as the admin, which logs the agent in); it counts as \
         held once the login's `agentStateChange` arrived on it. Then each held agent gets one \
         simulated call (`POST /sim/v1/calls`) from {} publisher connections at once; delivery \
         latency is from writing the POST to reading the call's `workitemCreate` on the \
         agent's stream (the server commits the event before sending it). Streams grow from \
         {} by doubling on the same server, up to {} or the open-file limit.",
        plan.publishers, plan.first_step, plan.ceiling
    );
    let figures = match measure(plan) {
        Ok(figures) => figures,
        Err(error) => return Section::not_run(TITLE, COMMAND, method, error),
    };
    section(&figures, method)
}

fn section(figures: &Figures, method: String) -> Section {
    let largest = figures.largest_complete();
    let held = largest.map_or(0, |step| step.streams);
    let p99 = largest.map_or(f64::INFINITY, |step| millis(step.p99));
    let mut section = Section::new(TITLE, COMMAND, method)
        .figure(
            Figure::new("concurrent streams held and delivered to", held.to_string()).budget(
                format!("≥ {BUDGET_STREAMS}"),
                held >= BUDGET_STREAMS,
                "see the errors below the table; more open files (`ulimit -n`) on both sides",
            ),
        )
        .figure(
            Figure::new(
                format!("delivery p99 at {held} streams"),
                format!("{p99:.1} ms"),
            )
            .budget(
                format!("≤ {BUDGET_P99_MS:.0} ms"),
                p99 <= BUDGET_P99_MS,
                "the delivery waits for the call's two commits behind one SQLite \
                 connection: commit the call and its event in one transaction, and group \
                 the commits of concurrent publishers",
            ),
        );
    if let Some(step) = largest {
        section = section
            .figure(Figure::new(
                format!("delivery p50 at {held} streams"),
                format!("{:.1} ms", millis(step.p50)),
            ))
            .figure(Figure::new(
                format!("delivery max at {held} streams"),
                format!("{:.1} ms", millis(step.max)),
            ));
    }
    let mut table = String::from(
        "| streams | held | opened in this step | delivered | delivery p50 | p99 | max | POST p99 | publishing all |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for step in &figures.steps {
        table.push_str(&format!(
            "| {} | {} | {} in {:.1} s | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} s |\n",
            step.streams,
            step.held,
            step.opened,
            step.opening.as_secs_f64(),
            step.delivered,
            millis(step.p50),
            millis(step.p99),
            millis(step.max),
            millis(step.post_p99),
            step.publishing.as_secs_f64(),
        ));
    }
    table.push_str(&format!(
        "\nStopped at: {}. Open-file limit of the benchmark and the server: {}.\n",
        figures.stopped, figures.open_files
    ));
    let errors: Vec<&String> = figures.steps.iter().flat_map(|step| &step.errors).collect();
    if !errors.is_empty() {
        table.push_str("\nFirst errors:\n\n");
        for error in errors.iter().take(5) {
            table.push_str(&format!("- {error}\n"));
        }
    }
    section.detail(table)
}

pub fn measure(plan: Plan) -> Result<Figures> {
    server::build()?;
    let open_files = server::raise_open_file_limit()?;
    let ceiling = plan
        .ceiling
        .min(open_files.saturating_sub(SPARE_DESCRIPTORS));
    let server = RunningServer::start("sse")?;
    let (news_sender, news) = mpsc::channel();
    let mut readers: Vec<JoinHandle<()>> = Vec::new();
    let mut held = vec![false; ceiling];
    let mut steps = Vec::new();
    let mut target = plan.first_step.min(ceiling);
    let stopped = loop {
        let started = Instant::now();
        let opened = target - readers.len();
        let mut errors = Vec::new();
        while readers.len() < target {
            let batch = readers.len()..(readers.len() + OPEN_BATCH).min(target);
            for index in batch.clone() {
                let reader =
                    sse_stream::spawn(server.address, index, agent(index), news_sender.clone())
                        .map_err(|error| format!("cannot start stream reader {index}: {error}"))?;
                readers.push(reader);
            }
            wait_until_held(&news, &mut held, batch, &mut errors);
        }
        let opening = started.elapsed();
        let round = steps.len() + 1;
        let agents: Vec<usize> = (0..target).filter(|index| held[*index]).collect();
        let step = sse_publish::round(&server, plan, round, &agents, &news, &mut held, opening)?;
        let step = Step {
            streams: target,
            opened,
            errors: errors.into_iter().chain(step.errors).take(5).collect(),
            ..step
        };
        let complete = step.complete();
        eprintln!(
            "sse: {} streams held of {} ({} opened in {:.1} s); {} calls delivered in {:.1} s, p99 {:.1} ms",
            step.held,
            step.streams,
            step.opened,
            step.opening.as_secs_f64(),
            step.delivered,
            step.publishing.as_secs_f64(),
            millis(step.p99)
        );
        steps.push(step);
        if !complete {
            break "a step did not hold or deliver every stream".to_owned();
        }
        if target >= ceiling {
            break if ceiling < plan.ceiling {
                format!("the open-file limit ({open_files}) allows no more streams on this machine")
            } else {
                format!(
                    "the benchmark's ceiling ({} streams; `cargo xtask bench sse --max-streams N` to go further)",
                    plan.ceiling
                )
            };
        }
        target = (target * 2).min(ceiling);
    };
    // The readers end when the server closes their connections.
    drop(server);
    for reader in readers {
        let _ = reader.join();
    }
    Ok(Figures {
        steps,
        open_files,
        stopped,
    })
}

/// The agent of stream `index`.
pub fn agent(index: usize) -> String {
    format!("sse-bench-agent-{index}")
}

/// Reads stream news until every stream of `batch` is held or failed, or
/// the batch timed out.
fn wait_until_held(
    news: &Receiver<StreamNews>,
    held: &mut [bool],
    batch: std::ops::Range<usize>,
    errors: &mut Vec<String>,
) {
    let deadline = Instant::now() + OPEN_TIMEOUT;
    let mut waiting = batch.len();
    while waiting > 0 {
        match news.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(StreamNews::Held { index }) => {
                held[index] = true;
                if batch.contains(&index) {
                    waiting -= 1;
                }
            }
            Ok(StreamNews::Failed { index, error }) => {
                let was_held = std::mem::replace(&mut held[index], false);
                if batch.contains(&index) && !was_held {
                    waiting -= 1;
                }
                errors.push(format!("stream {index}: {error}"));
            }
            Ok(StreamNews::Delivered { .. }) => {}
            Err(_) => {
                errors.push(format!(
                    "{waiting} streams not held within {OPEN_TIMEOUT:?}"
                ));
                return;
            }
        }
    }
}

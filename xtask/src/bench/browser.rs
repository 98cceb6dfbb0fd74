//! The browser benchmarks: Playwright specs in `tests/bench/` (config
//! `playwright.bench.config.ts`) against the release build served by the
//! reference server, in the machine's headless Chromium. Each spec writes its
//! figures as `key value` lines to `target/bench/browser/<name>.txt`; this
//! module turns them into report sections with their budgets.

use std::collections::HashMap;
use std::path::Path;

use super::report::{Figure, Section};
use super::server;
use crate::cmd::{Result, cmd, root, run};

const COLD_START: (&str, &str) = ("Browser: cold start", "cold-start");
const EVENT_PATH: (&str, &str) = ("Browser: event path", "event-path");
const COUNTDOWN: (&str, &str) = ("Browser: countdown accuracy", "countdown");
const MEMORY: (&str, &str) = ("Browser: memory", "memory");
const COMMAND: &str = "cargo xtask bench browser";

const COLD_START_METHOD: &str = "20 navigations to `/?agent=…`, each in a fresh browser context \
    (empty HTTP cache), served from 127.0.0.1 (no network latency: the figure is the browser's \
    own work). The widget sets no Performance mark, so a MutationObserver installed before any \
    page script notes when `[data-testid=idle]` first appears; the time is `performance.now()` \
    there, counted from the navigation's start (`tests/bench/cold-start.spec.ts`).";
const EVENT_PATH_METHOD: &str = "1,000 call lifecycles of 10 b+s events each (create, connect, \
    agent Active, call variable changed, pause, resume, wrap-up, agent Wrapup, end, agent \
    NotReady) fed to the running widget as a host page does: a `wrapup:cti-event` CustomEvent on \
    window with the event's JSON text. Each event is timed in the page from its dispatch to the \
    last DOM mutation or `cil` callback it caused before the next task. Between the wrap-up and \
    the end the widget does its real backend work against the reference server (the segment, \
    the submission through `cil.submitWrapup`): that is in the total time, not in an event's. \
    Callbacks are counted per workitem and event (`tests/bench/event-path.spec.ts`, \
    `driver.ts`).";
const COUNTDOWN_METHOD: &str = "A real 10-minute wrap-up from the CTI simulator; every change of \
    the displayed m:ss is noted with its time and compared with the true remaining time \
    (the server's `opened_on + duration` minus the wall clock). The display rounds up to whole \
    seconds, so a correct display is up to 1 s above the true time; the error is how long the \
    visible display had been out of date beyond that. Phases: 2 min visible; 60 s hidden, then \
    15 s visible; a reload, then 15 s. Headless Chromium keeps pages visible, so hiding is \
    emulated: `visibilityState` reads `hidden` (with `visibilitychange`) and the page's \
    JavaScript is paused through the DevTools protocol for the 60 s, harsher than a real \
    background tab (`tests/bench/countdown.spec.ts`).";
const MEMORY_METHOD: &str = "The event path's call lifecycles, each through its wrap-up and \
    submission, 10,000 of them in one page. After 100 and after 10,000: the JS heap in use after \
    forced garbage collections (DevTools `Runtime.getHeapUsage`) and the wasm linear memory \
    (`WebAssembly.Memory` of the module Trunk's loader hands out; it never shrinks, so this is \
    its high-water mark). Growth is the sum of both (`tests/bench/memory.spec.ts`).";

/// Budgets of issue #7.
const COLD_START_BUDGET_MS: f64 = 150.0;
const EVENT_P99_BUDGET_MS: f64 = 2.0;
const COUNTDOWN_BUDGET_MS: f64 = 250.0;
const MEMORY_GROWTH_BUDGET_MB: f64 = 1.0;

/// Runs the browser benchmarks; `widget_built` skips the widget's build when
/// the bundle benchmark just made it.
pub fn run_sections(widget_built: bool) -> Vec<Section> {
    let out = root().join("target").join("bench").join("browser");
    let ran = run_playwright(widget_built, &out);
    [COLD_START, EVENT_PATH, COUNTDOWN, MEMORY]
        .into_iter()
        .map(|(title, name)| {
            let method = match name {
                "cold-start" => COLD_START_METHOD,
                "event-path" => EVENT_PATH_METHOD,
                "countdown" => COUNTDOWN_METHOD,
                _ => MEMORY_METHOD,
            };
            let not_run = |why: String| Section::not_run(title, COMMAND, method, why);
            let Some(values) = read_values(&out.join(format!("{name}.txt"))) else {
                return not_run(match &ran {
                    Err(error) => error.clone(),
                    Ok(()) => format!("tests/bench wrote no {name}.txt"),
                });
            };
            if let Some(error) = values.get("error") {
                return not_run(error.clone());
            }
            let section = Section::new(title, COMMAND, method);
            let built = match name {
                "cold-start" => cold_start(section, &values),
                "event-path" => event_path(section, &values),
                "countdown" => countdown(section, &values),
                _ => memory(section, &values),
            };
            built.unwrap_or_else(|missing| {
                not_run(format!("{name}.txt lacks the figure `{missing}`"))
            })
        })
        .collect()
}

fn run_playwright(widget_built: bool, out: &Path) -> Result {
    crate::setup::ensure(crate::setup::Needs::everything())?;
    if !widget_built {
        crate::run::build_widget()?;
    }
    server::build()?;
    // Figures of an earlier run must not pass for this one's.
    std::fs::remove_dir_all(out).ok();
    std::fs::create_dir_all(out).map_err(|error| format!("{}: {error}", out.display()))?;
    run(cmd(
        "npx",
        &["playwright", "test", "-c", "playwright.bench.config.ts"],
    )
    .env("WRAPUP_SERVER_BIN", server::binary())
    .env("WRAPUP_BENCH_OUT", out))
    .map_err(|error| format!("{error}: its console output tells why"))
}

/// A spec's `key value` lines.
pub(super) fn read_values(path: &Path) -> Option<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect(),
    )
}

/// A figure that must be there (its key is the error otherwise).
fn number(values: &HashMap<String, String>, key: &str) -> std::result::Result<f64, String> {
    values
        .get(key)
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| key.to_owned())
}

fn text<'a>(values: &'a HashMap<String, String>, key: &str) -> &'a str {
    values.get(key).map_or("", String::as_str)
}

type Built = std::result::Result<Section, String>;

fn cold_start(section: Section, values: &HashMap<String, String>) -> Built {
    let median = number(values, "idle_median_ms")?;
    Ok(section
        .figure(
            Figure::new("navigation → idle rendered, median", ms(median)).budget(
                format!("≤ {COLD_START_BUDGET_MS:.0} ms"),
                median <= COLD_START_BUDGET_MS,
                "the wasm module is fetched, compiled and instantiated before anything renders, \
                 and that is most of the time (`navigation → wasm instantiated` below): a \
                 smaller module (see the bundle) is the lever. The page already asks for \
                 `/config.json` while the wasm downloads, and the widget is painted before \
                 its runtime starts. The figure is noisy on a shared machine: compare builds \
                 in interleaved runs before trusting a change",
            ),
        )
        .figure(Figure::new(
            "navigation → idle rendered, p90",
            ms(number(values, "idle_p90_ms")?),
        ))
        .figure(Figure::new(
            "min / max",
            format!(
                "{} / {}",
                ms(number(values, "idle_min_ms")?),
                ms(number(values, "idle_max_ms")?)
            ),
        ))
        .figure(Figure::new(
            "navigation → wasm instantiated, median",
            ms(number(values, "wasm_started_median_ms")?),
        ))
        .figure(Figure::new(
            "navigation → HTML received, median",
            ms(number(values, "html_received_median_ms")?),
        ))
        .figure(Figure::new("runs", text(values, "runs"))))
}

fn event_path(section: Section, values: &HashMap<String, String>) -> Built {
    let p99 = number(values, "p99_ms")?;
    let expected = number(values, "callbacks_expected")?;
    let once = number(values, "callbacks_exactly_once")?;
    let events = number(values, "events")?;
    Ok(section
        .figure(Figure::new(
            "events fed (call lifecycles)",
            format!("{events:.0} ({})", text(values, "lifecycles")),
        ))
        .figure(Figure::new(
            "total time, with the backend's work",
            format!("{:.1} s", number(values, "total_s")?),
        ))
        .figure(Figure::new(
            "time handling the events",
            format!("{:.0} ms", number(values, "handling_total_ms")?),
        ))
        .figure(Figure::new(
            "event → DOM + callbacks, p50",
            ms(number(values, "p50_ms")?),
        ))
        .figure(Figure::new("event → DOM + callbacks, p99", ms(p99)).budget(
            format!("≤ {EVENT_P99_BUDGET_MS:.0} ms"),
            p99 <= EVENT_P99_BUDGET_MS,
            "the p99 is spread over every kind of event (see the figures by event), so it is the \
             fixed cost of each dispatch rather than one slow path (network work already \
             starts after the DOM update): every Desk change notifies every memo and view \
             that reads the whole Desk; per-workitem signals would let an event re-render \
             only its own card. The figure is close and noisy: re-measure on an idle machine \
             first",
        ))
        .figure(Figure::new(
            "event → DOM + callbacks, max",
            ms(number(values, "max_ms")?),
        ))
        .figure(
            Figure::new(
                "callbacks fired exactly once",
                format!(
                    "{once:.0} of {expected:.0} (missing {}, repeated {}; first: {})",
                    text(values, "callbacks_missing"),
                    text(values, "callbacks_repeated"),
                    text(values, "first_problems"),
                ),
            )
            .budget(
                "every one",
                once == expected && expected == events,
                "a callback missing or repeated breaks invariant 3 (exactly-once callbacks): \
                 a Desk or bridge bug, see crates/core/tests/desk_cil_events.rs",
            ),
        )
        .figure(Figure::new(
            "other callbacks (not fed by the benchmark)",
            text(values, "other_callbacks"),
        ))
        .figure(Figure::new(
            "DOM updates later than the next task",
            text(values, "deferred_dom_updates"),
        ))
        .detail(format!(
            "By event, p50/p99 in ms: {}.\n",
            text(values, "by_event")
        )))
}

fn countdown(section: Section, values: &HashMap<String, String>) -> Built {
    let worst = number(values, "worst_stale_ms")?;
    let phase = |stale: &str, difference: &str| -> std::result::Result<String, String> {
        Ok(format!(
            "{} (display − true: up to {})",
            ms(number(values, stale)?),
            ms(number(values, difference)?)
        ))
    };
    Ok(section
        .figure(
            Figure::new("largest error beyond the 1 s resolution", ms(worst)).budget(
                format!("≤ {COUNTDOWN_BUDGET_MS:.0} ms"),
                worst <= COUNTDOWN_BUDGET_MS,
                "the clock ticks just after each displayed second begins, so an error this \
                 large is a late timer (a busy main thread) or a tick not re-planned when a \
                 countdown appeared: see which phase it comes from below",
            ),
        )
        .figure(Figure::new(
            format!("visible, {} s", text(values, "visible_s")),
            phase("visible_stale_ms", "visible_difference_ms")?,
        ))
        .figure(Figure::new(
            "visible: median lag of a change of the display",
            ms(number(values, "visible_median_lag_ms")?),
        ))
        .figure(Figure::new(
            "after 60 s hidden: display updated after becoming visible",
            ms(number(values, "after_hidden_corrected_ms")?),
        ))
        .figure(Figure::new(
            "after 60 s hidden, next 15 s",
            phase("after_hidden_stale_ms", "after_hidden_difference_ms")?,
        ))
        .figure(Figure::new(
            "after a reload: countdown shown after",
            ms(number(values, "after_reload_shown_ms")?),
        ))
        .figure(Figure::new(
            "after a reload, next 15 s",
            phase("after_reload_stale_ms", "after_reload_difference_ms")?,
        )))
}

fn memory(section: Section, values: &HashMap<String, String>) -> Built {
    let growth = number(values, "growth_mb")?;
    let pair = |first: &str, last: &str| -> std::result::Result<String, String> {
        Ok(format!(
            "{:.2} MB → {:.2} MB",
            number(values, first)?,
            number(values, last)?
        ))
    };
    Ok(section
        .figure(Figure::new(
            "JS heap, 100 → 10,000 lifecycles",
            pair("js_heap_100_mb", "js_heap_10000_mb")?,
        ))
        .figure(Figure::new(
            "wasm memory, 100 → 10,000 lifecycles",
            pair("wasm_100_mb", "wasm_10000_mb")?,
        ))
        .figure(
            Figure::new("growth (JS heap + wasm)", format!("{growth:.2} MB")).budget(
                format!("≤ {MEMORY_GROWTH_BUDGET_MB:.0} MB"),
                growth <= MEMORY_GROWTH_BUDGET_MB,
                "something is kept per call (localStorage stays flat, so it is in memory): \
                 count the wasm allocator's live bytes 1,000 lifecycles apart (a counting \
                 `#[global_allocator]` in a scratch build found the reactive graph's dead \
                 subscribers this way, vendor/README.md), then bound what is kept per \
                 workitem as the Desk bounds its tombstones",
            ),
        )
        .figure(Figure::new(
            "DOM elements, 100 → 10,000",
            format!(
                "{} → {}",
                text(values, "dom_elements_100"),
                text(values, "dom_elements_10000")
            ),
        ))
        .figure(Figure::new(
            "localStorage characters, 100 → 10,000",
            format!(
                "{} → {}",
                text(values, "local_storage_chars_100"),
                text(values, "local_storage_chars_10000")
            ),
        ))
        .figure(Figure::new(
            "time for the 10,000 lifecycles",
            format!("{:.0} s", number(values, "duration_s")?),
        ))
        .figure(Figure::new(
            "time per lifecycle, first 100 → last 100",
            format!(
                "{} → {}",
                ms(number(values, "lifecycle_first_100_ms")?),
                ms(number(values, "lifecycle_last_100_ms")?)
            ),
        )))
}

fn ms(value: f64) -> String {
    format!("{value:.1} ms")
}

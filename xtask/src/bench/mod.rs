//! `cargo xtask bench`: measurements of speed, reported as figures (tests
//! never time anything).

mod http;
mod server_load;

use crate::cmd::Result;

/// Runs the benchmarks and prints their figures.
pub fn bench() -> Result {
    let load = server_load::Load {
        updates: 20_000,
        concurrency: 16,
    };
    let figures = server_load::measure(load)?;
    println!(
        "\nserver: {} wrap-up updates over {} connections, durable SQLite\n  \
         throughput  {:.0} updates/s\n  latency p50 {:.2} ms\n  latency p99 {:.2} ms\n  latency max {:.2} ms",
        figures.load.updates,
        figures.load.concurrency,
        figures.per_second,
        millis(figures.p50),
        millis(figures.p99),
        millis(figures.max),
    );
    Ok(())
}

fn millis(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

//! `cargo xtask bench`: measurements of speed, reported as figures (tests
//! never time anything).

mod bundle;
mod http;
mod server_load;

use crate::cmd::Result;

/// Runs the benchmarks named in `args` (`bundle`, `server`; all when empty)
/// and prints their figures.
pub fn bench(args: &[String]) -> Result {
    let wanted = |name: &str| args.is_empty() || args.iter().any(|arg| arg == name);
    if wanted("bundle") {
        crate::setup::ensure(crate::setup::Needs::build_only())?;
        crate::run::build_widget()?;
        println!(
            "\nbundle (dist/, what the widget page downloads):\n\n{}",
            bundle::table(&bundle::measure()?)
        );
    }
    if !wanted("server") {
        return Ok(());
    }
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

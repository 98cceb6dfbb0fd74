//! Events per second through the `Desk` reducer: whole call lifecycles, the
//! inputs a widget applies for one call from alerting to the end.
//!
//! One lifecycle is [`LIFECYCLE_INPUTS`] inputs: create, connect, pause,
//! resume, wrap-up, the backend's segment, the agent's code, notes and
//! submit, the outbox's sent and confirmed, end. The inputs are built outside
//! the timed routine; the desk lives across iterations, as the widget's does,
//! so its tombstones are full and every call has a fresh id.
//!
//! `cargo xtask bench core` runs this and reads events/s from
//! `target/criterion/desk/*/new/estimates.json`.

#[path = "../tests/desk_support/mod.rs"]
mod desk_support;

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use desk_support::*;
use wrapup_core::desk::{AgentAction, BackendAnswer, Desk, Effect, Input};

/// Inputs of one call lifecycle.
const LIFECYCLE_INPUTS: usize = 12;
/// Calls in flight at once in the interleaved benchmark.
const CONCURRENT_CALLS: usize = 10;

/// The inputs of call `id`'s lifecycle, each with its instant, starting at `start`.
fn lifecycle(id: &str, start: DateTime<Utc>) -> Vec<(DateTime<Utc>, Input)> {
    let backend = |answer: BackendAnswer| Input::Backend(answer);
    let inputs = vec![
        create(id),
        connect(id),
        pause(id),
        resume(id),
        wrapup(id),
        segment_opened(id, config(Some(120)), start + TimeDelta::seconds(40)),
        select(id, "Sales"),
        agent(AgentAction::EditNotes {
            workitem_id: id.to_owned(),
            notes: "Customer wants the premium plan; call back Monday.".to_owned(),
        }),
        submit(id),
        backend(BackendAnswer::SubmissionSent {
            workitem_id: id.to_owned(),
        }),
        backend(BackendAnswer::SubmissionConfirmed {
            workitem_id: id.to_owned(),
        }),
        end(id),
    ];
    debug_assert_eq!(inputs.len(), LIFECYCLE_INPUTS);
    inputs
        .into_iter()
        .zip(0_i64..)
        .map(|(input, step)| (start + TimeDelta::seconds(10 * step), input))
        .collect()
}

/// Fails the benchmark early if a lifecycle no longer runs to its end (a
/// changed rule would otherwise make it measure a shortcut).
fn check_lifecycle() {
    let mut desk = Desk::new();
    let effects: Vec<Effect> = lifecycle("check", at(0))
        .into_iter()
        .flat_map(|(now, input)| desk.apply(now, input))
        .collect();
    assert_eq!(
        submissions(&effects).len(),
        1,
        "one submission: {effects:?}"
    );
    assert_eq!(desk.workitems().count(), 0, "the call ended");
    assert_eq!(desk.sessions().count(), 0, "the wrap-up is settled");
}

fn desk_benchmarks(criterion: &mut Criterion) {
    check_lifecycle();
    let mut group = criterion.benchmark_group("desk");
    group.measurement_time(Duration::from_secs(5));

    // One call after another through a long-lived desk.
    group.throughput(Throughput::Elements(LIFECYCLE_INPUTS as u64));
    let mut desk = Desk::new();
    let mut call = 0_i64;
    group.bench_function("lifecycle", |bencher| {
        bencher.iter_batched(
            || {
                call += 1;
                lifecycle(&format!("call-{call}"), at(call * 600))
            },
            |inputs| {
                for (now, input) in inputs {
                    black_box(desk.apply(now, input));
                }
            },
            BatchSize::SmallInput,
        );
    });

    // Ten calls at once, their inputs interleaved: a busy desk.
    group.throughput(Throughput::Elements(
        (LIFECYCLE_INPUTS * CONCURRENT_CALLS) as u64,
    ));
    let mut desk = Desk::new();
    let mut round = 0_i64;
    group.bench_function("interleaved_10_calls", |bencher| {
        bencher.iter_batched(
            || {
                round += 1;
                let calls: Vec<_> = (0..CONCURRENT_CALLS)
                    .map(|index| lifecycle(&format!("call-{round}-{index}"), at(round * 600)))
                    .collect();
                interleave(calls)
            },
            |inputs| {
                for (now, input) in inputs {
                    black_box(desk.apply(now, input));
                }
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// The first input of every call, then the second of every call, and so on.
fn interleave(calls: Vec<Vec<(DateTime<Utc>, Input)>>) -> Vec<(DateTime<Utc>, Input)> {
    let mut iterators: Vec<_> = calls.into_iter().map(Vec::into_iter).collect();
    let mut inputs = Vec::new();
    for _ in 0..LIFECYCLE_INPUTS {
        inputs.extend(iterators.iter_mut().filter_map(Iterator::next));
    }
    inputs
}

criterion_group!(benches, desk_benchmarks);
criterion_main!(benches);

//! Leptos' reactive primitives behind functions compiled once.
//!
//! `Effect::new` is generic over its function: every effect of the widget
//! compiled its own copy of the effect's task (the loop that waits for a
//! change, tracks, runs and tracks again), about 600 bytes of wasm each.
//! The function is boxed here, so the task is compiled once for all of them;
//! an effect runs and tracks exactly as `Effect::new` makes it.

use leptos::prelude::*;

/// `Effect::new(move |_| run())`: runs `run` once the current task is over,
/// and again whenever a signal it read changes. Like every `Effect::new` of
/// the widget, each call names the outside system it keeps in step.
pub fn effect(run: impl FnMut() + 'static) {
    effect_boxed(Box::new(run));
}

fn effect_boxed(mut run: Box<dyn FnMut()>) {
    Effect::new(move |_| run());
}

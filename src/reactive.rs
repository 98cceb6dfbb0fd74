//! Leptos' reactive primitives behind functions compiled once.
//!
//! `Effect::new` is generic over its function: every effect of the widget
//! compiled its own copy of the effect's task (the loop that waits for a
//! change, tracks, runs and tracks again), about 600 bytes of wasm each.
//! The function is boxed here, so the task is compiled once for all of them;
//! an effect runs and tracks exactly as `Effect::new` makes it. Memos and
//! event handlers are boxed the same way ([`memo`], [`handler`]).

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

/// `Memo::new(move |_| read())` with `read` boxed: the memo's code (calling
/// `read`, comparing with the value before) is compiled once per value
/// type rather than once per closure, so the widget's many flags, texts and
/// lists share it. The memo reads, tracks and notifies as `Memo::new`'s does.
pub fn memo<T>(read: impl Fn() -> T + Send + Sync + 'static) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    memo_boxed(Box::new(read))
}

fn memo_boxed<T>(read: Box<dyn Fn() -> T + Send + Sync>) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| read())
}

/// An event handler of the one type every handler of its event shares
/// (`on:click=handler(move |_| …)`): Leptos compiles an event listener's
/// attaching, cloning and type-erased attribute code once per handler type,
/// and every closure is a type of its own.
pub fn handler<E: 'static>(run: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(run)
}

/// `expect_context::<T>()`: the value of type `T` that an ancestor provided.
/// Leptos' own writes its panic message with `Debug` (the caller's location
/// and the type's name), which links the escaping of `Debug` text into the
/// wasm for a panic that never happens; this one's message is plain text.
///
/// # Panics
/// When no ancestor provided a `T`: a mistake in the widget's own views.
#[track_caller]
pub fn context<T: Clone + 'static>() -> T {
    use_context().expect("a context the widget's App provides")
}

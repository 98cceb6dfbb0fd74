//! The lifetime of one runtime: every timer it sets by hand, and the flag its
//! tasks check, ended together when the widget's owner is cleaned up.
//!
//! Leptos 0.8 does not clear a `set_timeout` on cleanup, and a spawned task
//! cannot be cancelled from outside; so timers go through [`Lifetime::after`]
//! and [`Lifetime::sleep`], which [`Lifetime::end`] clears, and loops stop
//! when `sleep` says the lifetime is over. A wait can be cut short
//! ([`Lifetime::sleep_wakeable`], [`Lifetime::wake`]): the agent's Retry.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Poll, Waker};

use chrono::TimeDelta;
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};

type Action = Box<dyn FnOnce()>;

/// What a sleep waits for: its timer's action rings it. A plain cell
/// rather than a channel: one task, one thread.
#[derive(Default)]
struct Bell {
    rung: Cell<bool>,
    sleeper: Cell<Option<Waker>>,
}

/// The timer's end of a [`Bell`]: dropped once the action ran, or unrung
/// with the action (the lifetime ended, no timer could be set), it wakes
/// the sleeper either way.
struct Ringer(Rc<Bell>);

impl Drop for Ringer {
    fn drop(&mut self) {
        if let Some(sleeper) = self.0.sleeper.take() {
            sleeper.wake();
        }
    }
}

/// A timer set and not fired yet.
struct Timer {
    handle: TimeoutHandle,
    // The action is kept here, not in the JS closure, so that ending the
    // lifetime drops it (and with it the ringer of the bell `sleep` waits on).
    action: Action,
}

#[derive(Default)]
struct Timers {
    ended: Cell<bool>,
    next_id: Cell<u64>,
    /// A plain list: a runtime has a few timers at a time.
    set: RefCell<Vec<(u64, Timer)>>,
}

impl Timers {
    /// Takes timer `id` out, if it has not fired yet.
    fn take(&self, id: u64) -> Option<Timer> {
        let mut set = self.set.borrow_mut();
        let index = set.iter().position(|(set_id, _)| *set_id == id)?;
        Some(set.swap_remove(index).1)
    }
}

/// The timers and the end flag of one runtime; cheap to clone.
#[derive(Clone, Default)]
pub struct Lifetime {
    timers: Rc<Timers>,
}

impl std::fmt::Debug for Lifetime {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Lifetime")
            .field("ended", &self.is_ended())
            .field("timers", &self.pending_timers())
            .finish()
    }
}

impl Lifetime {
    /// A lifetime that has not ended.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether [`Lifetime::end`] was called.
    pub fn is_ended(&self) -> bool {
        self.timers.ended.get()
    }

    /// How many timers are set and have not fired.
    pub fn pending_timers(&self) -> usize {
        self.timers.set.borrow().len()
    }

    /// Runs `action` once after `delay`, unless the lifetime ends first.
    /// Returns whether the timer was set.
    pub fn after(&self, delay: TimeDelta, action: impl FnOnce() + 'static) -> bool {
        self.set_timer(delay, Box::new(action)).is_some()
    }

    /// Sets a timer running `action` after `delay`; its id, unless the
    /// lifetime has ended or the browser refused the timer.
    fn set_timer(&self, delay: TimeDelta, action: Action) -> Option<u64> {
        if self.is_ended() {
            return None;
        }
        let id = self.timers.next_id.get();
        self.timers.next_id.set(id + 1);
        let timers: Weak<Timers> = Rc::downgrade(&self.timers);
        let fire = move || {
            if let Some(timer) = timers.upgrade().and_then(|timers| timers.take(id)) {
                (timer.action)();
            }
        };
        // A timeout never fires within the task that set it: the timer is
        // kept before it can.
        let handle = set_timeout_with_handle(fire, delay.to_std().unwrap_or_default()).ok()?;
        self.timers
            .set
            .borrow_mut()
            .push((id, Timer { handle, action }));
        Some(id)
    }

    /// Waits `delay`; returns `false` at once if the lifetime has ended or
    /// when it ends meanwhile, so that a retry loop stops. The timer is set
    /// at the call. The wait is [`Lifetime::sleep_wakeable`]'s own future,
    /// not one wrapping it: every wait of the runtime's tasks is one future
    /// type, compiled once.
    pub fn sleep(&self, delay: TimeDelta) -> impl Future<Output = bool> + 'static {
        self.sleep_wakeable(delay).1
    }

    /// A [`Lifetime::sleep`] that [`Lifetime::wake`] with the id returned
    /// ends early (no id: the wait says `false` at once).
    pub fn sleep_wakeable(
        &self,
        delay: TimeDelta,
    ) -> (Option<u64>, impl Future<Output = bool> + 'static) {
        let bell = Rc::new(Bell::default());
        let ringer = Ringer(Rc::clone(&bell));
        let id = self.set_timer(
            delay,
            Box::new(move || {
                let ringer = ringer;
                ringer.0.rung.set(true);
            }),
        );
        let rung = std::future::poll_fn(move |context| {
            if bell.rung.get() {
                Poll::Ready(true)
            } else if Rc::strong_count(&bell) == 1 {
                // The ringer is gone unrung: the lifetime ended.
                Poll::Ready(false)
            } else {
                bell.sleeper.set(Some(context.waker().clone()));
                Poll::Pending
            }
        });
        let lifetime = self.clone();
        (id, async move { rung.await && !lifetime.is_ended() })
    }

    /// Fires timer `id` now, if it has not fired yet.
    pub fn wake(&self, id: u64) {
        if let Some(timer) = self.timers.take(id) {
            timer.handle.clear();
            (timer.action)();
        }
    }

    /// Ends the lifetime: clears every pending timer and drops its action.
    pub fn end(&self) {
        self.timers.ended.set(true);
        let timers = std::mem::take(&mut *self.timers.set.borrow_mut());
        for (_, timer) in timers {
            timer.handle.clear();
        }
    }
}

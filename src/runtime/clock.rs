//! `use_clock`: the one hook that moves `store.now`.
//!
//! The countdown is `deadline − now`, so the clock only has to be fresh, not
//! regular: it ticks every 250 ms while a wrap-up deadline is pending (smooth
//! mm:ss and a prompt automatic submission), once a second otherwise (times
//! in state), and at once when the tab becomes visible again — a throttled
//! background tab is right the moment it wakes.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::store::DeskStore;

/// Options of [`use_clock_with_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseClockOptions {
    /// Interval while a countdown runs, in ms (default 250).
    pub fast_ms: u64,
    /// Interval otherwise, in ms (default 1000).
    pub slow_ms: u64,
}

impl Default for UseClockOptions {
    fn default() -> Self {
        Self {
            fast_ms: 250,
            slow_ms: 1000,
        }
    }
}

/// The browser's clock, `Date.now()`.
pub fn browser_now() -> DateTime<Utc> {
    // Date.now() is an integral number of ms well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// Refreshes `store.now` with the default options.
pub fn use_clock(store: DeskStore) {
    use_clock_with_options(store, UseClockOptions::default());
}

/// Refreshes `store.now` from `Date.now()`; the interval and the
/// `visibilitychange` listener are removed when the owner is cleaned up.
pub fn use_clock_with_options(store: DeskStore, options: UseClockOptions) {
    store.set_time_source(browser_now);
    store.set_now(browser_now());
    let fast = std::time::Duration::from_millis(options.fast_ms);
    let slow_every = (options.slow_ms / options.fast_ms.max(1)).max(1);
    let ticks = StoredValue::new(0_u64);
    // Outside system: the browser's timer queue.
    let interval = set_interval_with_handle(
        move || {
            let counting = store
                .desk
                .with_untracked(|desk| desk.next_deadline().is_some());
            let tick = ticks.get_value() + 1;
            ticks.set_value(tick);
            if counting || tick.is_multiple_of(slow_every) {
                store.set_now(browser_now());
            }
        },
        fast,
    );
    // Outside system: the document's visibility.
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        store.set_now(browser_now());
    });
    on_cleanup(move || {
        if let Ok(interval) = interval {
            interval.clear();
        }
        visibility.remove();
    });
}

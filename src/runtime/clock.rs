//! `use_clock`: the one hook that moves `store.now`, in the CTI system's
//! time (the browser's clock corrected by `store.clock_skew`, which
//! [`keep_clock_skew`] keeps across a reload).
//!
//! The countdown is `deadline − now`, so the clock only has to be fresh, not
//! regular: while a wrap-up deadline is pending it ticks every 250 ms at
//! most (a smooth ring and a prompt automatic submission) and right as a
//! countdown's next second begins (`m:ss` on time); once a second otherwise
//! (times in state); and at once when the tab becomes visible again — a
//! throttled background tab is right the moment it wakes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use wrapup_core::clock_skew::ClockSkew;
use wrapup_core::desk::until_next_second;

use super::storage::LocalStore;
use crate::reactive::effect;
use crate::store::DeskStore;

/// Options of [`use_clock_with_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseClockOptions {
    /// Longest interval while a countdown runs, in ms (default 250).
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

/// The CTI system's time now: the browser's clock corrected by
/// `store.clock_skew`. Every reading of the clock goes through it.
pub fn cti_now(store: DeskStore) -> DateTime<Utc> {
    store.cti_time(browser_now())
}

/// Where the estimate of the clocks' difference is stored.
const SKEW_KEY: &str = "clock-skew";

/// Restores how far the browser's clock is from the CTI system's (a
/// reload's replayed events tell nothing of it, and a wrap-up restored on a
/// clock minutes ahead would expire at once) and keeps it as it changes.
pub fn keep_clock_skew(store: DeskStore, storage: LocalStore) {
    let stored = storage.get_text(SKEW_KEY);
    let skew = stored
        .as_deref()
        .map(ClockSkew::from_text)
        .unwrap_or_default();
    // Stored at once too: the page's value, which a CRM page that connects
    // late merges as this page's rather than an earlier visit's.
    storage.set_text(SKEW_KEY, &skew.to_text());
    store.keep_clock_skew(skew, move |skew| {
        storage.set_text(SKEW_KEY, &skew.to_text());
    });
    if stored.is_some() {
        store.set_now(cti_now(store));
    }
}

/// Refreshes `store.now` with the default options.
pub fn use_clock(store: DeskStore) {
    use_clock_with_options(store, UseClockOptions::default());
}

/// Refreshes `store.now` from `Date.now()`, corrected to the CTI system's
/// clock ([`DeskStore::cti_time`]); the timer and the `visibilitychange`
/// listener are removed when the owner is cleaned up.
///
/// While a countdown runs, the next tick is at most `fast_ms` away and lands
/// just after the moment a countdown shows its next second, so `m:ss` turns
/// when the true remaining time does rather than up to a tick later. A new
/// or moved deadline (a wrap-up opening, an extension) re-plans at once.
pub fn use_clock_with_options(store: DeskStore, options: UseClockOptions) {
    store.set_time_source(move || cti_now(store));
    store.set_now(cti_now(store));
    let ticker = Ticker {
        store,
        options,
        pending: StoredValue::new(None),
    };
    // Outside system: the browser's timer queue. The first tick is planned
    // from the deadlines, and every change of the Desk re-plans it — also
    // one made before the effect first ran (a wrap-up restored while the
    // widget starts). A change that moved no deadline plans the same tick
    // again: cheaper than a memo of the deadlines, one more reactive type.
    effect(move || {
        store.desk.track();
        ticker.schedule();
    });
    // Outside system: the document's visibility.
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        store.set_now(cti_now(store));
        ticker.schedule();
    });
    on_cleanup(move || {
        if let Some(handle) = ticker.pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        visibility.remove();
    });
}

/// The clock's one pending tick and what plans it.
#[derive(Clone, Copy)]
struct Ticker {
    store: DeskStore,
    options: UseClockOptions,
    pending: StoredValue<Option<TimeoutHandle>>,
}

impl Ticker {
    /// Replaces the pending tick with one at the next moment the clock must
    /// move; each tick moves `store.now` and plans the next.
    fn schedule(self) {
        let options = self.options;
        let delay = self.store.desk.with_untracked(|desk| {
            until_next_second(desk.running_deadlines(), cti_now(self.store)).map_or(
                options.slow_ms,
                |change| {
                    // 1 ms past the change: a timer never fires early, but
                    // the clock it reads has whole milliseconds.
                    let change = u64::try_from(change.num_milliseconds()).unwrap_or(0) + 1;
                    change.min(options.fast_ms)
                },
            )
        });
        let tick = move || {
            // Gone with the owner: the widget was unmounted.
            if self
                .pending
                .try_update_value(|pending| *pending = None)
                .is_none()
            {
                return;
            }
            self.store.set_now(cti_now(self.store));
            self.schedule();
        };
        let Ok(handle) = set_timeout_with_handle(tick, Duration::from_millis(delay)) else {
            return;
        };
        match self
            .pending
            .try_update_value(|pending| pending.replace(handle))
        {
            Some(Some(previous)) => previous.clear(),
            Some(None) => {}
            // The owner is gone: this tick must not run.
            None => handle.clear(),
        }
    }
}

//! How far the browser's clock is from the CTI system's.
//!
//! A wrap-up's deadline is the CTI system's (`opened_on + duration`), but
//! the browser reads its own clock. An agent PC whose clock is five minutes
//! ahead would see every wrap-up expire on arrival and submit the default
//! code before the agent could act; five minutes behind, the countdown
//! would promise time the backend does not give.
//!
//! Each event that says when it happened, heard as it happens, bounds the
//! difference: it arrived at `received` (browser clock) after it happened at
//! `occurred` (CTI clock) plus a delivery time that is never negative, so
//! the browser is at most `received − occurred` ahead. The smallest such
//! bound is the estimate, as in NTP — with two guards:
//!
//! - An event can carry an old time (a host page forwarding the present
//!   state of a call that began earlier): its bound is large, but a single
//!   one would still be the smallest at first. The estimate needs two
//!   recent bounds within [`AGREEMENT`] of each other; the events of one
//!   call (connected, then in wrap-up) agree.
//! - A difference under [`NEGLIGIBLE`] is not corrected: a clock kept by NTP
//!   is that close, and what is left is the delivery time.
//!
//! - The smallest bound is only right while the clock keeps its time. Set
//!   forward (the agent's PC set right, by hand or by NTP, while the page
//!   ran or between two pages), the browser reads later by as much, and the
//!   bounds from before are too small by as much: every wrap-up would seem
//!   to have expired on arrival. So when the two latest bounds agree and
//!   are more than [`STEP`] above the estimate, the bounds before them are
//!   dropped. (A clock set back needs nothing: its bounds are smaller, and
//!   the smallest wins at once.) Two events with an old time that agree
//!   raise the estimate the same way, until the next two that happen now
//!   bring it back down: the price of following a clock set forward at the
//!   first call rather than after [`KEPT`] bounds.
//!
//! Only the last [`KEPT`] bounds count. They are kept across a reload:
//! replayed events happened earlier and bound nothing.

use chrono::{DateTime, TimeDelta, Utc};

/// How close two bounds must be to be taken for the same difference: the
/// wrap-up's start has whole seconds, so its bound can be up to a second
/// above a bound with milliseconds.
pub const AGREEMENT: TimeDelta = TimeDelta::seconds(2);
/// A difference this small is left as it is.
pub const NEGLIGIBLE: TimeDelta = TimeDelta::seconds(1);
/// How many of the latest bounds are kept.
pub const KEPT: usize = 8;
/// How far above the estimate two latest bounds that agree must be to mean
/// the browser's clock was set forward: well beyond a slow delivery.
pub const STEP: TimeDelta = TimeDelta::seconds(5);

/// The latest bounds on the difference between the browser's clock and the
/// CTI system's; kept across a reload, whose replayed events say nothing
/// ([`ClockSkew::to_text`]: milliseconds, comma-separated — plain text
/// rather than serde, whose readers would cost the widget's wasm more than
/// this whole module).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockSkew {
    /// `received − occurred` in milliseconds, oldest first.
    bounds: Vec<i64>,
}

impl ClockSkew {
    /// An event the CTI system says happened at `occurred` was heard, as it
    /// happened, at `received` by the browser's clock. Returns whether the
    /// estimate changed.
    pub fn observe(&mut self, occurred: DateTime<Utc>, received: DateTime<Utc>) -> bool {
        let before = self.ahead();
        if self.bounds.len() >= KEPT {
            self.bounds.drain(..=self.bounds.len() - KEPT);
        }
        let estimate = self.agreed();
        let bound = (received - occurred).num_milliseconds();
        let previous = self.bounds.last().copied();
        self.bounds.push(bound);
        if let (Some(estimate), Some(previous)) = (estimate, previous) {
            let agree = (previous - bound).abs() <= AGREEMENT.num_milliseconds();
            if agree && previous.min(bound) > estimate + STEP.num_milliseconds() {
                self.bounds.drain(..self.bounds.len() - 2);
            }
        }
        self.ahead() != before
    }

    /// The smallest bound that another agrees with, in milliseconds.
    fn agreed(&self) -> Option<i64> {
        let agreement = AGREEMENT.num_milliseconds();
        self.bounds
            .iter()
            .enumerate()
            .filter(|&(index, &bound)| {
                self.bounds.iter().enumerate().any(|(other, &next)| {
                    other != index && (bound..=bound + agreement).contains(&next)
                })
            })
            .map(|(_, &bound)| bound)
            .min()
    }

    /// How far the browser's clock is ahead of the CTI system's (negative:
    /// behind): the smallest bound that another agrees with; zero until two
    /// agree, and when under [`NEGLIGIBLE`].
    pub fn ahead(&self) -> TimeDelta {
        let agreed = self
            .agreed()
            .map_or(TimeDelta::zero(), TimeDelta::milliseconds);
        if agreed.abs() < NEGLIGIBLE {
            TimeDelta::zero()
        } else {
            agreed
        }
    }

    /// The bounds as text, to store.
    pub fn to_text(&self) -> String {
        self.bounds
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The bounds [`ClockSkew::to_text`] wrote; what cannot be read is left out.
    pub fn from_text(text: &str) -> Self {
        let mut bounds: Vec<i64> = text
            .split(',')
            .filter_map(|bound| bound.trim().parse().ok())
            .collect();
        bounds.drain(..bounds.len().saturating_sub(KEPT));
        Self { bounds }
    }

    /// The CTI system's time when the browser's clock reads `browser`.
    pub fn cti_time(&self, browser: DateTime<Utc>) -> DateTime<Utc> {
        browser - self.ahead()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(milliseconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_700_000_000_000 + milliseconds).unwrap()
    }

    /// Observes events that happened at `occurred` ms, heard `ahead` ms
    /// later by the browser's clock plus `delay` ms on the way.
    fn heard(skew: &mut ClockSkew, ahead: i64, events: &[(i64, i64)]) {
        for &(occurred, delay) in events {
            skew.observe(at(occurred), at(occurred + delay + ahead));
        }
    }

    #[test]
    fn two_events_that_agree_give_the_difference_less_the_shortest_delivery() {
        let mut skew = ClockSkew::default();
        heard(&mut skew, 300_000, &[(0, 40)]);
        assert_eq!(skew.ahead(), TimeDelta::zero(), "one event is not enough");
        heard(&mut skew, 300_000, &[(10, 15)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(300_015));
        assert_eq!(skew.cti_time(at(300_015)), at(0));
    }

    #[test]
    fn a_clock_behind_is_corrected_too() {
        let mut skew = ClockSkew::default();
        heard(&mut skew, -120_000, &[(0, 5), (3, 8)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(-119_995));
        assert_eq!(skew.cti_time(at(0)), at(119_995));
    }

    #[test]
    fn an_event_with_an_old_time_does_not_count_alone() {
        let mut skew = ClockSkew::default();
        // The present state of a call connected ten minutes ago: its bound is large.
        heard(&mut skew, 0, &[(0, 600_000)]);
        assert_eq!(skew.ahead(), TimeDelta::zero());
        // A change as it happens, on a clock 90 s ahead, disagrees with it.
        heard(&mut skew, 90_000, &[(600_000, 10)]);
        assert_eq!(skew.ahead(), TimeDelta::zero());
        // The next one as it happens agrees with that one.
        heard(&mut skew, 90_000, &[(600_005, 30)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(90_010));
    }

    #[test]
    fn a_difference_under_a_second_is_left_alone() {
        let mut skew = ClockSkew::default();
        assert!(!skew.observe(at(0), at(900)));
        assert!(!skew.observe(at(10), at(905)));
        assert_eq!(skew.ahead(), TimeDelta::zero());
        assert_eq!(skew.cti_time(at(5)), at(5));
        // Past a second, it is corrected.
        let mut skew = ClockSkew::default();
        heard(&mut skew, 1_500, &[(100, 0), (200, 0)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(1_500));
    }

    #[test]
    fn a_clock_set_right_while_the_page_runs_is_followed() {
        let mut skew = ClockSkew::default();
        heard(&mut skew, 300_000, &[(0, 10), (5, 10)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(300_010));
        // The agent's PC corrects its clock: once the old bounds are out of
        // the window, only the new ones count.
        let events: Vec<(i64, i64)> = (0..KEPT as i64).map(|i| (1_000 + i, 10)).collect();
        heard(&mut skew, 0, &events);
        assert_eq!(skew.ahead(), TimeDelta::zero());
    }

    #[test]
    fn a_clock_set_forward_is_followed_at_the_first_two_events_that_agree() {
        // Five minutes behind, as kept across a reload.
        let mut skew = ClockSkew::from_text("-300022,-299148,-300010");
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(-300_022));
        // The clock is set right: one event alone changes nothing…
        heard(&mut skew, 0, &[(1_000, 40)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(-300_022));
        // …the next that agrees with it is the new estimate (no difference).
        heard(&mut skew, 0, &[(9_000, 900)]);
        assert_eq!(skew.ahead(), TimeDelta::zero());
        assert_eq!(skew.to_text(), "40,900");
    }

    #[test]
    fn a_slow_delivery_or_two_does_not_move_the_estimate() {
        let mut skew = ClockSkew::default();
        heard(&mut skew, 60_000, &[(0, 10), (5, 20)]);
        // Two events held up for four seconds each: within STEP.
        heard(&mut skew, 60_000, &[(100, 4_000), (200, 4_100)]);
        assert_eq!(skew.ahead(), TimeDelta::milliseconds(60_010));
    }

    #[test]
    fn the_bounds_are_stored_as_text_and_read_back() {
        let mut skew = ClockSkew::default();
        heard(&mut skew, -120_000, &[(0, 5), (3, 8)]);
        assert_eq!(skew.to_text(), "-119995,-119992");
        assert_eq!(ClockSkew::from_text(&skew.to_text()), skew);
        assert_eq!(ClockSkew::from_text(""), ClockSkew::default());
        // Garbage is left out; more than KEPT bounds keep the latest.
        let many: Vec<String> = (0..12).map(|bound| bound.to_string()).collect();
        let read = ClockSkew::from_text(&format!("x,{}", many.join(",")));
        assert_eq!(read.to_text(), "4,5,6,7,8,9,10,11");
    }

    #[test]
    fn observe_says_whether_the_estimate_changed() {
        let mut skew = ClockSkew::default();
        assert!(!skew.observe(at(0), at(60_000)));
        assert!(skew.observe(at(1), at(60_001)));
        assert!(!skew.observe(at(2), at(60_002)));
        // One bound of no difference does not outweigh three that agree; two do.
        assert!(!skew.observe(at(3), at(3)));
        assert!(skew.observe(at(4), at(4)));
        assert_eq!(skew.ahead(), TimeDelta::zero());
    }
}

//! Hold time: how long a workitem has been paused, in total.
//!
//! b+s workitem events carry no time of a pause or a resume, so the Desk
//! times a hold from the instants it applied them (the `now` of the input).

use chrono::{DateTime, TimeDelta, Utc};

use crate::bs::WorkitemState;

/// The hold time of one workitem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HoldTime {
    /// When the current hold began; `None` while not on hold.
    since: Option<DateTime<Utc>>,
    /// The holds that already ended, added up.
    ended_holds: TimeDelta,
}

impl HoldTime {
    /// Follows the workitem into `state`, reached at `now`.
    pub(super) fn follow(&mut self, state: &WorkitemState, now: DateTime<Utc>) {
        let on_hold = *state == WorkitemState::Paused;
        match (on_hold, self.since) {
            (true, None) => self.since = Some(now),
            (false, Some(since)) => {
                self.ended_holds += (now - since).max(TimeDelta::zero());
                self.since = None;
            }
            _ => {}
        }
    }

    /// Whether the workitem is on hold now.
    pub fn is_on_hold(&self) -> bool {
        self.since.is_some()
    }

    /// How long the current hold has lasted at `now`; `None` while not on hold.
    pub fn current(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.since.map(|since| (now - since).max(TimeDelta::zero()))
    }

    /// All the time on hold up to `now`, the current hold included.
    pub fn total(&self, now: DateTime<Utc>) -> TimeDelta {
        self.ended_holds + self.current(now).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).expect("valid timestamp")
    }

    #[test]
    fn adds_up_every_hold_and_counts_the_current_one() {
        let mut hold = HoldTime::default();
        hold.follow(&WorkitemState::Active, at(0));
        assert_eq!(hold.total(at(10)), TimeDelta::zero());
        hold.follow(&WorkitemState::Paused, at(10));
        hold.follow(&WorkitemState::Active, at(25));
        assert_eq!(hold.total(at(40)), TimeDelta::seconds(15));
        hold.follow(&WorkitemState::Paused, at(40));
        assert!(hold.is_on_hold());
        assert_eq!(hold.current(at(45)), Some(TimeDelta::seconds(5)));
        assert_eq!(hold.total(at(45)), TimeDelta::seconds(20));
        // A repeated pause does not restart the current hold.
        hold.follow(&WorkitemState::Paused, at(44));
        assert_eq!(hold.total(at(45)), TimeDelta::seconds(20));
        hold.follow(&WorkitemState::Wrapup, at(50));
        assert!(!hold.is_on_hold());
        assert_eq!(hold.current(at(90)), None);
        assert_eq!(hold.total(at(90)), TimeDelta::seconds(25));
    }
}

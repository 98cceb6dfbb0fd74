//! Countdown math for the wrap-up timer.
//!
//! Time is data: everything derives from the session's `deadline` (the
//! server's `opened_on` + duration, moved by extensions) and the instant
//! `now`, never from counting ticks, so a throttled background tab or a
//! reload shows the right time as soon as it looks again.

use chrono::{DateTime, TimeDelta, Utc};

/// The colour of the countdown ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountdownBand {
    /// More than half of the time is left.
    Green,
    /// Between a half and a quarter is left.
    Yellow,
    /// Less than a quarter is left.
    Orange,
    /// The time is over.
    Red,
}

impl CountdownBand {
    /// The band's name, for a CSS modifier class (`wg-timer--orange`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Orange => "orange",
            Self::Red => "red",
        }
    }
}

/// The remaining times at which a screen reader is told how long is left.
pub const ANNOUNCEMENT_THRESHOLDS: [Announcement; 3] = [
    Announcement::SixtySeconds,
    Announcement::ThirtySeconds,
    Announcement::TenSeconds,
];

/// A remaining time worth announcing to a screen reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Announcement {
    /// One minute left.
    SixtySeconds,
    /// Thirty seconds left.
    ThirtySeconds,
    /// Ten seconds left.
    TenSeconds,
}

impl Announcement {
    /// The remaining time this announcement is made at.
    pub fn remaining(self) -> TimeDelta {
        TimeDelta::seconds(self.seconds())
    }

    /// The remaining time in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Self::SixtySeconds => 60,
            Self::ThirtySeconds => 30,
            Self::TenSeconds => 10,
        }
    }
}

/// A wrap-up's countdown at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Countdown {
    /// Time left until the deadline; zero once it has passed.
    pub remaining: TimeDelta,
    /// The whole time from opening to the deadline (grows with extensions).
    pub total: TimeDelta,
}

impl Countdown {
    /// The countdown of a wrap-up opened at `opened_on` with `deadline`, seen at `now`.
    pub fn at(opened_on: DateTime<Utc>, deadline: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        Self {
            remaining: (deadline - now).max(TimeDelta::zero()),
            total: (deadline - opened_on).max(TimeDelta::zero()),
        }
    }

    /// Whether the time is over.
    pub fn is_expired(&self) -> bool {
        self.remaining <= TimeDelta::zero()
    }

    /// The fraction of the time left, from 1 (just opened) to 0 (over).
    pub fn fraction_left(&self) -> f64 {
        let total = self.total.num_milliseconds();
        if total <= 0 {
            return 0.0;
        }
        (self.remaining.num_milliseconds() as f64 / total as f64).clamp(0.0, 1.0)
    }

    /// The colour band: green above 50 %, yellow down to 25 %, orange below
    /// 25 %, red at 0.
    pub fn band(&self) -> CountdownBand {
        if self.is_expired() {
            return CountdownBand::Red;
        }
        let fraction = self.fraction_left();
        if fraction > 0.5 {
            CountdownBand::Green
        } else if fraction >= 0.25 {
            CountdownBand::Yellow
        } else {
            CountdownBand::Orange
        }
    }

    /// Whole seconds left, rounded up: the display shows `0:01` until the
    /// time is really over, never `0:00` while there is still time.
    pub fn remaining_seconds(&self) -> i64 {
        let milliseconds = self.remaining.num_milliseconds();
        milliseconds / 1000 + i64::from(milliseconds % 1000 > 0)
    }

    /// The remaining time as `m:ss` (`12:05`, `0:09`).
    pub fn clock_text(&self) -> String {
        let seconds = self.remaining_seconds();
        format!("{}:{:02}", seconds / 60, seconds % 60)
    }
}

/// The announcement whose threshold the countdown crossed between `earlier`
/// and `later` (remaining time above it before, at or below it after), if
/// any. When several were crossed at once (a throttled tab waking up), only
/// the most urgent is returned: announcing "one minute left" with ten seconds
/// left would mislead. Nothing is announced once the time is over, nor when
/// time seems to run backwards.
pub fn crossed_announcement(
    deadline: DateTime<Utc>,
    earlier: DateTime<Utc>,
    later: DateTime<Utc>,
) -> Option<Announcement> {
    if later <= earlier {
        return None;
    }
    let remaining_before = deadline - earlier;
    let remaining_after = deadline - later;
    if remaining_after <= TimeDelta::zero() {
        return None;
    }
    ANNOUNCEMENT_THRESHOLDS
        .iter()
        .rev()
        .copied()
        .find(|threshold| {
            remaining_before > threshold.remaining() && remaining_after <= threshold.remaining()
        })
}

/// How long after `now` the first of the countdowns ending at `deadlines`
/// shows another `m:ss`: `m:ss` rounds up, so it changes as the remaining
/// time passes a whole second. `None` when every deadline has passed (or
/// there is none): nothing counts down.
///
/// A clock that ticks at this instant shows each second as it begins,
/// whatever the deadlines' fractions of a second.
pub fn until_next_second(
    deadlines: impl IntoIterator<Item = DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<TimeDelta> {
    deadlines
        .into_iter()
        .map(|deadline| (deadline - now).num_milliseconds())
        .filter(|remaining| *remaining > 0)
        .map(|remaining| match remaining % 1000 {
            0 => 1000,
            fraction => fraction,
        })
        .min()
        .map(TimeDelta::milliseconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default() + TimeDelta::seconds(seconds)
    }

    fn band_at(seconds: i64) -> CountdownBand {
        Countdown::at(at(0), at(100), at(seconds)).band()
    }

    #[test]
    fn remaining_time_is_derived_from_the_deadline() {
        let countdown = Countdown::at(at(0), at(120), at(45));
        assert_eq!(countdown.remaining, TimeDelta::seconds(75));
        assert_eq!(countdown.clock_text(), "1:15");
        assert_eq!(
            Countdown::at(at(0), at(120), at(500)).remaining,
            TimeDelta::zero()
        );
    }

    #[test]
    fn seconds_are_rounded_up_until_the_end() {
        let countdown = Countdown::at(at(0), at(10), at(10) - TimeDelta::milliseconds(1));
        assert_eq!(countdown.remaining_seconds(), 1);
        assert_eq!(countdown.clock_text(), "0:01");
    }

    #[test]
    fn the_next_second_begins_at_the_deadlines_fraction() {
        let now = at(0);
        let ms = TimeDelta::milliseconds;
        // 75.3 s left shows 1:16 until 75.0 s are left, 300 ms from now.
        assert_eq!(until_next_second([now + ms(75_300)], now), Some(ms(300)));
        // On a whole second, the next change is a whole second away.
        assert_eq!(until_next_second([now + ms(75_000)], now), Some(ms(1000)));
        // The nearest change of several countdowns.
        assert_eq!(
            until_next_second([now + ms(75_300), now + ms(10_050)], now),
            Some(ms(50))
        );
        // Deadlines passed count down no more.
        assert_eq!(until_next_second([now, now - ms(500)], now), None);
        assert_eq!(until_next_second([], now), None);
        // The display really changes then: 1:16 before, 1:15 from there on.
        let deadline = now + ms(75_300);
        let shown = |at| Countdown::at(now, deadline, at).clock_text();
        assert_eq!(shown(now + ms(299)), "1:16");
        assert_eq!(shown(now + ms(300)), "1:15");
    }

    #[test]
    fn bands_follow_the_fraction_left() {
        assert_eq!(band_at(0), CountdownBand::Green);
        assert_eq!(band_at(49), CountdownBand::Green);
        assert_eq!(band_at(50), CountdownBand::Yellow);
        assert_eq!(band_at(75), CountdownBand::Yellow);
        assert_eq!(band_at(76), CountdownBand::Orange);
        assert_eq!(band_at(99), CountdownBand::Orange);
        assert_eq!(band_at(100), CountdownBand::Red);
        assert_eq!(band_at(150), CountdownBand::Red);
    }

    #[test]
    fn a_zero_length_wrapup_is_red_and_divides_by_nothing() {
        let countdown = Countdown::at(at(0), at(0), at(0));
        assert_eq!(countdown.fraction_left(), 0.0);
        assert_eq!(countdown.band(), CountdownBand::Red);
    }

    #[test]
    fn announcements_fire_when_their_threshold_is_crossed() {
        let deadline = at(100);
        assert_eq!(
            crossed_announcement(deadline, at(39), at(40)),
            Some(Announcement::SixtySeconds)
        );
        assert_eq!(crossed_announcement(deadline, at(40), at(41)), None);
        assert_eq!(
            crossed_announcement(deadline, at(69), at(70)),
            Some(Announcement::ThirtySeconds)
        );
        assert_eq!(
            crossed_announcement(deadline, at(89), at(90)),
            Some(Announcement::TenSeconds)
        );
        assert_eq!(crossed_announcement(deadline, at(50), at(60)), None);
    }

    #[test]
    fn only_the_most_urgent_of_several_crossings_is_announced() {
        assert_eq!(
            crossed_announcement(at(100), at(0), at(95)),
            Some(Announcement::TenSeconds)
        );
    }

    #[test]
    fn nothing_is_announced_after_the_end_or_backwards() {
        assert_eq!(crossed_announcement(at(100), at(85), at(100)), None);
        assert_eq!(crossed_announcement(at(100), at(95), at(50)), None);
    }
}

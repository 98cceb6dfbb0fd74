//! The wrap-up extension rule shared by the Desk (the agent's Extend button)
//! and the Tenios endpoint of the reference server.
//!
//! The Tenios API documents two limits for `POST /wrap-up/extend`: an extension
//! must add at least five seconds, and may not exceed fifteen minutes. The
//! extension is measured from the current end of the wrap-up to the requested
//! end time.

use chrono::{DateTime, TimeDelta, Utc};

/// The smallest extension the Tenios API accepts.
pub const MIN_EXTENSION: TimeDelta = TimeDelta::seconds(5);
/// The largest extension the Tenios API accepts.
pub const MAX_EXTENSION: TimeDelta = TimeDelta::minutes(15);

/// Why an extension was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    /// The requested end adds less than [`MIN_EXTENSION`] (or moves the end backwards).
    #[error("an extension must add at least 5 seconds")]
    TooShort,
    /// The requested end adds more than [`MAX_EXTENSION`].
    #[error("an extension may add at most 15 minutes")]
    TooLong,
}

/// Checks that moving a wrap-up's end from `current_end` to `requested_end`
/// is an extension the Tenios API accepts.
pub fn check_extension(
    current_end: DateTime<Utc>,
    requested_end: DateTime<Utc>,
) -> Result<(), ExtensionError> {
    let amount = requested_end - current_end;
    if amount < MIN_EXTENSION {
        Err(ExtensionError::TooShort)
    } else if amount > MAX_EXTENSION {
        Err(ExtensionError::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).expect("valid timestamp")
    }

    #[test]
    fn accepts_the_limits_themselves() {
        assert_eq!(check_extension(at(0), at(5)), Ok(()));
        assert_eq!(check_extension(at(0), at(15 * 60)), Ok(()));
    }

    #[test]
    fn refuses_less_than_five_seconds_and_moving_backwards() {
        assert_eq!(check_extension(at(0), at(4)), Err(ExtensionError::TooShort));
        assert_eq!(
            check_extension(at(0), at(-30)),
            Err(ExtensionError::TooShort)
        );
    }

    #[test]
    fn refuses_more_than_fifteen_minutes() {
        assert_eq!(
            check_extension(at(0), at(15 * 60 + 1)),
            Err(ExtensionError::TooLong)
        );
    }
}

//! Whether to use, create or look again for a wrap-up segment: the pure
//! decision behind `open_segment`.
//!
//! A segment is created only after every lookup answered a definite 404. A
//! transient failure (network, timeout, 5xx) says nothing about whether the
//! segment exists, so creating then could open a second segment for the
//! same call; the lookups are retried instead. A lookup refused for the
//! widget's sign-in (401, 403) stops the search: asking again changes
//! nothing until the server accepts the token, and the agent is told that,
//! not that the segment is unknown.

use super::api::ApiError;

/// What one lookup said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    /// The segment exists.
    Found(T),
    /// The server said 404: no such segment.
    Absent,
    /// No definite answer; asking again may tell.
    Unknown,
    /// The server refused the lookup (a 4xx other than 404).
    Refused,
    /// The server did not accept the widget's sign-in (401, 403).
    SignedOut,
}

impl<T> Lookup<T> {
    /// Classifies the answer of a lookup.
    pub fn of<R>(answer: Result<R, ApiError>, found: impl FnOnce(R) -> T) -> Self {
        match answer {
            Ok(response) => Self::Found(found(response)),
            Err(error) if error.status() == Some(404) => Self::Absent,
            Err(error) if error.is_transient() => Self::Unknown,
            Err(error) if error.refuses_sign_in() => Self::SignedOut,
            Err(_) => Self::Refused,
        }
    }
}

/// What to do after the lookups of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentStep<T> {
    /// Use the segment found.
    Use(T),
    /// Every lookup said 404: create the segment.
    Create,
    /// Some lookup had no definite answer: wait and look again.
    LookAgain,
    /// A lookup was refused: go on without a segment.
    GiveUp,
    /// The server did not accept the widget's sign-in: go on without a
    /// segment until it does.
    SignedOut,
}

/// The step after `lookups`: a found segment wins; a refused sign-in stops
/// the search; any unknown answer means looking again; a refusal means
/// giving up; only all-404 means creating.
pub fn next_step<T>(lookups: Vec<Lookup<T>>) -> SegmentStep<T> {
    let mut unknown = false;
    let mut refused = false;
    let mut signed_out = false;
    for lookup in lookups {
        match lookup {
            Lookup::Found(segment) => return SegmentStep::Use(segment),
            Lookup::Absent => {}
            Lookup::Unknown => unknown = true,
            Lookup::Refused => refused = true,
            Lookup::SignedOut => signed_out = true,
        }
    }
    if signed_out {
        SegmentStep::SignedOut
    } else if unknown {
        SegmentStep::LookAgain
    } else if refused {
        SegmentStep::GiveUp
    } else {
        SegmentStep::Create
    }
}

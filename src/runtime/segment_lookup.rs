//! Whether to use, create or look again for a wrap-up segment: the pure
//! decision behind `open_segment`.
//!
//! A segment is created only after every lookup answered a definite 404. A
//! transient failure (network, timeout, 5xx) says nothing about whether the
//! segment exists, so creating then could open a second segment for the
//! same call; the lookups are retried instead.

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
}

impl<T> Lookup<T> {
    /// Classifies the answer of a lookup.
    pub fn of<R>(answer: Result<R, ApiError>, found: impl FnOnce(R) -> T) -> Self {
        match answer {
            Ok(response) => Self::Found(found(response)),
            Err(error) if error.status() == Some(404) => Self::Absent,
            Err(error) if error.is_transient() => Self::Unknown,
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
}

/// The step after `lookups`: a found segment wins; any unknown answer means
/// looking again; a refusal means giving up; only all-404 means creating.
pub fn next_step<T>(lookups: Vec<Lookup<T>>) -> SegmentStep<T> {
    let mut unknown = false;
    let mut refused = false;
    for lookup in lookups {
        match lookup {
            Lookup::Found(segment) => return SegmentStep::Use(segment),
            Lookup::Absent => {}
            Lookup::Unknown => unknown = true,
            Lookup::Refused => refused = true,
        }
    }
    if unknown {
        SegmentStep::LookAgain
    } else if refused {
        SegmentStep::GiveUp
    } else {
        SegmentStep::Create
    }
}

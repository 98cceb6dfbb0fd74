//! Extending a wrap-up within the Tenios limits, and cancelling it.

use chrono::{DateTime, TimeDelta, Utc};

use super::{CancelState, WrapupSession};
use crate::desk::effect::Refusal;
use crate::extension::{ExtensionError, check_extension};

impl WrapupSession {
    /// The agent asks for `by` more time; returns the current and requested end.
    pub(in crate::desk) fn request_extension(
        &mut self,
        now: DateTime<Utc>,
        by: TimeDelta,
    ) -> Result<(DateTime<Utc>, DateTime<Utc>), Refusal> {
        self.check_editable()?;
        if self.cancel == CancelState::Pending {
            return Err(Refusal::CancelPending);
        }
        let segment = self.segment.as_ref().ok_or(Refusal::ConfigurationPending)?;
        let deadline = segment.deadline.ok_or(Refusal::NoDeadline)?;
        if self.expired_unsubmitted || now >= deadline {
            return Err(Refusal::Expired);
        }
        if self.pending_extension.is_some() {
            return Err(Refusal::ExtensionPending);
        }
        let requested = deadline.checked_add_signed(by).ok_or(Refusal::Extension(
            if by > TimeDelta::zero() {
                ExtensionError::TooLong
            } else {
                ExtensionError::TooShort
            },
        ))?;
        check_extension(deadline, requested).map_err(Refusal::Extension)?;
        self.pending_extension = Some(requested);
        Ok((deadline, requested))
    }

    /// The backend moved the end. Accepted whenever the wrap-up is still
    /// open, even with no extension pending (after a reload, for one).
    pub(in crate::desk) fn extension_accepted(&mut self, new_deadline: DateTime<Utc>) {
        self.pending_extension = None;
        if self.check_editable().is_err() {
            return;
        }
        if let Some(segment) = &mut self.segment
            && segment.deadline.is_some()
        {
            segment.deadline = Some(new_deadline);
        }
    }

    /// The backend refused the extension; returns whether one was pending.
    pub(in crate::desk) fn extension_refused(&mut self) -> bool {
        self.pending_extension.take().is_some()
    }

    /// The agent cancels.
    pub(in crate::desk) fn request_cancel(&mut self) -> Result<(), Refusal> {
        self.check_editable()?;
        if self.cancel == CancelState::Pending {
            return Err(Refusal::CancelPending);
        }
        self.cancel = CancelState::Pending;
        Ok(())
    }

    /// The backend cancelled; returns whether this ended the wrap-up now.
    pub(in crate::desk) fn cancel_accepted(&mut self) -> bool {
        if self.submission.is_some() || self.cancel == CancelState::Done {
            return false;
        }
        self.cancel = CancelState::Done;
        self.pending_extension = None;
        true
    }

    /// The backend refused the cancel; returns whether one was pending.
    pub(in crate::desk) fn cancel_refused(&mut self) -> bool {
        if self.cancel != CancelState::Pending {
            return false;
        }
        self.cancel = CancelState::None;
        true
    }
}

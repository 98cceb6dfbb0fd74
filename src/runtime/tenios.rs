//! Tenios extend / cancel.
//!
//! Tenios names the agent by e-mail and authorises by `access_key`; the
//! widget gets both from its configuration (`/config.json` of the demo
//! server, or `?email=` / `?tenios_key=`). Every extend and cancel is
//! answered to the Desk, a network failure as a refusal, because the Desk
//! holds expiry while one is unanswered.
//!
//! An answer can be lost after Tenios acted: the connection breaks, or the
//! answer comes too late. A request without an answer is sent once more;
//! and the browser itself sends a request again when a reused connection
//! breaks before the answer. Either way Tenios refuses the second sending if
//! the first went through (the same end is too short an extension, and a
//! cancelled wrap-up is not in wrap-up), and that refusal is not what the
//! agent is told: what became of the request is learnt first
//! (`wrapup_core::tenios::extended_after_all`, `cancel_in_doubt`). An
//! extension is judged by the end the wrap-up segment holds (ServiceNow; its
//! duration follows the extensions Tenios accepted), a cancel by the CTI
//! system ending the call, which it does when the wrap-up ends.

use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;
use wrapup_core::datetime::IsoMillisDateTime;
use wrapup_core::desk::BackendAnswer;
use wrapup_core::servicenow::SegmentState;
use wrapup_core::tenios::{
    CancelRequest, ExtendRequest, HeldEnd, cancel_in_doubt, extended_after_all, extension_in_doubt,
};

use super::api::{ApiError, SegmentLookup, TeniosRequest, failure_report, tenios_error};
use super::outbox::backoff_delay;
use super::{Runtime, inform_args, warn_args};
use crate::i18n::{BackendFailure, FailureReport};

/// How often a Tenios request is sent when no answer comes: once more.
const TENIOS_ATTEMPTS: u32 = 2;
/// How long a cancel whose outcome is in doubt waits for the CTI system to
/// end the call, and how often it looks.
const CANCEL_END_WAIT: TimeDelta = TimeDelta::seconds(3);
const CANCEL_END_LOOK: TimeDelta = TimeDelta::milliseconds(200);

/// What the Desk asked of Tenios.
#[derive(Debug, Clone)]
pub(super) enum TeniosAsk {
    /// `RequestExtension`: the end of the wrap-up in `segment_id` from
    /// `current_end` (the Desk's) to `requested_end`.
    Extend {
        segment_id: Option<String>,
        current_end: DateTime<Utc>,
        requested_end: DateTime<Utc>,
    },
    /// `RequestCancel`.
    Cancel,
}

/// Extend and cancel need the agent's e-mail and the Tenios access key.
fn not_configured() -> FailureReport {
    FailureReport::new(BackendFailure::ExtendNotConfigured, None)
}

impl Runtime {
    /// The Tenios access key and the agent's e-mail, borrowed from the
    /// configuration: the request copies them, nothing else needs to.
    fn tenios_credentials(&self) -> Option<(&str, &str)> {
        let config = &self.inner.config;
        Some((
            config.tenios_access_key.as_deref()?,
            config.agent_email.as_deref()?,
        ))
    }

    /// `RequestExtension` → `POST /wrap-up/extend`, `RequestCancel` →
    /// `POST /wrap-up/cancel`; the Desk is answered either way.
    pub(super) async fn ask_tenios(&self, workitem_id: String, ask: TeniosAsk) {
        let answer = match self.tenios_credentials() {
            None => Err(not_configured()),
            Some((key, email)) => {
                let request = match &ask {
                    TeniosAsk::Extend { requested_end, .. } => TeniosRequest::Extend(
                        ExtendRequest::new(key, email, IsoMillisDateTime::new(*requested_end)),
                    ),
                    TeniosAsk::Cancel => TeniosRequest::Cancel(CancelRequest::new(key, email)),
                };
                let mut attempt = 1;
                let answer = loop {
                    match self.inner.api.tenios(&request).await {
                        Err(error)
                            if error.outcome_unknown()
                                && attempt < TENIOS_ATTEMPTS
                                && !self.leaving() =>
                        {
                            warn_args(format_args!("Tenios: {error}; asking again"));
                            let delay = backoff_delay(attempt, js_sys::Math::random());
                            if !self.inner.lifetime.sleep(delay).await {
                                break Err(error);
                            }
                            attempt += 1;
                        }
                        answer => break answer,
                    }
                };
                match answer {
                    Ok(end) => Ok(end),
                    Err(error) => self
                        .done_after_all(&workitem_id, &ask, &error)
                        .await
                        .ok_or_else(|| failure_report(&error)),
                }
            }
        }
        .map_err(|report| self.failure_text(&report.of_one_off()));
        let answer = match (ask, answer) {
            (TeniosAsk::Extend { requested_end, .. }, Ok(end)) => {
                BackendAnswer::ExtensionAccepted {
                    workitem_id,
                    new_deadline: end.unwrap_or(requested_end),
                }
            }
            (TeniosAsk::Extend { .. }, Err(reason)) => BackendAnswer::ExtensionRefused {
                workitem_id,
                reason,
            },
            (TeniosAsk::Cancel, Ok(_)) => {
                self.dispatch(BackendAnswer::CancelAccepted {
                    workitem_id: workitem_id.clone(),
                });
                self.settled(&workitem_id);
                return;
            }
            (TeniosAsk::Cancel, Err(reason)) => BackendAnswer::CancelRefused {
                workitem_id,
                reason,
            },
        };
        self.dispatch(answer);
    }

    /// Whether `ask`, answered by `error`, was carried out after all: if the
    /// answer leaves it in doubt, an extension is judged by the end the
    /// wrap-up segment holds, a cancel by the CTI system ending the call
    /// (given a moment to say so). `Some` holds an extension's new end.
    async fn done_after_all(
        &self,
        workitem_id: &str,
        ask: &TeniosAsk,
        error: &ApiError,
    ) -> Option<Option<DateTime<Utc>>> {
        let refusal = if error.outcome_unknown() {
            None
        } else {
            Some(tenios_error(error)?.code()?)
        };
        if self.leaving() || self.stopped() {
            return None;
        }
        let done = match ask {
            TeniosAsk::Extend {
                segment_id,
                current_end,
                requested_end,
            } => {
                if !extension_in_doubt(refusal) {
                    return None;
                }
                let held = self.held_end(segment_id.as_deref()).await;
                Some(extended_after_all(
                    *current_end,
                    *requested_end,
                    refusal,
                    held,
                )?)
            }
            TeniosAsk::Cancel => {
                if !cancel_in_doubt(refusal) || !self.workitem_ends(workitem_id).await {
                    return None;
                }
                None
            }
        };
        inform_args(format_args!("Tenios had done it: {error}"));
        Some(done)
    }

    /// Whether the CTI system ends `workitem_id` (or has ended it) within
    /// [`CANCEL_END_WAIT`]: b+s ends the workitem when its wrap-up ends.
    async fn workitem_ends(&self, workitem_id: &str) -> bool {
        let mut waited = TimeDelta::zero();
        loop {
            let ended = self.inner.store.desk.with_untracked(|desk| {
                desk.session(workitem_id)
                    .is_none_or(|session| session.workitem_ended())
            });
            if ended {
                return true;
            }
            if waited >= CANCEL_END_WAIT || !self.inner.lifetime.sleep(CANCEL_END_LOOK).await {
                return false;
            }
            waited += CANCEL_END_LOOK;
        }
    }

    /// The wrap-up's end as its ServiceNow segment holds it: `opened_on` and
    /// the duration, which follows the extensions Tenios accepted. The
    /// Genesys profile has no segment to ask.
    async fn held_end(&self, segment_id: Option<&str>) -> HeldEnd {
        let Some(segment_id) = segment_id.filter(|_| !self.genesys()) else {
            return HeldEnd::Unknown;
        };
        let segment = match self.inner.api.segment(SegmentLookup::Id(segment_id)).await {
            Ok(found) => found.segment,
            Err(error) => {
                warn_args(format_args!("the wrap-up segment: {error}"));
                return HeldEnd::Unknown;
            }
        };
        if segment.state != SegmentState::Open {
            return HeldEnd::Over;
        }
        let limit = segment
            .wrap_up_configuration
            .duration
            .and_then(|duration| duration.limit());
        segment
            .opened_on
            .zip(limit)
            .and_then(|(opened_on, limit)| opened_on.get().checked_add_signed(limit))
            .map_or(HeldEnd::Unknown, HeldEnd::At)
    }
}

//! The Genesys profile: the wrap-up is learnt from the call data and saved
//! as Genesys Context Services `POST /services/{service_id}/end`.
//!
//! Genesys has no wrap-up segment. The CTI system announces the wrap-up in
//! the call's data (`wrapup_core::cti_wrapup`): the codes, the default code,
//! the time limit, when the wrap-up began, and the Genesys service the call
//! is (`user.genesysServiceId`, set by the routing that started the service;
//! the reference server's simulator sets it on every call). The Desk's
//! segment id is that service id. The notes are `disposition_desc`: 64
//! characters, counted as Genesys counts them. No interaction record is
//! created: that is ServiceNow's.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wrapup_core::bs::Workitem;
use wrapup_core::cti_wrapup::{CtiWrapup, genesys_service_id};
use wrapup_core::desk::{BackendAnswer, WrapupSubmission};
use wrapup_core::genesys::WrapupServiceEnd;

use super::api::SubmissionRequest;
use super::delivery::Undelivered;
use super::outbox::{Backend, OutboxEntry};
use super::{Runtime, warn};
use crate::i18n::{BackendFailure, FailureReport};

impl Runtime {
    /// `OpenWrapupSegment` in the Genesys profile: what this browser kept
    /// (outbox entry, draft) goes back to the Desk first, then the wrap-up the
    /// call data announces, begun when the CTI system says (so a reload keeps
    /// the deadline), else when the Desk saw it begin.
    pub(super) fn open_genesys_wrapup(&self, workitem: &Workitem, started_at: DateTime<Utc>) {
        if self.stopped() {
            return;
        }
        let cti_data = workitem.cti_data.as_ref();
        let announced = CtiWrapup::read(cti_data);
        let service_id = genesys_service_id(cti_data);
        if service_id.is_none() {
            warn("the call names no Genesys service (ctiData user.genesysServiceId)");
        }
        self.restore(&workitem.id, None);
        self.dispatch(BackendAnswer::SegmentOpened {
            workitem_id: workitem.id.clone(),
            segment_id: service_id.map(|id| id.to_string()),
            configuration: announced.genesys_config(),
            opened_on: announced.opened_on.unwrap_or(started_at),
        });
    }

    /// The outbox entry of a Genesys submission: its service is the Desk's
    /// segment id or, for a submission made before the wrap-up was opened
    /// (the call ended first), the one the call data names.
    pub(super) fn genesys_entry(&self, submission: &WrapupSubmission) -> OutboxEntry {
        let mut entry = OutboxEntry::new(submission, None).to(Backend::Genesys);
        if entry.segment_id.is_none() {
            entry.segment_id = self
                .inner
                .store
                .desk
                .with_untracked(|desk| {
                    genesys_service_id(desk.workitem(&submission.workitem_id)?.cti_data.as_ref())
                })
                .map(|id| id.to_string());
        }
        entry
    }

    /// The Service End Event of `entry`, for its service.
    pub(super) fn genesys_submission(
        entry: &OutboxEntry,
    ) -> Result<SubmissionRequest, Undelivered> {
        let Some(service_id) = entry
            .segment_id
            .as_deref()
            .and_then(|id| id.parse::<i64>().ok())
        else {
            return Err(Undelivered::Refused(FailureReport::new(
                BackendFailure::ServiceUnknown,
                None,
            )));
        };
        // Written from the entry where it lies, as `CompleteServiceRequest::
        // wrapup` of it would be, without building one.
        let request = WrapupServiceEnd {
            code: entry.code.as_deref(),
            notes: &entry.notes,
            interaction_id: &entry.workitem_id,
            completed_at: entry.confirmed_on,
        };
        Ok(SubmissionRequest::complete_service(service_id, &request))
    }
}

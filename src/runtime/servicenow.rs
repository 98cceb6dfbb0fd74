//! The ServiceNow flow of a wrap-up: the wrap-up segment (found or opened),
//! and the submission's request (`PUT segment/update`) for the persisted
//! outbox (`delivery.rs`). The call's interaction record is `openframe.rs`'s.
//!
//! Finding the segment follows the contract with the reference server's
//! simulator (see `crates/server/src/sim/calls.rs`): the simulator opens the
//! segment on hangup, for the interaction whose `clientSessionId` is the
//! workitem id — the one this widget created — so `GET segment by agent +
//! interaction` finds it. If the interaction was not created in time, the
//! CTI event's `user.wrapupSegmentSysId` names the segment. A segment this
//! widget opened carries the workitem id as `external_segment_id`, which the
//! lookup by id also finds. Only when every lookup answered 404 does the
//! widget open it (`segment/create`); a lookup without a definite answer is
//! retried with backoff (see `segment_lookup.rs`), so a lost answer never
//! opens a second segment.

use chrono::{DateTime, Utc};
use wrapup_core::bs::Workitem;
use wrapup_core::cti_wrapup::{self, CtiWrapup};
use wrapup_core::datetime::ServiceNowDateTime;
use wrapup_core::desk::{BackendAnswer, NotesLimit, WrapupCode, WrapupConfig, WrapupSubmission};
use wrapup_core::servicenow::{
    ExternalSegmentCreate, Segment, SegmentKey, SegmentState, SegmentUpdateRequest,
    WrapUpConfiguration,
};

use super::api::{SegmentLookup, SubmissionRequest};
use super::delivery::Undelivered;
use super::outbox::{OutboxEntry, backoff_delay};
use super::segment_lookup::{Lookup, SegmentStep, next_step};
use super::{Runtime, warn, warn_args};
use crate::i18n::{BackendFailure, FailureReport};

/// Attempts to find or open a segment before giving the agent an offline one.
const SEGMENT_ATTEMPTS: u32 = 5;

/// The Desk's configuration of a ServiceNow segment: labels in the agent's
/// language (the server translates for `Accept-Language`), the duration the
/// segment was opened with, and ServiceNow's 4000-character notes.
pub fn wrapup_config(configuration: &WrapUpConfiguration) -> WrapupConfig {
    WrapupConfig {
        allowed_codes: configuration
            .allowed_codes
            .iter()
            .map(|code| {
                let label = code.translated_code.trim();
                if label.is_empty() || label == code.code {
                    WrapupCode::new(code.code.clone())
                } else {
                    WrapupCode::translated(code.code.clone(), label)
                }
            })
            .collect(),
        default_code: configuration
            .default_code
            .as_ref()
            .map(|code| code.code.clone()),
        enable_codes: configuration.enable_codes,
        duration: configuration.duration.and_then(|duration| duration.limit()),
        notes_limit: Some(NotesLimit::SERVICENOW),
        // A segment with allowed codes answers 400 to any other code.
        custom_codes_allowed: configuration.allowed_codes.is_empty(),
    }
}

/// The submission a closed segment records, for the Desk to never submit
/// again; a segment with no time at all is taken as confirmed `now`.
pub fn submission_of_closed(
    workitem_id: &str,
    segment: &Segment,
    now: DateTime<Utc>,
) -> WrapupSubmission {
    let confirmed_on = segment
        .confirmed_on
        .or(segment.submitted_on)
        .or(segment.opened_on)
        .map_or(now, |at| at.get());
    WrapupSubmission {
        workitem_id: workitem_id.to_owned(),
        segment_id: Some(segment.sys_id.clone()),
        code: segment.code.as_ref().map(|code| code.code.clone()),
        notes: segment.notes.clone().unwrap_or_default(),
        confirmed_on,
        automatic: false,
    }
}

/// The segment the call data names (`user.wrapupSegmentSysId`), if it is
/// not the workitem's own id.
fn named_segment(workitem: &Workitem) -> Option<&str> {
    workitem
        .cti_data
        .as_ref()
        .and_then(|cti| cti.ecc_variable(cti_wrapup::SEGMENT_SYS_ID))
        .filter(|id| !id.is_empty() && *id != workitem.id)
}

/// What the call data announces of a wrap-up, for the Desk when the
/// segment cannot be reached: the segment it names, the codes and the time.
struct Announced {
    segment_id: Option<String>,
    configuration: WrapupConfig,
    started_at: DateTime<Utc>,
}

impl Runtime {
    /// One round of lookups: by agent + interaction, by the segment the CTI
    /// event names, and by the workitem id (the external segment id of a
    /// segment this widget opened), stopping at the first found.
    async fn look_up_segment(
        &self,
        workitem: &Workitem,
        interaction: Option<&str>,
    ) -> SegmentStep<Segment> {
        let by_interaction = interaction.map(|interaction| {
            let agent = self.inner.agent_id.as_str();
            let which = SegmentLookup::Interaction { agent, interaction };
            (which, "by interaction")
        });
        let by_id = named_segment(workitem)
            .into_iter()
            .chain(std::iter::once(workitem.id.as_str()))
            .map(|id| (SegmentLookup::Id(id), id));
        let mut lookups = Vec::new();
        for (which, what) in by_interaction.into_iter().chain(by_id) {
            if matches!(lookups.last(), Some(Lookup::Found(_))) {
                break;
            }
            lookups.push(lookup(self.inner.api.segment(which).await, what));
        }
        next_step(lookups)
    }

    /// `OpenWrapupSegment`: find or open the segment, then answer the Desk.
    ///
    /// The wrap-up begins when the CTI system says it did (so a reload keeps
    /// the deadline), else when the Desk saw it begin. A segment that cannot
    /// be reached leaves the agent the wrap-up the call data announces (its
    /// codes and time), submitted to the segment it names, else by agent and
    /// interaction.
    pub(super) async fn open_segment(&self, workitem: Workitem, started_at: DateTime<Utc>) {
        let announced = CtiWrapup::read(workitem.cti_data.as_ref());
        let started_at = announced.opened_on.unwrap_or(started_at);
        let interaction = self.interaction_of(&workitem).await;
        let mut segment = None;
        let mut signed_out = false;
        for attempt in 1..=SEGMENT_ATTEMPTS {
            if self.stopped() {
                return;
            }
            match self
                .look_up_segment(&workitem, interaction.as_deref())
                .await
            {
                SegmentStep::Use(found) => {
                    segment = Some(found);
                    break;
                }
                SegmentStep::GiveUp => break,
                SegmentStep::SignedOut => {
                    signed_out = true;
                    break;
                }
                SegmentStep::LookAgain => {}
                SegmentStep::Create => {
                    // Written from the parts where they lie, not built.
                    let request = ExternalSegmentCreate {
                        agent_sys_id: &self.inner.agent_id,
                        interaction_sys_id: interaction.as_deref().unwrap_or(&workitem.id),
                        external_segment_id: &workitem.id,
                        announced: &announced,
                        opened_on: started_at,
                    };
                    match self.inner.api.create_segment(&request).await {
                        Ok(created) => {
                            segment = Some(created.segment);
                            break;
                        }
                        // The answer may be lost after the segment was
                        // created (or another tab created it first): the
                        // next round finds it by its external id.
                        Err(error) if error.is_transient() || error.status() == Some(409) => {
                            warn_args(format_args!("opening the wrap-up segment failed: {error}"));
                        }
                        Err(error) => {
                            warn_args(format_args!(
                                "the wrap-up segment could not be opened: {error}"
                            ));
                            signed_out = error.refuses_sign_in();
                            break;
                        }
                    }
                }
            }
            if attempt < SEGMENT_ATTEMPTS {
                let delay = backoff_delay(attempt, js_sys::Math::random());
                if !self.inner.lifetime.sleep(delay).await {
                    return;
                }
            }
        }
        if self.stopped() {
            return;
        }
        // Asking again changes nothing until the server accepts the widget's
        // sign-in: then the segment is looked for again
        // (`deliver_after_sign_in`).
        // What follows needs the workitem's id and named segment only: the
        // workitem itself is moved to `unopened`, not copied.
        let workitem_id = workitem.id.clone();
        let segment_id = named_segment(&workitem).map(str::to_owned);
        {
            let mut unopened = self.inner.unopened.borrow_mut();
            // One entry per call at most (kept in order: they are looked
            // for again in it).
            if let Some(index) = unopened.iter().position(|(call, _)| call.id == workitem_id) {
                unopened.remove(index);
            }
            if signed_out {
                unopened.push((workitem, started_at));
            }
        }
        if let (None, Some(found)) = (&interaction, &segment) {
            self.learn_interaction(&workitem_id, found);
        }
        self.segment_found(
            &workitem_id,
            segment,
            Announced {
                segment_id,
                configuration: announced.servicenow_config(),
                started_at,
            },
        );
    }

    /// Answers the Desk. A restore (outbox entry, closed segment, draft) goes
    /// in before `SegmentOpened`, so that a deadline that passed while the
    /// page was away cannot submit over what the agent already did. Without
    /// a segment, the wrap-up is the one `announced`.
    fn segment_found(&self, workitem_id: &str, segment: Option<Segment>, announced: Announced) {
        let started_at = announced.started_at;
        let closed = segment
            .as_ref()
            .filter(|segment| segment.state == SegmentState::Closed)
            .map(|segment| {
                let submission = submission_of_closed(
                    workitem_id,
                    segment,
                    super::clock::cti_now(self.inner.store),
                );
                (submission, wrapup_config(&segment.wrap_up_configuration))
            });
        let restored_closed = self.restore(workitem_id, closed);
        // A submission made before the segment could be reached (the
        // server did not accept the widget's sign-in, or a page before did
        // not reach it) goes to the one found now.
        let named = segment.as_ref().is_some_and(|segment| {
            let mut outbox = self.inner.outbox.borrow_mut();
            let named = outbox.name_segment(workitem_id, &segment.sys_id);
            if named {
                outbox.save(&self.inner.storage);
            }
            named
        });
        if named {
            self.spawn_delivery(workitem_id.to_owned());
        }
        if segment.is_none() {
            warn(
                "no wrap-up segment could be reached: the wrap-up goes on with the codes and time \
                 the call data announces, and is submitted to the segment it names (else by \
                 agent and interaction)",
            );
        }
        let (segment_id, configuration, opened_on) = match &segment {
            Some(segment) => (
                Some(segment.sys_id.clone()),
                wrapup_config(&segment.wrap_up_configuration),
                segment.opened_on.map_or(started_at, |at| at.get()),
            ),
            None => (announced.segment_id, announced.configuration, started_at),
        };
        self.dispatch(BackendAnswer::SegmentOpened {
            workitem_id: workitem_id.to_owned(),
            segment_id,
            configuration,
            opened_on,
        });
        if restored_closed {
            self.dispatch(BackendAnswer::SubmissionConfirmed {
                workitem_id: workitem_id.to_owned(),
            });
            self.settled(workitem_id);
        }
    }

    /// The `PUT segment/update` of `entry`, naming the segment by its
    /// sys_id, or by agent + interaction when the segment was not known yet.
    pub(super) fn servicenow_submission(
        &self,
        entry: &OutboxEntry,
    ) -> Result<SubmissionRequest, Undelivered> {
        let key = match (&entry.segment_id, &entry.interaction_id) {
            (Some(segment), _) => SegmentKey::SegmentSysId(segment.clone()),
            (None, Some(interaction)) => SegmentKey::AgentInteraction {
                agent_sys_id: self.inner.agent_id.clone(),
                interaction_sys_id: interaction.clone(),
            },
            // Not reached because the server did not accept the widget's
            // sign-in, the segment is looked for again once it does.
            (None, None) => {
                let workitem_id = &entry.workitem_id;
                let unopened = self.inner.unopened.borrow();
                return Err(
                    if unopened.iter().any(|(call, _)| call.id == *workitem_id) {
                        Undelivered::SignedOut(FailureReport::new(
                            BackendFailure::NotSignedIn,
                            None,
                        ))
                    } else {
                        Undelivered::Refused(FailureReport::new(
                            BackendFailure::SegmentUnknown,
                            None,
                        ))
                    },
                );
            }
        };
        let request = SegmentUpdateRequest {
            wrap_up_code: entry.code.clone(),
            notes: Some(entry.notes.clone()),
            confirmed_on: Some(ServiceNowDateTime::new(entry.confirmed_on)),
        };
        Ok(SubmissionRequest::segment_update(&key, &request))
    }
}

/// Classifies one lookup's answer, logging what is not a plain 404.
fn lookup(
    answer: Result<wrapup_core::servicenow::SegmentGetResponse, super::api::ApiError>,
    what: &str,
) -> Lookup<Segment> {
    if let Err(error) = &answer
        && error.status() != Some(404)
    {
        warn_args(format_args!(
            "looking up the wrap-up segment {what} failed: {error}"
        ));
    }
    Lookup::of(answer, |found| found.segment)
}

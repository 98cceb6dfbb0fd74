//! The wrap-up segment of a simulated call: opened when the call enters
//! wrap-up, as a CCaaS system would through the Wrap Up API, and tied to the
//! interaction record the widget created for the call.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use wrapup_core::datetime::ServiceNowDateTime;
use wrapup_core::servicenow::{
    AllowedCode, SegmentConfiguration, SegmentCreateRequest, SegmentState, WrapUpDuration,
};

use super::calls::Call;
use crate::servicenow::segment_store::{self, StoredSegment};
use crate::store::StoreError;
use crate::{AppState, servicenow};

/// Opens the call's wrap-up segment, as a CCaaS system would through the
/// Wrap Up API.
pub async fn open(
    state: &AppState,
    call: &Call,
    now: DateTime<Utc>,
) -> Result<StoredSegment, StoreError> {
    let plan = call.wrapup.clone().unwrap_or_default();
    let request = SegmentCreateRequest {
        agent_sys_id: call.agent_id.clone(),
        interaction_sys_id: call.id.clone(),
        external: None,
        segmented: None,
        segment_table: Some("sn_openframe_phone_log".to_owned()),
        segment_id: Some(call.id.clone()),
        external_segment_id: Some(call.id.clone()),
        configuration: Some(SegmentConfiguration {
            enable_codes: Some(plan.enable_codes),
            allowed_codes: Some(
                plan.allowed_codes
                    .iter()
                    .map(|code| AllowedCode {
                        code: code.clone(),
                        translation: None,
                    })
                    .collect(),
            ),
            default_code: plan.default_code.clone(),
            duration: Some(
                plan.duration
                    .map_or(WrapUpDuration::NoLimit, WrapUpDuration::seconds),
            ),
            show_timer: Some(plan.duration.is_some()),
        }),
        opened_on: Some(ServiceNowDateTime::new(now)),
        wrap_up_configuration_sys_id: None,
    };
    let language = state.language.to_string();
    let wrapup_end = plan
        .duration
        .and_then(|seconds| i64::try_from(seconds).ok())
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|duration| now.checked_add_signed(duration));
    state
        .db
        .call(move |connection| {
            let mut request = request;
            let transaction = connection.transaction()?;
            // The simulator ↔ widget contract: the segment belongs to the
            // interaction record the widget created for this call (openframe
            // POST with `clientSessionId` = workitem id), so the widget's
            // `GET segment/agent/{agent}/interaction/{interaction}` finds it.
            // Without such a record (no widget, or it was too slow) the call
            // id stands in; the `user.wrapupSegmentSysId` ctiData variable of
            // the wrap-up event names the segment either way.
            if let Some(interaction) = interaction_of_call(&transaction, &request.segment_id)? {
                request.interaction_sys_id = interaction;
            }
            let configuration = servicenow::sim_configuration(&transaction, &request, &language)?;
            let stored = segment_store::insert(
                &transaction,
                StoredSegment {
                    segment: wrapup_core::servicenow::Segment {
                        agent: request.agent_sys_id.clone(),
                        segment_table: request.segment_table.clone(),
                        segment_id: request.segment_id.clone(),
                        external: true,
                        interaction: request.interaction_sys_id.clone(),
                        state: SegmentState::Open,
                        wrap_up_configuration: configuration,
                        code: None,
                        notes: None,
                        segmented: true,
                        sys_id: crate::store::new_sys_id(),
                        opened_on: request.opened_on,
                        submitted_on: None,
                        confirmed_on: None,
                        awaiting_confirmation: None,
                    },
                    external_segment_id: request.external_segment_id.clone(),
                    wrapup_end,
                },
            )?;
            transaction.commit()?;
            Ok(stored)
        })
        .await
}

/// The newest openframe interaction whose `clientSessionId` is the call id.
fn interaction_of_call(
    connection: &Connection,
    call_id: &Option<String>,
) -> Result<Option<String>, StoreError> {
    let Some(call_id) = call_id else {
        return Ok(None);
    };
    Ok(connection
        .query_row(
            "SELECT sys_id FROM interactions
             WHERE json_extract(interaction, '$.clientSessionId') = ?1
             ORDER BY seq DESC LIMIT 1",
            [call_id],
            |row| row.get(0),
        )
        .optional()?)
}

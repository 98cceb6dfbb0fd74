//! `PUT /now/wrapup/segment/update`: submit and close a wrap-up segment.
//!
//! The segment to update is named in the query string, by one of three keys
//! in a documented order of precedence; [`SegmentUpdateQuery::resolve`]
//! applies it.

use serde::{Deserialize, Serialize};

use crate::datetime::ServiceNowDateTime;
use crate::json::{ToJson, Writer};

/// The query parameters of `PUT /now/wrapup/segment/update`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SegmentUpdateQuery {
    /// Sys_id of the wrap-up segment; wins over every other key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_sys_id: Option<String>,
    /// The segment's identifier on the external system; used if `segment_sys_id` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_segment_id: Option<String>,
    /// Sys_id of the agent; with `interaction_sys_id`, used if neither id above is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_sys_id: Option<String>,
    /// Sys_id of the interaction; with `agent_sys_id`, used if neither id above is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_sys_id: Option<String>,
}

/// Which segment an update is for, after the precedence rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SegmentKey {
    /// By the wrap-up segment's sys_id.
    SegmentSysId(String),
    /// By the segment's identifier on the external system.
    ExternalSegmentId(String),
    /// By the agent and the interaction.
    AgentInteraction {
        /// Sys_id of the agent.
        agent_sys_id: String,
        /// Sys_id of the interaction.
        interaction_sys_id: String,
    },
}

/// A segment/update query that names no segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "say which segment to update with segment_sys_id, external_segment_id, \
     or agent_sys_id together with interaction_sys_id; missing: {}",
    .missing.join(", ")
)]
pub struct MissingSegmentKey {
    /// The parameters that would have completed the last fallback, agent + interaction.
    pub missing: Vec<&'static str>,
}

impl SegmentUpdateQuery {
    /// Applies the documented precedence: `segment_sys_id`, else
    /// `external_segment_id`, else `agent_sys_id` with `interaction_sys_id`.
    /// An empty parameter (`?segment_sys_id=`) counts as absent.
    pub fn resolve(&self) -> Result<SegmentKey, MissingSegmentKey> {
        let given = |value: &Option<String>| value.clone().filter(|value| !value.is_empty());
        if let Some(sys_id) = given(&self.segment_sys_id) {
            return Ok(SegmentKey::SegmentSysId(sys_id));
        }
        if let Some(id) = given(&self.external_segment_id) {
            return Ok(SegmentKey::ExternalSegmentId(id));
        }
        match (given(&self.agent_sys_id), given(&self.interaction_sys_id)) {
            (Some(agent_sys_id), Some(interaction_sys_id)) => Ok(SegmentKey::AgentInteraction {
                agent_sys_id,
                interaction_sys_id,
            }),
            (agent, interaction) => Err(MissingSegmentKey {
                missing: [
                    agent.is_none().then_some("agent_sys_id"),
                    interaction.is_none().then_some("interaction_sys_id"),
                ]
                .into_iter()
                .flatten()
                .collect(),
            }),
        }
    }
}

impl From<SegmentKey> for SegmentUpdateQuery {
    fn from(key: SegmentKey) -> Self {
        match key {
            SegmentKey::SegmentSysId(sys_id) => Self {
                segment_sys_id: Some(sys_id),
                ..Self::default()
            },
            SegmentKey::ExternalSegmentId(id) => Self {
                external_segment_id: Some(id),
                ..Self::default()
            },
            SegmentKey::AgentInteraction {
                agent_sys_id,
                interaction_sys_id,
            } => Self {
                agent_sys_id: Some(agent_sys_id),
                interaction_sys_id: Some(interaction_sys_id),
                ..Self::default()
            },
        }
    }
}

/// The body of `PUT /now/wrapup/segment/update`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SegmentUpdateRequest {
    /// Label of the code the agent picked; absent means the configured default code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_up_code: Option<String>,
    /// The agent's notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// End of the wrap-up period according to the external system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_on: Option<ServiceNowDateTime>,
}

// Written by hand for the widget, as `Serialize` writes it (`json::write`).
impl ToJson for SegmentUpdateRequest {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("wrap_up_code", &self.wrap_up_code);
        out.optional("notes", &self.notes);
        out.optional("confirmed_on", &self.confirmed_on);
        out.end_object();
    }
}

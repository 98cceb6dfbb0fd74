//! The agent's state per channel, from `agentStateChange` events.

use chrono::{DateTime, Utc};

use crate::bs::{AgentState, AgentStateChange, ChannelType, CilEvent};

use super::{Desk, Effect};

/// The agent's state on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentChannelState {
    /// The channel type, if the CTI system said.
    pub channel_type: Option<ChannelType>,
    /// The state.
    pub state: AgentState,
    /// The reason code; `None` when there is none (negative on the wire).
    pub reason_code: Option<i64>,
    /// The reason's name.
    pub reason_label: Option<String>,
    /// When the state began.
    pub changed_at: Option<DateTime<Utc>>,
}

impl Desk {
    /// Records a state change and passes it on, unless it repeats the
    /// current state or is older than it.
    pub(super) fn on_agent_state_change(
        &mut self,
        change: AgentStateChange,
        effects: &mut Vec<Effect>,
    ) {
        let channel_id = change.channel_id.clone().unwrap_or_default();
        let next = AgentChannelState {
            channel_type: change.channel_type.clone(),
            state: change.new_state.clone(),
            reason_code: change.new_reason_code.and_then(|code| code.get()),
            reason_label: change.new_reason_code_label.clone(),
            changed_at: change.new_state_change_time,
        };
        if let Some(current) = self.agent_states.get(&channel_id) {
            let repeated = current.state == next.state
                && current.reason_code == next.reason_code
                && current.reason_label == next.reason_label
                && current.changed_at == next.changed_at;
            // Equal times are not stale: the later event of two in the same
            // millisecond is the newer one.
            let stale = matches!(
                (current.changed_at, next.changed_at),
                (Some(current_time), Some(next_time)) if next_time < current_time
            );
            if repeated || stale {
                return;
            }
        }
        self.agent_states.insert(channel_id, next);
        effects.push(Effect::Emit(CilEvent::AgentStateChange(change)));
    }
}

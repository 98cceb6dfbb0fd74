//! The agent's state after a reload: the Desk starts empty and the stream
//! replays only the live workitems' events, so the state is asked for with
//! `getChannel` and fed to the Desk as an `agentStateChange`.

use wrapup_core::bs::{AgentStateChange, Channel, CilEvent};
use wrapup_core::desk::Desk;

/// The `agentStateChange` the channel reference of `getChannel` stands for
/// (no old state: the widget never saw one), if it names a channel and state.
pub fn state_change_of(channel: &Channel) -> Option<AgentStateChange> {
    let state = channel.state.clone()?;
    Some(AgentStateChange {
        channel_type: channel.channel_type.clone(),
        channel_id: Some(channel.id.clone()?),
        new_state: state,
        new_reason_code: channel.reason_code,
        new_reason_code_label: channel.reason_code_label.clone(),
        new_state_change_time: channel.state_change_time,
        old_state: None,
        ..AgentStateChange::default()
    })
}

/// The event to feed `desk`, unless it already knows the channel's state
/// (a live event is newer than the answer to a request).
pub fn seed_event(desk: &Desk, channel: &Channel) -> Option<CilEvent> {
    let change = state_change_of(channel)?;
    let channel_id = change.channel_id.as_deref()?;
    desk.agent_state(channel_id)
        .is_none()
        .then_some(CilEvent::AgentStateChange(change))
}

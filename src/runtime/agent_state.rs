//! The agent's state after a reload: the Desk starts empty and the stream
//! replays only the live workitems' events, so the state is asked for with
//! `getChannel` and fed to the Desk as an `agentStateChange`; the agent's
//! choice of Not ready after their calls, which the CTI system does not
//! tell, is kept in storage.

use leptos::prelude::*;
use wrapup_core::bs::{AgentStateChange, Channel, CilEvent, GetChannelResult};
use wrapup_core::desk::Desk;

use super::storage::LocalStore;
use crate::reactive::effect;
use crate::store::{DeskStore, NotReadyAfterCalls};

/// Where the choice of Not ready after the calls is stored.
pub(super) const AFTER_CALLS_KEY: &str = "not-ready-after-calls";

/// The agent's name in `getChannel`'s answer: first and last name, or
/// either, or the login name; `None` when it names none.
pub fn agent_name(result: &GetChannelResult) -> Option<String> {
    let name = [&result.first_name, &result.last_name]
        .into_iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let login = result.login_name.as_deref().map(str::trim);
    Some(name)
        .filter(|name| !name.is_empty())
        .or_else(|| login.filter(|login| !login.is_empty()).map(str::to_owned))
}

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

/// Restores the choice of Not ready after the calls from `storage` (unless
/// the agent made one already) and keeps it there as it changes: a reload
/// during a call still shows where the agent goes when it is over.
pub fn keep_after_calls(store: DeskStore, storage: LocalStore) {
    if let Some(stored) = storage.get::<NotReadyAfterCalls>(AFTER_CALLS_KEY) {
        store.not_ready_after_calls.update(|choice| {
            choice.get_or_insert(stored);
        });
    }
    effect(move || {
        store.not_ready_after_calls.with(|choice| match choice {
            Some(choice) => {
                storage.set(AFTER_CALLS_KEY, choice);
            }
            None => storage.remove(AFTER_CALLS_KEY),
        });
    });
}

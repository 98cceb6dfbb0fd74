//! The simulated agent: state, reason code and change time per agent id,
//! the reason codes of each kind (`getReasonCodeList`), and the e-mail a
//! call may register for Tenios.
//!
//! Set by `setAgentState`, answered by `getChannel`, and logged in
//! (NotReady) the first time the agent's event stream opens, as a CTI system
//! does when an agent logs in — so the widget knows the state from the start
//! instead of showing it as unknown.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use wrapup_core::bs::{
    AgentState, AgentStateChange, Channel, ChannelType, CilEvent, GetChannelResult, ReasonCode,
    ReasonCodeEntry, ReasonType, Workitem,
};

use super::events::publish;
use crate::AppState;
use crate::store::{StoreError, from_json_column};

/// The voice channel of the simulated CCX system.
pub const CHANNEL: &str = "voice_-1";

/// The NotReady reason codes of the simulated contact center.
const NOT_READY_REASONS: [(i64, &str); 3] = [(1, "Break"), (2, "Lunch"), (3, "Meeting")];

/// Its Logout reason codes, numbered apart from the NotReady ones.
const LOGOUT_REASONS: [(i64, &str); 3] = [
    (11, "End of Shift"),
    (12, "Training"),
    (13, "Technical Issue"),
];

/// The reason codes an agent may give for entering `state`; only NotReady
/// and Logout take one.
fn reasons_for(state: &AgentState) -> &'static [(i64, &'static str)] {
    match state {
        AgentState::NotReady => &NOT_READY_REASONS,
        AgentState::Logout => &LOGOUT_REASONS,
        _ => &[],
    }
}

/// `getReasonCodeList`: the reasons of `reason_type`. The Wrapup reasons are
/// the active codes of the wrap-up code table (the demo's, those of the Wrap
/// Up Code API and those simulated calls allowed), labelled as a call's
/// `wrapUpReason` carries them. An absent or unknown kind, which validation
/// refuses, has none.
pub async fn reason_code_list(
    state: &AppState,
    reason_type: Option<&ReasonType>,
) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    let reasons: &[(i64, &str)] = match reason_type {
        Some(ReasonType::NotReady) => &NOT_READY_REASONS,
        Some(ReasonType::Logout) => &LOGOUT_REASONS,
        Some(ReasonType::Wrapup) => return wrapup_reasons(state).await,
        None | Some(ReasonType::Other(_)) => &[],
    };
    Ok(reasons
        .iter()
        .map(|(id, label)| ReasonCodeEntry {
            label: (*label).to_owned(),
            id: id.to_string(),
        })
        .collect())
}

/// The active wrap-up codes by label, each identified by its sys_id.
async fn wrapup_reasons(state: &AppState) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    state
        .db
        .call(|connection| {
            let mut statement = connection
                .prepare("SELECT code, sys_id FROM wrap_up_codes WHERE active = 1 ORDER BY code")?;
            let reasons = statement
                .query_map([], |row| {
                    Ok(ReasonCodeEntry {
                        label: row.get(0)?,
                        id: row.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(reasons)
        })
        .await
}

/// The label of reason code `id` for entering `state`, or `None` when the
/// contact center has no such code for that state.
pub fn reason_label(state: &AgentState, id: &str) -> Option<(ReasonCode, &'static str)> {
    reasons_for(state)
        .iter()
        .find(|(code, _)| code.to_string() == id.trim())
        .map(|(code, label)| (ReasonCode(*code), *label))
}

/// What the simulator knows of an agent.
#[derive(Debug, Clone)]
struct Stored {
    state: AgentState,
    reason: Option<ReasonCode>,
    changed_at: Option<DateTime<Utc>>,
}

impl Stored {
    /// The label of the agent's reason code.
    fn reason_label(&self) -> Option<String> {
        self.reason
            .and_then(|code| reason_label(&self.state, &code.0.to_string()))
            .map(|(_, label)| label.to_owned())
    }
}

fn stored(connection: &rusqlite::Connection, agent_id: &str) -> Result<Option<Stored>, StoreError> {
    let row: Option<(String, Option<i64>, Option<String>)> = connection
        .query_row(
            "SELECT state, reason_code, changed_at FROM agent_states WHERE agent_id = ?1",
            [agent_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(state, reason, changed_at)| Stored {
        state: AgentState::from(state.as_str()),
        reason: reason.map(ReasonCode),
        changed_at: changed_at
            .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
            .map(|at| at.with_timezone(&Utc)),
    }))
}

/// Moves the agent to `new_state` with `reason` and streams the `agentStateChange`.
pub async fn set_state(
    state: &AppState,
    agent_id: &str,
    new_state: AgentState,
    reason: Option<ReasonCode>,
    request_id: Option<String>,
) -> Result<(), StoreError> {
    let now = state.clock.now();
    let agent = agent_id.to_owned();
    let text = new_state.to_string();
    let old = state
        .db
        .call(move |connection| {
            let old = stored(connection, &agent)?;
            connection.execute(
                "INSERT INTO agent_states (agent_id, state, reason_code, changed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (agent_id) DO UPDATE SET state = excluded.state,
                 reason_code = excluded.reason_code, changed_at = excluded.changed_at",
                params![agent, text, reason.map(|code| code.0), now.to_rfc3339()],
            )?;
            Ok(old)
        })
        .await?;
    let old = old.unwrap_or(LOGGED_OUT);
    let new = Stored {
        state: new_state,
        reason,
        changed_at: Some(now),
    };
    publish_change(state, agent_id, old, new, request_id).await
}

/// Logs a new agent in (NotReady) when their stream first opens or they ask
/// `getChannel`; an agent the simulator already knows keeps their state.
/// The insert decides, so two first requests at once log in once.
pub async fn log_in_if_new(state: &AppState, agent_id: &str) -> Result<(), StoreError> {
    let now = state.clock.now();
    let agent = agent_id.to_owned();
    let logged_in = state
        .db
        .call(move |connection| {
            let inserted = connection.execute(
                "INSERT INTO agent_states (agent_id, state, changed_at) VALUES (?1, 'NotReady', ?2)
                 ON CONFLICT (agent_id) DO NOTHING",
                params![agent, now.to_rfc3339()],
            )?;
            Ok(inserted == 1)
        })
        .await?;
    if !logged_in {
        return Ok(());
    }
    let new = Stored {
        state: AgentState::NotReady,
        reason: None,
        changed_at: Some(now),
    };
    publish_change(state, agent_id, LOGGED_OUT, new, None).await
}

/// An agent the simulator has not seen yet.
const LOGGED_OUT: Stored = Stored {
    state: AgentState::Logout,
    reason: None,
    changed_at: None,
};

async fn publish_change(
    state: &AppState,
    agent_id: &str,
    old: Stored,
    new: Stored,
    request_id: Option<String>,
) -> Result<(), StoreError> {
    let (new_label, old_label) = (new.reason_label(), old.reason_label());
    let change = AgentStateChange {
        request_id,
        channel_type: Some(ChannelType::Voice),
        channel_id: Some(CHANNEL.to_owned()),
        new_reason_code: Some(new.reason.unwrap_or(ReasonCode::NONE)),
        new_reason_code_label: new_label,
        new_state_change_time: new.changed_at,
        new_state: new.state,
        old_state: Some(old.state),
        old_reason_code: Some(old.reason.unwrap_or(ReasonCode::NONE)),
        old_reason_code_label: old_label,
        old_state_change_time: old.changed_at,
        ..AgentStateChange::default()
    };
    publish(state, agent_id, &CilEvent::AgentStateChange(change)).await?;
    Ok(())
}

/// `getChannel`: the agent's voice channel with its live workitems. Asking
/// logs a new agent in, as opening the stream does, so the answer and the
/// stream tell the same state (the widget asks while its stream opens).
pub async fn channel(state: &AppState, agent_id: &str) -> Result<GetChannelResult, StoreError> {
    log_in_if_new(state, agent_id).await?;
    let agent = agent_id.to_owned();
    let (stored, workitems) = state
        .db
        .call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT workitem FROM sim_calls WHERE agent_id = ?1
                 AND state NOT IN ('Ended', 'EndedAbandoned', 'EndedTransferred', 'EndedUnknown')
                 ORDER BY created_at",
            )?;
            let texts = statement
                .query_map([&agent], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let workitems = texts
                .iter()
                .map(|text| from_json_column::<Workitem>("workitem", text))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((stored(connection, &agent)?, workitems))
        })
        .await?;
    let stored = stored.unwrap_or(LOGGED_OUT);
    let reason_code_label = stored.reason_label();
    Ok(GetChannelResult {
        agent_id: Some(agent_id.to_owned()),
        extension: Some(agent_id.to_owned()),
        channel: Some(Channel {
            id: Some(CHANNEL.to_owned()),
            channel_type: Some(ChannelType::Voice),
            state: Some(stored.state),
            reason_code: Some(stored.reason.unwrap_or(ReasonCode::NONE)),
            reason_code_label,
            state_change_time: stored.changed_at,
            workitems,
            ..Channel::default()
        }),
        ..GetChannelResult::default()
    })
}

/// Registers `agent_id` with `email` (Tenios names agents by e-mail); the
/// inner error says why not, when another agent has that e-mail.
pub async fn register(
    state: &AppState,
    agent_id: &str,
    email: &str,
) -> Result<Result<(), String>, StoreError> {
    let (agent_id, email) = (agent_id.to_owned(), email.to_owned());
    state
        .db
        .call(move |connection| {
            let owner: Option<String> = connection
                .query_row(
                    "SELECT sys_id FROM agents WHERE email = ?1",
                    [&email],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(owner) = owner.filter(|owner| *owner != agent_id) {
                return Ok(Err(format!(
                    "agent_email: {email} is the e-mail of agent {owner}"
                )));
            }
            connection.execute(
                "INSERT INTO agents (sys_id, email) VALUES (?1, ?2)
                 ON CONFLICT (sys_id) DO UPDATE SET email = excluded.email",
                params![agent_id, email],
            )?;
            Ok(Ok(()))
        })
        .await
}

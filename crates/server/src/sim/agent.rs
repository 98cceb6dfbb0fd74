//! The simulated agent: state, reason code and change time per agent id,
//! the state they return to after their calls, and the e-mail a call may
//! register for Tenios.
//!
//! Set by `setAgentState`, answered by `getChannel`, and logged in
//! (NotReady) the first time the agent's event stream opens, as a CTI system
//! does when an agent logs in — so the widget knows the state from the start
//! instead of showing it as unknown. The calls of an agent in Ready move
//! the state too ([`follow_calls`]): Active while one is connected or on
//! hold, Wrapup while one is in wrap-up, and back to the follow-up state
//! when they are over. An agent in NotReady keeps it through their calls,
//! as in CCX, which the simulator is: "When a call is received/placed and
//! the agent state is Not Ready, no agentStateChange (Active) event will be
//! dispatched in CCX" (the API document).

mod follow;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use wrapup_core::bs::{
    AgentState, AgentStateChange, Channel, ChannelType, CilEvent, GetChannelResult, ReasonCode,
    Workitem,
};

use self::follow::{follow, is_on_calls, state_of_calls};
use super::CallsLocked;
use super::events::publish;
use super::reason_codes::reason_label;
use crate::AppState;
use crate::store::{StoreError, from_json_column};

/// The voice channel of the simulated CCX system.
pub const CHANNEL: &str = "voice_-1";

/// The state an agent returns to when their calls are over, with its reason
/// code: Ready, which a call took them from, or the state they asked for
/// during their calls, with that request's `requestId`, which the
/// `agentStateChange` applying it carries.
#[derive(Debug, Clone, PartialEq)]
struct FollowUp {
    state: AgentState,
    reason: Option<ReasonCode>,
    request_id: Option<String>,
}

/// What the simulator knows of an agent.
#[derive(Debug, Clone)]
struct Stored {
    state: AgentState,
    reason: Option<ReasonCode>,
    changed_at: Option<DateTime<Utc>>,
    /// Kept while the agent's calls make them Active or Wrapup.
    follow_up: Option<FollowUp>,
}

impl Stored {
    /// The label of the agent's reason code.
    fn reason_label(&self) -> Option<String> {
        self.reason
            .and_then(|code| reason_label(&self.state, &code.0.to_string()))
            .map(|(_, label)| label.to_owned())
    }
}

fn stored(connection: &Connection, agent_id: &str) -> Result<Option<Stored>, StoreError> {
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let row: Option<Row> = connection
        .query_row(
            "SELECT state, reason_code, changed_at, follow_up_state, follow_up_reason_code,
             follow_up_request_id FROM agent_states WHERE agent_id = ?1",
            [agent_id],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(
        |(state, reason, changed_at, follow_up, follow_up_reason, follow_up_request)| Stored {
            state: AgentState::from(state.as_str()),
            reason: reason.map(ReasonCode),
            changed_at: changed_at
                .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
                .map(|at| at.with_timezone(&Utc)),
            follow_up: follow_up.map(|state| FollowUp {
                state: AgentState::from(state.as_str()),
                reason: follow_up_reason.map(ReasonCode),
                request_id: follow_up_request,
            }),
        },
    ))
}

fn store(connection: &Connection, agent_id: &str, agent: &Stored) -> Result<(), StoreError> {
    let follow_up = agent.follow_up.as_ref();
    connection.execute(
        "INSERT INTO agent_states
         (agent_id, state, reason_code, changed_at, follow_up_state, follow_up_reason_code,
          follow_up_request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (agent_id) DO UPDATE SET state = excluded.state,
         reason_code = excluded.reason_code, changed_at = excluded.changed_at,
         follow_up_state = excluded.follow_up_state,
         follow_up_reason_code = excluded.follow_up_reason_code,
         follow_up_request_id = excluded.follow_up_request_id",
        params![
            agent_id,
            agent.state.to_string(),
            agent.reason.map(|code| code.0),
            agent.changed_at.map(|at| at.to_rfc3339()),
            follow_up.map(|follow_up| follow_up.state.to_string()),
            follow_up.and_then(|follow_up| follow_up.reason.map(|code| code.0)),
            follow_up.and_then(|follow_up| follow_up.request_id.as_deref()),
        ],
    )?;
    Ok(())
}

/// Moves the agent to `new_state` with `reason` and streams the `agentStateChange`.
async fn set_state(
    state: &AppState,
    agent_id: &str,
    new_state: AgentState,
    reason: Option<ReasonCode>,
    request_id: Option<String>,
) -> Result<(), StoreError> {
    let new = Stored {
        state: new_state,
        reason,
        changed_at: Some(state.clock.now()),
        follow_up: None,
    };
    let (agent, stored_new) = (agent_id.to_owned(), new.clone());
    let old = state
        .db
        .call(move |connection| {
            let old = stored(connection, &agent)?;
            store(connection, &agent, &stored_new)?;
            Ok(old)
        })
        .await?;
    publish_change(state, agent_id, old.unwrap_or(LOGGED_OUT), new, request_id).await
}

/// `setAgentState`, with the agent's calls in mind. While a call is
/// connected, on hold or in wrap-up, Logout is refused, whatever the
/// agent's state; the inner error says why, for the caller to name its
/// request. While the calls make the agent Active or Wrapup, Ready and
/// NotReady become the follow-up state, applied when the calls are over:
/// the request succeeds and no `agentStateChange` is streamed now, as with
/// a pending state in Cisco Finesse; the one that applies it when the
/// calls are over carries the request's `requestId`, so that the
/// integrator can match it (the last such request's, when there were
/// several). Otherwise the agent moves at once, and
/// then follows their calls: an agent in NotReady during a call who asks
/// for Ready becomes Ready, then at once Active (or Wrapup), two
/// `agentStateChange` events in that order.
pub async fn request_state(
    state: &AppState,
    agent_id: &str,
    (new_state, reason): (AgentState, Option<ReasonCode>),
    request_id: Option<String>,
    calls_locked: &CallsLocked<'_>,
) -> Result<Result<(), String>, StoreError> {
    let agent = agent_id.to_owned();
    let (current, busy) = state
        .db
        .call(move |connection| {
            Ok((
                stored(connection, &agent)?,
                state_of_calls(connection, &agent)?,
            ))
        })
        .await?;
    if let Some(busy) = busy
        && new_state == AgentState::Logout
    {
        // Named by the calls, not the state: an agent in NotReady keeps it
        // through their calls.
        let call = if busy == AgentState::Active {
            "a call is connected or on hold"
        } else {
            "a call is in wrap-up"
        };
        return Ok(Err(format!(
            "the agent cannot log out while a call is in progress or in wrap-up \
             ({call}); end the call and its wrap-up first"
        )));
    }
    match current.filter(|current| is_on_calls(&current.state)) {
        Some(mut pending) => {
            pending.follow_up = Some(FollowUp {
                state: new_state,
                reason,
                request_id,
            });
            let agent = agent_id.to_owned();
            state
                .db
                .call(move |connection| store(connection, &agent, &pending))
                .await?;
            // A no-op unless the calls ended unnoticed (a database edited
            // by hand): then the agent takes the state asked for at once.
            follow_calls(state, agent_id, calls_locked).await?;
        }
        None => {
            set_state(state, agent_id, new_state, reason, request_id).await?;
            follow_calls(state, agent_id, calls_locked).await?;
        }
    }
    Ok(Ok(()))
}

/// Moves the agent's state with their calls, after every change of a
/// call's state and after `setAgentState` moved them: from Ready, Active
/// while a call is connected or on hold, Wrapup while one is in wrap-up,
/// then back to the follow-up state; NotReady stays (see [`follow`]).
/// Streams one `agentStateChange` when the state moved — after the event of
/// the call that moved it, with the `requestId` of the request that asked
/// for the follow-up state it applies, if any — and nothing when it was
/// already right. Holding
/// `calls_lock` (`_calls_locked`) keeps two call actions at once from both
/// moving the agent on the same old state.
pub async fn follow_calls(
    state: &AppState,
    agent_id: &str,
    _calls_locked: &CallsLocked<'_>,
) -> Result<(), StoreError> {
    let now = state.clock.now();
    let agent = agent_id.to_owned();
    let moved = state
        .db
        .call(move |connection| {
            let Some(old) = stored(connection, &agent)? else {
                return Ok(None);
            };
            let Some(moved) = follow(&old, state_of_calls(connection, &agent)?, now) else {
                return Ok(None);
            };
            store(connection, &agent, &moved.agent)?;
            Ok(Some((old, moved)))
        })
        .await?;
    match moved {
        Some((old, moved)) => {
            publish_change(state, agent_id, old, moved.agent, moved.request_id).await
        }
        None => Ok(()),
    }
}

/// Logs a new agent in (NotReady) when their stream first opens or they ask
/// `getChannel`; an agent the simulator already knows keeps their state.
/// The insert decides, so two first requests at once log in once; holding
/// `calls_lock` keeps a call's state change from streaming its
/// `agentStateChange` before the login's.
pub async fn log_in_if_new(
    state: &AppState,
    agent_id: &str,
    _calls_locked: &CallsLocked<'_>,
) -> Result<(), StoreError> {
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
        follow_up: None,
    };
    publish_change(state, agent_id, LOGGED_OUT, new, None).await
}

/// An agent the simulator has not seen yet.
const LOGGED_OUT: Stored = Stored {
    state: AgentState::Logout,
    reason: None,
    changed_at: None,
    follow_up: None,
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
pub async fn channel(
    state: &AppState,
    agent_id: &str,
    calls_locked: &CallsLocked<'_>,
) -> Result<GetChannelResult, StoreError> {
    log_in_if_new(state, agent_id, calls_locked).await?;
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
    let known = state
        .roster
        .as_ref()
        .and_then(|roster| roster.get(agent_id));
    Ok(GetChannelResult {
        agent_id: Some(agent_id.to_owned()),
        first_name: known.and_then(|agent| agent.first_name.clone()),
        last_name: known.and_then(|agent| agent.last_name.clone()),
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

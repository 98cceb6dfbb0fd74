//! The rules of [`super::follow_calls`]: what the agent's calls make of
//! their state ([`state_of_calls`], read from the calls table) and where the
//! agent goes from the state they are in ([`follow`], a pure decision).

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use wrapup_core::bs::{AgentState, WorkitemState};

use super::{FollowUp, Stored};
use crate::store::StoreError;

/// Whether `state` is one the agent's calls put them in.
pub(super) fn is_on_calls(state: &AgentState) -> bool {
    matches!(state, AgentState::Active | AgentState::Wrapup)
}

/// What the agent's calls make of their state: Active while one is
/// connected or on hold, else Wrapup while one is in wrap-up, else nothing
/// (a ringing call leaves the state alone, as an ended one does).
pub(super) fn state_of_calls(
    connection: &Connection,
    agent_id: &str,
) -> Result<Option<AgentState>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT state FROM sim_calls WHERE agent_id = ?1 AND state IN ('Active', 'Paused', 'Wrapup')",
    )?;
    let calls = statement
        .query_map([agent_id], |row| row.get::<_, String>(0))?
        .map(|state| state.map(|state| WorkitemState::from(state.as_str())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(
        if calls
            .iter()
            .any(|call| matches!(call, WorkitemState::Active | WorkitemState::Paused))
        {
            Some(AgentState::Active)
        } else if calls.contains(&WorkitemState::Wrapup) {
            Some(AgentState::Wrapup)
        } else {
            None
        },
    )
}

/// Where the agent goes, and the request that asked for it.
#[derive(Debug)]
pub(super) struct Move {
    /// The agent in their new state.
    pub agent: Stored,
    /// The `requestId` of the `setAgentState` whose follow-up state the
    /// calls' end applies; `None` when the calls alone move the agent.
    pub request_id: Option<String>,
}

/// Where `agent` goes when their calls make them `busy` (see
/// [`state_of_calls`]), or `None` when their state is already right. Only
/// an agent in Ready leaves it for a call, keeping Ready as the follow-up
/// to return to when the calls are over; an agent already Active or Wrapup
/// moves between the two and back to the follow-up. An agent in NotReady
/// keeps it, and its reason, through their calls: the simulator is CCX, of
/// which the API document says "When a call is received/placed and the
/// agent state is Not Ready, no agentStateChange (Active) event will be
/// dispatched in CCX". An agent logged out (or never seen) keeps their
/// state too.
pub(super) fn follow(agent: &Stored, busy: Option<AgentState>, now: DateTime<Utc>) -> Option<Move> {
    let busy_with = |state, follow_up| Move {
        agent: Stored {
            state,
            reason: None,
            changed_at: Some(now),
            follow_up,
        },
        request_id: None,
    };
    match (&agent.state, busy) {
        (AgentState::Ready, Some(busy)) => Some(busy_with(
            busy,
            Some(FollowUp {
                state: agent.state.clone(),
                reason: agent.reason,
                request_id: None,
            }),
        )),
        (current, Some(busy)) if is_on_calls(current) && *current != busy => {
            Some(busy_with(busy, agent.follow_up.clone()))
        }
        (current, None) if is_on_calls(current) => {
            // Only a database edited by hand lacks the follow-up: NotReady
            // then, the state in which no call is routed to the agent.
            let back = agent.follow_up.clone().unwrap_or(FollowUp {
                state: AgentState::NotReady,
                reason: None,
                request_id: None,
            });
            Some(Move {
                agent: Stored {
                    state: back.state,
                    reason: back.reason,
                    changed_at: Some(now),
                    follow_up: None,
                },
                request_id: back.request_id,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use wrapup_core::bs::ReasonCode;

    use super::*;

    fn agent(state: AgentState) -> Stored {
        Stored {
            state,
            reason: None,
            changed_at: None,
            follow_up: None,
        }
    }

    /// The simulator routes calls to anyone; an agent who is not logged
    /// in has no state to come back to, so their calls do not move them.
    #[test]
    fn only_an_agent_logged_in_follows_their_calls() {
        let now = DateTime::UNIX_EPOCH;
        for state in [AgentState::Logout, AgentState::Offline, AgentState::Unknown] {
            for busy in [Some(AgentState::Active), Some(AgentState::Wrapup), None] {
                assert!(
                    follow(&agent(state.clone()), busy, now).is_none(),
                    "{state}"
                );
            }
        }
    }

    #[test]
    fn a_state_that_is_already_right_does_not_move() {
        let now = DateTime::UNIX_EPOCH;
        for state in [AgentState::Ready, AgentState::NotReady] {
            assert!(follow(&agent(state), None, now).is_none());
        }
        for state in [AgentState::Active, AgentState::Wrapup] {
            assert!(follow(&agent(state.clone()), Some(state), now).is_none());
        }
    }

    /// The API document, on CCX: "When a call is received/placed and the
    /// agent state is Not Ready, no agentStateChange (Active) event will be
    /// dispatched".
    #[test]
    fn an_agent_in_not_ready_keeps_it_through_their_calls() {
        let now = DateTime::UNIX_EPOCH;
        let lunch = Stored {
            reason: Some(ReasonCode(2)),
            ..agent(AgentState::NotReady)
        };
        for busy in [Some(AgentState::Active), Some(AgentState::Wrapup), None] {
            assert!(follow(&lunch, busy.clone(), now).is_none(), "{busy:?}");
        }
    }

    #[test]
    fn an_agent_in_ready_follows_their_calls_and_returns_to_ready() {
        let now = DateTime::UNIX_EPOCH;
        let active = follow(&agent(AgentState::Ready), Some(AgentState::Active), now)
            .expect("Ready leaves for the call");
        assert_eq!(active.agent.state, AgentState::Active);
        assert_eq!(active.agent.changed_at, Some(now));
        assert_eq!(active.request_id, None, "the call moved the agent");
        let ready = FollowUp {
            state: AgentState::Ready,
            reason: None,
            request_id: None,
        };
        assert_eq!(active.agent.follow_up, Some(ready.clone()));
        let wrapup =
            follow(&active.agent, Some(AgentState::Wrapup), now).expect("Active to Wrapup");
        assert_eq!(wrapup.agent.state, AgentState::Wrapup);
        assert_eq!(wrapup.agent.follow_up, Some(ready));
        let back = follow(&wrapup.agent, None, now).expect("back when the calls are over");
        assert_eq!(back.agent.state, AgentState::Ready);
        assert_eq!(back.agent.follow_up, None);
        assert_eq!(back.request_id, None, "no one asked for Ready");
    }

    /// The state asked for during the calls comes with its request's id,
    /// on the change that applies it only.
    #[test]
    fn the_follow_up_asked_for_is_applied_with_its_request_id() {
        let now = DateTime::UNIX_EPOCH;
        let lunch = FollowUp {
            state: AgentState::NotReady,
            reason: Some(ReasonCode(2)),
            request_id: Some("p1".to_owned()),
        };
        let active = Stored {
            follow_up: Some(lunch.clone()),
            ..agent(AgentState::Active)
        };
        let wrapup = follow(&active, Some(AgentState::Wrapup), now).expect("Active to Wrapup");
        assert_eq!(wrapup.request_id, None, "the call moved the agent");
        assert_eq!(wrapup.agent.follow_up, Some(lunch));
        let back = follow(&wrapup.agent, None, now).expect("back when the calls are over");
        assert_eq!(back.agent.state, AgentState::NotReady);
        assert_eq!(back.agent.reason, Some(ReasonCode(2)));
        assert_eq!(back.request_id.as_deref(), Some("p1"));
    }
}

//! Agent event streams: every event is stored with a per-agent, monotonic id
//! before it is sent, so `GET /cti/v1/agents/{agent_id}/events` can replay
//! what a client missed (`Last-Event-ID`), even across restarts.
//!
//! A client that names no event id is new to the stream: it is told the
//! agent's present, not the history — the events of the workitems still
//! alive and the agent's latest state, as b+s Connects raises the workitems
//! it recovers when an agent logs in ([`snapshot`]). Every replay ends with
//! a `caught-up` event whose data is the id the client has now heard up to.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use rusqlite::params;
use tokio::sync::{broadcast, mpsc};
use wrapup_core::bs::{CilEvent, WorkitemEventKind};

use crate::AppState;
use crate::store::{StoreError, to_json_column};

/// An event as stored and streamed.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// Its id in the agent's stream.
    pub id: i64,
    /// Its JSON (the b+s event object).
    pub data: String,
}

/// The live side of the streams: one broadcast channel per agent.
#[derive(Debug, Clone, Default)]
pub struct EventHub {
    channels: Arc<Mutex<HashMap<String, broadcast::Sender<StoredEvent>>>>,
}

impl EventHub {
    fn sender(&self, agent_id: &str) -> broadcast::Sender<StoredEvent> {
        let mut channels = self
            .channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        channels
            .entry(agent_id.to_owned())
            .or_insert_with(|| broadcast::channel(256).0)
            .clone()
    }
}

/// Stores `event` in the agent's stream and sends it to live listeners,
/// of the API version the simulator speaks
/// ([`API_VERSION`](wrapup_core::bs::API_VERSION)): every event
/// it streams passes here.
pub async fn publish(
    state: &AppState,
    agent_id: &str,
    event: &CilEvent,
) -> Result<StoredEvent, StoreError> {
    let event = event.clone().of_api_version();
    let data = to_json_column("event", &event)?;
    let name = event.name().to_owned();
    let agent = agent_id.to_owned();
    let live = state.hub.sender(agent_id);
    state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let id: i64 = transaction.query_row(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM agent_events WHERE agent_id = ?1",
                [&agent],
                |row| row.get(0),
            )?;
            transaction.execute(
                "INSERT INTO agent_events (agent_id, id, event, data) VALUES (?1, ?2, ?3, ?4)",
                params![agent, id, name, data],
            )?;
            transaction.commit()?;
            let stored = StoredEvent { id, data };
            // Sent while the database is still held, so live listeners get
            // events in the order of their ids. Nobody listening is fine:
            // the event is stored for replay.
            let _ = live.send(stored.clone());
            Ok(stored)
        })
        .await
}

async fn stored_after(
    state: &AppState,
    agent_id: &str,
    after: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let agent = agent_id.to_owned();
    state
        .db
        .call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT id, data FROM agent_events WHERE agent_id = ?1 AND id > ?2 ORDER BY id",
            )?;
            let events = statement
                .query_map(params![agent, after], |row| {
                    Ok(StoredEvent {
                        id: row.get(0)?,
                        data: row.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(events)
        })
        .await
}

/// What a client new to the stream is told, and the id of the stream's last
/// event: the events of every workitem whose last event is not its
/// `workitemEnd`, and the newest `agentStateChange`, in the order they were
/// stored. Calls that are over, the older states and the `error` answers of
/// requests are history, not replayed.
async fn snapshot(state: &AppState, agent_id: &str) -> Result<(Vec<StoredEvent>, i64), StoreError> {
    let agent = agent_id.to_owned();
    let rows = state
        .db
        .call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT id, event, data FROM agent_events WHERE agent_id = ?1 ORDER BY id",
            )?;
            let rows = statement
                .query_map([&agent], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                .collect::<Result<Vec<(i64, String, String)>, _>>()?;
            Ok(rows)
        })
        .await?;
    let last = rows.last().map_or(0, |(id, _, _)| *id);
    let newest_state = rows
        .iter()
        .rev()
        .find(|(_, event, _)| event == "agentStateChange")
        .map(|(id, _, _)| *id);
    // Each event's workitem, and whether the event is the workitem's end.
    let workitems: Vec<Option<(String, bool)>> = rows
        .iter()
        .map(|(_, _, data)| {
            let event = serde_json::from_str::<CilEvent>(data).ok()?;
            let (kind, workitem) = event.workitem()?;
            Some((workitem.id.clone(), kind == WorkitemEventKind::End))
        })
        .collect();
    let mut ended = HashSet::new();
    for (workitem, end) in workitems.iter().flatten() {
        if *end {
            ended.insert(workitem.as_str());
        } else {
            ended.remove(workitem.as_str());
        }
    }
    let present = rows
        .into_iter()
        .zip(&workitems)
        .filter(|((id, _, _), workitem)| match workitem {
            Some((workitem, _)) => !ended.contains(workitem.as_str()),
            None => Some(*id) == newest_state,
        })
        .map(|((id, _, data), _)| StoredEvent { id, data })
        .collect();
    Ok((present, last))
}

/// The id of the agent's last stored event (0: none).
async fn last_id(state: &AppState, agent_id: &str) -> Result<i64, StoreError> {
    let agent = agent_id.to_owned();
    state
        .db
        .call(move |connection| {
            Ok(connection.query_row(
                "SELECT COALESCE(MAX(id), 0) FROM agent_events WHERE agent_id = ?1",
                [&agent],
                |row| row.get(0),
            )?)
        })
        .await
}

/// Sends every stored event after `*sent`, in order. False when the stream
/// must end: the client left, or the store failed — ending the stream makes
/// the client reconnect and replay, where carrying on would leave a gap.
async fn catch_up(
    state: &AppState,
    agent_id: &str,
    sender: &mpsc::Sender<Event>,
    sent: &mut i64,
) -> bool {
    let events = match stored_after(state, agent_id, *sent).await {
        Ok(events) => events,
        Err(error) => {
            tracing::error!(%error, agent = %agent_id, "cannot replay events; closing the stream");
            return false;
        }
    };
    for event in events {
        *sent = event.id;
        if sender.send(sse_event(&event)).await.is_err() {
            return false;
        }
    }
    true
}

fn sse_event(event: &StoredEvent) -> Event {
    // No `event:` field: every event reaches `EventSource.onmessage`, and the
    // JSON's own `event` member names it, as b+s Connects does.
    Event::default().id(event.id.to_string()).data(&event.data)
}

/// The name of this database's event streams, random, made once with the
/// database (migration 4): a client that persisted an event id can tell
/// whether it belongs to these streams or to a database since replaced.
pub fn stream_name(db: &crate::store::Db) -> Result<String, StoreError> {
    db.call_blocking(|connection| {
        Ok(connection.query_row(
            "SELECT value FROM meta WHERE key = 'stream_name'",
            [],
            |row| row.get(0),
        )?)
    })
}

/// The first message of every stream: an SSE event `stream` (not a
/// message: `EventSource.onmessage` never sees it, and it has no id) whose
/// data is the stream's name.
fn stream_named(name: &str) -> Event {
    Event::default().event("stream").data(name)
}

/// The end of a replay: an SSE event `caught-up` (not a message, no id)
/// whose data is the id of the last event the client has now heard of,
/// sent or passed over ([`snapshot`]); a client resumes after it.
fn caught_up(last: i64) -> Event {
    Event::default().event("caught-up").data(last.to_string())
}

/// `GET /cti/v1/agents/{agent_id}/events`: the agent's events as SSE. With
/// `Last-Event-ID` (or `?last_event_id=`), first the events after it;
/// without, the agent's present ([`snapshot`]). The stream is named first
/// ([`stream_name`]), the replay ends with `caught-up` ([`caught_up`]), and
/// the stream ends when the server shuts down. An agent the server does not
/// know (its roster, `--agents`) gets 404.
pub async fn stream(
    State(state): State<AppState>,
    Path(agent_id): Path<String>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
) -> axum::response::Response {
    if !super::knows_agent(&state, &agent_id) {
        return crate::roster::unknown_agent(&agent_id);
    }
    axum::response::IntoResponse::into_response(events(state, agent_id, headers, query))
}

fn events(
    state: AppState,
    agent_id: String,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let from_query = query
        .0
        .and_then(|query| crate::wire::query_param(&query, "last_event_id"));
    let requested = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or(from_query)
        .and_then(|id| id.trim().parse::<i64>().ok());
    // Subscribe before reading the store, so nothing falls between the two.
    let mut live = state.hub.sender(&agent_id).subscribe();
    let (sender, receiver) = mpsc::channel::<Event>(64);
    let closed = {
        let state = state.clone();
        async move { state.closed().await }
    };
    tokio::spawn(async move {
        if sender.send(stream_named(&state.stream_name)).await.is_err() {
            return;
        }
        let changing = state.calls_lock.lock().await;
        if let Err(error) = super::agent::log_in_if_new(&state, &agent_id, &changing).await {
            tracing::error!(%error, agent = %agent_id, "cannot log the agent in");
        }
        drop(changing);
        let mut sent = match requested {
            Some(last_seen) => {
                // An id beyond the stream's end comes from another database
                // (a client that outlived a reset): replay the stream from
                // its start rather than stay silent until the ids catch up.
                let mut sent = match last_id(&state, &agent_id).await {
                    Ok(last) if last_seen > last => 0,
                    _ => last_seen,
                };
                if !catch_up(&state, &agent_id, &sender, &mut sent).await {
                    return;
                }
                sent
            }
            None => match snapshot(&state, &agent_id).await {
                Ok((present, last)) => {
                    for event in &present {
                        if sender.send(sse_event(event)).await.is_err() {
                            return;
                        }
                    }
                    last
                }
                Err(error) => {
                    tracing::error!(%error, agent = %agent_id, "cannot read the agent's events; closing the stream");
                    return;
                }
            },
        };
        if sender.send(caught_up(sent)).await.is_err() {
            return;
        }
        loop {
            match live.recv().await {
                Ok(event) if event.id == sent + 1 => {
                    sent = event.id;
                    if sender.send(sse_event(&event)).await.is_err() {
                        return;
                    }
                }
                // Already sent by the replay.
                Ok(event) if event.id <= sent => {}
                // A gap (events committed while this stream was replaying,
                // or a lagging reader): fill it from the store, in order.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !catch_up(&state, &agent_id, &sender, &mut sent).await {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|event| (Ok(event), receiver))
    });
    Sse::new(events.take_until(closed)).keep_alive(KeepAlive::default())
}

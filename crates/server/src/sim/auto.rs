//! `"auto": true` calls run their lifecycle by themselves, for demos: answered
//! [`ANSWER_AFTER`] after they ring, hung up [`HANG_UP_AFTER`] after that.
//!
//! The next step is scheduled in the database and applied by the simulator's
//! tick on the server's clock, exactly like wrap-up expiry, so a restart does
//! not lose it and tests drive it with a manual clock and `POST /sim/v1/tick`.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rusqlite::{Connection, params};
use wrapup_core::bs::WorkitemState;

use super::calls;
use crate::AppState;
use crate::store::StoreError;

/// How long an automatic call rings before it is answered.
pub const ANSWER_AFTER: TimeDelta = TimeDelta::seconds(2);
/// How long an automatic call talks before it hangs up.
pub const HANG_UP_AFTER: TimeDelta = TimeDelta::seconds(10);

/// Schedules the next automatic step of call `id` at `at` (none: no more).
pub fn schedule(
    connection: &Connection,
    id: &str,
    at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE sim_calls SET auto_next_at = ?2 WHERE id = ?1",
        params![id, at.map(sortable)],
    )?;
    Ok(())
}

/// Applies every automatic step that is due; returns the ids of the calls
/// that moved.
pub async fn run_due(state: &AppState) -> Result<Vec<String>, StoreError> {
    let now = state.clock.now();
    let due: Vec<String> = state
        .db
        .call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT id FROM sim_calls WHERE auto_next_at IS NOT NULL AND auto_next_at <= ?1
                 ORDER BY auto_next_at",
            )?;
            let ids = statement
                .query_map(params![sortable(now)], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
        .await?;
    let mut moved = Vec::new();
    for id in due {
        let lookup = id.clone();
        let call = state
            .db
            .call(move |connection| calls::load(connection, &lookup))
            .await?;
        let (action, next) = match call.map(|call| call.workitem.state) {
            Some(WorkitemState::Offered) => ("connect", Some(now + HANG_UP_AFTER)),
            Some(WorkitemState::Active | WorkitemState::Paused) => ("hangup", None),
            // Ended or in wrap-up by hand meanwhile: nothing more to do.
            _ => ("", None),
        };
        // A call driven by hand into a state the step does not fit stops
        // running by itself.
        let applied = !action.is_empty() && calls::transition(state, &id, action).await?.is_ok();
        let next = if applied { next } else { None };
        let scheduled = id.clone();
        state
            .db
            .call(move |connection| schedule(connection, &scheduled, next))
            .await?;
        if applied {
            moved.push(id);
        }
    }
    Ok(moved)
}

/// One fixed-width text form, so SQLite compares instants as text correctly.
fn sortable(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

//! The Interaction Wrap Up Segment table.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use wrapup_core::datetime::ServiceNowDateTime;
use wrapup_core::servicenow::{
    Segment, SegmentState, WrapUpCode, WrapUpConfiguration, WrapUpDuration,
};

use crate::store::{StoreError, from_json_column, new_sys_id, to_json_column};

/// A segment as stored: the API's [`Segment`] plus what only the server keeps.
#[derive(Debug, Clone)]
pub struct StoredSegment {
    /// What the API answers.
    pub segment: Segment,
    /// The external system's id of the segment.
    pub external_segment_id: Option<String>,
    /// When the wrap-up ends, if it has a duration.
    pub wrapup_end: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "sys_id, agent, interaction, external_segment_id, segment_table, segment_id,
    external, segmented, state, configuration, code, notes, opened_on, submitted_on,
    confirmed_on, awaiting_confirmation, wrapup_end";

fn parse_time(text: Option<String>) -> Option<ServiceNowDateTime> {
    text.and_then(|text| text.parse().ok())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<(StoredSegment, String, Option<String>)> {
    let configuration: String = row.get(9)?;
    let code: Option<String> = row.get(10)?;
    let segment = Segment {
        sys_id: row.get(0)?,
        agent: row.get(1)?,
        interaction: row.get(2)?,
        segment_table: row.get(4)?,
        segment_id: row.get(5)?,
        external: row.get(6)?,
        segmented: row.get(7)?,
        state: SegmentState::from(row.get::<_, String>(8)?),
        wrap_up_configuration: WrapUpConfiguration::default(),
        code: None,
        notes: row.get(11)?,
        opened_on: parse_time(row.get(12)?),
        submitted_on: parse_time(row.get(13)?),
        confirmed_on: parse_time(row.get(14)?),
        awaiting_confirmation: row.get(15)?,
    };
    let wrapup_end = row
        .get::<_, Option<String>>(16)?
        .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
        .map(|at| at.with_timezone(&Utc));
    Ok((
        StoredSegment {
            segment,
            external_segment_id: row.get(3)?,
            wrapup_end,
        },
        configuration,
        code,
    ))
}

fn finish(
    (mut stored, configuration, code): (StoredSegment, String, Option<String>),
) -> Result<StoredSegment, StoreError> {
    stored.segment.wrap_up_configuration = from_json_column("configuration", &configuration)?;
    // The echoed duration follows accepted extensions, so a client that
    // rebuilds the deadline as opened_on + duration (the widget after a
    // reload) finds the extended one.
    if let (Some(opened_on), Some(end)) = (&stored.segment.opened_on, stored.wrapup_end) {
        let seconds = (end - opened_on.get()).num_seconds().max(0);
        stored.segment.wrap_up_configuration.duration =
            Some(WrapUpDuration::seconds(seconds.unsigned_abs()));
    }
    stored.segment.code = code
        .map(|code| from_json_column::<WrapUpCode>("code", &code))
        .transpose()?;
    Ok(stored)
}

fn query_one(
    connection: &Connection,
    condition: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<Option<StoredSegment>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM segments WHERE {condition} LIMIT 1");
    connection
        .query_row(&sql, values, from_row)
        .optional()?
        .map(finish)
        .transpose()
}

/// The segment with this sys_id, else the newest with this external segment id.
pub fn by_id(connection: &Connection, id: &str) -> Result<Option<StoredSegment>, StoreError> {
    match query_one(connection, "sys_id = ?1", &[&id])? {
        Some(segment) => Ok(Some(segment)),
        None => query_one(
            connection,
            "external_segment_id = ?1 ORDER BY seq DESC",
            &[&id],
        ),
    }
}

/// The agent's segment for the interaction: the open one if there is one,
/// else the newest.
pub fn by_agent_interaction(
    connection: &Connection,
    agent: &str,
    interaction: &str,
) -> Result<Option<StoredSegment>, StoreError> {
    query_one(
        connection,
        "agent = ?1 AND interaction = ?2 ORDER BY state = 'open' DESC, seq DESC",
        &[&agent, &interaction],
    )
}

/// The agent's newest open segment: the wrap-up the agent is in.
pub fn open_of_agent(
    connection: &Connection,
    agent: &str,
) -> Result<Option<StoredSegment>, StoreError> {
    query_one(
        connection,
        "agent = ?1 AND state = 'open' ORDER BY seq DESC",
        &[&agent],
    )
}

/// Takes the sys_id the demo promised to the next segment, if any.
fn take_reserved_sys_id(connection: &Connection) -> Result<Option<String>, StoreError> {
    let reserved: Option<String> = connection
        .query_row(
            "SELECT sys_id FROM reserved_sys_ids WHERE kind = 'segment'
             AND sys_id NOT IN (SELECT sys_id FROM segments) LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    connection.execute("DELETE FROM reserved_sys_ids WHERE kind = 'segment'", [])?;
    Ok(reserved)
}

/// Stores a new segment; an empty `segment.sys_id` gets a fresh one.
pub fn insert(
    connection: &Connection,
    mut stored: StoredSegment,
) -> Result<StoredSegment, StoreError> {
    if stored.segment.sys_id.is_empty() {
        stored.segment.sys_id = match take_reserved_sys_id(connection)? {
            Some(sys_id) => sys_id,
            None => new_sys_id(),
        };
    }
    let segment = &stored.segment;
    connection.execute(
        &format!(
            "INSERT INTO segments ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        ),
        params![
            segment.sys_id,
            segment.agent,
            segment.interaction,
            stored.external_segment_id,
            segment.segment_table,
            segment.segment_id,
            segment.external,
            segment.segmented,
            segment.state.as_str(),
            to_json_column("configuration", &segment.wrap_up_configuration)?,
            segment
                .code
                .as_ref()
                .map(|code| to_json_column("code", code))
                .transpose()?,
            segment.notes,
            segment.opened_on.map(|at| at.to_string()),
            segment.submitted_on.map(|at| at.to_string()),
            segment.confirmed_on.map(|at| at.to_string()),
            segment.awaiting_confirmation,
            stored.wrapup_end.map(|at| at.to_rfc3339()),
        ],
    )?;
    Ok(stored)
}

/// Writes back the fields an update or a close changes.
pub fn save_closing(connection: &Connection, segment: &Segment) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE segments SET state = ?2, code = ?3, notes = ?4, submitted_on = ?5,
         confirmed_on = ?6, awaiting_confirmation = ?7 WHERE sys_id = ?1",
        params![
            segment.sys_id,
            segment.state.as_str(),
            segment
                .code
                .as_ref()
                .map(|code| to_json_column("code", code))
                .transpose()?,
            segment.notes,
            segment.submitted_on.map(|at| at.to_string()),
            segment.confirmed_on.map(|at| at.to_string()),
            segment.awaiting_confirmation,
        ],
    )?;
    Ok(())
}

/// Moves the end of a segment's wrap-up (Tenios extend).
pub fn set_wrapup_end(
    connection: &Connection,
    sys_id: &str,
    end: DateTime<Utc>,
) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE segments SET wrapup_end = ?2 WHERE sys_id = ?1",
        params![sys_id, end.to_rfc3339()],
    )?;
    Ok(())
}

/// Closes an open segment without the agent (expiry, Tenios cancel): the
/// default code, submitted now, as the widget itself would on expiry.
pub fn close_with_default(
    connection: &Connection,
    stored: &StoredSegment,
    now: DateTime<Utc>,
) -> Result<Segment, StoreError> {
    let mut segment = stored.segment.clone();
    if segment.state != SegmentState::Open {
        return Ok(segment);
    }
    segment.state = SegmentState::Closed;
    segment.code = segment.wrap_up_configuration.default_code.clone();
    segment.submitted_on = Some(ServiceNowDateTime::new(now));
    segment.awaiting_confirmation = Some(false);
    save_closing(connection, &segment)?;
    Ok(segment)
}

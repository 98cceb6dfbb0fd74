//! Schema migrations, numbered by SQLite's `user_version`: migration `n`
//! brings a database from version `n` to `n + 1`. Append, never edit.

use rusqlite::Connection;

use super::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: the ServiceNow, openframe, Tenios, Genesys and simulator tables.
    r#"
    CREATE TABLE agents (
        sys_id TEXT PRIMARY KEY,
        email  TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name   TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE wrap_up_codes (
        sys_id      TEXT PRIMARY KEY,
        code        TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        active      INTEGER NOT NULL DEFAULT 1,
        external    INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE code_translations (
        code_sys_id TEXT NOT NULL REFERENCES wrap_up_codes(sys_id),
        language    TEXT NOT NULL,
        code        TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (code_sys_id, language)
    );
    -- The wrap-up configuration is kept as the JSON the API answers with:
    -- it is a snapshot of the codes at the time the segment was opened.
    CREATE TABLE segments (
        seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
        sys_id                TEXT NOT NULL UNIQUE,
        agent                 TEXT NOT NULL,
        interaction           TEXT NOT NULL,
        external_segment_id   TEXT,
        segment_table         TEXT,
        segment_id            TEXT,
        external              INTEGER NOT NULL,
        segmented             INTEGER NOT NULL,
        state                 TEXT NOT NULL,
        configuration         TEXT NOT NULL,
        code                  TEXT,
        notes                 TEXT,
        opened_on             TEXT,
        submitted_on          TEXT,
        confirmed_on          TEXT,
        awaiting_confirmation INTEGER,
        -- When the wrap-up ends (RFC 3339): opened_on + duration, moved by Tenios extend.
        wrapup_end            TEXT
    );
    CREATE INDEX segments_by_agent_interaction ON segments (agent, interaction);
    CREATE INDEX segments_by_external_id ON segments (external_segment_id);
    -- Sys_ids the demo promises to the next records created (see demo.rs).
    CREATE TABLE reserved_sys_ids (
        kind   TEXT NOT NULL,
        sys_id TEXT NOT NULL,
        PRIMARY KEY (kind, sys_id)
    );
    CREATE TABLE interactions (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        sys_id       TEXT NOT NULL UNIQUE,
        number       TEXT NOT NULL UNIQUE,
        interaction  TEXT NOT NULL,
        context      TEXT NOT NULL DEFAULT '{}',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    CREATE TABLE phone_logs (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        sys_id      TEXT NOT NULL UNIQUE,
        interaction TEXT NOT NULL REFERENCES interactions(sys_id),
        fields      TEXT NOT NULL
    );
    CREATE TABLE related_records (
        interaction    TEXT NOT NULL REFERENCES interactions(sys_id),
        document_table TEXT NOT NULL,
        document_id    TEXT NOT NULL,
        PRIMARY KEY (interaction, document_table, document_id)
    );
    CREATE TABLE genesys_service_ends (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        service_id  INTEGER NOT NULL,
        body        TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE TABLE sim_calls (
        id          TEXT PRIMARY KEY,
        agent_id    TEXT NOT NULL,
        state       TEXT NOT NULL,
        workitem    TEXT NOT NULL,
        wrapup      TEXT,
        segment     TEXT,
        auto        INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE agent_states (
        agent_id TEXT PRIMARY KEY,
        state    TEXT NOT NULL
    );
    -- Every event sent to an agent's SSE stream, numbered per agent, so a
    -- reconnecting client replays what it missed even across restarts.
    CREATE TABLE agent_events (
        agent_id TEXT NOT NULL,
        id       INTEGER NOT NULL,
        event    TEXT NOT NULL,
        data     TEXT NOT NULL,
        PRIMARY KEY (agent_id, id)
    );
    "#,
    // 2: automatic calls keep their next step, applied by the simulator's tick.
    r#"
    ALTER TABLE sim_calls ADD COLUMN auto_next_at TEXT;
    "#,
    // 3: the agent's reason code and the time of the last state change.
    r#"
    ALTER TABLE agent_states ADD COLUMN reason_code INTEGER;
    ALTER TABLE agent_states ADD COLUMN changed_at TEXT;
    "#,
    // 4: the name of this database's event streams, random, made once.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('stream_name', lower(hex(randomblob(16))));
    "#,
    // 5: the state (and its reason code) an agent returns to when their calls
    // are over, kept while the calls make them Active or Wrapup.
    r#"
    ALTER TABLE agent_states ADD COLUMN follow_up_state TEXT;
    ALTER TABLE agent_states ADD COLUMN follow_up_reason_code INTEGER;
    "#,
    // 6: the requestId of the setAgentState that asked for the follow-up
    // state, which the agentStateChange applying it carries.
    r#"
    ALTER TABLE agent_states ADD COLUMN follow_up_request_id TEXT;
    "#,
];

/// Applies the migrations the database has not seen yet, each in a transaction.
pub fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let version: usize =
        connection.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))? as usize;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", (index + 1) as i64)?;
        transaction.commit()?;
        tracing::info!(version = index + 1, "database migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database made before migration 5 keeps its agents' states and
    /// gains an empty follow-up state (migration 6: with no request).
    #[test]
    fn a_version_4_database_migrates_and_keeps_its_agents() {
        let mut connection = Connection::open_in_memory().expect("in-memory database");
        for migration in &MIGRATIONS[..4] {
            connection
                .execute_batch(migration)
                .expect("migrations 1 to 4");
        }
        connection
            .pragma_update(None, "user_version", 4)
            .expect("version 4");
        connection
            .execute(
                "INSERT INTO agent_states (agent_id, state, reason_code, changed_at)
                 VALUES ('agent', 'NotReady', 2, '2024-09-16T18:51:59Z')",
                [],
            )
            .expect("an agent of version 4");

        migrate(&mut connection).expect("migration 5");

        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        let row: (String, i64, Option<String>, Option<i64>, Option<String>) = connection
            .query_row(
                "SELECT state, reason_code, follow_up_state, follow_up_reason_code,
                 follow_up_request_id FROM agent_states WHERE agent_id = 'agent'",
                [],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                },
            )
            .expect("the agent after migrations 5 and 6");
        assert_eq!(row, ("NotReady".to_owned(), 2, None, None, None));
    }
}

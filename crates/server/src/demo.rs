//! `--demo`: the specs' example data, so that every documented curl example
//! runs verbatim (host changed) and gets the documented answer.
//!
//! Loading is idempotent: each record is inserted only if absent, so a
//! restart with `--demo` keeps what the demo has done since.
//!
//! - codes Billing Issue `49c27b67…` and Store Issue `54327b67…`, in German;
//! - agent `123412345678567890ab90abcdefcdef` (`agent@test.com`);
//! - interactions `213412…cdef` (IMS0000050) and `12961fff…652b` (IMS0000051,
//!   the one the openframe PATCH example updates), so the next POST answers
//!   IMS0000052 as documented;
//! - the closed segment `dgajbcef12345678defdbxef123435678` (external id
//!   `PL_402548`) of the GET examples;
//! - the sys_id `98769876543254321fed1fedcba0cba0` reserved for the next
//!   segment created, so the documented create → update sequence works;
//! - for Tenios, an open wrap-up of `agent@test.com` on interaction
//!   `313412345678567890ab90abcdefcdef` ending 2020-01-01T08:59:00Z, so the
//!   extend example (to 09:00:00) succeeds and the limits examples follow.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use wrapup_core::servicenow::{
    Segment, SegmentState, WrapUpCode, WrapUpConfiguration, WrapUpDuration,
};

use crate::servicenow::segment_store::{self, StoredSegment};
use crate::store::{Db, StoreError};

/// The demo agent.
pub const AGENT_SYS_ID: &str = "123412345678567890ab90abcdefcdef";
/// The demo agent's e-mail (Tenios).
pub const AGENT_EMAIL: &str = "agent@test.com";
const INTERACTION: &str = "213412345678567890ab90abcdefcdef";

/// The demo agent in a roster (`--agents` with `--demo`): the demo's data
/// and curl examples name them.
pub fn roster_agent() -> crate::roster::RosterAgent {
    crate::roster::RosterAgent {
        email: AGENT_EMAIL.to_owned(),
        first_name: Some("Demo".to_owned()),
        last_name: Some("Agent".to_owned()),
    }
}
const TENIOS_INTERACTION: &str = "313412345678567890ab90abcdefcdef";
const BILLING: &str = "49c27b679f201210c89656effa0a1cd7";
const STORE: &str = "54327b679f201210c89656effa0a1cd7";

/// Loads the demo data into `db`.
pub fn load(db: &Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    db.call_blocking(|connection| {
        let transaction = connection.transaction()?;
        seed(&transaction, now)?;
        transaction.commit()?;
        Ok(())
    })
}

fn time(text: &str) -> Option<wrapup_core::datetime::ServiceNowDateTime> {
    text.parse().ok()
}

fn snapshot(sys_id: &str, code: &str, translated: &str) -> WrapUpCode {
    WrapUpCode {
        code: code.to_owned(),
        description: String::new(),
        active: true,
        external: true,
        sys_id: sys_id.to_owned(),
        translated_code: translated.to_owned(),
        translated_description: String::new(),
    }
}

fn seed(connection: &Connection, now: DateTime<Utc>) -> Result<(), StoreError> {
    for (sys_id, code, description, de_code, de_description) in [
        (
            BILLING,
            "Billing Issue",
            "A code for billing issues",
            "Abrechnungsproblem",
            "Ein code für Abrechnungsprobleme",
        ),
        (
            STORE,
            "Store Issue",
            "A code for store issues",
            "Einkaufsproblem",
            "Ein code für Einkaufsprobleme",
        ),
    ] {
        connection.execute(
            "INSERT OR IGNORE INTO wrap_up_codes (sys_id, code, description, active, external)
             VALUES (?1, ?2, ?3, 1, 1)",
            params![sys_id, code, description],
        )?;
        connection.execute(
            "INSERT OR IGNORE INTO code_translations (code_sys_id, language, code, description)
             VALUES (?1, 'de', ?2, ?3)",
            params![sys_id, de_code, de_description],
        )?;
    }
    connection.execute(
        "INSERT OR IGNORE INTO agents (sys_id, email, name) VALUES (?1, ?2, 'Demo Agent')",
        params![AGENT_SYS_ID, AGENT_EMAIL],
    )?;
    let stamp = now.to_rfc3339();
    for (sys_id, number) in [
        (INTERACTION, "IMS0000050"),
        ("12961fff7fb2d2102d0cd3cf8c86652b", "IMS0000051"),
    ] {
        connection.execute(
            "INSERT OR IGNORE INTO interactions (sys_id, number, interaction, context, created_at, updated_at)
             VALUES (?1, ?2, '{}', '{}', ?3, ?3)",
            params![sys_id, number, stamp],
        )?;
    }
    let configuration = WrapUpConfiguration {
        enable_codes: true,
        allowed_codes: vec![
            snapshot(BILLING, "Billing Issue", "Abrechnungsproblem"),
            snapshot(STORE, "Store Issue", "Einkaufsproblem"),
        ],
        default_code: Some(snapshot(BILLING, "Billing Issue", "Abrechnungsproblem")),
        duration: None,
        show_timer: None,
    };
    let closed = StoredSegment {
        segment: Segment {
            agent: AGENT_SYS_ID.to_owned(),
            segment_table: Some("sn_openframe_phone_log".to_owned()),
            segment_id: Some("dgajbcef12345678defdbxef123435678".to_owned()),
            external: true,
            interaction: INTERACTION.to_owned(),
            state: SegmentState::Closed,
            wrap_up_configuration: configuration.clone(),
            code: None,
            notes: None,
            segmented: true,
            sys_id: "dgajbcef12345678defdbxef123435678".to_owned(),
            opened_on: time("2024-09-16 17:52:01"),
            submitted_on: time("2024-09-16 18:51:59"),
            confirmed_on: time("2024-09-16 18:52:01"),
            awaiting_confirmation: Some(false),
        },
        external_segment_id: Some("PL_402548".to_owned()),
        wrapup_end: None,
    };
    let tenios_end: DateTime<Utc> = "2020-01-01T08:59:00Z"
        .parse()
        .map_err(|_| StoreError::Worker("demo: bad constant time".to_owned()))?;
    let tenios = StoredSegment {
        segment: Segment {
            interaction: TENIOS_INTERACTION.to_owned(),
            segment_id: Some("tenios-demo-segment".to_owned()),
            sys_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90".to_owned(),
            state: SegmentState::Open,
            wrap_up_configuration: WrapUpConfiguration {
                duration: Some(WrapUpDuration::seconds(30)),
                show_timer: Some(true),
                ..configuration
            },
            opened_on: time("2020-01-01 08:58:30"),
            submitted_on: None,
            confirmed_on: None,
            awaiting_confirmation: None,
            ..closed.segment.clone()
        },
        external_segment_id: Some("TENIOS_DEMO".to_owned()),
        wrapup_end: Some(tenios_end),
    };
    for stored in [closed, tenios] {
        if segment_store::by_id(connection, &stored.segment.sys_id)?.is_none() {
            segment_store::insert(connection, stored)?;
        }
    }
    let reserved = "98769876543254321fed1fedcba0cba0";
    let taken: Option<i64> = connection
        .query_row(
            "SELECT 1 FROM segments WHERE sys_id = ?1",
            [reserved],
            |row| row.get(0),
        )
        .optional()?;
    if taken.is_none() {
        connection.execute(
            "INSERT OR IGNORE INTO reserved_sys_ids (kind, sys_id) VALUES ('segment', ?1)",
            [reserved],
        )?;
    }
    Ok(())
}

/// The demo's fields of `GET /config.json` (see [`crate::widget_config`]):
/// the widget's settings for the demo, so that `/?agent=<sys_id>` works with
/// nothing else. It hands out the demo Tenios access key and each known
/// agent's e-mail, by which Tenios names agents (the widget token is served
/// with or without the demo). Real deployments write their own file.
pub async fn widget_settings(
    state: &crate::AppState,
) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
    let agents = state
        .db
        .call(|connection| {
            let mut statement = connection.prepare("SELECT sys_id, email FROM agents")?;
            let agents = statement
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })?
                .collect::<Result<std::collections::BTreeMap<String, String>, _>>()?;
            Ok(agents)
        })
        .await?;
    let mut settings = serde_json::Map::new();
    settings.insert(
        "teniosAccessKey".to_owned(),
        serde_json::json!(&*state.tenios_access_key),
    );
    settings.insert("agentEmails".to_owned(), serde_json::json!(agents));
    Ok(settings)
}

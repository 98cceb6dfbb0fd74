//! The Interaction Wrap Up Code table and its translations.

use rusqlite::{Connection, OptionalExtension, params};
use wrapup_core::servicenow::{NewWrapUpCode, WrapUpCode};

use crate::store::{StoreError, new_sys_id};

/// The code with this sys_id, its translation in `language` filled in.
pub fn by_sys_id(
    connection: &Connection,
    sys_id: &str,
    language: &str,
) -> Result<Option<WrapUpCode>, StoreError> {
    find(connection, "sys_id", sys_id, language)
}

/// The code with this label.
pub fn by_label(
    connection: &Connection,
    label: &str,
    language: &str,
) -> Result<Option<WrapUpCode>, StoreError> {
    find(connection, "code", label, language)
}

fn find(
    connection: &Connection,
    column: &str,
    value: &str,
    language: &str,
) -> Result<Option<WrapUpCode>, StoreError> {
    let sql = format!(
        "SELECT c.sys_id, c.code, c.description, c.active, c.external, t.code, t.description
         FROM wrap_up_codes c
         LEFT JOIN code_translations t ON t.code_sys_id = c.sys_id AND t.language = ?2
         WHERE c.{column} = ?1"
    );
    Ok(connection
        .query_row(&sql, params![value, language], |row| {
            Ok(WrapUpCode {
                sys_id: row.get(0)?,
                code: row.get(1)?,
                description: row.get(2)?,
                active: row.get(3)?,
                external: row.get(4)?,
                translated_code: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                translated_description: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })
        .optional()?)
}

/// Creates the code, or updates the one with the same label (the API's
/// "create or update by label"); keeps the sys_id of an existing code.
/// `reserved` is a sys_id to use if the code is new.
pub fn upsert(
    connection: &Connection,
    code: &NewWrapUpCode,
    language: &str,
) -> Result<WrapUpCode, StoreError> {
    let existing: Option<String> = connection
        .query_row(
            "SELECT sys_id FROM wrap_up_codes WHERE code = ?1",
            [&code.code],
            |row| row.get(0),
        )
        .optional()?;
    let sys_id = match existing {
        Some(sys_id) => {
            if let Some(description) = &code.description {
                connection.execute(
                    "UPDATE wrap_up_codes SET description = ?2 WHERE sys_id = ?1",
                    params![sys_id, description],
                )?;
            }
            if let Some(active) = code.active {
                connection.execute(
                    "UPDATE wrap_up_codes SET active = ?2 WHERE sys_id = ?1",
                    params![sys_id, active],
                )?;
            }
            sys_id
        }
        None => {
            let sys_id = new_sys_id();
            connection.execute(
                "INSERT INTO wrap_up_codes (sys_id, code, description, active, external)
                 VALUES (?1, ?2, ?3, ?4, 1)",
                params![
                    sys_id,
                    code.code,
                    code.description.as_deref().unwrap_or(""),
                    code.active.unwrap_or(true)
                ],
            )?;
            sys_id
        }
    };
    for translation in code.translations.iter().flatten() {
        connection.execute(
            "INSERT INTO code_translations (code_sys_id, language, code, description)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (code_sys_id, language)
             DO UPDATE SET code = excluded.code, description = excluded.description",
            params![
                sys_id,
                translation.language,
                translation.code,
                translation.description.as_deref().unwrap_or("")
            ],
        )?;
    }
    by_sys_id(connection, &sys_id, language)?
        .ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
}

//! The SQLite database: one file in WAL mode with `synchronous=FULL`, so an
//! answered write is on disk, and a `user_version`-numbered list of migrations.
//!
//! One connection sits behind a mutex and every call runs on tokio's blocking
//! pool: SQLite serialises writers anyway, and this keeps the async runtime
//! free while a transaction commits.

mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused: the message names the statement's problem.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database directory could not be created.
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A stored JSON column no longer parses (edited by hand?).
    #[error("stored JSON in {column} is corrupt: {source}")]
    CorruptJson {
        /// Which column.
        column: &'static str,
        /// Why.
        source: serde_json::Error,
    },
    /// A worker thread panicked or was cancelled.
    #[error("database worker failed: {0}")]
    Worker(String),
}

/// A handle to the database, cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    connection: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up
    /// to date. `None` opens a private in-memory database (tests of routes
    /// that store nothing).
    pub fn open(path: Option<&Path>) -> Result<Self, StoreError> {
        let connection = match path {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
                let connection = Connection::open(path)?;
                // WAL lets SSE readers and writers proceed together; FULL makes
                // every commit durable before we answer.
                connection.pragma_update(None, "journal_mode", "WAL")?;
                connection
            }
            None => Connection::open_in_memory()?,
        };
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut connection = connection;
        schema::migrate(&mut connection)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on the blocking pool.
    pub async fn call<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            // A panic in an earlier call poisons the mutex; the connection
            // itself is still usable: every statement is atomic, and a
            // transaction left unfinished rolls back when its guard drops.
            let mut guard = connection
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut guard)
        })
        .await
        .map_err(|error| StoreError::Worker(error.to_string()))?
    }

    /// Runs `work` synchronously (startup only: demo data, migrations).
    pub fn call_blocking<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self
            .connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut guard)
    }
}

/// Parses a JSON column.
pub fn from_json_column<T: serde::de::DeserializeOwned>(
    column: &'static str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|source| StoreError::CorruptJson { column, source })
}

/// Serialises a value for a JSON column.
pub fn to_json_column<T: serde::Serialize>(
    column: &'static str,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|source| StoreError::CorruptJson { column, source })
}

/// A new random 32-hex-digit sys_id, as ServiceNow makes them.
pub fn new_sys_id() -> String {
    let mut bytes = [0u8; 16];
    // getrandom only fails without an OS entropy source; fall back to the
    // clock and a counter so ids stay unique even then.
    if getrandom::fill(&mut bytes).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        bytes[..8].copy_from_slice(&(nanos as u64).to_le_bytes());
        bytes[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

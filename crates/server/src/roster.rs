//! The agents a server knows (`--agents FILE`), as a CTI system knows the
//! agents it may log in.
//!
//! Without a roster the simulator logs in any agent id it is asked for, as
//! the demo and the benchmarks need (an agent per tab, per test, per
//! stream). With one, an agent id that is not in it is refused where it
//! names an agent — the event stream, the b+s requests, a simulated call —
//! so a mistyped `agent=` in a widget's address is told at once instead of
//! looking healthy and never getting a call. The roster's e-mails are the
//! agents' Tenios e-mails (stored in the `agents` table, which the Tenios API
//! reads, and served in `/config.json` as `agentEmails`), and its names are
//! the `firstName` and `lastName` of `getChannel`, which the widget shows.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::params;

use crate::store::{Db, StoreError};

/// One agent of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterAgent {
    /// The agent's e-mail, by which Tenios names them.
    pub email: String,
    /// `getChannel`'s `firstName`, if given.
    pub first_name: Option<String>,
    /// `getChannel`'s `lastName`, if given.
    pub last_name: Option<String>,
}

/// The agents a server knows, by agent id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    agents: BTreeMap<String, RosterAgent>,
}

impl Roster {
    /// Reads an agents file: one agent per line, `id:email:first name:last
    /// name` (the names optional); empty lines and lines starting with `#`
    /// are skipped.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read agents file {}: {error}", path.display()))?;
        Self::parse(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// [`Roster::from_file`] of `text`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut roster = Self::default();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let number = index + 1;
            let mut fields = line.splitn(4, ':').map(str::trim);
            let id = fields.next().unwrap_or_default();
            let email = fields.next().unwrap_or_default();
            if id.is_empty() || email.is_empty() {
                return Err(format!(
                    "line {number}: expected id:email:first name:last name (the names may be left out)"
                ));
            }
            if id.contains('/') || id.chars().any(char::is_whitespace) {
                return Err(format!(
                    "line {number}: the agent id `{id}` has a slash or a space, which no agent id of a URL may have"
                ));
            }
            if !email.contains('@') {
                return Err(format!("line {number}: `{email}` is not an e-mail"));
            }
            if roster
                .agents
                .values()
                .any(|agent| agent.email.eq_ignore_ascii_case(email))
            {
                return Err(format!(
                    "line {number}: the e-mail {email} is another agent's already (Tenios names agents by e-mail)"
                ));
            }
            let name =
                |field: Option<&str>| field.filter(|name| !name.is_empty()).map(str::to_owned);
            let agent = RosterAgent {
                email: email.to_owned(),
                first_name: name(fields.next()),
                last_name: name(fields.next()),
            };
            if roster.agents.insert(id.to_owned(), agent).is_some() {
                return Err(format!("line {number}: the agent {id} is listed twice"));
            }
        }
        if roster.agents.is_empty() {
            return Err("lists no agent: every agent would be refused".to_owned());
        }
        Ok(roster)
    }

    /// Adds `id` (the demo's agent, with `--demo`) unless listed already.
    pub fn include(&mut self, id: &str, agent: RosterAgent) {
        self.agents.entry(id.to_owned()).or_insert(agent);
    }

    /// The agent `id`, if the roster has it.
    pub fn get(&self, id: &str) -> Option<&RosterAgent> {
        self.agents.get(id)
    }

    /// The agents' e-mails by agent id (`agentEmails` of `/config.json`).
    pub fn emails(&self) -> BTreeMap<String, String> {
        self.agents
            .iter()
            .map(|(id, agent)| (id.clone(), agent.email.clone()))
            .collect()
    }

    /// Stores the roster's agents in the `agents` table, where the Tenios
    /// API looks agents up by e-mail: each with its e-mail and name, an
    /// e-mail taken from whoever had it before (a call's `agent_email`).
    pub fn store(&self, db: &Db) -> Result<(), StoreError> {
        db.call_blocking(|connection| {
            let transaction = connection.transaction()?;
            for (id, agent) in &self.agents {
                let name = [agent.first_name.as_deref(), agent.last_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                transaction.execute(
                    "DELETE FROM agents WHERE email = ?1 AND sys_id <> ?2",
                    params![agent.email, id],
                )?;
                transaction.execute(
                    "INSERT INTO agents (sys_id, email, name) VALUES (?1, ?2, ?3)
                     ON CONFLICT (sys_id) DO UPDATE SET email = excluded.email, name = excluded.name",
                    params![id, agent.email, name],
                )?;
            }
            transaction.commit()?;
            Ok(())
        })
    }
}

/// The answer to a request naming an agent the roster does not have: 404,
/// in the simulator's error shape, saying where the id comes from.
pub fn unknown_agent(agent_id: &str) -> axum::response::Response {
    crate::sim::sim_error(
        axum::http::StatusCode::NOT_FOUND,
        unknown_agent_message(agent_id),
    )
}

/// The words of [`unknown_agent`], also for a body's `agent_id`.
pub fn unknown_agent_message(agent_id: &str) -> String {
    format!(
        "no agent has the id `{agent_id}` on this server (its --agents file lists the agents it \
         knows): check the agent id, e.g. the `agent` of the widget's address"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_agents_with_and_without_names_and_skips_comments() {
        let roster = Roster::parse(
            "# id:email:first:last\n\na1:ann@example.com:Ann:Lee\n a2 : bo@example.com \n",
        )
        .unwrap();
        assert_eq!(
            roster.get("a1"),
            Some(&RosterAgent {
                email: "ann@example.com".to_owned(),
                first_name: Some("Ann".to_owned()),
                last_name: Some("Lee".to_owned()),
            })
        );
        assert_eq!(roster.get("a2").unwrap().first_name, None);
        assert_eq!(roster.get("a3"), None);
    }

    #[test]
    fn refuses_what_would_mislead_with_the_line() {
        for (text, reason) in [
            ("a1\n", "line 1: expected id:email"),
            ("a1:x@y\n\na1:z@y\n", "line 3: the agent a1 is listed twice"),
            (
                "a1:x@y\na2:X@y\n",
                "line 2: the e-mail X@y is another agent's",
            ),
            ("a 1:x@y\n", "has a slash or a space"),
            ("a1:nobody\n", "`nobody` is not an e-mail"),
            ("# none\n", "lists no agent"),
        ] {
            let error = Roster::parse(text).unwrap_err();
            assert!(error.contains(reason), "{text:?}: {error}");
        }
    }
}

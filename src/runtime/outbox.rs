//! The persisted outbox of wrap-up submissions.
//!
//! A submission is written to `localStorage` **before** its request is sent,
//! and removed only when the backend acknowledged it. Each entry names its
//! [`Backend`], so a reload delivers it where it was meant to go. Delivery is
//! idempotent on both: ServiceNow's `PUT segment/update` keeps one record per
//! segment (and the first `submitted_on`); a Genesys service ends once (a
//! repeated end replaces the record, with the same body: the timestamp is the
//! entry's `confirmed_on`). A retry after an unknown outcome, or after a
//! reload, cannot create a second record.
//! Transient failures are retried with exponential backoff and jitter,
//! forever; a refusal that will not change (a 4xx) is given up at once. A
//! refused sign-in (401, 403: the widget's token) is neither: the entry
//! waits, with no timer, until the server accepts the token again.
//!
//! The decisions are pure functions ([`backoff_delay`], [`Outbox`]) so the
//! browser tests drive them without a network or a clock.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use wrapup_core::desk::WrapupSubmission;
use wrapup_core::json::Value;
use wrapup_core::record::{FromJson, ReadError, Record};

use super::storage::LocalStore;
use crate::store::{OutboxStatus, RefusedWrapup};

/// Where the outbox is stored.
pub(super) const KEY: &str = "outbox";

/// The first retry waits about this long.
pub const BACKOFF_BASE: TimeDelta = TimeDelta::seconds(1);
/// No retry waits longer than this.
pub const BACKOFF_CAP: TimeDelta = TimeDelta::seconds(60);
/// After this many failed attempts the agent is told (`SubmissionFailed`);
/// delivery goes on in the background.
pub const ATTEMPTS_BEFORE_TELLING: u32 = 3;

/// How long to wait before retry number `attempt` (1 for the first retry):
/// `min(cap, base · 2^(attempt-1))`, of which the upper half is jittered by
/// `jitter` in `[0, 1)` ("equal jitter"), so many widgets recovering from the
/// same outage do not retry in lockstep.
pub fn backoff_delay(attempt: u32, jitter: f64) -> TimeDelta {
    let exponent = attempt.saturating_sub(1).min(16);
    let full = BACKOFF_BASE
        .checked_mul(1 << exponent)
        .unwrap_or(BACKOFF_CAP)
        .min(BACKOFF_CAP);
    let half_ms = full.num_milliseconds() / 2;
    let jitter = jitter.clamp(0.0, 1.0);
    // The product is at most 30 000 ms, far below f64's exact integer range.
    let jittered = (half_ms as f64 * jitter) as i64;
    TimeDelta::milliseconds(half_ms + jittered)
}

/// Where a submission goes, stored by name (`servicenow`, `genesys`).
///
/// Read as a `String`, so that a name this version does not know (from
/// a newer one) reads as ServiceNow, where delivery fails and the entry
/// stays, instead of making the whole outbox unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(into = "&'static str")]
pub enum Backend {
    /// ServiceNow `PUT segment/update` (entries stored before there was a
    /// choice have no `backend` and are this).
    #[default]
    ServiceNow,
    /// Genesys `POST /services/{segment_id}/end`.
    Genesys,
}

impl From<String> for Backend {
    fn from(name: String) -> Self {
        if name == "genesys" {
            Self::Genesys
        } else {
            Self::ServiceNow
        }
    }
}

impl FromJson for Backend {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        String::from_json(value).map(Self::from)
    }
}

impl From<Backend> for &'static str {
    fn from(backend: Backend) -> Self {
        match backend {
            Backend::ServiceNow => "servicenow",
            Backend::Genesys => "genesys",
        }
    }
}

/// One submission waiting for the backend's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// The backend it goes to (absent: ServiceNow, see [`Backend`]).
    pub backend: Backend,
    /// The workitem.
    pub workitem_id: String,
    /// The backend's id of the wrap-up, when known: the ServiceNow segment
    /// sys_id, or the Genesys service id.
    pub segment_id: Option<String>,
    /// The interaction sys_id, to name the segment when its id is unknown.
    pub interaction_id: Option<String>,
    /// The wrap-up code label.
    pub code: Option<String>,
    /// The notes.
    pub notes: String,
    /// When the agent (or the expiry) completed the wrap-up.
    #[serde(with = "rfc3339")]
    pub confirmed_on: DateTime<Utc>,
    /// Whether the Desk submitted on its own.
    pub automatic: bool,
    /// Failed attempts so far.
    pub attempts: u32,
    /// The last failure, in words for the agent.
    pub last_error: Option<String>,
    /// How its delivery stands on this page. Not stored: every page sends
    /// the entries it finds again, a refused one too.
    #[serde(skip)]
    pub delivery: Delivery,
}

/// Where the delivery of an entry stands on this page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Delivery {
    /// On its way, no attempt of this page failed.
    #[default]
    Sending,
    /// An attempt failed in passing (network, 5xx): retried with backoff.
    Retrying {
        /// Why the last attempt failed, in words for the agent.
        reason: String,
    },
    /// The backend refused it as it is: no longer sent by this page.
    Refused {
        /// Why, in words for the agent.
        reason: String,
    },
    /// The server did not accept the widget's sign-in: nothing is wrong
    /// with the wrap-up, which waits to be sent once the server accepts it.
    SignedOut {
        /// Why, in words for the agent.
        reason: String,
    },
}

/// `confirmed_on` as chrono's own serde writes it (RFC 3339, `Z`, as many
/// fractional digits as needed), so entries stored by earlier versions still
/// read. Written by hand because chrono's `Deserialize` pulls in its general
/// format parser (8 KB of wasm); `parse_from_rfc3339` is already linked.
mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::Serializer;
    use wrapup_core::json::Value;
    use wrapup_core::record::{FromJson, ReadError};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    pub fn read(value: Value) -> Result<DateTime<Utc>, ReadError> {
        DateTime::parse_from_rfc3339(&String::from_json(value)?)
            .map(|at| at.with_timezone(&Utc))
            .map_err(ReadError::custom)
    }
}

impl FromJson for OutboxEntry {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct OutboxEntry")?;
        Ok(Self {
            backend: record.or_default("backend")?,
            workitem_id: record.required("workitem_id")?,
            segment_id: record.optional("segment_id")?,
            interaction_id: record.optional("interaction_id")?,
            code: record.optional("code")?,
            notes: record.required("notes")?,
            confirmed_on: record.required_with("confirmed_on", rfc3339::read)?,
            automatic: record.required("automatic")?,
            attempts: record.required("attempts")?,
            last_error: record.optional("last_error")?,
            delivery: Delivery::Sending,
        })
    }
}

impl OutboxEntry {
    /// A new entry for the Desk's submission to ServiceNow.
    pub fn new(submission: &WrapupSubmission, interaction_id: Option<String>) -> Self {
        Self {
            backend: Backend::ServiceNow,
            workitem_id: submission.workitem_id.clone(),
            segment_id: submission.segment_id.clone(),
            interaction_id,
            code: submission.code.clone(),
            notes: submission.notes.clone(),
            confirmed_on: submission.confirmed_on,
            automatic: submission.automatic,
            attempts: 0,
            last_error: None,
            delivery: Delivery::Sending,
        }
    }

    /// The same entry for `backend`.
    pub fn to(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The submission, to hand back to the Desk after a reload.
    pub fn submission(&self) -> WrapupSubmission {
        WrapupSubmission {
            workitem_id: self.workitem_id.clone(),
            segment_id: self.segment_id.clone(),
            code: self.code.clone(),
            notes: self.notes.clone(),
            confirmed_on: self.confirmed_on,
            automatic: self.automatic,
        }
    }
}

/// The outbox's entries, one per workitem, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outbox {
    entries: Vec<OutboxEntry>,
    /// The workitems whose entry this page dropped: delivered, or taken
    /// back or dismissed by the agent. Not stored: it tells an outbox kept
    /// from an earlier visit ([`Outbox::merge_older`]) what is over here.
    #[serde(skip)]
    dropped: Vec<String>,
}

impl FromJson for Outbox {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct Outbox")?;
        Ok(Self {
            entries: record.required("entries")?,
            dropped: Vec::new(),
        })
    }
}

impl Outbox {
    /// The outbox as stored in `store` (empty if nothing is stored).
    pub fn load(store: &LocalStore) -> Self {
        store.get(KEY).unwrap_or_default()
    }

    /// Writes the outbox to `store`; returns whether it was stored.
    pub fn save(&self, store: &LocalStore) -> bool {
        if self.entries.is_empty() {
            store.remove(KEY);
            true
        } else {
            store.set(KEY, self)
        }
    }

    /// Adds `entry`, replacing an entry of the same workitem (one
    /// submission per workitem: the newest wins).
    pub fn put(&mut self, entry: OutboxEntry) {
        match self
            .entries
            .iter_mut()
            .find(|known| known.workitem_id == entry.workitem_id)
        {
            Some(known) => *known = entry,
            None => self.entries.push(entry),
        }
    }

    /// The entry of `workitem_id`.
    pub fn get(&self, workitem_id: &str) -> Option<&OutboxEntry> {
        self.entries
            .iter()
            .find(|entry| entry.workitem_id == workitem_id)
    }

    /// Every entry, oldest first: what to resume after a reload.
    pub fn entries(&self) -> &[OutboxEntry] {
        &self.entries
    }

    /// The entry of `workitem_id` is done with (its backend acknowledged it,
    /// or the agent discarded the wrap-up): forget it.
    pub fn remove(&mut self, workitem_id: &str) {
        let before = self.entries.len();
        self.entries
            .retain(|entry| entry.workitem_id != workitem_id);
        if self.entries.len() < before && !self.dropped.iter().any(|id| id == workitem_id) {
            self.dropped.push(workitem_id.to_owned());
        }
    }

    /// Whether this page has, or had, an entry of `workitem_id`.
    pub fn has_had(&self, workitem_id: &str) -> bool {
        self.get(workitem_id).is_some() || self.dropped.iter().any(|id| id == workitem_id)
    }

    /// Takes in the entries of `older`, the outbox a CRM page kept from an
    /// earlier visit while this page started without it, before its own
    /// (they are older); returns their workitems. Where both have an entry
    /// of a workitem, this page's stays: it was submitted in this visit,
    /// after the other. Nor does an entry come back that this page dropped:
    /// its wrap-up was delivered, taken back or dismissed here, later.
    pub fn merge_older(&mut self, older: Self) -> Vec<String> {
        let mut merged: Vec<OutboxEntry> = older
            .entries
            .into_iter()
            .filter(|entry| {
                let id = &entry.workitem_id;
                self.get(id).is_none() && !self.dropped.contains(id)
            })
            .collect();
        let added = merged
            .iter()
            .map(|entry| entry.workitem_id.clone())
            .collect();
        merged.append(&mut self.entries);
        self.entries = merged;
        added
    }

    /// An attempt failed in passing and is retried; returns the attempt
    /// count now.
    pub fn record_failure(&mut self, workitem_id: &str, error: &str) -> u32 {
        self.record(
            workitem_id,
            error,
            Delivery::Retrying {
                reason: error.to_owned(),
            },
        )
    }

    /// The backend refused the entry as it is: this page sends it no more
    /// (unless the agent retries). Returns the attempt count now.
    pub fn record_refusal(&mut self, workitem_id: &str, error: &str) -> u32 {
        self.record(
            workitem_id,
            error,
            Delivery::Refused {
                reason: error.to_owned(),
            },
        )
    }

    /// The server did not accept the widget's sign-in: the entry waits
    /// for it to (unless the agent retries).
    pub fn record_signed_out(&mut self, workitem_id: &str, error: &str) {
        self.record(
            workitem_id,
            error,
            Delivery::SignedOut {
                reason: error.to_owned(),
            },
        );
    }

    /// Names `segment` in the entry of `workitem_id` if it names neither
    /// its segment nor its interaction (it was submitted before its segment
    /// could be reached). Returns whether it did.
    pub fn name_segment(&mut self, workitem_id: &str, segment: &str) -> bool {
        let unnamed = self.entries.iter_mut().find(|entry| {
            entry.workitem_id == workitem_id
                && entry.segment_id.is_none()
                && entry.interaction_id.is_none()
        });
        let Some(entry) = unnamed else {
            return false;
        };
        entry.segment_id = Some(segment.to_owned());
        true
    }

    /// The workitems whose entries wait for the server to accept the
    /// widget's sign-in, but those that wait for their segment to be found
    /// ([`Outbox::name_segment`]).
    pub fn waiting_for_sign_in(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|entry| {
                matches!(entry.delivery, Delivery::SignedOut { .. })
                    && (entry.segment_id.is_some() || entry.interaction_id.is_some())
            })
            .map(|entry| entry.workitem_id.clone())
            .collect()
    }

    fn record(&mut self, workitem_id: &str, error: &str, delivery: Delivery) -> u32 {
        match self
            .entries
            .iter_mut()
            .find(|entry| entry.workitem_id == workitem_id)
        {
            Some(entry) => {
                entry.attempts += 1;
                entry.last_error = Some(error.to_owned());
                entry.delivery = delivery;
                entry.attempts
            }
            None => 0,
        }
    }

    /// The entry of `workitem_id` is sent again (the agent's Retry, or the
    /// server accepting the widget's sign-in): a refusal no longer stands,
    /// nor a wait for the sign-in (a passing failure is told until an
    /// attempt succeeds). Returns whether one did.
    pub fn resend(&mut self, workitem_id: &str) -> bool {
        let refused = self.entries.iter_mut().find(|entry| {
            entry.workitem_id == workitem_id
                && matches!(
                    entry.delivery,
                    Delivery::Refused { .. } | Delivery::SignedOut { .. }
                )
        });
        match refused {
            Some(entry) => {
                entry.delivery = Delivery::Sending;
                true
            }
            None => false,
        }
    }

    /// What the agent sees: how many wrap-ups are on their way (also those
    /// waiting for the sign-in, which the header tells), the newest failure
    /// among them on this page, and those the backend refused.
    pub fn status(&self) -> OutboxStatus {
        let mut status = OutboxStatus::default();
        for entry in &self.entries {
            match &entry.delivery {
                Delivery::Refused { reason } => status.refused.push(RefusedWrapup {
                    workitem_id: entry.workitem_id.clone(),
                    code: entry.code.clone(),
                    confirmed_on: entry.confirmed_on,
                    reason: reason.clone(),
                }),
                Delivery::Retrying { reason } => {
                    status.pending += 1;
                    status.last_error = Some(reason.clone());
                }
                Delivery::Sending | Delivery::SignedOut { .. } => status.pending += 1,
            }
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wrapup_core::parse::read;

    /// An outbox as the version before backends stored it.
    const STORED_BEFORE_BACKENDS: &str = r#"{"entries": [{
        "workitem_id": "w1", "segment_id": "s1", "interaction_id": "i1",
        "code": "Billing Issue", "notes": "Müller", "confirmed_on": "2024-09-16T18:52:01.5Z",
        "automatic": false, "attempts": 2, "last_error": "offline"}]}"#;

    #[test]
    fn entries_stored_before_backends_go_to_servicenow() {
        let outbox: Outbox = read(STORED_BEFORE_BACKENDS).unwrap();
        let entry = outbox.get("w1").unwrap();
        assert_eq!(entry.backend, Backend::ServiceNow);
        assert_eq!(entry.segment_id.as_deref(), Some("s1"));
        assert_eq!(entry.attempts, 2);
    }

    #[test]
    fn a_backend_this_version_does_not_know_keeps_the_outbox_readable() {
        let stored = STORED_BEFORE_BACKENDS
            .replace(r#""workitem_id""#, r#""backend": "pigeon", "workitem_id""#);
        let outbox: Outbox = read(&stored).unwrap();
        assert_eq!(outbox.get("w1").unwrap().backend, Backend::ServiceNow);
    }

    #[test]
    fn an_unreadable_time_is_named() {
        let stored = STORED_BEFORE_BACKENDS.replace("2024-09-16T18:52:01.5Z", "yesterday");
        let error = read::<Outbox>(&stored).unwrap_err();
        assert_eq!(error.path(), "entries[0].confirmed_on");
    }

    /// Bug: a CRM page that connected late to a frame which had wrapped up a
    /// call alone was handed the frame's outbox, which replaced the page's:
    /// a wrap-up left unsent by an earlier visit was lost.
    #[test]
    fn an_outbox_kept_from_an_earlier_visit_joins_this_pages_whose_entries_stay() {
        let stored: Outbox = read(STORED_BEFORE_BACKENDS).unwrap();
        let entry = |workitem_id: &str, notes: &str| OutboxEntry {
            workitem_id: workitem_id.into(),
            notes: notes.into(),
            ..stored.entries()[0].clone()
        };
        let mut older = Outbox::default();
        older.put(entry("unsent", "earlier visit"));
        older.put(entry("both", "earlier visit"));
        older.put(entry("delivered here", "earlier visit"));
        let mut outbox = Outbox::default();
        outbox.put(entry("delivered here", "this visit"));
        outbox.remove("delivered here");
        outbox.put(entry("both", "this visit"));
        outbox.put(entry("alone", "this visit"));

        assert_eq!(outbox.merge_older(older), ["unsent"]);
        let merged: Vec<(&str, &str)> = outbox
            .entries()
            .iter()
            .map(|entry| (entry.workitem_id.as_str(), entry.notes.as_str()))
            .collect();
        assert_eq!(
            merged,
            [
                ("unsent", "earlier visit"),
                ("both", "this visit"),
                ("alone", "this visit"),
            ]
        );
        assert_eq!(outbox.status().pending, 3);
    }

    #[test]
    fn a_genesys_entry_keeps_its_backend_across_a_reload() {
        let submission = WrapupSubmission {
            workitem_id: "w2".into(),
            segment_id: Some("36981723".into()),
            code: Some("10".into()),
            notes: "Rückruf".into(),
            confirmed_on: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            automatic: true,
        };
        let mut outbox = Outbox::default();
        outbox.put(OutboxEntry::new(&submission, None).to(Backend::Genesys));
        let text = serde_json::to_string(&outbox).unwrap();
        assert!(text.contains(r#""backend":"genesys""#), "{text}");
        let reloaded: Outbox = read(&text).unwrap();
        assert_eq!(reloaded, outbox);
        assert_eq!(reloaded.get("w2").unwrap().submission(), submission);
    }
}

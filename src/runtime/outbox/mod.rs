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

use chrono::TimeDelta;
use serde::Serialize;
use wrapup_core::desk::WrapupSubmission;
use wrapup_core::json::{ToJson, Value, Writer};
use wrapup_core::record::{FromJson, ReadError, Record};

use super::storage::LocalStore;
use crate::store::{OutboxStatus, RefusedWrapup};

mod entry;

pub use entry::{Backend, Delivery, OutboxEntry};

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

/// The outbox's entries, one per workitem, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outbox {
    entries: Vec<OutboxEntry>,
    /// The entries this page dropped (delivered, or taken back or dismissed
    /// by the agent), remembered only while an outbox kept from an earlier
    /// visit may still come to be merged ([`Outbox::remember_drops`]): it
    /// tells that outbox what is over here, and that visit's drafts what was
    /// saved. Not stored, and `None` in a page whose storage works, where
    /// nothing is merged: a page runs thousands of calls.
    #[serde(skip)]
    dropped: Option<Vec<Dropped>>,
}

/// An entry this page dropped while it remembered drops.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dropped {
    workitem_id: String,
    /// When it was dropped as delivered: the wrap-up the backend saved, and
    /// the caller its panel named.
    saved: Option<(WrapupSubmission, Option<String>)>,
}

/// Written as `Serialize` writes it (the dropped workitems are not stored).
impl ToJson for Outbox {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field("entries", &self.entries);
        out.end_object();
    }
}

impl FromJson for Outbox {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct Outbox")?;
        Ok(Self {
            entries: record.required("entries")?,
            dropped: None,
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

    /// The agent is done with the entry of `workitem_id` (they discarded the
    /// wrap-up, or took it back to change it): forget it.
    pub fn remove(&mut self, workitem_id: &str) {
        self.drop_entry(workitem_id, None);
    }

    /// The backend acknowledged the entry of `workitem_id`, the wrap-up of
    /// the call with `caller`: forget it.
    pub fn delivered(&mut self, workitem_id: &str, caller: Option<String>) {
        self.drop_entry(workitem_id, Some(caller));
    }

    /// Forgets the entry of `workitem_id`, remembering it if the outbox
    /// remembers drops: with its wrap-up as saved when it was `delivered`
    /// (`Some`, with the call's caller). A value rather than a closure, so
    /// that one function serves both callers.
    fn drop_entry(&mut self, workitem_id: &str, delivered: Option<Option<String>>) {
        let Some(at) = self
            .entries
            .iter()
            .position(|entry| entry.workitem_id == workitem_id)
        else {
            return;
        };
        let entry = self.entries.remove(at);
        if let Some(remembered) = self.dropped.as_mut() {
            // One per workitem, the newest: the first found is the older.
            let older = remembered
                .iter()
                .position(|dropped| dropped.workitem_id == workitem_id);
            if let Some(index) = older {
                remembered.swap_remove(index);
            }
            remembered.push(Dropped {
                saved: delivered.map(|caller| (entry.submission(), caller)),
                workitem_id: entry.workitem_id,
            });
        }
    }

    /// From now on the outbox remembers the workitems whose entry it drops,
    /// until [`Outbox::merge_older`]: a CRM page that connects late may bring
    /// an outbox kept from an earlier visit.
    pub fn remember_drops(&mut self) {
        self.dropped.get_or_insert_with(Vec::new);
    }

    /// The merge is over: the outbox no longer remembers what it drops.
    pub fn forget_drops(&mut self) {
        self.dropped = None;
    }

    /// The entry of `workitem_id` this page dropped (as far as it
    /// remembers, [`Outbox::remember_drops`]).
    fn dropped(&self, workitem_id: &str) -> Option<&Dropped> {
        self.dropped
            .as_ref()?
            .iter()
            .find(|dropped| dropped.workitem_id == workitem_id)
    }

    /// The wrap-up of `workitem_id` this page delivered, and its caller (as
    /// far as it remembers, [`Outbox::remember_drops`]).
    pub fn delivered_here(&self, workitem_id: &str) -> Option<&(WrapupSubmission, Option<String>)> {
        self.dropped(workitem_id)?.saved.as_ref()
    }

    /// Whether this page has, or had, an entry of `workitem_id`.
    pub fn has_had(&self, workitem_id: &str) -> bool {
        self.get(workitem_id).is_some() || self.dropped(workitem_id).is_some()
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
                self.get(id).is_none() && self.dropped(id).is_none()
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
                    notes: entry.notes.clone(),
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
mod tests;

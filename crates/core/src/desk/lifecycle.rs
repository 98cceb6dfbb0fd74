//! Workitem events from the CTI system: the workitem's lifecycle, exactly once.
//!
//! A workitem only moves forward: alerting → talking (Active ⇄ Paused) →
//! wrap-up → ended. An event that would move it backwards or repeat where it
//! is (a duplicate, a connect after wrap-up) is ignored whole: no callback, no
//! change. Ended workitems leave the live map and are remembered in the
//! bounded tombstones, so that anything arriving for them later is ignored.

use chrono::{DateTime, Utc};

use crate::bs::{CilEvent, CtiData, Workitem, WorkitemEventKind, WorkitemState};
use crate::json::Map;

use super::hold::HoldTime;
use super::session::WrapupSession;
use super::{Desk, Effect};

/// How far a workitem has come. Events only move it to a later stage, except
/// pause / resume, which alternate within the talking stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Unknown,
    Alerting,
    Talking,
    WrappingUp,
    Ended,
}

fn stage(state: &WorkitemState) -> Stage {
    match state {
        WorkitemState::Unknown | WorkitemState::Other(_) => Stage::Unknown,
        WorkitemState::Initiated | WorkitemState::Offered => Stage::Alerting,
        WorkitemState::Active | WorkitemState::Paused => Stage::Talking,
        WorkitemState::Wrapup => Stage::WrappingUp,
        WorkitemState::Ended
        | WorkitemState::EndedAbandoned
        | WorkitemState::EndedTransferred
        | WorkitemState::EndedUnknown => Stage::Ended,
    }
}

/// The state a `workitemEnd` leaves: the event's own `Ended*` state, or `Ended`.
fn ended_state(reported: &WorkitemState) -> WorkitemState {
    if reported.is_ended() {
        reported.clone()
    } else {
        WorkitemState::Ended
    }
}

/// A workitem the Desk follows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LiveWorkitem {
    pub(super) workitem: Workitem,
    pub(super) interaction_requested: bool,
    pub(super) hold: HoldTime,
}

/// Keeps `previous`'s value of every listed field `stored` leaves out.
///
/// Swapped rather than moved: `previous` stays whole and is dropped once,
/// without a drop flag and a drop per field (smaller code).
macro_rules! keep_if_absent {
    ($stored:ident, $previous:ident: $($field:ident),+) => {
        $( keep_if_none(&mut $stored.$field, &mut $previous.$field); )+
    };
}

/// `previous`'s value when `stored` has none. Not inlined: the many text
/// fields of a workitem and its call data share one copy (smaller code).
#[inline(never)]
fn keep_if_none<T>(stored: &mut Option<T>, previous: &mut Option<T>) {
    if stored.is_none() {
        std::mem::swap(stored, previous);
    }
}

/// `previous`'s unlisted fields that `stored` does not have.
fn keep_absent_extra(stored: &mut Map, previous: &mut Map) {
    for (key, value) in std::mem::take(previous) {
        stored.get_or_insert_with(key, || value);
    }
}

/// The same for call data: the CTI system may send only the variables it
/// knows (a wrap-up reason set through the Desk, for one, is not among them).
fn keep_absent_cti_data(stored: &mut CtiData, mut previous: CtiData) {
    keep_if_absent!(stored, previous:
        call_key_call_id,
        call_key_prefix,
        call_type,
        call_variable1,
        call_variable2,
        call_variable3,
        call_variable4,
        call_variable5,
        call_variable6,
        call_variable7,
        call_variable8,
        call_variable9,
        call_variable10,
        dialed_number,
        dnis,
        media_id,
        outbound_classification,
        queue_name,
        queue_number,
        wrap_up_reason
    );
    keep_absent_extra(&mut stored.extra, &mut previous.extra);
}

/// Takes a later event's data, keeping what it leaves out.
///
/// A value missing from a later event means "not sent", not "cleared" (the
/// activity, for one, may be undefined in `workitemCreate` only). The state is
/// the Desk's to set, and `requestId` always comes from the event itself, so
/// that it never matches a request it does not answer.
pub(super) fn merge_workitem(stored: &mut Workitem, incoming: Workitem) {
    let mut previous = std::mem::replace(stored, incoming);
    std::mem::swap(&mut stored.state, &mut previous.state);
    match (&mut stored.cti_data, previous.cti_data.take()) {
        (Some(fresh), Some(earlier)) => keep_absent_cti_data(fresh, earlier),
        (fresh @ None, earlier) => *fresh = earlier,
        (Some(_), None) => {}
    }
    keep_if_absent!(stored, previous:
        version,
        activity,
        agent_id,
        ani,
        associated_participant,
        channel_id,
        channel_type,
        classification,
        connected_at,
        direction
    );
    macro_rules! keep_if_empty {
        ($($field:ident),+) => {
            $( if stored.$field.is_empty() { std::mem::swap(&mut stored.$field, &mut previous.$field); } )+
        };
    }
    keep_if_empty!(
        associations,
        capabilities,
        participants,
        participant_lookup_result
    );
    keep_absent_extra(&mut stored.extra, &mut previous.extra);
}

impl Desk {
    /// Handles a workitem event from the CTI system.
    pub(super) fn on_workitem_event(
        &mut self,
        now: DateTime<Utc>,
        kind: WorkitemEventKind,
        incoming: Workitem,
        effects: &mut Vec<Effect>,
    ) {
        // Without an id an event cannot be about any particular workitem.
        if incoming.id.is_empty() || self.ended.contains(&incoming.id) {
            return;
        }
        if self.workitems.contains_key(&incoming.id) {
            self.on_known_workitem_event(now, kind, incoming, effects);
        } else {
            self.on_new_workitem_event(now, kind, incoming, effects);
        }
    }

    /// The first event of a workitem. Whatever it is, integrators first get a
    /// `workitemCreate` carrying the state the workitem is in (synthesized
    /// from the event's data when the event is not a create): that is what
    /// b+s Connects does when it recovers a call on login, and integrators'
    /// code can rely on seeing a workitem created before anything else.
    /// The milestones integrators hook (connect, wrap-up, end) follow as
    /// themselves. Hold toggles (pause, resume) and data changes do not: the
    /// create already says Paused or Active and carries the data, and a
    /// pause after a create saying Paused would tell integrators twice.
    fn on_new_workitem_event(
        &mut self,
        now: DateTime<Utc>,
        kind: WorkitemEventKind,
        mut workitem: Workitem,
        effects: &mut Vec<Effect>,
    ) {
        use WorkitemEventKind as Kind;
        workitem.state = match kind {
            Kind::Create | Kind::CallVariableChanged | Kind::WrapupDataChanged => workitem.state,
            Kind::Connect | Kind::Resume => WorkitemState::Active,
            Kind::Pause => WorkitemState::Paused,
            Kind::Wrapup => WorkitemState::Wrapup,
            Kind::End => ended_state(&workitem.state),
        };
        effects.push(Effect::Emit(CilEvent::WorkitemCreate(workitem.clone())));
        if matches!(kind, Kind::Connect | Kind::Wrapup | Kind::End) {
            effects.push(Effect::Emit(kind.event(workitem.clone())));
        }
        let id = workitem.id.clone();
        self.workitems.insert(
            id.clone(),
            LiveWorkitem {
                workitem,
                interaction_requested: false,
                hold: HoldTime::default(),
            },
        );
        self.after_transition(now, &id, effects);
    }

    /// A later event of a workitem: applied if it moves the workitem forward.
    fn on_known_workitem_event(
        &mut self,
        now: DateTime<Utc>,
        kind: WorkitemEventKind,
        incoming: Workitem,
        effects: &mut Vec<Effect>,
    ) {
        use WorkitemEventKind as Kind;
        let id = incoming.id.clone();
        let Some(live) = self.workitems.get_mut(&id) else {
            return;
        };
        let state = &live.workitem.state;
        let current = stage(state);
        let next = match kind {
            Kind::Create => None,
            Kind::Connect => (current <= Stage::Alerting).then_some(WorkitemState::Active),
            Kind::Pause => (current <= Stage::Alerting || *state == WorkitemState::Active)
                .then_some(WorkitemState::Paused),
            Kind::Resume => (*state == WorkitemState::Paused).then_some(WorkitemState::Active),
            Kind::Wrapup => (current <= Stage::Talking).then_some(WorkitemState::Wrapup),
            Kind::End => Some(ended_state(&incoming.state)),
            Kind::CallVariableChanged | Kind::WrapupDataChanged => {
                self.on_cti_data_event(incoming, effects);
                return;
            }
        };
        // A duplicate or an event out of order: nothing happens.
        let Some(next) = next else {
            return;
        };
        // Once wrap-up has begun, the wrap-up reason is the session's; an
        // event's copy of the call data must not overwrite it.
        let session_reason = self
            .sessions
            .contains_key(&id)
            .then(|| live.workitem.wrap_up_reason().map(str::to_owned));
        merge_workitem(&mut live.workitem, incoming);
        if let Some(reason) = session_reason
            && live.workitem.wrap_up_reason().map(str::to_owned) != reason
        {
            live.workitem.cti_data_mut().wrap_up_reason = reason;
        }
        live.workitem.state = next;
        effects.push(Effect::Emit(kind.event(live.workitem.clone())));
        self.after_transition(now, &id, effects);
    }

    /// Call recovery: the `workitemCreate` telling integrators who are new
    /// (a page that reloaded) of a live workitem, in its present state;
    /// `None` once it has ended. Told, not asked for, it carries no
    /// `requestId`: an earlier request's must not match it.
    pub fn recovered_create(&self, workitem_id: &str) -> Option<CilEvent> {
        let mut workitem = self.workitems.get(workitem_id)?.workitem.clone();
        workitem.request_id = None;
        Some(CilEvent::WorkitemCreate(workitem))
    }

    /// What follows from the state a workitem has reached: the interaction
    /// record once it is answered, the wrap-up once it wraps up, and leaving
    /// the live map once it ends (the end's automatic submission, if one is
    /// due, follows from [`Desk::submit_due`]).
    fn after_transition(&mut self, now: DateTime<Utc>, id: &str, effects: &mut Vec<Effect>) {
        let Some(live) = self.workitems.get_mut(id) else {
            return;
        };
        live.hold.follow(&live.workitem.state, now);
        let reached = stage(&live.workitem.state);
        if reached == Stage::Ended {
            self.workitems.remove(id);
            self.ended.remember(id);
            if let Some(session) = self.sessions.get_mut(id) {
                session.mark_workitem_ended();
            }
            return;
        }
        if reached >= Stage::Talking && !live.interaction_requested {
            live.interaction_requested = true;
            effects.push(Effect::CreateInteraction {
                workitem: live.workitem.clone(),
            });
        }
        if reached == Stage::WrappingUp && !self.sessions.contains_key(id) {
            self.wrapups_begun += 1;
            let session = WrapupSession::new(&live.workitem, now, self.wrapups_begun);
            self.sessions.insert(id.to_owned(), session);
            effects.push(Effect::OpenWrapupSegment {
                workitem: live.workitem.clone(),
                wrapup_started_at: now,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bs::Activity;

    #[test]
    fn merging_keeps_what_a_later_event_leaves_out() {
        let mut stored = Workitem::new("1", WorkitemState::Active);
        stored.activity = Some(Activity {
            id: Some("pc1".to_owned()),
            ..Activity::default()
        });
        stored.request_id = Some("r1".to_owned());
        let mut incoming = Workitem::new("1", WorkitemState::Wrapup);
        incoming.cti_data = Some(CtiData {
            call_variable1: Some("x".to_owned()),
            ..CtiData::default()
        });
        merge_workitem(&mut stored, incoming);
        assert_eq!(
            stored.state,
            WorkitemState::Active,
            "the state is the Desk's"
        );
        assert_eq!(
            stored.activity.and_then(|activity| activity.id).as_deref(),
            Some("pc1")
        );
        assert_eq!(stored.request_id, None, "a requestId is never carried over");
        assert_eq!(
            stored
                .cti_data
                .and_then(|cti_data| cti_data.call_variable1)
                .as_deref(),
            Some("x")
        );
    }

    #[test]
    fn stages_order_the_states() {
        assert!(stage(&WorkitemState::Offered) < stage(&WorkitemState::Paused));
        assert_eq!(stage(&WorkitemState::Active), stage(&WorkitemState::Paused));
        assert!(stage(&WorkitemState::Wrapup) < stage(&WorkitemState::EndedAbandoned));
        assert_eq!(ended_state(&WorkitemState::Wrapup), WorkitemState::Ended);
        assert_eq!(
            ended_state(&WorkitemState::EndedTransferred),
            WorkitemState::EndedTransferred
        );
    }
}

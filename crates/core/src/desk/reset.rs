//! The CTI system starting over: its workitems, their open wrap-ups and the
//! agent's state leave the Desk (the rule "CTI reset" of the module
//! documentation).

use crate::bs::{CilEvent, WorkitemState};

use super::{Desk, Effect};

impl Desk {
    /// Handles [`super::Input::CtiReset`]: every live workitem ends in state
    /// `EndedUnknown` and integrators are told so; wrap-ups leave with their
    /// workitem unless already submitted, which stay until their submission
    /// settles; the agent's state and the tombstones are forgotten. Nothing
    /// is submitted and no draft is discarded.
    pub(super) fn on_cti_reset(&mut self, effects: &mut Vec<Effect>) {
        for (_, live) in std::mem::take(&mut self.workitems) {
            let mut workitem = live.workitem;
            workitem.state = WorkitemState::EndedUnknown;
            // No request asked for this end: an earlier requestId must not match it.
            workitem.request_id = None;
            effects.push(Effect::Emit(CilEvent::WorkitemEnd(workitem)));
        }
        self.sessions
            .retain(|_, session| session.submission().is_some());
        for (_, session) in self.sessions.iter_mut() {
            session.mark_workitem_ended();
        }
        self.agent_states.clear();
        self.ended.clear();
    }
}

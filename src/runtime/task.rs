//! The runtime's work done in tasks of their own: one task type is
//! compiled for all of it ([`Task`], [`Runtime::spawn`]), not one for each.

use chrono::{DateTime, Utc};
use wrapup_core::bs::Workitem;

use super::{Runtime, tenios};

/// Work of the runtime's done in a task of its own ([`Runtime::spawn`]).
pub(super) enum Task {
    /// The call's interaction record (`CreateInteraction`).
    CreateInteraction(Workitem),
    /// The wrap-up's segment, or the Genesys wrap-up (`OpenWrapupSegment`),
    /// begun at the time given.
    OpenSegment(Workitem, DateTime<Utc>),
    /// The call data to its interaction record, newest first
    /// (`callVariableChanged`).
    SendCallData(String),
    /// Tenios extend or cancel (`RequestExtension`, `RequestCancel`).
    Tenios(String, tenios::TeniosAsk),
    /// The outbox entry of a workitem delivered.
    Deliver(String),
}

impl Task {
    /// Whether the task waits until the one that asked for it is over: the
    /// event that asked for it has updated the DOM and called the
    /// integrators' callbacks by then, so building and sending a request
    /// never delays what they see.
    fn after_render(&self) -> bool {
        matches!(
            self,
            Self::CreateInteraction(_) | Self::OpenSegment(..) | Self::SendCallData(_)
        )
    }
}

impl Runtime {
    /// Does `task` in a task of its own; nothing is done if the runtime
    /// stopped before it began ([`Task::after_render`]).
    pub(super) fn spawn(&self, task: Task) {
        let this = self.clone();
        leptos::task::spawn_local(async move {
            if task.after_render() && !this.inner.lifetime.sleep(chrono::TimeDelta::zero()).await {
                return;
            }
            match task {
                Task::CreateInteraction(workitem) => {
                    this.interaction_of(&workitem).await;
                }
                Task::OpenSegment(workitem, started_at) if this.genesys() => {
                    this.open_genesys_wrapup(&workitem, started_at);
                }
                Task::OpenSegment(workitem, started_at) => {
                    this.open_segment(workitem, started_at).await;
                }
                Task::SendCallData(workitem_id) => this.send_call_data(&workitem_id).await,
                Task::Tenios(workitem_id, ask) => this.ask_tenios(workitem_id, ask).await,
                // Awaited here, not in a function of its own: one async
                // state machine less in the task's.
                Task::Deliver(workitem_id) => {
                    this.deliver(&workitem_id).await;
                    this.delivery_over(&workitem_id);
                }
            }
        });
    }
}

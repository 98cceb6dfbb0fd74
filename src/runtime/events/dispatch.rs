//! One CTI event, as JSON, into the store: from the SSE stream and from the
//! host page (`wrapup:cti-event`), live or replayed.

use wrapup_core::bs::CilEvent;
use wrapup_core::desk::Input;
use wrapup_core::parse::ParseError;

use crate::store::DeskStore;

/// How a CTI event reaches the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// As it happens (the stream caught up, or the host page's events): the
    /// time it says it happened tells the CTI system's clock.
    Live,
    /// From the server's replay after a connection: it happened earlier.
    Replayed,
    /// Replayed, and integrators heard of it before a reload: its `cil`
    /// events are not emitted again (its other effects are performed).
    Retold,
}

/// Reads `data`, a b+s event as JSON (as the SSE stream and the host page's
/// `wrapup:cti-event` carry it), and feeds it to `store` as it `arrived`.
/// Returns the id of the workitem the event is about.
pub fn dispatch_cti_json(
    store: DeskStore,
    data: &str,
    arrived: Arrival,
) -> Result<Option<String>, ParseError> {
    let event: CilEvent = wrapup_core::parse::read(data)?;
    let workitem_id = event.workitem().map(|(_, workitem)| workitem.id.clone());
    if arrived == Arrival::Live
        && let Some(occurred) = event.occurred_at()
    {
        store.observe_event_time(occurred, crate::runtime::clock::browser_now());
    }
    // One dispatch of the event, muted or not: the event is moved into the
    // Desk's input at one place.
    let dispatch = move || store.dispatch(Input::Cti(event));
    if arrived == Arrival::Retold {
        crate::runtime::cil_bridge::replaying(dispatch);
    } else {
        dispatch();
    }
    Ok(workitem_id)
}

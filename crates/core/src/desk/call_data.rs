//! Call data and the wrap-up reason: changes from integrators
//! (`setWrapupReason`, `updateWorkitemData`), from the CTI system
//! (`callVariableChanged`, `wrapupDataChanged`), and the events they raise.
//!
//! Every data event the Desk emits follows from a difference it sees: a change
//! of `ctiData` raises `callVariableChanged` (the spec counts `wrapUpReason`
//! as a call variable), and a change of `wrapUpReason` also raises
//! `wrapupDataChanged`. Nothing that leaves the data as it was raises
//! anything, so a repeated event or request never reaches integrators twice.

use crate::bs::{CallDataKey, ChannelSelector, CilEvent, CtiData, Workitem};

use super::input::IntegratorRequest;
use super::lifecycle::merge_workitem;
use super::wrapup::persist_draft;
use super::{Desk, Effect};

impl Desk {
    /// Emits the data events for the difference between `before` and the
    /// workitem's call data now.
    pub(super) fn emit_data_changes(
        &self,
        workitem_id: &str,
        before: Option<&CtiData>,
        effects: &mut Vec<Effect>,
    ) {
        let Some(live) = self.workitems.get(workitem_id) else {
            return;
        };
        let empty = CtiData::default();
        let before = before.unwrap_or(&empty);
        let after = live.workitem.cti_data.as_ref().unwrap_or(&empty);
        if before != after {
            effects.push(Effect::Emit(CilEvent::CallVariableChanged(
                live.workitem.clone(),
            )));
        }
        if before.wrap_up_reason != after.wrap_up_reason {
            effects.push(Effect::Emit(CilEvent::WrapupDataChanged(
                live.workitem.clone(),
            )));
        }
    }

    /// `callVariableChanged` / `wrapupDataChanged` from the CTI system: the
    /// CTI system is the truth about the call's data. A new wrap-up reason
    /// also becomes the wrap-up's selection, as if an integrator had set it,
    /// unless the wrap-up is already submitted or cancelled.
    pub(super) fn on_cti_data_event(&mut self, incoming: Workitem, effects: &mut Vec<Effect>) {
        let id = incoming.id.clone();
        let Some(live) = self.workitems.get_mut(&id) else {
            return;
        };
        let before = live.workitem.cti_data.clone();
        let incoming_reason = incoming.wrap_up_reason().map(str::to_owned);
        merge_workitem(&mut live.workitem, incoming);
        let reason_changed = incoming_reason.is_some()
            && incoming_reason.as_deref()
                != before
                    .as_ref()
                    .and_then(|cti_data| cti_data.wrap_up_reason.as_deref());
        if let (true, Some(reason), Some(session)) = (
            reason_changed,
            incoming_reason.as_deref(),
            self.sessions.get_mut(&id),
        ) && session.select_external(reason) == Ok(true)
        {
            persist_draft(session, effects);
        }
        self.emit_data_changes(&id, before.as_ref(), effects);
    }

    /// An integrator request that changes call data. A request that fails
    /// (invalid, unknown workitem, wrong channel, wrap-up already submitted)
    /// changes nothing and is answered with an `error` event carrying its
    /// `requestId`, as the spec says.
    pub(super) fn on_integrator_request(
        &mut self,
        request: IntegratorRequest,
        effects: &mut Vec<Effect>,
    ) {
        let cil = request.to_cil();
        let outcome = match cil.validate() {
            Err(error) => Err(error.to_string()),
            Ok(()) => {
                let (channel_id, workitem_id, updates) = match &request {
                    IntegratorRequest::SetWrapupReason(request) => (
                        &request.channel_id,
                        &request.workitem_id,
                        vec![(CallDataKey::WrapUpReason, request.wrap_up_reason.clone())],
                    ),
                    IntegratorRequest::UpdateWorkitemData(request) => (
                        &request.channel_id,
                        &request.workitem_id,
                        // Validation has checked every key and that every value is a string.
                        request
                            .updated_data
                            .iter()
                            .filter_map(|(key, value)| {
                                Some((CallDataKey::parse(key)?, value.as_str()?.to_owned()))
                            })
                            .collect(),
                    ),
                };
                self.update_call_data(channel_id, workitem_id, cil.request_id(), &updates, effects)
                    .map_err(|problem| format!("{}: {problem}", cil.name()))
            }
        };
        if let Err(message) = outcome {
            effects.push(Effect::Emit(CilEvent::error(cil.request_id(), message)));
        }
    }

    fn update_call_data(
        &mut self,
        channel_id: &str,
        workitem_id: &str,
        request_id: Option<&str>,
        updates: &[(CallDataKey, String)],
        effects: &mut Vec<Effect>,
    ) -> Result<(), String> {
        let live = self
            .workitems
            .get_mut(workitem_id)
            .ok_or_else(|| format!("there is no workitem `{workitem_id}` (it may have ended)"))?;
        if let (Ok(selector), Some(workitem_channel)) = (
            ChannelSelector::parse(channel_id),
            live.workitem.channel_id.as_deref(),
        ) && !selector.matches(workitem_channel)
        {
            return Err(format!(
                "workitem `{workitem_id}` is on channel `{workitem_channel}`, not `{channel_id}`"
            ));
        }
        let reason = updates
            .iter()
            .find(|(key, _)| *key == CallDataKey::WrapUpReason)
            .map(|(_, value)| value.as_str());
        let session = self.sessions.get_mut(workitem_id);
        // Checked before anything changes, so that a refused request changes nothing.
        if let (Some(_), Some(session)) = (reason, session.as_deref()) {
            session
                .accepts_reason()
                .map_err(|refusal| refusal.to_string())?;
        }
        let before = live.workitem.cti_data.clone();
        // The events this request raises carry its requestId, so that the
        // integrator can match them to it.
        live.workitem.request_id = request_id.map(str::to_owned);
        for (key, value) in updates {
            live.workitem.cti_data_mut().set(key, value);
        }
        if let (Some(reason), Some(session)) = (reason, session)
            && session.select_external(reason) == Ok(true)
        {
            persist_draft(session, effects);
        }
        self.emit_data_changes(workitem_id, before.as_ref(), effects);
        Ok(())
    }
}

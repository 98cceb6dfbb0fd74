//! The reason codes of the simulated contact center: those an agent gives
//! for entering NotReady or Logout, and the wrap-up reasons
//! (`getReasonCodeList`).

use wrapup_core::bs::{AgentState, ReasonCode, ReasonCodeEntry, ReasonType};

use crate::AppState;
use crate::store::StoreError;

/// The NotReady reason codes of the simulated contact center.
const NOT_READY_REASONS: [(i64, &str); 3] = [(1, "Break"), (2, "Lunch"), (3, "Meeting")];

/// Its Logout reason codes, numbered apart from the NotReady ones.
const LOGOUT_REASONS: [(i64, &str); 3] = [
    (11, "End of Shift"),
    (12, "Training"),
    (13, "Technical Issue"),
];

/// The reason codes an agent may give for entering `state`; only NotReady
/// and Logout take one.
fn reasons_for(state: &AgentState) -> &'static [(i64, &'static str)] {
    match state {
        AgentState::NotReady => &NOT_READY_REASONS,
        AgentState::Logout => &LOGOUT_REASONS,
        _ => &[],
    }
}

/// `getReasonCodeList`: the reasons of `reason_type`. The Wrapup reasons are
/// the active codes of the wrap-up code table (the demo's, those of the Wrap
/// Up Code API and those simulated calls allowed), labelled as a call's
/// `wrapUpReason` carries them. An absent or unknown kind, which validation
/// refuses, has none.
pub async fn reason_code_list(
    state: &AppState,
    reason_type: Option<&ReasonType>,
) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    let reasons: &[(i64, &str)] = match reason_type {
        Some(ReasonType::NotReady) => &NOT_READY_REASONS,
        Some(ReasonType::Logout) => &LOGOUT_REASONS,
        Some(ReasonType::Wrapup) => return wrapup_reasons(state).await,
        None | Some(ReasonType::Other(_)) => &[],
    };
    Ok(reasons
        .iter()
        .map(|(id, label)| ReasonCodeEntry {
            label: (*label).to_owned(),
            id: id.to_string(),
        })
        .collect())
}

/// The active wrap-up codes by label, each identified by its sys_id.
async fn wrapup_reasons(state: &AppState) -> Result<Vec<ReasonCodeEntry>, StoreError> {
    state
        .db
        .call(|connection| {
            let mut statement = connection
                .prepare("SELECT code, sys_id FROM wrap_up_codes WHERE active = 1 ORDER BY code")?;
            let reasons = statement
                .query_map([], |row| {
                    Ok(ReasonCodeEntry {
                        label: row.get(0)?,
                        id: row.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(reasons)
        })
        .await
}

/// The label of reason code `id` for entering `state`, or `None` when the
/// contact center has no such code for that state.
pub fn reason_label(state: &AgentState, id: &str) -> Option<(ReasonCode, &'static str)> {
    reasons_for(state)
        .iter()
        .find(|(code, _)| code.to_string() == id.trim())
        .map(|(code, label)| (ReasonCode(*code), *label))
}

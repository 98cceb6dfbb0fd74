//! Helpers shared by the Desk's integration tests.
#![allow(dead_code, reason = "each test file uses a different part")]

use chrono::{DateTime, TimeDelta, Utc};
use wrapup_core::bs::{CilEvent, CtiData, Workitem, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, WrapupCode, WrapupConfig, WrapupSubmission,
};

/// `seconds` after a fixed instant (2024-09-16T17:52:01Z, the spec's `opened_on`).
pub fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_726_509_121, 0).unwrap_or_default() + TimeDelta::seconds(seconds)
}

/// A workitem as the CTI simulator sends it.
pub fn workitem(id: &str, state: WorkitemState) -> Workitem {
    Workitem {
        agent_id: Some("agent007".to_owned()),
        ani: Some("+41445551234".to_owned()),
        channel_id: Some("voice_5000".to_owned()),
        cti_data: Some(CtiData {
            call_variable1: Some("12345".to_owned()),
            ..CtiData::default()
        }),
        ..Workitem::new(id, state)
    }
}

/// The CTI event of `kind` for workitem `id` in `state`.
pub fn cti(kind: WorkitemEventKind, id: &str, state: WorkitemState) -> Input {
    Input::Cti(kind.event(workitem(id, state)))
}

pub fn create(id: &str) -> Input {
    cti(WorkitemEventKind::Create, id, WorkitemState::Offered)
}
pub fn connect(id: &str) -> Input {
    cti(WorkitemEventKind::Connect, id, WorkitemState::Active)
}
pub fn pause(id: &str) -> Input {
    cti(WorkitemEventKind::Pause, id, WorkitemState::Paused)
}
pub fn resume(id: &str) -> Input {
    cti(WorkitemEventKind::Resume, id, WorkitemState::Active)
}
pub fn wrapup(id: &str) -> Input {
    cti(WorkitemEventKind::Wrapup, id, WorkitemState::Wrapup)
}
pub fn end(id: &str) -> Input {
    cti(WorkitemEventKind::End, id, WorkitemState::Ended)
}

/// The spec's example configuration: codes required, "Billing Issue" the
/// default (translated to German), and `duration_seconds` to wrap up.
pub fn config(duration_seconds: Option<i64>) -> WrapupConfig {
    WrapupConfig {
        allowed_codes: vec![
            WrapupCode::translated("Billing Issue", "Abrechnungsproblem"),
            WrapupCode::new("Sales"),
        ],
        default_code: Some("Billing Issue".to_owned()),
        enable_codes: true,
        duration: duration_seconds.map(TimeDelta::seconds),
        notes_limit: None,
        custom_codes_allowed: false,
    }
}

pub fn segment_opened(id: &str, configuration: WrapupConfig, opened_on: DateTime<Utc>) -> Input {
    Input::Backend(BackendAnswer::SegmentOpened {
        workitem_id: id.to_owned(),
        segment_id: Some(format!("segment-{id}")),
        configuration,
        opened_on,
    })
}

pub fn agent(action: AgentAction) -> Input {
    Input::Agent(action)
}

pub fn select(id: &str, code: &str) -> Input {
    agent(AgentAction::SelectCode {
        workitem_id: id.to_owned(),
        code: code.to_owned(),
    })
}

pub fn submit(id: &str) -> Input {
    agent(AgentAction::Submit {
        workitem_id: id.to_owned(),
    })
}

pub fn extend(id: &str, by: TimeDelta) -> Input {
    agent(AgentAction::Extend {
        workitem_id: id.to_owned(),
        by,
    })
}

pub fn cancel(id: &str) -> Input {
    agent(AgentAction::Cancel {
        workitem_id: id.to_owned(),
    })
}

/// A desk with workitem `id` in wrap-up since `at(0)`, its segment opened
/// with `configuration` at `at(0)`.
pub fn desk_in_wrapup(id: &str, configuration: WrapupConfig) -> Desk {
    let mut desk = Desk::new();
    for input in [create(id), connect(id), wrapup(id)] {
        desk.apply(at(0), input);
    }
    desk.apply(at(0), segment_opened(id, configuration, at(0)));
    desk
}

/// The submissions among `effects`.
pub fn submissions(effects: &[Effect]) -> Vec<&WrapupSubmission> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::SubmitWrapup(submission) => Some(submission),
            _ => None,
        })
        .collect()
}

/// The names of the events emitted among `effects`.
pub fn emitted(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Emit(event) => Some(event.name()),
            _ => None,
        })
        .collect()
}

/// The workitem of the emitted events among `effects`.
pub fn emitted_workitems(effects: &[Effect]) -> Vec<&Workitem> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Emit(event) => event.workitem().map(|(_, workitem)| workitem),
            _ => None,
        })
        .collect()
}

/// The `error` events' messages among `effects`.
pub fn errors(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Emit(CilEvent::Error(error)) => Some(error.message.clone()),
            _ => None,
        })
        .collect()
}

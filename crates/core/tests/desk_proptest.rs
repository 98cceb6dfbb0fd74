//! Random sequences of inputs at random instants (forwards and backwards):
//! the Desk never panics, never submits a workitem twice (unless the agent
//! took back a refused submission, and then never on its own), and never
//! tells integrators the same thing twice.

mod desk_support;

use std::collections::BTreeMap;

use chrono::TimeDelta;
use desk_support::at;
use proptest::prelude::*;
use wrapup_core::bs::{
    AgentState, AgentStateChange, CilEvent, CtiData, SetWrapupReason, UpdateWorkitemData, Workitem,
    WorkitemEventKind, WorkitemState,
};
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, IntegratorRequest, NotesLimit, Restore,
    WrapupCode, WrapupConfig, WrapupDraft, WrapupSubmission,
};

const IDS: [&str; 3] = ["a", "b", "c"];
const CODES: [&str; 4] = ["Billing Issue", "Sales", "Custom", "Nope"];

fn id() -> impl Strategy<Value = String> {
    prop::sample::select(&IDS[..]).prop_map(str::to_owned)
}

fn code() -> impl Strategy<Value = String> {
    prop::sample::select(&CODES[..]).prop_map(str::to_owned)
}

fn maybe_text(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(options).prop_map(str::to_owned))
}

fn instant_ms() -> impl Strategy<Value = i64> {
    -5_000_i64..400_000
}

fn workitem_event() -> impl Strategy<Value = Input> {
    let kinds = [
        WorkitemEventKind::Create,
        WorkitemEventKind::Connect,
        WorkitemEventKind::Pause,
        WorkitemEventKind::Resume,
        WorkitemEventKind::Wrapup,
        WorkitemEventKind::End,
        WorkitemEventKind::CallVariableChanged,
        WorkitemEventKind::WrapupDataChanged,
    ];
    let states = [
        WorkitemState::Unknown,
        WorkitemState::Offered,
        WorkitemState::Active,
        WorkitemState::Paused,
        WorkitemState::Wrapup,
        WorkitemState::Ended,
        WorkitemState::EndedAbandoned,
    ];
    (
        prop::sample::select(kinds.to_vec()),
        id(),
        prop::sample::select(states.to_vec()),
        maybe_text(&["Sales", "Custom", "Billing Issue"]),
        maybe_text(&["1", "2"]),
        prop::option::of(prop::sample::select(&["voice_5000", "voice_6000"][..])),
    )
        .prop_map(|(kind, id, state, reason, variable, channel)| {
            let workitem = Workitem {
                channel_id: channel.map(str::to_owned),
                cti_data: Some(CtiData {
                    wrap_up_reason: reason,
                    call_variable1: variable,
                    ..CtiData::default()
                }),
                ..Workitem::new(id, state)
            };
            Input::Cti(kind.event(workitem))
        })
}

fn agent_action() -> impl Strategy<Value = Input> {
    prop_oneof![
        (id(), code())
            .prop_map(|(workitem_id, code)| AgentAction::SelectCode { workitem_id, code }),
        (id(), maybe_text(&["short", "a much longer note than fits"])).prop_map(
            |(workitem_id, notes)| {
                AgentAction::EditNotes {
                    workitem_id,
                    notes: notes.unwrap_or_default(),
                }
            }
        ),
        id().prop_map(|workitem_id| AgentAction::Submit { workitem_id }),
        (id(), -20_i64..1_000).prop_map(|(workitem_id, seconds)| AgentAction::Extend {
            workitem_id,
            by: TimeDelta::seconds(seconds),
        }),
        id().prop_map(|workitem_id| AgentAction::Cancel { workitem_id }),
        id().prop_map(|workitem_id| AgentAction::Dismiss { workitem_id }),
        id().prop_map(|workitem_id| AgentAction::Reopen { workitem_id }),
    ]
    .prop_map(Input::Agent)
}

fn integrator_request() -> impl Strategy<Value = Input> {
    prop_oneof![
        (id(), code()).prop_map(|(workitem_id, wrap_up_reason)| {
            IntegratorRequest::SetWrapupReason(SetWrapupReason {
                channel_id: "voice".to_owned(),
                workitem_id,
                wrap_up_reason,
                request_id: None,
            })
        }),
        (id(), maybe_text(&["1", "3"]), prop::option::of(code())).prop_map(
            |(workitem_id, variable, reason)| {
                let mut updated_data = wrapup_core::json::Map::new();
                if let Some(variable) = variable {
                    updated_data.insert("callVariable1".to_owned(), variable.into());
                }
                if let Some(reason) = reason {
                    updated_data.insert("wrapUpReason".to_owned(), reason.into());
                }
                IntegratorRequest::UpdateWorkitemData(UpdateWorkitemData {
                    channel_id: "voice".to_owned(),
                    workitem_id,
                    updated_data,
                    request_id: Some("r".to_owned()),
                })
            }
        ),
    ]
    .prop_map(Input::Integrator)
}

fn configuration() -> impl Strategy<Value = WrapupConfig> {
    (
        prop::option::of(0_i64..300),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(duration, enable_codes, has_default, limited)| WrapupConfig {
                allowed_codes: vec![
                    WrapupCode::translated("Billing Issue", "Abrechnungsproblem"),
                    WrapupCode::new("Sales"),
                ],
                default_code: has_default.then(|| "Billing Issue".to_owned()),
                enable_codes,
                duration: duration.map(TimeDelta::seconds),
                notes_limit: limited.then_some(NotesLimit::new(10)),
                custom_codes_allowed: false,
            },
        )
}

fn backend_answer() -> impl Strategy<Value = Input> {
    let reason = || Just("refused".to_owned());
    prop_oneof![
        (id(), configuration(), instant_ms()).prop_map(
            |(workitem_id, configuration, opened_ms)| {
                BackendAnswer::SegmentOpened {
                    workitem_id,
                    segment_id: Some("s".to_owned()),
                    configuration,
                    opened_on: at(0) + TimeDelta::milliseconds(opened_ms),
                }
            }
        ),
        id().prop_map(|workitem_id| BackendAnswer::SubmissionSent { workitem_id }),
        id().prop_map(|workitem_id| BackendAnswer::SubmissionConfirmed { workitem_id }),
        (id(), reason()).prop_map(|(workitem_id, reason)| BackendAnswer::SubmissionFailed {
            workitem_id,
            reason
        }),
        (id(), reason()).prop_map(|(workitem_id, reason)| BackendAnswer::SubmissionRefused {
            workitem_id,
            reason
        }),
        (id(), instant_ms()).prop_map(|(workitem_id, ms)| BackendAnswer::ExtensionAccepted {
            workitem_id,
            new_deadline: at(0) + TimeDelta::milliseconds(ms),
        }),
        (id(), reason()).prop_map(|(workitem_id, reason)| BackendAnswer::ExtensionRefused {
            workitem_id,
            reason
        }),
        id().prop_map(|workitem_id| BackendAnswer::CancelAccepted { workitem_id }),
        (id(), reason()).prop_map(|(workitem_id, reason)| BackendAnswer::CancelRefused {
            workitem_id,
            reason
        }),
    ]
    .prop_map(Input::Backend)
}

fn restore() -> impl Strategy<Value = Input> {
    prop_oneof![
        (
            id(),
            prop::option::of(code()),
            prop::option::of(code()),
            maybe_text(&["refused"])
        )
            .prop_map(
                |(workitem_id, selected_code, custom_code, refused_reason)| {
                    Restore::Draft {
                        workitem_id,
                        draft: WrapupDraft {
                            selected_code,
                            custom_code,
                            notes: "restored".to_owned(),
                            refused_reason,
                        },
                    }
                }
            ),
        id().prop_map(|workitem_id| Restore::Submission(WrapupSubmission {
            workitem_id,
            segment_id: None,
            code: None,
            notes: String::new(),
            confirmed_on: at(0),
            automatic: false,
        })),
    ]
    .prop_map(Input::Restore)
}

fn agent_state_change() -> impl Strategy<Value = Input> {
    let states = [AgentState::Ready, AgentState::NotReady, AgentState::Active];
    (prop::sample::select(states.to_vec()), instant_ms()).prop_map(|(state, ms)| {
        Input::Cti(CilEvent::AgentStateChange(AgentStateChange {
            channel_id: Some("voice_5000".to_owned()),
            new_state: state,
            new_state_change_time: Some(at(0) + TimeDelta::milliseconds(ms)),
            ..AgentStateChange::default()
        }))
    })
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => workitem_event(),
        4 => agent_action(),
        2 => integrator_request(),
        4 => backend_answer(),
        1 => restore(),
        1 => agent_state_change(),
        2 => Just(Input::Tick),
        1 => Just(Input::CtiReset),
    ]
}

/// Everything the Desk said about one workitem while one CTI system ran, in order.
#[derive(Default)]
struct Said {
    events: Vec<CilEvent>,
    submissions: usize,
    /// Of which the Desk made on its own.
    automatic: usize,
    /// Refused submissions the agent took back to change.
    withdrawn: usize,
    /// A submission came after a withdrawal other than by the agent.
    resubmitted_on_its_own: bool,
}

/// What the Desk said, by CTI system (a [`Input::CtiReset`] starts the next
/// one: workitem ids may come again, as new workitems) and workitem id.
fn run(steps: Vec<(i64, Input)>) -> BTreeMap<(usize, String), Said> {
    let mut desk = Desk::new();
    let mut said: BTreeMap<(usize, String), Said> = BTreeMap::new();
    let mut system = 0;
    for (ms, input) in steps {
        let reset = matches!(input, Input::CtiReset);
        for effect in desk.apply(at(0) + TimeDelta::milliseconds(ms), input) {
            match effect {
                Effect::SubmitWrapup(submission) => {
                    let said = said.entry((system, submission.workitem_id)).or_default();
                    said.submissions += 1;
                    said.automatic += usize::from(submission.automatic);
                    said.resubmitted_on_its_own |= submission.automatic && said.withdrawn > 0;
                }
                Effect::WithdrawSubmission { workitem_id } => {
                    said.entry((system, workitem_id)).or_default().withdrawn += 1;
                }
                Effect::Emit(event) => {
                    if let Some((_, workitem)) = event.workitem() {
                        said.entry((system, workitem.id.clone()))
                            .or_default()
                            .events
                            .push(event);
                    }
                }
                _ => {}
            }
        }
        // What the reset itself said (the old calls' ends) is the old system's.
        if reset {
            system += 1;
        }
    }
    said
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_inputs_keep_every_promise(steps in prop::collection::vec((instant_ms(), input()), 0..80)) {
        for ((system, id), said) in run(steps) {
            let id = format!("{id} (CTI system {system})");
            prop_assert!(
                said.submissions <= 1 + said.withdrawn,
                "{id} submitted {} times, {} withdrawn",
                said.submissions,
                said.withdrawn
            );
            prop_assert!(said.automatic <= 1, "{id} submitted on its own {} times", said.automatic);
            prop_assert!(!said.resubmitted_on_its_own, "{id}: a reopened wrap-up submitted on its own");
            if let Some(first) = said.events.first() {
                prop_assert_eq!(first.name(), "workitemCreate", "{} began with {}", id, first.name());
            }
            for once in ["workitemCreate", "workitemConnect", "workitemWrapup", "workitemEnd"] {
                let count = said.events.iter().filter(|event| event.name() == once).count();
                prop_assert!(count <= 1, "{id}: {once} emitted {count} times");
            }
            if let Some(end) = said.events.iter().position(|event| event.name() == "workitemEnd") {
                prop_assert_eq!(end, said.events.len() - 1, "{} heard of after its end", id);
            }
            // Pause and resume alternate: a pause only when integrators last
            // saw the workitem not paused, a resume only when they saw it paused.
            for pair in said.events.windows(2) {
                let last_seen = pair[0].workitem().map(|(_, workitem)| workitem.state.clone());
                let was_paused = last_seen == Some(WorkitemState::Paused);
                match pair[1].name() {
                    "workitemPause" => prop_assert!(!was_paused, "{id}: paused twice"),
                    "workitemResume" => prop_assert!(was_paused, "{id}: resumed while not paused"),
                    _ => {}
                }
            }
            for pair in said.events.windows(2) {
                prop_assert!(pair[0] != pair[1], "{id}: the same event twice in a row: {}", pair[0].name());
            }
        }
    }

    #[test]
    fn a_wrapup_is_submitted_at_most_once_however_time_moves(
        deadline_seconds in 0_i64..120,
        instants in prop::collection::vec(-10_000_i64..200_000, 1..40),
        submit_at in prop::option::of(0_usize..40),
    ) {
        let configuration = WrapupConfig { duration: Some(TimeDelta::seconds(deadline_seconds)), ..WrapupConfig::default() };
        let mut desk = Desk::new();
        let mut submitted = 0;
        for input in [desk_support::wrapup("1"), desk_support::segment_opened("1", configuration, at(0))] {
            submitted += desk_support::submissions(&desk.apply(at(-1), input)).len();
        }
        prop_assert_eq!(submitted, 0, "the time has not started yet");
        for (index, ms) in instants.into_iter().enumerate() {
            let input = if Some(index) == submit_at { desk_support::submit("1") } else { Input::Tick };
            let now = at(0) + TimeDelta::milliseconds(ms);
            let effects = desk.apply(now, input);
            submitted += desk_support::submissions(&effects).len();
            if ms >= deadline_seconds * 1000 {
                prop_assert_eq!(submitted, 1, "submitted by the deadline");
            }
        }
        prop_assert!(submitted <= 1);
    }
}

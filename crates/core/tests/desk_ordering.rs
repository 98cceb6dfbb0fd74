//! Duplicates, events out of order, call recovery and flat memory: every
//! callback reaches integrators at most once, and a workitem never moves back.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use wrapup_core::bs::{
    AgentState, AgentStateChange, CilEvent, DataState, ErrorEvent, QueueDataUpdate, ReasonCode,
    WorkitemEventKind, WorkitemState,
};
use wrapup_core::desk::{
    BackendAnswer, DEFAULT_TOMBSTONE_CAPACITY, Desk, Effect, Input, Restore, WrapupSubmission,
};

#[test]
fn repeated_events_change_nothing() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    assert_eq!(desk.apply(at(1), create("1")), []);
    desk.apply(at(2), connect("1"));
    assert_eq!(desk.apply(at(3), connect("1")), []);
    desk.apply(at(4), pause("1"));
    assert_eq!(desk.apply(at(5), pause("1")), []);
    desk.apply(at(6), resume("1"));
    assert_eq!(desk.apply(at(7), resume("1")), []);
    desk.apply(at(8), wrapup("1"));
    assert_eq!(desk.apply(at(9), wrapup("1")), []);
    desk.apply(at(10), end("1"));
    assert_eq!(desk.apply(at(11), end("1")), []);
}

#[test]
fn late_events_never_move_a_workitem_backwards() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), wrapup("1"));
    for late in [connect("1"), pause("1"), resume("1"), create("1")] {
        assert_eq!(desk.apply(at(2), late), []);
    }
    assert_eq!(
        desk.workitem("1").map(|w| w.state.clone()),
        Some(WorkitemState::Wrapup)
    );
    assert_eq!(
        desk.apply(at(3), resume("2")).len(),
        2,
        "a resume of another workitem still counts"
    );
}

#[test]
fn nothing_after_the_end_reaches_integrators() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), end("1"));
    let late = [
        create("1"),
        connect("1"),
        wrapup("1"),
        end("1"),
        cti(
            WorkitemEventKind::CallVariableChanged,
            "1",
            WorkitemState::Active,
        ),
        cti(
            WorkitemEventKind::WrapupDataChanged,
            "1",
            WorkitemState::Wrapup,
        ),
    ];
    for input in late {
        assert_eq!(desk.apply(at(2), input), []);
    }
    assert_eq!(desk.workitem("1"), None);
}

#[test]
fn a_first_event_other_than_create_is_preceded_by_a_synthesized_create() {
    let mut desk = Desk::new();
    let effects = desk.apply(at(0), connect("a"));
    assert_eq!(emitted(&effects), ["workitemCreate", "workitemConnect"]);
    assert_eq!(
        emitted_workitems(&effects)[0].state,
        WorkitemState::Active,
        "the create says where it is"
    );
    assert!(matches!(effects[2], Effect::CreateInteraction { .. }));

    let effects = desk.apply(at(0), wrapup("b"));
    assert_eq!(emitted(&effects), ["workitemCreate", "workitemWrapup"]);
    assert!(matches!(effects[2], Effect::CreateInteraction { .. }));
    assert!(matches!(effects[3], Effect::OpenWrapupSegment { .. }));

    let effects = desk.apply(at(0), end("c"));
    assert_eq!(emitted(&effects), ["workitemCreate", "workitemEnd"]);
    assert_eq!(effects.len(), 2);

    // Hold toggles are not replayed: the create alone says Active or Paused,
    // and the interaction is created since the call was answered.
    let effects = desk.apply(at(0), resume("d"));
    assert_eq!(emitted(&effects), ["workitemCreate"]);
    let effects = desk.apply(at(0), pause("e"));
    assert_eq!(emitted(&effects), ["workitemCreate"]);
    assert_eq!(emitted_workitems(&effects)[0].state, WorkitemState::Paused);
    assert!(matches!(effects[1], Effect::CreateInteraction { .. }));
    assert_eq!(emitted(&desk.apply(at(1), resume("e"))), ["workitemResume"]);
    let effects = desk.apply(
        at(0),
        cti(
            WorkitemEventKind::CallVariableChanged,
            "f",
            WorkitemState::Active,
        ),
    );
    assert_eq!(emitted(&effects), ["workitemCreate"]);
}

#[test]
fn a_create_recovering_a_call_in_wrapup_opens_the_wrapup() {
    let mut desk = Desk::new();
    let effects = desk.apply(
        at(0),
        cti(WorkitemEventKind::Create, "1", WorkitemState::Wrapup),
    );
    assert_eq!(emitted(&effects), ["workitemCreate"]);
    assert!(matches!(effects[1], Effect::CreateInteraction { .. }));
    assert!(matches!(effects[2], Effect::OpenWrapupSegment { .. }));
    assert_eq!(
        desk.apply(at(1), wrapup("1")),
        [],
        "the wrap-up already began"
    );
}

#[test]
fn data_events_from_the_cti_are_passed_on_only_when_the_data_changed() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    let mut changed = workitem("1", WorkitemState::Offered);
    changed.cti_data_mut().call_variable2 = Some("new".to_owned());
    let event = Input::Cti(CilEvent::CallVariableChanged(changed));
    assert_eq!(
        emitted(&desk.apply(at(1), event.clone())),
        ["callVariableChanged"]
    );
    assert_eq!(desk.apply(at(2), event), []);
    let same = cti(
        WorkitemEventKind::WrapupDataChanged,
        "1",
        WorkitemState::Offered,
    );
    assert_eq!(desk.apply(at(3), same), [], "nothing changed");
}

#[test]
fn memory_stays_flat_over_ten_thousand_calls() {
    let mut desk = Desk::new();
    for call in 0..10_000_i64 {
        let id = format!("call-{call}");
        let start = call * 100;
        desk.apply(at(start), create(&id));
        desk.apply(at(start + 1), connect(&id));
        desk.apply(at(start + 2), wrapup(&id));
        desk.apply(
            at(start + 3),
            segment_opened(&id, config(Some(60)), at(start + 2)),
        );
        if call % 2 == 0 {
            desk.apply(at(start + 4), submit(&id));
        }
        desk.apply(at(start + 5), end(&id));
        desk.apply(
            at(start + 6),
            Input::Backend(BackendAnswer::SubmissionConfirmed { workitem_id: id }),
        );
    }
    assert_eq!(desk.workitems().count(), 0);
    assert_eq!(desk.sessions().count(), 0);
    assert_eq!(desk.tombstone_count(), DEFAULT_TOMBSTONE_CAPACITY);
    assert_eq!(
        desk.apply(at(2_000_000), end("call-9999")),
        [],
        "the latest are remembered"
    );
}

#[test]
fn tombstones_forget_the_oldest_beyond_their_capacity() {
    let mut desk = Desk::with_tombstone_capacity(2);
    for id in ["1", "2", "3"] {
        desk.apply(at(0), create(id));
        desk.apply(at(1), end(id));
    }
    assert_eq!(desk.tombstone_count(), 2);
    assert_eq!(desk.apply(at(2), end("3")), []);
    assert_eq!(
        emitted(&desk.apply(at(2), end("1"))),
        ["workitemCreate", "workitemEnd"],
        "forgotten"
    );
}

fn state_change(state: AgentState, seconds: i64) -> Input {
    state_change_on("voice_5000", state, seconds)
}

fn state_change_on(channel_id: &str, state: AgentState, seconds: i64) -> Input {
    Input::Cti(CilEvent::AgentStateChange(AgentStateChange {
        channel_id: Some(channel_id.to_owned()),
        new_state: state,
        new_reason_code: Some(ReasonCode::NONE),
        new_state_change_time: Some(at(seconds)),
        ..AgentStateChange::default()
    }))
}

#[test]
fn agent_states_are_kept_per_channel_without_repeats_or_stale_ones() {
    let mut desk = Desk::new();
    assert_eq!(
        emitted(&desk.apply(at(0), state_change(AgentState::Ready, 0))),
        ["agentStateChange"]
    );
    assert_eq!(
        desk.apply(at(1), state_change(AgentState::Ready, 0)),
        [],
        "a repeat"
    );
    assert_eq!(
        emitted(&desk.apply(at(2), state_change(AgentState::Active, 10))),
        ["agentStateChange"]
    );
    assert_eq!(
        desk.apply(at(3), state_change(AgentState::Ready, 5)),
        [],
        "older than the current state"
    );
    let current = desk.agent_state("voice_5000");
    assert_eq!(
        current.map(|state| state.state.clone()),
        Some(AgentState::Active)
    );
    assert_eq!(current.and_then(|state| state.reason_code), None);
}

#[test]
fn each_channel_has_its_own_agent_state() {
    let mut desk = Desk::new();
    let mut changed = |seconds, channel_id, state, changed_at| {
        emitted(&desk.apply(at(seconds), state_change_on(channel_id, state, changed_at))).len()
    };
    assert_eq!(changed(0, "voice_5000", AgentState::Ready, 10), 1);
    assert_eq!(
        changed(1, "voice_6000", AgentState::Ready, 10),
        1,
        "the same state on another channel is no repeat"
    );
    assert_eq!(
        changed(2, "voice_-1", AgentState::NotReady, 5),
        1,
        "older than another channel's state is not stale"
    );
    assert_eq!(
        changed(3, "voice_6000", AgentState::Ready, 10),
        0,
        "a repeat"
    );
    assert_eq!(changed(4, "voice_-1", AgentState::Ready, 4), 0, "stale");
    assert_eq!(changed(5, "voice_6000", AgentState::Active, 20), 1);
    let states: Vec<(&str, AgentState)> = desk
        .agent_states()
        .map(|(channel_id, state)| (channel_id, state.state.clone()))
        .collect();
    assert_eq!(
        states,
        [
            ("voice_-1", AgentState::NotReady),
            ("voice_5000", AgentState::Ready),
            ("voice_6000", AgentState::Active),
        ]
    );
    assert_eq!(
        desk.agent_state("voice_-1")
            .and_then(|state| state.changed_at),
        Some(at(5))
    );
}

#[test]
fn queue_data_and_cti_errors_pass_through() {
    let mut desk = Desk::new();
    let queue = CilEvent::QueueDataUpdate(QueueDataUpdate {
        version: None,
        data_state: DataState::Disabled,
        queue_data: Vec::new(),
        extra: Default::default(),
    });
    assert_eq!(
        desk.apply(at(0), Input::Cti(queue.clone())),
        [Effect::Emit(queue)]
    );
    let error = CilEvent::Error(ErrorEvent {
        message: "CTI connection lost".to_owned(),
        ..ErrorEvent::default()
    });
    assert_eq!(
        desk.apply(at(0), Input::Cti(error.clone())),
        [Effect::Emit(error)]
    );
}

#[test]
fn time_running_backwards_does_no_harm() {
    let mut desk = desk_in_wrapup("1", config(Some(60)));
    assert_eq!(desk.apply(at(-3600), Input::Tick), []);
    assert_eq!(
        desk.apply(
            at(30) - TimeDelta::days(1),
            extend("1", TimeDelta::seconds(10))
        )
        .len(),
        1
    );
    assert_eq!(
        submissions(&desk.apply(at(60), Input::Tick)).len(),
        0,
        "waits for the extension's answer"
    );
}

/// After a reload every replayed wrap-up whose segment was closed is
/// confirmed at once, in whatever order the lookups complete: the agent is
/// told of the newest submission, and of the later wrap-up on a tie.
#[test]
fn the_wrapup_told_saved_is_the_newest_whatever_order_the_confirmations_come_in() {
    let mut desk = Desk::new();
    for (id, code, submitted) in [
        ("1", "Sales", 10),
        ("2", "Complaint", 20),
        ("3", "Billing Issue", 20),
    ] {
        desk.apply(at(0), create(id));
        desk.apply(at(0), connect(id));
        desk.apply(at(0), wrapup(id));
        desk.apply(at(0), segment_opened(id, config(Some(60)), at(0)));
        desk.apply(
            at(0),
            Input::Restore(Restore::Submission(WrapupSubmission {
                workitem_id: id.to_owned(),
                segment_id: Some(format!("segment-{id}")),
                code: Some(code.to_owned()),
                notes: String::new(),
                confirmed_on: at(submitted),
                automatic: false,
            })),
        );
    }
    let told = |desk: &Desk| desk.last_saved().and_then(|saved| saved.code.clone());
    for id in ["3", "1", "2"] {
        desk.apply(
            at(30),
            Input::Backend(BackendAnswer::SubmissionConfirmed {
                workitem_id: id.to_owned(),
            }),
        );
        assert_eq!(
            told(&desk).as_deref(),
            Some("Abrechnungsproblem"),
            "after {id}"
        );
    }
}

// A wrap-up whose segment could not be reached (the server refused the
// widget's sign-in) goes on with the codes and time the call data announces;
// the segment found later is the one it is submitted to.
#[test]
fn a_segment_found_after_the_wrapup_went_on_without_one_is_submitted_to() {
    let id = "1";
    let mut desk = Desk::new();
    for input in [create(id), connect(id), wrapup(id)] {
        desk.apply(at(0), input);
    }
    let opened = |segment_id: Option<&str>, duration: i64, opened_on: i64| {
        Input::Backend(BackendAnswer::SegmentOpened {
            workitem_id: id.to_owned(),
            segment_id: segment_id.map(str::to_owned),
            configuration: config(Some(duration)),
            opened_on: at(opened_on),
        })
    };
    desk.apply(at(0), opened(None, 60, 0));
    assert_eq!(desk.apply(at(10), opened(Some("found"), 300, 10)), []);
    let session = desk.session(id).unwrap();
    assert_eq!(session.segment_id(), Some("found"));
    assert_eq!(
        session.deadline(),
        Some(at(60)),
        "its time is the one it had"
    );
    // A segment named already stays.
    desk.apply(at(20), opened(Some("another"), 60, 0));
    let effects = desk.apply(at(30), submit(id));
    assert_eq!(
        submissions(&effects)[0].segment_id.as_deref(),
        Some("found")
    );
}

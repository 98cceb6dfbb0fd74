//! A whole call, from alerting to the end, with the exact effects.

mod desk_support;

use chrono::TimeDelta;
use desk_support::*;
use wrapup_core::bs::{CilEvent, WorkitemEventKind, WorkitemState};
use wrapup_core::desk::{
    AgentAction, BackendAnswer, Desk, Effect, Input, SavedWrapup, SubmissionState, WrapupDraft,
    WrapupPhase, WrapupSubmission,
};

#[test]
fn a_call_from_create_to_end() {
    let mut desk = Desk::new();
    let id = "16777302";
    // What integrators receive: the simulator's data in the Desk's state.
    let in_state = |state: WorkitemState| workitem(id, state);

    // Alerting.
    assert_eq!(
        desk.apply(at(0), create(id)),
        [Effect::Emit(CilEvent::WorkitemCreate(in_state(
            WorkitemState::Offered
        )))]
    );
    assert_eq!(
        desk.workitem(id).map(|w| &w.state),
        Some(&WorkitemState::Offered)
    );

    // Accepted: the interaction record is created.
    let active = in_state(WorkitemState::Active);
    assert_eq!(
        desk.apply(at(5), connect(id)),
        [
            Effect::Emit(CilEvent::WorkitemConnect(active.clone())),
            Effect::CreateInteraction {
                workitem: active.clone()
            },
        ]
    );
    assert!(desk.is_send_dtmf_enabled());

    // Hold and back.
    assert_eq!(
        desk.apply(at(20), pause(id)),
        [Effect::Emit(CilEvent::WorkitemPause(in_state(
            WorkitemState::Paused
        )))]
    );
    assert!(!desk.is_send_dtmf_enabled(), "no tones while on hold");
    assert_eq!(
        desk.apply(at(30), resume(id)),
        [Effect::Emit(CilEvent::WorkitemResume(active.clone()))]
    );

    // Wrap-up: the segment is found or opened.
    let wrapping_up = in_state(WorkitemState::Wrapup);
    assert_eq!(
        desk.apply(at(60), wrapup(id)),
        [
            Effect::Emit(CilEvent::WorkitemWrapup(wrapping_up.clone())),
            Effect::OpenWrapupSegment {
                workitem: wrapping_up.clone(),
                wrapup_started_at: at(60)
            },
        ]
    );
    assert_eq!(
        desk.session(id).map(|s| s.phase()),
        Some(WrapupPhase::Opening)
    );

    // The server's opened_on, a second before the widget heard of the wrap-up.
    assert_eq!(
        desk.apply(at(61), segment_opened(id, config(Some(120)), at(59))),
        []
    );
    let session = desk.session(id);
    assert_eq!(session.map(|s| s.phase()), Some(WrapupPhase::Open));
    assert_eq!(
        session.and_then(|s| s.deadline()),
        Some(at(179)),
        "opened_on + duration"
    );
    assert_eq!(
        session.and_then(|s| s.selected_code()),
        Some("Billing Issue"),
        "default preselected"
    );
    assert_eq!(desk.next_deadline(), Some(at(179)));
    assert_eq!(
        session
            .and_then(|s| s.countdown(at(89)))
            .map(|c| c.remaining),
        Some(TimeDelta::seconds(90))
    );

    // The agent picks a code: persisted, and integrators hear of the new reason.
    let mut with_reason = wrapping_up.clone();
    with_reason.cti_data_mut().wrap_up_reason = Some("Sales".to_owned());
    assert_eq!(
        desk.apply(at(70), select(id, "Sales")),
        [
            Effect::PersistDraft {
                workitem_id: id.to_owned(),
                draft: WrapupDraft {
                    selected_code: Some("Sales".to_owned()),
                    custom_code: None,
                    notes: String::new(),
                    refused_reason: None,
                },
            },
            Effect::Emit(CilEvent::CallVariableChanged(with_reason.clone())),
            Effect::Emit(CilEvent::WrapupDataChanged(with_reason.clone())),
        ]
    );

    // Notes.
    let notes = "Customer wants the premium plan; call back Monday.";
    assert_eq!(
        desk.apply(
            at(80),
            agent(AgentAction::EditNotes {
                workitem_id: id.to_owned(),
                notes: notes.to_owned()
            })
        ),
        [Effect::PersistDraft {
            workitem_id: id.to_owned(),
            draft: WrapupDraft {
                selected_code: Some("Sales".to_owned()),
                custom_code: None,
                notes: notes.to_owned(),
                refused_reason: None,
            },
        }]
    );

    // Submit.
    let submitted = WrapupSubmission {
        workitem_id: id.to_owned(),
        segment_id: Some(format!("segment-{id}")),
        code: Some("Sales".to_owned()),
        notes: notes.to_owned(),
        confirmed_on: at(90),
        automatic: false,
    };
    assert_eq!(
        desk.apply(at(90), submit(id)),
        [Effect::SubmitWrapup(submitted.clone())]
    );
    assert_eq!(
        desk.session(id).map(|s| s.phase()),
        Some(WrapupPhase::Submitted)
    );
    assert_eq!(
        desk.next_deadline(),
        None,
        "a submitted wrap-up has nothing to wait for"
    );
    let state = |desk: &Desk| {
        desk.session(id)
            .and_then(|s| s.submission())
            .map(|s| s.state.clone())
    };
    assert_eq!(state(&desk), Some(SubmissionState::Saving));

    // The outbox reports.
    let answer = |answer: BackendAnswer| Input::Backend(answer);
    assert_eq!(
        desk.apply(
            at(91),
            answer(BackendAnswer::SubmissionSent {
                workitem_id: id.to_owned()
            })
        ),
        []
    );
    assert_eq!(state(&desk), Some(SubmissionState::Sent));
    assert_eq!(
        desk.apply(
            at(92),
            answer(BackendAnswer::SubmissionConfirmed {
                workitem_id: id.to_owned()
            })
        ),
        [Effect::ForgetWrapup {
            workitem_id: id.to_owned()
        }]
    );
    assert_eq!(state(&desk), Some(SubmissionState::Confirmed));

    // The time runs out after the submission: nothing more.
    assert_eq!(desk.apply(at(500), Input::Tick), []);

    // End: the workitem and its finished wrap-up are forgotten.
    let mut ended = with_reason.clone();
    ended.state = WorkitemState::Ended;
    assert_eq!(
        desk.apply(at(501), end(id)),
        [Effect::Emit(CilEvent::WorkitemEnd(ended))]
    );
    assert_eq!(desk.workitem(id), None);
    assert!(desk.session(id).is_none());
    assert_eq!(desk.tombstone_count(), 1);
    // The panel has left; the agent is still told what was saved.
    assert_eq!(
        desk.last_saved(),
        Some(&SavedWrapup {
            caller: Some("+41445551234".to_owned()),
            code: Some("Sales".to_owned()),
            submitted_at: at(90),
        })
    );
}

#[test]
fn a_call_without_wrapup_ends_right_after_hang_up() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    desk.apply(at(1), connect("1"));
    let effects = desk.apply(at(9), end("1"));
    assert_eq!(emitted(&effects), ["workitemEnd"]);
    assert!(submissions(&effects).is_empty());
    assert_eq!(desk.workitems().count(), 0);
}

#[test]
fn an_abandoned_call_keeps_its_ended_state_and_needs_no_interaction() {
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    let effects = desk.apply(
        at(3),
        cti(
            wrapup_core::bs::WorkitemEventKind::End,
            "1",
            WorkitemState::EndedAbandoned,
        ),
    );
    assert_eq!(
        emitted_workitems(&effects)
            .iter()
            .map(|w| w.state.clone())
            .collect::<Vec<_>>(),
        [WorkitemState::EndedAbandoned]
    );
    assert!(
        !effects
            .iter()
            .any(|effect| matches!(effect, Effect::CreateInteraction { .. }))
    );
}

#[test]
fn workitems_are_kept_by_id_in_every_state_of_the_spec() {
    use wrapup_core::bs::WorkitemEventKind::{Create, End};
    use wrapup_core::bs::WorkitemState::*;
    let mut desk = Desk::new();
    // The states a workitem lives in, each created (as on call recovery)
    // under its own id: whether it was answered, and whether it wraps up.
    let live = [
        (Unknown, false, false),
        (Initiated, false, false),
        (Offered, false, false),
        (Active, true, false),
        (Paused, true, false),
        (Wrapup, true, true),
    ];
    for (state, answered, wrapping_up) in &live {
        let id = state.as_str();
        let effects = desk.apply(at(0), cti(Create, id, state.clone()));
        assert_eq!(emitted(&effects), ["workitemCreate"], "{id}");
        assert_eq!(&emitted_workitems(&effects)[0].state, state);
        let interaction = effects
            .iter()
            .any(|effect| matches!(effect, Effect::CreateInteraction { .. }));
        assert_eq!(interaction, *answered, "{id}: interaction record");
        assert_eq!(desk.session(id).is_some(), *wrapping_up, "{id}: wrap-up");
    }
    assert_eq!(desk.workitems().count(), live.len());
    for (state, ..) in &live {
        assert_eq!(desk.workitem(state.as_str()).map(|w| &w.state), Some(state));
    }
    // Each ends in one of the four Ended states; the end keeps the one it reports.
    let ends = [
        Ended,
        EndedAbandoned,
        EndedTransferred,
        EndedUnknown,
        EndedAbandoned,
        EndedUnknown,
    ];
    for ((state, ..), ended) in live.iter().zip(ends) {
        let id = state.as_str();
        let effects = desk.apply(at(1), cti(End, id, ended.clone()));
        assert_eq!(emitted(&effects), ["workitemEnd"], "{id}");
        assert_eq!(emitted_workitems(&effects)[0].state, ended, "{id}");
        assert_eq!(desk.workitem(id), None, "{id} has left");
    }
    assert_eq!(desk.tombstone_count(), live.len());
}

#[test]
fn later_events_keep_data_earlier_ones_carried() {
    let mut desk = Desk::new();
    let mut first = workitem("1", WorkitemState::Offered);
    first.activity = None;
    desk.apply(at(0), Input::Cti(CilEvent::WorkitemCreate(first)));
    let mut connected = workitem("1", WorkitemState::Active);
    connected.activity = Some(wrapup_core::bs::Activity {
        id: Some("pc-1".to_owned()),
        ..Default::default()
    });
    desk.apply(at(1), Input::Cti(CilEvent::WorkitemConnect(connected)));
    let mut paused = wrapup_core::bs::Workitem::new("1", WorkitemState::Paused);
    paused.request_id = Some("r9".to_owned());
    let effects = desk.apply(at(2), Input::Cti(CilEvent::WorkitemPause(paused)));
    let emitted = emitted_workitems(&effects);
    assert_eq!(
        emitted[0].activity.as_ref().and_then(|a| a.id.as_deref()),
        Some("pc-1")
    );
    assert_eq!(emitted[0].ani.as_deref(), Some("+41445551234"));
    assert_eq!(emitted[0].request_id.as_deref(), Some("r9"));
}

#[test]
fn notes_are_cut_to_the_backends_limit_and_the_agent_is_told() {
    let configuration = wrapup_core::desk::WrapupConfig {
        notes_limit: Some(wrapup_core::desk::NotesLimit::GENESYS),
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    let long = "ü".repeat(70);
    let effects = desk.apply(
        at(1),
        agent(AgentAction::EditNotes {
            workitem_id: "1".to_owned(),
            notes: long,
        }),
    );
    assert_eq!(
        desk.session("1").map(|s| s.notes().chars().count()),
        Some(64)
    );
    assert_eq!(
        effects.last(),
        Some(&Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: wrapup_core::desk::Refusal::NotesTruncated {
                limit: 64,
                cut_chars: 6
            },
        })
    );
}

#[test]
fn genesys_notes_are_cut_as_genesys_counts_them() {
    // Regression: the Desk's Genesys limit counted `char`s while Genesys
    // counts UTF-16 units, so notes with emoji passed the Desk and broke
    // `disposition_desc`'s 64-unit limit.
    let configuration = wrapup_core::desk::WrapupConfig {
        notes_limit: Some(wrapup_core::desk::NotesLimit::GENESYS),
        ..config(Some(60))
    };
    let mut desk = desk_in_wrapup("1", configuration);
    let effects = desk.apply(
        at(1),
        agent(AgentAction::EditNotes {
            workitem_id: "1".to_owned(),
            notes: format!("a{}", "😀".repeat(40)),
        }),
    );
    let notes = desk.session("1").map(|s| s.notes().to_owned());
    assert_eq!(notes, Some(format!("a{}", "😀".repeat(31))));
    let notes = notes.unwrap_or_default();
    assert!(
        wrapup_core::genesys::text_length(&notes)
            <= wrapup_core::genesys::DISPOSITION_DESC_MAX_CHARS
    );
    assert_eq!(
        effects.last(),
        Some(&Effect::Refused {
            workitem_id: "1".to_owned(),
            reason: wrapup_core::desk::Refusal::NotesTruncated {
                limit: 64,
                cut_chars: 18
            },
        })
    );
}

#[test]
fn the_wrapup_keeps_the_caller_after_the_workitem_ends() {
    // Regression: the wrap-up panel read the caller from the live workitem,
    // so it showed "Unknown caller" once the workitem ended.
    let mut desk = desk_in_wrapup("1", config(None));
    assert_eq!(
        desk.session("1").and_then(|s| s.caller()),
        Some("+41445551234")
    );
    desk.apply(at(1), end("1"));
    assert!(desk.workitem("1").is_none());
    assert_eq!(
        desk.session("1").and_then(|s| s.caller()),
        Some("+41445551234")
    );
}

#[test]
fn the_wrapup_keeps_when_the_call_was_established_after_the_workitem_ends() {
    // The wrap-up panel tells two wrap-ups of one caller apart by when each
    // call began; the live workitem is gone once the call ends.
    let mut desk = Desk::new();
    desk.apply(at(0), create("1"));
    let mut connected = workitem("1", WorkitemState::Active);
    connected.connected_at = Some(at(3));
    desk.apply(
        at(3),
        Input::Cti(WorkitemEventKind::Connect.event(connected)),
    );
    desk.apply(at(60), wrapup("1"));
    assert_eq!(
        desk.session("1").and_then(|s| s.connected_at()),
        Some(at(3))
    );
    desk.apply(at(61), end("1"));
    assert!(desk.workitem("1").is_none());
    assert_eq!(
        desk.session("1").and_then(|s| s.connected_at()),
        Some(at(3))
    );
}

#[test]
fn the_caller_is_the_ani_else_a_participant_else_the_associated_record() {
    use wrapup_core::bs::{CrmRecord, Participant, Workitem};
    let mut workitem = Workitem::new("1", WorkitemState::Active);
    assert_eq!(workitem.caller(), None);
    workitem.associated_participant = Some(CrmRecord {
        name: Some("Ada Lovelace".to_owned()),
        ..CrmRecord::default()
    });
    assert_eq!(workitem.caller(), Some("Ada Lovelace"));
    workitem.participants = vec![Participant {
        address: Some("+4930123".to_owned()),
        ..Participant::default()
    }];
    assert_eq!(workitem.caller(), Some("+4930123"));
    workitem.ani = Some("+4144555".to_owned());
    assert_eq!(workitem.caller(), Some("+4144555"));
}

#[test]
fn an_empty_ani_a_withheld_number_names_no_caller() {
    // Regression: a call whose number was withheld (`ani` empty) showed a
    // blank heading on its card instead of "Unknown caller".
    use wrapup_core::bs::{Participant, Workitem};
    let mut workitem = Workitem::new("1", WorkitemState::Offered);
    workitem.ani = Some(String::new());
    assert_eq!(workitem.caller(), None);
    workitem.participants = vec![Participant {
        address: Some(" ".to_owned()),
        ..Participant::default()
    }];
    assert_eq!(workitem.caller(), None);
    workitem.participants[0].address = Some("+4930123".to_owned());
    assert_eq!(workitem.caller(), Some("+4930123"));
}

#[test]
fn a_recovered_call_is_told_as_a_create_in_its_present_state_without_a_request_id() {
    let mut desk = Desk::new();
    let id = "16777302";
    desk.apply(at(0), create(id));
    let mut connected = workitem(id, WorkitemState::Active);
    connected.request_id = Some("r1".to_owned());
    desk.apply(
        at(5),
        Input::Cti(WorkitemEventKind::Connect.event(connected)),
    );
    assert_eq!(
        desk.workitem(id).and_then(|w| w.request_id.as_deref()),
        Some("r1")
    );
    assert_eq!(
        desk.recovered_create(id),
        Some(CilEvent::WorkitemCreate(workitem(
            id,
            WorkitemState::Active
        )))
    );
    assert_eq!(desk.recovered_create("unknown"), None);
    desk.apply(at(9), end(id));
    assert_eq!(desk.recovered_create(id), None, "an ended call is not told");
}

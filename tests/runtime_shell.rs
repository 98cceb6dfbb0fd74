//! The runtime's own decisions and its cleanup, without a server: segment
//! lookups, the interaction cache, the agent state after a reload, timers
//! and requests ended on cleanup, failure texts in the agent's language.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, TimeDelta, Utc};
use futures::FutureExt;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::bs::{AgentState, Channel, ChannelType, CilEvent, ReasonCode};
use wrapup_core::desk::{Desk, Input};
use wrapup_gadget::i18n::{BackendFailure, FailureReport, Language, NextStep};
use wrapup_gadget::runtime::agent_state::{seed_event, state_change_of};
use wrapup_gadget::runtime::api::{Api, ApiError, ApiErrorKind, failure_report};
use wrapup_gadget::runtime::interactions::{INTERACTIONS_KEPT, InteractionCache};
use wrapup_gadget::runtime::lifetime::Lifetime;
use wrapup_gadget::runtime::segment_lookup::{Lookup, SegmentStep, next_step};

wasm_bindgen_test_configure!(run_in_browser);

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
}

fn status(status: u16, body: &str) -> ApiError {
    ApiErrorKind::Status {
        status,
        message: body.to_owned(),
        body: body.to_owned(),
    }
    .into()
}

// Bug: any non-404 lookup error was taken for "not found", so a transient
// failure opened a second wrap-up segment for the same call.
#[wasm_bindgen_test]
fn a_segment_is_created_only_after_every_lookup_said_404() {
    let classify = |answer: Result<&str, ApiError>| Lookup::of(answer, str::to_owned);
    assert_eq!(
        next_step(vec![
            classify(Err(status(404, "no segment"))),
            classify(Err(ApiError::network("timed out"))),
        ]),
        SegmentStep::LookAgain,
        "a timeout says nothing about the segment: look again, do not create"
    );
    assert_eq!(
        next_step(vec![classify(Err(status(503, "busy")))]),
        SegmentStep::LookAgain
    );
    assert_eq!(
        next_step(vec![
            classify(Err(status(404, ""))),
            classify(Err(status(404, ""))),
        ]),
        SegmentStep::Create
    );
    assert_eq!(
        next_step(vec![
            classify(Err(ApiError::network("down"))),
            classify(Ok("by external id")),
        ]),
        SegmentStep::Use("by external id".to_owned()),
        "a segment found by its external id (a create whose answer was lost) is used"
    );
    assert_eq!(
        next_step(vec![classify(Err(status(400, "bad request")))]),
        SegmentStep::GiveUp
    );
}

// Bug: a lookup the server answered 401 (the widget's token refused) was
// a refusal like any other, and the wrap-up submitted without its segment
// was told "The wrap-up segment is unknown".
#[wasm_bindgen_test]
fn a_lookup_refused_for_the_sign_in_stops_the_search_until_the_server_takes_it() {
    let classify = |answer: Result<&str, ApiError>| Lookup::of(answer, str::to_owned);
    for refused in [401, 403] {
        assert_eq!(
            next_step(vec![
                classify(Err(ApiError::network("timed out"))),
                classify(Err(status(refused, "User Not Authenticated"))),
                classify(Err(status(404, ""))),
            ]),
            SegmentStep::SignedOut,
            "asking again changes nothing while the token is refused"
        );
    }
    assert_eq!(
        next_step(vec![
            classify(Err(status(401, "User Not Authenticated"))),
            classify(Ok("found")),
        ]),
        SegmentStep::Use("found".to_owned())
    );
    let mut report = failure_report(&status(401, "User Not Authenticated"));
    assert_eq!(report.failure, BackendFailure::NotSignedIn);
    report.next = NextStep::AfterSignIn;
    assert!(
        report
            .text(Language::English)
            .ends_with("; the wrap-up is sent as soon as the server accepts the sign-in")
    );
    assert!(
        report.text(Language::German).ends_with(
            "; die Nachbearbeitung wird gesendet, sobald der Server die Anmeldung annimmt"
        )
    );
}

// Bug: the cache evicted the smallest workitem id, not the oldest entry.
#[wasm_bindgen_test]
fn the_interaction_cache_forgets_the_oldest_entry_first() {
    let mut cache = InteractionCache::with_capacity(2);
    cache.insert("zz-first", "s1");
    cache.insert("aa-second", "s2");
    cache.insert("mm-third", "s3");
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.get("zz-first"), None, "the oldest is forgotten");
    assert_eq!(cache.get("aa-second"), Some("s2"));
    assert_eq!(cache.get("mm-third"), Some("s3"));
    // The order survives storage: a full cache read back forgets its first.
    let mut full = InteractionCache::default();
    full.insert("000-oldest", "s0");
    for index in 1..INTERACTIONS_KEPT {
        full.insert(&format!("w{index}"), "s");
    }
    let stored = serde_json::to_string(&full).unwrap();
    let mut read: InteractionCache = wrapup_core::parse::read(&stored).unwrap();
    assert_eq!(read.get("000-oldest"), Some("s0"));
    read.insert("zzz-newest", "s");
    assert_eq!(read.len(), INTERACTIONS_KEPT);
    assert_eq!(read.get("000-oldest"), None);
    assert_eq!(read.get("w1"), Some("s"));
}

// Bug: a reload while the POST of a call's interaction record was under way
// (or its answer lost) made a second record: the page knew nothing of the
// first. The POST is kept before it goes out, through storage, until an
// answer says whether a record was made.
#[wasm_bindgen_test]
fn an_interaction_record_asked_for_without_an_answer_is_kept_through_storage() {
    let mut cache = InteractionCache::default();
    cache.sending("w1");
    cache.sending("w2");
    let stored = serde_json::to_string(&cache).unwrap();
    let mut read: InteractionCache = wrapup_core::parse::read(&stored).unwrap();
    assert!(read.is_unanswered("w1") && read.is_unanswered("w2"));
    assert_eq!(read.get("w1"), None);
    // The record made (learnt from the wrap-up segment, or answered).
    read.insert("w1", "s1");
    assert!(!read.is_unanswered("w1"));
    assert_eq!(read.get("w1"), Some("s1"));
    // An answer that made no record: it may be asked for again.
    read.answered("w2");
    assert!(!read.is_unanswered("w2"));
    // What an earlier version stored, without the list, reads as none.
    let earlier: InteractionCache =
        wrapup_core::parse::read(r#"{"entries":[["w3","s3"]]}"#).unwrap();
    assert!(!earlier.is_unanswered("w3"));
    assert_eq!(earlier.get("w3"), Some("s3"));
}

// A request whose answer never came, or that a gateway says went unanswered,
// may have been carried out: it is not sent again as if it had not (an
// interaction record), or its outcome is learnt first (Tenios).
#[wasm_bindgen_test]
fn only_no_answer_and_a_gateways_timeout_leave_the_outcome_unknown() {
    assert!(ApiError::network("reset").outcome_unknown());
    assert!(status(504, "gateway timeout").outcome_unknown());
    assert!(status(502, "bad gateway").outcome_unknown());
    for answered in [400, 404, 500, 503] {
        assert!(
            !status(answered, "answered").outcome_unknown(),
            "{answered}"
        );
    }
    assert!(!ApiError::parse("unreadable").outcome_unknown());
}

fn not_ready_channel() -> Channel {
    Channel {
        id: Some("voice_-1".to_owned()),
        channel_type: Some(ChannelType::Voice),
        state: Some(AgentState::NotReady),
        reason_code: Some(ReasonCode(3)),
        reason_code_label: Some("Lunch".to_owned()),
        state_change_time: Some(at(-60)),
        ..Channel::default()
    }
}

// Bug: after a reload the header said "Status unknown" until the state changed.
#[wasm_bindgen_test]
fn get_channel_seeds_the_agent_state_of_an_empty_desk_only() {
    let channel = not_ready_channel();
    let change = state_change_of(&channel).expect("a state");
    assert_eq!(change.channel_id.as_deref(), Some("voice_-1"));
    assert_eq!(change.new_state, AgentState::NotReady);
    assert_eq!(change.new_reason_code_label.as_deref(), Some("Lunch"));
    assert_eq!(change.new_state_change_time, Some(at(-60)));
    assert_eq!(change.old_state, None);

    let mut desk = Desk::new();
    let event = seed_event(&desk, &channel).expect("the desk knows no state yet");
    desk.apply(at(0), Input::Cti(event));
    let state = desk.agent_state("voice_-1").expect("seeded");
    assert_eq!(state.state, AgentState::NotReady);
    assert_eq!(state.reason_label.as_deref(), Some("Lunch"));

    let ready = Channel {
        state: Some(AgentState::Ready),
        ..not_ready_channel()
    };
    assert!(
        seed_event(&desk, &ready).is_none(),
        "a state the desk already has (from the stream) is newer than the answer"
    );
    assert!(state_change_of(&Channel::default()).is_none());
    assert!(matches!(
        seed_event(&Desk::new(), &channel),
        Some(CilEvent::AgentStateChange(_))
    ));
}

// Bug: hand-made timers were never cleared, and retry loops went on after
// the widget was removed.
#[wasm_bindgen_test]
async fn ending_the_lifetime_clears_timers_and_wakes_sleepers() {
    let lifetime = Lifetime::new();
    let fired = Rc::new(Cell::new(false));
    let flag = Rc::clone(&fired);
    assert!(lifetime.after(TimeDelta::minutes(5), move || flag.set(true)));
    let mut sleeping = Box::pin(lifetime.sleep(TimeDelta::minutes(5)));
    assert!((&mut sleeping).now_or_never().is_none());
    assert_eq!(lifetime.pending_timers(), 2);

    lifetime.end();
    assert_eq!(lifetime.pending_timers(), 0);
    assert!(
        !sleeping.await,
        "a sleeper is woken and told the lifetime ended"
    );
    assert!(!fired.get());
    assert!(!lifetime.after(TimeDelta::zero(), || ()));
    assert!(!lifetime.sleep(TimeDelta::zero()).await);
}

// Bug: no request could be aborted: a hung server held the widget forever.
#[wasm_bindgen_test]
async fn closing_the_api_aborts_requests_in_flight_as_transient_failures() {
    let api = Api::new("", None, "en");
    let mut request = Box::pin(api.config_file());
    assert!((&mut request).now_or_never().is_none());
    assert_eq!(api.requests_in_flight(), 1);
    api.close();
    let error = request.await.expect_err("aborted");
    assert!(
        matches!(error.kind(), ApiErrorKind::Network(_)),
        "{error:?}"
    );
    assert!(error.is_transient());
    assert_eq!(api.requests_in_flight(), 0);
    let refused = api.config_file().await.expect_err("closed");
    assert!(refused.is_transient());
}

// Bug: English runtime text reached a German agent.
#[wasm_bindgen_test]
fn failures_are_told_in_the_agents_language_with_the_server_text_as_detail() {
    let tenios = status(
        400,
        r#"{"error_code":"AGENT_NOT_IN_WRAP_UP","error_message":"Agent is not in wrap-up","fields":[]}"#,
    );
    let report = failure_report(&tenios);
    assert_eq!(report.failure, BackendFailure::TeniosNotInWrapup);
    assert!(
        report
            .text(Language::German)
            .starts_with("Laut Nachbearbeitungsdienst ist dieser Anruf nicht mehr")
    );

    let mut offline = failure_report(&ApiError::network("Failed to fetch"));
    assert_eq!(offline.failure, BackendFailure::Unreachable);
    offline.next = NextStep::RetryingInBackground;
    assert_eq!(
        offline.text(Language::German),
        "Der Server ist nicht erreichbar; wird weiter versucht"
    );
    assert_eq!(
        offline.text(Language::English),
        "The server could not be reached; still retrying",
        "the browser's words for a failed request are not the agent's"
    );
    // Extend and cancel are tried once: a passing failure is the agent's to
    // repeat, a refusal is not.
    assert_eq!(
        failure_report(&status(503, "Service Unavailable"))
            .of_one_off()
            .text(Language::English),
        "The server reported an error (503: Service Unavailable); please try again"
    );
    assert_eq!(
        failure_report(&ApiError::network("Failed to fetch"))
            .of_one_off()
            .text(Language::German),
        "Der Server ist nicht erreichbar; bitte versuchen Sie es erneut"
    );
    assert_eq!(failure_report(&tenios).of_one_off().next, NextStep::Nothing);
    assert_eq!(
        failure_report(&status(500, "boom")).failure,
        BackendFailure::ServerError
    );
    assert_eq!(
        failure_report(&status(409, "closed")).failure,
        BackendFailure::Refused
    );
    assert_eq!(
        FailureReport::new(BackendFailure::AgentStateRefused, None).text(Language::German),
        "Ihr Status konnte nicht geändert werden"
    );
}

// Bug: notices of a wrap-up that was over stayed in the store for ever.
#[wasm_bindgen_test]
fn the_notices_of_a_workitem_go_with_its_session() {
    use leptos::prelude::*;
    use wrapup_core::bs::{Workitem, WorkitemEventKind, WorkitemState};
    use wrapup_core::desk::{AgentAction, BackendAnswer, WrapupCode, WrapupConfig};
    use wrapup_gadget::store::DeskStore;

    let store = DeskStore::new(at(0));
    for (kind, state) in [
        (WorkitemEventKind::Create, WorkitemState::Offered),
        (WorkitemEventKind::Connect, WorkitemState::Active),
        (WorkitemEventKind::Wrapup, WorkitemState::Wrapup),
    ] {
        store.dispatch(Input::Cti(kind.event(Workitem::new("w1", state))));
    }
    store.dispatch(Input::Backend(BackendAnswer::SegmentOpened {
        workitem_id: "w1".to_owned(),
        segment_id: Some("s1".to_owned()),
        configuration: WrapupConfig {
            allowed_codes: vec![WrapupCode::new("Sales")],
            enable_codes: true,
            ..WrapupConfig::default()
        },
        opened_on: at(0),
    }));
    // Submit without a code: refused, and the agent is told.
    store.dispatch(Input::Agent(AgentAction::Submit {
        workitem_id: "w1".to_owned(),
    }));
    assert_eq!(store.notices.get_untracked().len(), 1);
    // A second workitem's notice stays when w1's session ends.
    store.notices.update(|notices| {
        let mut other = notices[0].clone();
        other.workitem_id = "w2".to_owned();
        notices.push(other);
    });
    store.dispatch(Input::Cti(
        WorkitemEventKind::End.event(Workitem::new("w1", WorkitemState::Ended)),
    ));
    store.dispatch(Input::Backend(BackendAnswer::CancelAccepted {
        workitem_id: "w1".to_owned(),
    }));
    let gone = store
        .desk
        .with_untracked(|desk| desk.session("w1").is_none());
    assert!(gone, "the session of w1 ended");
    let left: Vec<String> = store
        .notices
        .get_untracked()
        .into_iter()
        .map(|notice| notice.workitem_id)
        .collect();
    assert_eq!(left, ["w2"]);
}

//! A workitem (call) that is not in wrap-up: who, which way, what kind, its
//! state, and how long it has been talking or on hold.

use chrono::TimeDelta;
use leptos::prelude::*;
use wrapup_core::bs::{Classification, Direction, WorkitemState};

use super::format::elapsed_text;
use super::{unique_id, use_language};
use crate::i18n::Message;
use crate::store::DeskStore;

/// The words and the CSS modifier for a workitem state.
fn state_cue(state: &WorkitemState) -> (Message, &'static str) {
    match state {
        WorkitemState::Initiated => (Message::WorkitemDialling, "dialling"),
        WorkitemState::Offered => (Message::WorkitemRinging, "ringing"),
        WorkitemState::Active => (Message::WorkitemTalking, "talking"),
        WorkitemState::Paused => (Message::WorkitemOnHold, "hold"),
        WorkitemState::Wrapup => (Message::WorkitemWrapup, "wrapup"),
        state if state.is_ended() => (Message::WorkitemEnded, "ended"),
        _ => (Message::WorkitemUnknown, "unknown"),
    }
}

fn direction_message(direction: &Direction) -> Option<Message> {
    match direction {
        Direction::Incoming => Some(Message::DirectionIncoming),
        Direction::Outgoing => Some(Message::DirectionOutgoing),
        Direction::Other(_) => None,
    }
}

fn classification_message(classification: &Classification) -> Message {
    match classification {
        Classification::Customer => Message::ClassificationCustomer,
        Classification::Consultation => Message::ClassificationConsultation,
        Classification::Conference => Message::ClassificationConference,
        Classification::Transfer => Message::ClassificationTransfer,
        Classification::Internal => Message::ClassificationInternal,
        Classification::Unknown | Classification::Other(_) => Message::ClassificationUnknown,
    }
}

/// The card of live workitem `workitem_id`.
#[component]
pub fn WorkitemCard(workitem_id: String) -> impl IntoView {
    let store = expect_context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    let hold_of = workitem_id.clone();
    let workitem = Memo::new(move |_| store.desk.with(|desk| desk.workitem(&workitem_id).cloned()));
    let state = move || workitem.with(|w| w.as_ref().map(|w| w.state.clone()));
    let caller = move || workitem.with(|w| w.as_ref()?.caller().map(str::to_owned));
    let kind = move || {
        workitem.with(|workitem| {
            let workitem = workitem.as_ref()?;
            let words: Vec<&str> = [
                workitem.direction.as_ref().and_then(direction_message),
                workitem.classification.as_ref().map(classification_message),
            ]
            .into_iter()
            .flatten()
            .map(text)
            .collect();
            (!words.is_empty()).then(|| words.join(" · "))
        })
    };
    let queue = move || workitem.with(|w| w.as_ref()?.cti_data.as_ref()?.queue_name.clone());
    // Memos: the clock moves with every event, the texts once a second.
    let talk_time = Memo::new(move |_| {
        let talking = matches!(state(), Some(WorkitemState::Active | WorkitemState::Paused));
        let connected_at = workitem.with(|w| w.as_ref()?.connected_at)?;
        talking.then(|| elapsed_text(store.now.get() - connected_at))
    });
    // The Desk times holds from the pauses and resumes it applied: the
    // current hold while on hold, all holds together once resumed.
    let hold_time = Memo::new(move |_| {
        let hold = store.desk.with(|desk| desk.hold_time(&hold_of))?;
        let now = store.now.get();
        match hold.current(now) {
            Some(current) => Some((Message::OnHoldFor, elapsed_text(current))),
            None => {
                let total = hold.total(now);
                (total > TimeDelta::zero()).then(|| (Message::TimeOnHold, elapsed_text(total)))
            }
        }
    });
    let cue = move || state().map(|state| state_cue(&state));
    let caller_id = unique_id("call");
    let labelled_by = caller_id.clone();
    let fact = move |label: Message, testid: &'static str, value: Option<String>| {
        value.map(|value| {
            view! {
                <div class="wg-call__fact">
                    <dt>{text(label)}</dt>
                    <dd data-testid=testid>{value}</dd>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <article
            class=move || format!("wg-call wg-call--{}", cue().map_or("unknown", |(_, name)| name))
            aria-labelledby=labelled_by
            data-testid="workitem-card"
        >
            <header class="wg-call__header">
                <h2 id=caller_id class="wg-call__caller" tabindex="-1" data-testid="workitem-caller">
                    {move || caller().unwrap_or_else(|| text(Message::UnknownCaller).to_owned())}
                </h2>
                <span class="wg-call__state" data-testid="workitem-state">
                    <span class="wg-call__state-icon" aria-hidden="true"></span>
                    {move || cue().map(|(message, _)| text(message))}
                </span>
            </header>
            {move || kind().map(|kind| view! { <p class="wg-call__kind" data-testid="workitem-kind">{kind}</p> }.into_any())}
            <dl class="wg-call__facts">
                {move || fact(Message::Queue, "workitem-queue", queue())}
                {move || fact(Message::TalkTime, "workitem-talk-time", talk_time.get())}
                {move || {
                    let (label, value) = hold_time.get().unzip();
                    fact(label.unwrap_or(Message::TimeOnHold), "workitem-hold-time", value)
                }}
            </dl>
        </article>
    }
}

//! A workitem (call) that is not in wrap-up: who, which way, what kind, its
//! state, and how long it has been talking or on hold.

use chrono::TimeDelta;
use leptos::prelude::*;
use wrapup_core::bs::{Classification, Direction, Workitem, WorkitemState};

use super::format::{caller_text, elapsed_text};
use super::{Attr, attr, memo, or_nothing, paragraph, unique_id, use_language};
use crate::i18n::Message;
use crate::reactive::context;
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
    let store = context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    // Each text in a memo of its own, read from the Desk: a memo of the
    // whole workitem would be one more reactive type compiled in, and would
    // clone the workitem at every change of it.
    let read = move |id: &String, f: fn(&Workitem) -> Option<String>| {
        let id = id.clone();
        memo(move || store.desk.with(|desk| desk.workitem(&id).and_then(f)))
    };
    let caller = read(&workitem_id, |workitem| {
        workitem.caller().map(str::to_owned)
    });
    let queue = read(&workitem_id, |workitem| {
        workitem.cti_data.as_ref()?.queue_name.clone()
    });
    let kind_of = workitem_id.clone();
    let kind = memo(move || {
        store.desk.with(|desk| {
            let workitem = desk.workitem(&kind_of)?;
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
    });
    let state_of = workitem_id.clone();
    let state = move || {
        store.desk.with(|desk| {
            desk.workitem(&state_of)
                .map(|workitem| workitem.state.clone())
        })
    };
    // Memos: the clock moves with every event, the texts once a second.
    let talk_of = workitem_id.clone();
    let talk_time = memo(move || {
        let connected_at = store.desk.with(|desk| {
            let workitem = desk.workitem(&talk_of)?;
            let talking = matches!(
                workitem.state,
                WorkitemState::Active | WorkitemState::Paused
            );
            talking.then_some(workitem.connected_at?)
        })?;
        Some(elapsed_text(store.now.get() - connected_at))
    });
    // The Desk times holds from the pauses and resumes it applied: the
    // current hold while on hold, all holds together once resumed.
    let on_hold_of = workitem_id.clone();
    let on_hold = memo(move || {
        store.desk.with(|desk| {
            desk.hold_time(&on_hold_of)
                .is_some_and(|hold| hold.is_on_hold())
        })
    });
    let hold_of = workitem_id;
    let hold_time = memo(move || {
        let hold = store.desk.with(|desk| desk.hold_time(&hold_of))?;
        let now = store.now.get();
        match hold.current(now) {
            Some(current) => Some(elapsed_text(current)),
            None => {
                let total = hold.total(now);
                (total > TimeDelta::zero()).then(|| elapsed_text(total))
            }
        }
    });
    let cue = move || state().map(|state| state_cue(&state));
    let cue_words = cue.clone();
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
            {..attr(Attr::AriaLabelledby, labelled_by)}
            data-testid="workitem-card"
        >
            <header class="wg-call__header">
                <h2 id=caller_id class="wg-call__caller" {..attr(Attr::Tabindex, "-1")} data-testid="workitem-caller">
                    {move || caller_text(caller.get(), language)}
                </h2>
                <span class="wg-call__state" data-testid="workitem-state">
                    <span class="wg-call__state-icon" {..attr(Attr::AriaHidden, "true")}></span>
                    {move || cue_words().map(|(message, _)| text(message).to_owned())}
                </span>
            </header>
            {move || or_nothing(kind.get().map(|kind| paragraph("wg-call__kind", "workitem-kind", kind).into_any()))}
            <dl class="wg-call__facts">
                {move || or_nothing(fact(Message::Queue, "workitem-queue", queue.get()))}
                {move || or_nothing(fact(Message::TalkTime, "workitem-talk-time", talk_time.get()))}
                {move || or_nothing({
                    let label = if on_hold.get() { Message::OnHoldFor } else { Message::TimeOnHold };
                    fact(label, "workitem-hold-time", hold_time.get())
                })}
            </dl>
        </article>
    }
}

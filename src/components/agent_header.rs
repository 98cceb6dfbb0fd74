//! The agent header: who is signed in, the voice channel's state with its
//! reason and time in state, and the Ready / Not ready switch; while Not
//! ready, the reason can be changed.

use leptos::prelude::*;
use wrapup_core::bs::{AgentState, ChannelType, CilRequest, SetAgentState};
use wrapup_core::desk::AgentChannelState;

use super::format::{elapsed_text, local_clock_time};
use super::{
    Attr, Listen, attr, attr_with, handler, memo, on_event, or_nothing, present, unique_id,
};
use crate::config::Config;
use crate::i18n::{Message, Phrase};
use crate::reactive::{context, effect};
use crate::store::{DeskStore, NotReadyAfterCalls};

/// The channel the switch acts on when the CTI system has not named one.
const DEFAULT_VOICE_CHANNEL: &str = "voice";

fn state_cue(state: &AgentState) -> (Message, &'static str) {
    match state {
        AgentState::Ready => (Message::AgentStateReady, "ready"),
        AgentState::NotReady => (Message::AgentStateNotReady, "not-ready"),
        AgentState::Active => (Message::AgentStateActive, "active"),
        AgentState::Wrapup => (Message::AgentStateWrapup, "wrapup"),
        AgentState::Logout => (Message::AgentStateLogout, "logout"),
        AgentState::Offline => (Message::AgentStateOffline, "offline"),
        AgentState::Unknown | AgentState::Other(_) => (Message::AgentStateUnknown, "unknown"),
    }
}

/// On a call or wrapping one up: the CTI system owns the state then.
fn on_call_state(state: &AgentState) -> bool {
    matches!(state, AgentState::Active | AgentState::Wrapup)
}

/// The agent's voice channel: the one typed `Voice` or named `voice…`, else
/// the first the CTI system reported.
fn voice_channel<'a>(
    states: impl Iterator<Item = (&'a str, &'a AgentChannelState)>,
) -> Option<(String, AgentChannelState)> {
    let states: Vec<_> = states.collect();
    let is_voice = |(id, state): &&(&str, &AgentChannelState)| {
        state.channel_type == Some(ChannelType::Voice) || id.starts_with("voice")
    };
    states
        .iter()
        .find(is_voice)
        .or_else(|| states.first())
        .map(|(id, state)| ((*id).to_owned(), (*state).clone()))
}

/// The header of the widget.
#[component]
#[allow(
    clippy::redundant_closure,
    reason = "a literal closure takes Leptos' one render path per output type (components/mod.rs)"
)]
pub fn AgentHeader() -> impl IntoView {
    let store = context::<DeskStore>();
    let config = context::<Config>();
    let language = config.language;
    let text = move |message: Message| message.text(language);
    // The voice channel read from the Desk where it is used rather than kept
    // in a memo of its own type (every memo type compiles Leptos' memo code
    // once more): its readers show texts and attributes, which change only
    // when what they show does, or are memos; the reason, which a view
    // shows, is a memo of its text.
    let channel = move || store.desk.with(|desk| voice_channel(desk.agent_states()));
    let state = move || channel().map(|(_, state)| state.state);
    let cue = move || state_cue(&state().unwrap_or_default());
    let reason = memo(move || channel()?.1.reason_label);
    let changed_at = move || channel()?.1.changed_at;
    // A memo: the clock moves with every event, the text once a second.
    let time_in_state = memo(move || changed_at().map(|at| elapsed_text(store.now.get() - at)));
    let since = move |at| {
        Phrase::Since {
            time: local_clock_time(at, language),
        }
        .text(language)
    };
    let reason_id = unique_id("reason");
    let is_ready = move || state() == Some(AgentState::Ready);
    // While Not ready, the reason the agent has, as the picker names it
    // ("" for none); `None` in any other state.
    let current_reason = move || {
        let (_, state) = channel()?;
        (state.state == AgentState::NotReady)
            .then(|| state.reason_code.map(|code| code.to_string()))
            .map(Option::unwrap_or_default)
    };
    // The reason the agent picked, and when the state they picked it in
    // began (set before the pick, which alone is tracked). While Not ready,
    // a pick made before the state last changed gives way to the state's
    // own reason: the picker shows the reason the agent has.
    // `None` until the agent picks: an `Option<String>` like the widget's
    // other text signals, as Leptos' signal code is compiled once per type.
    let chosen_reason = RwSignal::new(None::<String>);
    let picked_in = StoredValue::new(None);
    let picked = move || {
        let chosen = chosen_reason.get().unwrap_or_default();
        match current_reason() {
            Some(current) if picked_in.get_value() != changed_at() => current,
            _ => chosen,
        }
    };
    // Not ready, and another reason picked than the one the agent has.
    let reason_changed = move || current_reason().is_some_and(|current| current != picked());
    // During a call or its wrap-up the CTI system owns the state: what the
    // agent asks for then is where they go when the calls are over (Ready
    // unless they ask), and the CTI system tells nothing until then.
    let on_calls = move || state().as_ref().is_some_and(on_call_state);
    let not_ready_next = store.not_ready_after_calls;
    effect(move || {
        // Over when the calls are, or when the CTI system refused it. Kept
        // while the state is not known (a reload: the runtime restores it).
        let over = state().is_some_and(|state| !on_call_state(&state));
        if (over || store.agent_notice.with(Option::is_some))
            && not_ready_next.with_untracked(Option::is_some)
        {
            not_ready_next.set(None);
        }
    });
    let ask = move |state: AgentState, reason_code: Option<String>| {
        let channel_id = untrack(channel)
            .map(|(id, _)| id)
            .unwrap_or_else(|| DEFAULT_VOICE_CHANNEL.to_owned());
        store.send_request(CilRequest::SetAgentState(SetAgentState {
            channel_id,
            state: Some(state),
            reason_code,
            request_id: None,
        }));
    };
    effect(move || {
        // A choice restored after a reload is asked for again once the calls
        // are known to go on: the reload may have cut the first request short.
        let unasked = not_ready_next.with(|next| next.as_ref().is_some_and(|next| !next.asked));
        if unasked && on_calls() {
            let reason_code =
                not_ready_next.with_untracked(|next| next.as_ref()?.reason_code.clone());
            ask(AgentState::NotReady, reason_code);
            not_ready_next.update(|next| {
                if let Some(next) = next {
                    next.asked = true;
                }
            });
        }
    });
    let switch_state = move |_| {
        let current = untrack(state);
        let during_calls = current.as_ref().is_some_and(on_call_state);
        let wants_not_ready = if during_calls {
            not_ready_next.with_untracked(Option::is_none)
        } else {
            current == Some(AgentState::Ready)
        };
        let chosen = untrack(picked);
        let reason_code = (wants_not_ready && !chosen.is_empty()).then_some(chosen);
        if during_calls {
            not_ready_next.set(wants_not_ready.then(|| NotReadyAfterCalls {
                reason_label: reason_code.as_ref().and_then(|id| {
                    store.not_ready_reasons.with_untracked(|reasons| {
                        let reason = reasons.iter().find(|reason| &reason.id == id)?;
                        Some(reason.label.clone())
                    })
                }),
                reason_code: reason_code.clone(),
                asked: true,
            }));
        }
        let wanted = if wants_not_ready {
            AgentState::NotReady
        } else {
            AgentState::Ready
        };
        ask(wanted, reason_code);
    };
    // Not ready with another reason: the CTI system takes it as any change
    // of state (b+s `setAgentState`, as in Cisco CCE and CCX).
    let change_reason = move |_| {
        let reason = untrack(picked);
        ask(AgentState::NotReady, (!reason.is_empty()).then_some(reason));
    };
    let switch_label = move || {
        text(match (on_calls(), not_ready_next.with(Option::is_some)) {
            (true, false) => Message::NotReadyAfterCall,
            (true, true) => Message::ReadyAfterCall,
            (false, _) if is_ready() => Message::GoNotReady,
            (false, _) => Message::GoReady,
        })
    };
    let next_state = move || {
        not_ready_next.get().map(|next| {
            view! {
                <span class="wg-agent__next" data-testid="agent-next">
                    {text(Message::AfterCall)}": "{text(Message::AgentStateNotReady)}
                    {next.reason_label.map(|label| format!(" · {label}"))}
                </span>
            }
            .into_any()
        })
    };
    // Hidden rather than removed when it does not apply: a change of state
    // then flips an attribute instead of rebuilding the list.
    let picks = memo(move || {
        is_ready()
            || current_reason().is_some()
            || (on_calls() && not_ready_next.with(Option::is_none))
    });
    let reason_picker = move || {
        let reasons = store.not_ready_reasons.get();
        (!reasons.is_empty()).then(|| {
            let reason_id = reason_id.clone();
            let none_picked = untrack(picked).is_empty();
            view! {
                <label class="wg-visually-hidden" {..attr(Attr::For, reason_id.clone())} {..attr_with(Attr::Hidden, move || present(!picks.get()))}>
                    {text(Message::NotReadyReason)}
                </label>
                <select
                    id={reason_id}
                    {..attr_with(Attr::Hidden, move || present(!picks.get()))}
                    class="wg-agent__reason-picker"
                    prop:value=move || picked()
                    {..on_event(Listen::Change, move |event| {
                        picked_in.set_value(untrack(changed_at));
                        chosen_reason.set(Some(event_target_value(&event)));
                    })}
                    data-testid="not-ready-reason"
                >
                    // `value` a `String` as the reasons' are: each value type of
                    // an attribute compiles its own rendering code.
                    // `selected` as the widget's reactive boolean attributes
                    // are, of their one type (`present`): a `bool` attribute
                    // compiles its own rendering code.
                    <option {..attr(Attr::Value, String::new())} {..attr_with(Attr::Selected, move || present(none_picked))}>{text(Message::NoReason)}</option>
                    {reasons.into_iter().map(|reason| {
                        let selected = untrack(picked) == reason.id;
                        view! {
                            <option {..attr(Attr::Value, reason.id)} {..attr_with(Attr::Selected, move || present(selected))}>{reason.label}</option>
                        }.into_any()
                    }).collect_view()}
                </select>
            }
            .into_any()
        })
    };
    // Without an agent, or with a backend the widget does not know (the
    // console names the value), it follows nothing, and says why in the
    // agent's place.
    let notice = |test_id: &'static str, words: String| {
        view! {
            <p class="wg-notice wg-notice--warning" role="alert" data-testid=test_id>{words}</p>
        }
        .into_any()
    };
    // The agent by name when the CTI system gives one, so that the agent
    // (and whoever set the widget up) sees at a glance whose calls it
    // follows; or, when the CTI system knows no such agent, why it follows
    // none.
    let agent = match (config.refused(), config.agent_id.clone()) {
        (Some(_), _) => notice("config-error", text(Message::UnknownBackend).to_owned()),
        // A literal closure in `view!`: the one render path of its output
        // type, not one compiled for this closure alone.
        (None, Some(agent_id)) => {
            let agent = move || {
                if store.agent_unknown.get() {
                    let words = Phrase::UnknownAgent {
                        agent: agent_id.clone(),
                    }
                    .text(language);
                    return notice("agent-unknown", words);
                }
                let name = store.agent_name.get().map(|name| {
                    view! { <span class="wg-agent__name" data-testid="agent-name">{name}</span>" " }
                });
                let id = agent_id.clone();
                view! {
                    <p class="wg-agent__id">
                        <span class="wg-agent__label">{text(Message::AgentLabel)}</span>
                        " "
                        {name}
                        <span data-testid="agent-id">{id}</span>
                    </p>
                }
                .into_any()
            };
            view! { {move || agent()} }.into_any()
        }
        (None, None) => notice("no-agent", text(Message::NoAgentConfigured).to_owned()),
    };
    // A refused change of state: the agent clicked and nothing happened.
    let state_notice = move || {
        store.agent_notice.get().map(|report| {
            view! {
                <p class="wg-notice wg-notice--warning wg-agent__notice" role="alert" data-testid="agent-notice">
                    {report.text(language)}
                </p>
            }
            .into_any()
        })
    };
    let has_agent = config.agent_id.is_some() && config.refused().is_none();
    view! {
        <header class="wg-agent">
            <div class="wg-agent__top">
                <h1 class="wg-agent__title">{text(Message::WidgetTitle)}</h1>
                {agent}
            </div>
            {or_nothing(has_agent.then(|| view! {
                // Nothing to switch for an agent the CTI system does not know.
                <div class="wg-agent__bar" {..attr_with(Attr::Hidden, move || present(store.agent_unknown.get()))}>
                    <p class=move || format!("wg-agent__state wg-agent__state--{}", cue().1) data-testid="agent-state">
                        <span class="wg-visually-hidden">{text(Message::AgentStateLabel)}": "</span>
                        <span class="wg-agent__state-icon" {..attr(Attr::AriaHidden, "true")}></span>
                        <span class="wg-agent__state-name" data-testid="agent-state-name">{move || text(cue().0).to_owned()}</span>
                        {move || or_nothing(reason.get().map(|reason| view! {
                            <span class="wg-agent__reason" data-testid="agent-reason">{reason}</span>
                        }.into_any()))}
                        {move || or_nothing(time_in_state.get().map(|elapsed| view! {
                            <span class="wg-agent__time" {..attr_with(Attr::Title, move || changed_at().map(since))} data-testid="agent-time-in-state">
                                <span class="wg-visually-hidden">{text(Message::TimeInState)}": "</span>
                                {elapsed}
                            </span>
                        }.into_any()))}
                    </p>
                    <div class="wg-agent__switch">
                        {move || or_nothing(next_state())}
                        {move || or_nothing(reason_picker())}
                        <button
                            type="button"
                            class="wg-button wg-button--small"
                            {..attr_with(Attr::Hidden, move || present(!reason_changed()))}
                            on:click=handler(change_reason)
                            data-testid="agent-reason-change"
                        >
                            {text(Message::ChangeReason)}
                        </button>
                        <button
                            type="button"
                            class="wg-button wg-button--small"
                            on:click=handler(switch_state)
                            data-testid="agent-state-toggle"
                        >
                            {move || switch_label().to_owned()}
                        </button>
                    </div>
                </div>
                {move || or_nothing(state_notice())}
            }.into_any()))}
        </header>
    }
}

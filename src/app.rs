//! The root component: the agent's desk.

use leptos::prelude::*;

use crate::config::Config;
use crate::i18n::Message;

/// The whole widget for one agent.
#[component]
pub fn App(config: Config) -> impl IntoView {
    let language = config.language;
    let text = move |message: Message| message.text(language);
    let agent = match config.agent_id {
        Some(agent_id) => view! {
            <p class="wg-agent__id">
                <span class="wg-agent__label">{text(Message::AgentLabel)}</span>
                " "
                <span data-testid="agent-id">{agent_id}</span>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="wg-notice wg-notice--warning" role="alert" data-testid="no-agent">
                {text(Message::NoAgentConfigured)}
            </p>
        }
        .into_any(),
    };
    view! {
        <main class="wg" lang=language.tag() data-testid="widget">
            <header class="wg-agent">
                <h1 class="wg-agent__title">{text(Message::WidgetTitle)}</h1>
                {agent}
            </header>
            <section class="wg-workitems" aria-live="polite">
                <p class="wg-workitems__empty" data-testid="idle">{text(Message::NoActiveCalls)}</p>
            </section>
        </main>
    }
}

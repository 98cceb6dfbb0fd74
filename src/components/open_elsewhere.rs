//! What a page shows while another page of this browser is live for the
//! agent (`runtime::agent_lock`): why it does nothing, and how to work here.

use leptos::prelude::*;

use super::{Attr, attr, handler, use_language};
use crate::config::Config;
use crate::i18n::Message;
use crate::reactive::context;
use crate::runtime::agent_lock;

/// The widget is open for the agent elsewhere; "Use it here" takes it over.
#[component]
pub fn OpenElsewhere() -> impl IntoView {
    let language = use_language();
    let agent_id = context::<Config>().agent_id.unwrap_or_default();
    let heading = super::unique_id("elsewhere");
    let labelled_by = heading.clone();
    view! {
        <section class="wg-elsewhere" {..attr(Attr::AriaLabelledby, labelled_by)} data-testid="open-elsewhere">
            <h1 class="wg-agent__title" id=heading>{Message::WidgetTitle.text(language)}</h1>
            <p class="wg-notice wg-notice--warning">{Message::OpenElsewhere.text(language)}</p>
            <button
                type="button"
                class="wg-button wg-button--primary wg-elsewhere__use"
                on:click=handler(move |_| agent_lock::use_here(&agent_id))
                data-testid="use-here"
            >
                {Message::UseHere.text(language)}
            </button>
        </section>
    }
}

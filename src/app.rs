//! The root component: the agent's desk.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::agent_header::AgentHeader;
use crate::components::focus::FocusKeeper;
use crate::components::keyed_list::keyed_by_workitem;
use crate::components::open_elsewhere::OpenElsewhere;
use crate::components::status_bar::StatusBar;
use crate::components::unsaved_drafts::{RefusedWrapups, UnsavedDrafts};
use crate::components::workitem_card::WorkitemCard;
use crate::components::wrapup_cue::{UnseenWrapups, UnseenWrapupsAnnouncer, clear_of_typing};
use crate::components::wrapup_heading::panel_order;
use crate::components::wrapup_panel::WrapupPanel;
use crate::components::{
    Attr, Listen, OutboxActions, attr, attr_with, memo, on_event, or_nothing, paragraph, present,
};

use crate::config::Config;
use crate::i18n::Message;
use crate::reactive::effect;
use crate::store::DeskStore;

/// The whole widget for one agent.
///
/// The runtime passes the `store` it drives (events, clock, effects); without
/// one the widget makes its own, empty, at the current time. `retry_submission`
/// is how the runtime retries a failed submission from its outbox; without it
/// no Retry button is shown (the outbox keeps retrying with backoff).
/// `discard_refused` drops a refused submission no panel shows, at the
/// agent's word; without it, it stays (and is sent again at the next load).
#[component]
pub fn App(
    config: Config,
    #[prop(optional)] store: Option<DeskStore>,
    #[prop(optional)] retry_submission: Option<Callback<String>>,
    #[prop(optional)] discard_refused: Option<Callback<String>>,
) -> impl IntoView {
    let store = store.unwrap_or_else(|| DeskStore::new(crate::runtime::clock::browser_now()));
    let language = config.language;
    let theme = config.theme.as_str();
    // A widget that follows no calls (its configuration refused) does not
    // say it has none.
    let follows_calls = config.refused().is_none();
    provide_context(store);
    provide_context(config);
    provide_context(UnseenWrapups::default());
    provide_context(OutboxActions {
        retry: retry_submission,
        discard: discard_refused,
    });
    // Wrap-ups first: they are what the agent must act on, against the clock;
    // the oldest first, whose time runs out first (never reordered by an
    // extension, which would move the panel the agent is working in).
    let session_ids = memo(move || {
        store.desk.with(|desk| {
            // Inserted in order rather than sorted: a few panels, and the
            // wasm has no generic sort to compile for them.
            let mut sessions = Vec::<(_, String)>::new();
            for session in desk.sessions() {
                let order = panel_order(session);
                let at = sessions.partition_point(|(other, _)| *other <= order);
                sessions.insert(at, (order, session.workitem_id().to_owned()));
            }
            sessions.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let call_ids = memo(move || {
        store.desk.with(|desk| {
            desk.workitems()
                .filter(|workitem| desk.session(&workitem.id).is_none())
                .map(|workitem| workitem.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let idle =
        move || follows_calls && session_ids.with(Vec::is_empty) && call_ids.with(Vec::is_empty);
    // After every change of the Desk (or of the unsaved drafts told) has
    // been rendered, the focus it took away (a form replaced, a panel gone,
    // a notice dismissed) is given back within the widget.
    let root = NodeRef::<leptos::html::Main>::new();
    let keeper = FocusKeeper::default();
    let restorer = keeper.clone();
    effect(move || {
        store.desk.track();
        store.unsaved_drafts.track();
        if !restorer.holds_focus() {
            return;
        }
        let restorer = restorer.clone();
        set_timeout(
            move || {
                if let Some(root) = root.get_untracked() {
                    restorer.restore(&root);
                }
            },
            std::time::Duration::ZERO,
        );
    });
    let leaver = keeper.clone();
    view! {
        <main
            class="wg"
            {..attr(Attr::Lang, language.tag())}
            data-theme=theme
            data-testid="widget"
            node_ref={root}
            {..on_event(Listen::Focusin, move |event| {
                keeper.focused(event.unchecked_ref());
                // A field the agent moves to may be under a cue.
                clear_of_typing(false);
            })}
            {..on_event(Listen::Focusout, move |event| leaver.left(event.unchecked_ref()))}
        >
            {move || or_nothing(store.open_elsewhere.get().then(|| view! { <OpenElsewhere/> }.into_any()))}
            <div class="wg-desk" {..attr_with(Attr::Hidden, move || present(store.open_elsewhere.get()))}>
                <AgentHeader/>
                <StatusBar/>
                <UnsavedDrafts/>
                <RefusedWrapups/>
                // `aria-label` a `String` as the Extend button's is: each value
                // type of an attribute compiles its own rendering code.
                <section class="wg-workitems" {..attr(Attr::Tabindex, "-1")} {..attr(Attr::AriaLabel, Message::CallsHeading.text(language).to_owned())}>
                    {keyed_by_workitem(session_ids, |workitem_id| {
                        view! { <WrapupPanel workitem_id=workitem_id/> }.into_any()
                    })}
                    {keyed_by_workitem(call_ids, |workitem_id| {
                        view! { <WorkitemCard workitem_id=workitem_id/> }.into_any()
                    })}
                    <UnseenWrapupsAnnouncer/>
                    {move || or_nothing(idle().then(|| paragraph(
                        "wg-workitems__empty",
                        "idle",
                        Message::NoActiveCalls.text(language).to_owned(),
                    ).into_any()))}
                </section>
            </div>
        </main>
    }
}

//! Wrap-ups not saved with what the agent entered, and no panel to tell it.
//!
//! - Closed without it ([`UnsavedDrafts`]): their time ran out while no page
//!   of the widget was open, and the server saved its default; or, in a CRM
//!   page that connected late, they were done in two visits to it and the
//!   other visit's is saved. The agent is told, and finds the notes to copy,
//!   until they dismiss it.
//! - Refused by the backend ([`RefusedWrapups`]), where no panel shows them
//!   (after a reload the CTI system no longer tells the call): the agent is
//!   told why, finds the notes to copy, and may send it again or discard it;
//!   otherwise it is sent again at the next load.

use leptos::prelude::*;

use super::format::local_clock_time;
use super::{Attr, OutboxActions, attr, handler, or_nothing, unique_id, use_language};
use crate::i18n::{Language, Message, Phrase};
use crate::reactive::context;
use crate::store::{Connection, DeskStore};

/// The agent's notes of a wrap-up not saved, to copy (none when empty).
fn notes_to_copy(notes: String, language: Language, testid: &'static str) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        let notes_id = unique_id("unsaved");
        view! {
            <label class="wg-field__label" {..attr(Attr::For, notes_id.clone())}>
                {Message::UnsavedNotes.text(language)}
            </label>
            <textarea
                id=notes_id
                class="wg-notes__input wg-unsaved__notes"
                {..attr(Attr::Rows, "3")}
                // A custom attribute of a `&'static str`, as the widget's
                // others: a `bool` attribute compiles its own rendering code.
                {..attr(Attr::Readonly, "")}
                // A closure like the widget's other `prop:value`s (the
                // fields'), so that the property's one value type serves all.
                prop:value=move || notes.clone()
                data-testid=testid
            ></textarea>
        }
    })
}

/// One notice per wrap-up closed without the agent's draft.
#[component]
pub fn UnsavedDrafts() -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    // Returned through the view's one render path for its output type (a
    // literal closure in `view!`), not as a closure of its own type, which
    // would compile Leptos' rendering code once more for it alone.
    let content = move || {
        store
            .unsaved_drafts
            .get()
            .into_iter()
            .map(|unsaved| {
                let workitem_id = unsaved.workitem_id;
                let dismiss = move |_| {
                    store
                        .unsaved_drafts
                        .update(|kept| kept.retain(|kept| kept.workitem_id != workitem_id));
                };
                let text = Phrase::Unsaved {
                    caller: unsaved.caller,
                    saved: unsaved.saved_code,
                    chosen: unsaved.chosen_code,
                    two_visits: unsaved.two_visits,
                }
                .text(language);
                view! {
                    <div class="wg-notice wg-notice--danger wg-unsaved" data-testid="unsaved-draft">
                        <p class="wg-unsaved__text">{text}</p>
                        {notes_to_copy(unsaved.notes, language, "unsaved-notes")}
                        <button
                            type="button"
                            class="wg-button wg-button--small"
                            on:click=handler(dismiss)
                            data-testid="unsaved-dismiss"
                        >
                            {Message::Dismiss.text(language)}
                        </button>
                    </div>
                }
                .into_any()
            })
            .collect_view()
            .into_any()
    };
    view! { {move || content()} }
}

/// One notice per refused wrap-up that no panel shows. Told once the Desk
/// holds every call the stream tells, or the stream cannot tell any: not
/// while a reload's replay may still bring its panel, which tells it then.
#[component]
pub fn RefusedWrapups() -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let OutboxActions { retry, discard } = use_context().unwrap_or_default();
    // Returned through the view's one render path for its output type (a
    // literal closure in `view!`), not as a closure of its own type, which
    // would compile Leptos' rendering code once more for it alone.
    let content = move || {
        let calls_known = store.caught_up.get() || store.connection.with(Connection::is_down);
        if !calls_known {
            return ().into_any();
        }
        let unshown = store.outbox.with(|outbox| {
            store.desk.with(|desk| {
                outbox
                    .refused
                    .iter()
                    .filter(|refused| desk.session(&refused.workitem_id).is_none())
                    .cloned()
                    .collect::<Vec<_>>()
            })
        });
        unshown
            .into_iter()
            .map(|refused| {
                let text = Phrase::RefusedUnshown {
                    time: local_clock_time(refused.confirmed_on, language),
                    code: refused.code,
                    reason: refused.reason,
                }
                .text(language);
                let workitem_id = refused.workitem_id;
                // Each button names the wrap-up it is for: there may be two.
                let text_id = unique_id("refused");
                let button = |label: Message, run: Callback<String>, testid: &'static str| {
                    let workitem_id = workitem_id.clone();
                    view! {
                        <button
                            type="button"
                            class="wg-button wg-button--small"
                            {..attr(Attr::AriaDescribedby, text_id.clone())}
                            on:click=handler(move |_| run.run(workitem_id.clone()))
                            data-testid=testid
                        >
                            {label.text(language)}
                        </button>
                    }
                    .into_any()
                };
                let retry = retry.map(|run| button(Message::Retry, run, "refused-retry"));
                let discard =
                    discard.map(|run| button(Message::Dismiss, run, "refused-discard"));
                view! {
                    <div class="wg-notice wg-notice--danger wg-unsaved" data-testid="refused-wrapup">
                        <p class="wg-unsaved__text" id=text_id data-testid="outbox-refused">{text}</p>
                        {notes_to_copy(refused.notes, language, "refused-notes")}
                        {or_nothing(retry)}
                        {or_nothing(discard)}
                    </div>
                }
                .into_any()
            })
            .collect_view()
            .into_any()
    };
    view! { {move || content()} }
}

//! Wrap-ups closed without what the agent entered (their time ran out while
//! no page of the widget was open, and the server saved its default; or, in
//! a CRM page that connected late, they were done in two visits to it and
//! the other visit's is saved): the agent is told, and finds the notes to
//! copy, until they dismiss it.

use leptos::prelude::*;

use super::{unique_id, use_language};
use crate::i18n::{Message, Phrase};
use crate::store::DeskStore;

/// One notice per wrap-up closed without the agent's draft.
#[component]
pub fn UnsavedDrafts() -> impl IntoView {
    let store = expect_context::<DeskStore>();
    let language = use_language();
    move || {
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
                let notes = unsaved.notes;
                let notes_id = unique_id("unsaved");
                view! {
                    <div class="wg-notice wg-notice--danger wg-unsaved" data-testid="unsaved-draft">
                        <p class="wg-unsaved__text">{text}</p>
                        {(!notes.is_empty()).then(|| view! {
                            <label class="wg-field__label" for=notes_id.clone()>
                                {Message::UnsavedNotes.text(language)}
                            </label>
                            <textarea
                                id=notes_id
                                class="wg-notes__input wg-unsaved__notes"
                                rows="3"
                                readonly
                                prop:value=notes
                                data-testid="unsaved-notes"
                            ></textarea>
                        })}
                        <button
                            type="button"
                            class="wg-button wg-button--small"
                            on:click=dismiss
                            data-testid="unsaved-dismiss"
                        >
                            {Message::Dismiss.text(language)}
                        </button>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    }
}

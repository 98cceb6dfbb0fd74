//! A button whose action loses what the agent entered asks first: the first
//! press shows what would be lost, with the action and a way to keep things
//! as they are. The keeping button takes the focus, so pressing Enter twice
//! loses nothing by accident; Escape keeps too. Either way the focus comes
//! back to the button.

use leptos::html::Button;
use leptos::prelude::*;

use super::{Attr, attr, attr_with, handler, unique_id, use_language};
use crate::i18n::Message;
use crate::reactive::effect;

/// A button for `act` that asks `question` first while `ask` holds.
#[component]
pub fn ConfirmButton(
    /// The button's words, and those of the button that confirms.
    label: Message,
    /// What the action loses, as a question.
    question: Message,
    /// The words of the button that keeps things as they are.
    keep: Message,
    /// The button's `data-testid`; the confirming and the keeping buttons
    /// add `-confirm` and `-keep`.
    testid: &'static str,
    /// While busy, presses are ignored (`aria-disabled`: the button keeps the focus).
    busy: Memo<bool>,
    /// Whether there is anything to lose; if not, the first press acts.
    ask: Memo<bool>,
    /// The action.
    act: Callback<()>,
) -> impl IntoView {
    let language = use_language();
    let asking = RwSignal::new(false);
    // Set when the question closes, so that the button, shown again, takes the focus.
    let returning = StoredValue::new(false);
    let button = NodeRef::<Button>::new();
    let keeping = NodeRef::<Button>::new();
    effect(move || {
        if let Some(keeping) = keeping.get() {
            let _ = keeping.focus();
        }
    });
    effect(move || {
        if let Some(button) = button.get()
            && returning.get_value()
        {
            returning.set_value(false);
            let _ = button.focus();
        }
    });
    let close = move || {
        returning.set_value(true);
        asking.set(false);
    };
    let question_id = unique_id("confirm");
    // Returned through the view's one render path for its output type (a
    // literal closure in `view!`), not as a closure of its own type, which
    // would compile Leptos' rendering code once more for it alone.
    let content = move || {
        if asking.get() {
            let (id, labelled_by) = (question_id.clone(), question_id.clone());
            view! {
                <div
                    class="wg-confirm"
                    role="group"
                    {..attr(Attr::AriaLabelledby, labelled_by)}
                    on:keydown=handler(move |event: web_sys::KeyboardEvent| {
                        if event.key() == "Escape" {
                            event.prevent_default();
                            close();
                        }
                    })
                    data-testid=format!("{testid}-question")
                >
                    <p id=id class="wg-confirm__question">{question.text(language)}</p>
                    <div class="wg-confirm__actions">
                        <button
                            type="button"
                            class="wg-button wg-button--danger"
                            on:click=handler(move |_| {
                                close();
                                act.run(());
                            })
                            data-testid=format!("{testid}-confirm")
                        >
                            {label.text(language)}
                        </button>
                        <button
                            type="button"
                            class="wg-button"
                            node_ref=keeping
                            on:click=handler(move |_| close())
                            data-testid=format!("{testid}-keep")
                        >
                            {keep.text(language)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    class="wg-button wg-button--quiet"
                    node_ref={button}
                    {..attr_with(Attr::AriaDisabled, move || busy.get().then(|| "true".to_owned()))}
                    on:click=handler(move |_| {
                        if busy.get_untracked() {
                            return;
                        }
                        if ask.get_untracked() {
                            asking.set(true);
                        } else {
                            act.run(());
                        }
                    })
                    data-testid=testid
                >
                    {label.text(language)}
                </button>
            }
            .into_any()
        }
    };
    view! { {move || content()} }
}

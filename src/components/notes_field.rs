//! The wrap-up notes: every edit goes to the Desk (which keeps the draft and
//! has it persisted), a counter against the backend's limit, and a message
//! when a paste had to be cut to fit.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wrapup_core::desk::{AgentAction, FittedText, Input, NotesLimit, NotesUnit};
use wrapup_core::text::part;

use super::{Attr, Listen, attr, attr_with, memo, on_event, present, unique_id, use_language};
use crate::i18n::{Message, Phrase};
use crate::reactive::context;
use crate::store::DeskStore;

/// The byte index of the UTF-16 offset `utf16` in `text` (what the DOM's
/// selection offsets count), clamped to the text.
fn byte_index(text: &str, utf16: u32) -> usize {
    let mut units = 0;
    for (index, character) in text.char_indices() {
        if units >= utf16 as usize {
            return index;
        }
        units += character.len_utf16();
    }
    text.len()
}

/// Where an edit turned `old` into `new`: `new[start..end]` went in, and
/// `new[..start]` and `new[end..]` are `old`'s, unchanged (byte indices).
fn inserted_span(old: &str, new: &str) -> (usize, usize) {
    let start: usize = old
        .chars()
        .zip(new.chars())
        .take_while(|(was, is)| was == is)
        .map(|(_, kept)| kept.len_utf8())
        .sum();
    let kept_at_end: usize = part(old, start..)
        .chars()
        .rev()
        .zip(part(new, start..).chars().rev())
        .take_while(|(was, is)| was == is)
        .map(|(_, kept)| kept.len_utf8())
        .sum();
    (start, new.len() - kept_at_end)
}

/// Puts `inserted` between `before` and `after` in `area`, cut to fit
/// `limit` where it goes in, with the caret right after it.
fn insert_fitted(
    area: &web_sys::HtmlTextAreaElement,
    limit: NotesLimit,
    (before, inserted, after): (&str, &str, &str),
) -> FittedText {
    let fitted = limit.fit_paste(&format!("{before}{after}"), inserted);
    let caret = before.encode_utf16().count() + fitted.text.encode_utf16().count();
    area.set_value(&format!("{before}{}{after}", fitted.text));
    let caret = u32::try_from(caret).unwrap_or(u32::MAX);
    // Moving the caret after the inserted text cannot fail on a textarea.
    let _ = area.set_selection_range(caret, caret);
    fitted
}

/// The textarea an event happened on.
fn textarea_of(event: &web_sys::Event) -> Option<web_sys::HtmlTextAreaElement> {
    event.target()?.dyn_into().ok()
}

/// The notes field of `workitem_id`'s wrap-up.
#[component]
pub fn NotesField(workitem_id: String, disabled: Memo<bool>) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let id = workitem_id.clone();
    // `None` for no notes: an `Option<String>` like the widget's other text
    // memos, as Leptos' memo code is compiled once per value type.
    let notes = memo(move || {
        store.desk.with(|desk| {
            desk.session(&id)
                .map(|session| session.notes())
                .filter(|notes| !notes.is_empty())
                .map(str::to_owned)
        })
    });
    // Read where it is needed rather than kept in a memo: its readers are
    // texts and attributes, which change only when what they show does, and
    // a memo of its own type would be compiled for it alone.
    let id = workitem_id.clone();
    let limit = move || {
        store.desk.with(|desk| {
            desk.session(&id)
                .and_then(|session| session.configuration()?.notes_limit)
        })
    };
    let (limit_on_paste, limit_of_counter, limit_of_field, limit_of_class) =
        (limit.clone(), limit.clone(), limit.clone(), limit.clone());
    // What a paste that did not fit left out, in words.
    let paste_cut = RwSignal::new(None::<String>);
    let edit = move |notes: String| {
        store.dispatch(Input::Agent(AgentAction::EditNotes {
            workitem_id: workitem_id.clone(),
            notes,
        }));
    };
    let edit_on_paste = edit.clone();

    // Typing (or dropping text) past the limit: what went in is cut where
    // it went in, and the caret stays there. The Desk would cut the end of
    // the notes instead, silently, and the field would still show it all.
    let on_input = move |event: web_sys::Event| {
        paste_cut.set(None);
        let value = event_target_value(&event);
        match (untrack(&limit), textarea_of(&event)) {
            (Some(limit), Some(area)) if !limit.fits(&value) => {
                let (start, end) =
                    notes.with_untracked(|old| inserted_span(old.as_deref().unwrap_or(""), &value));
                let parts = (
                    part(&value, ..start),
                    part(&value, start..end),
                    part(&value, end..),
                );
                insert_fitted(&area, limit, parts);
                edit(area.value());
            }
            _ => edit(value),
        }
    };
    // A paste that does not fit is cut here too, where the agent can be told
    // how much was left out.
    let on_paste = move |event: web_sys::Event| {
        let event: web_sys::ClipboardEvent = event.unchecked_into();
        let Some(limit) = untrack(&limit_on_paste) else {
            return;
        };
        let Some(pasted) = event
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
        else {
            return;
        };
        let Some(area) = textarea_of(&event) else {
            return;
        };
        let value = area.value();
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(start);
        let (start, end) = (byte_index(&value, start), byte_index(&value, end));
        let (before, after) = (part(&value, ..start), part(&value, end.max(start)..));
        if limit.fits(&format!("{before}{pasted}{after}")) {
            return;
        }
        event.prevent_default();
        let fitted = insert_fitted(&area, limit, (before, &pasted, after));
        paste_cut.set(Some(
            Phrase::PasteCut {
                cut_chars: fitted.cut_chars,
            }
            .text(language),
        ));
        edit_on_paste(area.value());
    };

    let field_id = unique_id("notes");
    let counter_id = format!("{field_id}-counter");
    let counter = move || {
        Phrase::NotesCount {
            // Counted the way the backend counts (UTF-16 units for Genesys).
            used: notes.with(|text| {
                let text = text.as_deref().unwrap_or("");
                limit_of_counter()
                    .map_or_else(|| NotesLimit::count(text), |limit| limit.length(text))
            }),
            limit: limit_of_counter().map(NotesLimit::max_chars),
        }
        .text(language)
    };
    view! {
        <div class="wg-notes">
            <label class="wg-field__label" {..attr(Attr::For, field_id.clone())}>
                {Message::NotesLabel.text(language)}
            </label>
            <textarea
                id=field_id
                class="wg-notes__input"
                {..attr(Attr::Rows, "4")}
                {..attr(Attr::AriaDescribedby, counter_id.clone())}
                // A limit counted in UTF-16 units (Genesys' 64) is also the
                // textarea's `maxlength`, which counts the same way: typing
                // stops at the limit instead of being cut after every
                // keystroke. ServiceNow counts characters, which `maxlength`
                // cannot.
                {..attr_with(Attr::Maxlength, move || {
                    limit_of_field()
                        .filter(|limit| limit.unit() == NotesUnit::Utf16)
                        .map(|limit| limit.max_chars().to_string())
                })}
                {..attr_with(Attr::Disabled, move || present(disabled.get()))}
                prop:value=move || notes.get().unwrap_or_default()
                {..on_event(Listen::Input, on_input)}
                {..on_event(Listen::Paste, on_paste)}
                data-testid="notes-input"
            ></textarea>
            <p
                id=counter_id
                class=move || {
                    let full = limit_of_class()
                        .is_some_and(|limit| notes.with(|notes| limit.remaining(notes.as_deref().unwrap_or("")) == 0));
                    if full {
                        "wg-notes__counter wg-notes__counter--full"
                    } else {
                        "wg-notes__counter"
                    }
                    .to_owned()
                }
                data-testid="notes-counter"
            >
                {move || counter()}
            </p>
            <p class="wg-notes__message" role="status" data-testid="notes-paste-cut">
                {move || {
                    paste_cut.get()
                }}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_map_to_character_boundaries() {
        assert_eq!(byte_index("aü😀b", 0), 0);
        assert_eq!(byte_index("aü😀b", 2), 3);
        assert_eq!(byte_index("aü😀b", 4), 7);
        assert_eq!(byte_index("aü😀b", 99), 8);
    }

    #[test]
    fn the_span_an_edit_put_in_is_found_wherever_it_went() {
        fn span<'a>(old: &str, new: &'a str) -> (&'a str, &'a str, &'a str) {
            let (start, end) = inserted_span(old, new);
            (part(new, ..start), part(new, start..end), part(new, end..))
        }
        assert_eq!(span("abcd", "abXYcd"), ("ab", "XY", "cd"));
        assert_eq!(span("abcd", "XYabcd"), ("", "XY", "abcd"));
        assert_eq!(span("abcd", "abcdXY"), ("abcd", "XY", ""));
        // A repeated letter: the kept end never overlaps the kept start.
        assert_eq!(span("aa", "aaa"), ("aa", "a", ""));
        // A selection replaced.
        assert_eq!(span("ab😀cd", "abüXcd"), ("ab", "üX", "cd"));
        assert_eq!(span("same", "same"), ("same", "", ""));
    }
}

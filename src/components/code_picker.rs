//! The wrap-up code picker: a filter field and a listbox with
//! `aria-activedescendant`, fully operable from the keyboard.
//!
//! Arrow keys, Home and End move the active option, which the list keeps in
//! view, and Enter selects it, in the filter field as in the list; in the
//! list, keys 1–9 select the first nine codes shown, Space selects as Enter
//! does unless a filter is being typed, and any other character types into
//! the filter. The Desk
//! owns the selection: the picker dispatches `SelectCode` and renders
//! `selected_code()`.

use leptos::prelude::*;
use wrapup_core::desk::{AgentAction, Input, WrapupCode};

use super::{
    Attr, Listen, attr, attr_with, handler, memo, on_event, or_nothing, paragraph, present,
    session_text, unique_id, use_language,
};
use crate::i18n::{Message, Phrase};
use crate::reactive::{context, effect};
use crate::store::DeskStore;

/// The code a key moves the active option to, among `visible` codes.
fn moved_active(visible: &[String], active: Option<&str>, key: &str) -> Option<String> {
    let last = visible.len().checked_sub(1)?;
    let current = active.and_then(|code| visible.iter().position(|shown| shown == code));
    let next = match (key, current) {
        ("ArrowDown", Some(index)) => (index + 1).min(last),
        ("ArrowUp", Some(index)) => index.saturating_sub(1),
        ("ArrowDown" | "Home", _) => 0,
        ("ArrowUp" | "End", _) => last,
        _ => return None,
    };
    visible.get(next).cloned()
}

/// Whether `choice` matches what the agent typed (label or code, any case).
fn matches_filter(choice: &WrapupCode, filter: &str) -> bool {
    let filter = lowercase(filter.trim());
    filter.is_empty()
        || contains(&lowercase(choice.label()), &filter)
        || contains(&lowercase(&choice.code), &filter)
}

/// Whether `text` contains `part` (not empty), compared at each byte: the
/// labels are short, and `str::contains`'s searcher of text would be the
/// only one in the wasm.
fn contains(text: &str, part: &str) -> bool {
    text.as_bytes()
        .windows(part.len())
        .any(|window| window == part.as_bytes())
}

/// `text` in lower case: in the browser by its Unicode tables (Rust's own
/// would add ~17 KB to the bundle), natively (unit tests) by Rust's.
#[cfg(target_arch = "wasm32")]
fn lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

/// Scrolls `list` (only the list, not the page) so that its `option` is in
/// view: the active option the keyboard moved to, or the code preselected
/// further down than the list shows.
fn scroll_into_list(list: &web_sys::Element, option: &web_sys::Element) {
    let (shown, wanted) = (
        list.get_bounding_client_rect(),
        option.get_bounding_client_rect(),
    );
    let top = shown.top() + f64::from(list.client_top());
    let above = wanted.top() - top;
    let below = wanted.bottom() - (top + f64::from(list.client_height()));
    let by = if above < 0.0 {
        above.floor()
    } else if below > 0.0 {
        below.ceil()
    } else {
        return;
    };
    // A list is never millions of pixels high.
    #[allow(clippy::cast_possible_truncation)]
    list.set_scroll_top(list.scroll_top() + by as i32);
}

/// The picker of `workitem_id`'s wrap-up code.
#[component]
pub fn CodePicker(
    workitem_id: String,
    disabled: Memo<bool>,
    /// Whether the list takes the focus once shown (the agent took a refused
    /// wrap-up back to change it).
    #[prop(optional)]
    focused: bool,
) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    let read = |f| session_text(store, &workitem_id, f);
    let selected = read(|session| session.selected_code().map(str::to_owned));
    let custom = read(|session| session.custom_code().map(str::to_owned));
    let default_code = read(|session| session.configuration()?.default_code.clone());
    // The choices are read where they are used, and kept in memos of their
    // codes and labels (`String`s, as the other lists' memos are), not in a
    // memo of their own type: Leptos' memo code is compiled once per value
    // type. Each memo compares, so what reads them reruns as often as before.
    let id = workitem_id.clone();
    let choices = move || {
        store
            .desk
            .with(|desk| desk.session(&id).map(|session| session.choices()))
            .unwrap_or_default()
    };
    let all_choices = choices.clone();
    let codes = memo(move || {
        all_choices()
            .into_iter()
            .map(|c| c.code)
            .collect::<Vec<_>>()
    });
    let all_choices = choices.clone();
    let labels = memo(move || {
        all_choices()
            .iter()
            .map(|c| c.label().to_owned())
            .collect::<Vec<_>>()
    });
    // A custom reason the backend takes no custom codes for is saved in the
    // notes, with the default code: the agent sees which code that is.
    let id = workitem_id.clone();
    let saved_in_its_place = memo(move || {
        store.desk.with(|desk| {
            let session = desk.session(&id)?;
            session.selection_goes_into_notes().then(|| {
                let code = session.configuration().and_then(|configuration| {
                    let default = configuration.default_code.as_deref()?;
                    Some(configuration.label_of(default).to_owned())
                });
                Phrase::CustomReasonInNotes { code }.text(language)
            })
        })
    });
    // What the agent typed (`None` for nothing yet): an `Option<String>`
    // like the widget's other text signals, as Leptos' signal code is
    // compiled once per value type.
    let filter = RwSignal::new(None::<String>);
    let nothing_typed =
        move || filter.with_untracked(|typed| typed.as_deref().unwrap_or_default().is_empty());
    let cursor = RwSignal::new(None::<String>);
    // The codes shown (an option's id is its place in `codes`).
    let visible = memo(move || {
        let filter = filter.get().unwrap_or_default();
        choices()
            .into_iter()
            .filter(|choice| matches_filter(choice, &filter))
            .map(|choice| choice.code)
            .collect::<Vec<_>>()
    });
    let visible_codes = move || visible.get();
    // The active option: the keyboard cursor if it is shown, else the
    // selection if shown, else the first code shown.
    let active = memo(move || {
        let shown = visible_codes();
        [cursor.get(), selected.get()]
            .into_iter()
            .flatten()
            .find(|code| shown.contains(code))
            .or_else(|| shown.first().cloned())
    });

    let prefix = unique_id("code");
    let listbox_id = format!("{prefix}-list");
    let label_id = format!("{prefix}-label");
    let filter_id = format!("{prefix}-filter");
    let hint_id = format!("{prefix}-hint");
    let option_prefix = prefix.clone();
    let option_id = move |code: &str| {
        codes.with(|codes| {
            codes
                .iter()
                .position(|choice| choice == code)
                .map(|index| format!("{option_prefix}-option-{index}"))
        })
    };
    let option_id_for_active = option_id.clone();
    // An `Option<String>` like the widget's other text memos (Leptos' memo
    // code is compiled once per value type); the attribute shows `""` for none.
    let active_descendant = memo(move || active.get().and_then(|code| option_id_for_active(&code)));

    let list = NodeRef::<leptos::html::Ul>::new();
    if focused {
        // The DOM's focus, once the list is in the page.
        effect(move || {
            if let Some(list) = list.get() {
                let _ = list.focus();
            }
        });
    }
    effect(move || {
        let id = active_descendant.get().unwrap_or_default();
        let option = list.get().and_then(|list| {
            let option = list.owner_document()?.get_element_by_id(&id)?;
            Some((list, option))
        });
        if let Some((list, option)) = option {
            scroll_into_list(&list, &option);
        }
    });

    let select = move |code: String| {
        if disabled.get_untracked() {
            return;
        }
        cursor.set(Some(code.clone()));
        store.dispatch(Input::Agent(AgentAction::SelectCode {
            workitem_id: workitem_id.clone(),
            code,
        }));
    };
    let select_on_key = select.clone();
    // Keys common to the filter field and the list; `in_list` adds the digit
    // shortcuts and typing into the filter.
    let on_key = move |event: web_sys::KeyboardEvent, in_list: bool| {
        let key = event.key();
        let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
        if let Some(code) = moved_active(&visible_codes(), active.get_untracked().as_deref(), &key)
        {
            event.prevent_default();
            cursor.set(Some(code));
        } else if (key == "Enter" || (key == " " && in_list && nothing_typed())) && plain {
            event.prevent_default();
            if let Some(code) = active.get_untracked() {
                select_on_key(code);
            }
        } else if key == "Escape" && !nothing_typed() {
            event.prevent_default();
            filter.set(None);
        } else if in_list && plain {
            let digit = key
                .parse::<usize>()
                .ok()
                .filter(|digit| (1..=9).contains(digit));
            if let Some(digit) = digit {
                event.prevent_default();
                if let Some(code) = visible_codes().get(digit - 1).cloned() {
                    select_on_key(code);
                }
            } else if key == "Backspace" {
                event.prevent_default();
                filter.update(|filter| {
                    filter.get_or_insert_default().pop();
                });
            } else if key.chars().count() == 1 {
                event.prevent_default();
                filter.update(|filter| filter.get_or_insert_default().push_str(&key));
            }
        }
    };
    let on_list_key = on_key.clone();

    let options = move || {
        let selected = selected.get();
        let custom = custom.get();
        let default_code = default_code.get();
        let active = active.get();
        visible
            .get()
            .into_iter()
            .enumerate()
            .map(|(place, code)| {
                // Always found: the code is one of the choices.
                let label = codes.with(|codes| {
                    let index = codes.iter().position(|choice| *choice == code);
                    labels.with(|labels| index.and_then(|i| labels.get(i)).cloned())
                });
                let is_selected = selected.as_deref() == Some(code.as_str());
                let tag = if custom.as_deref() == Some(code.as_str()) {
                    Some(Message::CustomCodeTag)
                } else if default_code.as_deref() == Some(code.as_str()) {
                    Some(Message::DefaultCodeTag)
                } else {
                    None
                };
                let select = select.clone();
                let clicked = code.clone();
                view! {
                    <li
                        // Always found (the code is one of the choices); a plain
                        // `String` like every other `id`: each value type of an
                        // attribute compiles its own rendering code.
                        id=option_id(&code).unwrap_or_default()
                        role="option"
                        // One class attribute as every other static one (the
                        // list is rebuilt when the active option moves): a
                        // `class:` toggle is an attribute type of its own.
                        class=if active.as_deref() == Some(code.as_str()) {
                            "wg-picker__option wg-picker__option--active"
                        } else {
                            "wg-picker__option"
                        }
                        {..attr(Attr::AriaSelected, if is_selected { "true" } else { "false" })}
                        data-testid="code-option"
                        data-code=code.clone()
                        on:click=handler(move |_| select(clicked.clone()))
                    >
                        <span class="wg-picker__key" {..attr(Attr::AriaHidden, "true")}>
                            {(place < 9).then(|| (place + 1).to_string())}
                        </span>
                        <span class="wg-picker__label">{label.unwrap_or_default()}</span>
                        {or_nothing(tag.map(|tag| view! { <span class="wg-picker__tag">{text(tag)}</span> }.into_any()))}
                        <span class="wg-picker__check" {..attr(Attr::AriaHidden, "true")}>
                            // A `String` as the key's: one `Option` type rendered.
                            {is_selected.then(|| "✓".to_owned())}
                        </span>
                    </li>
                }
                .into_any()
            })
            .collect_view()
            .into_any()
    };

    view! {
        <div class="wg-picker" data-testid="code-picker">
            <span id=label_id.clone() class="wg-field__label">
                {text(Message::CodeLabel)}
            </span>
            <label class="wg-visually-hidden" {..attr(Attr::For, filter_id.clone())}>
                {text(Message::FilterCodes)}
            </label>
            <input
                id=filter_id
                class="wg-picker__filter"
                type="search"
                role="combobox"
                {..attr(Attr::Autocomplete, "off")}
                {..attr(Attr::Placeholder, text(Message::FilterCodes))}
                {..attr(Attr::AriaControls, listbox_id.clone())}
                {..attr(Attr::AriaExpanded, "true")}
                {..attr(Attr::AriaAutocomplete, "list")}
                {..attr_with(Attr::AriaActivedescendant, move || active_descendant.get().unwrap_or_default())}
                {..attr(Attr::AriaDescribedby, hint_id.clone())}
                {..attr_with(Attr::Disabled, move || present(disabled.get()))}
                prop:value=move || filter.get().unwrap_or_default()
                {..on_event(Listen::Input, move |event| filter.set(Some(event_target_value(&event))))}
                on:keydown=handler(move |event| on_key(event, false))
                data-testid="code-filter"
            />
            <ul
                id=listbox_id
                node_ref=list
                class="wg-picker__list"
                role="listbox"
                {..attr(Attr::Tabindex, "0")}
                {..attr(Attr::AriaLabelledby, label_id)}
                {..attr(Attr::AriaDescribedby, hint_id.clone())}
                {..attr_with(Attr::AriaActivedescendant, move || active_descendant.get().unwrap_or_default())}
                // Always present ("false" too), yet an `Option<String>` like
                // the widget's other `aria-disabled`s: each value type of an
                // attribute compiles its own rendering code.
                {..attr_with(Attr::AriaDisabled, move || Some(disabled.get().to_string()))}
                on:keydown=handler(move |event| on_list_key(event, true))
                data-testid="code-listbox"
            >
                {move || options()}
            </ul>
            {move || or_nothing({
                visible
                    .with(Vec::is_empty)
                    .then(|| {
                        paragraph(
                            "wg-picker__empty",
                            "code-none",
                            text(Message::NoMatchingCodes).to_owned(),
                        )
                        .into_any()
                    })
            })}
            {move || or_nothing({
                saved_in_its_place
                    .get()
                    .map(|note| paragraph("wg-picker__note", "custom-code-note", note).into_any())
            })}
            <p id=hint_id class="wg-picker__hint">
                {text(Message::CodeShortcutsHint)}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<String> {
        ["a", "b", "c"].map(str::to_owned).to_vec()
    }

    #[test]
    fn arrows_move_within_the_shown_codes_and_stop_at_the_ends() {
        assert_eq!(
            moved_active(&codes(), Some("a"), "ArrowDown").as_deref(),
            Some("b")
        );
        assert_eq!(
            moved_active(&codes(), Some("c"), "ArrowDown").as_deref(),
            Some("c")
        );
        assert_eq!(
            moved_active(&codes(), Some("a"), "ArrowUp").as_deref(),
            Some("a")
        );
        assert_eq!(
            moved_active(&codes(), None, "ArrowDown").as_deref(),
            Some("a")
        );
        assert_eq!(
            moved_active(&codes(), Some("b"), "End").as_deref(),
            Some("c")
        );
        assert_eq!(
            moved_active(&codes(), Some("b"), "Home").as_deref(),
            Some("a")
        );
        assert_eq!(moved_active(&codes(), Some("b"), "x"), None);
        assert_eq!(moved_active(&[], None, "ArrowDown"), None);
    }

    #[test]
    fn the_filter_matches_label_or_code_in_any_case() {
        let code = WrapupCode::translated("Billing Issue", "Abrechnungsproblem");
        assert!(matches_filter(&code, "abrech"));
        assert!(matches_filter(&code, "BILL"));
        assert!(matches_filter(&code, " "));
        assert!(!matches_filter(&code, "sales"));
    }
}

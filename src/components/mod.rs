//! What the agent sees, one component per file. Every component takes the
//! [`DeskStore`](crate::store::DeskStore) and the [`Config`] from context and
//! derives what it shows from the Desk and the clock.
//!
//! Reactive children and attributes are written as literal closures
//! (`{move || timer()}`, not `{timer}`): `erase_components` only routes a
//! syntactic closure through Leptos' one shared render path per output type,
//! and a named one costs its own copy of the rendering code (so does a
//! component that returns its closure bare: it returns
//! `view! { {move || content()} }`). That path is
//! compiled once per output type, so a reactive text or attribute value is
//! a `String` or `Option<String>` (`.to_owned()` on a `&'static str`, a
//! number as its text), not one more type; a boolean attribute (`hidden`,
//! `disabled`) is [`present`]`(flag)`, and a child that comes and goes an
//! `AnyView` through [`or_nothing`], not an `Option<AnyView>`; so is a
//! child that is there or not from the start (`{or_nothing(code.map(…))}`),
//! and the items of a list are `AnyView`s (`.into_any()` before
//! `collect_view()`): an `Option` or a `Vec` of an element compiles the
//! rendering code of its own type, one of `AnyView` is shared. A memo holds
//! what is shown (a text, a flag) rather than a value of a type of its own:
//! every memo, signal and stored type compiles Leptos' reactive code once
//! more. A value that only texts, attributes and other memos read needs no
//! memo at all: read where it is shown, it changes nothing in the page until
//! what is shown does
//! (a text or an attribute is compared before the DOM is touched). A
//! closure that builds a view reads memos only, or it is rebuilt at every
//! change of the Desk.
//!
//! A prop that follows a reactive flag is a `Memo<bool>`, not the usual
//! `Signal<bool>`: every reactive type of a value type is compiled on its
//! own, and the widget's flags are memos already (a constant one is
//! `memo(|| false)`).
//!
//! A memo of a flag, a text or a list is made with [`memo`], and an event
//! handler with [`handler`] (both in `reactive.rs`, beside `effect`): Leptos'
//! memo code is then compiled once per value type, and its listener code
//! once per event, rather than once per closure.

pub mod agent_header;
pub mod code_picker;
pub mod confirm;
pub mod countdown;
pub mod focus;
pub mod format;
pub mod keyed_list;
pub mod notes_field;
pub mod open_elsewhere;
pub mod status_bar;
pub mod submission_status;
pub mod unsaved_drafts;
pub mod workitem_card;
pub mod wrapup_cue;
pub mod wrapup_heading;
pub mod wrapup_panel;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use leptos::attr::AttributeValue;
use leptos::attr::custom::{CustomAttr, custom_attribute};
use leptos::prelude::*;
use leptos::tachys::html::event::{Custom, On, on};
use leptos::tachys::reactive_graph::SharedReactiveFunction;
use wrapup_core::desk::WrapupSession;

use crate::config::Config;
use crate::i18n::Language;
use crate::reactive::context;
pub use crate::reactive::{handler, memo};
use crate::store::DeskStore;

/// A memo of what `f` reads of `workitem_id`'s wrap-up: one function for
/// all such memos of the views, so that their closure is compiled once.
pub fn session_text(
    store: DeskStore,
    workitem_id: &str,
    f: fn(&WrapupSession) -> Option<String>,
) -> Memo<Option<String>> {
    let id = workitem_id.to_owned();
    memo(move || store.desk.with(|desk| desk.session(&id).and_then(f)))
}

/// A memo of whether `f` holds of `workitem_id`'s wrap-up (false without
/// one): one function for all such memos, as [`session_text`] is.
pub fn session_flag(
    store: DeskStore,
    workitem_id: &str,
    f: fn(&WrapupSession) -> bool,
) -> Memo<bool> {
    let id = workitem_id.to_owned();
    memo(move || store.desk.with(|desk| desk.session(&id).is_some_and(f)))
}

/// The agent's language, from the configuration in context.
pub fn use_language() -> Language {
    context::<Config>().language
}

/// A reactive boolean attribute (`hidden`, `disabled`): present and empty,
/// or absent. An `Option<String>` like the other reactive attribute values,
/// so that no render path of its own is compiled for `bool`.
pub fn present(on: bool) -> Option<String> {
    on.then(String::new)
}

/// The names of the attributes set through [`attr`] and [`attr_with`],
/// each spelled once here: a misspelled name does not compile, as with
/// Leptos' own attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    AriaActivedescendant,
    AriaAtomic,
    AriaAutocomplete,
    AriaControls,
    AriaDescribedby,
    AriaDisabled,
    AriaExpanded,
    AriaHidden,
    AriaKeyshortcuts,
    AriaLabel,
    AriaLabelledby,
    AriaLive,
    AriaSelected,
    Autocomplete,
    Disabled,
    For,
    Hidden,
    Lang,
    Maxlength,
    Placeholder,
    Readonly,
    Rows,
    Selected,
    Tabindex,
    Title,
    Value,
}

impl Attr {
    /// The attribute's name in HTML.
    pub const fn name(self) -> &'static str {
        match self {
            Self::AriaActivedescendant => "aria-activedescendant",
            Self::AriaAtomic => "aria-atomic",
            Self::AriaAutocomplete => "aria-autocomplete",
            Self::AriaControls => "aria-controls",
            Self::AriaDescribedby => "aria-describedby",
            Self::AriaDisabled => "aria-disabled",
            Self::AriaExpanded => "aria-expanded",
            Self::AriaHidden => "aria-hidden",
            Self::AriaKeyshortcuts => "aria-keyshortcuts",
            Self::AriaLabel => "aria-label",
            Self::AriaLabelledby => "aria-labelledby",
            Self::AriaLive => "aria-live",
            Self::AriaSelected => "aria-selected",
            Self::Autocomplete => "autocomplete",
            Self::Disabled => "disabled",
            Self::For => "for",
            Self::Hidden => "hidden",
            Self::Lang => "lang",
            Self::Maxlength => "maxlength",
            Self::Placeholder => "placeholder",
            Self::Readonly => "readonly",
            Self::Rows => "rows",
            Self::Selected => "selected",
            Self::Tabindex => "tabindex",
            Self::Title => "title",
            Self::Value => "value",
        }
    }
}

/// An attribute of a name the widget sets at a few places (`hidden`,
/// `aria-expanded`, `autocomplete`, …), as a custom one, its name from
/// [`Attr`]: `<input {..attr(Attr::Autocomplete, "off")}>`. Leptos erases
/// each attribute of an element, and compiles that code once per attribute
/// name and value type; such names would each cost their own copy, where a
/// custom attribute of a `&'static str` or a `String` shares the one of
/// `data-testid`. The page gets the same attribute either way. (`id`,
/// `role` and `type`, at many places, measure no smaller so.) A plain
/// variable as the value of the attribute before such a spread is written
/// in braces, `id={reason_id}`: `view!` would read `reason_id {..}` as a
/// struct.
pub fn attr<V: AttributeValue>(name: Attr, value: V) -> CustomAttr<&'static str, V> {
    custom_attribute(name.name(), value)
}

/// A reactive [`attr`]: `f` in the same shared closure type that `view!`
/// gives a literal `move ||` attribute, so that its code is shared with
/// theirs (one copy per output type, `String` or `Option<String>`).
pub fn attr_with<T: 'static>(
    name: Attr,
    f: impl FnMut() -> T + Send + 'static,
) -> CustomAttr<&'static str, SharedReactiveFunction<T>>
where
    SharedReactiveFunction<T>: AttributeValue,
{
    custom_attribute(name.name(), Arc::new(Mutex::new(f)))
}

/// The events listened to through [`on_event`], each spelled once here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen {
    Change,
    Focusin,
    Focusout,
    Input,
    Paste,
}

impl Listen {
    /// The event's type in the DOM.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Change => "change",
            Self::Focusin => "focusin",
            Self::Focusout => "focusout",
            Self::Input => "input",
            Self::Paste => "paste",
        }
    }
}

/// A listener of an event the widget listens to at one or two places
/// (`input`, `change`, `paste`, `focusin`, `focusout`), written
/// `{..on_event(Listen::Paste, …)}`: Leptos compiles a listener's attaching
/// and erased attribute code once per event type, and these are all one
/// here, a custom event of a plain `web_sys::Event` that the handler casts
/// where it needs more. It is listened to as `on:paste` would be, with
/// `addEventListener` on the element (the widget delegates no events).
pub fn on_event(
    name: Listen,
    run: impl FnMut(web_sys::Event) + 'static,
) -> On<Custom, Box<dyn FnMut(web_sys::Event)>> {
    on(Custom::new(name.name()), handler(run))
}

/// `view`, or nothing in its place. A reactive child that comes and goes
/// returns an `AnyView` either way (`{move || or_nothing(flag.then(…))}`),
/// as the others do: Leptos' render path is compiled once per output type,
/// and `Option<AnyView>` would be one more. Nothing renders as `None` does,
/// an empty placeholder.
pub fn or_nothing(view: Option<AnyView>) -> AnyView {
    view.unwrap_or_else(|| ().into_any())
}

/// A paragraph of one text with its class and test id,
/// `<p class=… data-testid=…>text</p>`. The widget shows many (notices,
/// notes, statuses): built here, the code that makes one (its element, its
/// attributes boxed, its text) is compiled once rather than at each of them.
/// Every such paragraph is of one view type whatever its attributes, so
/// this adds no rendering code of its own.
pub fn paragraph(class: &'static str, testid: &'static str, text: String) -> impl IntoView + use<> {
    view! { <p class=class data-testid=testid>{text}</p> }
}

/// An element id unique in the page, for `for`, `aria-describedby` and
/// `aria-activedescendant` links (workitem ids may hold any character, so
/// they are not used in ids).
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("wg-{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// What the runtime does with the submissions in its outbox at the agent's
/// word (see `App`), when it provides it. One context for both: each
/// context type compiles its own lookup.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxActions {
    /// Retries a failed submission; the Retry buttons are shown only with it.
    pub retry: Option<Callback<String>>,
    /// Drops a refused submission, where no panel shows it.
    pub discard: Option<Callback<String>>,
}

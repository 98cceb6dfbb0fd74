//! A wrap-up whose panel appears out of the agent's sight: added below the
//! panel they are working in, or above while the list is scrolled. Nothing
//! scrolls and the focus stays where it is (the agent may be typing); a
//! small button at the edge of what they see ("New wrap-up below") takes
//! them to it when they choose, and a polite live region tells a screen
//! reader which wrap-up appeared. Both go once the panel has been in sight.
//! Where the agent is typing in a field at that edge, the cue stands clear
//! of it ([`clear_of_typing`]).
//!
//! The panels a page restores as it loads (the stream's replay, after a
//! reload) are not new to the agent, who had them before: they have no cue
//! and are not announced, no more than anything else a page shows below the
//! fold as it loads. Only what comes in afterwards is.
//!
//! "In sight" is the browser's word (`IntersectionObserver`), which also
//! knows what of the widget's frame the CRM page shows: the frame usually
//! grows to the widget's height, so the page scrolls, not the widget.

use std::cell::Cell;

use js_sys::Array;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    HtmlElement, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit,
};

use super::wrapup_heading::call_name;
use super::{Attr, attr, handler, or_nothing, use_language};
use crate::i18n::{Message, Phrase};
use crate::reactive::{context, effect};
use crate::store::{Connection, DeskStore};

/// Where a panel out of sight is, from what the agent sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Above,
    Below,
}

impl Side {
    fn cue(self) -> Message {
        match self {
            Side::Above => Message::NewWrapupAbove,
            Side::Below => Message::NewWrapupBelow,
        }
    }
}

/// The wrap-ups whose panels appeared out of the agent's sight and have not
/// been in it since, in the order they appeared, with the side they are on:
/// the first has the cue, the latest is announced.
#[derive(Debug, Clone, Copy)]
pub struct UnseenWrapups(RwSignal<Vec<(String, Side)>>);

impl Default for UnseenWrapups {
    fn default() -> Self {
        Self(RwSignal::new(Vec::new()))
    }
}

impl UnseenWrapups {
    /// Records that the panel of `workitem_id` is out of sight on `side`,
    /// or (`None`) in sight or gone.
    fn mark(self, workitem_id: &str, side: Option<Side>) {
        // The list outlives the panels, except when the whole widget goes.
        self.0.try_maybe_update(|unseen| {
            let at = unseen.iter().position(|(id, _)| id == workitem_id);
            match (at, side) {
                (Some(at), Some(side)) if unseen[at].1 != side => unseen[at].1 = side,
                (Some(at), None) => {
                    unseen.remove(at);
                }
                (None, Some(side)) => unseen.push((workitem_id.to_owned(), side)),
                _ => return (false, ()),
            }
            (true, ())
        });
    }
}

/// The live region that tells a screen reader of the latest wrap-up that
/// appeared out of sight ("New wrap-up below: +4930123456 2:05 PM"), until
/// it is in sight. Polite: it waits until the agent stops typing. It is
/// there from the start, so that what is put in it is announced.
#[component]
pub fn UnseenWrapupsAnnouncer() -> impl IntoView {
    let unseen = context::<UnseenWrapups>();
    let store = context::<DeskStore>();
    let language = use_language();
    let announcement = move || {
        let (id, side) = unseen.0.with(|unseen| unseen.last().cloned())?;
        let name = store.desk.with(|desk| call_name(desk, &id))?;
        let call = format!(
            "{} {}",
            name.caller_text(language),
            name.time_text(language)
        );
        Some(
            Phrase::NewWrapupOutOfSight {
                cue: side.cue(),
                call,
            }
            .text(language),
        )
    };
    view! {
        <p class="wg-visually-hidden" {..attr(Attr::AriaLive, "polite")} data-testid="new-wrapup-announcement">
            {move || announcement()}
        </p>
    }
}

/// The cue of the wrap-up panel of `workitem_id`, whose heading is the
/// element `heading_id`; placed just before the panel, so that the Tab key
/// reaches it after the panel above, where the agent is working.
#[component]
pub fn WrapupCue(workitem_id: String, heading_id: String) -> impl IntoView {
    // Without the list of unseen wrap-ups (a panel rendered on its own),
    // nothing to cue; nor for a panel the page restores as it loads: one
    // that comes before the stream's replay caught up (unless the stream is
    // down, and brings none).
    let store = context::<DeskStore>();
    let restored =
        !store.caught_up.get_untracked() && !store.connection.with_untracked(Connection::is_down);
    let Some(unseen) = use_context::<UnseenWrapups>().filter(|_| !restored) else {
        return ().into_any();
    };
    let language = use_language();
    let heading = move || {
        document()
            .get_element_by_id(&heading_id)
            .and_then(|heading| heading.dyn_into::<HtmlElement>().ok())
    };
    let id = workitem_id.clone();
    let watched = heading.clone();
    // Outside system: the browser's IntersectionObserver, told of the list
    // (what of it the agent sees) and of the panel's header (whether it is
    // in sight); it stops once the panel has been in sight.
    effect(move || {
        let heading = watched.clone();
        let Some(header) = heading().and_then(|heading| heading.parent_element()) else {
            return;
        };
        let Some(list) = header
            .closest(".wg-workitems")
            .ok()
            .flatten()
            .and_then(|list| list.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let id = id.clone();
        let watched_list = list.clone();
        // The part of the list in sight, top and bottom, in the widget's
        // viewport; none while the list is out of sight altogether.
        let mut visible: Option<(f64, f64)> = None;
        let callback = Closure::<dyn FnMut(Array, IntersectionObserver)>::new(
            move |entries: Array, observer: IntersectionObserver| {
                for entry in entries.iter() {
                    let entry: IntersectionObserverEntry = entry.unchecked_into();
                    if entry.target() == *watched_list {
                        visible = entry.is_intersecting().then(|| {
                            let rect = entry.intersection_rect();
                            (rect.top(), rect.bottom())
                        });
                        continue;
                    }
                    if entry.is_intersecting() {
                        observer.disconnect();
                        // Its cue goes: a focus on it passes to the panel,
                        // now in sight, rather than to the page.
                        let cue_focused = document()
                            .active_element()
                            .is_some_and(|active| active.class_name() == CUE_BUTTON);
                        if let Some(heading) = heading().filter(|_| cue_focused) {
                            let _ = heading.focus();
                        }
                        unseen.mark(&id, None);
                        return;
                    }
                    let top = entry.bounding_client_rect().top();
                    let above = visible.is_some_and(|(visible_top, _)| top < visible_top);
                    unseen.mark(&id, Some(if above { Side::Above } else { Side::Below }));
                }
                // Where the cues stand: at the edges of the part in sight,
                // in the widget's viewport. (Not as a distance from its
                // bottom: a frame that grows with the widget changes that
                // without the part in sight changing.)
                if let Some((top, bottom)) = visible {
                    IN_SIGHT.set((top, bottom));
                    let style = watched_list.style();
                    let _ = style.set_property("--wg-cue-top", &format!("{}px", top as i32));
                    let _ = style.set_property("--wg-cue-bottom", &format!("{}px", bottom as i32));
                    clear_of_typing(true);
                }
            },
        );
        let options = IntersectionObserverInit::new();
        // Told of every hundredth of the list coming into or going out of
        // sight: as the CRM page scrolls a frame as tall as the widget, the
        // cue follows the edge of what the agent sees.
        let thresholds: Array = (0..=100)
            .map(|step| JsValue::from(f64::from(step) / 100.0))
            .collect();
        options.set_threshold(&thresholds);
        let Ok(observer) =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
        else {
            return;
        };
        observer.observe(&list);
        observer.observe(&header);
        let watch = SendWrapper::new((observer, callback));
        on_cleanup(move || watch.0.disconnect());
    });
    let id = workitem_id.clone();
    on_cleanup(move || unseen.mark(&id, None));

    // Scrolls the panel to the top of what the agent sees and focuses its
    // heading: only when the agent asks.
    let go = move |_| {
        if let Some(heading) = heading() {
            if let Some(panel) = heading.closest(".wg-wrapup").ok().flatten() {
                panel.scroll_into_view_with_bool(true);
            }
            let _ = heading.focus();
        }
    };
    view! {
        {move || {
            let side = unseen.0.with(|unseen| {
                unseen.first().filter(|(id, _)| *id == workitem_id).map(|(_, side)| *side)
            });
            or_nothing(side.map(|side| {
                let modifier = match side {
                    Side::Above => "wg-cue wg-cue--above",
                    Side::Below => "wg-cue wg-cue--below",
                };
                // Once it stands where the agent sees it.
                request_animation_frame(|| clear_of_typing(true));
                view! {
                    <div class=modifier>
                        <button type="button" class=CUE_BUTTON on:click=handler(go.clone()) data-testid="new-wrapup-cue">
                            {side.cue().text(language)}
                        </button>
                    </div>
                }
                .into_any()
            }))
        }}
    }
    .into_any()
}

/// The cue's button's class, by which the cue knows it has the focus.
const CUE_BUTTON: &str = "wg-cue__button";

thread_local! {
    /// The top and bottom of the part of the list in sight, in the widget's
    /// viewport, as the cues' observers last saw it: where a cue stands.
    static IN_SIGHT: Cell<(f64, f64)> = const { Cell::new((0.0, f64::MAX)) };
}

/// Moves the cue off the field the agent is typing in (the notes with their
/// count, the code picker with its filter), over which it would stand at
/// the edge of what they see: a cue below goes just above the field, a cue
/// above just below it. It stays in sight: a field taller than what the
/// agent sees beside the cue is covered at the other end (by a cue below,
/// its first lines rather than the last, where the agent types, and the
/// count). Called as the cue appears or moves (`anew`), and as the focus
/// moves in the widget (`App`): then only for a field, so that a cue
/// pressed with the pointer, which takes the focus, stays under it.
pub fn clear_of_typing(anew: bool) {
    let document = document();
    let Some(cue) = document
        .query_selector(".wg-cue")
        .ok()
        .flatten()
        .and_then(|cue| cue.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let field = document
        .active_element()
        .and_then(|focused| focused.closest(".wg-notes, .wg-picker").ok().flatten());
    if field.is_none() && !anew {
        return;
    }
    let style = cue.style();
    let _ = style.remove_property("--wg-cue-shift");
    let Some(field) = field else {
        return;
    };
    let (at, typed_in) = (
        cue.get_bounding_client_rect(),
        field.get_bounding_client_rect(),
    );
    if at.bottom() <= typed_in.top() || typed_in.bottom() <= at.top() {
        return;
    }
    let (top, bottom) = IN_SIGHT.get();
    let shift = if cue.class_name().ends_with("below") {
        (typed_in.top() - at.bottom()).max(top - at.top())
    } else {
        (typed_in.bottom() - at.top()).min(bottom - at.bottom())
    };
    let _ = style.set_property("--wg-cue-shift", &format!("{}px", shift as i32));
}

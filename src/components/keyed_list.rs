//! A list of views keyed by workitem id: each view keeps its DOM (and the
//! focus in it) while the list around it changes.
//!
//! Leptos' `<For>` does this for any item and key type, with a diff of the
//! two key lists through hash sets (about 7 KB of wasm for the widget's one
//! instance). The widget's lists are a few workitems, keyed by their ids,
//! each view an `AnyView`: the views are matched by id in order here, and
//! only those whose place changed are moved. Each view is built under an
//! owner of its own, a child of the list's, as `<For>` builds it, so that
//! what the view set up (memos, effects, cleanups) goes with it.
//!
//! The widget renders in the browser only: the list is rendered into the
//! DOM, never to HTML text or hydrated from it.

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::Rndr;
use leptos::tachys::renderer::types::{Element, Node, Placeholder};
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// The views of `ids` in order, each made by `view` from its id:
/// `{keyed_by_workitem(ids, view)}`. The ids are unique, as the Desk's
/// workitem and wrap-up ids are.
pub fn keyed_by_workitem(ids: Memo<Vec<String>>, view: fn(String) -> AnyView) -> impl IntoView {
    // The owner of the list, not the owner of the effect that renders it:
    // that one's children are cleaned up every time it runs again.
    let owner = Owner::current().expect("a view is built under an owner");
    // An `AnyView` through `view!`'s one render path of its output type, as
    // the widget's other reactive children (components/mod.rs): a closure
    // of a type of its own would compile Leptos' rendering code once more.
    view! {
        {move || {
            KeyedList {
                ids: ids.get(),
                view,
                owner: owner.clone(),
            }
            .into_any()
        }}
    }
}

/// What the list shows now: the ids in order, how a view is made.
struct KeyedList {
    ids: Vec<String>,
    view: fn(String) -> AnyView,
    owner: Owner,
}

impl KeyedList {
    /// The view of `id`, built under an owner of its own.
    fn row(&self, id: String) -> Row {
        let owner = self.owner.with(Owner::new);
        let state = owner.with(|| (self.view)(id.clone()).build());
        Row {
            id,
            state,
            _owner: owner,
        }
    }
}

/// One view of the list. The view's state is dropped before its owner, so
/// that its cleanups run from the bottom up (as `<For>`'s do).
struct Row {
    id: String,
    state: AnyViewState,
    /// Kept for what it cleans up when the view leaves.
    _owner: Owner,
}

/// The views shown, and the marker after them (where a view added last goes).
pub struct KeyedListState {
    rows: Vec<Row>,
    marker: Placeholder,
}

impl Render for KeyedList {
    type State = KeyedListState;

    fn build(self) -> Self::State {
        let rows = self.ids.iter().map(|id| self.row(id.clone())).collect();
        KeyedListState {
            rows,
            marker: Rndr::create_placeholder(),
        }
    }

    fn rebuild(self, state: &mut Self::State) {
        // The views of ids gone leave, their owners with them.
        state.rows.retain_mut(|row| {
            let kept = self.ids.contains(&row.id);
            if !kept {
                row.state.unmount();
            }
            kept
        });
        // Then each place in turn: the view there already if it is the
        // id's, else the id's view moved from further on, or a new one;
        // put before the view that follows, or else before the marker.
        for (at, id) in self.ids.iter().enumerate() {
            if state.rows.get(at).is_some_and(|row| row.id == *id) {
                continue;
            }
            let mut row = match state.rows.iter().position(|row| row.id == *id) {
                Some(from) => state.rows.remove(from),
                None => self.row(id.clone()),
            };
            match state.rows.get(at) {
                Some(next) => next.state.insert_before_this(&mut row.state),
                None => state.marker.insert_before_this(&mut row.state),
            };
            state.rows.insert(at, row);
        }
    }
}

impl Mountable for KeyedListState {
    fn unmount(&mut self) {
        for row in &mut self.rows {
            row.state.unmount();
        }
        self.marker.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        for row in &mut self.rows {
            row.state.mount(parent, marker);
        }
        self.marker.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        match self.rows.first() {
            Some(row) => row.state.insert_before_this(child),
            None => self.marker.insert_before_this(child),
        }
    }

    fn elements(&self) -> Vec<Element> {
        self.rows
            .iter()
            .flat_map(|row| row.state.elements())
            .collect()
    }
}

leptos::tachys::no_attrs!(KeyedList);

/// Only what a view must have to be one: the list is not rendered to HTML
/// text (the widget renders in the browser), and hydrating builds it anew.
impl RenderHtml for KeyedList {
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self::AsyncOutput {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> Self::State {
        self.build()
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}

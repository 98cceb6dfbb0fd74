//! Keeps the keyboard focus in the widget when the element that had it goes
//! away: a wrap-up's form replaced by its submission's status (Submit,
//! Ctrl+Enter, or the time running out while the agent types), a wrap-up or
//! a call that leaves, a button that can no longer be used. The browser
//! would drop the focus to the page, and the agent's next Tab or Enter would
//! start from the top or go nowhere.
//!
//! The focus moves to the heading of the panel that had it, if it is still
//! shown, else to the first wrap-up or call, else to the list of calls; from
//! the agent's state switch, to its first control still shown: from the
//! button that changed the reason, to the reason picker; from the picker,
//! hidden when the state changed from elsewhere, to the state's button. It
//! moves only when the focus was lost, not taken: the page (or the frame the
//! widget is embedded in) still has the focus and nothing else in it does.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, HtmlElement};

/// What a panel is, for [`FocusKeeper::restore`]: a wrap-up or a call.
const PANELS: &str = ".wg-wrapup, .wg-call";
/// What in a panel takes the focus: its heading (`tabindex="-1"`).
const PANEL_HEADING: &str = "h2";
/// Where the focus goes when no panel is left: the list of calls.
const CALLS: &str = ".wg-workitems";
/// The agent's state switch, whose first control shown takes the focus
/// when one of its controls is hidden.
const SWITCH: &str = ".wg-agent__switch";
/// Its controls that are shown.
const SWITCH_CONTROLS: &str = "select:not([hidden]), button:not([hidden])";

/// The last element inside the widget that had the focus, while it keeps it.
#[derive(Debug, Clone, Default)]
pub struct FocusKeeper {
    last: Rc<RefCell<Option<Element>>>,
}

impl FocusKeeper {
    /// For `focusin` on the widget's root: `event`'s target has the focus.
    pub fn focused(&self, event: &FocusEvent) {
        *self.last.borrow_mut() = event.target().and_then(|target| target.dyn_into().ok());
    }

    /// For `focusout` on the widget's root with no element taking the focus
    /// (`relatedTarget`). Once the change that caused it is done: an element
    /// still usable was left on purpose (a click on plain text, another
    /// window), so there is nothing to keep. (Chrome blurs an element it is
    /// about to remove while it is still in the page, so this cannot be told
    /// at once.)
    pub fn left(&self, event: &FocusEvent) {
        if event.related_target().is_some() {
            return;
        }
        let Some(element) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
        else {
            return;
        };
        let last = Rc::clone(&self.last);
        leptos::prelude::set_timeout(
            move || {
                let mut last = last.borrow_mut();
                if usable(&element) && last.as_ref() == Some(&element) {
                    *last = None;
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// Whether an element of the widget had the focus last: only then can a
    /// change take it away.
    pub fn holds_focus(&self) -> bool {
        self.last.borrow().is_some()
    }

    /// Gives the focus back within `root` if the element that had it went
    /// away or was disabled and nothing else took it.
    pub fn restore(&self, root: &Element) {
        let Some(last) = self.last.borrow().clone() else {
            return;
        };
        let document = root.owner_document();
        let lost = document.as_ref().is_some_and(|document| {
            document.has_focus().unwrap_or(false)
                && document
                    .active_element()
                    .is_none_or(|active| Some(&active) == document.body().as_deref())
        });
        if !lost || usable(&last) {
            return;
        }
        let within = |selector: &str| {
            last.is_connected()
                .then(|| last.closest(selector).ok().flatten())
                .flatten()
        };
        let switch =
            within(SWITCH).and_then(|switch| switch.query_selector(SWITCH_CONTROLS).ok().flatten());
        let target = switch.or_else(|| {
            within(PANELS)
                .or_else(|| root.query_selector(PANELS).ok().flatten())
                .and_then(|panel| panel.query_selector(PANEL_HEADING).ok().flatten())
        });
        match target.and_then(|target| target.dyn_into::<HtmlElement>().ok()) {
            Some(target) => {
                let _ = target.focus();
            }
            None => focus_calls(root),
        }
    }
}

/// Gives the focus to the list of calls within `root`, where it goes when
/// nothing nearer can have it.
pub fn focus_calls(root: &Element) {
    let calls = root
        .query_selector(CALLS)
        .ok()
        .flatten()
        .and_then(|calls| calls.dyn_into::<HtmlElement>().ok());
    if let Some(calls) = calls {
        let _ = calls.focus();
    }
}

/// Whether `element` can still have the focus: in the page, not disabled
/// and not hidden.
fn usable(element: &Element) -> bool {
    element.is_connected()
        && !element.matches(":disabled").unwrap_or(false)
        && element.closest("[hidden]").ok().flatten().is_none()
}

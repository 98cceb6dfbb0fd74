//! One live widget per agent in a browser.
//!
//! Two pages of the same agent (the CRM open in two tabs, the widget beside
//! the demo page) would each run the agent's wrap-ups from the same events:
//! each would create the call's interaction record, and at expiry each would
//! submit the default code with the notes typed in it, so the one to arrive
//! last would overwrite the notes typed in the other. So only one page is
//! live: the one that holds the Web Lock named after the agent, until it goes.
//!
//! A page that finds the lock held starts nothing and says the widget is open
//! elsewhere; there the agent can take it over ([`use_here`]): the page
//! reloads and takes the lock from the live page, which stops and says the
//! same. A reload of the live page takes the lock back at once (its tab's
//! `sessionStorage` is marked live), so the lock of the page it replaces,
//! which the browser may not have released yet, is never in its way.
//!
//! In a frame whose storage and Web Locks the browser blocks (a CRM page of
//! another site), the page embedding it through `cil-host.js` holds the lock
//! for it, and keeps the tab's marks in its own `sessionStorage`: `cil-storage.js`
//! stands in for both (`window.wrapupHostLocks`, docs/cil-protocol.md), so
//! two tabs of the CRM page are told apart as two tabs of the widget are.
//!
//! A host page that connects only after the widget started without it
//! holds the lock from then on: the widget claims it then
//! ([`late_host_locks`]), and keeps running if it gets it, or stops as a
//! page whose lock was taken if another tab of the CRM page is live. What
//! it stored alone reaches that page only after the answer (`cil-storage.js`): a
//! live tab's drafts and outbox are under the same keys; and when this page
//! is the live one, merged first with what the page kept from an earlier
//! visit (`host_copy.rs`).
//!
//! Where the browser has no Web Locks (an origin that is not secure), or
//! refuses the request and no host page holds it, every page runs, as before.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a page learned when it claimed the agent's widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This page is live until it goes, or until another page takes over.
    Held,
    /// Another page of this browser is live for the agent.
    HeldElsewhere,
    /// The browser has no Web Locks here: the page runs as if alone.
    Unavailable,
}

/// Claims the agent's widget for this page: takes the lock if it is free, or
/// from the page that has it if this tab is marked live (a reload, or
/// [`use_here`]). `lost` runs when another page takes the lock later.
pub async fn claim(agent_id: &str, lost: impl FnOnce() + 'static) -> Claim {
    let Some(locks) = lock_manager() else {
        return Claim::Unavailable;
    };
    let mark = live_mark(agent_id);
    let options = js_sys::Object::new();
    let how = if is_marked(&mark) {
        "steal"
    } else {
        "ifAvailable"
    };
    let _ = js_sys::Reflect::set(&options, &how.into(), &JsValue::TRUE);
    // Settled once: `true` or `false` by the lock's callback, `undefined` if
    // the browser refused the request before any callback.
    let mut settle = None;
    let granted = js_sys::Promise::new(&mut |resolve, _| settle = Some(resolve));
    let Some(settle) = settle else {
        return Claim::Unavailable;
    };
    let held = Rc::new(Cell::new(false));
    let on_grant = {
        let settle = settle.clone();
        let held = Rc::clone(&held);
        let mark = mark.clone();
        Closure::once_into_js(move |lock: JsValue| -> JsValue {
            let got = !lock.is_null();
            held.set(got);
            // Marked as it is granted, before a page taking it over can unmark it.
            if got {
                set_marked(&mark, true);
            }
            let _ = settle.call1(&JsValue::NULL, &JsValue::from_bool(got));
            // A granted lock is held while the promise returned is pending:
            // this one never settles, so until the page goes.
            if got {
                js_sys::Promise::new(&mut |_, _| {}).into()
            } else {
                JsValue::UNDEFINED
            }
        })
    };
    let Some(released) = request(&locks, &lock_name(agent_id), &options, &on_grant) else {
        return Claim::Unavailable;
    };
    // The request's promise settles when the lock is released: for a held
    // lock, only when another page took it.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(released).await;
        if held.get() {
            set_marked(&mark, false);
            lost();
        } else {
            let _ = settle.call1(&JsValue::NULL, &JsValue::UNDEFINED);
        }
    });
    match JsFuture::from(granted)
        .await
        .ok()
        .and_then(|got| got.as_bool())
    {
        Some(true) => Claim::Held,
        Some(false) => Claim::HeldElsewhere,
        None => Claim::Unavailable,
    }
}

/// Takes the agent's widget over from the page that has it: this page
/// reloads and, marked live, takes the lock ([`claim`]).
pub fn use_here(agent_id: &str) {
    set_marked(&live_mark(agent_id), true);
    set_marked(&used_here_mark(agent_id), true);
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Whether this page is the reload of a "Use it here" (told once): the
/// agent pressed a button that is gone, and the focus belongs in the desk.
pub fn loaded_by_use_here(agent_id: &str) -> bool {
    let mark = used_here_mark(agent_id);
    let loaded = is_marked(&mark);
    set_marked(&mark, false);
    loaded
}

/// The promise `cil-storage.js` sets (`window.wrapupHostLocksLate`) in a frame whose
/// storage and Web Locks the browser blocks: it resolves once a page
/// connects after the widget started without one, whose locks are then the
/// frame's ([`claim`] takes them), and stays pending otherwise.
pub fn late_host_locks() -> Option<js_sys::Promise> {
    js_sys::Reflect::get(&js_sys::global(), &"wrapupHostLocksLate".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// The lock of the agent's widget, shared by every page of the origin.
fn lock_name(agent_id: &str) -> String {
    format!("wrapup:{agent_id}")
}

/// The key in the tab's `sessionStorage` that marks it live for the agent.
fn live_mark(agent_id: &str) -> String {
    format!("wrapup:{agent_id}:live")
}

/// The key in the tab's `sessionStorage` that says "Use it here" reloaded it.
fn used_here_mark(agent_id: &str) -> String {
    format!("wrapup:{agent_id}:used-here")
}

/// The host page's locks for this frame where `cil-storage.js` offers them, else
/// `navigator.locks`, where the browser has it.
fn lock_manager() -> Option<JsValue> {
    let global = js_sys::global();
    let host = js_sys::Reflect::get(&global, &"wrapupHostLocks".into()).ok();
    let locks = match host.filter(|host| !host.is_undefined()) {
        Some(host) => host,
        None => {
            let navigator = js_sys::Reflect::get(&global, &"navigator".into()).ok()?;
            js_sys::Reflect::get(&navigator, &"locks".into()).ok()?
        }
    };
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// `locks.request(name, options, callback)`: the promise it returns.
fn request(
    locks: &JsValue,
    name: &str,
    options: &js_sys::Object,
    callback: &JsValue,
) -> Option<js_sys::Promise> {
    js_sys::Reflect::get(locks, &"request".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call3(locks, &name.into(), options, callback)
        .ok()?
        .dyn_into()
        .ok()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn is_marked(mark: &str) -> bool {
    session_storage().is_some_and(|storage| storage.get_item(mark).ok().flatten().is_some())
}

fn set_marked(mark: &str, live: bool) {
    if let Some(storage) = session_storage() {
        let _ = if live {
            storage.set_item(mark, "1")
        } else {
            storage.remove_item(mark)
        };
    }
}

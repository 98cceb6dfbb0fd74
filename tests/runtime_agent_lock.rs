//! One live page per agent: the Web Lock named after the agent is held by
//! the first page to claim it; a page that finds it held is told, unless its
//! tab is marked live (a reload of the live page, or "Use it here"), which
//! takes the lock over and tells the page that had it.
#![cfg(target_arch = "wasm32")]

use futures::channel::oneshot;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_gadget::runtime::agent_lock::{Claim, claim};

wasm_bindgen_test_configure!(run_in_browser);

/// An agent of its own per test: a lock a test holds stays held for the page.
fn fresh_agent() -> String {
    format!("lock-test-{}", js_sys::Math::random())
}

fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

/// The key in the tab's `sessionStorage` that marks it live for `agent`.
fn mark(agent: &str) -> String {
    format!("wrapup:{agent}:live")
}

fn marked_live(agent: &str) -> bool {
    session_storage().get_item(&mark(agent)).unwrap().is_some()
}

/// Forgets that this tab was live for `agent`, as another tab would not know.
fn unmark(agent: &str) {
    session_storage().remove_item(&mark(agent)).unwrap();
}

#[wasm_bindgen_test]
async fn a_free_lock_is_held_and_the_tab_marked_live() {
    let agent = fresh_agent();
    assert!(!marked_live(&agent));
    assert_eq!(
        claim(&agent, || panic!("nobody took it")).await,
        Claim::Held
    );
    assert!(marked_live(&agent));
}

#[wasm_bindgen_test]
async fn a_page_not_marked_live_finds_a_held_lock_elsewhere() {
    let agent = fresh_agent();
    assert_eq!(
        claim(&agent, || panic!("nobody took it")).await,
        Claim::Held
    );
    unmark(&agent);
    assert_eq!(
        claim(&agent, || panic!("never held")).await,
        Claim::HeldElsewhere
    );
    // Another agent's widget is not in the way.
    assert_eq!(claim(&fresh_agent(), || {}).await, Claim::Held);
}

#[wasm_bindgen_test]
async fn a_tab_marked_live_takes_the_lock_over_and_the_page_that_had_it_is_told() {
    let agent = fresh_agent();
    let (told, taken) = oneshot::channel();
    assert_eq!(
        claim(&agent, move || told.send(()).unwrap()).await,
        Claim::Held
    );
    // Still marked: this is the reload of the live page, or "Use it here".
    assert!(marked_live(&agent));
    assert_eq!(
        claim(&agent, || panic!("nobody took it")).await,
        Claim::Held
    );
    taken
        .await
        .expect("the first holder is told it lost the lock");
}

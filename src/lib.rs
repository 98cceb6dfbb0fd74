//! The wrapup-gadget widget: the imperative shell around the core `Desk`.
//!
//! It reads its configuration (URL query over `/config.json`), renders the
//! agent's desk with Leptos, and performs the Desk's effects through the
//! [`runtime`]: HTTP, the CTI event stream, storage and timers. Decisions
//! live in `wrapup-core`; this crate renders and acts. No code here indexes
//! a `str` by a range (`wrapup_core::text` says why).

#![deny(clippy::string_slice)]

mod app;
mod components;
pub mod config;
pub mod i18n;
mod reactive;
pub mod runtime;
pub mod store;

pub use app::App;

/// The widget's allocator: talc, whose code is smaller than Rust's default
/// dlmalloc in the shipped wasm, with the same memory growth over a day of
/// calls (BENCHMARKS.md, memory). Growing in place is left out
/// (`disable-realloc-in-place`): a grown buffer is copied, which costs
/// nothing measurable at the widget's sizes and saves more code.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::{Config, page_query_and_origin};
use crate::store::DeskStore;

/// Mounts the widget on the page's `<body>`. Called once by the binary.
///
/// `/config.json` is read first, from the page's own early request when
/// there is one (a missing file is fine, and one that takes longer than
/// [`runtime::api::CONFIG_TIMEOUT`] is given up: the widget mounts with its
/// defaults); the query of the page wins over it. Then the store is created
/// and the view mounted, and the runtime starts under the mounted view's
/// owner ([`mount_with`]).
pub fn mount() {
    console_error_panic_hook::set_once();
    // Leptos' executor is set up by the mount; this task runs before it.
    wasm_bindgen_futures::spawn_local(async {
        let (query, origin) = page_query_and_origin();
        let base = Config::resolve(&query, None, &origin);
        let file = runtime::api::Api::new(&base.server, None, base.language.tag())
            .config_file()
            .await
            .ok();
        let config = Config::resolve(&query, file.as_ref(), &origin);
        mount_with(config);
    });
}

/// Mounts the widget for `config` with a live runtime.
///
/// The view is built first and the runtime starts in the next task, so the
/// browser can paint the widget before the runtime's own start-up (the
/// clock, the event stream, the `cil` bridge, the agent's state requests):
/// what the runtime brings comes through the store either way. In a frame
/// whose storage the embedding page keeps, it starts once that page's copy
/// is in ([`runtime::storage::host_storage_ready`]). It starts only in the
/// one page of the browser that is live for the agent
/// ([`runtime::agent_lock`]), and stops when another page takes over.
pub fn mount_with(config: Config) {
    // Said once, where the admin looks: what the configuration got wrong.
    for bad in &config.bad_values {
        runtime::warn(&bad.warning());
    }
    // The page is the widget's: a theme chosen for it colours the whole
    // page, not only the widget's box (`data-theme` on `<html>`), and the
    // deployment's design tokens are set on it (CSSOM, which the page's
    // `style-src 'self'` allows, as it would not a `style` attribute).
    if let Some(root) = document().document_element() {
        if config.theme != config::Theme::Auto {
            let _ = root.set_attribute("data-theme", config.theme.as_str());
        }
        if let Some(root) = root.dyn_ref::<web_sys::HtmlElement>() {
            for (name, value) in config.tokens.iter() {
                if config::is_token(name) {
                    let _ = root.style().set_property(name, value);
                }
            }
        }
    }
    // A backend it does not know: no wrap-up may go anywhere, so nothing
    // starts, and integrators hear why.
    let refused = config.refused().is_some();
    if refused {
        runtime::cil_bridge::refuse_requests(MISCONFIGURED);
    }
    leptos::mount::mount_to_body(move || {
        let store = DeskStore::new(runtime::clock::browser_now());
        let started = StoredValue::new_local(None::<runtime::Runtime>);
        let starting = config.clone();
        if let Some(owner) = Owner::current().filter(|_| !refused) {
            set_timeout(
                move || leptos::task::spawn_local(start_when_live(owner, store, started, starting)),
                std::time::Duration::ZERO,
            );
        }
        // Retry and Discard call the runtime's `action` on a workitem once
        // it runs: one callback type for both, compiled once. Without an
        // agent no runtime starts, and no wrap-up ever reaches the Desk for
        // them to act on, so one view serves either way.
        let on_runtime = move |action: fn(&runtime::Runtime, &str)| {
            Callback::new(move |workitem_id: String| {
                started.with_value(|runtime| {
                    if let Some(runtime) = runtime {
                        action(runtime, &workitem_id);
                    }
                });
            })
        };
        let retry = on_runtime(runtime::Runtime::retry_submission);
        let discard = on_runtime(runtime::Runtime::discard_refused);
        view! {
            <App config=config store=store retry_submission=retry discard_refused=discard/>
        }
    });
}

/// Starts the runtime under `owner` once the page may: once the copy of the
/// storage an embedding page keeps is in, and if this page is live for the
/// agent. Another page taking over later stops it.
async fn start_when_live(
    owner: Owner,
    store: DeskStore,
    started: StoredValue<Option<runtime::Runtime>, LocalStorage>,
    config: Config,
) {
    if let Some(ready) = runtime::storage::host_storage_ready() {
        let kept = wasm_bindgen_futures::JsFuture::from(ready).await;
        if kept.ok().and_then(|kept| kept.as_bool()) == Some(false) {
            store.storage_kept.set(false);
        }
    }
    if let Some(agent_id) = config.agent_id.as_deref() {
        let taken_over = move || {
            let _ = started.try_with_value(|runtime| {
                runtime
                    .as_ref()
                    .map(|runtime| runtime.hand_over(TAKEN_OVER))
            });
            step_aside(store);
        };
        let claim = runtime::agent_lock::claim(agent_id, taken_over).await;
        if claim == runtime::agent_lock::Claim::HeldElsewhere {
            step_aside(store);
            return;
        }
        // Where the browser neither stores the widget's data nor gives it a
        // lock, and no page embedding it holds one for it, the agent is told
        // beside the data's notice that another tab of theirs would run too.
        if claim == runtime::agent_lock::Claim::Unavailable
            && (!store.storage_kept.get_untracked() || !runtime::storage::storage_works())
        {
            store.open_elsewhere_unknown.set(true);
        }
        // A page embedding the widget that connects later holds the lock
        // from then on: claimed then, it settles what the agent could not be
        // told, and of two tabs of the CRM page only one stays live.
        if claim == runtime::agent_lock::Claim::Unavailable
            && let Some(late) = runtime::agent_lock::late_host_locks()
        {
            let agent_id = agent_id.to_owned();
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(late).await;
                let claim = runtime::agent_lock::claim(&agent_id, taken_over).await;
                if claim != runtime::agent_lock::Claim::Unavailable {
                    store.open_elsewhere_unknown.set(false);
                }
                if claim == runtime::agent_lock::Claim::HeldElsewhere {
                    taken_over();
                }
            });
        }
        // The button pressed went with the page it was on: the focus goes
        // where the agent's work is.
        if runtime::agent_lock::loaded_by_use_here(agent_id)
            && let Some(root) = document().document_element()
        {
            components::focus::focus_calls(&root);
        }
    }
    owner.with(|| started.set_value(runtime::start(store, config)));
}

/// The answer to integrators' requests when the configuration names a
/// backend the widget does not know.
const MISCONFIGURED: &str = "the widget's configuration names a backend it does not know \
                             (the console says which), so it carries out no request";

/// The answer to integrators' requests on a page that is not live.
const OPEN_ELSEWHERE: &str = "the widget is open for this agent in another tab or window, \
                              which carries out its requests; this page carries out none";

/// The answer to the requests under way when another page took over.
const TAKEN_OVER: &str = "another tab or window took the widget over for this agent before \
                          this request was answered; it may have been carried out";

/// This page is not live for the agent: it says so, and refuses integrators'
/// requests rather than leave them waiting.
fn step_aside(store: DeskStore) {
    store.open_elsewhere.set(true);
    runtime::cil_bridge::refuse_requests(OPEN_ELSEWHERE);
}

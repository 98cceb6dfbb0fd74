//! The wrapup-gadget widget: the imperative shell around the core `Desk`.
//!
//! It reads its configuration, renders the agent's desk with Leptos and (in
//! later modules) performs the Desk's effects: HTTP, storage, timers and
//! postMessage. Decisions live in `wrapup-core`; this crate renders and acts.

mod app;
pub mod config;
pub mod i18n;
pub mod store;

pub use app::App;

/// Mounts the widget on the page's `<body>`. Called once by the binary.
pub fn mount() {
    console_error_panic_hook::set_once();
    let config = config::Config::from_location();
    leptos::mount::mount_to_body(move || leptos::view! { <App config=config.clone()/> });
}

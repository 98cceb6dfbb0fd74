//! The answer to `/config.json` that the page asked for while the wasm
//! downloaded: `index.html` starts the request in an inline script, as
//! `window.wrapupConfigFile = { url, text }`, where `text` is a promise of
//! the body (`null` when the file is missing or the request failed). By the
//! time the widget starts, the answer is usually there, so mounting does not
//! wait for a request of its own.

use std::time::Duration;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The global the page's inline script sets.
const GLOBAL: &str = "wrapupConfigFile";

/// The body of the page's early request for `url`, waited for at most
/// `timeout`: `None` when the page made no request for `url` (a host page,
/// or a `?server=` elsewhere), `Some(None)` when the request found nothing,
/// failed or took longer.
pub async fn early_answer(url: &str, timeout: Duration) -> Option<Option<String>> {
    let early = js_sys::Reflect::get(&js_sys::global(), &GLOBAL.into()).ok()?;
    let asked = js_sys::Reflect::get(&early, &"url".into())
        .ok()?
        .as_string()?;
    if asked != url {
        return None;
    }
    let text = js_sys::Reflect::get(&early, &"text".into()).ok()?;
    // The first to settle: the answer, or `undefined` once `timeout` is up.
    let first = js_sys::Promise::race(&js_sys::Array::of2(&text, &after(timeout)));
    Some(
        JsFuture::from(first)
            .await
            .ok()
            .and_then(|text| text.as_string()),
    )
}

/// A promise resolved after `duration`.
fn after(duration: Duration) -> js_sys::Promise {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout = web_sys::window().map(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
        });
        if !matches!(set_timeout, Some(Ok(_))) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    })
}

//! Serving the built widget: compressed, with correct MIME types and caching.
//!
//! Trunk names the wasm, JS and CSS files after a hash of their content, so
//! they can be cached for a year; `index.html` names them, so it must be
//! revalidated on every load or a new release would never reach the agent.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Routes serving `dir`, with `index.html` for unknown paths so the widget can
/// be opened at any URL.
pub fn router(dir: &Path) -> Router {
    let files = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Trunk's output files carry a 16-hex-digit content hash:
/// `widget-0123456789abcdef.css`, `name-0123456789abcdef_bg.wasm`.
fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        hash.len() == 16 && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_content_hashed("/wrapup-gadget-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_content_hashed("/wrapup-gadget-3f2a9c0d1e4b5a67.js"));
        assert!(is_content_hashed("/widget-3f2a9c0d1e4b5a67.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/favicon.svg"));
    }
}

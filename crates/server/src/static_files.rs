//! Serving the built widget: compressed, with correct MIME types, caching
//! and a Content-Security-Policy.
//!
//! Trunk names the wasm, JS and CSS files after a hash of their content, so
//! they can be cached for a year; `index.html` names them, so it must be
//! revalidated on every load or a new release would never reach the agent.
//!
//! The policy allows scripts from this origin only, plus the page's inline
//! scripts by their SHA-256 (computed from `index.html`, and again whenever
//! it changes: a build deployed under a running server names new files in
//! its loader): no other inline script, no `eval`, and `wasm-unsafe-eval`
//! for WebAssembly alone.
//! Only this origin and the `--embed-origin`s may show the pages in a frame
//! (`frame-ancestors`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::embed::EmbedOrigin;

/// The demo pages that embed the widget from another origin (`/crm.html`
/// frames `http://127.0.0.1:<port>/` while itself on `http://localhost:<port>`).
const HOST_PAGES: [&str; 1] = ["/crm.html"];

/// The policies of the pages: the widget's, and the host pages' one, which
/// may also frame other origins.
#[derive(Debug, Clone)]
struct Policies {
    widget: HeaderValue,
    host_page: HeaderValue,
}

impl Policies {
    fn of(index_html: &str, embed_origins: &[EmbedOrigin]) -> Self {
        let widget = content_security_policy(index_html, embed_origins);
        // The demo CRM page embeds whichever widget URL it is given (`?widget=`);
        // the widget's own frame-ancestors and allowedOrigins decide whether that
        // widget agrees to it.
        let host_page = format!("{widget}; frame-src 'self' http: https:");
        let header = |policy: &str| {
            HeaderValue::from_str(policy)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
        };
        Self {
            widget: header(&widget),
            host_page: header(&host_page),
        }
    }
}

/// The policies of the `index.html` being served: computed again when its
/// modification time changes.
#[derive(Debug, Clone)]
struct PagePolicies {
    index: PathBuf,
    embed_origins: Arc<[EmbedOrigin]>,
    current: Arc<Mutex<(Option<SystemTime>, Policies)>>,
}

impl PagePolicies {
    fn new(index: PathBuf, embed_origins: &[EmbedOrigin]) -> Self {
        let modified = modified(&index);
        let policies = Policies::of(&read_index(&index), embed_origins);
        Self {
            index,
            embed_origins: embed_origins.into(),
            current: Arc::new(Mutex::new((modified, policies))),
        }
    }

    fn current(&self) -> Policies {
        let modified = modified(&self.index);
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.0 != modified {
            let policies = Policies::of(&read_index(&self.index), &self.embed_origins);
            *current = (modified, policies);
        }
        current.1.clone()
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
}

fn read_index(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Routes serving `dir`, with `index.html` for unknown paths so the widget can
/// be opened at any URL. `embed_origins` may show the pages in a frame.
pub fn router(dir: &Path, embed_origins: &[EmbedOrigin]) -> Router {
    let policies = PagePolicies::new(dir.join("index.html"), embed_origins);
    // `NAME.br` / `NAME.gz` beside a file (`cargo xtask` writes them at the
    // highest level) are sent as they are to a client that accepts them;
    // anything else is compressed on the fly below.
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(policies, headers))
        .layer(CompressionLayer::new())
}

/// Path prefixes of the APIs: an unknown path there is a JSON 404, not the
/// widget's page (a client calling a mistyped route must not get HTML 200).
const API_PREFIXES: [&str; 6] = [
    "/api/",
    "/sim/",
    "/cti/",
    "/wrap-up/",
    "/services/",
    "/genesys/",
];

async fn headers(State(policies): State<PagePolicies>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if API_PREFIXES.iter().any(|prefix| path.starts_with(prefix)) {
        return crate::not_found().await.into_response();
    }
    let immutable = is_content_hashed(path);
    let host_page = HOST_PAGES.contains(&path);
    let mut response = next.run(request).await;
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if is_html {
        let policies = policies.current();
        let policy = if host_page {
            policies.host_page
        } else {
            policies.widget
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// The policy of the pages: this origin only, Trunk's inline loader by hash,
/// framed only by this origin and `embed_origins`.
fn content_security_policy(index_html: &str, embed_origins: &[EmbedOrigin]) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let ancestors: String = embed_origins
        .iter()
        .map(|origin| format!(" {origin}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'self'{ancestors}"
    )
}

/// The contents of the `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (content, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(content)
    })
}

/// Trunk's output files carry a content hash, a 64-bit number in hex without
/// leading zeros (so up to 16 digits): `widget-0123456789abcdef.css`,
/// `name-33524de3f25777c_bg.wasm`.
fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, inline_scripts, is_content_hashed};
    use crate::embed::EmbedOrigin;

    #[test]
    fn the_policy_names_each_inline_script_by_hash_and_nothing_else() {
        let html = "<script type=\"module\">init();</script><script src=\"/x.js\"></script>";
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["init();"]);
        let policy = content_security_policy(html, &[]);
        // echo -n 'init();' | openssl dgst -sha256 -binary | base64
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-GEnM5q1nYY/iACnyMTdov+tNp9OFcBnnDgNXUXaVNXc=';"),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 1);
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.ends_with("frame-ancestors 'self'"), "{policy}");
    }

    #[test]
    fn the_embed_origins_may_frame_the_pages() {
        let origins = ["https://crm.example.com", "http://localhost:8080"]
            .map(|text| text.parse::<EmbedOrigin>().unwrap());
        let policy = content_security_policy("", &origins);
        assert!(
            policy
                .ends_with("frame-ancestors 'self' https://crm.example.com http://localhost:8080"),
            "{policy}"
        );
    }

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_content_hashed("/wrapup-gadget-3f2a9c0d1e4b5a67_bg.wasm"));
        assert!(is_content_hashed("/wrapup-gadget-3f2a9c0d1e4b5a67.js"));
        // Regression: a hash with a leading zero has 15 digits, and such
        // files were served as no-cache.
        assert!(is_content_hashed("/wrapup-gadget-33524de3f25777c_bg.wasm"));
        assert!(is_content_hashed("/widget-3f2a9c0d1e4b5a67.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/favicon.svg"));
    }
}

//! The configuration: URL query over `/config.json` over defaults.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_gadget::config::{BackendProfile, Config, ConfigFile, Theme};
use wrapup_gadget::i18n::Language;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_demo_url_works_with_the_demo_config_file() {
    let file: ConfigFile = wrapup_core::parse::read(
        r#"{"token":"demo-widget-token","teniosAccessKey":"key",
            "agentEmails":{"123412345678567890ab90abcdefcdef":"agent@test.com"},
            "somethingNew":true}"#,
    )
    .unwrap();
    let config = Config::resolve(
        "?agent=123412345678567890ab90abcdefcdef",
        Some(&file),
        "http://127.0.0.1:8080",
    );
    assert_eq!(config.server, "http://127.0.0.1:8080");
    assert_eq!(config.token.as_deref(), Some("demo-widget-token"));
    assert_eq!(config.agent_email.as_deref(), Some("agent@test.com"));
    assert_eq!(config.tenios_access_key.as_deref(), Some("key"));
    assert_eq!(config.extend_step_seconds, 30);
    assert_eq!(config.language, Language::English);
    assert_eq!(config.backend, BackendProfile::ServiceNow);
    assert_eq!(config.theme, Theme::Auto);
}

#[wasm_bindgen_test]
fn the_query_wins_and_bad_values_fall_back() {
    let file = ConfigFile {
        server: Some("https://cc.example".into()),
        lang: Some("de".into()),
        theme: Some("dark".into()),
        ..ConfigFile::default()
    };
    let config = Config::resolve(
        "?agent=a&server=http%3A%2F%2Fother%3A9000%2F&lang=en&theme=purple&extend=x&backend=genesys&email=a%40b.c",
        Some(&file),
        "http://origin",
    );
    assert_eq!(config.server, "http://other:9000");
    assert_eq!(config.language, Language::English);
    // A value of the query the widget does not accept leaves the file's.
    assert_eq!(config.theme, Theme::Dark);
    assert_eq!(config.extend_step_seconds, 30);
    assert_eq!(config.backend, BackendProfile::Genesys);
    assert_eq!(config.agent_email.as_deref(), Some("a@b.c"));
    // Each bad value is named (for the console), the file's overridden one not.
    let named: Vec<_> = config
        .bad_values
        .iter()
        .map(|bad| (bad.parameter, bad.value.as_str()))
        .collect();
    assert_eq!(named, [("theme", "purple"), ("extend", "x")]);
    assert_eq!(config.refused(), None);
    // Without a file the page origin is the server and nothing is secret.
    let bare = Config::resolve("?agent=a", None, "http://origin");
    assert_eq!(bare.server, "http://origin");
    assert_eq!(bare.token, None);
}

#[wasm_bindgen_test]
fn the_origin_of_a_server_leaves_out_its_path_and_credentials() {
    use wrapup_gadget::config::origin_of;
    assert_eq!(
        origin_of("https://cc.example:8443/base/?x#y"),
        "https://cc.example:8443"
    );
    assert_eq!(origin_of("http://user:pw@cc.example/"), "http://cc.example");
    assert_eq!(origin_of("http://127.0.0.1:9"), "http://127.0.0.1:9");
    assert_eq!(origin_of("not a url"), "not a url");
}

// Bug: `?extend=` was taken as it came, so a step the extend rule refuses
// made every Extend a refusal.
#[wasm_bindgen_test]
fn the_extend_step_is_clamped_to_the_extend_rule_and_nonsense_ignored() {
    let step = |query: &str| Config::from_query(query).extend_step_seconds;
    assert_eq!(step("?extend=2"), 5);
    assert_eq!(step("?extend=-30"), 5);
    assert_eq!(step("?extend=86400"), 900);
    assert_eq!(step("?extend=45"), 45);
    assert_eq!(step("?extend=soon"), 30);
    let file = ConfigFile {
        extend_step: Some(3600),
        ..ConfigFile::default()
    };
    assert_eq!(
        Config::resolve("", Some(&file), "").extend_step_seconds,
        900
    );
    assert_eq!(
        Config::resolve("?extend=x", Some(&file), "").extend_step_seconds,
        900
    );
}

/// Sets what `index.html`'s inline script sets: the page's early request
/// for `url`, answered by `text` (a promise).
fn early_request(url: &str, text: &js_sys::Promise) {
    let early = js_sys::Object::new();
    js_sys::Reflect::set(&early, &"url".into(), &url.into()).unwrap();
    js_sys::Reflect::set(&early, &"text".into(), text).unwrap();
    js_sys::Reflect::set(&js_sys::global(), &"wrapupConfigFile".into(), &early).unwrap();
}

/// Nothing listens there: a request of the widget's own fails at once.
const UNREACHABLE: &str = "http://127.0.0.1:9";

#[wasm_bindgen_test]
async fn the_page_s_early_answer_is_taken_without_a_request() {
    use wrapup_gadget::runtime::api::Api;
    let answer = js_sys::Promise::resolve(&wasm_bindgen::JsValue::from_str(
        r#"{"lang":"de","token":"t"}"#,
    ));
    early_request(&format!("{UNREACHABLE}/config.json"), &answer);
    let file = Api::new(UNREACHABLE, None, "en").config_file().await;
    assert_eq!(file.unwrap().lang.as_deref(), Some("de"));

    // Found nothing: no file, and no second request for it.
    early_request(
        &format!("{UNREACHABLE}/config.json"),
        &js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL),
    );
    let error = Api::new(UNREACHABLE, None, "en")
        .config_file()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("/config.json missing"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn an_early_answer_for_another_server_is_not_taken() {
    use wrapup_gadget::runtime::api::Api;
    let answer = js_sys::Promise::resolve(&wasm_bindgen::JsValue::from_str(r#"{"lang":"de"}"#));
    early_request("http://elsewhere.example/config.json", &answer);
    // The widget asks its own server, which does not answer.
    let file = Api::new(UNREACHABLE, None, "en").config_file().await;
    assert!(file.is_err(), "{file:?}");
}

#[wasm_bindgen_test]
async fn an_early_answer_that_never_comes_is_given_up() {
    use wrapup_gadget::runtime::api::Api;
    // A promise that never settles: a hung server.
    early_request(
        &format!("{UNREACHABLE}/config.json"),
        &js_sys::Promise::new(&mut |_, _| {}),
    );
    let api = Api::new(UNREACHABLE, None, "en").with_timeout(std::time::Duration::from_millis(20));
    assert!(api.config_file().await.is_err());
}

//! The configuration: URL query over `/config.json` over defaults.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_gadget::config::{BackendProfile, Config, ConfigFile, Theme};
use wrapup_gadget::i18n::Language;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_demo_url_works_with_the_demo_config_file() {
    let file: ConfigFile = serde_json::from_str(
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
    assert_eq!(config.theme, Theme::Auto);
    assert_eq!(config.extend_step_seconds, 30);
    assert_eq!(config.backend, BackendProfile::Genesys);
    assert_eq!(config.agent_email.as_deref(), Some("a@b.c"));
    // Without a file the page origin is the server and nothing is secret.
    let bare = Config::resolve("?agent=a", None, "http://origin");
    assert_eq!(bare.server, "http://origin");
    assert_eq!(bare.token, None);
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

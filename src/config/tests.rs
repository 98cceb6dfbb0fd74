//! The configuration read from the query and the file, and the values it refuses.

use super::*;
use wrapup_core::parse::read;

#[test]
fn reads_agent_and_language() {
    let config = Config::from_query("?agent=123412345678567890ab90abcdefcdef&lang=de");
    assert_eq!(
        config.agent_id.as_deref(),
        Some("123412345678567890ab90abcdefcdef")
    );
    assert_eq!(config.language, Language::German);
}

#[test]
fn decodes_escapes_and_keeps_malformed_ones() {
    let config = Config::from_query("agent=a%40b+c%2&other=1");
    assert_eq!(config.agent_id.as_deref(), Some("a@b c%2"));
}

#[test]
fn empty_agent_means_none() {
    assert_eq!(Config::from_query("?agent=").agent_id, None);
}

#[test]
fn query_wins_over_file_and_file_over_defaults() {
    let file = ConfigFile {
        token: Some("file-token".into()),
        lang: Some("de".into()),
        extend_step: Some(60),
        agent_emails: LiteMap::from_iter([("a1".to_owned(), "a1@test.com".to_owned())]),
        ..ConfigFile::default()
    };
    let config = Config::resolve("?agent=a1&lang=en&theme=dark", Some(&file), "http://h:1/");
    assert_eq!(config.server, "http://h:1");
    assert_eq!(config.token.as_deref(), Some("file-token"));
    assert_eq!(config.language, Language::English);
    assert_eq!(config.theme, Theme::Dark);
    assert_eq!(config.extend_step_seconds, 60);
    assert_eq!(config.agent_email.as_deref(), Some("a1@test.com"));
    assert_eq!(config.backend, BackendProfile::ServiceNow);
}

#[test]
fn the_backend_comes_from_the_file_or_the_query() {
    let file = ConfigFile {
        backend: Some("Genesys".into()),
        ..ConfigFile::default()
    };
    assert_eq!(
        Config::resolve("?agent=a1", Some(&file), "").backend,
        BackendProfile::Genesys
    );
    assert_eq!(
        Config::resolve("?backend=servicenow", Some(&file), "").backend,
        BackendProfile::ServiceNow
    );
    assert_eq!(
        Config::from_query("?backend=genesys").backend,
        BackendProfile::Genesys
    );
    let parsed: ConfigFile = read(r#"{"backend": "genesys"}"#).unwrap();
    assert_eq!(parsed.backend.as_deref(), Some("genesys"));
}

#[test]
fn the_file_is_read_by_its_camel_case_names_and_a_wrong_field_is_named() {
    let parsed: ConfigFile = read(
        r#"{"extendStep": 60, "teniosAccessKey": "k", "agentEmail": "a@test.com",
            "agentEmails": {"a1": "a1@test.com"}, "token": null, "unknown": [1]}"#,
    )
    .unwrap();
    assert_eq!(parsed.extend_step, Some(60));
    assert_eq!(parsed.tenios_access_key.as_deref(), Some("k"));
    assert_eq!(parsed.agent_email.as_deref(), Some("a@test.com"));
    assert_eq!(
        parsed.agent_emails.get("a1").map(String::as_str),
        Some("a1@test.com")
    );
    assert_eq!(parsed.token, None);

    let error = read::<ConfigFile>(r#"{"agentEmails": {"a1": 7}}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "agentEmails.a1: invalid type: integer `7`, expected a string"
    );
    let error = read::<ConfigFile>(r#"{"extendStep": -5}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "extendStep: invalid value: integer `-5`, expected u32"
    );
    // Several unreadable fields: the first in the order read is named.
    let error = read::<ConfigFile>(r#"{"tokens": 1, "extendStep": -5, "lang": 2}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "lang: invalid type: integer `2`, expected a string"
    );
}

// Bug: an unknown value was replaced by a default without a word, and an
// unknown backend by ServiceNow, where the wrap-ups then went.
#[test]
fn an_unknown_backend_refuses_to_start_and_says_what_it_accepts() {
    let config = Config::from_query("?agent=a1&backend=sap");
    let refused = config.refused().expect("refused");
    assert_eq!(
        (refused.parameter, refused.value.as_str(), refused.accepted),
        ("backend", "sap", "servicenow, genesys")
    );
    assert_eq!(
        refused.warning(),
        "wrapup-gadget: backend \"sap\" is not accepted (servicenow, genesys): \
         the widget follows no calls and sends no wrap-ups"
    );
    let file = ConfigFile {
        backend: Some("SAP".into()),
        ..ConfigFile::default()
    };
    assert!(Config::resolve("", Some(&file), "").refused().is_some());
    // Nor does the query's unknown backend fall back to the file's.
    let genesys = ConfigFile {
        backend: Some("genesys".into()),
        ..ConfigFile::default()
    };
    let refused = Config::resolve("?backend=sap", Some(&genesys), "");
    assert_eq!(refused.refused().map(|bad| bad.value.as_str()), Some("sap"));
    // The query's known backend overrides the file's unknown one.
    let config = Config::resolve("?backend=ServiceNow", Some(&file), "");
    assert_eq!(config.refused(), None);
    assert_eq!(config.bad_values, []);
    assert_eq!(Config::from_query("?backend=").refused(), None);
}

#[test]
fn cosmetic_values_fall_back_and_are_named_with_what_is_used() {
    let config = Config::from_query("?lang=xx&theme=foo&extend=lots&backend=genesys");
    assert_eq!(config.language, Language::English);
    assert_eq!(config.theme, Theme::Auto);
    assert_eq!(config.extend_step_seconds, 30);
    assert_eq!(config.refused(), None);
    let warnings: Vec<String> = config.bad_values.iter().map(BadValue::warning).collect();
    assert_eq!(
        warnings,
        [
            "wrapup-gadget: lang \"xx\" is not accepted (en, de, or a tag of them: de-CH): \
             the widget uses en",
            "wrapup-gadget: theme \"foo\" is not accepted (light, dark, auto): the widget uses auto",
            "wrapup-gadget: extend \"lots\" is not accepted (whole seconds from 5 to 900): \
             the widget uses 30",
        ]
    );
    let file = ConfigFile {
        extend_step: Some(3600),
        lang: Some("de-CH".into()),
        theme: Some("DARK".into()),
        ..ConfigFile::default()
    };
    // A value of the query it does not accept leaves the file's.
    let config = Config::resolve("?lang=xx&extend=x", Some(&file), "");
    assert_eq!(config.language, Language::German);
    let warnings: Vec<String> = config.bad_values.iter().map(BadValue::warning).collect();
    assert_eq!(
        warnings,
        [
            "wrapup-gadget: lang \"xx\" is not accepted (en, de, or a tag of them: de-CH): \
             the widget uses de",
            "wrapup-gadget: extend \"x\" is not accepted (whole seconds from 5 to 900): \
             the widget uses 900",
        ]
    );
    let config = Config::resolve("", Some(&file), "");
    assert_eq!(config.extend_step_seconds, 900);
    assert_eq!(
        (config.language, config.theme),
        (Language::German, Theme::Dark)
    );
    assert_eq!(
        config.bad_values,
        [BadValue {
            parameter: "extendStep",
            value: "3600".into(),
            accepted: ACCEPTED_STEPS,
            instead: Instead::Uses("900".into()),
        }]
    );
}

#[test]
fn the_files_tokens_are_taken_by_their_wg_names_only() {
    let file: ConfigFile =
        read(r##"{"tokens": {"--wg-color-accent": "#6f42c1", "color": "red"}}"##).unwrap();
    let config = Config::resolve("", Some(&file), "");
    assert_eq!(
        config.tokens.get("--wg-color-accent").map(String::as_str),
        Some("#6f42c1")
    );
    let set: Vec<&String> = config.tokens.keys().filter(|name| is_token(name)).collect();
    assert_eq!(set, ["--wg-color-accent"]);
    assert_eq!(
        config.bad_values[0].warning(),
        "wrapup-gadget: tokens \"color\" is not accepted (custom properties named --wg-…): \
         the widget ignores it"
    );
    assert_eq!(config.refused(), None);
}

#[test]
fn the_extend_step_is_clamped_to_the_extend_rule() {
    assert_eq!(Config::from_query("?extend=1").extend_step_seconds, 5);
    assert_eq!(Config::from_query("?extend=-30").extend_step_seconds, 5);
    assert_eq!(Config::from_query("?extend=3600").extend_step_seconds, 900);
    assert_eq!(Config::from_query("?extend=60").extend_step_seconds, 60);
    assert_eq!(Config::from_query("?extend=abc").extend_step_seconds, 30);
    assert_eq!(Config::from_query("?extend=").extend_step_seconds, 30);
}
